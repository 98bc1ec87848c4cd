//! The browser pages the binary serves: GraphiQL and the explorer, with every file they load
//! embedded at build time, so they work on a machine without internet.

mod assets;
mod graphiql;

pub use graphiql::graphiql_page;

use crate::state::AppState;
use assets::Asset;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

/// GraphiQL's page loads everything from this server. Scripts: only files it serves (the
/// bootstrap is `/graphiql/start.js`, not inline). Styles: `'unsafe-inline'` is needed for
/// style only, because GraphiQL's dialogs (settings, shortcuts) lock scrolling through
/// `react-remove-scroll`, which injects a `<style>` element at run time and takes no nonce in
/// the prebuilt bundle; the fonts are `data:` URLs inside graphiql.min.css.
pub const GRAPHIQL_CSP: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; \
     connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; \
     form-action 'none'";

/// The explorer writes no inline script or style at all (it sets styles through the DOM, and
/// draws SVG with attributes), so nothing inline is allowed.
pub const EXPLORE_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; \
     base-uri 'none'; form-action 'self'";

/// The pages' routes: GraphiQL at `/graphiql` (and `/`), the explorer at `/explore`, and the
/// files each loads.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/graphiql", get(graphiql))
        .route("/", get(graphiql))
        .route("/graphiql/{file}", get(graphiql_file))
        .route("/explore", get(explore))
        .route("/explore/", get(explore))
        .route("/explore/{*file}", get(explore_file))
}

async fn graphiql() -> Response {
    page(GRAPHIQL_CSP, Html(graphiql_page()).into_response())
}

async fn explore() -> Response {
    let index = assets::EXPLORE_INDEX;
    page(EXPLORE_CSP, Html(index).into_response())
}

async fn graphiql_file(Path(file): Path<String>) -> Response {
    match assets::graphiql(&file) {
        Some(asset) => serve(asset, GRAPHIQL_CSP),
        None => crate::http::not_found().await,
    }
}

async fn explore_file(Path(file): Path<String>) -> Response {
    match assets::explore(&file) {
        Some(asset) => serve(asset, EXPLORE_CSP),
        None => crate::http::not_found().await,
    }
}

/// A page: its policy, and it may not be framed.
fn page(csp: &'static str, mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// An embedded file, under its page's policy.
fn serve(asset: &'static Asset, csp: &'static str) -> Response {
    let response = (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, asset.cache_control),
        ],
        asset.body,
    )
        .into_response();
    page(csp, response)
}

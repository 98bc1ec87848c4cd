//! Every file the pages load, embedded at build time: GraphiQL's pinned bundle (see
//! `assets/graphiql/README.md` for its versions and how to update them) and the explorer's
//! own modules. Looked up by name from a fixed table, so no path reaches the file system.

/// One embedded file.
pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub cache_control: &'static str,
    pub body: &'static [u8],
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const JSON: &str = "application/json";
const TEXT: &str = "text/plain; charset=utf-8";

/// Vendored files change only with a version bump (which changes the binary): a day's caching.
const VENDOR: &str = "public, max-age=86400";
/// The explorer's own files: revalidated, so a new binary's pages are seen at once.
const OWN: &str = "no-cache";

macro_rules! asset {
    ($dir:literal, $name:literal, $type:expr, $cache:expr) => {
        Asset {
            name: $name,
            content_type: $type,
            cache_control: $cache,
            body: include_bytes!(concat!($dir, "/", $name)),
        }
    };
}

const GRAPHIQL: &[Asset] = &[
    asset!("assets/graphiql", "react.production.min.js", JS, VENDOR),
    asset!("assets/graphiql", "react-dom.production.min.js", JS, VENDOR),
    asset!("assets/graphiql", "graphiql.min.js", JS, VENDOR),
    asset!("assets/graphiql", "graphiql.min.css", CSS, VENDOR),
    asset!("assets/graphiql", "LICENSE.graphiql", TEXT, VENDOR),
    asset!("assets/graphiql", "LICENSE.react", TEXT, VENDOR),
    asset!("graphiql", "start.js", JS, OWN),
    asset!("graphiql", "page.css", CSS, OWN),
];

const EXPLORE: &[Asset] = &[
    asset!("explore", "app.js", JS, OWN),
    asset!("explore", "api.js", JS, OWN),
    asset!("explore", "queries.js", JS, OWN),
    asset!("explore", "dom.js", JS, OWN),
    asset!("explore", "dates.js", JS, OWN),
    asset!("explore", "timeline.js", JS, OWN),
    asset!("explore", "map.js", JS, OWN),
    asset!("explore", "flows.js", JS, OWN),
    asset!("explore", "events.js", JS, OWN),
    asset!("explore", "event.js", JS, OWN),
    asset!("explore", "totals.js", JS, OWN),
    asset!("explore", "style.css", CSS, OWN),
    asset!("explore", "region.json", JSON, OWN),
    asset!("explore", "LICENSE.region", TEXT, OWN),
];

/// The explorer's page: one HTML shell whatever the view (the view is in the query string).
pub const EXPLORE_INDEX: &str = include_str!("explore/index.html");

/// A GraphiQL file by name.
pub fn graphiql(name: &str) -> Option<&'static Asset> {
    GRAPHIQL.iter().find(|a| a.name == name)
}

/// An explorer file by name.
pub fn explore(name: &str) -> Option<&'static Asset> {
    EXPLORE.iter().find(|a| a.name == name)
}

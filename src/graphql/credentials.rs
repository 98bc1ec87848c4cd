//! Who a request comes from: the API key the transport found, and its holder once checked.

use crate::auth::{self, Actor};
use crate::error::Error;
use crate::graphql::db;
use async_graphql::Context;

/// The API key a request was sent with (`Authorization: Bearer <key>`), as the transport
/// found it; checked only when a field needs its holder.
#[derive(Clone, Debug, Default)]
pub struct Credentials(pub Option<String>);

/// The holder of the request's key; UNAUTHENTICATED without a valid one.
pub async fn actor(ctx: &Context<'_>) -> async_graphql::Result<Actor> {
    let key = ctx
        .data_opt::<Credentials>()
        .and_then(|c| c.0.as_deref())
        .ok_or_else(|| {
            Error::Unauthenticated(
                "this needs an API key: send `Authorization: Bearer <key>`".into(),
            )
        })?;
    Ok(auth::authenticate(db(ctx)?, key)
        .await
        .map_err(Error::from)?)
}

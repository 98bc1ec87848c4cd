//! The root query: one fragment per domain, merged.

use crate::error::Error;
use crate::graphql::types::event::Event;
use crate::graphql::{db, ids};
use crate::service::event::{self as events, After};
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, ID, MergedObject, Object, Result, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The entry points: events and what they involve, each found by ID or through a paginated,
/// filterable connection.
#[derive(MergedObject, Default)]
pub struct QueryRoot(EventQuery);

/// Root fields about events.
#[derive(Default)]
pub struct EventQuery;

/// Largest page a connection returns.
pub const MAX_PAGE: usize = 100;

/// Extra fields of every connection.
#[derive(SimpleObject)]
pub struct ConnectionFields {
    /// How many items the whole connection holds (all pages).
    pub total_count: u64,
}

fn encode_cursor(e: &entity::event::Model) -> String {
    let date = e.date_start.map(|d| d.to_string()).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(format!("{date}|{}", e.id))
}

fn decode_cursor(cursor: &str) -> Result<After, Error> {
    let bad = || Error::BadUserInput(format!("\"{cursor}\" is not a cursor of this connection"));
    let text =
        String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?).map_err(|_| bad())?;
    let (date, id) = text.split_once('|').ok_or_else(bad)?;
    let date_start = if date.is_empty() {
        None
    } else {
        Some(date.parse().map_err(|_| bad())?)
    };
    Ok(After {
        date_start,
        id: id.parse().map_err(|_| bad())?,
    })
}

#[Object]
impl EventQuery {
    /// Events, newest first (events of unknown date last).
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many events to return (at most 100).", default = 20)] first: i32,
        #[graphql(desc = "Return events after this cursor (from `pageInfo.endCursor`).")]
        after: Option<String>,
    ) -> Result<Connection<String, Event, ConnectionFields, EmptyFields>> {
        let first = usize::try_from(first)
            .ok()
            .filter(|n| *n <= MAX_PAGE)
            .ok_or_else(|| {
                Error::BadUserInput(format!("first must be between 0 and {MAX_PAGE}"))
            })?;
        let after = after.as_deref().map(decode_cursor).transpose()?;
        let db = db(ctx)?;
        let mut rows = events::page(db, after, first as u64 + 1)
            .await
            .map_err(Error::from)?;
        let has_next = rows.len() > first;
        rows.truncate(first);
        let total_count = events::count(db).await.map_err(Error::from)?;
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            has_next,
            ConnectionFields { total_count },
        );
        connection.edges.extend(
            rows.into_iter()
                .map(|e| Edge::new(encode_cursor(&e), Event(e))),
        );
        Ok(connection)
    }

    /// One event by its global ID; null when there is none.
    async fn event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event's global ID.")] id: ID,
    ) -> Result<Option<Event>> {
        let id = ids::decode("Event", &id)?;
        Ok(
            crate::graphql::load(ctx, crate::graphql::loaders::EventId(id))
                .await?
                .map(Event),
        )
    }
}

//! The root subscription: published changes as they commit, over WebSocket
//! (`graphql-transport-ws`, or the legacy `graphql-ws`). Each payload resolves like a query,
//! in its own waves of fetches (`streams`), so a subscriber may select nested fields.

use crate::error::Error;
use crate::graphql::connection::row_after;
use crate::graphql::credentials::actor;
use crate::graphql::ids;
use crate::graphql::query::Query;
use crate::graphql::types::enums::ChangeAction;
use crate::graphql::types::event::Event;
use crate::graphql::types::filters::EventFilter;
use crate::graphql::types::proposal::Change;
use crate::live::{Feed, Hub, Receiver};
use crate::service::changes::{CHANGES_IN_ORDER, event_matching};
use async_graphql::{Context, ID, InputObject, Object, Result, Subscription as Root};
use entity::change;
use futures_util::stream::{self, Stream, StreamExt};
use std::sync::{Arc, Mutex};

/// Live updates: subscribe over WebSocket at `/graphql` (`graphql-transport-ws`; the API key,
/// if any, in `connection_init`'s payload as `{"Authorization": "Bearer <key>"}`).
#[derive(Default)]
pub struct Subscription;

/// The receiver a subscription starts from, made when the client's `subscribe` message
/// arrived (`streams`): every change committed after that message reaches it.
pub struct Subscribed(pub Mutex<Option<Receiver>>);

/// Narrows the changes `changed` reports; every field given must hold.
#[derive(InputObject, Clone, Debug, Default)]
pub struct ChangeFilter {
    /// Changes to any of these records (global IDs; a merged-away or retracted record's ID
    /// still names it).
    pub ids: Option<Vec<ID>>,
    /// Changes to records of any of these types (`Event`, `Claim`, `Source`, `Person`…).
    pub types: Option<Vec<String>>,
    /// Changes of any of these kinds.
    pub actions: Option<Vec<ChangeAction>>,
}

/// A `ChangeFilter` with its IDs decoded.
struct Matcher {
    ids: Vec<(String, String)>,
    types: Vec<String>,
    actions: Vec<ChangeAction>,
}

impl Matcher {
    fn new(filter: ChangeFilter) -> Result<Self, Error> {
        let ids = filter.ids.unwrap_or_default();
        Ok(Matcher {
            ids: ids.iter().map(ids::decode_any).collect::<Result<_, _>>()?,
            types: filter.types.unwrap_or_default(),
            actions: filter.actions.unwrap_or_default(),
        })
    }

    fn admits(&self, c: &change::Model) -> bool {
        (self.ids.is_empty()
            || self
                .ids
                .iter()
                .any(|(t, k)| *t == c.node_type && *k == c.node_key))
            && (self.types.is_empty() || self.types.contains(&c.node_type))
            && (self.actions.is_empty() || self.actions.contains(&c.action.into()))
    }
}

/// The hub and this subscription's feed, starting after `after` (a change's position) or
/// from the moment the client subscribed.
fn feed(ctx: &Context<'_>, after: Option<i32>) -> Result<Feed> {
    let hub = ctx
        .data_opt::<Arc<Hub>>()
        .ok_or_else(|| Error::Internal("no live hub in the schema".into()))?;
    let receiver = ctx
        .data_opt::<Subscribed>()
        .and_then(|s| s.0.lock().unwrap_or_else(|p| p.into_inner()).take())
        .unwrap_or_else(|| hub.receiver());
    Ok(Feed::new(hub.db().clone(), receiver, after))
}

/// The feed's batches as a stream, ending with an error if the database fails it.
fn batches(feed: Feed) -> impl Stream<Item = Result<Vec<change::Model>>> {
    stream::unfold(Some(feed), |feed| async move {
        let mut feed = feed?;
        match feed.next().await? {
            Ok(batch) => Some((Ok(batch), Some(feed))),
            Err(e) => Some((Err(Error::from(e).into()), None)),
        }
    })
}

/// Live updates: each published change as it commits, over a WebSocket at `/graphql`
/// (`graphql-transport-ws`). Send the API key, if any, in `connection_init`'s payload.
#[Root]
impl Subscription {
    /// Each event as it is published (an editor's `createEvent`, or a contributor's once an
    /// editor publishes it) that matches `filter`, resolved like a query: select its
    /// participants, figures and claims as you would on `event`.
    async fn event_published(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only events matching this.")] filter: Option<EventFilter>,
    ) -> Result<impl Stream<Item = Result<Event>> + use<>> {
        let filter = filter.unwrap_or_default().into_service()?;
        let feed = feed(ctx, None)?;
        let db = crate::graphql::db(ctx)?.clone();
        let events = batches(feed).flat_map(move |batch| {
            let (db, filter) = (db.clone(), filter.clone());
            let created: Vec<Result<String>> = match batch {
                Ok(batch) => batch
                    .into_iter()
                    .filter(|c| {
                        c.node_type == "Event" && c.action == entity::enums::ChangeAction::Created
                    })
                    .map(|c| Ok(c.node_key))
                    .collect(),
                Err(e) => vec![Err(e)],
            };
            stream::iter(created).filter_map(move |key| {
                let (db, filter) = (db.clone(), filter.clone());
                async move {
                    match key {
                        Ok(key) => match event_matching(&db, &key, &filter).await {
                            Ok(found) => found.map(|e| Ok(Event(e))),
                            Err(e) => Some(Err(Error::from(e).into())),
                        },
                        Err(e) => Some(Err(e)),
                    }
                }
            })
        });
        Ok(events)
    }

    /// Every published change matching `filter`, in commit order: created, updated, merged
    /// and retracted records of every type. With `after` (a `cursor` of `changes` or of an
    /// earlier payload), the changes since then come first, so a client that reconnects
    /// with its last cursor misses nothing and sees nothing twice. Needs an API key.
    async fn changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only changes matching this.")] filter: Option<ChangeFilter>,
        #[graphql(desc = "Start after this cursor instead of now.")] after: Option<String>,
    ) -> Result<impl Stream<Item = Result<Change>> + use<>> {
        actor(ctx).await?;
        let matcher = Matcher::new(filter.unwrap_or_default())?;
        let after = after
            .map(|c| row_after(&CHANGES_IN_ORDER, &c))
            .transpose()?;
        let changes = batches(feed(ctx, after)?).flat_map(move |batch| {
            let items: Vec<Result<Change>> = match batch {
                Ok(batch) => batch
                    .into_iter()
                    .filter(|c| matcher.admits(c))
                    .map(|c| Ok(Change(c)))
                    .collect(),
                Err(e) => vec![Err(e)],
            };
            stream::iter(items)
        });
        Ok(changes)
    }

    /// Once for each publish (or for several, when they commit close together): the changes,
    /// and the whole query root as it stands after them, so a dashboard selects the totals it
    /// shows in the subscription itself (`totalsChanged { query { participantTotals(…) {…} } }`)
    /// and redraws them from each payload.
    async fn totals_changed(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = Result<TotalsUpdate>> + use<>> {
        let updates =
            batches(feed(ctx, None)?).map(|batch| batch.map(|changes| TotalsUpdate { changes }));
        Ok(updates)
    }
}

/// Published changes, and the data as it stands after them.
pub struct TotalsUpdate {
    changes: Vec<change::Model>,
}

/// Published changes, and the data as it stands after them.
#[Object]
impl TotalsUpdate {
    /// The changes, in commit order.
    async fn changes(&self) -> Vec<Change> {
        self.changes.iter().cloned().map(Change).collect()
    }

    /// The position of the last of them in the changes feed.
    async fn cursor(&self) -> Option<String> {
        self.changes
            .last()
            .map(|c| crate::graphql::connection::cursor_of(&CHANGES_IN_ORDER, c))
    }

    /// The query root, read after these changes: select the totals to redraw.
    async fn query(&self) -> Query {
        Query::default()
    }
}

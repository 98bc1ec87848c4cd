//! The DataLoaders: one batched query per relation per request, whatever the page size.
//!
//! Each key type names one relation (`GroupsOf(event_id)`, `FigureId(id)` …); the loader
//! for it runs a single `WHERE … IN (…)` over every key the request asked for at once.

use crate::service::page::{Page, Paged, count_per_parent, page_per_parent};
use crate::service::relation::Relation;
use crate::service::rows::{grouped, where_in};
use async_graphql::dataloader::{DataLoader, Loader};
use entity::*;
use sea_orm::{DatabaseConnection, DbErr};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// The loader every relation key is implemented on.
pub struct Db(pub DatabaseConnection);

/// Keys one statement may carry: a page of 100 events reaches a few thousand figures, and
/// the bound stays far below SQLite's and PostgreSQL's bind-parameter limits.
const MAX_BATCH: usize = 10_000;

/// The per-request loader handed to resolvers.
pub type Loaders = DataLoader<Db>;

/// A fresh loader for one request, whose fetches `waves` runs (see `batch`). Batches are
/// dispatched without the default 1 ms delay, which costs throughput (async-graphql issue
/// #1306): the waves already gather every key of a level before fetching.
pub fn loaders(db: DatabaseConnection, waves: &super::batch::Waves) -> Loaders {
    DataLoader::new(Db(db), waves.spawner())
        .delay(Duration::ZERO)
        .max_batch_size(MAX_BATCH)
}

/// Declares a key type loading one row of `$entity` by its `$column`.
macro_rules! one {
    ($(#[$doc:meta])* $key:ident($ty:ty) => $entity:ident, $column:ident, $field:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $key(pub $ty);

        impl Loader<$key> for Db {
            type Value = $entity::Model;
            type Error = Arc<DbErr>;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let rows = where_in::<$entity::Entity, $ty>(
                    &self.0, $entity::Column::$column, keys.iter().map(|k| k.0.clone()), $entity::Column::$column,
                )
                .await?;
                Ok(rows.into_iter().map(|row| ($key(row.$field.clone()), row)).collect())
            }
        }
    };
}

/// Declares a key type loading the rows of `$entity` whose `$column` is the key, in `$order`.
/// `?field` marks a nullable foreign key (rows found by it always have it set).
macro_rules! many {
    ($(#[$doc:meta])* $key:ident => $entity:ident, $column:ident, ?$field:ident, $order:ident) => {
        many!(@impl $(#[$doc])* $key => $entity, $column, |row: &$entity::Model| row.$field.unwrap_or_default(), $order);
    };
    ($(#[$doc:meta])* $key:ident => $entity:ident, $column:ident, $field:ident, $order:ident) => {
        many!(@impl $(#[$doc])* $key => $entity, $column, |row: &$entity::Model| row.$field, $order);
    };
    (@impl $(#[$doc:meta])* $key:ident => $entity:ident, $column:ident, $key_of:expr, $order:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $key(pub i32);

        impl Loader<$key> for Db {
            type Value = Vec<$entity::Model>;
            type Error = Arc<DbErr>;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let ids: Vec<i32> = keys.iter().map(|k| k.0).collect();
                let groups = grouped::<$entity::Entity, i32>(
                    &self.0, $entity::Column::$column, &ids, $entity::Column::$order, $key_of,
                )
                .await?;
                Ok(groups.into_iter().map(|(id, rows)| ($key(id), rows)).collect())
            }
        }
    };
}

one!(/// A country by code.
    CountryCode(String) => country, Code, code);
one!(/// A place by id.
    LocationId(i32) => location, Id, id);
one!(/// A place by key (a country's place by its code).
    LocationKey(String) => location, Key, key);
one!(/// An event by key.
    EventKey(String) => event, Key, key);
one!(/// An agency by key.
    AgencyKey(String) => agency, Key, key);
one!(/// A person by key.
    PersonKey(String) => person, Key, key);
one!(/// A source by key.
    SourceKey(String) => source, Key, key);
one!(/// A statistic by key.
    StatisticKey(String) => statistic, Key, key);
one!(/// A flow by uid.
    FlowUid(String) => deportation_flow, Uid, uid);
one!(/// A participant group by uid.
    GroupUid(String) => participant_group, Uid, uid);
one!(/// A claim by uid.
    ClaimUid(String) => claim, Uid, uid);
one!(/// A citation by uid.
    CitationUid(String) => citation, Uid, uid);
one!(/// A statement by uid.
    StatementUid(String) => statement, Uid, uid);
one!(/// An agency by id.
    AgencyId(i32) => agency, Id, id);
one!(/// A person by id.
    PersonId(i32) => person, Id, id);
one!(/// A source by id.
    SourceId(i32) => source, Id, id);
one!(/// An event by id.
    EventId(i32) => event, Id, id);
one!(/// A flow by id.
    FlowId(i32) => deportation_flow, Id, id);
one!(/// A statistic by id.
    StatisticId(i32) => statistic, Id, id);
one!(/// A figure by id.
    FigureId(i32) => figure, Id, id);
one!(/// A participant group by id.
    GroupId(i32) => participant_group, Id, id);
one!(/// The link from a participant group to a group of another event, if it has one.
    CohortLinkOf(i32) => participant_link, GroupId, group_id);

many!(/// The kinds of an event.
    KindsOf => event_kind, EventId, event_id, Kind);
many!(/// The places of an event.
    PlacesOf => event_location, EventId, event_id, LocationId);
many!(/// The participant groups of an event.
    GroupsOf => participant_group, EventId, event_id, Id);
many!(/// The agencies' parts in an event.
    AgencyLinksOf => event_agency, EventId, event_id, Id);
many!(/// The people's parts in an event.
    PersonLinksOf => event_person, EventId, event_id, Id);
many!(/// The flows of an event.
    FlowsOf => deportation_flow, EventId, event_id, Id);
many!(/// The nationality split of a flow.
    NationalitiesOf => flow_nationality, FlowId, flow_id, Id);
many!(/// The citations of an event.
    CitationsOf => citation, EventId, event_id, Id);
many!(/// The facts a citation supports.
    FactsOf => citation_fact, CitationId, citation_id, Id);
many!(/// The seizures of an event.
    SeizuresOf => seizure, EventId, event_id, Id);
many!(/// The money figures of an event.
    MoneyOf => money_figure, EventId, event_id, Id);
many!(/// What people said about an event.
    StatementsAbout => statement, EventId, ?event_id, Id);
many!(/// The links from an event to others.
    RelatedTo => event_relation, EventId, event_id, Id);
many!(/// A person's aliases.
    AliasesOf => person_alias, PersonId, person_id, Id);
many!(/// A person's titles.
    TitlesOf => person_title, PersonId, person_id, AsOf);
many!(/// The claims about a figure.
    ClaimsOf => claim, FigureId, figure_id, Id);

/// One page of a nested connection: `relation`'s children of `parent`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PageOf<R: Relation> {
    pub relation: R,
    pub parent: R::Parent,
    pub page: Page,
}

/// How many children `relation` gives `parent`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CountOf<R: Relation> {
    pub relation: R,
    pub parent: R::Parent,
}

/// Keys grouped by what they share, so each group is one statement.
fn by_group<K, G: Eq + std::hash::Hash, P>(
    keys: &[K],
    group: impl Fn(&K) -> (G, P),
) -> HashMap<G, Vec<P>> {
    let mut groups: HashMap<G, Vec<P>> = HashMap::new();
    for key in keys {
        let (g, p) = group(key);
        groups.entry(g).or_default().push(p);
    }
    groups
}

impl<R: Relation> Loader<PageOf<R>> for Db {
    type Value = Paged<R::Model>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[PageOf<R>],
    ) -> Result<HashMap<PageOf<R>, Self::Value>, Self::Error> {
        let mut out = HashMap::new();
        for ((relation, page), parents) in by_group(keys, |k| {
            ((k.relation.clone(), k.page.clone()), k.parent.clone())
        }) {
            let pages = page_per_parent::<R::Entity, R::Parent>(
                &self.0,
                relation.membership(),
                &parents,
                relation.filter(),
                relation.sort(),
                &page,
            )
            .await?;
            for (parent, paged) in pages {
                out.insert(
                    PageOf {
                        relation: relation.clone(),
                        parent,
                        page: page.clone(),
                    },
                    paged,
                );
            }
        }
        Ok(out)
    }
}

impl<R: Relation> Loader<CountOf<R>> for Db {
    type Value = u64;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[CountOf<R>],
    ) -> Result<HashMap<CountOf<R>, Self::Value>, Self::Error> {
        let mut out = HashMap::new();
        for (relation, parents) in by_group(keys, |k| (k.relation.clone(), k.parent.clone())) {
            let counts = count_per_parent::<R::Entity, R::Parent>(
                &self.0,
                relation.membership(),
                &parents,
                relation.filter(),
            )
            .await?;
            for (parent, n) in counts {
                out.insert(
                    CountOf {
                        relation: relation.clone(),
                        parent,
                    },
                    n,
                );
            }
        }
        Ok(out)
    }
}

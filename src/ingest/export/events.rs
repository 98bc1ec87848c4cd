//! Events read back into the records of `events.toml`: one by id, or a page in key order,
//! each page's parts loaded in one batched query per table, whatever the page's size.

use super::read::{Keys, by_parent, claims, keys, rows_in};
use crate::ingest::format as f;
use crate::service::event::EventFilter;
use entity::*;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// One event as stored (`row`, with what the loader works out, such as its people count) and
/// as its record in the `data/` format (`record`), which loads back into the same rows.
#[derive(Clone, Debug)]
pub struct ExportedEvent {
    pub row: event::Model,
    pub record: f::Event,
}

/// The event with database id `id`, as its `data/` record; None when there is none.
pub async fn event(db: &impl ConnectionTrait, id: i32) -> Result<Option<ExportedEvent>, DbErr> {
    let Some(row) = event::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(records(db, vec![row]).await?.pop())
}

/// Up to `limit` events matching `filter` whose key sorts after `after` (all, for None), in
/// key order, as records: the page an export streams. Pass the last key of a page as `after`
/// to get the next (keyset pagination: every page costs the same, however deep).
///
/// Keys sort bytewise on SQLite, by the database's collation on PostgreSQL (bytewise under
/// `C`/`C.UTF-8`): each database's order is stable, which is what a round trip needs.
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &EventFilter,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<ExportedEvent>, DbErr> {
    let mut select = event::Entity::find().filter(filter.condition());
    if let Some(after) = after {
        select = select.filter(event::Column::Key.gt(after));
    }
    let rows = select
        .order_by_asc(event::Column::Key)
        .limit(limit)
        .all(db)
        .await?;
    records(db, rows).await
}

/// Events as records, in the order given, their parts read in a few batched queries.
pub async fn records(
    db: &impl ConnectionTrait,
    rows: Vec<event::Model>,
) -> Result<Vec<ExportedEvent>, DbErr> {
    let parts = Parts::read(db, &rows).await?;
    rows.into_iter()
        .map(|row| {
            let record = parts.record(&row)?;
            Ok(ExportedEvent { row, record })
        })
        .collect()
}

/// Every part of a page of events, by event id, with the keys they refer to.
pub(super) struct Parts {
    pub(super) kinds: HashMap<i32, Vec<event_kind::Model>>,
    pub(super) places: HashMap<i32, Vec<location::Model>>,
    pub(super) agencies: HashMap<i32, Vec<event_agency::Model>>,
    pub(super) people: HashMap<i32, Vec<event_person::Model>>,
    pub(super) citations: HashMap<i32, Vec<citation::Model>>,
    pub(super) facts: HashMap<i32, Vec<citation_fact::Model>>,
    pub(super) groups: HashMap<i32, Vec<participant_group::Model>>,
    /// By the linking group's id: the link and the group it names.
    pub(super) cohorts: HashMap<i32, (participant_link::Model, participant_group::Model)>,
    pub(super) flows: HashMap<i32, Vec<deportation_flow::Model>>,
    pub(super) flow_nationalities: HashMap<i32, Vec<flow_nationality::Model>>,
    pub(super) seizures: HashMap<i32, Vec<seizure::Model>>,
    pub(super) money: HashMap<i32, Vec<money_figure::Model>>,
    pub(super) statements: HashMap<i32, Vec<statement::Model>>,
    pub(super) related: HashMap<i32, Vec<event_relation::Model>>,
    pub(super) claims: HashMap<i32, Vec<f::Claim>>,
    pub(super) sources: Keys,
    pub(super) locations: Keys,
    pub(super) agency_keys: Keys,
    pub(super) person_keys: Keys,
    pub(super) event_keys: Keys,
}

macro_rules! of_events {
    ($db:expr, $ids:expr, $module:ident) => {
        by_parent(
            rows_in::<$module::Entity>(
                $db,
                $module::Column::EventId,
                $ids.iter().copied(),
                $module::Column::Id,
            )
            .await?,
            |r| r.event_id,
        )
    };
}

impl Parts {
    async fn read(db: &impl ConnectionTrait, rows: &[event::Model]) -> Result<Parts, DbErr> {
        let ids: Vec<i32> = rows.iter().map(|e| e.id).collect();
        let kinds = by_parent(
            rows_in::<event_kind::Entity>(
                db,
                event_kind::Column::EventId,
                ids.iter().copied(),
                event_kind::Column::EventId,
            )
            .await?,
            |r| r.event_id,
        );
        let event_locations = rows_in::<event_location::Entity>(
            db,
            event_location::Column::EventId,
            ids.iter().copied(),
            event_location::Column::EventId,
        )
        .await?;
        let location_rows: HashMap<i32, location::Model> = rows_in::<location::Entity>(
            db,
            location::Column::Id,
            event_locations.iter().map(|l| l.location_id),
            location::Column::Id,
        )
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
        let mut places: HashMap<i32, Vec<location::Model>> = HashMap::new();
        for link in &event_locations {
            if let Some(place) = location_rows.get(&link.location_id) {
                places.entry(link.event_id).or_default().push(place.clone());
            }
        }
        let agencies = of_events!(db, ids, event_agency);
        let people = of_events!(db, ids, event_person);
        let citations = of_events!(db, ids, citation);
        let facts = by_parent(
            rows_in::<citation_fact::Entity>(
                db,
                citation_fact::Column::CitationId,
                citations.values().flatten().map(|c| c.id),
                citation_fact::Column::Id,
            )
            .await?,
            |r| r.citation_id,
        );
        let groups = of_events!(db, ids, participant_group);
        let links = rows_in::<participant_link::Entity>(
            db,
            participant_link::Column::GroupId,
            groups.values().flatten().map(|g| g.id),
            participant_link::Column::Id,
        )
        .await?;
        let linked: HashMap<i32, participant_group::Model> = rows_in::<participant_group::Entity>(
            db,
            participant_group::Column::Id,
            links.iter().map(|l| l.linked_group_id),
            participant_group::Column::Id,
        )
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
        let cohorts = links
            .into_iter()
            .filter_map(|l| {
                Some((
                    l.group_id,
                    (l.clone(), linked.get(&l.linked_group_id)?.clone()),
                ))
            })
            .collect::<HashMap<_, _>>();
        let flows = of_events!(db, ids, deportation_flow);
        let flow_nationalities = by_parent(
            rows_in::<flow_nationality::Entity>(
                db,
                flow_nationality::Column::FlowId,
                flows.values().flatten().map(|f| f.id),
                flow_nationality::Column::Id,
            )
            .await?,
            |r| r.flow_id,
        );
        let seizures = of_events!(db, ids, seizure);
        let money = of_events!(db, ids, money_figure);
        let statements = by_parent(
            rows_in::<statement::Entity>(
                db,
                statement::Column::EventId,
                ids.iter().copied(),
                statement::Column::Id,
            )
            .await?,
            |r| r.event_id.unwrap_or_default(),
        );
        let related = of_events!(db, ids, event_relation);

        let figures = rows
            .iter()
            .filter_map(|e| e.total_figure_id)
            .chain(
                groups
                    .values()
                    .flatten()
                    .flat_map(|g| [Some(g.count_figure_id), g.women_figure_id])
                    .flatten(),
            )
            .chain(flows.values().flatten().filter_map(|f| f.count_figure_id))
            .chain(
                flow_nationalities
                    .values()
                    .flatten()
                    .map(|n| n.count_figure_id),
            )
            .chain(seizures.values().flatten().map(|s| s.quantity_figure_id))
            .chain(money.values().flatten().map(|m| m.amount_figure_id));
        let claims = claims(db, figures.collect::<Vec<_>>()).await?;

        let all_facts = || facts.values().flatten();
        let sources = keys::<source::Entity>(
            db,
            citations
                .values()
                .flatten()
                .map(|c| c.source_id)
                .chain(cohorts.values().map(|(l, _)| l.source_id))
                .chain(statements.values().flatten().map(|s| s.source_id))
                .chain(related.values().flatten().map(|r| r.source_id))
                .collect::<Vec<_>>(),
        )
        .await?;
        let locations = keys::<location::Entity>(
            db,
            all_facts()
                .filter_map(|f| f.location_id)
                .collect::<Vec<_>>(),
        )
        .await?;
        let agency_keys = keys::<agency::Entity>(
            db,
            agencies
                .values()
                .flatten()
                .map(|a| a.agency_id)
                .chain(all_facts().filter_map(|f| f.agency_id))
                .collect::<Vec<_>>(),
        )
        .await?;
        let person_keys = keys::<person::Entity>(
            db,
            people
                .values()
                .flatten()
                .map(|p| p.person_id)
                .chain(statements.values().flatten().map(|s| s.person_id))
                .chain(all_facts().filter_map(|f| f.person_id))
                .collect::<Vec<_>>(),
        )
        .await?;
        let event_keys = keys::<event::Entity>(
            db,
            related
                .values()
                .flatten()
                .map(|r| r.related_event_id)
                .chain(cohorts.values().map(|(_, g)| g.event_id))
                .collect::<Vec<_>>(),
        )
        .await?;
        Ok(Parts {
            kinds,
            places,
            agencies,
            people,
            citations,
            facts,
            groups,
            cohorts,
            flows,
            flow_nationalities,
            seizures,
            money,
            statements,
            related,
            claims,
            sources,
            locations,
            agency_keys,
            person_keys,
            event_keys,
        })
    }
}

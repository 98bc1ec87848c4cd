//! Changing an event as a whole: correcting its descriptive fields, and retracting it (its
//! rows go, its audit row stays as the tombstone, and every total it was in is re-tallied).

use super::claims::check_version;
use super::{Audit, WriteError};
use crate::ingest::format as f;
use crate::ingest::{span, tallies};
use entity::enums::{ChangeAction, Status};
use entity::*;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// The descriptive fields a correction may change; absent ones stay as they are.
#[derive(Clone, Debug, Default)]
pub struct Correction {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub date: Option<f::DateSpan>,
    pub status: Option<Status>,
}

async fn find(db: &impl ConnectionTrait, key: &str) -> Result<event::Model, WriteError> {
    event::Entity::find()
        .filter(event::Column::Key.eq(key))
        .one(db)
        .await?
        .ok_or_else(|| WriteError::NotFound("no such event".into()))
}

/// An event's descriptive record, as the audit trail shows it.
fn snapshot(e: &event::Model) -> Value {
    json!({
        "key": e.key, "title": e.title, "summary": e.summary,
        "date": { "start": e.date_start, "end": e.date_end,
                  "precision": e.date_precision.as_str(), "derived": e.date_derived },
        "status": e.status.as_str(), "version": e.version,
    })
}

pub async fn correct(
    db: &impl ConnectionTrait,
    key: &str,
    expected_version: i32,
    c: Correction,
) -> Result<Vec<Audit>, WriteError> {
    let event = find(db, key).await?;
    check_version(event.version, Some(expected_version))?;
    let mut active: event::ActiveModel = event.clone().into();
    for (field, text) in [("title", &c.title), ("summary", &c.summary)] {
        if let Some(text) = text
            && text.trim().is_empty()
        {
            return Err(WriteError::invalid(field, format!("{field}: is empty")));
        }
    }
    if c.title.is_none() && c.summary.is_none() && c.date.is_none() && c.status.is_none() {
        return Err(WriteError::invalid("set", "the correction changes nothing"));
    }
    if let Some(title) = c.title {
        active.title = Set(title);
    }
    if let Some(summary) = c.summary {
        active.summary = Set(summary);
    }
    if let Some(date) = &c.date {
        let (start, end) = span::check(date)
            .map_err(|why| WriteError::invalid("date", format!("date: bad date: {why}")))?;
        active.date_start = Set(start);
        active.date_end = Set(end);
        active.date_precision = Set(date.precision);
        active.date_derived = Set(date.derived);
    }
    if let Some(status) = c.status {
        active.status = Set(status);
    }
    active.version = Set(event.version + 1);
    let after = active.update(db).await?;
    // The date decides the year and month it counts in.
    tallies::recompute(db, event.id).await?;
    Ok(vec![Audit {
        action: ChangeAction::Updated,
        node_type: "Event",
        key: event.key.clone(),
        before: Some(snapshot(&event)),
        after: Some(snapshot(&after)),
    }])
}

pub async fn retract(
    db: &impl ConnectionTrait,
    key: &str,
    expected_version: Option<i32>,
) -> Result<Vec<Audit>, WriteError> {
    let event = find(db, key).await?;
    check_version(event.version, expected_version)?;
    let id = event.id;
    let groups = participant_group::Entity::find()
        .filter(participant_group::Column::EventId.eq(id))
        .all(db)
        .await?;
    let group_ids: Vec<i32> = groups.iter().map(|g| g.id).collect();
    let flows = deportation_flow::Entity::find()
        .filter(deportation_flow::Column::EventId.eq(id))
        .all(db)
        .await?;
    let flow_ids: Vec<i32> = flows.iter().map(|f| f.id).collect();
    let parts = flow_nationality::Entity::find()
        .filter(flow_nationality::Column::FlowId.is_in(flow_ids.clone()))
        .all(db)
        .await?;
    let seizures = seizure::Entity::find()
        .filter(seizure::Column::EventId.eq(id))
        .all(db)
        .await?;
    let money = money_figure::Entity::find()
        .filter(money_figure::Column::EventId.eq(id))
        .all(db)
        .await?;
    let mut figures: BTreeSet<i32> = event.total_figure_id.into_iter().collect();
    for g in &groups {
        figures.insert(g.count_figure_id);
        figures.extend(g.women_figure_id);
    }
    figures.extend(flows.iter().filter_map(|f| f.count_figure_id));
    figures.extend(parts.iter().map(|p| p.count_figure_id));
    figures.extend(seizures.iter().map(|s| s.quantity_figure_id));
    figures.extend(money.iter().map(|m| m.amount_figure_id));
    // The other events a body of people spans with this one: their totals change too.
    let links = participant_link::Entity::find()
        .filter(
            participant_link::Column::GroupId
                .is_in(group_ids.clone())
                .or(participant_link::Column::LinkedGroupId.is_in(group_ids.clone())),
        )
        .all(db)
        .await?;
    let linked_groups: Vec<i32> = links
        .iter()
        .flat_map(|l| [l.group_id, l.linked_group_id])
        .filter(|g| !group_ids.contains(g))
        .collect();
    let linked_events: BTreeSet<i32> = participant_group::Entity::find()
        .filter(participant_group::Column::Id.is_in(linked_groups))
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.event_id)
        .collect();
    let cells = crate::service::totals::rollup::cells_of(db, &[id], &flow_ids).await?;
    delete_rows(db, id, &group_ids, &flow_ids, &figures).await?;
    // Its months' roll-ups lose it (recompute rewrites those of the events still there).
    crate::service::totals::rollup::refresh(db, &cells).await?;
    for other in linked_events {
        tallies::recompute(db, other).await?;
    }
    Ok(vec![Audit {
        action: ChangeAction::Retracted,
        node_type: "Event",
        key: event.key.clone(),
        before: Some(snapshot(&event)),
        after: None,
    }])
}

/// Deletes an event's rows, children first (no reliance on cascades, which SQLite applies
/// only with its foreign-key pragma on).
async fn delete_rows(
    db: &impl ConnectionTrait,
    id: i32,
    groups: &[i32],
    flows: &[i32],
    figures: &BTreeSet<i32>,
) -> Result<(), DbErr> {
    let citations: Vec<i32> = citation::Entity::find()
        .filter(citation::Column::EventId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    citation_fact::Entity::delete_many()
        .filter(citation_fact::Column::CitationId.is_in(citations))
        .exec(db)
        .await?;
    citation::Entity::delete_many()
        .filter(citation::Column::EventId.eq(id))
        .exec(db)
        .await?;
    event_kind::Entity::delete_many()
        .filter(event_kind::Column::EventId.eq(id))
        .exec(db)
        .await?;
    event_location::Entity::delete_many()
        .filter(event_location::Column::EventId.eq(id))
        .exec(db)
        .await?;
    event_agency::Entity::delete_many()
        .filter(event_agency::Column::EventId.eq(id))
        .exec(db)
        .await?;
    event_person::Entity::delete_many()
        .filter(event_person::Column::EventId.eq(id))
        .exec(db)
        .await?;
    statement::Entity::delete_many()
        .filter(statement::Column::EventId.eq(id))
        .exec(db)
        .await?;
    event_relation::Entity::delete_many()
        .filter(
            event_relation::Column::EventId
                .eq(id)
                .or(event_relation::Column::RelatedEventId.eq(id)),
        )
        .exec(db)
        .await?;
    participant_link::Entity::delete_many()
        .filter(
            participant_link::Column::GroupId
                .is_in(groups.to_vec())
                .or(participant_link::Column::LinkedGroupId.is_in(groups.to_vec())),
        )
        .exec(db)
        .await?;
    participant_tally::Entity::delete_many()
        .filter(participant_tally::Column::EventId.eq(id))
        .exec(db)
        .await?;
    flow_tally::Entity::delete_many()
        .filter(flow_tally::Column::FlowId.is_in(flows.to_vec()))
        .exec(db)
        .await?;
    flow_nationality::Entity::delete_many()
        .filter(flow_nationality::Column::FlowId.is_in(flows.to_vec()))
        .exec(db)
        .await?;
    deportation_flow::Entity::delete_many()
        .filter(deportation_flow::Column::EventId.eq(id))
        .exec(db)
        .await?;
    seizure::Entity::delete_many()
        .filter(seizure::Column::EventId.eq(id))
        .exec(db)
        .await?;
    money_figure::Entity::delete_many()
        .filter(money_figure::Column::EventId.eq(id))
        .exec(db)
        .await?;
    participant_group::Entity::delete_many()
        .filter(participant_group::Column::EventId.eq(id))
        .exec(db)
        .await?;
    event::Entity::delete_by_id(id).exec(db).await?;
    claim::Entity::delete_many()
        .filter(claim::Column::FigureId.is_in(figures.iter().copied()))
        .exec(db)
        .await?;
    figure::Entity::delete_many()
        .filter(figure::Column::Id.is_in(figures.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

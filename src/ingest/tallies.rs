//! Feeding `tally` its plain inputs, one event at a time, then `tally::cohort` over the events
//! a body of people spans: from built rows for a whole load (the curated loader and the
//! generator), and from the database for one event and those linked to it, inside the
//! caller's transaction (the write path).

use super::build::Rows;
use crate::figure::Resolved;
use crate::service::totals::rollup;
use crate::tally::{self, Flow, Group, Place, cohort};
use entity::*;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use std::collections::HashMap;

/// Fills in every event's grouping columns and the tally tables of built rows, with ids from 1.
pub fn complete(rows: &mut Rows) {
    let figures: HashMap<i32, Resolved> = rows
        .figures
        .iter()
        .map(|f| (f.id, Resolved::from(f)))
        .collect();
    let places: HashMap<i32, &location::Model> = rows.locations.iter().map(|l| (l.id, l)).collect();
    let mut groups: HashMap<i32, Vec<&participant_group::Model>> = HashMap::new();
    for g in &rows.groups {
        groups.entry(g.event_id).or_default().push(g);
    }
    let mut splits: HashMap<i32, Vec<&flow_nationality::Model>> = HashMap::new();
    for s in &rows.flow_nationalities {
        splits.entry(s.flow_id).or_default().push(s);
    }
    let mut flows: HashMap<i32, Vec<&deportation_flow::Model>> = HashMap::new();
    for f in &rows.flows {
        flows.entry(f.event_id).or_default().push(f);
    }
    let figure = |id: i32| figures.get(&id).copied();
    let mut participant_tallies = Vec::new();
    let mut flow_tallies = Vec::new();
    for event in &mut rows.events {
        let ancestry = event
            .location_id
            .map(|id| ancestry(id, &places))
            .unwrap_or_default();
        let input = tally::Event {
            id: event.id,
            date_start: event.date_start,
            date_end: event.date_end,
            place: Place::of(&ancestry),
            total: event.total_figure_id.and_then(figure),
            groups: groups
                .get(&event.id)
                .into_iter()
                .flatten()
                .map(|g| group(g, figure))
                .collect(),
            flows: flows
                .get(&event.id)
                .into_iter()
                .flatten()
                .map(|f| {
                    let split = splits.get(&f.id).map(Vec::as_slice).unwrap_or_default();
                    flow(f, split.iter().copied(), figure)
                })
                .collect(),
        };
        let tallied = tally::event(&input);
        tallied.columns.apply(event);
        participant_tallies.extend(tallied.participants);
        flow_tallies.extend(tallied.flows);
    }
    let links: Vec<cohort::Link> = rows
        .links
        .iter()
        .map(|l| (l.group_id, l.linked_group_id))
        .collect();
    cohort::count_once(&mut participant_tallies, &links);
    for (i, t) in participant_tallies.iter_mut().enumerate() {
        t.id = i as i32 + 1;
    }
    for (i, t) in flow_tallies.iter_mut().enumerate() {
        t.id = i as i32 + 1;
    }
    rows.participant_tallies = participant_tallies;
    rows.flow_tallies = flow_tallies;
}

/// A location and its ancestors, nearest first.
fn ancestry(id: i32, places: &HashMap<i32, &location::Model>) -> Vec<location::Model> {
    let mut chain = Vec::new();
    let mut current = places.get(&id).copied();
    while let Some(place) = current {
        chain.push(place.clone());
        // A cycle cannot be built (`build` checks levels), but the walk stays bounded anyway.
        if chain.len() > places.len() {
            break;
        }
        current = place.parent_id.and_then(|p| places.get(&p).copied());
    }
    chain
}

fn group(g: &participant_group::Model, figure: impl Fn(i32) -> Option<Resolved>) -> Group {
    Group {
        id: g.id,
        nationality_code: g.nationality_code.clone(),
        role: g.role,
        status: g.status,
        count: figure(g.count_figure_id),
        women: g.women_figure_id.and_then(&figure),
    }
}

fn flow<'a>(
    f: &deportation_flow::Model,
    split: impl Iterator<Item = &'a flow_nationality::Model>,
    figure: impl Fn(i32) -> Option<Resolved>,
) -> Flow {
    Flow {
        flow: f.clone(),
        count: f.count_figure_id.and_then(&figure),
        split: split
            .map(|s| (s.nationality_code.clone(), figure(s.count_figure_id)))
            .collect(),
    }
}

/// Recomputes one event's tallies in the database, with those of every event its people are
/// linked to (a body of people counts once across its events, so a change to one stage can
/// move the count to another): reads their rows, runs `tally::event` on each and
/// `tally::cohort` over them all, sets their grouping columns and replaces their participant
/// and flow tally rows, then the roll-ups of the months they left and entered
/// (`service::totals::rollup::refresh`). Call it inside the transaction that changed the
/// event, its groups, their links, flows or figures, so that totals never see one without the
/// other.
pub async fn recompute(db: &impl ConnectionTrait, event_id: i32) -> Result<(), DbErr> {
    let cells = retally(db, event_id).await?;
    rollup::refresh(db, &cells).await
}

/// [`recompute`] for many events (an import's), the roll-ups refreshed once at the end for
/// every month they touch rather than after each event: an import of n events into one month
/// would otherwise re-add that month n times. `done` hears after each event how many are.
pub async fn recompute_many(
    db: &impl ConnectionTrait,
    event_ids: &[i32],
    done: &(dyn Fn(usize) + Sync),
) -> Result<(), DbErr> {
    let mut cells = std::collections::BTreeSet::new();
    for (n, id) in event_ids.iter().enumerate() {
        cells.extend(retally(db, *id).await?);
        done(n + 1);
    }
    rollup::refresh(db, &cells.into_iter().collect::<Vec<_>>()).await
}

/// Replaces the tally rows of the event and those linked to it; returns the roll-up cells
/// (months) they left and entered.
async fn retally(db: &impl ConnectionTrait, event_id: i32) -> Result<Vec<rollup::Cell>, DbErr> {
    if event::Entity::find_by_id(event_id).one(db).await?.is_none() {
        return Err(DbErr::RecordNotFound(format!("event {event_id}")));
    }
    let events = linked_events(db, event_id).await?;
    let mut participants = Vec::new();
    let mut flows = Vec::new();
    let mut flow_ids = Vec::new();
    for id in &events {
        let (tallied, ids) = tally_one(db, *id).await?;
        participants.extend(tallied.participants);
        flows.extend(tallied.flows);
        flow_ids.extend(ids);
    }
    let groups: Vec<i32> = participants.iter().filter_map(|t| t.group_id).collect();
    let links: Vec<cohort::Link> = participant_link::Entity::find()
        .filter(participant_link::Column::GroupId.is_in(groups))
        .all(db)
        .await?
        .iter()
        .map(|l| (l.group_id, l.linked_group_id))
        .collect();
    cohort::count_once(&mut participants, &links);

    // The months these tallies leave and enter, whose roll-ups are rewritten after them.
    let mut cells = rollup::cells_of(db, &events, &flow_ids).await?;
    cells.extend(participants.iter().map(|t| (t.year, t.month)));
    cells.extend(flows.iter().map(|t| (t.year, t.month)));

    participant_tally::Entity::delete_many()
        .filter(participant_tally::Column::EventId.is_in(events))
        .exec(db)
        .await?;
    flow_tally::Entity::delete_many()
        .filter(flow_tally::Column::FlowId.is_in(flow_ids))
        .exec(db)
        .await?;
    // The rows get fresh ids from the tables' sequences.
    if !participants.is_empty() {
        participant_tally::Entity::insert_many(participants.into_iter().map(|t| {
            let mut row = t.into_active_model();
            row.id = sea_orm::NotSet;
            row
        }))
        .exec_without_returning(db)
        .await?;
    }
    if !flows.is_empty() {
        flow_tally::Entity::insert_many(flows.into_iter().map(|t| {
            let mut row = t.into_active_model();
            row.id = sea_orm::NotSet;
            row
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(cells)
}

/// The event and every event that shares a body of people with it, now (through links between
/// their groups) or as last tallied (through the tally rows' cohort ids): those whose tallies
/// may change with it. In ascending id order, as a bulk load tallies them.
async fn linked_events(db: &impl ConnectionTrait, event_id: i32) -> Result<Vec<i32>, DbErr> {
    let mut events = std::collections::BTreeSet::from([event_id]);
    let mut frontier = vec![event_id];
    while !frontier.is_empty() {
        let groups: Vec<i32> = participant_group::Entity::find()
            .filter(participant_group::Column::EventId.is_in(frontier.clone()))
            .all(db)
            .await?
            .iter()
            .map(|g| g.id)
            .collect();
        let linked: Vec<i32> = participant_link::Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(participant_link::Column::GroupId.is_in(groups.clone()))
                    .add(participant_link::Column::LinkedGroupId.is_in(groups)),
            )
            .all(db)
            .await?
            .iter()
            .flat_map(|l| [l.group_id, l.linked_group_id])
            .collect();
        let cohorts: Vec<i32> = participant_tally::Entity::find()
            .filter(participant_tally::Column::EventId.is_in(frontier.clone()))
            .all(db)
            .await?
            .iter()
            .filter_map(|t| t.cohort_id)
            .collect();
        let mut reached: Vec<i32> = participant_group::Entity::find()
            .filter(participant_group::Column::Id.is_in(linked))
            .all(db)
            .await?
            .iter()
            .map(|g| g.event_id)
            .collect();
        reached.extend(
            participant_tally::Entity::find()
                .filter(participant_tally::Column::CohortId.is_in(cohorts))
                .all(db)
                .await?
                .iter()
                .map(|t| t.event_id),
        );
        frontier = reached.into_iter().filter(|e| events.insert(*e)).collect();
    }
    Ok(events.into_iter().collect())
}

/// Tallies one event from the database and writes its grouping columns; returns its rows (not
/// yet written) and the ids of its flows.
async fn tally_one(
    db: &impl ConnectionTrait,
    event_id: i32,
) -> Result<(tally::Tallied, Vec<i32>), DbErr> {
    let event = event::Entity::find_by_id(event_id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("event {event_id}")))?;
    let ancestry = match event.location_id {
        Some(id) => {
            let ids: Vec<i32> = location_closure::Entity::find()
                .filter(location_closure::Column::DescendantId.eq(id))
                .order_by_asc(location_closure::Column::Depth)
                .all(db)
                .await?
                .into_iter()
                .map(|c| c.ancestor_id)
                .collect();
            let mut by_id: HashMap<i32, location::Model> = location::Entity::find()
                .filter(location::Column::Id.is_in(ids.clone()))
                .all(db)
                .await?
                .into_iter()
                .map(|l| (l.id, l))
                .collect();
            ids.iter().filter_map(|id| by_id.remove(id)).collect()
        }
        None => Vec::new(),
    };
    let groups = participant_group::Entity::find()
        .filter(participant_group::Column::EventId.eq(event_id))
        .order_by_asc(participant_group::Column::Id)
        .all(db)
        .await?;
    let flows = deportation_flow::Entity::find()
        .filter(deportation_flow::Column::EventId.eq(event_id))
        .order_by_asc(deportation_flow::Column::Id)
        .all(db)
        .await?;
    let flow_ids: Vec<i32> = flows.iter().map(|f| f.id).collect();
    let splits = flow_nationality::Entity::find()
        .filter(flow_nationality::Column::FlowId.is_in(flow_ids.clone()))
        .order_by_asc(flow_nationality::Column::Id)
        .all(db)
        .await?;
    let figure_ids: Vec<i32> = event
        .total_figure_id
        .into_iter()
        .chain(
            groups
                .iter()
                .flat_map(|g| [Some(g.count_figure_id), g.women_figure_id])
                .flatten(),
        )
        .chain(flows.iter().filter_map(|f| f.count_figure_id))
        .chain(splits.iter().map(|s| s.count_figure_id))
        .collect();
    let figures: HashMap<i32, Resolved> = figure::Entity::find()
        .filter(figure::Column::Id.is_in(figure_ids))
        .all(db)
        .await?
        .iter()
        .map(|f| (f.id, Resolved::from(f)))
        .collect();
    let figure = |id: i32| figures.get(&id).copied();
    let input = tally::Event {
        id: event.id,
        date_start: event.date_start,
        date_end: event.date_end,
        place: Place::of(&ancestry),
        total: event.total_figure_id.and_then(figure),
        groups: groups.iter().map(|g| group(g, figure)).collect(),
        flows: flows
            .iter()
            .map(|f| flow(f, splits.iter().filter(|s| s.flow_id == f.id), figure))
            .collect(),
    };
    let tallied = tally::event(&input);
    let mut event = event;
    tallied.columns.clone().apply(&mut event);
    event.into_active_model().reset_all().update(db).await?;
    Ok((tallied, flow_ids))
}

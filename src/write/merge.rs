//! Merging two events that are one happening: the merged-away event's claims, citations,
//! groups, flows and links move to the surviving one (matching parts pool their claims),
//! and its ID answers `node` with the survivor from then on (`redirect`).

use super::claims::{check_version, claims_of, resolve_again};
use super::{Audit, WriteError};
use crate::ingest::tallies;
use entity::enums::ChangeAction;
use entity::*;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use serde_json::json;
use std::collections::BTreeSet;

/// Moves `table`'s rows of event `b` to event `a`, dropping those `a` has already (the same
/// `key`).
macro_rules! repoint {
    ($db:expr, $table:ident, $a:expr, $b:expr, |$row:ident| $key:expr) => {{
        let held: Vec<_> = $table::Entity::find()
            .filter($table::Column::EventId.eq($a))
            .all($db)
            .await?
            .into_iter()
            .map(|$row| $key)
            .collect();
        for $row in $table::Entity::find()
            .filter($table::Column::EventId.eq($b))
            .all($db)
            .await?
        {
            if held.contains(&$key) {
                $table::Entity::delete_by_id($row.id).exec($db).await?;
            } else {
                $table::Entity::update_many()
                    .col_expr($table::Column::EventId, Expr::value($a))
                    .filter($table::Column::Id.eq($row.id))
                    .exec($db)
                    .await?;
            }
        }
    }};
}

mod parts;

use parts::parts;

pub async fn merge(
    db: &impl ConnectionTrait,
    into_key: &str,
    from_key: &str,
    expected_version: Option<i32>,
) -> Result<Vec<Audit>, WriteError> {
    let find = |key: String| async move {
        event::Entity::find()
            .filter(event::Column::Key.eq(key))
            .one(db)
            .await
    };
    let into = find(into_key.to_string())
        .await?
        .ok_or_else(|| WriteError::NotFound("no such event (into)".into()))?;
    let from = find(from_key.to_string())
        .await?
        .ok_or_else(|| WriteError::NotFound("no such event (from)".into()))?;
    if into.id == from.id {
        return Err(WriteError::invalid(
            "from",
            "an event cannot be merged into itself",
        ));
    }
    check_version(into.version, expected_version)?;
    let (a, b) = (into.id, from.id);
    // The months the merged-away event's tallies are in: their roll-ups lose it.
    let flows_of_b: Vec<i32> = deportation_flow::Entity::find()
        .filter(deportation_flow::Column::EventId.eq(b))
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.id)
        .collect();
    let cells = crate::service::totals::rollup::cells_of(db, &[b], &flows_of_b).await?;
    let mut touched = BTreeSet::new();
    groups(db, a, b, &mut touched).await?;
    flows(db, a, b, &mut touched).await?;
    parts(db, a, b, &mut touched).await?;
    match (into.total_figure_id, from.total_figure_id) {
        (Some(to), Some(f)) => pool(db, f, to, &mut touched).await?,
        (None, Some(f)) => {
            event::Entity::update_many()
                .col_expr(event::Column::TotalFigureId, Expr::value(f))
                .filter(event::Column::Id.eq(a))
                .exec(db)
                .await?;
        }
        _ => {}
    }
    links(db, a, b).await?;
    // The merged-away event's other rows.
    participant_tally::Entity::delete_many()
        .filter(participant_tally::Column::EventId.eq(b))
        .exec(db)
        .await?;
    event_kind::Entity::delete_many()
        .filter(event_kind::Column::EventId.eq(b))
        .exec(db)
        .await?;
    event_location::Entity::delete_many()
        .filter(event_location::Column::EventId.eq(b))
        .exec(db)
        .await?;
    event::Entity::delete_by_id(b).exec(db).await?;
    for figure in touched {
        if let Some(f) = figure::Entity::find_by_id(figure).one(db).await? {
            resolve_again(db, f).await?;
        }
    }
    redirect::Entity::update_many()
        .col_expr(redirect::Column::ToKey, Expr::value(into.key.clone()))
        .filter(redirect::Column::NodeType.eq("Event"))
        .filter(redirect::Column::ToKey.eq(from.key.clone()))
        .exec(db)
        .await?;
    redirect::ActiveModel {
        id: sea_orm::NotSet,
        node_type: Set("Event".into()),
        from_key: Set(from.key.clone()),
        to_key: Set(into.key.clone()),
    }
    .insert(db)
    .await?;
    let mut survivor: event::ActiveModel = into.clone().into();
    survivor.version = Set(into.version + 1);
    survivor.update(db).await?;
    tallies::recompute(db, a).await?;
    crate::service::totals::rollup::refresh(db, &cells).await?;
    Ok(vec![
        Audit {
            action: ChangeAction::Merged,
            node_type: "Event",
            key: into.key.clone(),
            before: Some(json!({ "version": into.version })),
            after: Some(json!({ "version": into.version + 1, "merged": from.key })),
        },
        Audit {
            action: ChangeAction::Merged,
            node_type: "Event",
            key: from.key.clone(),
            before: Some(json!({ "key": from.key, "title": from.title })),
            after: Some(json!({ "mergedInto": into.key })),
        },
    ])
}

/// Moves the claims of figure `from` to figure `to` and deletes `from`. A claim the other
/// figure holds already (same source, same words) is dropped; the same words read as
/// another number cannot both stand.
pub(super) async fn pool(
    db: &impl ConnectionTrait,
    from: i32,
    to: i32,
    touched: &mut BTreeSet<i32>,
) -> Result<(), WriteError> {
    let held = claims_of(db, to).await?;
    for c in claims_of(db, from).await? {
        match held
            .iter()
            .find(|h| h.source_id == c.source_id && h.quote == c.quote)
        {
            Some(h) if (h.value, h.high, h.qualifier) == (c.value, c.high, c.qualifier) => {
                claim::Entity::delete_by_id(c.id).exec(db).await?;
            }
            Some(_) => {
                return Err(WriteError::invalid(
                    "from",
                    "the two events read the same quote as different numbers; correct one first",
                ));
            }
            None => {
                claim::Entity::update_many()
                    .col_expr(claim::Column::FigureId, Expr::value(to))
                    .filter(claim::Column::Id.eq(c.id))
                    .exec(db)
                    .await?;
            }
        }
    }
    figure::Entity::delete_by_id(from).exec(db).await?;
    touched.insert(to);
    Ok(())
}

/// Optional figures: pooled when both have one, moved when only `from` has.
async fn pool_optional(
    db: &impl ConnectionTrait,
    from: Option<i32>,
    to: Option<i32>,
    touched: &mut BTreeSet<i32>,
) -> Result<Option<i32>, WriteError> {
    Ok(match (from, to) {
        (Some(f), Some(t)) => {
            pool(db, f, t, touched).await?;
            Some(t)
        }
        (Some(f), None) => Some(f),
        (None, t) => t,
    })
}

async fn groups(
    db: &impl ConnectionTrait,
    a: i32,
    b: i32,
    touched: &mut BTreeSet<i32>,
) -> Result<(), WriteError> {
    let of = |event: i32| {
        participant_group::Entity::find()
            .filter(participant_group::Column::EventId.eq(event))
            .order_by_asc(participant_group::Column::Id)
            .all(db)
    };
    let kept = of(a).await?;
    for g in of(b).await? {
        let twin = kept.iter().find(|k| {
            (&k.nationality_code, k.role, k.status) == (&g.nationality_code, g.role, g.status)
        });
        let Some(twin) = twin else {
            participant_group::Entity::update_many()
                .col_expr(participant_group::Column::EventId, Expr::value(a))
                .filter(participant_group::Column::Id.eq(g.id))
                .exec(db)
                .await?;
            continue;
        };
        pool(db, g.count_figure_id, twin.count_figure_id, touched).await?;
        let women = pool_optional(db, g.women_figure_id, twin.women_figure_id, touched).await?;
        participant_group::Entity::update_many()
            .col_expr(participant_group::Column::WomenFigureId, Expr::value(women))
            .filter(participant_group::Column::Id.eq(twin.id))
            .exec(db)
            .await?;
        for (column, other) in [
            (
                participant_link::Column::GroupId,
                participant_link::Column::LinkedGroupId,
            ),
            (
                participant_link::Column::LinkedGroupId,
                participant_link::Column::GroupId,
            ),
        ] {
            participant_link::Entity::update_many()
                .col_expr(column, Expr::value(twin.id))
                .filter(column.eq(g.id))
                .filter(other.ne(twin.id))
                .exec(db)
                .await?;
        }
        participant_link::Entity::delete_many()
            .filter(
                participant_link::Column::GroupId
                    .eq(g.id)
                    .or(participant_link::Column::LinkedGroupId.eq(g.id)),
            )
            .exec(db)
            .await?;
        participant_group::Entity::delete_by_id(g.id)
            .exec(db)
            .await?;
    }
    Ok(())
}

async fn flows(
    db: &impl ConnectionTrait,
    a: i32,
    b: i32,
    touched: &mut BTreeSet<i32>,
) -> Result<(), WriteError> {
    let of = |event: i32| {
        deportation_flow::Entity::find()
            .filter(deportation_flow::Column::EventId.eq(event))
            .all(db)
    };
    let kept = of(a).await?;
    for f in of(b).await? {
        let twin = kept
            .iter()
            .find(|k| (&k.from_code, &k.to_code, k.kind) == (&f.from_code, &f.to_code, f.kind));
        let Some(twin) = twin else {
            deportation_flow::Entity::update_many()
                .col_expr(deportation_flow::Column::EventId, Expr::value(a))
                .filter(deportation_flow::Column::Id.eq(f.id))
                .exec(db)
                .await?;
            continue;
        };
        let count = pool_optional(db, f.count_figure_id, twin.count_figure_id, touched).await?;
        deportation_flow::Entity::update_many()
            .col_expr(deportation_flow::Column::CountFigureId, Expr::value(count))
            .filter(deportation_flow::Column::Id.eq(twin.id))
            .exec(db)
            .await?;
        let split = |flow: i32| {
            flow_nationality::Entity::find()
                .filter(flow_nationality::Column::FlowId.eq(flow))
                .all(db)
        };
        let kept_split = split(twin.id).await?;
        for part in split(f.id).await? {
            match kept_split
                .iter()
                .find(|k| k.nationality_code == part.nationality_code)
            {
                Some(k) => {
                    pool(db, part.count_figure_id, k.count_figure_id, touched).await?;
                    flow_nationality::Entity::delete_by_id(part.id)
                        .exec(db)
                        .await?;
                }
                None => {
                    flow_nationality::Entity::update_many()
                        .col_expr(flow_nationality::Column::FlowId, Expr::value(twin.id))
                        .filter(flow_nationality::Column::Id.eq(part.id))
                        .exec(db)
                        .await?;
                }
            }
        }
        flow_tally::Entity::delete_many()
            .filter(flow_tally::Column::FlowId.eq(f.id))
            .exec(db)
            .await?;
        deportation_flow::Entity::delete_by_id(f.id)
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Relations between the two go; the rest point at the survivor.
async fn links(db: &impl ConnectionTrait, a: i32, b: i32) -> Result<(), DbErr> {
    event_relation::Entity::delete_many()
        .filter(
            (event_relation::Column::EventId
                .eq(a)
                .and(event_relation::Column::RelatedEventId.eq(b)))
            .or(event_relation::Column::EventId
                .eq(b)
                .and(event_relation::Column::RelatedEventId.eq(a))),
        )
        .exec(db)
        .await?;
    for column in [
        event_relation::Column::EventId,
        event_relation::Column::RelatedEventId,
    ] {
        event_relation::Entity::update_many()
            .col_expr(column, Expr::value(a))
            .filter(column.eq(b))
            .exec(db)
            .await?;
    }
    Ok(())
}

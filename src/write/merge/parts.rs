//! The parts of two events that pool or simply move when they merge: seizures and money
//! (pooled by item, and by measure and currency), citations, agencies, people, statements,
//! kinds and places (the survivor's place is then their most specific common one).

use super::pool;
use crate::write::WriteError;
use entity::*;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use std::collections::BTreeSet;

/// Seizures and money (pooled by item, and by measure and currency), then the rows that
/// simply move: citations, agencies, people, statements, kinds and places.
pub(super) async fn parts(
    db: &impl ConnectionTrait,
    a: i32,
    b: i32,
    touched: &mut BTreeSet<i32>,
) -> Result<(), WriteError> {
    let kept = seizure::Entity::find()
        .filter(seizure::Column::EventId.eq(a))
        .all(db)
        .await?;
    for s in seizure::Entity::find()
        .filter(seizure::Column::EventId.eq(b))
        .all(db)
        .await?
    {
        match kept.iter().find(|k| k.item == s.item) {
            Some(k) => {
                pool(db, s.quantity_figure_id, k.quantity_figure_id, touched).await?;
                seizure::Entity::delete_by_id(s.id).exec(db).await?;
            }
            None => {
                seizure::Entity::update_many()
                    .col_expr(seizure::Column::EventId, Expr::value(a))
                    .filter(seizure::Column::Id.eq(s.id))
                    .exec(db)
                    .await?;
            }
        }
    }
    let kept = money_figure::Entity::find()
        .filter(money_figure::Column::EventId.eq(a))
        .all(db)
        .await?;
    for m in money_figure::Entity::find()
        .filter(money_figure::Column::EventId.eq(b))
        .all(db)
        .await?
    {
        match kept
            .iter()
            .find(|k| (k.measure, &k.currency) == (m.measure, &m.currency))
        {
            Some(k) => {
                pool(db, m.amount_figure_id, k.amount_figure_id, touched).await?;
                money_figure::Entity::delete_by_id(m.id).exec(db).await?;
            }
            None => {
                money_figure::Entity::update_many()
                    .col_expr(money_figure::Column::EventId, Expr::value(a))
                    .filter(money_figure::Column::Id.eq(m.id))
                    .exec(db)
                    .await?;
            }
        }
    }
    citation::Entity::update_many()
        .col_expr(citation::Column::EventId, Expr::value(a))
        .filter(citation::Column::EventId.eq(b))
        .exec(db)
        .await?;
    statement::Entity::update_many()
        .col_expr(statement::Column::EventId, Expr::value(a))
        .filter(statement::Column::EventId.eq(b))
        .exec(db)
        .await?;
    repoint!(db, event_agency, a, b, |l| (l.agency_id, l.role));
    repoint!(db, event_person, a, b, |l| (l.person_id, l.role));
    let kinds: BTreeSet<_> = event_kind::Entity::find()
        .filter(event_kind::Column::EventId.eq(a))
        .all(db)
        .await?
        .into_iter()
        .map(|k| k.kind)
        .collect();
    for k in event_kind::Entity::find()
        .filter(event_kind::Column::EventId.eq(b))
        .all(db)
        .await?
    {
        if !kinds.contains(&k.kind) {
            event_kind::ActiveModel {
                event_id: Set(a),
                kind: Set(k.kind),
            }
            .insert(db)
            .await?;
        }
    }
    let places: BTreeSet<i32> = event_location::Entity::find()
        .filter(event_location::Column::EventId.is_in([a, b]))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.location_id)
        .collect();
    for l in event_location::Entity::find()
        .filter(event_location::Column::EventId.eq(b))
        .all(db)
        .await?
    {
        let held = event_location::Entity::find()
            .filter(event_location::Column::EventId.eq(a))
            .filter(event_location::Column::LocationId.eq(l.location_id))
            .one(db)
            .await?;
        if held.is_none() {
            event_location::ActiveModel {
                event_id: Set(a),
                location_id: Set(l.location_id),
            }
            .insert(db)
            .await?;
        }
    }
    let location = common_ancestor(db, &places).await?;
    event::Entity::update_many()
        .col_expr(event::Column::LocationId, Expr::value(location))
        .filter(event::Column::Id.eq(a))
        .exec(db)
        .await?;
    Ok(())
}

/// The most specific place containing all of `places` (the loader's rule), by the closure.
async fn common_ancestor(
    db: &impl ConnectionTrait,
    places: &BTreeSet<i32>,
) -> Result<Option<i32>, DbErr> {
    let mut chains = Vec::new();
    for place in places {
        let chain: Vec<i32> = location_closure::Entity::find()
            .filter(location_closure::Column::DescendantId.eq(*place))
            .order_by_asc(location_closure::Column::Depth)
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.ancestor_id)
            .collect();
        chains.push(chain);
    }
    let Some(first) = chains.first() else {
        return Ok(None);
    };
    Ok(first
        .iter()
        .copied()
        .find(|candidate| chains.iter().all(|c| c.contains(candidate))))
}

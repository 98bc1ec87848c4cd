//! Finding the figure a claim is about from its owner (a group, a flow, a flow's nationality,
//! a seizure, a money figure, an event's total, a statistic), and the owner of a figure.

use crate::write::{FigureOwner, WriteError};
use entity::enums::Qualifier;
use entity::*;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

/// A figure's owner, found: its figure (if it has one yet), its event, and the uid its
/// claims' uids start with.
pub(super) struct Owned {
    pub(super) figure: Option<i32>,
    pub(super) event: Option<event::Model>,
    pub(super) statistic: Option<statistic::Model>,
    /// `<owner uid>.count`: a claim's uid is this and its index.
    pub(super) claims_uid: String,
}

async fn event_by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<event::Model>, DbErr> {
    event::Entity::find_by_id(id).one(db).await
}

pub(super) async fn find(
    db: &impl ConnectionTrait,
    owner: &FigureOwner,
) -> Result<Owned, WriteError> {
    let missing = |what: &str| WriteError::NotFound(format!("no such {what}"));
    let owned = |figure, event, claims_uid: String| Owned {
        figure,
        event,
        statistic: None,
        claims_uid,
    };
    Ok(match owner {
        FigureOwner::GroupCount(uid) | FigureOwner::GroupWomen(uid) => {
            let g = participant_group::Entity::find()
                .filter(participant_group::Column::Uid.eq(uid.as_str()))
                .one(db)
                .await?
                .ok_or_else(|| missing("participant group"))?;
            let event = event_by_id(db, g.event_id).await?;
            if matches!(owner, FigureOwner::GroupWomen(_)) {
                owned(g.women_figure_id, event, format!("{uid}.women"))
            } else {
                owned(Some(g.count_figure_id), event, format!("{uid}.count"))
            }
        }
        FigureOwner::Flow(uid) => {
            let flow = deportation_flow::Entity::find()
                .filter(deportation_flow::Column::Uid.eq(uid.as_str()))
                .one(db)
                .await?
                .ok_or_else(|| missing("deportation flow"))?;
            let event = event_by_id(db, flow.event_id).await?;
            owned(flow.count_figure_id, event, format!("{uid}.count"))
        }
        FigureOwner::FlowNationality(uid) => {
            let part = flow_nationality::Entity::find()
                .filter(flow_nationality::Column::Uid.eq(uid.as_str()))
                .one(db)
                .await?
                .ok_or_else(|| missing("flow nationality"))?;
            let flow = deportation_flow::Entity::find_by_id(part.flow_id)
                .one(db)
                .await?
                .ok_or_else(|| missing("deportation flow"))?;
            let event = event_by_id(db, flow.event_id).await?;
            owned(Some(part.count_figure_id), event, format!("{uid}.count"))
        }
        FigureOwner::Seizure(uid) => {
            let s = seizure::Entity::find()
                .filter(seizure::Column::Uid.eq(uid.as_str()))
                .one(db)
                .await?
                .ok_or_else(|| missing("seizure"))?;
            let event = event_by_id(db, s.event_id).await?;
            owned(Some(s.quantity_figure_id), event, format!("{uid}.quantity"))
        }
        FigureOwner::Money(uid) => {
            let m = money_figure::Entity::find()
                .filter(money_figure::Column::Uid.eq(uid.as_str()))
                .one(db)
                .await?
                .ok_or_else(|| missing("money figure"))?;
            let event = event_by_id(db, m.event_id).await?;
            owned(Some(m.amount_figure_id), event, format!("{uid}.amount"))
        }
        FigureOwner::EventTotal(key) => {
            let e = event::Entity::find()
                .filter(event::Column::Key.eq(key.as_str()))
                .one(db)
                .await?
                .ok_or_else(|| missing("event"))?;
            owned(e.total_figure_id, Some(e.clone()), format!("{key}/total"))
        }
        FigureOwner::Statistic(key) => {
            let s = statistic::Entity::find()
                .filter(statistic::Column::Key.eq(key.as_str()))
                .one(db)
                .await?
                .ok_or_else(|| missing("statistic"))?;
            Owned {
                figure: Some(s.figure_id),
                event: None,
                claims_uid: format!("{key}/figure"),
                statistic: Some(s),
            }
        }
    })
}

/// A new, empty figure for an owner that had none (a group's women, a flow's count, an
/// event's total), set on its owner.
pub(super) async fn create_figure(
    db: &impl ConnectionTrait,
    owner: &FigureOwner,
    owned: &Owned,
) -> Result<figure::Model, WriteError> {
    let figure = figure::ActiveModel {
        id: sea_orm::NotSet,
        value: Set(None),
        low: Set(None),
        high: Set(None),
        qualifier: Set(Qualifier::Unknown),
        derived: Set(false),
        version: Set(0),
    }
    .insert(db)
    .await?;
    match owner {
        FigureOwner::GroupWomen(uid) => {
            participant_group::Entity::update_many()
                .col_expr(
                    participant_group::Column::WomenFigureId,
                    sea_orm::sea_query::Expr::value(figure.id),
                )
                .filter(participant_group::Column::Uid.eq(uid.as_str()))
                .exec(db)
                .await?;
        }
        FigureOwner::Flow(uid) => {
            deportation_flow::Entity::update_many()
                .col_expr(
                    deportation_flow::Column::CountFigureId,
                    sea_orm::sea_query::Expr::value(figure.id),
                )
                .filter(deportation_flow::Column::Uid.eq(uid.as_str()))
                .exec(db)
                .await?;
        }
        FigureOwner::EventTotal(_) => {
            if let Some(e) = &owned.event {
                event::Entity::update_many()
                    .col_expr(
                        event::Column::TotalFigureId,
                        sea_orm::sea_query::Expr::value(figure.id),
                    )
                    .filter(event::Column::Id.eq(e.id))
                    .exec(db)
                    .await?;
            }
        }
        _ => return Err(DbErr::Custom("a required figure is missing".into()).into()),
    }
    Ok(figure)
}

/// The owner of a figure, for re-tallying after a retraction.
pub(super) async fn owner_of(db: &impl ConnectionTrait, figure: i32) -> Result<Owned, DbErr> {
    let mut event_id = None;
    if let Some(g) = participant_group::Entity::find()
        .filter(
            participant_group::Column::CountFigureId
                .eq(figure)
                .or(participant_group::Column::WomenFigureId.eq(figure)),
        )
        .one(db)
        .await?
    {
        event_id = Some(g.event_id);
    } else if let Some(fl) = deportation_flow::Entity::find()
        .filter(deportation_flow::Column::CountFigureId.eq(figure))
        .one(db)
        .await?
    {
        event_id = Some(fl.event_id);
    } else if let Some(part) = flow_nationality::Entity::find()
        .filter(flow_nationality::Column::CountFigureId.eq(figure))
        .one(db)
        .await?
    {
        event_id = deportation_flow::Entity::find_by_id(part.flow_id)
            .one(db)
            .await?
            .map(|f| f.event_id);
    } else if let Some(s) = seizure::Entity::find()
        .filter(seizure::Column::QuantityFigureId.eq(figure))
        .one(db)
        .await?
    {
        event_id = Some(s.event_id);
    } else if let Some(m) = money_figure::Entity::find()
        .filter(money_figure::Column::AmountFigureId.eq(figure))
        .one(db)
        .await?
    {
        event_id = Some(m.event_id);
    } else if let Some(e) = event::Entity::find()
        .filter(event::Column::TotalFigureId.eq(figure))
        .one(db)
        .await?
    {
        event_id = Some(e.id);
    }
    let event = match event_id {
        Some(id) => event_by_id(db, id).await?,
        None => None,
    };
    let statistic = match &event {
        Some(_) => None,
        None => {
            statistic::Entity::find()
                .filter(statistic::Column::FigureId.eq(figure))
                .one(db)
                .await?
        }
    };
    Ok(Owned {
        figure: Some(figure),
        event,
        statistic,
        claims_uid: format!("figure {figure}"),
    })
}

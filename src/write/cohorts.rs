//! Linking a group to a group of another event as the same people, or part of them (the
//! data-truth rule's cohorts), with the loader's checks: another event, headline stages
//! only, a part no larger than its whole, one link per group, a quote in its source.

use super::{Audit, WriteError};
use crate::ingest::build::partial::{Known, References};
use crate::ingest::format as f;
use crate::ingest::tallies;
use crate::tally::headline;
use entity::enums::{ChangeAction, CohortRelation, Qualifier};
use entity::*;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use serde_json::json;
use std::collections::HashMap;

/// A link to write: `group` (a uid) is `relation` of `linked` (a uid), as `source` says.
pub struct Link<'a> {
    pub group: &'a str,
    pub linked: &'a str,
    pub relation: CohortRelation,
    pub source: &'a str,
    pub quote: &'a str,
}

async fn group(
    db: &impl ConnectionTrait,
    uid: &str,
    field: &str,
) -> Result<participant_group::Model, WriteError> {
    participant_group::Entity::find()
        .filter(participant_group::Column::Uid.eq(uid))
        .one(db)
        .await?
        .ok_or_else(|| WriteError::invalid(field, format!("{field}: no such participant group")))
}

/// Whether `g` is its event's headline stage, by the rule totals use.
async fn is_headline(
    db: &impl ConnectionTrait,
    g: &participant_group::Model,
) -> Result<bool, DbErr> {
    let groups = participant_group::Entity::find()
        .filter(participant_group::Column::EventId.eq(g.event_id))
        .all(db)
        .await?;
    let values: HashMap<i32, Option<i64>> = figure::Entity::find()
        .filter(figure::Column::Id.is_in(groups.iter().map(|g| g.count_figure_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.value))
        .collect();
    let flags = headline(&groups, |g| {
        values.get(&g.count_figure_id).copied().flatten()
    });
    Ok(groups.iter().zip(flags).any(|(o, h)| o.id == g.id && h))
}

async fn value(db: &impl ConnectionTrait, figure: i32) -> Result<Option<i64>, DbErr> {
    Ok(figure::Entity::find_by_id(figure)
        .one(db)
        .await?
        .and_then(|f| f.value))
}

pub async fn link(db: &impl ConnectionTrait, l: Link<'_>) -> Result<Vec<Audit>, WriteError> {
    let this = group(db, l.group, "group").await?;
    let other = group(db, l.linked, "to").await?;
    if this.event_id == other.event_id {
        return Err(WriteError::invalid(
            "to",
            "to: a group of the same event (stages of one event are the same people already)",
        ));
    }
    let taken = participant_link::Entity::find()
        .filter(participant_link::Column::GroupId.eq(this.id))
        .one(db)
        .await?;
    if taken.is_some() {
        return Err(WriteError::invalid(
            "group",
            "group: is linked already (one link per group)",
        ));
    }
    for (field, g) in [("group", &this), ("to", &other)] {
        if !is_headline(db, g).await? {
            return Err(WriteError::invalid(
                field,
                format!(
                    "{field}: not its event's headline stage (for its role, the status with the \
                     most people); link that stage instead"
                ),
            ));
        }
    }
    if l.relation == CohortRelation::PartOf
        && let (Some(part), Some(whole)) = (
            value(db, this.count_figure_id).await?,
            value(db, other.count_figure_id).await?,
        )
        && part > whole
    {
        return Err(WriteError::invalid(
            "relation",
            format!("relation: a part ({part}) larger than its whole ({whole})"),
        ));
    }
    // The quote is checked as a claim's is, in its source's text.
    let refs = References {
        sources: [l.source.to_string()].into(),
        ..Default::default()
    };
    let known: Known = super::known::read(db, &refs).await?;
    let claim = f::Claim {
        value: None,
        high: None,
        qualifier: Qualifier::Unknown,
        derived: false,
        note: None,
        source: l.source.to_string(),
        quote: l.quote.to_string(),
    };
    let checked =
        crate::ingest::build::partial::check_claim(&known, ("events.toml", "event", ""), &claim)
            .map_err(|e| match WriteError::from(e) {
                WriteError::Invalid { message, .. } => WriteError::Invalid {
                    message: message.replace("claim: ", ""),
                    field: Some("quote".into()),
                },
                other => other,
            })?;
    let uid = format!("{}.cohort", this.uid);
    participant_link::Entity::insert(participant_link::ActiveModel {
        id: sea_orm::NotSet,
        uid: Set(uid.clone()),
        group_id: Set(this.id),
        linked_group_id: Set(other.id),
        relation: Set(l.relation),
        source_id: Set(checked.source_id),
        quote: Set(l.quote.to_string()),
    })
    .exec_without_returning(db)
    .await?;
    tallies::recompute(db, this.event_id).await?;
    let event = event::Entity::find_by_id(this.event_id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("event {}", this.event_id)))?;
    Ok(vec![Audit {
        action: ChangeAction::Updated,
        node_type: "Event",
        key: event.key,
        before: None,
        after: Some(json!({ "cohort": { "group": this.uid, "linked": other.uid,
            "relation": l.relation.as_str(), "source": l.source, "quote": l.quote } })),
    }])
}

//! Adding a claim to a figure (a second source reports the same number otherwise) and
//! retracting one: the figure is resolved again from its claims and its event re-tallied.

mod owners;

use super::{Audit, FigureOwner, WriteError, known};
use crate::figure::{ClaimValue, resolve};
use crate::ingest::build::partial::{Known, References, check_claim};
use crate::ingest::format as f;
use crate::ingest::tallies;
use entity::enums::{ChangeAction, Qualifier};
use entity::*;
use owners::{Owned, create_figure, find, owner_of};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use serde_json::json;

pub async fn add(
    db: &impl ConnectionTrait,
    owner: &FigureOwner,
    claim: &f::Claim,
    expected_version: Option<i32>,
) -> Result<Vec<Audit>, WriteError> {
    let owned = find(db, owner).await?;
    let figure = match owned.figure {
        Some(id) => Some(
            figure::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| DbErr::RecordNotFound(format!("figure {id}")))?,
        ),
        None => None,
    };
    check_version(figure.as_ref().map_or(0, |f| f.version), expected_version)?;
    let refs = References {
        sources: [claim.source.clone()].into(),
        ..Default::default()
    };
    let known: Known = known::read(db, &refs).await?;
    let record = match (&owned.event, &owned.statistic) {
        (Some(e), _) => ("events.toml", "event", e.key.as_str()),
        (_, Some(s)) => ("statistics.toml", "statistic", s.key.as_str()),
        _ => ("events.toml", "event", ""),
    };
    let mut row = check_claim(&known, record, claim)?;
    let existing = match &figure {
        Some(f) => claims_of(db, f.id).await?,
        None => Vec::new(),
    };
    if existing
        .iter()
        .any(|c| c.source_id == row.source_id && c.quote == row.quote)
    {
        return Err(WriteError::invalid(
            "claim.quote",
            format!(
                "the figure has a claim from source \"{}\" on this quote already (one claim per \
                 source per wording)",
                claim.source
            ),
        ));
    }
    let figure = match figure {
        Some(f) => f,
        None => create_figure(db, owner, &owned).await?,
    };
    row.figure_id = figure.id;
    row.uid = free_uid(db, &owned.claims_uid, existing.len()).await?;
    let uid = row.uid.clone();
    let mut active = claim::ActiveModel::from(row);
    active.id = sea_orm::NotSet;
    claim::Entity::insert(active)
        .exec_without_returning(db)
        .await?;
    let (before, after) = resolve_again(db, figure).await?;
    if let Some(event) = &owned.event {
        tallies::recompute(db, event.id).await?;
    }
    let mut audits = vec![Audit {
        action: ChangeAction::Created,
        node_type: "Claim",
        key: uid,
        before: None,
        after: super::apply::json(claim),
    }];
    audits.extend(owner_audit(&owned, before, after));
    Ok(audits)
}

pub async fn retract(
    db: &impl ConnectionTrait,
    uid: &str,
    expected_version: Option<i32>,
) -> Result<Vec<Audit>, WriteError> {
    let claim = claim::Entity::find()
        .filter(claim::Column::Uid.eq(uid))
        .one(db)
        .await?
        .ok_or_else(|| WriteError::NotFound("no such claim".into()))?;
    let figure = figure::Entity::find_by_id(claim.figure_id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("figure {}", claim.figure_id)))?;
    check_version(figure.version, expected_version)?;
    let mut owned = owner_of(db, figure.id).await?;
    if let Some((prefix, _)) = claim.uid.rsplit_once('[') {
        owned.claims_uid = prefix.to_string();
    }
    let others = claims_of(db, figure.id).await?.len() - 1;
    if others == 0 {
        return Err(WriteError::invalid(
            "id",
            "this is the figure's only claim: add the corrected claim first, or retract the \
             event",
        ));
    }
    let source = source::Entity::find_by_id(claim.source_id).one(db).await?;
    let before_claim = json!({
        "value": claim.value, "high": claim.high, "qualifier": claim.qualifier.as_str(),
        "source": source.map(|s| s.key), "quote": claim.quote,
    });
    claim::Entity::delete_by_id(claim.id).exec(db).await?;
    let (before, after) = resolve_again(db, figure).await?;
    if let Some(event) = &owned.event {
        tallies::recompute(db, event.id).await?;
    }
    let mut audits = vec![Audit {
        action: ChangeAction::Retracted,
        node_type: "Claim",
        key: claim.uid,
        before: Some(before_claim),
        after: None,
    }];
    audits.extend(owner_audit(&owned, before, after));
    Ok(audits)
}

/// A change made against `expected` fails when the record is at another version.
pub(super) fn check_version(current: i32, expected: Option<i32>) -> Result<(), WriteError> {
    match expected {
        Some(v) if v != current => Err(WriteError::Conflict(format!(
            "the record is at version {current}, not {v}: it changed since you read it; read it \
             again and redo the change"
        ))),
        _ => Ok(()),
    }
}

pub(super) async fn claims_of(
    db: &impl ConnectionTrait,
    figure: i32,
) -> Result<Vec<claim::Model>, DbErr> {
    claim::Entity::find()
        .filter(claim::Column::FigureId.eq(figure))
        .order_by_asc(claim::Column::Id)
        .all(db)
        .await
}

/// `<prefix>[n]` for the first n from `from` that no claim has, nor had (a retracted claim's
/// ID never names another).
async fn free_uid(db: &impl ConnectionTrait, prefix: &str, from: usize) -> Result<String, DbErr> {
    for n in from.. {
        let uid = format!("{prefix}[{n}]");
        let taken = claim::Entity::find()
            .filter(claim::Column::Uid.eq(uid.as_str()))
            .one(db)
            .await?
            .is_some();
        if !taken && !super::audit::retired(db, "Claim", &uid).await? {
            return Ok(uid);
        }
    }
    Err(DbErr::Custom("no free claim uid".into()))
}

/// Resolves a figure from its claims again and bumps its version; returns its reading
/// before and after.
pub(super) async fn resolve_again(
    db: &impl ConnectionTrait,
    figure: figure::Model,
) -> Result<(serde_json::Value, serde_json::Value), DbErr> {
    let values: Vec<ClaimValue> = claims_of(db, figure.id)
        .await?
        .iter()
        .map(|c| ClaimValue {
            value: c.value,
            high: c.high,
            qualifier: c.qualifier,
            derived: c.derived,
        })
        .collect();
    let r = resolve(&values);
    let reading = |value: Option<i64>, low, high, q: Qualifier, version| json!({ "value": value, "low": low, "high": high, "qualifier": q.as_str(), "version": version });
    let before = reading(
        figure.value,
        figure.low,
        figure.high,
        figure.qualifier,
        figure.version,
    );
    let after = reading(r.value, r.low, r.high, r.qualifier, figure.version + 1);
    let mut active: figure::ActiveModel = figure.clone().into();
    active.value = Set(r.value);
    active.low = Set(r.low);
    active.high = Set(r.high);
    active.qualifier = Set(r.qualifier);
    active.derived = Set(r.derived);
    active.version = Set(figure.version + 1);
    active.update(db).await?;
    Ok((before, after))
}

/// The owner's audit row: its figure's reading before and after.
fn owner_audit(
    owned: &Owned,
    before: serde_json::Value,
    after: serde_json::Value,
) -> Option<Audit> {
    let (node_type, key) = match (&owned.event, &owned.statistic) {
        (Some(e), _) => ("Event", e.key.clone()),
        (_, Some(s)) => ("Statistic", s.key.clone()),
        _ => return None,
    };
    let figure = owned.claims_uid.clone();
    Some(Audit {
        action: ChangeAction::Updated,
        node_type,
        key,
        before: Some(json!({ "figure": figure, "reading": before })),
        after: Some(json!({ "figure": figure, "reading": after })),
    })
}

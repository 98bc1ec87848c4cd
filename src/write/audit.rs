//! The audit trail: one `change` row per record a published change created, changed or
//! retracted, with the record before and after (as JSON), who published it, why, and
//! under which proposal. A retraction's row has no `after`: it is the record's tombstone.

use crate::auth::Actor;
use chrono::Utc;
use entity::change;
use entity::enums::ChangeAction;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::Value;

/// What a change did to one record.
#[derive(Clone, Debug)]
pub struct Audit {
    pub action: ChangeAction,
    /// The record's GraphQL type (`Event`).
    pub node_type: &'static str,
    /// Its stable key.
    pub key: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Writes the audit rows of one published change.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    proposal_id: i32,
    reason: Option<String>,
    audits: Vec<Audit>,
) -> Result<(), DbErr> {
    let at = Utc::now();
    let mut rows = audits.into_iter().map(|a| change::ActiveModel {
        id: sea_orm::NotSet,
        at: Set(at),
        actor: Set(actor.name.clone()),
        action: Set(a.action),
        node_type: Set(a.node_type.to_string()),
        node_key: Set(a.key),
        before: Set(a.before.map(|v| v.to_string())),
        after: Set(a.after.map(|v| v.to_string())),
        reason: Set(reason.clone()),
        proposal_id: Set(Some(proposal_id)),
        key_id: Set(Some(actor.key_id)),
    });
    // An import's thousands of rows go in a few statements, in order (ids are commit order).
    loop {
        let chunk: Vec<change::ActiveModel> = rows.by_ref().take(AUDITS_PER_STATEMENT).collect();
        if chunk.is_empty() {
            return Ok(());
        }
        change::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
}

/// Audit rows per INSERT: 11 columns each, well under SQLite's and PostgreSQL's limits on
/// bound parameters.
const AUDITS_PER_STATEMENT: usize = 500;

/// The first record a published proposal changed: (GraphQL type, key).
pub async fn published_node(
    db: &impl ConnectionTrait,
    proposal_id: i32,
) -> Result<Option<(&'static str, String)>, DbErr> {
    let first = change::Entity::find()
        .filter(change::Column::ProposalId.eq(proposal_id))
        .order_by_asc(change::Column::Id)
        .one(db)
        .await?;
    Ok(first.and_then(|c| Some((node_type(&c.node_type)?, c.node_key))))
}

/// The static name of a type the audit trail records.
pub fn node_type(name: &str) -> Option<&'static str> {
    ["Event", "Source", "Person", "Statistic", "Claim"]
        .into_iter()
        .find(|t| *t == name)
}

/// Whether a record of this type and key was ever retracted: its key is not given again.
pub async fn retired(db: &impl ConnectionTrait, node_type: &str, key: &str) -> Result<bool, DbErr> {
    Ok(change::Entity::find()
        .filter(change::Column::NodeType.eq(node_type))
        .filter(change::Column::NodeKey.eq(key))
        .filter(change::Column::Action.eq(ChangeAction::Retracted))
        .one(db)
        .await?
        .is_some())
}

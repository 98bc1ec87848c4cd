//! The write path: partners' changes, checked by the loader's own rules, stored as proposals,
//! published by editors, and recorded in the audit trail. Every change runs in one
//! transaction under the write lock (`lock`): its records, the tallies of every event it
//! touches, its proposal, its audit rows and its idempotency record, or nothing.

mod apply;
mod audit;
mod claims;
mod cohorts;
mod error;
mod events;
pub mod import;
pub mod job;
pub mod known;
pub mod lock;
mod merge;

use crate::auth::Actor;
use crate::ingest::format as f;
use crate::ingest::write::{Progress, quietly};
use chrono::Utc;
use entity::enums::{ProposalStatus, Role, Status};
use entity::{idempotency, proposal};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use audit::Audit;
pub use error::WriteError;

/// What owns a figure a claim is added to, by stable key (`uid` for parts of events).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE", tag = "type", content = "key")]
pub enum FigureOwner {
    /// A participant group's count.
    GroupCount(String),
    /// A participant group's count of women.
    GroupWomen(String),
    /// A deportation flow's count.
    Flow(String),
    /// One nationality's share of a flow.
    FlowNationality(String),
    Seizure(String),
    Money(String),
    /// An event's total of people.
    EventTotal(String),
    Statistic(String),
}

/// A change to the dataset, as a proposal stores it and publishing applies it. Records are
/// named by their stable keys (uids for the parts of events), as in `data/`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE", tag = "kind")]
pub enum Change {
    CreateSource {
        source: f::Source,
        text: String,
    },
    CreatePerson {
        person: f::Person,
    },
    CreateEvent {
        event: f::Event,
    },
    CreateStatistic {
        statistic: f::Statistic,
    },
    AddClaim {
        owner: FigureOwner,
        claim: f::Claim,
        expected_version: Option<i32>,
    },
    RetractClaim {
        claim: String,
        reason: String,
        expected_version: Option<i32>,
    },
    RetractEvent {
        event: String,
        reason: String,
        expected_version: Option<i32>,
    },
    CorrectEvent {
        event: String,
        reason: String,
        expected_version: i32,
        title: Option<String>,
        summary: Option<String>,
        date: Option<f::DateSpan>,
        status: Option<Status>,
    },
    LinkCohort {
        group: String,
        linked: String,
        relation: entity::enums::CohortRelation,
        source: String,
        quote: String,
    },
    MergeEvents {
        into: String,
        from: String,
        reason: String,
        expected_version: Option<i32>,
    },
    ImportDataset {
        records: Box<import::Imported>,
    },
}

impl Change {
    /// The mutation's name, as proposals show it (`CREATE_EVENT`).
    pub fn kind(&self) -> &'static str {
        match self {
            Change::CreateSource { .. } => "CREATE_SOURCE",
            Change::CreatePerson { .. } => "CREATE_PERSON",
            Change::CreateEvent { .. } => "CREATE_EVENT",
            Change::CreateStatistic { .. } => "CREATE_STATISTIC",
            Change::AddClaim { .. } => "ADD_CLAIM",
            Change::RetractClaim { .. } => "RETRACT_CLAIM",
            Change::RetractEvent { .. } => "RETRACT_EVENT",
            Change::CorrectEvent { .. } => "CORRECT_EVENT",
            Change::MergeEvents { .. } => "MERGE_EVENTS",
            Change::LinkCohort { .. } => "LINK_COHORT",
            Change::ImportDataset { .. } => "IMPORT_DATASET",
        }
    }

    /// One line saying what the change does.
    pub fn summary(&self) -> String {
        let shown = |s: &str| s.chars().take(80).collect::<String>();
        match self {
            Change::CreateSource { source, .. } => format!("add source {}", shown(&source.key)),
            Change::CreatePerson { person } => format!("add person {}", shown(&person.key)),
            Change::CreateEvent { event } => format!("add event {}", shown(&event.key)),
            Change::CreateStatistic { statistic } => {
                format!("add statistic {}", shown(&statistic.key))
            }
            Change::AddClaim { claim, .. } => {
                format!("add a claim from source {}", shown(&claim.source))
            }
            Change::RetractClaim { claim, .. } => format!("retract claim {}", shown(claim)),
            Change::RetractEvent { event, .. } => format!("retract event {}", shown(event)),
            Change::CorrectEvent { event, .. } => format!("correct event {}", shown(event)),
            Change::LinkCohort { group, linked, .. } => {
                format!("link group {} to {}", shown(group), shown(linked))
            }
            Change::ImportDataset { records } => format!(
                "import {} sources, {} people, {} events, {} statistics",
                records.sources.len(),
                records.people.len(),
                records.events.len(),
                records.statistics.len()
            ),
            Change::MergeEvents { into, from, .. } => {
                format!("merge event {} into {}", shown(from), shown(into))
            }
        }
    }

    fn digest(&self) -> Result<String, WriteError> {
        let json = serde_json::to_vec(self)
            .map_err(|e| WriteError::Database(DbErr::Custom(format!("a change as JSON: {e}"))))?;
        Ok(Sha256::digest(&json)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect())
    }
}

/// What a submitted change came to.
#[derive(Clone, Debug)]
pub struct Submitted {
    pub proposal: proposal::Model,
    /// The record the change created or changed, once published: (GraphQL type, key).
    pub node: Option<(&'static str, String)>,
}

/// How a change is submitted, beyond what it is.
#[derive(Clone, Copy)]
pub struct Submission<'a> {
    /// Makes a retry safe: a retry with the same change returns the first result; another
    /// change is refused.
    pub idempotency_key: Option<&'a str>,
    /// Hears how many rows are written of how many (an import's progress).
    pub progress: Progress<'a>,
    /// The import job this change is the work of: marked SUCCEEDED in the change's own
    /// transaction, so a job is finished exactly when its change is committed.
    pub job: Option<job::Running<'a>>,
}

impl Default for Submission<'_> {
    fn default() -> Self {
        Submission {
            idempotency_key: None,
            progress: &crate::ingest::write::quietly,
            job: None,
        }
    }
}

/// Submits `change` as `actor`: an editor's change is published at once, a contributor's is
/// checked (applied and rolled back) and stored as a pending proposal. With an idempotency
/// key, a retry with the same change returns the first result; another change is refused.
pub async fn submit(
    db: &DatabaseConnection,
    actor: &Actor,
    change: Change,
    idempotency_key: Option<&str>,
) -> Result<Submitted, WriteError> {
    let how = Submission {
        idempotency_key,
        ..Default::default()
    };
    // Boxed: the write's future is large (it holds every kind of change's), and a caller's
    // future would otherwise hold it whole on the stack.
    Box::pin(submit_with(db, actor, change, how)).await
}

/// [`submit`], with progress reported and the job it belongs to.
pub async fn submit_with(
    db: &DatabaseConnection,
    actor: &Actor,
    change: Change,
    how: Submission<'_>,
) -> Result<Submitted, WriteError> {
    let Submission {
        idempotency_key,
        progress,
        job,
    } = how;
    if !actor.may(Role::Contributor) {
        return Err(WriteError::Forbidden("this key may not write".into()));
    }
    let digest = change.digest()?;
    let write = lock::begin(db).await?;
    let txn = &write.txn;
    if let Some(key) = idempotency_key {
        if key.is_empty() || key.len() > 255 {
            return Err(WriteError::invalid(
                "idempotencyKey",
                "an idempotency key has 1 to 255 characters",
            ));
        }
        let earlier = idempotency::Entity::find()
            .filter(idempotency::Column::KeyId.eq(actor.key_id))
            .filter(idempotency::Column::IdempotencyKey.eq(key))
            .one(txn)
            .await?;
        if let Some(earlier) = earlier {
            if earlier.payload_hash != digest {
                return Err(WriteError::IdempotencyKeyReused(
                    "this idempotency key was used with another change; use a new key".into(),
                ));
            }
            let proposal_id: i32 = earlier.response.parse().unwrap_or_default();
            let proposal = proposal::Entity::find_by_id(proposal_id)
                .one(txn)
                .await?
                .ok_or_else(|| WriteError::NotFound("the first call's proposal is gone".into()))?;
            let node = audit::published_node(txn, proposal.id).await?;
            return Ok(Submitted { proposal, node });
        }
    }
    let publish = actor.may(Role::Editor);
    let now = Utc::now();
    let mut record = proposal::ActiveModel {
        id: sea_orm::NotSet,
        kind: Set(change.kind().to_string()),
        status: Set(ProposalStatus::Pending),
        input: Set(serde_json::to_string(&change)
            .map_err(|e| WriteError::Database(DbErr::Custom(e.to_string())))?),
        summary: Set(change.summary()),
        author: Set(actor.name.clone()),
        created_at: Set(now),
        reviewer: Set(None),
        reviewed_at: Set(None),
        note: Set(None),
        author_key_id: Set(actor.key_id),
    };
    let (proposal, node) = if publish {
        record.status = Set(ProposalStatus::Published);
        record.reviewer = Set(Some(actor.name.clone()));
        record.reviewed_at = Set(Some(now));
        let proposal = record.insert(txn).await?;
        let node = publish_change(txn, actor, &change, proposal.id, progress).await?;
        (proposal, node)
    } else {
        // Checked exactly as publishing would apply it, then undone.
        let trial = txn.begin().await?;
        apply::apply(&trial, &change, progress).await?;
        trial.rollback().await?;
        (record.insert(txn).await?, None)
    };
    if let Some(key) = idempotency_key {
        idempotency::ActiveModel {
            id: sea_orm::NotSet,
            idempotency_key: Set(key.to_string()),
            payload_hash: Set(digest),
            response: Set(proposal.id.to_string()),
            created_at: Set(now),
            key_id: Set(actor.key_id),
        }
        .insert(txn)
        .await?;
    }
    if let Some(job) = job {
        job::succeeded(txn, job, proposal.id).await?;
    }
    write.txn.commit().await?;
    if publish {
        crate::live::committed();
    }
    Ok(Submitted { proposal, node })
}

/// An editor publishes or rejects a pending proposal, with a note. Publishing applies the
/// change as it stands now (the dataset may have moved since it was submitted).
pub async fn review(
    db: &DatabaseConnection,
    actor: &Actor,
    proposal_id: i32,
    publish: bool,
    note: Option<String>,
) -> Result<Submitted, WriteError> {
    if !actor.may(Role::Editor) {
        return Err(WriteError::Forbidden(
            "only an editor may publish or reject a proposal".into(),
        ));
    }
    let write = lock::begin(db).await?;
    let txn = &write.txn;
    let proposal = proposal::Entity::find_by_id(proposal_id)
        .one(txn)
        .await?
        .ok_or_else(|| WriteError::NotFound("no such proposal".into()))?;
    if proposal.status != ProposalStatus::Pending {
        return Err(WriteError::Conflict(format!(
            "the proposal is {} already",
            proposal.status.as_str().to_lowercase()
        )));
    }
    let change: Change = serde_json::from_str(&proposal.input)
        .map_err(|e| WriteError::Database(DbErr::Custom(format!("a stored proposal: {e}"))))?;
    let node = if publish {
        publish_change(txn, actor, &change, proposal.id, &quietly).await?
    } else {
        None
    };
    let mut record: proposal::ActiveModel = proposal.into();
    record.status = Set(if publish {
        ProposalStatus::Published
    } else {
        ProposalStatus::Rejected
    });
    record.reviewer = Set(Some(actor.name.clone()));
    record.reviewed_at = Set(Some(Utc::now()));
    record.note = Set(note);
    let proposal = record.update(txn).await?;
    write.txn.commit().await?;
    if publish {
        crate::live::committed();
    }
    Ok(Submitted { proposal, node })
}

/// Applies a change and records it in the audit trail, under `proposal_id`.
async fn publish_change(
    txn: &sea_orm::DatabaseTransaction,
    actor: &Actor,
    change: &Change,
    proposal_id: i32,
    progress: Progress<'_>,
) -> Result<Option<(&'static str, String)>, WriteError> {
    let audits = apply::apply(txn, change, progress).await?;
    // Every cached answer (ETags) made before this publish is stale from its commit on.
    crate::service::version::bump(txn).await?;
    let reason = match change {
        Change::RetractClaim { reason, .. }
        | Change::RetractEvent { reason, .. }
        | Change::CorrectEvent { reason, .. }
        | Change::MergeEvents { reason, .. } => Some(reason.clone()),
        _ => None,
    };
    let node = audits.first().map(|a| (a.node_type, a.key.clone()));
    audit::record(txn, actor, proposal_id, reason, audits).await?;
    // Subscribers on every instance hear of it at commit (`live`).
    let latest = crate::service::changes::latest(txn).await?;
    crate::live::notify(txn, latest).await?;
    Ok(node)
}

//! Applying a change inside the write's transaction: new records go through the loader's
//! checks (`build_partial`) and its writer, then every event they touch is re-tallied.

use super::{Audit, Change, WriteError, audit, claims, cohorts, events, known, merge};
use crate::ingest::build::Table;
use crate::ingest::build::partial::{Records, build_partial};
use crate::ingest::{tallies, write};
use entity::enums::ChangeAction;
use sea_orm::ConnectionTrait;

/// Applies `change`; returns what it did to each record, the main record first. `progress`
/// hears how far an import has come (other changes are a few rows).
pub async fn apply(
    db: &impl ConnectionTrait,
    change: &Change,
    progress: write::Progress<'_>,
) -> Result<Vec<Audit>, WriteError> {
    match change {
        Change::CreateSource { source, text } => {
            let records = Records {
                sources: vec![(source.clone(), text.clone())],
                ..Default::default()
            };
            create(
                db,
                records,
                Table::Sources,
                "Source",
                &source.key,
                json(source),
            )
            .await
        }
        Change::CreatePerson { person } => {
            let records = Records {
                people: vec![person.clone()],
                ..Default::default()
            };
            create(
                db,
                records,
                Table::People,
                "Person",
                &person.key,
                json(person),
            )
            .await
        }
        Change::CreateEvent { event } => {
            let records = Records {
                events: vec![event.clone()],
                ..Default::default()
            };
            create(db, records, Table::Events, "Event", &event.key, json(event)).await
        }
        Change::CreateStatistic { statistic } => {
            let records = Records {
                statistics: vec![statistic.clone()],
                ..Default::default()
            };
            let key = &statistic.key;
            create(
                db,
                records,
                Table::Statistics,
                "Statistic",
                key,
                json(statistic),
            )
            .await
        }
        Change::AddClaim {
            owner,
            claim,
            expected_version,
        } => claims::add(db, owner, claim, *expected_version).await,
        Change::RetractClaim {
            claim,
            expected_version,
            ..
        } => claims::retract(db, claim, *expected_version).await,
        Change::RetractEvent {
            event,
            expected_version,
            ..
        } => events::retract(db, event, *expected_version).await,
        Change::CorrectEvent {
            event,
            expected_version,
            title,
            summary,
            date,
            status,
            ..
        } => {
            let correction = events::Correction {
                title: title.clone(),
                summary: summary.clone(),
                date: date.clone(),
                status: *status,
            };
            events::correct(db, event, *expected_version, correction).await
        }
        Change::LinkCohort {
            group,
            linked,
            relation,
            source,
            quote,
        } => {
            let link = cohorts::Link {
                group,
                linked,
                relation: *relation,
                source,
                quote,
            };
            cohorts::link(db, link).await
        }
        Change::ImportDataset { records } => {
            // Boxed: an import's future is large, and every change's would carry its size.
            Box::pin(super::import::apply(db, records, progress)).await
        }
        Change::MergeEvents {
            into,
            from,
            expected_version,
            ..
        } => merge::merge(db, into, from, *expected_version).await,
    }
}

/// A record as the audit trail shows it.
pub(super) fn json(record: &impl serde::Serialize) -> Option<serde_json::Value> {
    serde_json::to_value(record).ok()
}

/// Writes new records of one kind, whose key must be new (and never retracted).
async fn create(
    db: &impl ConnectionTrait,
    records: Records,
    table: Table,
    node_type: &'static str,
    key: &str,
    after: Option<serde_json::Value>,
) -> Result<Vec<Audit>, WriteError> {
    if known::key_taken(db, table, key).await? || audit::retired(db, node_type, key).await? {
        return Err(WriteError::invalid(
            "key",
            format!(
                "the key \"{}\" is taken",
                key.chars().take(80).collect::<String>()
            ),
        ));
    }
    let known = known::read(db, &records.references()).await?;
    let rows = build_partial(&known, &records)?;
    let events: Vec<i32> = rows.events.iter().map(|e| e.id).collect();
    write::write(db, rows, &write::quietly).await?;
    for id in events {
        tallies::recompute(db, id).await?;
    }
    Ok(vec![Audit {
        action: ChangeAction::Created,
        node_type,
        key: key.to_string(),
        before: None,
        after,
    }])
}

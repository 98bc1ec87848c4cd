//! One event's tallies recomputed alone, inside a transaction, equal what the bulk load wrote:
//! the write path's `ingest::tallies::recompute` and the loaders run one rule.

use crate::helpers::{Backend, fresh_db};
use entity::{deportation_flow, event, flow_tally, participant_tally};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};

both!(recomputing_curated_events, recomputing_generated_events);

/// An event with its tally rows, ids cleared (recomputed rows get new ones).
type Snapshot = (
    event::Model,
    Vec<participant_tally::Model>,
    Vec<flow_tally::Model>,
);

async fn snapshot(db: &DatabaseConnection, id: i32) -> Snapshot {
    let event = event::Entity::find_by_id(id)
        .one(db)
        .await
        .expect("reads the event")
        .expect("the event exists");
    let participants = participant_tally::Entity::find()
        .filter(participant_tally::Column::EventId.eq(id))
        .order_by_asc(participant_tally::Column::Id)
        .all(db)
        .await
        .expect("reads participant tallies");
    let flows: Vec<i32> = deportation_flow::Entity::find()
        .filter(deportation_flow::Column::EventId.eq(id))
        .all(db)
        .await
        .expect("reads flows")
        .iter()
        .map(|f| f.id)
        .collect();
    let flow_rows = flow_tally::Entity::find()
        .filter(flow_tally::Column::FlowId.is_in(flows))
        .order_by_asc(flow_tally::Column::Id)
        .all(db)
        .await
        .expect("reads flow tallies");
    (
        event,
        participants
            .into_iter()
            .map(|t| participant_tally::Model { id: 0, ..t })
            .collect(),
        flow_rows
            .into_iter()
            .map(|t| flow_tally::Model { id: 0, ..t })
            .collect(),
    )
}

/// For each event: wipe its tallies and grouping columns, recompute them in a transaction,
/// and compare with what the bulk load wrote. Returns how many events had tally rows.
async fn recompute_each(db: &DatabaseConnection, ids: impl Iterator<Item = i32>) -> usize {
    let mut tallied = 0;
    for id in ids {
        let before = snapshot(db, id).await;
        tallied += usize::from(!before.1.is_empty());
        let txn = db.begin().await.expect("a transaction");
        participant_tally::Entity::delete_many()
            .filter(participant_tally::Column::EventId.eq(id))
            .exec(&txn)
            .await
            .expect("deletes");
        let mut wiped = before.0.clone().into_active_model();
        wiped.people_count = sea_orm::Set(None);
        wiped.country_code = sea_orm::Set(None);
        wiped.province_id = sea_orm::Set(None);
        wiped.year = sea_orm::Set(None);
        wiped.month = sea_orm::Set(None);
        wiped.update(&txn).await.expect("wipes the columns");
        scam_atlas::ingest::tallies::recompute(&txn, id)
            .await
            .expect("recomputes");
        txn.commit().await.expect("commits");
        assert_eq!(snapshot(db, id).await, before, "event {id}");
    }
    tallied
}

async fn recomputing_curated_events(backend: Backend) {
    let store = fresh_db(backend).await;
    scam_atlas::db::migrate(&store.db).await.expect("migrates");
    scam_atlas::ingest::seed(&store.db)
        .await
        .expect("the curated dataset loads");
    let ids: Vec<i32> = event::Entity::find()
        .all(&store.db)
        .await
        .expect("events")
        .iter()
        .map(|e| e.id)
        .collect();
    let events = ids.len();
    assert!(recompute_each(&store.db, ids.into_iter()).await > events / 2);
    // Recomputing an event that does not exist is an error, not a silent no-op.
    assert!(
        scam_atlas::ingest::tallies::recompute(&store.db, 1_000_000)
            .await
            .is_err()
    );
}

async fn recomputing_generated_events(backend: Backend) {
    let store = fresh_db(backend).await;
    scam_atlas::db::migrate(&store.db).await.expect("migrates");
    scam_atlas::ingest::load_generated(&store.db, 120, 7, &scam_atlas::ingest::write::quietly)
        .await
        .expect("generates");
    // Every tenth generated event has every relation: flows split by nationality, women.
    assert_eq!(recompute_each(&store.db, 1..=60).await, 60);
}

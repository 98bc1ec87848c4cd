//! The roll-ups answer every grouped total over all events exactly as the tallies do: on the
//! fixtures, on generated data, and after the write path recomputes an event.

use crate::helpers::{Backend, TestApp, TestDb, fresh_db};
use scam_atlas::service::event::EventFilter;
use scam_atlas::service::flow::FlowFilter;
use scam_atlas::service::totals::{self, FlowDim, PeopleDim, Source, rollup};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

both!(
    rollups_equal_tallies_on_the_fixtures,
    rollups_equal_tallies_on_generated_data,
    rollups_follow_a_recomputed_event,
    the_flow_grain_migration_sums_the_monthly_rows
);

const PEOPLE: [PeopleDim; 7] = [
    PeopleDim::Nationality,
    PeopleDim::Role,
    PeopleDim::Status,
    PeopleDim::Country,
    PeopleDim::Province,
    PeopleDim::Year,
    PeopleDim::Month,
];

const FLOWS: [FlowDim; 7] = [
    FlowDim::From,
    FlowDim::To,
    FlowDim::Nationality,
    FlowDim::Kind,
    FlowDim::Status,
    FlowDim::Year,
    FlowDim::Month,
];

/// Every grouping (each set of dimensions), both ways; the answers must be identical.
async fn compare(db: &DatabaseConnection, what: &str) {
    assert!(rollup::built(db).await.expect("reads"), "{what}: built");
    let filter = EventFilter::default();
    for mask in 0u32..(1 << PEOPLE.len()) {
        let dims: Vec<PeopleDim> = (0..PEOPLE.len())
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| PEOPLE[i])
            .collect();
        let rolled = totals::people_from_source(db, &filter, &dims, Source::Best).await;
        let tallied = totals::people_from_source(db, &filter, &dims, Source::Tallies).await;
        let (rolled, tallied) = (rolled.expect("roll-ups"), tallied.expect("tallies"));
        assert_eq!(
            format!("{rolled:?}"),
            format!("{tallied:?}"),
            "{what}: people {dims:?}"
        );
    }
    let filter = FlowFilter::default();
    for mask in 0u32..(1 << FLOWS.len()) {
        let dims: Vec<FlowDim> = (0..FLOWS.len())
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| FLOWS[i])
            .collect();
        let rolled = totals::flows_from_source(db, &filter, &dims, Source::Best).await;
        let tallied = totals::flows_from_source(db, &filter, &dims, Source::Tallies).await;
        let (rolled, tallied) = (rolled.expect("roll-ups"), tallied.expect("tallies"));
        assert_eq!(
            format!("{rolled:?}"),
            format!("{tallied:?}"),
            "{what}: flows {dims:?}"
        );
    }
}

async fn rollups_equal_tallies_on_the_fixtures(backend: Backend) {
    for fixture in ["rules", "cohorts"] {
        let app = TestApp::fixture(backend, fixture).await;
        compare(app.db(), fixture).await;
    }
    let app = TestApp::spawn(backend).await;
    compare(app.db(), "curated").await;
}

/// A fresh database holding 400 generated events of `seed`.
async fn generated(backend: Backend, seed: u64) -> TestDb {
    let store = fresh_db(backend).await;
    scam_atlas::db::migrate(&store.db)
        .await
        .expect("migrations");
    scam_atlas::ingest::load_generated(&store.db, 400, seed, &scam_atlas::ingest::write::quietly)
        .await
        .expect("generates");
    store
}

async fn rollups_equal_tallies_on_generated_data(backend: Backend) {
    let store = generated(backend, 7).await;
    compare(&store.db, "generated").await;
}

/// The write path's recompute keeps them exact: an event moved to another year, in a
/// transaction, as a mutation would (on the rules fixture, an event with flows, so that both
/// grains of the flow roll-up are refreshed).
async fn rollups_follow_a_recomputed_event(backend: Backend) {
    for fixture in ["cohorts", "rules"] {
        let app = TestApp::fixture(backend, fixture).await;
        let db = app.db();
        let before = by_year(db).await;
        move_back_three_years(db).await;
        assert_ne!(before, by_year(db).await, "{fixture}: the event moved");
        compare(db, &format!("{fixture} after recompute")).await;
    }
}

/// People and flow totals by year, as text to compare.
async fn by_year(db: &DatabaseConnection) -> String {
    let people = totals::people(db, &EventFilter::default(), &[PeopleDim::Year]).await;
    let flows = totals::flows(db, &FlowFilter::default(), &[FlowDim::Year]).await;
    format!("{:?} {:?}", people.expect("people"), flows.expect("flows"))
}

/// Moves the first event with flows (or the first event) three years back and recomputes
/// it, in one transaction.
async fn move_back_three_years(db: &DatabaseConnection) {
    use sea_orm::TransactionTrait;
    let which =
        "COALESCE((SELECT MIN(event_id) FROM deportation_flow), (SELECT MIN(id) FROM event))";
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => format!(
            "UPDATE event SET date_start = date_start - INTERVAL '3 years', \
             date_end = date_end - INTERVAL '3 years' WHERE id = {which} RETURNING id"
        ),
        _ => format!(
            "UPDATE event SET date_start = date(date_start, '-3 years'), \
             date_end = date(date_end, '-3 years') WHERE id = {which} RETURNING id"
        ),
    };
    let txn = db.begin().await.expect("a transaction");
    let row = txn
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("moves the event")
        .expect("an event");
    let event: i32 = row.try_get("", "id").expect("its id");
    scam_atlas::ingest::tallies::recompute(&txn, event)
        .await
        .expect("recomputes");
    txn.commit().await.expect("commits");
}

/// A database whose roll-ups were built before the flows' coarse grain gets it from the
/// migration, summed from the monthly rows: taken down and up again, every total still
/// equals the tallies'.
async fn the_flow_grain_migration_sums_the_monthly_rows(backend: Backend) {
    use migration::MigratorTrait;
    let store = generated(backend, 11).await;
    let built = coarse_rows(&store.db).await;
    assert!(built > 0, "the load wrote coarse rows");
    migration::Migrator::down(&store.db, Some(1))
        .await
        .expect("down");
    migration::Migrator::up(&store.db, None).await.expect("up");
    assert_eq!(
        coarse_rows(&store.db).await,
        built,
        "the migration wrote as many"
    );
    compare(&store.db, "migrated").await;
}

/// The flow roll-up's coarse rows.
async fn coarse_rows(db: &DatabaseConnection) -> i64 {
    let sql = "SELECT COUNT(*) AS n FROM flow_rollup WHERE coarse";
    let statement = Statement::from_string(db.get_database_backend(), sql);
    let row = db.query_one_raw(statement).await.expect("counts");
    row.expect("a row")
        .try_get::<i64>("", "n")
        .expect("a count")
}

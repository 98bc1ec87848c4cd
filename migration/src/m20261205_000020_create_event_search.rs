//! Full-text search over events' titles and summaries, kept by the database itself so that
//! every writer (the loader, the generator, mutations) keeps it right without calling
//! anything: on PostgreSQL a stored generated `tsvector` with a GIN index, on SQLite an FTS5
//! table over `event` kept in step by triggers. Both see the same words: runs of letters and
//! digits, lower-cased, accents kept (`service::search` reads them the same way).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000020_create_event_search"
    }
}

/// PostgreSQL: everything that is not a letter or a digit becomes a space before the
/// `simple` parser (no stemming, no stop words) reads the words, so that `north-east` or
/// `example.com` are two words as on SQLite, not the parser's compound tokens.
const POSTGRES_UP: &[&str] = &[
    "ALTER TABLE event ADD COLUMN search_words tsvector GENERATED ALWAYS AS \
     (to_tsvector('simple', regexp_replace(title || ' ' || summary, '[^[:alnum:]]+', ' ', 'g'))) \
     STORED",
    "CREATE INDEX idx_event_search_words ON event USING GIN (search_words)",
    // The same call as SQLite's FTS5 table-valued function, so one query serves both:
    // `SELECT rowid FROM event_search('north* raid*')`. It takes FTS5's form of a query
    // (prefix terms of letters and digits, space-separated: all must match) and is plain SQL,
    // so the planner inlines it and reads the GIN index.
    "CREATE FUNCTION event_search(query text) RETURNS TABLE (rowid integer) \
     LANGUAGE sql STABLE AS $$ SELECT id FROM event WHERE search_words @@ \
     to_tsquery('simple', regexp_replace(replace(trim(query), '*', ':*'), '\\s+', ' & ', 'g')) $$",
];

const POSTGRES_DOWN: &[&str] = &[
    "DROP FUNCTION event_search(text)",
    "DROP INDEX idx_event_search_words",
    "ALTER TABLE event DROP COLUMN search_words",
];

/// SQLite: an external-content FTS5 table (it stores only the index; the text stays in
/// `event`), `unicode61` without removing diacritics, as PostgreSQL's `simple` keeps them.
const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE event_search USING fts5(title, summary, content='event', \
     content_rowid='id', tokenize=\"unicode61 remove_diacritics 0\")",
    "CREATE TRIGGER event_search_insert AFTER INSERT ON event BEGIN \
     INSERT INTO event_search(rowid, title, summary) VALUES (new.id, new.title, new.summary); END",
    "CREATE TRIGGER event_search_delete AFTER DELETE ON event BEGIN \
     INSERT INTO event_search(event_search, rowid, title, summary) \
     VALUES ('delete', old.id, old.title, old.summary); END",
    "CREATE TRIGGER event_search_update AFTER UPDATE OF id, title, summary ON event BEGIN \
     INSERT INTO event_search(event_search, rowid, title, summary) \
     VALUES ('delete', old.id, old.title, old.summary); \
     INSERT INTO event_search(rowid, title, summary) VALUES (new.id, new.title, new.summary); END",
    // A database that already holds events gets them indexed now.
    "INSERT INTO event_search(event_search) VALUES ('rebuild')",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER event_search_update",
    "DROP TRIGGER event_search_delete",
    "DROP TRIGGER event_search_insert",
    "DROP TABLE event_search",
];

async fn run(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for sql in statements {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DbBackend::Postgres => run(manager, POSTGRES_UP).await,
            _ => run(manager, SQLITE_UP).await,
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DbBackend::Postgres => run(manager, POSTGRES_DOWN).await,
            _ => run(manager, SQLITE_DOWN).await,
        }
    }
}

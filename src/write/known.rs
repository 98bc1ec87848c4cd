//! Reading what new records may refer to ([`Known`]) inside the write's transaction: only
//! the records their keys name, so a write costs the same at ten events as at a million.

use crate::ingest::build::partial::{Known, References};
use crate::ingest::build::{Bases, Table};
use entity::*;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, Statement,
};
use std::collections::HashMap;

/// What `refs` name that the database holds, and where new ids start.
pub async fn read(db: &impl ConnectionTrait, refs: &References) -> Result<Known, DbErr> {
    let mut known = Known {
        bases: bases(db).await?,
        ..Default::default()
    };
    known.countries = country::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    let sources = source::Entity::find()
        .filter(source::Column::Key.is_in(refs.sources.iter().cloned()))
        .all(db)
        .await?;
    let texts: HashMap<i32, String> = source_text::Entity::find()
        .filter(source_text::Column::SourceId.is_in(sources.iter().map(|s| s.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.source_id, t.text))
        .collect();
    for s in sources {
        // A source without a stored text (a generated one) has nothing a quote can be in.
        let text = texts.get(&s.id).cloned().unwrap_or_default();
        known.sources.insert(s.key, (s.id, text));
    }
    let places = location::Entity::find()
        .filter(location::Column::Key.is_in(refs.places.iter().cloned()))
        .all(db)
        .await?;
    for place in places {
        let chain = location_closure::Entity::find()
            .filter(location_closure::Column::DescendantId.eq(place.id))
            .order_by_asc(location_closure::Column::Depth)
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.ancestor_id)
            .collect();
        known.places.insert(place.key, (place.id, chain));
    }
    known.agencies = agency::Entity::find()
        .filter(agency::Column::Key.is_in(refs.agencies.iter().cloned()))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.key, a.id))
        .collect();
    known.people = person::Entity::find()
        .filter(person::Column::Key.is_in(refs.people.iter().cloned()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.key, p.id))
        .collect();
    let events = event::Entity::find()
        .filter(event::Column::Key.is_in(refs.events.iter().cloned()))
        .all(db)
        .await?;
    known.groups = participant_group::Entity::find()
        .filter(participant_group::Column::EventId.is_in(events.iter().map(|e| e.id)))
        .order_by_asc(participant_group::Column::Id)
        .all(db)
        .await?;
    known.values = figure::Entity::find()
        .filter(figure::Column::Id.is_in(known.groups.iter().map(|g| g.count_figure_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.value))
        .collect();
    known.events = events.into_iter().map(|e| (e.key, e.id)).collect();
    Ok(known)
}

/// Whether a record of `table` with this key exists (keys of new records must be new).
pub async fn key_taken(db: &impl ConnectionTrait, table: Table, key: &str) -> Result<bool, DbErr> {
    #[derive(FromQueryResult)]
    struct Count {
        n: i64,
    }
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => format!("SELECT COUNT(*) AS n FROM {} WHERE key = $1", table.name()),
        _ => format!("SELECT COUNT(*) AS n FROM {} WHERE key = ?", table.name()),
    };
    let count =
        Count::find_by_statement(Statement::from_sql_and_values(backend, sql, [key.into()]))
            .one(db)
            .await?;
    Ok(count.is_some_and(|c| c.n > 0))
}

/// The largest id of every table the builder numbers.
async fn bases(db: &impl ConnectionTrait) -> Result<Bases, DbErr> {
    #[derive(FromQueryResult)]
    struct Max {
        n: Option<i32>,
    }
    let mut bases = Bases::default();
    for table in Table::ALL {
        let sql = format!("SELECT MAX(id) AS n FROM {}", table.name());
        let max = Max::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
            .one(db)
            .await?;
        bases.0[table as usize] = max.and_then(|m| m.n).unwrap_or(0);
    }
    Ok(bases)
}

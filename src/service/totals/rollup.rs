//! Roll-ups of the tallies (the migration `create_rollups`): grouped totals over every event
//! read them instead of scanning every tally, and get the same answer, because the roll-ups
//! are the tally path's own sums, kept per cell of (country, province, year, month) and the
//! tally's keys, and written in the same transaction as the tallies:
//!
//! - `rebuild` after a bulk write (`ingest::write`);
//! - `refresh` for the months a recomputed event's tallies left or entered
//!   (`ingest::tallies::recompute`, which every write path calls).
//!
//! A person total's count of events adds up across cells only if no event spreads over two
//! roll-up rows of one total's row: the keys that vary within an event (nationality, role,
//! status) are therefore rolled up at eight levels, one per set of them, and a total reads the
//! level of the keys it groups by. Each level comes in two grains: per (country, province,
//! year, month), and per (country, year) for the totals that group by neither province nor
//! month, which then read a few rows per year instead of one per month and place. Flows are
//! rolled up by every key of a flow, in the same two grains (`coarse`: per year, for the
//! totals that do not group by month). Which stages count (`once`, `staged`) is decided as
//! the tally path decides it for that grouping. Grouping by event kind, or any filter, reads
//! the tallies; so does a total while the roll-ups are not built (a database migrated with
//! data in it, until its next load), whose roll-up read answers no rows.

use super::*;
use sea_orm::sea_query::{Condition, InsertStatement, OnConflict};

const NATIONALITY: i32 = 1;
const ROLE: i32 = 2;
const STATUS: i32 = 4;
/// The coarse grain: per (country, year), province and month left NULL.
const COARSE: i32 = 8;
/// Every level: the eight sets of keys, in both grains.
const LEVELS: std::ops::Range<i32> = 0..16;

/// The keys people are rolled up by at each level (a bit each), then the event's cell.
const PEOPLE_KEYS: [(i32, &str); 3] = [
    (NATIONALITY, "nationality_code"),
    (ROLE, "role"),
    (STATUS, "status"),
];
const CELL: [&str; 4] = ["country_code", "province_id", "year", "month"];
const FLOW_KEYS: [&str; 8] = [
    "split",
    "from_code",
    "to_code",
    "nationality_code",
    "kind",
    "status",
    "year",
    "month",
];

/// The measure columns of a roll-up in the order `sum_columns` selects them.
fn measure_columns(prefix: &str) -> Vec<String> {
    let mut columns: Vec<String> = ["value", "low", "high"]
        .iter()
        .map(|m| format!("{prefix}{m}"))
        .collect();
    columns.extend(
        INEXACT
            .iter()
            .map(|q| format!("{prefix}q_{}", q.as_str().to_ascii_lowercase())),
    );
    columns
}

/// The roll-up level of a grouping of people totals; None when it groups by event kind.
pub fn people_level(dims: &[PeopleDim]) -> Option<i32> {
    let mut level = 0;
    for dim in dims {
        level |= match dim {
            PeopleDim::Nationality => NATIONALITY,
            PeopleDim::Role => ROLE,
            PeopleDim::Status => STATUS,
            PeopleDim::EventKind => return None,
            _ => 0,
        };
    }
    if !dims.contains(&PeopleDim::Province) && !dims.contains(&PeopleDim::Month) {
        level |= COARSE;
    }
    Some(level)
}

fn built_select() -> SelectStatement {
    Query::select()
        .expr(Expr::val(1))
        .from(Alias::new("rollup_state"))
        .to_owned()
}

/// Whether the roll-ups hold every tally (they do once a load built them).
pub async fn built(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(db.query_one(&built_select()).await?.is_some())
}

/// The same, as a condition on a read's groups (HAVING, so that a total without groups, one
/// row whatever the rows, is left out too): a read of roll-ups not built answers no rows,
/// and the total is asked of the tallies.
fn is_built() -> sea_orm::sea_query::SimpleExpr {
    Expr::exists(built_select())
}

/// A month of tallies: (year, month), None for an undated event.
pub type Cell = (Option<i32>, Option<i32>);

/// `table.year`/`month` equal to a cell's, NULL matching NULL; only the year for the coarse
/// grain (`whole_year`).
fn in_cell(table: &str, (year, month): Cell, whole_year: bool) -> Condition {
    let mut c = Condition::all();
    let columns = [("year", year), ("month", month)];
    let columns = if whole_year {
        &columns[..1]
    } else {
        &columns[..]
    };
    for &(column, value) in columns {
        let col = Expr::col((Alias::new(table), Alias::new(column)));
        c = c.add(match value {
            Some(v) => col.eq(v),
            None => col.is_null(),
        });
    }
    c
}

/// `INSERT INTO participant_rollup … SELECT` the sums of one level, of the tallies in `cell`
/// (all of them for None).
fn people_insert(level: i32, cell: Option<Cell>) -> Result<InsertStatement, DbErr> {
    let mut select = Query::select();
    select.from(participant_tally::Entity);
    select.expr(Expr::val(level));
    for (bit, column) in PEOPLE_KEYS {
        if level & bit != 0 {
            let expr = Expr::cust(format!("participant_tally.{column}"));
            select.expr(expr.clone()).add_group_by([expr]);
        } else {
            select.expr(Expr::cust("NULL"));
        }
    }
    let coarse = level & COARSE != 0;
    for column in CELL {
        if coarse && matches!(column, "province_id" | "month") {
            select.expr(Expr::cust("NULL"));
            continue;
        }
        let expr = Expr::cust(format!("participant_tally.{column}"));
        select.expr(expr.clone()).add_group_by([expr]);
    }
    sum_columns(&mut select, "participant_tally", "", "", "1 = 1");
    sum_columns(&mut select, "participant_tally", "women_", "w_", "1 = 1");
    select
        .expr(Expr::cust("COUNT(participant_tally.women_value)"))
        .expr(Expr::cust(
            "MAX(CASE WHEN participant_tally.derived THEN 1 ELSE 0 END)",
        ))
        .expr(Expr::cust("COUNT(DISTINCT participant_tally.event_id)"));
    // The stages that count, as `people_from` decides for a grouping at this level.
    let counts = if level & STATUS != 0 {
        participant_tally::Column::Staged
    } else {
        participant_tally::Column::Once
    };
    select.and_where(Expr::col((participant_tally::Entity, counts)).eq(true));
    if let Some(cell) = cell {
        select.cond_where(in_cell("participant_tally", cell, coarse));
    }
    let mut columns = vec!["level".to_string()];
    columns.extend(PEOPLE_KEYS.iter().map(|(_, c)| c.to_string()));
    columns.extend(CELL.iter().map(|c| c.to_string()));
    columns.extend(measure_columns(""));
    columns.extend(measure_columns("w_"));
    columns.extend(["w_known", "derived", "events"].map(String::from));
    insert("participant_rollup", &columns, select)
}

/// `INSERT INTO flow_rollup … SELECT` the sums of the flow tallies in `cell` (all for None),
/// per month, or per year for the `coarse` grain.
fn flows_insert(cell: Option<Cell>, coarse: bool) -> Result<InsertStatement, DbErr> {
    let mut select = Query::select();
    select.from(flow_tally::Entity);
    for column in FLOW_KEYS {
        if coarse && column == "month" {
            select.expr(Expr::cust("NULL"));
            continue;
        }
        let expr = Expr::cust(format!("flow_tally.{column}"));
        select.expr(expr.clone()).add_group_by([expr]);
    }
    sum_columns(&mut select, "flow_tally", "", "", "flow_tally.counted");
    select
        .expr(Expr::cust(
            "MAX(CASE WHEN flow_tally.counted AND flow_tally.derived THEN 1 ELSE 0 END)",
        ))
        .expr(Expr::cust(
            "COUNT(DISTINCT CASE WHEN flow_tally.counted THEN flow_tally.flow_id END)",
        ))
        .expr(Expr::cust(
            "COUNT(DISTINCT CASE WHEN NOT flow_tally.counted THEN flow_tally.flow_id END)",
        ));
    select.expr(Expr::val(coarse));
    if let Some(cell) = cell {
        select.cond_where(in_cell("flow_tally", cell, coarse));
    }
    let mut columns: Vec<String> = FLOW_KEYS.iter().map(|c| c.to_string()).collect();
    columns.extend(measure_columns(""));
    columns.extend(["derived", "counted", "uncounted", "coarse"].map(String::from));
    insert("flow_rollup", &columns, select)
}

fn insert(
    table: &str,
    columns: &[String],
    select: SelectStatement,
) -> Result<InsertStatement, DbErr> {
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new(table))
        .columns(columns.iter().map(Alias::new))
        .select_from(select)
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    Ok(insert)
}

/// Writes every roll-up anew from the tallies (after a bulk write, in its transaction).
pub async fn rebuild(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    for table in ["participant_rollup", "flow_rollup"] {
        db.execute(&Query::delete().from_table(Alias::new(table)).to_owned())
            .await?;
    }
    for level in LEVELS {
        db.execute(&people_insert(level, None)?).await?;
    }
    for coarse in [false, true] {
        db.execute(&flows_insert(None, coarse)?).await?;
    }
    // Built: an upsert, so that a second build (a reload) leaves one row.
    let mut state = Query::insert();
    state
        .into_table(Alias::new("rollup_state"))
        .columns([Alias::new("id")])
        .values([1.into()])
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .on_conflict(OnConflict::column(Alias::new("id")).do_nothing().to_owned());
    db.execute(&state).await?;
    Ok(())
}

/// Rewrites the roll-ups of the months `cells` (and the coarse grain of their years) from the
/// tallies, inside the caller's transaction: what `recompute` calls for the months an event's
/// tallies left and entered.
/// Nothing to do while the roll-ups are not built.
pub async fn refresh(db: &impl ConnectionTrait, cells: &[Cell]) -> Result<(), DbErr> {
    // One refresh at a time, to the end of its transaction: two writers rewriting the same
    // month concurrently would each delete the rows they could see and insert their own sums,
    // leaving both (PostgreSQL, READ COMMITTED). The lock is the state row's; SQLite has one
    // writer anyway.
    let mut state = built_select();
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        state.lock(sea_orm::sea_query::LockType::Update);
    }
    if db.query_one(&state).await?.is_none() {
        return Ok(());
    }
    let mut cells = cells.to_vec();
    cells.sort_unstable();
    cells.dedup();
    let level = Expr::col((Alias::new("participant_rollup"), Alias::new("level")));
    for &cell in &cells {
        // The fine grain and the flows, of this month.
        let fine = Condition::all()
            .add(in_cell("participant_rollup", cell, false))
            .add(level.clone().lt(COARSE));
        db.execute(
            &Query::delete()
                .from_table(Alias::new("participant_rollup"))
                .cond_where(fine)
                .to_owned(),
        )
        .await?;
        db.execute(&flows_delete(cell, false)).await?;
        for level in LEVELS.filter(|l| l & COARSE == 0) {
            db.execute(&people_insert(level, Some(cell))?).await?;
        }
        db.execute(&flows_insert(Some(cell), false)?).await?;
    }
    // The coarse grain, of these years.
    let mut years: Vec<Option<i32>> = cells.iter().map(|(year, _)| *year).collect();
    years.dedup();
    for year in years {
        let cell = (year, None);
        let coarse = Condition::all()
            .add(in_cell("participant_rollup", cell, true))
            .add(level.clone().gte(COARSE));
        db.execute(
            &Query::delete()
                .from_table(Alias::new("participant_rollup"))
                .cond_where(coarse)
                .to_owned(),
        )
        .await?;
        for level in LEVELS.filter(|l| l & COARSE != 0) {
            db.execute(&people_insert(level, Some(cell))?).await?;
        }
        db.execute(&flows_delete(cell, true)).await?;
        db.execute(&flows_insert(Some(cell), true)?).await?;
    }
    Ok(())
}

/// `DELETE` the flow roll-up rows of `cell` in one grain (for the coarse grain, its year).
fn flows_delete(cell: Cell, coarse: bool) -> sea_orm::sea_query::DeleteStatement {
    let grain = Expr::col((Alias::new("flow_rollup"), Alias::new("coarse"))).eq(coarse);
    Query::delete()
        .from_table(Alias::new("flow_rollup"))
        .cond_where(in_cell("flow_rollup", cell, coarse).add(grain))
        .to_owned()
}

/// The roll-up column of a people grouping (None for event kind, which is not rolled up).
fn people_column(dim: PeopleDim) -> Option<&'static str> {
    Some(match dim {
        PeopleDim::Nationality => "participant_rollup.nationality_code",
        PeopleDim::Role => "participant_rollup.role",
        PeopleDim::Status => "participant_rollup.status",
        PeopleDim::Country => "participant_rollup.country_code",
        PeopleDim::Province => "participant_rollup.province_id",
        PeopleDim::Year => "participant_rollup.year",
        PeopleDim::Month => "participant_rollup.month",
        PeopleDim::EventKind => return None,
    })
}

/// The roll-up's sums of measure columns with `prefix`, under the names `tally_of` reads.
fn sums(select: &mut SelectStatement, table: &str, prefix: &str, out: &str) {
    for measure in ["value", "low", "high"] {
        select.expr_as(
            Expr::cust(format!("CAST(SUM({table}.{prefix}{measure}) AS BIGINT)")),
            Alias::new(format!("{out}{measure}")),
        );
    }
    for q in INEXACT {
        select.expr_as(
            Expr::cust(format!(
                "MAX({table}.{prefix}q_{})",
                q.as_str().to_ascii_lowercase()
            )),
            Alias::new(format!("{out}q_{}", q.as_str())),
        );
    }
}

/// People totals over every event, from the roll-up level of `dims`, in the columns
/// `totals::people` reads; None when `dims` cannot be read from the roll-ups.
pub fn people_select(dims: &[PeopleDim]) -> Option<SelectStatement> {
    let level = people_level(dims)?;
    let columns: Vec<&'static str> = dims
        .iter()
        .map(|d| people_column(*d))
        .collect::<Option<_>>()?;
    let mut select = Query::select();
    select
        .from(Alias::new("participant_rollup"))
        .and_where(Expr::col((Alias::new("participant_rollup"), Alias::new("level"))).eq(level))
        .and_having(is_built());
    group_by(&mut select, &columns);
    sums(&mut select, "participant_rollup", "", "");
    sums(&mut select, "participant_rollup", "w_", "w_");
    select
        .expr_as(
            Expr::cust("CAST(COALESCE(SUM(participant_rollup.w_known), 0) AS BIGINT)"),
            Alias::new("w_known"),
        )
        .expr_as(
            Expr::cust("MAX(participant_rollup.derived)"),
            Alias::new("derived__"),
        )
        .expr_as(
            Expr::cust("CAST(COALESCE(SUM(participant_rollup.events), 0) AS BIGINT)"),
            Alias::new("events__"),
        );
    Some(select)
}

fn flow_column(dim: FlowDim) -> &'static str {
    match dim {
        FlowDim::From => "flow_rollup.from_code",
        FlowDim::To => "flow_rollup.to_code",
        FlowDim::Nationality => "flow_rollup.nationality_code",
        FlowDim::Kind => "flow_rollup.kind",
        FlowDim::Status => "flow_rollup.status",
        FlowDim::Year => "flow_rollup.year",
        FlowDim::Month => "flow_rollup.month",
    }
}

/// Flow totals over every flow, from the roll-up, in the columns `totals::flows` reads.
pub fn flows_select(dims: &[FlowDim]) -> SelectStatement {
    let columns: Vec<&'static str> = dims.iter().map(|d| flow_column(*d)).collect();
    let mut select = Query::select();
    select
        .from(Alias::new("flow_rollup"))
        .and_where(
            Expr::col((Alias::new("flow_rollup"), Alias::new("split")))
                .eq(dims.contains(&FlowDim::Nationality)),
        )
        .and_where(
            Expr::col((Alias::new("flow_rollup"), Alias::new("coarse")))
                .eq(!dims.contains(&FlowDim::Month)),
        )
        .and_having(is_built());
    group_by(&mut select, &columns);
    sums(&mut select, "flow_rollup", "", "");
    select
        .expr_as(
            Expr::cust("MAX(flow_rollup.derived)"),
            Alias::new("derived__"),
        )
        .expr_as(
            Expr::cust("CAST(COALESCE(SUM(flow_rollup.counted), 0) AS BIGINT)"),
            Alias::new("counted__"),
        )
        .expr_as(
            Expr::cust("CAST(COALESCE(SUM(flow_rollup.uncounted), 0) AS BIGINT)"),
            Alias::new("uncounted__"),
        );
    select
}

/// The cells (year, month) the tallies of `events` and of `flows` are in now: those a write
/// that removes or replaces the tallies must refresh.
pub async fn cells_of(
    db: &impl ConnectionTrait,
    events: &[i32],
    flows: &[i32],
) -> Result<Vec<Cell>, DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mut cells: Vec<Cell> = participant_tally::Entity::find()
        .filter(participant_tally::Column::EventId.is_in(events.iter().copied()))
        .all(db)
        .await?
        .iter()
        .map(|t| (t.year, t.month))
        .collect();
    cells.extend(
        flow_tally::Entity::find()
            .filter(flow_tally::Column::FlowId.is_in(flows.iter().copied()))
            .all(db)
            .await?
            .iter()
            .map(|t| (t.year, t.month)),
    );
    Ok(cells)
}

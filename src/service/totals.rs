//! Totals as GROUP BYs over the tallies (see `crate::tally` for the reconciliation rules):
//! one statement whatever the number of groups, read back into `figure::Tally` so that
//! `figure::settle` gives every total its qualifier by the same rule as everywhere else.

use super::event::EventFilter;
use super::flow::FlowFilter;
use super::page::Membership;
use crate::figure::{Resolved, Tally, settle};
use entity::enums::*;
use entity::*;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr, QueryResult};

/// What people totals can be grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PeopleDim {
    Nationality,
    Role,
    Status,
    EventKind,
    Country,
    Province,
    Year,
    Month,
}

impl PeopleDim {
    fn column(self) -> &'static str {
        match self {
            PeopleDim::Nationality => "participant_tally.nationality_code",
            PeopleDim::Role => "participant_tally.role",
            PeopleDim::Status => "participant_tally.status",
            PeopleDim::EventKind => "event_kind.kind",
            PeopleDim::Country => "participant_tally.country_code",
            PeopleDim::Province => "participant_tally.province_id",
            PeopleDim::Year => "participant_tally.year",
            PeopleDim::Month => "participant_tally.month",
        }
    }
}

/// What flow totals can be grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlowDim {
    From,
    To,
    Nationality,
    Kind,
    Status,
    Year,
    Month,
}

impl FlowDim {
    fn column(self) -> &'static str {
        match self {
            FlowDim::From => "flow_tally.from_code",
            FlowDim::To => "flow_tally.to_code",
            FlowDim::Nationality => "flow_tally.nationality_code",
            FlowDim::Kind => "flow_tally.kind",
            FlowDim::Status => "flow_tally.status",
            FlowDim::Year => "flow_tally.year",
            FlowDim::Month => "flow_tally.month",
        }
    }
}

/// The keys of one total's row; a key is None when the totals are not grouped by it, or when
/// it is unknown (people of unspecified nationality, flows to an unspecified destination).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keys {
    pub nationality: Option<String>,
    pub role: Option<ParticipantRole>,
    pub status: Option<ParticipantStatus>,
    pub event_kind: Option<EventKind>,
    pub country: Option<String>,
    pub province: Option<i32>,
    pub year: Option<i32>,
    pub month: Option<i32>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub flow_kind: Option<FlowKind>,
    pub flow_status: Option<Status>,
    /// Identifies the row among its siblings, for tracing it to its events or flows.
    pub key: String,
}

/// A month key, `yyyymm`, as the API writes it: `YYYY-MM`.
pub fn month_text(month: i32) -> String {
    format!("{:04}-{:02}", month / 100, month % 100)
}

/// Groups `select` by `columns`: each key as `k0`, `k1`…, the row's key as `key__`, rows in key
/// order with unknown keys (unspecified nationality or destination) last everywhere, at most
/// one row beyond `MAX_ROWS` (so that too many can be told).
fn group_by(select: &mut SelectStatement, columns: &[&'static str]) {
    for (i, column) in columns.iter().enumerate() {
        select.expr_as(Expr::cust(*column), Alias::new(format!("k{i}")));
        select.add_group_by([Expr::cust(*column)]);
        select.order_by_expr_with_nulls(
            Expr::cust(*column),
            sea_orm::Order::Asc,
            sea_orm::sea_query::NullOrdering::Last,
        );
    }
    select.expr_as(Expr::cust(key_sql(columns)), Alias::new("key__"));
    select.limit(MAX_ROWS + 1);
}

/// The most rows one grouping may return: beyond it, narrow the filter or group by less.
pub const MAX_ROWS: u64 = 10_000;

/// One row of people totals.
#[derive(Clone, Debug)]
pub struct PeopleTotal {
    pub keys: Keys,
    pub total: Resolved,
    /// None when no event of the row gives a count of women.
    pub women: Option<Resolved>,
    pub event_count: u64,
}

/// One row of flow totals.
#[derive(Clone, Debug)]
pub struct FlowTotal {
    pub keys: Keys,
    pub total: Resolved,
    /// Flows summed into `total`.
    pub flow_count: u64,
    /// Flows in the row that are planned or have no number, never summed.
    pub uncounted_count: u64,
}

/// A row key that tells NULL from any value: the grouped columns joined with `|`.
fn key_sql(columns: &[&str]) -> String {
    if columns.is_empty() {
        return "'*'".into();
    }
    columns
        .iter()
        .map(|c| format!("COALESCE(CAST({c} AS TEXT), '~')"))
        .collect::<Vec<_>>()
        .join(" || '|' || ")
}

/// A qualifier a part adds to a sum (NULL when exact), in SQL, as `figure::inexact` says.
fn inexact_sql(value: &str, qualifier: &str, counted: &str) -> String {
    format!(
        "CASE WHEN NOT ({counted}) THEN NULL WHEN {value} IS NULL OR {qualifier} = 'UNKNOWN' THEN 'AT_LEAST' \
         WHEN {qualifier} = 'EXACT' THEN NULL ELSE {qualifier} END"
    )
}

/// The aggregate columns that `tally_of` reads back, for `value`/`low`/`high` columns with
/// this prefix, counting only rows where `counted` holds.
fn sum_columns(select: &mut SelectStatement, table: &str, prefix: &str, out: &str, counted: &str) {
    let col = |name: &str| format!("{table}.{prefix}{name}");
    let only = |expr: String| format!("CASE WHEN {counted} THEN {expr} END");
    for measure in ["value", "low", "high"] {
        select.expr_as(
            Expr::cust(format!("CAST(SUM({}) AS BIGINT)", only(col(measure)))),
            Alias::new(format!("{out}{measure}")),
        );
    }
    // Which inexact qualifiers occur: one flag each (cheaper than COUNT(DISTINCT …)).
    let inexact = inexact_sql(&col("value"), &col("qualifier"), counted);
    for q in INEXACT {
        select.expr_as(
            Expr::cust(format!(
                "MAX(CASE WHEN {inexact} = '{}' THEN 1 ELSE 0 END)",
                q.as_str()
            )),
            Alias::new(format!("{out}q_{}", q.as_str())),
        );
    }
}

/// The qualifiers a part can add to a sum.
const INEXACT: [Qualifier; 5] = [
    Qualifier::AtLeast,
    Qualifier::MoreThan,
    Qualifier::About,
    Qualifier::Nearly,
    Qualifier::AtMost,
];

fn tally_of(row: &QueryResult, out: &str, derived: bool) -> Result<Tally, DbErr> {
    let mut present = Vec::new();
    for q in INEXACT {
        if row
            .try_get::<Option<i32>>("", &format!("{out}q_{}", q.as_str()))?
            .unwrap_or(0)
            > 0
        {
            present.push(q);
        }
    }
    Ok(Tally {
        value: row.try_get("", &format!("{out}value"))?,
        low: row.try_get("", &format!("{out}low"))?,
        high: row.try_get("", &format!("{out}high"))?,
        inexact_kinds: present.len(),
        inexact: present.first().copied(),
        approximate: present.iter().any(|q| crate::figure::approximates(*q)),
        derived,
    })
}

fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
}

fn text(row: &QueryResult, column: &str) -> Result<Option<String>, DbErr> {
    row.try_get("", column)
}

fn number(row: &QueryResult, column: &str) -> Result<Option<i32>, DbErr> {
    row.try_get("", column)
}

/// FROM and WHERE of people totals: the tallies of the events `filter` selects, counting
/// the stages the grouping asks for.
fn people_from(filter: &EventFilter, dims: &[PeopleDim]) -> SelectStatement {
    let tally_event = (
        participant_tally::Entity,
        participant_tally::Column::EventId,
    );
    let mut select = Query::select();
    select.from(participant_tally::Entity);
    // The event table is joined only when the filter asks something of events: the tally
    // carries the event's grouping columns.
    if *filter != EventFilter::default() {
        select
            .inner_join(
                event::Entity,
                Expr::col((event::Entity, event::Column::Id)).equals(tally_event),
            )
            .cond_where(filter.condition());
    }
    if dims.contains(&PeopleDim::EventKind) {
        select.inner_join(
            event_kind::Entity,
            Expr::col((event_kind::Entity, event_kind::Column::EventId)).equals(tally_event),
        );
    }
    // Which stages count (see `crate::tally`): split by status, every stage; by event kind,
    // each event's headline stages; otherwise each body of people once across its events.
    let counts = if dims.contains(&PeopleDim::Status) {
        participant_tally::Column::Staged
    } else if dims.contains(&PeopleDim::EventKind) {
        participant_tally::Column::Headline
    } else {
        participant_tally::Column::Once
    };
    select.and_where(Expr::col((participant_tally::Entity, counts)).eq(true));
    select
}

pub mod rollup;

/// Where a total is read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The roll-ups when the filter and grouping allow and they are built; else the tallies.
    Best,
    /// Always the tallies (what the roll-ups are tested against).
    Tallies,
}

/// People totals over the events `filter` selects, grouped by `dims`.
pub async fn people(
    db: &impl ConnectionTrait,
    filter: &EventFilter,
    dims: &[PeopleDim],
) -> Result<Vec<PeopleTotal>, DbErr> {
    people_from_source(db, filter, dims, Source::Best).await
}

/// People totals, read from `source`.
pub async fn people_from_source(
    db: &impl ConnectionTrait,
    filter: &EventFilter,
    dims: &[PeopleDim],
    source: Source,
) -> Result<Vec<PeopleTotal>, DbErr> {
    // The roll-ups answer nothing when they are not built (nor when there is nothing to
    // total, which the tallies then answer as quickly).
    if source == Source::Best
        && *filter == EventFilter::default()
        && let Some(select) = rollup::people_select(dims)
    {
        let totals = read_people(db, select, dims).await?;
        if !totals.is_empty() {
            return Ok(totals);
        }
    }
    read_people(db, people_by_tallies(filter, dims), dims).await
}

/// People totals summed from the tallies.
fn people_by_tallies(filter: &EventFilter, dims: &[PeopleDim]) -> SelectStatement {
    let columns: Vec<&str> = dims.iter().map(|d| d.column()).collect();
    let mut select = people_from(filter, dims);
    group_by(&mut select, &columns);
    sum_columns(&mut select, "participant_tally", "", "", "1 = 1");
    // Women: a part without a count of women is an unknown part (the sum is a floor).
    sum_columns(&mut select, "participant_tally", "women_", "w_", "1 = 1");
    select
        .expr_as(
            Expr::cust("COUNT(participant_tally.women_value)"),
            Alias::new("w_known"),
        )
        .expr_as(
            Expr::cust("MAX(CASE WHEN participant_tally.derived THEN 1 ELSE 0 END)"),
            Alias::new("derived__"),
        )
        .expr_as(
            Expr::cust("COUNT(DISTINCT participant_tally.event_id)"),
            Alias::new("events__"),
        );
    select
}

/// People totals from the rows of `select`, which names its columns as the tally path does.
async fn read_people(
    db: &impl ConnectionTrait,
    select: SelectStatement,
    dims: &[PeopleDim],
) -> Result<Vec<PeopleTotal>, DbErr> {
    let mut totals = Vec::new();
    for row in db.query_all(&select).await? {
        let mut keys = Keys {
            key: row.try_get("", "key__")?,
            ..Keys::default()
        };
        for (i, dim) in dims.iter().enumerate() {
            let k = format!("k{i}");
            match dim {
                PeopleDim::Nationality => keys.nationality = text(&row, &k)?,
                PeopleDim::Role => keys.role = text(&row, &k)?.and_then(|t| parse(&t)),
                PeopleDim::Status => keys.status = text(&row, &k)?.and_then(|t| parse(&t)),
                PeopleDim::EventKind => keys.event_kind = text(&row, &k)?.and_then(|t| parse(&t)),
                PeopleDim::Country => keys.country = text(&row, &k)?,
                PeopleDim::Province => keys.province = number(&row, &k)?,
                PeopleDim::Year => keys.year = number(&row, &k)?,
                PeopleDim::Month => keys.month = number(&row, &k)?,
            }
        }
        let derived = row.try_get::<Option<i32>>("", "derived__")?.unwrap_or(0) > 0;
        let known: i64 = row.try_get("", "w_known")?;
        let women = if known > 0 {
            Some(settle(tally_of(&row, "w_", false)?))
        } else {
            None
        };
        let events: i64 = row.try_get("", "events__")?;
        totals.push(PeopleTotal {
            keys,
            total: settle(tally_of(&row, "", derived)?),
            women,
            event_count: u64::try_from(events).unwrap_or(0),
        });
    }
    Ok(totals)
}

/// Which events make up each row of people totals (`parent` is the row's key).
pub fn people_membership(filter: &EventFilter, dims: &[PeopleDim]) -> Membership {
    let columns: Vec<&str> = dims.iter().map(|d| d.column()).collect();
    let mut select = people_from(filter, dims);
    select
        .distinct()
        .expr_as(Expr::cust(key_sql(&columns)), Alias::new("parent"))
        .expr_as(
            Expr::col((
                participant_tally::Entity,
                participant_tally::Column::EventId,
            )),
            Alias::new("child"),
        );
    select
}

/// FROM and WHERE of flow totals: the tallies of the flows `filter` selects, whole or split
/// by nationality.
fn flows_from(filter: &FlowFilter, dims: &[FlowDim]) -> SelectStatement {
    let mut select = Query::select();
    select
        .from(flow_tally::Entity)
        .inner_join(
            deportation_flow::Entity,
            Expr::col((deportation_flow::Entity, deportation_flow::Column::Id))
                .equals((flow_tally::Entity, flow_tally::Column::FlowId)),
        )
        .cond_where(filter.condition())
        .and_where(
            Expr::col((flow_tally::Entity, flow_tally::Column::Split))
                .eq(dims.contains(&FlowDim::Nationality)),
        );
    select
}

/// Flow totals over the flows `filter` selects, grouped by `dims`.
pub async fn flows(
    db: &impl ConnectionTrait,
    filter: &FlowFilter,
    dims: &[FlowDim],
) -> Result<Vec<FlowTotal>, DbErr> {
    flows_from_source(db, filter, dims, Source::Best).await
}

/// Flow totals, read from `source`.
pub async fn flows_from_source(
    db: &impl ConnectionTrait,
    filter: &FlowFilter,
    dims: &[FlowDim],
    source: Source,
) -> Result<Vec<FlowTotal>, DbErr> {
    if source == Source::Best && *filter == FlowFilter::default() {
        let totals = read_flows(db, rollup::flows_select(dims), dims).await?;
        if !totals.is_empty() {
            return Ok(totals);
        }
    }
    read_flows(db, flows_by_tallies(filter, dims), dims).await
}

/// Flow totals summed from the tallies.
fn flows_by_tallies(filter: &FlowFilter, dims: &[FlowDim]) -> SelectStatement {
    let columns: Vec<&str> = dims.iter().map(|d| d.column()).collect();
    let mut select = flows_from(filter, dims);
    group_by(&mut select, &columns);
    sum_columns(&mut select, "flow_tally", "", "", "flow_tally.counted");
    select
        .expr_as(
            Expr::cust(
                "MAX(CASE WHEN flow_tally.counted AND flow_tally.derived THEN 1 ELSE 0 END)",
            ),
            Alias::new("derived__"),
        )
        .expr_as(
            Expr::cust("COUNT(DISTINCT CASE WHEN flow_tally.counted THEN flow_tally.flow_id END)"),
            Alias::new("counted__"),
        )
        .expr_as(
            Expr::cust(
                "COUNT(DISTINCT CASE WHEN NOT flow_tally.counted THEN flow_tally.flow_id END)",
            ),
            Alias::new("uncounted__"),
        );
    select
}

/// Flow totals from the rows of `select`, which names its columns as the tally path does.
async fn read_flows(
    db: &impl ConnectionTrait,
    select: SelectStatement,
    dims: &[FlowDim],
) -> Result<Vec<FlowTotal>, DbErr> {
    let mut totals = Vec::new();
    for row in db.query_all(&select).await? {
        let mut keys = Keys {
            key: row.try_get("", "key__")?,
            ..Keys::default()
        };
        for (i, dim) in dims.iter().enumerate() {
            let k = format!("k{i}");
            match dim {
                FlowDim::From => keys.from = text(&row, &k)?,
                FlowDim::To => keys.to = text(&row, &k)?,
                FlowDim::Nationality => keys.nationality = text(&row, &k)?,
                FlowDim::Kind => keys.flow_kind = text(&row, &k)?.and_then(|t| parse(&t)),
                FlowDim::Status => keys.flow_status = text(&row, &k)?.and_then(|t| parse(&t)),
                FlowDim::Year => keys.year = number(&row, &k)?,
                FlowDim::Month => keys.month = number(&row, &k)?,
            }
        }
        let derived = row.try_get::<Option<i32>>("", "derived__")?.unwrap_or(0) > 0;
        let counted: i64 = row.try_get("", "counted__")?;
        let uncounted: i64 = row.try_get("", "uncounted__")?;
        totals.push(FlowTotal {
            keys,
            total: settle(tally_of(&row, "", derived)?),
            flow_count: u64::try_from(counted).unwrap_or(0),
            uncounted_count: u64::try_from(uncounted).unwrap_or(0),
        });
    }
    Ok(totals)
}

/// Which flows make up each row of flow totals (`parent` is the row's key); `counted` picks
/// the summed ones or the others.
pub fn flow_membership(filter: &FlowFilter, dims: &[FlowDim], counted: Option<bool>) -> Membership {
    let columns: Vec<&str> = dims.iter().map(|d| d.column()).collect();
    let mut select = flows_from(filter, dims);
    select
        .distinct()
        .expr_as(Expr::cust(key_sql(&columns)), Alias::new("parent"))
        .expr_as(
            Expr::col((flow_tally::Entity, flow_tally::Column::FlowId)),
            Alias::new("child"),
        );
    if let Some(counted) = counted {
        select.and_where(Expr::col((flow_tally::Entity, flow_tally::Column::Counted)).eq(counted));
    }
    select
}

/// Events per period (year, or `yyyymm` month) among those `filter` selects; the undated as
/// period None.
pub async fn events_per_period(
    db: &impl ConnectionTrait,
    filter: &EventFilter,
    monthly: bool,
) -> Result<Vec<(Option<i32>, u64)>, DbErr> {
    let column = if monthly { "event.month" } else { "event.year" };
    let mut select = Query::select();
    select
        .expr_as(Expr::cust(column), Alias::new("period"))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from(event::Entity)
        .cond_where(filter.condition())
        .add_group_by([Expr::cust(column)])
        .order_by_expr(Expr::cust(column), sea_orm::Order::Asc);
    let mut out = Vec::new();
    for row in db.query_all(&select).await? {
        let n: i64 = row.try_get("", "n")?;
        out.push((row.try_get("", "period")?, u64::try_from(n).unwrap_or(0)));
    }
    Ok(out)
}

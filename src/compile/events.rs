//! The root `events` connection compiled: the plan of what its selection asks for, the one
//! statement that reads the page with every nested list built as JSON in the database, and
//! the connection's JSON text, written in the selection's order with the response keys.
//!
//! The page itself is `service::page::page_query` (the queries the resolvers run), with one
//! column added per nested field the nodes select; cursors and `pageInfo` come from the same
//! functions the resolvers use (`connection::cursor_of`, `PageInfo::new`), so they cannot
//! differ. An event's own columns are written here from its row, as its resolvers would.

use super::objects::event_field;
use super::select::{Fragments, Key, keys, leaves};
use super::shape::{Builder, Json};
use super::write::{Fields, boolean, date, list, object, optional, string};
use crate::graphql::connection::{PageInfo, cursor_of};
use crate::graphql::ids;
use crate::service::page::{Page, PageQuery, Paged, page_query, page_statement};
use crate::service::sort::Sort;
use async_graphql::parser::types::SelectionSet;
use entity::event;
use sea_orm::sea_query::IntoIden;
use sea_orm::{Condition, ConnectionTrait, DbErr, FromQueryResult, QuerySelect, Select, Statement};

/// What the selection under an `events` connection asks for, when the compiler covers all
/// of it.
#[derive(Debug)]
pub struct EventsPlan {
    fields: Fields<Conn>,
    /// The values the database builds, one column each (`c0`, `c1`…).
    columns: Vec<Json>,
}

#[derive(Debug)]
enum Conn {
    Nodes(Fields<Node>),
    Edges(Fields<Edge>),
    PageInfo(Fields<Info>),
    Typename,
}

#[derive(Debug)]
enum Edge {
    Cursor,
    Node(Fields<Node>),
    Typename,
}

#[derive(Debug)]
enum Info {
    HasNextPage,
    HasPreviousPage,
    StartCursor,
    EndCursor,
    Typename,
}

#[derive(Debug)]
enum Node {
    Id,
    Key,
    Version,
    Title,
    Summary,
    Status,
    Date(Fields<DateField>),
    Typename,
    /// The database's column of that index.
    Column(usize),
}

#[derive(Debug)]
enum DateField {
    Start,
    End,
    Precision,
    Derived,
    Typename,
}

impl EventsPlan {
    /// The plan for `sets`, the selection under an `events` field; None when anything in it
    /// is not covered (the resolvers answer it then).
    pub fn new(fragments: &Fragments, sets: &[&SelectionSet]) -> Option<Self> {
        let mut columns = Vec::new();
        let fields = keys(fragments, sets, "EventConnection")?
            .iter()
            .map(|k| {
                if !k.arguments.is_empty() {
                    return None;
                }
                let value = match k.name {
                    "nodes" => Conn::Nodes(nodes(fragments, k, &mut columns)?),
                    "edges" => Conn::Edges(edges(fragments, k, &mut columns)?),
                    "pageInfo" => Conn::PageInfo(page_info(fragments, k)?),
                    "__typename" => Conn::Typename,
                    _ => return None,
                };
                Some((k.key.to_string(), value))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(EventsPlan { fields, columns })
    }
}

fn page_info(fragments: &Fragments, key: &Key<'_>) -> Option<Fields<Info>> {
    leaves(fragments, key, "PageInfo", |name| match name {
        "hasNextPage" => Some(Info::HasNextPage),
        "hasPreviousPage" => Some(Info::HasPreviousPage),
        "startCursor" => Some(Info::StartCursor),
        "endCursor" => Some(Info::EndCursor),
        "__typename" => Some(Info::Typename),
        _ => None,
    })
}

fn edges(fragments: &Fragments, key: &Key<'_>, columns: &mut Vec<Json>) -> Option<Fields<Edge>> {
    keys(fragments, &key.sets, "EventEdge")?
        .iter()
        .map(|k| {
            let value = match k.name {
                "cursor" if k.is_leaf() => Edge::Cursor,
                "__typename" => Edge::Typename,
                "node" => Edge::Node(nodes(fragments, k, columns)?),
                _ => return None,
            };
            Some((k.key.to_string(), value))
        })
        .collect()
}

fn nodes(fragments: &Fragments, key: &Key<'_>, columns: &mut Vec<Json>) -> Option<Fields<Node>> {
    keys(fragments, &key.sets, "Event")?
        .iter()
        .map(|k| {
            let own = k.is_leaf() && k.arguments.is_empty();
            let value = match k.name {
                "id" if own => Node::Id,
                "key" if own => Node::Key,
                "version" if own => Node::Version,
                "title" if own => Node::Title,
                "summary" if own => Node::Summary,
                "status" if own => Node::Status,
                "__typename" => Node::Typename,
                "date" if k.arguments.is_empty() => {
                    Node::Date(leaves(fragments, k, "DateSpan", |name| match name {
                        "start" => Some(DateField::Start),
                        "end" => Some(DateField::End),
                        "precision" => Some(DateField::Precision),
                        "derived" => Some(DateField::Derived),
                        "__typename" => Some(DateField::Typename),
                        _ => None,
                    })?)
                }
                _ => {
                    columns.push(event_field(fragments, k)?);
                    Node::Column(columns.len() - 1)
                }
            };
            Some((k.key.to_string(), value))
        })
        .collect()
}

/// One event of the page: its row and the JSON of its database-built fields.
struct Row {
    event: event::Model,
    columns: Vec<Option<String>>,
}

/// Runs `plan` for the page `page` of the events matching `filter` in `sort`, in one
/// statement, and returns the connection's JSON text.
pub async fn run(
    db: &impl ConnectionTrait,
    plan: &EventsPlan,
    filter: Condition,
    sort: Sort<event::Entity>,
    page: &Page,
) -> Result<String, DbErr> {
    let backend = db.get_database_backend();
    let scope = event::Entity.into_iden();
    let filtered = !filter.is_empty();
    let columns = |mut query: Select<event::Entity>| {
        let mut builder = Builder::new(backend);
        for (i, json) in plan.columns.iter().enumerate() {
            query = query.expr_as(builder.column(&scope, json), format!("c{i}"));
        }
        page_statement(query, backend, filtered)
    };
    let PageQuery { head, tail } = page_query(filter, sort, page, backend);
    let mut rows = rows_of(db, plan, columns(head)).await?;
    if let Some(tail) = tail.after(rows.len()) {
        rows.extend(rows_of(db, plan, columns(tail)).await?);
    }
    let paged = Paged::from_fetched(rows, page);
    let cursors: Vec<String> = paged
        .rows
        .iter()
        .map(|r| cursor_of(&sort, &r.event))
        .collect();
    let info = PageInfo::new(page, paged.more, cursors.first(), cursors.last());
    let mut out = String::with_capacity(1024 * (paged.rows.len() + 1));
    object(&mut out, &plan.fields, |out, conn| match conn {
        Conn::Nodes(fields) => list(out, &paged.rows, |out, row| node(out, fields, row)),
        Conn::Edges(fields) => list(out, paged.rows.iter().zip(&cursors), |out, (row, c)| {
            object(out, fields, |out, edge| match edge {
                Edge::Cursor => string(out, c),
                Edge::Node(fields) => node(out, fields, row),
                Edge::Typename => string(out, "EventEdge"),
            })
        }),
        Conn::PageInfo(fields) => object(out, fields, |out, field| match field {
            Info::HasNextPage => boolean(out, info.has_next_page),
            Info::HasPreviousPage => boolean(out, info.has_previous_page),
            Info::StartCursor => optional(out, info.start_cursor.as_deref()),
            Info::EndCursor => optional(out, info.end_cursor.as_deref()),
            Info::Typename => string(out, "PageInfo"),
        }),
        Conn::Typename => string(out, "EventConnection"),
    });
    Ok(out)
}

/// The rows `statement` reads, each with its database-built columns.
async fn rows_of(
    db: &impl ConnectionTrait,
    plan: &EventsPlan,
    statement: Statement,
) -> Result<Vec<Row>, DbErr> {
    let mut rows = Vec::new();
    for row in db.query_all_raw(statement).await? {
        let event = event::Model::from_query_result(&row, "")?;
        let columns = (0..plan.columns.len())
            .map(|i| row.try_get::<Option<String>>("", &format!("c{i}")))
            .collect::<Result<_, _>>()?;
        rows.push(Row { event, columns });
    }
    Ok(rows)
}

/// One event as its resolvers give it.
fn node(out: &mut String, fields: &Fields<Node>, row: &Row) {
    let e = &row.event;
    object(out, fields, |out, field| match field {
        Node::Id => string(out, &ids::encode("Event", &e.key)),
        Node::Key => string(out, &e.key),
        Node::Version => out.push_str(&e.version.to_string()),
        Node::Title => string(out, &e.title),
        Node::Summary => string(out, &e.summary),
        Node::Status => string(out, e.status.as_str()),
        Node::Typename => string(out, "Event"),
        Node::Date(fields) => object(out, fields, |out, field| match field {
            DateField::Start => date(out, e.date_start),
            DateField::End => date(out, e.date_end),
            DateField::Precision => string(out, e.date_precision.as_str()),
            DateField::Derived => boolean(out, e.date_derived),
            DateField::Typename => string(out, "DateSpan"),
        }),
        Node::Column(i) => match row.columns.get(*i).and_then(Option::as_deref) {
            Some(json) => out.push_str(json),
            None => out.push_str("null"),
        },
    });
}

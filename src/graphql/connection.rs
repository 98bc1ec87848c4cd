//! Relay connections: the page arguments (`PageArgs`), opaque cursors checked against their
//! ordering, `PageInfo`, a lazily counted `totalCount`, and the `connection!` macro that
//! declares a documented connection type with its two constructors, `root` and `nested`.

use crate::error::Error;
use crate::graphql::ids::shown;
use crate::graphql::loaders::{CountOf, PageOf};
use crate::graphql::{load, read};
use crate::service::page::{Direction, Page, Paged, count_of, page_of};
use crate::service::relation::Relation;
use crate::service::sort::{Keyed, Position, Sort};
use async_graphql::connection::{CursorType, OpaqueCursor};
use async_graphql::{Context, SimpleObject};
use sea_orm::{Condition, EntityTrait};
use serde::{Deserialize, Serialize};
use std::marker::PhantomData;

/// Items a page holds when neither `first` nor `last` is given.
pub const DEFAULT_PAGE: usize = 20;
/// The most items one page may hold.
pub const MAX_PAGE: usize = 100;

/// What a cursor holds: the name of the ordering it belongs to and the position in it.
/// async-graphql's `OpaqueCursor` writes it (base64url of its JSON, as cursors always were).
#[derive(Serialize, Deserialize)]
struct CursorData {
    o: String,
    #[serde(flatten)]
    p: Position,
}

/// The opaque cursor of the row at `position` in the ordering named `order`.
fn encode_cursor(order: &str, position: Position) -> String {
    OpaqueCursor(CursorData {
        o: order.to_string(),
        p: position,
    })
    .encode_cursor()
}

/// The position a cursor of `sort` names. A cursor of another ordering, or one whose key is
/// not of the sort column's type (forged, or from an older release), is the client's mistake.
fn decode_cursor<E: EntityTrait>(sort: &Sort<E>, cursor: &str) -> Result<Position, Error> {
    let bad = || {
        Error::BadUserInput(format!(
            "{} is not a cursor of this connection",
            shown(cursor)
        ))
    };
    let OpaqueCursor(data) =
        OpaqueCursor::<CursorData>::decode_cursor(cursor).map_err(|_| bad())?;
    if data.o != sort.name {
        return Err(Error::BadUserInput(format!(
            "cursor {} belongs to another ordering ({}); ask again from the start",
            shown(cursor),
            shown(&data.o)
        )));
    }
    if !sort.admits(&data.p.key) {
        return Err(bad());
    }
    Ok(data.p)
}

/// The cursor of `row` in `sort`: the one a connection ordered by `sort` gives it.
pub fn cursor_of<E: EntityTrait>(sort: &Sort<E>, row: &E::Model) -> String
where
    E::Model: Keyed,
{
    encode_cursor(sort.name, sort.position(row))
}

/// The row a cursor of `sort` names (its id), for reading on after it; BAD_USER_INPUT for a
/// cursor of another ordering or a forged one.
pub fn row_after<E: EntityTrait>(sort: &Sort<E>, cursor: &str) -> Result<i32, Error> {
    decode_cursor(sort, cursor).map(|p| p.id)
}

/// Relay's page arguments as a connection field receives them: `first` (with `after`) reads
/// forward, `last` (with `before`) backward.
#[derive(Clone, Debug, Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl PageArgs {
    /// The arguments as a field declares them, in the order it declares them.
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Self {
        PageArgs {
            first,
            after,
            last,
            before,
        }
    }

    /// The page asked for, in `sort`: at most `MAX_PAGE` items, `DEFAULT_PAGE` when no size is
    /// given, from a cursor of `sort` only.
    pub fn page<E: EntityTrait>(self, sort: &Sort<E>) -> Result<Page, Error> {
        let size = |name: &str, n: Option<i32>| match n {
            None => Ok(DEFAULT_PAGE as u64),
            Some(n) => usize::try_from(n)
                .ok()
                .filter(|n| *n <= MAX_PAGE)
                .map(|n| n as u64)
                .ok_or_else(|| {
                    Error::BadUserInput(format!(
                        "`{name}` must be between 0 and {MAX_PAGE}, not {n}"
                    ))
                }),
        };
        let from = |cursor: Option<String>| cursor.map(|c| decode_cursor(sort, &c)).transpose();
        let refuse = |message: &str| Err(Error::BadUserInput(message.into()));
        match (self.first, self.after, self.last, self.before) {
            (Some(_), _, Some(_), _) => refuse("give `first` or `last`, not both"),
            (_, Some(_), _, Some(_)) => refuse("give `after` or `before`, not both"),
            (Some(_), _, _, Some(_)) => {
                refuse("`first` reads forward: use it with `after`, not `before`")
            }
            (_, Some(_), Some(_), _) => {
                refuse("`last` reads backward: use it with `before`, not `after`")
            }
            // Forward unless told otherwise: no arguments read the first page.
            (first, after, None, None) => Ok(Page {
                limit: size("first", first)?,
                from: from(after)?,
                direction: Direction::Forward,
            }),
            (None, None, last, before) => Ok(Page {
                limit: size("last", last)?,
                from: from(before)?,
                direction: Direction::Backward,
            }),
        }
    }
}

/// The complexity of a connection field: its children's, once per item a page may hold.
pub fn cost(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    let items = first.or(last).map_or(DEFAULT_PAGE, |n| {
        usize::try_from(n).unwrap_or(0).min(MAX_PAGE)
    });
    1 + items.max(1) * child_complexity
}

/// Where a page lies among all pages.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct PageInfo {
    /// True when items follow this page (ask with `first` and `after: endCursor`).
    pub has_next_page: bool,
    /// True when items precede this page (ask with `last` and `before: startCursor`).
    pub has_previous_page: bool,
    /// The cursor of the first item on this page; null for an empty page.
    pub start_cursor: Option<String>,
    /// The cursor of the last item on this page; null for an empty page.
    pub end_cursor: Option<String>,
}

impl PageInfo {
    /// A page read from `page.from` finds rows beyond it (`more`) in the direction it reads;
    /// rows lie the other way exactly when it started from a cursor.
    pub fn new(page: &Page, more: bool, start: Option<&String>, end: Option<&String>) -> Self {
        let (has_next_page, has_previous_page) = match page.direction {
            Direction::Forward => (more, page.from.is_some()),
            Direction::Backward => (page.from.is_some(), more),
        };
        PageInfo {
            has_next_page,
            has_previous_page,
            start_cursor: start.cloned(),
            end_cursor: end.cloned(),
        }
    }
}

/// Counts a connection's items on all pages, only when `totalCount` is asked for.
#[async_trait::async_trait]
pub trait Counter: Send + Sync {
    async fn count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64>;
}

/// Counts the rows of `E` matching a condition: a root connection's total.
struct CountRows<E>(Condition, PhantomData<fn() -> E>);

#[async_trait::async_trait]
impl<E: EntityTrait> Counter for CountRows<E>
where
    E::Model: Sync,
    E: Send + Sync,
{
    async fn count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        let condition = self.0.clone();
        read(
            ctx,
            move |db| async move { count_of::<E>(&db, condition).await },
        )
        .await
    }
}

/// Counts a nested connection's items, batched across parents.
struct CountChildren<R: Relation>(CountOf<R>);

#[async_trait::async_trait]
impl<R: Relation> Counter for CountChildren<R> {
    async fn count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        Ok(load(ctx, self.0.clone()).await?.unwrap_or(0))
    }
}

/// A page of a connection before its GraphQL type wraps it: the edges (cursor and node),
/// `PageInfo`, and how to count every item.
pub struct Parts<N> {
    pub edges: Vec<(String, N)>,
    pub page_info: PageInfo,
    pub total: Box<dyn Counter>,
}

impl<N> Parts<N> {
    fn new<E: EntityTrait>(
        paged: Paged<E::Model>,
        page: &Page,
        sort: Sort<E>,
        node: fn(E::Model) -> N,
        total: impl Counter + 'static,
    ) -> Self
    where
        E::Model: Keyed,
    {
        let edges: Vec<(String, N)> = paged
            .rows
            .into_iter()
            .map(|m| (encode_cursor(sort.name, sort.position(&m)), node(m)))
            .collect();
        let first = edges.first().map(|(c, _)| c);
        let last = edges.last().map(|(c, _)| c);
        let page_info = PageInfo::new(page, paged.more, first, last);
        Parts {
            edges,
            page_info,
            total: Box::new(total),
        }
    }
}

/// One page of a root connection: the `E` rows matching `condition`, in `sort`.
pub async fn root<E, N>(
    ctx: &Context<'_>,
    condition: Condition,
    sort: Sort<E>,
    args: PageArgs,
    node: fn(E::Model) -> N,
) -> async_graphql::Result<Parts<N>>
where
    E: EntityTrait + Send + Sync,
    E::Model: Keyed + Sync,
{
    let page = args.page(&sort)?;
    let (c, p) = (condition.clone(), page.clone());
    let paged = read(ctx, move |db| async move {
        page_of::<E>(&db, c, sort, &p).await
    })
    .await?;
    Ok(Parts::new(
        paged,
        &page,
        sort,
        node,
        CountRows::<E>(condition, PhantomData),
    ))
}

/// One page of `relation`'s children of `parent`, in the relation's sort, batched with every
/// other parent's through the DataLoader.
pub async fn nested<R: Relation, N>(
    ctx: &Context<'_>,
    relation: R,
    parent: R::Parent,
    args: PageArgs,
    node: fn(R::Model) -> N,
) -> async_graphql::Result<Parts<N>> {
    let sort = relation.sort();
    let page = args.page(&sort)?;
    let paged = children(ctx, relation.clone(), parent.clone(), &page).await?;
    let total = CountChildren(CountOf { relation, parent });
    Ok(Parts::new(paged, &page, sort, node, total))
}

/// One page of `relation`'s children of `parent` as rows (empty when there are none).
pub async fn children<R: Relation>(
    ctx: &Context<'_>,
    relation: R,
    parent: R::Parent,
    page: &Page,
) -> async_graphql::Result<Paged<R::Model>> {
    let key = PageOf {
        relation,
        parent,
        page: page.clone(),
    };
    Ok(load(ctx, key).await?.unwrap_or(Paged {
        rows: Vec::new(),
        more: false,
    }))
}

/// Declares `$conn` and `$edge`: a documented Relay connection of `$node`, a newtype over a
/// row of the entity `$table`. `$conn::root` reads a root page, `$conn::nested` a page of a
/// relation's children, so a connection field's body is one call.
macro_rules! connection {
    ($conn:ident, $edge:ident, $node:ident($table:ident), $conn_doc:literal, $edge_doc:literal) => {
        #[doc = $conn_doc]
        pub struct $conn {
            edges: Vec<$edge>,
            page_info: $crate::graphql::connection::PageInfo,
            total: Box<dyn $crate::graphql::connection::Counter>,
        }

        impl $conn {
            fn from_parts(parts: $crate::graphql::connection::Parts<$node>) -> Self {
                $conn {
                    edges: parts
                        .edges
                        .into_iter()
                        .map(|(cursor, node)| $edge { cursor, node })
                        .collect(),
                    page_info: parts.page_info,
                    total: parts.total,
                }
            }

            /// A page of the rows matching `condition`, in `sort`.
            pub async fn root(
                ctx: &async_graphql::Context<'_>,
                condition: sea_orm::Condition,
                sort: $crate::service::sort::Sort<entity::$table::Entity>,
                args: $crate::graphql::connection::PageArgs,
            ) -> async_graphql::Result<Self> {
                $crate::graphql::connection::root(ctx, condition, sort, args, $node)
                    .await
                    .map(Self::from_parts)
            }

            /// A page of `relation`'s children of `parent`.
            pub async fn nested<R>(
                ctx: &async_graphql::Context<'_>,
                relation: R,
                parent: R::Parent,
                args: $crate::graphql::connection::PageArgs,
            ) -> async_graphql::Result<Self>
            where
                R: $crate::service::relation::Relation<Model = entity::$table::Model>,
            {
                $crate::graphql::connection::nested(ctx, relation, parent, args, $node)
                    .await
                    .map(Self::from_parts)
            }
        }

        #[doc = $edge_doc]
        #[derive(async_graphql::SimpleObject)]
        pub struct $edge {
            /// Opaque position of this item; pass it as `after` or `before` to page from here.
            pub cursor: String,
            /// The item.
            pub node: $node,
        }

        #[doc = $conn_doc]
        #[async_graphql::Object]
        impl $conn {
            /// The items on this page, each with its cursor.
            async fn edges(&self) -> &[$edge] {
                &self.edges
            }

            /// The items on this page, without cursors.
            async fn nodes(&self) -> Vec<&$node> {
                self.edges.iter().map(|e| &e.node).collect()
            }

            /// Where this page lies among all pages.
            async fn page_info(&self) -> &$crate::graphql::connection::PageInfo {
                &self.page_info
            }

            /// How many items there are on all pages together (counted only when asked for).
            async fn total_count(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> async_graphql::Result<u64> {
                self.total.count(ctx).await
            }
        }
    };
}
pub(crate) use connection;

#[cfg(test)]
mod tests;

//! Relay connections: page arguments, opaque cursors, `PageInfo`, a lazily counted
//! `totalCount`, and the `connection!` macro that declares a documented connection type.

use crate::error::Error;
use crate::graphql::loaders::CountOf;
use crate::graphql::{load, read};
use crate::service::page::{Direction, Page, Paged, Position, count_of};
use crate::service::relation::Relation;
use async_graphql::{Context, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::{Condition, EntityTrait};
use serde::{Deserialize, Serialize};
use std::marker::PhantomData;

/// Items a page holds when neither `first` nor `last` is given.
pub const DEFAULT_PAGE: usize = 20;
/// The most items one page may hold.
pub const MAX_PAGE: usize = 100;

/// What a cursor holds: the ordering it belongs to and the position in it.
#[derive(Serialize, Deserialize)]
struct CursorData {
    o: String,
    #[serde(flatten)]
    p: Position,
}

/// The opaque cursor of the row at `position` in the ordering named `order`.
pub fn encode_cursor(order: &str, position: Position) -> String {
    let json = serde_json::to_vec(&CursorData {
        o: order.to_string(),
        p: position,
    })
    .unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

fn decode_cursor(order: &str, cursor: &str) -> Result<Position, Error> {
    let bad = || Error::BadUserInput(format!("\"{cursor}\" is not a cursor of this connection"));
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let data: CursorData = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if data.o != order {
        return Err(Error::BadUserInput(format!(
            "cursor \"{cursor}\" belongs to another ordering ({}); ask again from the start",
            data.o
        )));
    }
    Ok(data.p)
}

/// Checks Relay's page arguments: `first` (with `after`) reads forward, `last` (with
/// `before`) backward; at most `MAX_PAGE` items.
pub fn page(
    order: &str,
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> Result<Page, Error> {
    let size = |name: &str, n: i32| {
        usize::try_from(n)
            .ok()
            .filter(|n| *n <= MAX_PAGE)
            .map(|n| n as u64)
            .ok_or_else(|| {
                Error::BadUserInput(format!(
                    "`{name}` must be between 0 and {MAX_PAGE}, not {n}"
                ))
            })
    };
    match (first, after, last, before) {
        (Some(_), _, Some(_), _) => Err(Error::BadUserInput(
            "give `first` or `last`, not both".into(),
        )),
        (_, Some(_), _, Some(_)) => Err(Error::BadUserInput(
            "give `after` or `before`, not both".into(),
        )),
        (Some(_), _, _, Some(_)) => Err(Error::BadUserInput(
            "`first` reads forward: use it with `after`, not `before`".into(),
        )),
        (_, Some(_), Some(_), _) => Err(Error::BadUserInput(
            "`last` reads backward: use it with `before`, not `after`".into(),
        )),
        (None, None, Some(n), before) => Ok(Page {
            limit: size("last", n)?,
            from: before.map(|c| decode_cursor(order, &c)).transpose()?,
            direction: Direction::Backward,
        }),
        (None, None, None, Some(before)) => Ok(Page {
            limit: DEFAULT_PAGE as u64,
            from: Some(decode_cursor(order, &before)?),
            direction: Direction::Backward,
        }),
        (first, after, None, None) => Ok(Page {
            limit: first
                .map(|n| size("first", n))
                .transpose()?
                .unwrap_or(DEFAULT_PAGE as u64),
            from: after.map(|c| decode_cursor(order, &c)).transpose()?,
            direction: Direction::Forward,
        }),
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
#[derive(SimpleObject, Clone, Debug)]
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

/// Counts a connection's items on all pages, only when `totalCount` is asked for.
#[async_trait::async_trait]
pub trait Counter: Send + Sync {
    async fn count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64>;
}

/// Counts the rows of `E` matching a condition: a root connection's total.
pub struct CountRows<E>(pub Condition, pub PhantomData<fn() -> E>);

impl<E> CountRows<E> {
    pub fn new(condition: Condition) -> Self {
        CountRows(condition, PhantomData)
    }
}

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
pub struct CountChildren<R: Relation>(pub CountOf<R>);

#[async_trait::async_trait]
impl<R: Relation> Counter for CountChildren<R> {
    async fn count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        Ok(load(ctx, self.0.clone()).await?.unwrap_or(0))
    }
}

/// One page of `relation`'s children of `parent`, batched with every other parent's through
/// the DataLoader (empty when there are none).
pub async fn children<R: Relation>(
    ctx: &Context<'_>,
    relation: R,
    parent: R::Parent,
    page: &Page,
) -> async_graphql::Result<Paged<R::Model>> {
    let key = crate::graphql::loaders::PageOf {
        relation,
        parent,
        page: page.clone(),
    };
    Ok(load(ctx, key).await?.unwrap_or(Paged {
        rows: Vec::new(),
        more: false,
    }))
}

/// A page turned into edges (cursor and node) and its `PageInfo`.
pub fn edges<M, N>(
    paged: Paged<M>,
    page: &Page,
    order: &str,
    position: impl Fn(&M) -> Position,
    node: impl Fn(M) -> N,
) -> (Vec<(String, N)>, PageInfo) {
    let edges: Vec<(String, N)> = paged
        .rows
        .into_iter()
        .map(|m| (encode_cursor(order, position(&m)), node(m)))
        .collect();
    let (has_next_page, has_previous_page) = match page.direction {
        Direction::Forward => (paged.more, page.from.is_some()),
        Direction::Backward => (page.from.is_some(), paged.more),
    };
    let info = PageInfo {
        has_next_page,
        has_previous_page,
        start_cursor: edges.first().map(|(c, _)| c.clone()),
        end_cursor: edges.last().map(|(c, _)| c.clone()),
    };
    (edges, info)
}

/// Declares `$conn` and `$edge`: a documented Relay connection of `$node`.
macro_rules! connection {
    ($conn:ident, $edge:ident, $node:ty, $conn_doc:literal, $edge_doc:literal) => {
        #[doc = $conn_doc]
        pub struct $conn {
            edges: Vec<$edge>,
            page_info: $crate::graphql::connection::PageInfo,
            total: Box<dyn $crate::graphql::connection::Counter>,
        }

        impl $conn {
            /// A connection from a page's edges, its `PageInfo` and how to count all items.
            pub fn new(
                (edges, page_info): (Vec<(String, $node)>, $crate::graphql::connection::PageInfo),
                total: impl $crate::graphql::connection::Counter + 'static,
            ) -> Self {
                $conn {
                    edges: edges
                        .into_iter()
                        .map(|(cursor, node)| $edge { cursor, node })
                        .collect(),
                    page_info,
                    total: Box::new(total),
                }
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

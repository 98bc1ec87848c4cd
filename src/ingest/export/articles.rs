//! Article texts (`source_text`), a page of sources at a time in key order: the files of
//! `data/articles/`.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use sea_orm::{ConnectionTrait, DbErr};

/// Sources read per page of articles (each text is a few kilobytes).
pub const PAGE: u64 = 100;

/// One article: its source's key, its file name, its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    pub source: String,
    pub file: String,
    pub text: String,
}

/// Up to `limit` articles of sources whose key sorts after `after`, in key order; a source
/// with no stored text (a generated one) has no article.
pub async fn page(
    db: &impl ConnectionTrait,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<Article>, DbErr> {
    let (source, text) = (Alias::new("source"), Alias::new("source_text"));
    let mut query = Query::select();
    query
        .column((source.clone(), Alias::new("key")))
        .column((source.clone(), Alias::new("article")))
        .column((text.clone(), Alias::new("text")))
        .from(source.clone())
        .inner_join(
            text.clone(),
            Expr::col((text.clone(), Alias::new("source_id")))
                .equals((source.clone(), Alias::new("id"))),
        )
        .order_by((source.clone(), Alias::new("key")), Order::Asc)
        .limit(limit);
    if let Some(after) = after {
        query.and_where(Expr::col((source.clone(), Alias::new("key"))).gt(after));
    }
    db.query_all(&query)
        .await?
        .iter()
        .map(|row| {
            Ok(Article {
                source: row.try_get("", "key")?,
                file: row.try_get("", "article")?,
                text: row.try_get("", "text")?,
            })
        })
        .collect()
}

//! Full-text search of events through the index each database keeps (see the migration
//! `create_event_search`): a word is a run of letters and digits, lower-cased, accents kept;
//! every word searched for must begin a word of the title or summary.
//!
//! Both databases answer the same call, `SELECT rowid FROM event_search('north* raid*')`:
//! SQLite's FTS5 table-valued function, and on PostgreSQL a SQL function of that name over a
//! `tsvector` column, which the planner inlines so the GIN index is read.

use entity::event;
use sea_orm::Condition;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};

/// The words of `text` as the indexes see them: runs of letters and digits, lower-cased.
pub fn terms(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The index query for `text`: each word as a prefix, all required (`north* raid*`); None
/// when `text` holds no word at all.
pub fn index_query(text: &str) -> Option<String> {
    let terms = terms(text);
    (!terms.is_empty()).then(|| {
        terms
            .iter()
            .map(|t| format!("{t}*"))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// Events whose title or summary holds every word of `text` (as a word's beginning). A text
/// without a single letter or digit (`%`, `"_"`) matches nothing.
pub fn events_matching(text: &str) -> Condition {
    let Some(query) = index_query(text) else {
        return Condition::all().add(Expr::cust("1 = 0"));
    };
    let hits = Query::select()
        .column(Alias::new("rowid"))
        .from_function(
            Func::cust(Alias::new("event_search")).arg(query),
            Alias::new("hits"),
        )
        .to_owned();
    Condition::all().add(Expr::col((event::Entity, event::Column::Id)).in_subquery(hits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        assert_eq!(
            terms("North-east RAID, 3.5% Đà_Nẵng"),
            ["north", "east", "raid", "3", "5", "đà", "nẵng"]
        );
        assert_eq!(index_query("a  b"), Some("a* b*".to_string()));
        assert_eq!(index_query("% _ \\"), None);
    }
}

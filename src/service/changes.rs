//! Reading the write side's records: the audit trail in commit order, a record's history,
//! and proposals, with the orderings their connections page in.

use super::sort::Sort;
use entity::enums::ProposalStatus;
use entity::{change, proposal};
use sea_orm::{ColumnTrait, Condition};

/// The audit trail in commit order (writes are serialised, so ids are commit order).
pub const CHANGES_IN_ORDER: Sort<change::Entity> = Sort {
    name: "changes",
    column: change::Column::Id,
    descending: false,
};

/// Proposals, oldest first.
pub const PROPOSALS_BY_ID: Sort<proposal::Entity> = Sort {
    name: "proposals",
    column: proposal::Column::Id,
    descending: false,
};

/// The changes of one record.
pub fn history_of(node_type: &str, key: &str) -> Condition {
    Condition::all()
        .add(change::Column::NodeType.eq(node_type))
        .add(change::Column::NodeKey.eq(key))
}

/// Proposals in `status` (any when None), only `author`'s when given.
pub fn proposals(status: Option<ProposalStatus>, author: Option<i32>) -> Condition {
    let mut condition = Condition::all();
    if let Some(status) = status {
        condition = condition.add(proposal::Column::Status.eq(status));
    }
    if let Some(author) = author {
        condition = condition.add(proposal::Column::AuthorKeyId.eq(author));
    }
    condition
}

/// Where a merged-away record of `node_type` with `key` lives now, if it was merged.
pub async fn redirected(
    db: &impl sea_orm::ConnectionTrait,
    node_type: &str,
    key: &str,
) -> Result<Option<String>, sea_orm::DbErr> {
    use sea_orm::{EntityTrait, QueryFilter};
    Ok(entity::redirect::Entity::find()
        .filter(entity::redirect::Column::NodeType.eq(node_type))
        .filter(entity::redirect::Column::FromKey.eq(key))
        .one(db)
        .await?
        .map(|r| r.to_key))
}

/// Published changes after position `after` (a change's id), in commit order, at most `limit`.
pub async fn after(
    db: &impl sea_orm::ConnectionTrait,
    after: i32,
    limit: u64,
) -> Result<Vec<change::Model>, sea_orm::DbErr> {
    use sea_orm::{EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    change::Entity::find()
        .filter(change::Column::Id.gt(after))
        .order_by_asc(change::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The position of the latest published change (0 before any).
pub async fn latest(db: &impl sea_orm::ConnectionTrait) -> Result<i32, sea_orm::DbErr> {
    use sea_orm::{EntityTrait, QueryOrder, QuerySelect};
    Ok(change::Entity::find()
        .select_only()
        .column(change::Column::Id)
        .order_by_desc(change::Column::Id)
        .into_tuple::<i32>()
        .one(db)
        .await?
        .unwrap_or(0))
}

/// The event with `key`, if it is published and matches `filter`.
pub async fn event_matching(
    db: &impl sea_orm::ConnectionTrait,
    key: &str,
    filter: &super::event::EventFilter,
) -> Result<Option<entity::event::Model>, sea_orm::DbErr> {
    use entity::event;
    use sea_orm::{EntityTrait, QueryFilter};
    event::Entity::find()
        .filter(event::Column::Key.eq(key))
        .filter(filter.condition())
        .one(db)
        .await
}

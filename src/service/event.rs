//! Pages of events.

use entity::event;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// Where a page of events starts: after the event with this sort key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct After {
    pub date_start: Option<chrono::NaiveDate>,
    pub id: i32,
}

/// Up to `limit` events, newest first (undated last), after `after`.
pub async fn page(
    db: &impl ConnectionTrait,
    after: Option<After>,
    limit: u64,
) -> Result<Vec<event::Model>, DbErr> {
    use event::Column as C;
    let mut query = event::Entity::find();
    if let Some(after) = after {
        query = query.filter(match after.date_start {
            Some(date) => Condition::any()
                .add(C::DateStart.lt(date))
                .add(
                    Condition::all()
                        .add(C::DateStart.eq(date))
                        .add(C::Id.lt(after.id)),
                )
                .add(C::DateStart.is_null()),
            None => Condition::all()
                .add(C::DateStart.is_null())
                .add(C::Id.lt(after.id)),
        });
    }
    query
        .order_by_with_nulls(
            C::DateStart,
            sea_orm::Order::Desc,
            sea_orm::sea_query::NullOrdering::Last,
        )
        .order_by_desc(C::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Number of events.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    event::Entity::find().count(db).await
}

//! The roll-up cells (year, month) an event's tallies are in, for a write that removes the
//! event's tallies itself (a retraction, a merge) rather than through `tallies::recompute`.

use crate::service::totals::rollup::Cell;
use entity::{flow_tally, participant_tally};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// The cells of the tallies of `events` and of `flows`.
pub async fn cells_of(
    db: &impl ConnectionTrait,
    events: &[i32],
    flows: &[i32],
) -> Result<Vec<Cell>, DbErr> {
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

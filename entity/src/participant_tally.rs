//! `participant_tally`: what one participant group (or an event total's unbroken remainder)
//! contributes to people totals, resolved at load time.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// What one participant group, or the remainder of an event's total beyond its breakdown,
/// contributes to people totals.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "participant_tally")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub event_id: i32,
    /// None for unknown nationality, and for a remainder.
    pub nationality_code: Option<String>,
    /// None where the sources do not say (a remainder of mixed roles).
    pub role: Option<ParticipantRole>,
    pub status: Option<ParticipantStatus>,
    /// The group's resolved count (`figure.value`, `low`, `high`).
    pub value: Option<i64>,
    pub low: Option<i64>,
    pub high: Option<i64>,
    pub qualifier: Qualifier,
    pub derived: bool,
    /// The group's resolved count of women, where a source gives one.
    pub women_value: Option<i64>,
    pub women_low: Option<i64>,
    pub women_high: Option<i64>,
    pub women_qualifier: Option<Qualifier>,
    /// The part of an event's total that its breakdown leaves unspecified.
    pub remainder: bool,
    /// Counts when totals are split by event kind (not by status): each role of an event
    /// counts its status with the most people (the 80 released of 118 arrested are the same
    /// people).
    pub headline: bool,
    /// The group this row counts (None for a remainder).
    pub group_id: Option<i32>,
    /// The body of people the row belongs to when its group is linked to a group of another
    /// event (`participant_link`): the smallest group id of the body.
    pub cohort_id: Option<i32>,
    /// Counts when totals are split by status: every stage of every body of people.
    pub staged: bool,
    /// Counts when totals are split neither by status nor by event kind: each body of people
    /// once, across the events it appears in (its largest stage's total, broken down by its
    /// most specific stage). Equal to `headline` for a row of no body.
    pub once: bool,
    /// The event's grouping columns (see `event`), copied so that unfiltered totals need no join.
    pub country_code: Option<String>,
    pub province_id: Option<i32>,
    pub year: Option<i32>,
    pub month: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

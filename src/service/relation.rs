//! Nested lists that can grow, as relations from a parent to a page of children, so that each
//! parent's page is cut in SQL (see `page::page_per_parent`).

use super::catalog::LOCATIONS_BY_NAME;
use super::event::{EventFilter, EventOrder, Via};
use super::flow::FLOWS_BY_DATE;
use super::page::{Membership, direct};
use super::sort::{Keyed, Sort};
use entity::*;
use sea_orm::{Condition, EntityTrait, TryGetable, Value};
use std::fmt::Debug;
use std::hash::Hash;

/// A parent-to-children relation read a page at a time.
pub trait Relation: Clone + Eq + Hash + Debug + Send + Sync + 'static {
    /// The parent's key (an id, or a country code).
    type Parent: Into<Value> + TryGetable + Clone + Eq + Hash + Debug + Send + Sync + 'static;
    /// The children's table.
    type Entity: EntityTrait<Model = Self::Model>;
    /// The children's rows.
    type Model: sea_orm::FromQueryResult + Keyed + Clone + Send + Sync + 'static;
    /// Which (parent, child) pairs belong together.
    fn membership(&self) -> Membership;
    /// Which children count at all.
    fn filter(&self) -> Condition {
        Condition::all()
    }
    /// The order of a parent's children.
    fn sort(&self) -> Sort<Self::Entity>;
}

/// Events of an agency, person, place or source, filtered and ordered.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EventsOf {
    pub via: Via,
    pub filter: EventFilter,
    pub order: EventOrder,
    pub descending: bool,
}

impl Relation for EventsOf {
    type Parent = i32;
    type Entity = event::Entity;
    type Model = event::Model;

    fn membership(&self) -> Membership {
        self.via.membership()
    }

    fn filter(&self) -> Condition {
        self.filter.condition()
    }

    fn sort(&self) -> Sort<event::Entity> {
        self.order.sort(self.descending)
    }
}

/// Flows out of (or into) a country, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FlowsOf {
    pub outgoing: bool,
}

impl Relation for FlowsOf {
    type Parent = String;
    type Entity = deportation_flow::Entity;
    type Model = deportation_flow::Model;

    fn membership(&self) -> Membership {
        direct(
            deportation_flow::Entity,
            if self.outgoing {
                "from_code"
            } else {
                "to_code"
            },
        )
    }

    fn sort(&self) -> Sort<deportation_flow::Entity> {
        FLOWS_BY_DATE
    }
}

/// Participant groups, those of the latest-recorded event first.
pub const GROUPS_BY_EVENT: Sort<participant_group::Entity> = Sort {
    name: "nationals",
    column: participant_group::Column::EventId,
    descending: true,
};

/// Participant groups of one nationality, most recently recorded first.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NationalsOf;

impl Relation for NationalsOf {
    type Parent = String;
    type Entity = participant_group::Entity;
    type Model = participant_group::Model;

    fn membership(&self) -> Membership {
        direct(participant_group::Entity, "nationality_code")
    }

    fn sort(&self) -> Sort<participant_group::Entity> {
        GROUPS_BY_EVENT
    }
}

/// Statements, as recorded.
pub const STATEMENTS_BY_ID: Sort<statement::Entity> = Sort {
    name: "statements",
    column: statement::Column::Id,
    descending: false,
};

/// What a person said, as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StatementsBy;

impl Relation for StatementsBy {
    type Parent = i32;
    type Entity = statement::Entity;
    type Model = statement::Model;

    fn membership(&self) -> Membership {
        direct(statement::Entity, "person_id")
    }

    fn sort(&self) -> Sort<statement::Entity> {
        STATEMENTS_BY_ID
    }
}

/// Citations, as recorded.
pub const CITATIONS_BY_ID: Sort<citation::Entity> = Sort {
    name: "citations",
    column: citation::Column::Id,
    descending: false,
};

/// The citations drawn from a source.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CitationsFrom;

impl Relation for CitationsFrom {
    type Parent = i32;
    type Entity = citation::Entity;
    type Model = citation::Model;

    fn membership(&self) -> Membership {
        direct(citation::Entity, "source_id")
    }

    fn sort(&self) -> Sort<citation::Entity> {
        CITATIONS_BY_ID
    }
}

/// The places directly under a place, by name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ChildrenOf;

impl Relation for ChildrenOf {
    type Parent = i32;
    type Entity = location::Entity;
    type Model = location::Model;

    fn membership(&self) -> Membership {
        direct(location::Entity, "parent_id")
    }

    fn sort(&self) -> Sort<location::Entity> {
        LOCATIONS_BY_NAME
    }
}

/// The events behind each row of people totals (the parent is the row's key).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EventsOfTotal {
    pub filter: EventFilter,
    pub dims: Vec<super::totals::PeopleDim>,
}

impl Relation for EventsOfTotal {
    type Parent = String;
    type Entity = event::Entity;
    type Model = event::Model;

    fn membership(&self) -> Membership {
        super::totals::people_membership(&self.filter, &self.dims)
    }

    fn sort(&self) -> Sort<event::Entity> {
        EventOrder::Date.sort(true)
    }
}

/// The flows behind each row of flow totals: the summed ones (`counted` true) or the planned
/// and uncounted ones.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FlowsOfTotal {
    pub filter: super::flow::FlowFilter,
    pub dims: Vec<super::totals::FlowDim>,
    pub counted: Option<bool>,
}

impl Relation for FlowsOfTotal {
    type Parent = String;
    type Entity = deportation_flow::Entity;
    type Model = deportation_flow::Model;

    fn membership(&self) -> Membership {
        super::totals::flow_membership(&self.filter, &self.dims, self.counted)
    }

    fn sort(&self) -> Sort<deportation_flow::Entity> {
        FLOWS_BY_DATE
    }
}

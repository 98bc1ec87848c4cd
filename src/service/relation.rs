//! Nested lists that can grow, as relations from a parent to a page of children, so that each
//! parent's page is cut in SQL (see `page::page_per_parent`).

use super::event::{EventFilter, EventOrder, Via};
use super::page::{Membership, Ordering, direct};
use entity::*;
use sea_orm::sea_query::Alias;
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
    type Model: sea_orm::FromQueryResult + Clone + Send + Sync + 'static;
    /// Which (parent, child) pairs belong together.
    fn membership(&self) -> Membership;
    /// Which children count at all.
    fn filter(&self) -> Condition {
        Condition::all()
    }
    /// The order of a parent's children.
    fn ordering(&self) -> Ordering;
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

    fn ordering(&self) -> Ordering {
        self.order.ordering(self.descending)
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

    fn ordering(&self) -> Ordering {
        Ordering::new(deportation_flow::Entity, Alias::new("date_start"), true)
    }
}

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

    fn ordering(&self) -> Ordering {
        Ordering::new(participant_group::Entity, Alias::new("event_id"), true)
    }
}

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

    fn ordering(&self) -> Ordering {
        Ordering::new(statement::Entity, Alias::new("id"), false)
    }
}

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

    fn ordering(&self) -> Ordering {
        Ordering::new(citation::Entity, Alias::new("id"), false)
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

    fn ordering(&self) -> Ordering {
        Ordering::new(location::Entity, Alias::new("name"), false)
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

    fn ordering(&self) -> Ordering {
        EventOrder::Date.ordering(true)
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

    fn ordering(&self) -> Ordering {
        Ordering::new(deportation_flow::Entity, Alias::new("date_start"), true)
    }
}

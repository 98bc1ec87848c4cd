//! The schema's types, per domain: newtypes over entity models, plus inputs.

pub mod agency;
pub mod enums;
pub mod event;
pub mod figure;
pub mod filters;
pub mod flow;
pub mod person;
pub mod place;
pub mod scalars;
pub mod source;
pub mod statistic;
pub mod totals;

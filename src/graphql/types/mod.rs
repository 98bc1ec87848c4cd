//! The schema's types, per domain: newtypes over entity models, plus inputs.

pub mod agency;
pub mod citation;
pub mod enums;
pub mod event;
pub mod figure;
pub mod filters;
pub mod flow;
pub mod flow_totals;
pub mod import_job;
pub mod input;
pub mod participant;
pub mod person;
pub mod place;
pub mod proposal;
pub mod scalars;
pub mod source;
pub mod statistic;
pub mod timeline;
pub mod totals;

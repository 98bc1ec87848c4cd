//! Scam Atlas's storage: plain SeaORM entities, one file per table, enums in `enums`.
//! No GraphQL here: the API's types wrap these models in the server crate.

pub mod agency;
pub mod citation;
pub mod citation_fact;
pub mod claim;
pub mod country;
pub mod dataset_load;
pub mod deportation_flow;
pub mod enums;
pub mod event;
pub mod event_agency;
pub mod event_kind;
pub mod event_location;
pub mod event_person;
pub mod event_relation;
pub mod figure;
pub mod flow_nationality;
pub mod flow_tally;
pub mod location;
pub mod location_closure;
pub mod money_figure;
pub mod participant_group;
pub mod participant_link;
pub mod participant_tally;
pub mod person;
pub mod person_alias;
pub mod person_title;
pub mod seizure;
pub mod source;
pub mod statement;
pub mod statistic;

//! The rows of `participantTotals` and `flowTotals` written as JSON. Their sums come from
//! `service::totals` either way; what the resolvers cost was the answer itself: a thousand
//! rows of a dozen fields each, every field a future, every row's country a DataLoader call
//! (measured on the flow matrix at 10k events: ~30 ms of server CPU and ~15 MB of memory per
//! request, SQLite's part ~5 % of it).
//!
//! A plan covers a row's keys (countries with their `id`, `code`, `name`; enums; year and
//! month), `total` and `women` (a computed `Figure`'s `value`, `low`, `high`, `qualifier`,
//! `derived`, `version`), the counts and `__typename`. Anything else (`province`, `events`,
//! `flows`, `uncountedFlows`, a figure's `claims`…) sends the field through the resolvers.

use super::select::{Fragments, Key, keys, leaves};
use super::write::{Fields, boolean, enum_name, list, number, object, optional, string};
use crate::figure::Resolved;
use crate::graphql::ids;
use crate::graphql::types::enums::{
    EventKind, FlowKind, ParticipantRole, ParticipantStatus, Qualifier, Status,
};
use crate::service::totals::{FlowTotal, Keys, PeopleTotal, month_text};
use async_graphql::parser::types::SelectionSet;
use entity::country;
use std::collections::HashMap;

/// What a selection under `participantTotals` or `flowTotals` asks of each row, when the
/// compiler covers all of it.
#[derive(Debug)]
pub struct TotalsPlan {
    fields: Fields<Cell>,
}

#[derive(Clone, Copy, Debug)]
enum CountryOf {
    Nationality,
    Country,
    From,
    To,
}

#[derive(Debug)]
enum Cell {
    Country(CountryOf, Fields<CountryField>),
    Role,
    Status,
    EventKind,
    FlowKind,
    FlowStatus,
    Year,
    Month,
    Total(Fields<FigureField>),
    Women(Fields<FigureField>),
    EventCount,
    FlowCount,
    UncountedFlowCount,
    Typename(&'static str),
}

#[derive(Debug)]
enum CountryField {
    Id,
    Code,
    Name,
    Typename,
}

#[derive(Debug)]
enum FigureField {
    Value,
    Low,
    High,
    Qualifier,
    Derived,
    Version,
    Typename,
}

/// One row, whichever totals it belongs to.
pub struct Row<'a> {
    keys: &'a Keys,
    total: &'a Resolved,
    women: Option<&'a Resolved>,
    event_count: u64,
    flow_count: u64,
    uncounted_count: u64,
}

impl<'a> From<&'a PeopleTotal> for Row<'a> {
    fn from(r: &'a PeopleTotal) -> Self {
        Row {
            keys: &r.keys,
            total: &r.total,
            women: r.women.as_ref(),
            event_count: r.event_count,
            flow_count: 0,
            uncounted_count: 0,
        }
    }
}

impl<'a> From<&'a FlowTotal> for Row<'a> {
    fn from(r: &'a FlowTotal) -> Self {
        Row {
            keys: &r.keys,
            total: &r.total,
            women: None,
            event_count: 0,
            flow_count: r.flow_count,
            uncounted_count: r.uncounted_count,
        }
    }
}

impl TotalsPlan {
    /// The plan for the selection under `participantTotals`; None when anything in it is not
    /// covered.
    pub fn people(fragments: &Fragments, sets: &[&SelectionSet]) -> Option<Self> {
        Self::new(fragments, sets, "ParticipantTotal")
    }

    /// The plan for the selection under `flowTotals`; None when anything in it is not covered.
    pub fn flows(fragments: &Fragments, sets: &[&SelectionSet]) -> Option<Self> {
        Self::new(fragments, sets, "FlowTotal")
    }

    fn new(fragments: &Fragments, sets: &[&SelectionSet], type_name: &'static str) -> Option<Self> {
        let people = type_name == "ParticipantTotal";
        let fields = keys(fragments, sets, type_name)?
            .iter()
            .map(|k| {
                if !k.arguments.is_empty() {
                    return None;
                }
                let leaf = k.is_leaf();
                let place = |of| Some(Cell::Country(of, country_fields(fragments, k)?));
                let cell = match (people, k.name) {
                    (_, "__typename") => Cell::Typename(type_name),
                    (_, "nationality") => place(CountryOf::Nationality)?,
                    (true, "country") => place(CountryOf::Country)?,
                    (false, "fromCountry") => place(CountryOf::From)?,
                    (false, "toCountry") => place(CountryOf::To)?,
                    (true, "role") if leaf => Cell::Role,
                    (true, "status") if leaf => Cell::Status,
                    (true, "eventKind") if leaf => Cell::EventKind,
                    (false, "kind") if leaf => Cell::FlowKind,
                    (false, "status") if leaf => Cell::FlowStatus,
                    (_, "year") if leaf => Cell::Year,
                    (_, "month") if leaf => Cell::Month,
                    (_, "total") => Cell::Total(figure_fields(fragments, k)?),
                    (true, "women") => Cell::Women(figure_fields(fragments, k)?),
                    (true, "eventCount") if leaf => Cell::EventCount,
                    (false, "flowCount") if leaf => Cell::FlowCount,
                    (false, "uncountedFlowCount") if leaf => Cell::UncountedFlowCount,
                    _ => return None,
                };
                Some((k.key.to_string(), cell))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(TotalsPlan { fields })
    }

    /// The codes of the countries the answer shows, for `rows`' keys.
    pub fn countries<'a>(&self, rows: impl Iterator<Item = &'a Keys>) -> Vec<String> {
        let wanted: Vec<CountryOf> = self
            .fields
            .iter()
            .filter_map(|(_, cell)| match cell {
                Cell::Country(of, _) => Some(*of),
                _ => None,
            })
            .collect();
        let mut codes: Vec<String> = Vec::new();
        if wanted.is_empty() {
            return codes;
        }
        for keys in rows {
            for of in &wanted {
                if let Some(code) = code_of(keys, *of)
                    && !codes.iter().any(|c| c == code)
                {
                    codes.push(code.clone());
                }
            }
        }
        codes
    }

    /// The JSON list of `rows` (people or flow totals); None when a country is missing from
    /// `countries` (the resolvers then answer, and say what is missing).
    pub fn json<'a, R>(
        &self,
        rows: &'a [R],
        countries: &HashMap<String, country::Model>,
    ) -> Option<String>
    where
        &'a R: Into<Row<'a>>,
    {
        let mut out = String::with_capacity(128 * (rows.len() + 1));
        let mut missing = false;
        list(
            &mut out,
            rows.iter().map(Into::into),
            |out, row: Row<'a>| {
                object(out, &self.fields, |out, cell| {
                    write_cell(out, cell, &row, countries, &mut missing);
                });
            },
        );
        (!missing).then_some(out)
    }
}

fn write_cell(
    out: &mut String,
    cell: &Cell,
    row: &Row<'_>,
    countries: &HashMap<String, country::Model>,
    missing: &mut bool,
) {
    let keys = row.keys;
    match cell {
        Cell::Country(of, fields) => match code_of(keys, *of) {
            None => out.push_str("null"),
            Some(code) => match countries.get(code) {
                None => {
                    *missing = true;
                    out.push_str("null");
                }
                Some(c) => object(out, fields, |out, field| match field {
                    CountryField::Id => string(out, &ids::encode("Country", &c.code)),
                    CountryField::Code => string(out, &c.code),
                    CountryField::Name => string(out, &c.name),
                    CountryField::Typename => string(out, "Country"),
                }),
            },
        },
        Cell::Role => optional_enum(out, keys.role.map(ParticipantRole::from)),
        Cell::Status => optional_enum(out, keys.status.map(ParticipantStatus::from)),
        Cell::EventKind => optional_enum(out, keys.event_kind.map(EventKind::from)),
        Cell::FlowKind => optional_enum(out, keys.flow_kind.map(FlowKind::from)),
        Cell::FlowStatus => optional_enum(out, keys.flow_status.map(Status::from)),
        Cell::Year => number(out, keys.year.map(i64::from)),
        Cell::Month => optional(out, keys.month.map(month_text).as_deref()),
        Cell::Total(fields) => figure(out, fields, row.total),
        Cell::Women(fields) => match row.women {
            Some(women) => figure(out, fields, women),
            None => out.push_str("null"),
        },
        Cell::EventCount => out.push_str(&row.event_count.to_string()),
        Cell::FlowCount => out.push_str(&row.flow_count.to_string()),
        Cell::UncountedFlowCount => out.push_str(&row.uncounted_count.to_string()),
        Cell::Typename(name) => string(out, name),
    }
}

fn code_of(keys: &Keys, of: CountryOf) -> Option<&String> {
    match of {
        CountryOf::Nationality => keys.nationality.as_ref(),
        CountryOf::Country => keys.country.as_ref(),
        CountryOf::From => keys.from.as_ref(),
        CountryOf::To => keys.to.as_ref(),
    }
}

fn optional_enum<E: async_graphql::InputType>(out: &mut String, value: Option<E>) {
    match value {
        Some(value) => enum_name(out, value),
        None => out.push_str("null"),
    }
}

/// A computed figure as `Figure`'s resolvers give it.
fn figure(out: &mut String, fields: &Fields<FigureField>, resolved: &Resolved) {
    object(out, fields, |out, field| match field {
        FigureField::Value => number(out, resolved.value),
        FigureField::Low => number(out, resolved.low),
        FigureField::High => number(out, resolved.high),
        FigureField::Qualifier => enum_name(out, Qualifier::from(resolved.qualifier)),
        FigureField::Derived => boolean(out, resolved.derived),
        FigureField::Version => out.push_str("null"),
        FigureField::Typename => string(out, "Figure"),
    });
}

fn country_fields(fragments: &Fragments, key: &Key<'_>) -> Option<Fields<CountryField>> {
    leaves(fragments, key, "Country", |name| match name {
        "id" => Some(CountryField::Id),
        "code" => Some(CountryField::Code),
        "name" => Some(CountryField::Name),
        "__typename" => Some(CountryField::Typename),
        _ => None,
    })
}

fn figure_fields(fragments: &Fragments, key: &Key<'_>) -> Option<Fields<FigureField>> {
    leaves(fragments, key, "Figure", |name| match name {
        "value" => Some(FigureField::Value),
        "low" => Some(FigureField::Low),
        "high" => Some(FigureField::High),
        "qualifier" => Some(FigureField::Qualifier),
        "derived" => Some(FigureField::Derived),
        "version" => Some(FigureField::Version),
        "__typename" => Some(FigureField::Typename),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;
    use async_graphql::parser::types::Selection;

    /// The plan for the first root field of `document`.
    fn plan(document: &str, make: fn(&Fragments, &[&SelectionSet]) -> Option<TotalsPlan>) -> bool {
        let doc = parse_query(document).expect("parses");
        let fragments: Fragments = doc.fragments.clone();
        let (_, operation) = doc.operations.iter().next().expect("an operation");
        let Selection::Field(field) = &operation.node.selection_set.node.items[0].node else {
            panic!("a field first");
        };
        make(&fragments, &[&field.node.selection_set.node]).is_some()
    }

    #[test]
    fn the_benchmark_totals_are_covered_and_relations_are_not() {
        let people = include_str!("../../benches/queries/participant_totals.graphql");
        let flows = include_str!("../../benches/queries/flow_matrix.graphql");
        assert!(plan(people, TotalsPlan::people));
        assert!(plan(flows, TotalsPlan::flows));
        assert!(plan(
            "{ t { a: total { value } ...F } } fragment F on ParticipantTotal { year __typename }",
            TotalsPlan::people
        ));
        for uncovered in [
            "{ t { province { name } } }",
            "{ t { events { totalCount } } }",
            "{ t { total { claims { quote } } } }",
            "{ t { nationality { location { name } } } }",
            "{ t { year @skip(if: true) } }",
            "{ t { fromCountry { code } } }",
        ] {
            assert!(!plan(uncovered, TotalsPlan::people), "{uncovered}");
        }
        assert!(!plan("{ t { flows { totalCount } } }", TotalsPlan::flows));
        assert!(!plan("{ t { eventCount } }", TotalsPlan::flows));
    }
}

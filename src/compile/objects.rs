//! The object types a compiled selection reaches below an event, and each field the compiler
//! covers as the database builds it. A field is covered only where its resolver returns a
//! stored column unchanged (or a row it points at): stored enum values are the schema's names
//! (a test checks every one), a stored figure's `value`/`low`/`high` are the resolution the
//! loader keeps in step (`figure::resolve`), and a `DateSpan` is its four columns. Anything
//! else — an `id` (base64 in Rust), a field with arguments, a computed figure — is not
//! covered, and the whole selection runs through the resolvers.

use super::select::{Fragments, Key, keys};
use super::shape::{Json, Link};
use async_graphql::parser::types::SelectionSet;
use entity::{
    agency, citation, country, deportation_flow, event, event_agency, event_kind, figure, location,
    participant_group, source,
};
use sea_orm::sea_query::{DynIden, IntoIden};

/// An object type below an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Location,
    Country,
    ParticipantGroup,
    Figure,
    EventAgency,
    Agency,
    DeportationFlow,
    Citation,
    Source,
}

impl Type {
    fn name(self) -> &'static str {
        match self {
            Type::Location => "Location",
            Type::Country => "Country",
            Type::ParticipantGroup => "ParticipantGroup",
            Type::Figure => "Figure",
            Type::EventAgency => "EventAgency",
            Type::Agency => "Agency",
            Type::DeportationFlow => "DeportationFlow",
            Type::Citation => "Citation",
            Type::Source => "Source",
        }
    }
}

/// The most fields one compiled object holds: SQLite's functions take at most 127
/// arguments, PostgreSQL's 100 (two per field).
const MAX_FIELDS: usize = 40;

/// An event's field that the database builds (a list or an object hanging off it); None for
/// a field that is not one (the caller tries the event's own columns) or is not covered.
pub fn event_field(fragments: &Fragments, key: &Key<'_>) -> Option<Json> {
    if !key.arguments.is_empty() {
        return None;
    }
    let e = || event::Column::Id.into_iden();
    let object = |ty, link| Some(Json::One(link, fields(fragments, ty, &key.sets)?));
    let list = |ty, link| {
        let item = Json::Object(fields(fragments, ty, &key.sets)?);
        Some(Json::Many(link, Box::new(item)))
    };
    match key.name {
        "kinds" if key.is_leaf() => Some(Json::Many(
            Link::many(
                event_kind::Entity,
                event_kind::Column::EventId,
                e(),
                event_kind::Column::Kind,
            ),
            Box::new(Json::Column(event_kind::Column::Kind.into_iden())),
        )),
        "location" => object(
            Type::Location,
            Link::one(
                location::Entity,
                location::Column::Id,
                event::Column::LocationId,
            ),
        ),
        "participants" => list(
            Type::ParticipantGroup,
            Link::many(
                participant_group::Entity,
                participant_group::Column::EventId,
                e(),
                participant_group::Column::Id,
            ),
        ),
        "agencies" => list(
            Type::EventAgency,
            Link::many(
                event_agency::Entity,
                event_agency::Column::EventId,
                e(),
                event_agency::Column::Id,
            ),
        ),
        "deportationFlows" => list(
            Type::DeportationFlow,
            Link::many(
                deportation_flow::Entity,
                deportation_flow::Column::EventId,
                e(),
                deportation_flow::Column::Id,
            ),
        ),
        "citations" => list(
            Type::Citation,
            Link::many(
                citation::Entity,
                citation::Column::EventId,
                e(),
                citation::Column::Id,
            ),
        ),
        _ => None,
    }
}

/// The fields `sets` select on an object of type `ty`; None when any is not covered.
fn fields(fragments: &Fragments, ty: Type, sets: &[&SelectionSet]) -> Option<Vec<(String, Json)>> {
    let keys = keys(fragments, sets, ty.name())?;
    if keys.len() > MAX_FIELDS {
        return None;
    }
    keys.iter()
        .map(|key| Some((key.key.to_string(), field(fragments, ty, key)?)))
        .collect()
}

/// One field of an object of type `ty`.
fn field(fragments: &Fragments, ty: Type, key: &Key<'_>) -> Option<Json> {
    if !key.arguments.is_empty() {
        return None;
    }
    if key.name == "__typename" {
        return Some(Json::Const(ty.name()));
    }
    let column = |c: DynIden| key.is_leaf().then_some(Json::Column(c));
    let boolean = |c: DynIden| key.is_leaf().then_some(Json::Bool(c));
    let one = |ty, link| Some(Json::One(link, fields(fragments, ty, &key.sets)?));
    let country = |via: DynIden| {
        let link = Link {
            table: country::Entity.into_iden(),
            column: country::Column::Code.into_iden(),
            via,
            order: None,
        };
        one(Type::Country, link)
    };
    let figure = |via: DynIden| {
        let link = Link {
            table: figure::Entity.into_iden(),
            column: figure::Column::Id.into_iden(),
            via,
            order: None,
        };
        one(Type::Figure, link)
    };
    match (ty, key.name) {
        (Type::Location, "key") => column(location::Column::Key.into_iden()),
        (Type::Location, "name") => column(location::Column::Name.into_iden()),
        (Type::Location, "level") => column(location::Column::Level.into_iden()),
        (Type::Location, "country") => country(location::Column::CountryCode.into_iden()),
        (Type::Country, "code") => column(country::Column::Code.into_iden()),
        (Type::Country, "name") => column(country::Column::Name.into_iden()),
        (Type::ParticipantGroup, "role") => column(participant_group::Column::Role.into_iden()),
        (Type::ParticipantGroup, "status") => column(participant_group::Column::Status.into_iden()),
        (Type::ParticipantGroup, "nationality") => {
            country(participant_group::Column::NationalityCode.into_iden())
        }
        (Type::ParticipantGroup, "count") => {
            figure(participant_group::Column::CountFigureId.into_iden())
        }
        (Type::ParticipantGroup, "women") => {
            figure(participant_group::Column::WomenFigureId.into_iden())
        }
        (Type::Figure, "version") => column(figure::Column::Version.into_iden()),
        (Type::Figure, "value") => column(figure::Column::Value.into_iden()),
        (Type::Figure, "low") => column(figure::Column::Low.into_iden()),
        (Type::Figure, "high") => column(figure::Column::High.into_iden()),
        (Type::Figure, "qualifier") => column(figure::Column::Qualifier.into_iden()),
        (Type::Figure, "derived") => boolean(figure::Column::Derived.into_iden()),
        (Type::EventAgency, "role") => column(event_agency::Column::Role.into_iden()),
        (Type::EventAgency, "agency") => one(
            Type::Agency,
            Link::one(
                agency::Entity,
                agency::Column::Id,
                event_agency::Column::AgencyId,
            ),
        ),
        (Type::Agency, "key") => column(agency::Column::Key.into_iden()),
        (Type::Agency, "name") => column(agency::Column::Name.into_iden()),
        (Type::Agency, "shortName") => column(agency::Column::ShortName.into_iden()),
        (Type::Agency, "kind") => column(agency::Column::Kind.into_iden()),
        (Type::Agency, "country") => country(agency::Column::CountryCode.into_iden()),
        (Type::DeportationFlow, "kind") => column(deportation_flow::Column::Kind.into_iden()),
        (Type::DeportationFlow, "status") => column(deportation_flow::Column::Status.into_iden()),
        (Type::DeportationFlow, "fromCountry") => {
            country(deportation_flow::Column::FromCode.into_iden())
        }
        (Type::DeportationFlow, "toCountry") => {
            country(deportation_flow::Column::ToCode.into_iden())
        }
        (Type::DeportationFlow, "count") => {
            figure(deportation_flow::Column::CountFigureId.into_iden())
        }
        (Type::DeportationFlow, "date") => span(
            fragments,
            key,
            [
                deportation_flow::Column::DateStart,
                deportation_flow::Column::DateEnd,
                deportation_flow::Column::DatePrecision,
                deportation_flow::Column::DateDerived,
            ],
        ),
        (Type::Citation, "quote") => column(citation::Column::Quote.into_iden()),
        (Type::Citation, "source") => one(
            Type::Source,
            Link::one(
                source::Entity,
                source::Column::Id,
                citation::Column::SourceId,
            ),
        ),
        (Type::Source, "key") => column(source::Column::Key.into_iden()),
        (Type::Source, "version") => column(source::Column::Version.into_iden()),
        (Type::Source, "headline") => column(source::Column::Headline.into_iden()),
        (Type::Source, "outlet") => column(source::Column::Outlet.into_iden()),
        (Type::Source, "originalOutlet") => column(source::Column::OriginalOutlet.into_iden()),
        (Type::Source, "wireAgency") => column(source::Column::WireAgency.into_iden()),
        (Type::Source, "byline") => column(source::Column::Byline.into_iden()),
        (Type::Source, "dateline") => column(source::Column::Dateline.into_iden()),
        (Type::Source, "url") => column(source::Column::Url.into_iden()),
        (Type::Source, "reporting") => column(source::Column::Reporting.into_iden()),
        (Type::Source, "note") => column(source::Column::Note.into_iden()),
        (Type::Source, "published") => span(
            fragments,
            key,
            [
                source::Column::PublishedStart,
                source::Column::PublishedEnd,
                source::Column::PublishedPrecision,
                source::Column::PublishedDerived,
            ],
        ),
        _ => None,
    }
}

/// A `DateSpan` from its four columns of the row in scope (start, end, precision, derived).
fn span<C: IntoIden + Copy>(fragments: &Fragments, key: &Key<'_>, columns: [C; 4]) -> Option<Json> {
    let [start, end, precision, derived] = columns;
    let fields = keys(fragments, &key.sets, "DateSpan")?
        .iter()
        .map(|k| {
            let leaf = k.is_leaf() && k.arguments.is_empty();
            let value = match k.name {
                "__typename" => Json::Const("DateSpan"),
                "start" if leaf => Json::Column(start.into_iden()),
                "end" if leaf => Json::Column(end.into_iden()),
                "precision" if leaf => Json::Column(precision.into_iden()),
                "derived" if leaf => Json::Bool(derived.into_iden()),
                _ => return None,
            };
            Some((k.key.to_string(), value))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Json::Object(fields))
}

#[cfg(test)]
mod tests {
    use crate::graphql::types::enums as api;
    use async_graphql::resolver_utils::enum_value;
    use async_graphql::{EnumType, Value};
    use entity::enums as stored;
    use sea_orm::Iterable;

    /// Every stored value of `S` is the schema's name of the same value of `A`.
    fn same_names<S: Iterable + Copy + std::fmt::Debug, A: EnumType + From<S>>(
        text: fn(S) -> &'static str,
    ) {
        for v in S::iter() {
            let Value::Enum(name) = enum_value(A::from(v)) else {
                panic!("{v:?} is an enum value")
            };
            assert_eq!(name.as_str(), text(v), "{v:?}");
        }
    }

    /// The compiler writes stored enum columns as they are: they must be the schema's names.
    #[test]
    fn stored_enum_values_are_the_schemas_names() {
        same_names::<stored::EventKind, api::EventKind>(stored::EventKind::as_str);
        same_names::<stored::DatePrecision, api::DatePrecision>(stored::DatePrecision::as_str);
        same_names::<stored::Status, api::Status>(stored::Status::as_str);
        same_names::<stored::LocationLevel, api::LocationLevel>(stored::LocationLevel::as_str);
        same_names::<stored::AgencyKind, api::AgencyKind>(stored::AgencyKind::as_str);
        same_names::<stored::AgencyRole, api::AgencyRole>(stored::AgencyRole::as_str);
        same_names::<stored::ParticipantRole, api::ParticipantRole>(
            stored::ParticipantRole::as_str,
        );
        same_names::<stored::ParticipantStatus, api::ParticipantStatus>(
            stored::ParticipantStatus::as_str,
        );
        same_names::<stored::FlowKind, api::FlowKind>(stored::FlowKind::as_str);
        same_names::<stored::Qualifier, api::Qualifier>(stored::Qualifier::as_str);
        same_names::<stored::Reporting, api::Reporting>(stored::Reporting::as_str);
    }
}

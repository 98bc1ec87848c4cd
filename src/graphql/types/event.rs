//! `Event`: the root fields about events, the `events(...)` field every parent shares, and
//! what hangs off an event that is not its own module (citations, participants, figures).

use super::agency::Agency;
use super::citation::Citation;
use super::enums::{EventKind, Status};
use super::figure::{Figure, MoneyFigure, Seizure};
use super::filters::{EventFilter, EventOrderBy};
use super::flow::DeportationFlow;
use super::participant::{EventAgency, EventPerson, ParticipantGroup};
use super::person::{Person, Statement};
use super::place::Location;
use super::scalars::DateSpan;
use super::source::Source;
use crate::graphql::connection::{PageArgs, connection};
use crate::graphql::loaders::*;
use crate::graphql::raw::Answer;
use crate::graphql::{ids, load, load_each, load_many, load_required, read};
use crate::service::event::Via;
use crate::service::relation::EventsOf;
use async_graphql::{Context, ID, Object, Result};
use entity::{event, event_relation};

connection!(
    EventConnection,
    EventEdge,
    Event(event),
    "A page of events, with the cursors to move between pages.",
    "An event on a page, with its cursor."
);

/// Whose events an `events` field lists.
#[derive(Clone, Debug)]
pub enum Scope {
    /// Every event (`Query.events`).
    All,
    /// The events of one agency, person, place or source.
    Of(Via, i32),
    /// The events in a country: those of its place in the gazetteer.
    Country(String),
}

/// A page of the events of `scope`, filtered and ordered: the body of every `events` field.
/// The root reads them directly, a parent through its relation; both in the same `Sort`. A
/// root page whose whole selection the compiler covers is read in one statement, as JSON
/// (`compile`); any other runs through the resolvers.
pub async fn events_connection(
    ctx: &Context<'_>,
    scope: &Scope,
    filter: Option<EventFilter>,
    order_by: Option<EventOrderBy>,
    args: PageArgs,
) -> Result<Answer<EventConnection>> {
    let filter = filter.unwrap_or_default().into_service()?;
    let (order, descending) = order_by.unwrap_or_default().resolve();
    let (via, parent) = match scope {
        Scope::All => {
            let sort = order.sort(descending);
            if let Some(plan) = compiled(ctx) {
                let page = args.page(&sort)?;
                let condition = filter.condition();
                let json = read(ctx, move |db| async move {
                    crate::compile::events::run(&db, &plan, condition, sort, &page).await
                })
                .await?;
                return Ok(Answer::Json(json));
            }
            return EventConnection::root(ctx, filter.condition(), sort, args)
                .await
                .map(Answer::Resolved);
        }
        Scope::Of(via, id) => (*via, *id),
        Scope::Country(code) => {
            let place = load_required(ctx, LocationKey(code.clone())).await?;
            (Via::Location, place.id)
        }
    };
    let relation = EventsOf {
        via,
        filter,
        order,
        descending,
    };
    EventConnection::nested(ctx, relation, parent, args)
        .await
        .map(Answer::Resolved)
}

/// The compiled plan of the `events` field being resolved, when the compiler covers its
/// whole selection and the request does not ask for the resolvers (`compile::UseResolvers`).
fn compiled(ctx: &Context<'_>) -> Option<crate::compile::EventsPlan> {
    if ctx.data_opt::<crate::compile::UseResolvers>().is_some() {
        return None;
    }
    // The field and the document's fragments as async-graphql holds them (public, though
    // hidden from its docs: its look-ahead API drops type conditions, see `compile::select`).
    let field = &ctx.item.node;
    crate::compile::EventsPlan::new(&ctx.query_env.fragments, &[&field.selection_set.node])
}

/// Declares `$name`: an object of one field, the `events(...)` connection of one parent type,
/// described by the doc comment given. The parent adds the field with a method
/// `#[graphql(flatten)] async fn events_field(&self) -> $name`, whose place among its methods
/// is the field's place in the schema.
///
/// Why this way: the field has six documented arguments, which `#[Object]` cannot take from
/// one struct without changing the SDL, and a macro cannot expand inside the `#[Object]` impl
/// it would add a method to. So the macro writes a whole small object and async-graphql's
/// `flatten` merges its field into the parent; the small object itself is reachable from no
/// field, so the schema leaves it out.
macro_rules! events_field {
    ($(#[doc = $doc:literal])+ $name:ident) => {
        /// The `events` field of one parent type, flattened into it (see `events_field!`).
        pub struct $name(pub $crate::graphql::types::event::Scope);

        #[async_graphql::Object]
        impl $name {
            $(#[doc = $doc])+
            #[graphql(complexity = "crate::graphql::connection::cost(first, last, child_complexity)")]
            #[allow(clippy::too_many_arguments)]
            async fn events(
                &self,
                ctx: &async_graphql::Context<'_>,
                #[graphql(desc = "Only events matching this.")]
                filter: Option<$crate::graphql::types::filters::EventFilter>,
                #[graphql(desc = "The order; newest first by default.")]
                order_by: Option<$crate::graphql::types::filters::EventOrderBy>,
                #[graphql(desc = "Read forward: this many events (at most 100; 20 by default).")]
                first: Option<i32>,
                #[graphql(desc = "Read forward from after this cursor.")]
                after: Option<String>,
                #[graphql(desc = "Read backward: this many events (at most 100).")]
                last: Option<i32>,
                #[graphql(desc = "Read backward from before this cursor.")]
                before: Option<String>,
            ) -> async_graphql::Result<
                $crate::graphql::raw::Answer<$crate::graphql::types::event::EventConnection>,
            > {
                let args = $crate::graphql::connection::PageArgs::new(first, after, last, before);
                $crate::graphql::types::event::events_connection(ctx, &self.0, filter, order_by, args)
                    .await
            }
        }
    };
}
pub(crate) use events_field;

events_field!(
    /// Events, newest first unless `orderBy` says otherwise; filter them by kind, date, place,
    /// nationality, agency, person, source, status or words.
    EventsOfAll
);

/// Root fields about events.
#[derive(Default)]
pub struct EventQuery;

#[Object]
impl EventQuery {
    /// `events(...)`, flattened in.
    #[graphql(flatten)]
    async fn events_field(&self) -> EventsOfAll {
        EventsOfAll(Scope::All)
    }

    /// One event by its global ID or by its stable key (give exactly one); null when there
    /// is none.
    async fn event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event's global ID.")] id: Option<ID>,
        #[graphql(desc = "The event's stable key (e.g. `2017-08-02-poipet-siem-reap-raids`).")] key: Option<String>,
    ) -> Result<Option<Event>> {
        Ok(load(ctx, EventKey(ids::id_or_key("Event", id, key)?))
            .await?
            .map(Event))
    }
}

/// One happening — a raid, an arrest, a deportation, a directive — however many articles
/// report it. Where articles disagree, each keeps its own claims.
#[derive(Clone, Debug)]
pub struct Event(pub event::Model);

/// One happening — a raid, an arrest, a deportation, a directive — however many articles
/// report it. Where articles disagree, each keeps its own claims.
#[Object]
impl Event {
    /// Opaque global ID, stable for the life of the record.
    pub async fn id(&self) -> ID {
        ids::encode("Event", &self.0.key)
    }

    /// Every published change to this record, oldest first: its audit trail.
    pub async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many changes (at most 100).")] first: Option<i32>,
        #[graphql(desc = "The changes after this cursor.")] after: Option<String>,
    ) -> Result<crate::graphql::types::proposal::ChangeConnection> {
        crate::graphql::types::proposal::history(ctx, "Event", &self.0.key, first, after).await
    }

    /// Stable key in the curated dataset (e.g. `2017-08-02-poipet-siem-reap-raids`).
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// The record's version: one more with every published change. Send it as a mutation's
    /// `expectedVersion` to make the change fail with CONFLICT if another came first.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// What happened: one or more kinds.
    async fn kinds(&self, ctx: &Context<'_>) -> Result<Vec<EventKind>> {
        Ok(load_many(ctx, KindsOf(self.0.id))
            .await?
            .into_iter()
            .map(|k| k.kind.into())
            .collect())
    }

    /// A short title written by the curators.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// A summary written by the curators, naming where sources disagree.
    async fn summary(&self) -> &str {
        &self.0.summary
    }

    /// When it happened.
    async fn date(&self) -> DateSpan {
        let e = &self.0;
        DateSpan::new(e.date_start, e.date_end, e.date_precision, e.date_derived)
    }

    /// Whether it happened or was announced.
    async fn status(&self) -> Status {
        self.0.status.into()
    }

    /// The most specific place containing all its places (Cambodia for raids in two
    /// provinces); null for an event with no place.
    async fn location(&self, ctx: &Context<'_>) -> Result<Option<Location>> {
        match self.0.location_id {
            Some(id) => Ok(Some(Location::load(ctx, id).await?)),
            None => Ok(None),
        }
    }

    /// Every place a source names for it, as specific as the source is.
    async fn places(&self, ctx: &Context<'_>) -> Result<Vec<Location>> {
        let links = load_many(ctx, PlacesOf(self.0.id)).await?;
        let places = load_each(
            ctx,
            links.iter().map(|l| LocationId(l.location_id)).collect(),
        )
        .await?;
        Ok(places.into_iter().map(Location).collect())
    }

    /// How many people the event involved: the sources' total for the event when they give
    /// one; otherwise the participant groups added up, taking for each role the status with
    /// the most people (the 80 suspects released of 118 arrested are not added to them).
    /// Null when nobody is counted.
    async fn people_count(&self, ctx: &Context<'_>) -> Result<Option<Figure>> {
        if let Some(total) = self.0.total_figure_id {
            return Ok(Some(Figure::load(ctx, total).await?));
        }
        let groups = load_many(ctx, GroupsOf(self.0.id)).await?;
        let figures = load_each(
            ctx,
            groups.iter().map(|g| FigureId(g.count_figure_id)).collect(),
        )
        .await?;
        let values: std::collections::HashMap<i32, Option<i64>> =
            figures.iter().map(|f| (f.id, f.value)).collect();
        let counted = crate::tally::headline(&groups, |g| {
            values.get(&g.count_figure_id).copied().flatten()
        });
        let parts: Vec<entity::figure::Model> = figures
            .into_iter()
            .zip(counted)
            .filter(|(_, c)| *c)
            .map(|(f, _)| f)
            .collect();
        Ok(if parts.is_empty() {
            None
        } else {
            Some(Figure::sum_of(&parts))
        })
    }

    /// The people involved, by nationality, role and status.
    async fn participants(&self, ctx: &Context<'_>) -> Result<Vec<ParticipantGroup>> {
        Ok(load_many(ctx, GroupsOf(self.0.id))
            .await?
            .into_iter()
            .map(ParticipantGroup)
            .collect())
    }

    /// The agencies that acted, each with its part.
    async fn agencies(&self, ctx: &Context<'_>) -> Result<Vec<EventAgency>> {
        let links = load_many(ctx, AgencyLinksOf(self.0.id)).await?;
        let agencies =
            load_each(ctx, links.iter().map(|l| AgencyId(l.agency_id)).collect()).await?;
        Ok(links
            .iter()
            .zip(agencies)
            .map(|(l, a)| EventAgency {
                id: ids::encode("EventAgency", &l.uid),
                role: l.role.into(),
                agency: Agency(a),
            })
            .collect())
    }

    /// The named officials and principals involved, each with their part.
    async fn people(&self, ctx: &Context<'_>) -> Result<Vec<EventPerson>> {
        let links = load_many(ctx, PersonLinksOf(self.0.id)).await?;
        let people = load_each(ctx, links.iter().map(|l| PersonId(l.person_id)).collect()).await?;
        Ok(links
            .iter()
            .zip(people)
            .map(|(l, p)| EventPerson {
                id: ids::encode("EventPerson", &l.uid),
                role: l.role.into(),
                person: Person(p),
            })
            .collect())
    }

    /// People deported or extradited in it.
    async fn deportation_flows(&self, ctx: &Context<'_>) -> Result<Vec<DeportationFlow>> {
        Ok(load_many(ctx, FlowsOf(self.0.id))
            .await?
            .into_iter()
            .map(DeportationFlow)
            .collect())
    }

    /// What was seized.
    async fn seizures(&self, ctx: &Context<'_>) -> Result<Vec<Seizure>> {
        let seizures = load_many(ctx, SeizuresOf(self.0.id)).await?;
        let figures = load_each(
            ctx,
            seizures
                .iter()
                .map(|s| FigureId(s.quantity_figure_id))
                .collect(),
        )
        .await?;
        Ok(seizures
            .into_iter()
            .zip(figures)
            .map(|(s, f)| Seizure {
                id: ids::encode("Seizure", &s.uid),
                item: s.item,
                quantity: Figure::stored(&f),
            })
            .collect())
    }

    /// Sums of money involved.
    async fn money_figures(&self, ctx: &Context<'_>) -> Result<Vec<MoneyFigure>> {
        let money = load_many(ctx, MoneyOf(self.0.id)).await?;
        let figures = load_each(
            ctx,
            money.iter().map(|m| FigureId(m.amount_figure_id)).collect(),
        )
        .await?;
        Ok(money
            .into_iter()
            .zip(figures)
            .map(|(m, f)| MoneyFigure {
                id: ids::encode("MoneyFigure", &m.uid),
                measure: m.measure.into(),
                currency: m.currency,
                amount: Figure::stored(&f),
            })
            .collect())
    }

    /// The quotes its descriptive facts rest on, each with its source and the facts it backs.
    async fn citations(&self, ctx: &Context<'_>) -> Result<Vec<Citation>> {
        Ok(load_many(ctx, CitationsOf(self.0.id))
            .await?
            .into_iter()
            .map(Citation)
            .collect())
    }

    /// What named officials said about it, in their words as sources quote them.
    async fn statements(&self, ctx: &Context<'_>) -> Result<Vec<Statement>> {
        Ok(load_many(ctx, StatementsAbout(self.0.id))
            .await?
            .into_iter()
            .map(Statement)
            .collect())
    }

    /// Other events a source links to this one.
    async fn related(&self, ctx: &Context<'_>) -> Result<Vec<RelatedEvent>> {
        Ok(load_many(ctx, RelatedTo(self.0.id))
            .await?
            .into_iter()
            .map(RelatedEvent)
            .collect())
    }
}

/// Another event a source links to this one.
#[derive(Clone, Debug)]
pub struct RelatedEvent(pub event_relation::Model);

/// Another event a source links to this one.
#[Object]
impl RelatedEvent {
    /// Opaque global ID, stable for the life of the record.
    pub async fn id(&self) -> ID {
        ids::encode("RelatedEvent", &self.0.uid)
    }

    /// How this event relates to the other (it FOLLOWS it, is PART_OF it, is LINKED_TO it).
    async fn relation(&self) -> super::enums::EventRelation {
        self.0.relation.into()
    }

    /// The other event.
    async fn event(&self, ctx: &Context<'_>) -> Result<Event> {
        Ok(Event(
            load_required(ctx, EventId(self.0.related_event_id)).await?,
        ))
    }

    /// The sentence that links them, verbatim.
    async fn quote(&self) -> &str {
        &self.0.quote
    }

    /// The article the quote is from.
    async fn source(&self, ctx: &Context<'_>) -> Result<Source> {
        Ok(Source(
            load_required(ctx, SourceId(self.0.source_id)).await?,
        ))
    }
}

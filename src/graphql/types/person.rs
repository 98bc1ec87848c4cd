//! `Person`: public officials and publicly charged principals, their aliases, titles and words.

use super::agency::Agency;
use super::event::{Event, EventConnection, events_connection};
use super::filters::{EventFilter, EventOrderBy};
use super::scalars::Date;
use super::source::Source;
use crate::graphql::connection::{self, CountChildren, children, connection, cost, edges};
use crate::graphql::loaders::{AliasesOf, CountOf, EventId, PersonId, SourceId};
use crate::graphql::{ids, load, load_many, load_required};
use crate::service::event::Via;
use crate::service::page::{Position, SortValue};
use crate::service::relation::StatementsBy;
use async_graphql::{Context, ID, Object, Result};
use entity::{person, person_alias, person_title, statement};

/// A public official or a publicly charged principal. Workers and victims are never named.
#[derive(Clone, Debug)]
pub struct Person(pub person::Model);

impl Person {
    /// Loads a person that a foreign key points at.
    pub async fn load(ctx: &Context<'_>, id: i32) -> Result<Self> {
        Ok(Person(load_required(ctx, PersonId(id)).await?))
    }
}

connection!(
    PersonConnection,
    PersonEdge,
    Person,
    "A page of people, with the cursors to move between pages.",
    "A person on a page, with its cursor."
);

/// The sort key of a person in name order.
pub fn person_position(p: &person::Model) -> Position {
    Position {
        key: p.name.as_str().into(),
        id: p.id,
    }
}

connection!(
    StatementConnection,
    StatementEdge,
    Statement,
    "A page of statements, with the cursors to move between pages.",
    "A statement on a page, with its cursor."
);

/// A public official or a publicly charged principal. Workers and victims are never named.
#[Object]
impl Person {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode("Person", self.0.id)
    }

    /// Stable key in the curated dataset.
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// The name used across the dataset; other spellings are aliases.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Other spellings of the name, each as a source writes it ("Uk Hai Seila" for Uk Heisela).
    async fn aliases(&self, ctx: &Context<'_>) -> Result<Vec<Alias>> {
        Ok(load_many(ctx, AliasesOf(self.0.id))
            .await?
            .into_iter()
            .map(Alias)
            .collect())
    }

    /// Titles the person held, each as of a date, per a source.
    async fn titles(&self, ctx: &Context<'_>) -> Result<Vec<Title>> {
        Ok(load_many(ctx, crate::graphql::loaders::TitlesOf(self.0.id))
            .await?
            .into_iter()
            .map(Title)
            .collect())
    }

    /// Events the person took part in.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only events matching this.")] filter: Option<EventFilter>,
        #[graphql(desc = "The order; newest first by default.")] order_by: Option<EventOrderBy>,
        #[graphql(desc = "Read forward: this many events (at most 100; 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many events (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<EventConnection> {
        events_connection(
            ctx,
            Some((Via::Person, self.0.id)),
            filter,
            order_by,
            first,
            after,
            last,
            before,
        )
        .await
    }

    /// What the person said, in their words as sources quote them.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn statements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Read forward: this many statements (at most 100; 20 by default).")] first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many statements (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<StatementConnection> {
        let tag = "statements";
        let page = connection::page(tag, first, after, last, before)?;
        let paged = children(ctx, StatementsBy, self.0.id, &page).await?;
        let position = |s: &statement::Model| Position {
            key: SortValue::Int(s.id.into()),
            id: s.id,
        };
        Ok(StatementConnection::new(
            edges(paged, &page, tag, position, Statement),
            CountChildren(CountOf {
                relation: StatementsBy,
                parent: self.0.id,
            }),
        ))
    }
}

/// Another spelling of a person's name, as a source writes it.
#[derive(Clone, Debug)]
pub struct Alias(pub person_alias::Model);

/// Another spelling of a person's name, as a source writes it.
#[Object]
impl Alias {
    /// The spelling.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The sentence it appears in, verbatim.
    async fn quote(&self) -> &str {
        &self.0.quote
    }

    /// The article.
    async fn source(&self, ctx: &Context<'_>) -> Result<Source> {
        Ok(Source(
            load_required(ctx, SourceId(self.0.source_id)).await?,
        ))
    }
}

/// A title a person held, as a source states it at a date.
#[derive(Clone, Debug)]
pub struct Title(pub person_title::Model);

/// A title a person held, as a source states it at a date.
#[Object]
impl Title {
    /// The title, as the source words it.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// The body the title is in, when known.
    async fn agency(&self, ctx: &Context<'_>) -> Result<Option<Agency>> {
        match self.0.agency_id {
            Some(id) => Ok(Some(Agency::load(ctx, id).await?)),
            None => Ok(None),
        }
    }

    /// When the source says the person held it (usually the source's date).
    async fn as_of(&self) -> Date {
        Date(self.0.as_of)
    }

    /// The sentence that gives the title, verbatim.
    async fn quote(&self) -> &str {
        &self.0.quote
    }

    /// The article.
    async fn source(&self, ctx: &Context<'_>) -> Result<Source> {
        Ok(Source(
            load_required(ctx, SourceId(self.0.source_id)).await?,
        ))
    }
}

/// Something a named person said, in their words as a source quotes them.
#[derive(Clone, Debug)]
pub struct Statement(pub statement::Model);

/// Something a named person said, in their words as a source quotes them.
#[Object]
impl Statement {
    /// The words, verbatim from the article.
    async fn quote(&self) -> &str {
        &self.0.quote
    }

    /// Who said it.
    async fn person(&self, ctx: &Context<'_>) -> Result<Person> {
        Person::load(ctx, self.0.person_id).await
    }

    /// The event it was about, if any.
    async fn event(&self, ctx: &Context<'_>) -> Result<Option<Event>> {
        match self.0.event_id {
            Some(id) => Ok(load(ctx, EventId(id)).await?.map(Event)),
            None => Ok(None),
        }
    }

    /// The article that quotes it.
    async fn source(&self, ctx: &Context<'_>) -> Result<Source> {
        Ok(Source(
            load_required(ctx, SourceId(self.0.source_id)).await?,
        ))
    }
}

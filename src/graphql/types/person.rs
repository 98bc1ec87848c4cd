//! `Person`: public officials and publicly charged principals, their aliases, titles and words.

use super::agency::Agency;
use super::event::{Event, Scope, events_field};
use super::filters::PersonFilter;
use super::scalars::Date;
use super::source::Source;
use crate::graphql::connection::{PageArgs, connection, cost};
use crate::graphql::loaders::{AliasesOf, EventId, PersonId, PersonKey, SourceId, TitlesOf};
use crate::graphql::{ids, load, load_many, load_required};
use crate::service::catalog::{self, PEOPLE_BY_NAME};
use crate::service::event::Via;
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
    Person(person),
    "A page of people, with the cursors to move between pages.",
    "A person on a page, with its cursor."
);

/// Root fields about people.
#[derive(Default)]
pub struct PersonQuery;

#[Object]
impl PersonQuery {
    /// Named officials and charged principals, by name.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn people(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only people matching this (name or alias).")] filter: Option<
            PersonFilter,
        >,
        #[graphql(desc = "Read forward: this many people (at most 100; 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many people (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<PersonConnection> {
        let search = super::filters::search(filter.unwrap_or_default().search)?;
        let condition = catalog::PersonFilter { search }.condition();
        let args = PageArgs::new(first, after, last, before);
        PersonConnection::root(ctx, condition, PEOPLE_BY_NAME, args).await
    }

    /// One person by their global ID or by their stable key (give exactly one); null when there
    /// is none.
    async fn person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person's global ID.")] id: Option<ID>,
        #[graphql(desc = "The person's stable key (e.g. `uk-heisela`).")] key: Option<String>,
    ) -> Result<Option<Person>> {
        Ok(load(ctx, PersonKey(ids::id_or_key("Person", id, key)?))
            .await?
            .map(Person))
    }
}

events_field!(
    /// Events the person took part in.
    EventsOfPerson
);

connection!(
    StatementConnection,
    StatementEdge,
    Statement(statement),
    "A page of statements, with the cursors to move between pages.",
    "A statement on a page, with its cursor."
);

/// A public official or a publicly charged principal. Workers and victims are never named.
#[Object]
impl Person {
    /// Opaque global ID, stable for the life of the record.
    pub async fn id(&self) -> ID {
        ids::encode("Person", &self.0.key)
    }

    /// Every published change to this record, oldest first: its audit trail.
    pub async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many changes (at most 100).")] first: Option<i32>,
        #[graphql(desc = "The changes after this cursor.")] after: Option<String>,
    ) -> Result<crate::graphql::types::proposal::ChangeConnection> {
        crate::graphql::types::proposal::history(ctx, "Person", &self.0.key, first, after).await
    }

    /// Stable key in the curated dataset.
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// The record's version: one more with every published change. Send it as a mutation's
    /// `expectedVersion` to make the change fail with CONFLICT if another came first.
    async fn version(&self) -> i32 {
        self.0.version
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
        Ok(load_many(ctx, TitlesOf(self.0.id))
            .await?
            .into_iter()
            .map(Title)
            .collect())
    }

    /// `events(...)`, flattened in.
    #[graphql(flatten)]
    async fn events_field(&self) -> EventsOfPerson {
        EventsOfPerson(Scope::Of(Via::Person, self.0.id))
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
        let args = PageArgs::new(first, after, last, before);
        StatementConnection::nested(ctx, StatementsBy, self.0.id, args).await
    }
}

/// Another spelling of a person's name, as a source writes it.
#[derive(Clone, Debug)]
pub struct Alias(pub person_alias::Model);

/// Another spelling of a person's name, as a source writes it.
#[Object]
impl Alias {
    /// Opaque global ID, stable for the life of the record.
    pub async fn id(&self) -> ID {
        ids::encode("Alias", &self.0.uid)
    }

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
    /// Opaque global ID, stable for the life of the record.
    pub async fn id(&self) -> ID {
        ids::encode("Title", &self.0.uid)
    }

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
    /// Opaque global ID, stable for the life of the record.
    pub async fn id(&self) -> ID {
        ids::encode("Statement", &self.0.uid)
    }

    /// Every published change to this record, oldest first: its audit trail.
    pub async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many changes (at most 100).")] first: Option<i32>,
        #[graphql(desc = "The changes after this cursor.")] after: Option<String>,
    ) -> Result<crate::graphql::types::proposal::ChangeConnection> {
        crate::graphql::types::proposal::history(ctx, "Statement", &self.0.uid, first, after).await
    }

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

//! The root mutation: partners' changes (each a proposal, published at once for an editor),
//! their review, and keys for admins. Every mutation needs `Authorization: Bearer <key>`;
//! the checks and the writing are the write path's (`crate::write`).

use crate::auth;
use crate::error::Error;
use crate::graphql::credentials::actor;
use crate::graphql::types::enums::Role;
use crate::graphql::types::input::*;
use crate::graphql::types::proposal::{ChangePayload, Proposal};
use crate::graphql::{db, ids};
use crate::write::{self, Change, FigureOwner};
use async_graphql::{Context, ID, MergedObject, Object, Result, SimpleObject};
use entity::enums::Status;

async fn submit(
    ctx: &Context<'_>,
    change: Change,
    idempotency_key: Option<String>,
) -> Result<ChangePayload> {
    let actor = actor(ctx).await?;
    let done = write::submit(db(ctx)?, &actor, change, idempotency_key.as_deref())
        .await
        .map_err(Error::from)?;
    Ok(ChangePayload {
        proposal: Proposal(done.proposal),
        node: done.node,
    })
}

/// The key inside a global ID of `type_name`, for naming a record to change.
fn key_of(type_name: &str, id: &ID) -> Result<String, Error> {
    ids::decode(type_name, id)
}

/// Partners' changes: each is a proposal, published at once when an editor makes it and
/// otherwise when an editor reviews it; imports in the background (`startImport`), followed
/// as jobs. Every mutation needs `Authorization: Bearer <key>`.
#[derive(MergedObject, Default)]
pub struct Mutation(
    ChangeMutation,
    crate::graphql::types::import_job::ImportMutation,
);

/// Partners' changes and their review.
#[derive(Default)]
pub struct ChangeMutation;

/// Partners' changes: each is a proposal, published at once when an editor makes it and
/// otherwise when an editor reviews it. Every mutation needs `Authorization: Bearer <key>`.
#[Object]
impl ChangeMutation {
    /// Adds a source: an article with its full text, which every quote from it must be in.
    async fn create_source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article's record.")] input: SourceInput,
        #[graphql(desc = "The article's full text, as published.")] text: String,
        #[graphql(
            desc = "Makes a retry safe: the same key with the same input returns the \
                          first result; with another input it is refused."
        )]
        idempotency_key: Option<String>,
    ) -> Result<ChangePayload> {
        let source = source_record(&input)?;
        submit(ctx, Change::CreateSource { source, text }, idempotency_key).await
    }

    /// Adds a person: a public official or a publicly charged principal (`standing`).
    async fn create_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person's record.")] input: PersonInput,
        #[graphql(desc = "Makes a retry safe (see `createSource`).")] idempotency_key: Option<
            String,
        >,
    ) -> Result<ChangePayload> {
        let person = record(&input)?;
        submit(ctx, Change::CreatePerson { person }, idempotency_key).await
    }

    /// Adds an event with its places, agencies, people, numbers and the quotes backing each
    /// fact, checked as the curated dataset is.
    async fn create_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event's record.")] input: EventInput,
        #[graphql(desc = "Makes a retry safe (see `createSource`).")] idempotency_key: Option<
            String,
        >,
    ) -> Result<ChangePayload> {
        let event = record(&input)?;
        submit(ctx, Change::CreateEvent { event }, idempotency_key).await
    }

    /// Adds a statistic: a figure about a period, never added to totals over events.
    async fn create_statistic(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The statistic's record.")] input: StatisticInput,
        #[graphql(desc = "Makes a retry safe (see `createSource`).")] idempotency_key: Option<
            String,
        >,
    ) -> Result<ChangePayload> {
        let statistic = record(&input)?;
        submit(ctx, Change::CreateStatistic { statistic }, idempotency_key).await
    }

    /// Adds a source's claim to a figure: another article reporting the same number
    /// otherwise. The figure's `value`, `low` and `high`, and every total it is in, follow.
    async fn add_claim(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Whose figure.")] to: FigureOwnerInput,
        #[graphql(desc = "The claim.")] claim: ClaimInput,
        #[graphql(desc = "The figure's `version` as you read it: the change fails with \
                          CONFLICT if the figure changed since.")]
        expected_version: Option<i32>,
        #[graphql(desc = "Makes a retry safe (see `createSource`).")] idempotency_key: Option<
            String,
        >,
    ) -> Result<ChangePayload> {
        let owner = owner(&to)?;
        let claim = record(&claim)?;
        let change = Change::AddClaim {
            owner,
            claim,
            expected_version,
        };
        submit(ctx, change, idempotency_key).await
    }

    /// Retracts a claim: it leaves its figure and every total; the audit trail keeps it.
    async fn retract_claim(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The claim's ID.")] id: ID,
        #[graphql(desc = "Why.")] reason: String,
        #[graphql(desc = "Its figure's `version` as you read it (CONFLICT if it changed).")]
        expected_version: Option<i32>,
        #[graphql(desc = "Makes a retry safe (see `createSource`).")] idempotency_key: Option<
            String,
        >,
    ) -> Result<ChangePayload> {
        let change = Change::RetractClaim {
            claim: key_of("Claim", &id)?,
            reason: reason_given(reason)?,
            expected_version,
        };
        submit(ctx, change, idempotency_key).await
    }

    /// Retracts an event: it leaves every read and total; the audit trail keeps its
    /// tombstone, and its ID is never given to another event.
    async fn retract_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event's ID.")] id: ID,
        #[graphql(desc = "Why.")] reason: String,
        #[graphql(desc = "The event's `version` as you read it (CONFLICT if it changed).")]
        expected_version: Option<i32>,
        #[graphql(desc = "Makes a retry safe (see `createSource`).")] idempotency_key: Option<
            String,
        >,
    ) -> Result<ChangePayload> {
        let change = Change::RetractEvent {
            event: key_of("Event", &id)?,
            reason: reason_given(reason)?,
            expected_version,
        };
        submit(ctx, change, idempotency_key).await
    }

    /// Corrects an event's descriptive fields, with a reason. Fields left out stay.
    #[allow(clippy::too_many_arguments)]
    async fn correct_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event's ID.")] id: ID,
        #[graphql(desc = "The event's `version` as you read it (CONFLICT if it changed).")]
        expected_version: i32,
        #[graphql(desc = "Why.")] reason: String,
        #[graphql(desc = "A new title.")] title: Option<String>,
        #[graphql(desc = "A new summary.")] summary: Option<String>,
        #[graphql(desc = "A new date.")] date: Option<DateSpanInput>,
        #[graphql(desc = "A new status.")] status: Option<super::types::enums::Status>,
        #[graphql(desc = "Makes a retry safe (see `createSource`).")] idempotency_key: Option<
            String,
        >,
    ) -> Result<ChangePayload> {
        let date = date.as_ref().map(record).transpose()?;
        let change = Change::CorrectEvent {
            event: key_of("Event", &id)?,
            reason: reason_given(reason)?,
            expected_version,
            title,
            summary,
            date,
            status: status.map(Status::from),
        };
        submit(ctx, change, idempotency_key).await
    }

    /// Links a participant group to a group of another event as the same people, or part of
    /// them, as a source says (arrested in one event, deported in the next): totals count
    /// the body once.
    #[allow(clippy::too_many_arguments)]
    async fn link_cohort(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The group (its event's headline stage).")] group: ID,
        #[graphql(desc = "The other event's group whose people these are.")] to: ID,
        #[graphql(desc = "Same people, or some of them.")]
        relation: super::types::enums::CohortRelation,
        #[graphql(desc = "The source's key.")] source: String,
        #[graphql(desc = "The words saying so, verbatim.")] quote: String,
        #[graphql(desc = "Makes a retry safe (see `createSource`).")] idempotency_key: Option<
            String,
        >,
    ) -> Result<ChangePayload> {
        let change = Change::LinkCohort {
            group: key_of("ParticipantGroup", &group)?,
            linked: key_of("ParticipantGroup", &to)?,
            relation: relation.into(),
            source,
            quote,
        };
        submit(ctx, change, idempotency_key).await
    }

    /// Merges two events that are one happening: `from`'s claims, citations, groups, flows
    /// and links move to `into` (matching groups and flows pool their claims), and `from`'s
    /// ID answers `node` with `into` from then on.
    async fn merge_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event that stays.")] into: ID,
        #[graphql(desc = "The event merged into it.")] from: ID,
        #[graphql(desc = "Why they are one happening.")] reason: String,
        #[graphql(desc = "`into`'s `version` as you read it (CONFLICT if it changed).")]
        expected_version: Option<i32>,
        #[graphql(desc = "Makes a retry safe (see `createSource`).")] idempotency_key: Option<
            String,
        >,
    ) -> Result<ChangePayload> {
        let change = Change::MergeEvents {
            into: key_of("Event", &into)?,
            from: key_of("Event", &from)?,
            reason: reason_given(reason)?,
            expected_version,
        };
        submit(ctx, change, idempotency_key).await
    }

    /// Imports a dataset in the `data/` format (editors): its new sources with their articles,
    /// people, events and statistics, checked together by the loader's rules and written in
    /// one transaction or not at all. Events may come as NDJSON (`events.ndjson`, one event
    /// record a line, as `GET /export/events.ndjson` gives them) in place of `events.toml`.
    /// Places, agencies and countries it lists must exist; so must the sources and people its
    /// events name, unless the files bring them (an error names any missing).
    async fn import_dataset(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The files: `sources.toml`, `events.toml` (or `events.ndjson`)… and \
                    `articles/<file>`."
        )]
        files: Vec<DatasetFileInput>,
        #[graphql(desc = "Makes a retry safe (see `createSource`).")] idempotency_key: Option<
            String,
        >,
    ) -> Result<ChangePayload> {
        let actor = actor(ctx).await?;
        if !actor.may(entity::enums::Role::Editor) {
            return Err(Error::Forbidden("only an editor imports a dataset".into()).into());
        }
        let change = write::import::change(files.into_iter().map(|f| (f.name, f.text)))
            .map_err(Error::from)?;
        submit(ctx, change, idempotency_key).await
    }

    /// Publishes or rejects a pending proposal (editors).
    async fn review_proposal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The proposal's ID.")] id: ID,
        #[graphql(desc = "True to publish, false to reject.")] publish: bool,
        #[graphql(desc = "The editor's note to the author.")] note: Option<String>,
    ) -> Result<ChangePayload> {
        let actor = actor(ctx).await?;
        let proposal = key_of("Proposal", &id)?
            .parse::<i32>()
            .map_err(|_| ids::not_an_id(&id))?;
        let done = write::review(db(ctx)?, &actor, proposal, publish, note)
            .await
            .map_err(Error::from)?;
        Ok(ChangePayload {
            proposal: Proposal(done.proposal),
            node: done.node,
        })
    }

    /// Creates an API key (admins). The key is in the answer this once, never again.
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Who will hold it (\"Org X\"): the audit trail's name for them.")]
        name: String,
        #[graphql(desc = "What it may do.")] role: Role,
    ) -> Result<CreatedKey> {
        admin(ctx).await?;
        let (record, key) =
            auth::create(db(ctx)?, &name, role.into())
                .await
                .map_err(|e| match e {
                    sea_orm::DbErr::Custom(m) => Error::BadUserInput(m),
                    e => Error::Database(e),
                })?;
        Ok(CreatedKey {
            key,
            prefix: record.prefix,
            name: record.name,
        })
    }

    /// Revokes an API key (admins): requests with it are refused from now on.
    async fn revoke_api_key(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The key's visible prefix (`sa_live_ab12`).")] prefix: String,
    ) -> Result<bool> {
        admin(ctx).await?;
        Ok(auth::revoke(db(ctx)?, &prefix)
            .await
            .map_err(Error::from)?
            .is_some())
    }
}

/// One file of a dataset in the `data/` format.
#[derive(async_graphql::InputObject)]
pub struct DatasetFileInput {
    /// Its name: `events.toml` (or `events.ndjson`, the events as NDJSON), `sources.toml`…,
    /// or `articles/<file>` for an article's text.
    pub name: String,
    /// Its text.
    pub text: String,
}

/// A new API key.
#[derive(SimpleObject)]
pub struct CreatedKey {
    /// The key: shown this once; only its SHA-256 is stored.
    key: String,
    /// Its visible prefix, which names it in `revokeApiKey`.
    prefix: String,
    /// Who holds it.
    name: String,
}

async fn admin(ctx: &Context<'_>) -> Result<()> {
    let actor = actor(ctx).await?;
    if actor.may(entity::enums::Role::Admin) {
        Ok(())
    } else {
        Err(Error::Forbidden("only an admin key manages keys".into()).into())
    }
}

fn reason_given(reason: String) -> Result<String, Error> {
    if reason.trim().is_empty() {
        return Err(Error::Invalid {
            message: "say why in `reason`".into(),
            field: Some("reason".into()),
        });
    }
    Ok(reason)
}

/// The one figure `to` names.
fn owner(to: &FigureOwnerInput) -> Result<FigureOwner, Error> {
    type Make = fn(String) -> FigureOwner;
    let group: Make = if to.women {
        FigureOwner::GroupWomen
    } else {
        FigureOwner::GroupCount
    };
    let candidates: [(Option<&ID>, &str, Make); 7] = [
        (to.group.as_ref(), "ParticipantGroup", group),
        (to.flow.as_ref(), "DeportationFlow", FigureOwner::Flow),
        (
            to.flow_nationality.as_ref(),
            "FlowNationality",
            FigureOwner::FlowNationality,
        ),
        (to.seizure.as_ref(), "Seizure", FigureOwner::Seizure),
        (to.money.as_ref(), "MoneyFigure", FigureOwner::Money),
        (to.event_total.as_ref(), "Event", FigureOwner::EventTotal),
        (to.statistic.as_ref(), "Statistic", FigureOwner::Statistic),
    ];
    let named: Vec<(&ID, &str, Make)> = candidates
        .into_iter()
        .filter_map(|(id, type_name, make)| Some((id?, type_name, make)))
        .collect();
    match named.as_slice() {
        [(id, type_name, make)] => Ok(make(key_of(type_name, id)?)),
        _ => Err(Error::Invalid {
            message: "name exactly one figure's owner in `to`".into(),
            field: Some("to".into()),
        }),
    }
}

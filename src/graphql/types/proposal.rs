//! The write side as readers see it: proposals awaiting review, the audit trail (`Change`),
//! and the payload every mutation returns.

use super::enums::{ChangeAction, ProposalStatus};
use crate::graphql::connection::{PageArgs, connection, cursor_of};
use crate::graphql::credentials::actor;
use crate::graphql::ids;
use crate::graphql::query::{Node, node_of};
use crate::service::changes::{CHANGES_IN_ORDER, PROPOSALS_BY_ID, history_of};
use async_graphql::{Context, ID, Json, Object, Result};
use entity::{change, proposal};

/// A change a key submitted: pending until an editor publishes or rejects it (an editor's
/// own change is published at once).
#[derive(Clone, Debug)]
pub struct Proposal(pub proposal::Model);

/// A change a key submitted: pending until an editor publishes or rejects it.
#[Object]
impl Proposal {
    /// Opaque ID; pass it to `reviewProposal`.
    async fn id(&self) -> ID {
        ids::encode("Proposal", &self.0.id.to_string())
    }

    /// Which mutation it is (`CREATE_EVENT`, `ADD_CLAIM`…).
    async fn kind(&self) -> &str {
        &self.0.kind
    }

    /// Where it stands.
    async fn status(&self) -> ProposalStatus {
        self.0.status.into()
    }

    /// One line saying what it changes.
    async fn summary(&self) -> &str {
        &self.0.summary
    }

    /// The mutation's input as submitted (records named by key), which publishing applies.
    async fn input(&self) -> Json<serde_json::Value> {
        Json(serde_json::from_str(&self.0.input).unwrap_or_default())
    }

    /// The name of the key that submitted it.
    async fn author(&self) -> &str {
        &self.0.author
    }

    /// When it was submitted (RFC 3339).
    async fn created_at(&self) -> String {
        self.0.created_at.to_rfc3339()
    }

    /// The name of the editor's key that published or rejected it.
    async fn reviewer(&self) -> Option<&str> {
        self.0.reviewer.as_deref()
    }

    /// When it was published or rejected (RFC 3339).
    async fn reviewed_at(&self) -> Option<String> {
        self.0.reviewed_at.map(|t| t.to_rfc3339())
    }

    /// The editor's note.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// One published change to one record: who, when, what (the record before and after), why,
/// and under which proposal. A retraction's entry has no `after` and no `node`: it is the
/// record's tombstone.
#[derive(Clone, Debug)]
pub struct Change(pub change::Model);

/// One published change to one record, in the audit trail.
#[Object]
impl Change {
    /// Opaque ID of this entry.
    async fn id(&self) -> ID {
        ids::encode("Change", &self.0.id.to_string())
    }

    /// What was done.
    async fn action(&self) -> ChangeAction {
        self.0.action.into()
    }

    /// The changed record's type (`Event`, `Claim`…).
    async fn node_type(&self) -> &str {
        &self.0.node_type
    }

    /// The changed record's global ID, which stays valid for its tombstone.
    async fn node_id(&self) -> ID {
        ids::encode(&self.0.node_type, &self.0.node_key)
    }

    /// The record as it is now; null when it was retracted (or merged away).
    async fn node(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        node_of(ctx, &ids::encode(&self.0.node_type, &self.0.node_key)).await
    }

    /// Its position in the changes feed: pass it as `changes(after:)` or
    /// `changed(after:)` to read what was published after it.
    async fn cursor(&self) -> String {
        cursor_of(&CHANGES_IN_ORDER, &self.0)
    }

    /// When it was published (RFC 3339).
    async fn at(&self) -> String {
        self.0.at.to_rfc3339()
    }

    /// The name of the key that published it.
    async fn actor(&self) -> &str {
        &self.0.actor
    }

    /// Why, as its publisher said (corrections and retractions).
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    /// The record before the change (null for a creation).
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        let text = self.0.before.as_deref()?;
        serde_json::from_str(text).ok().map(Json)
    }

    /// The record after it (null for a retraction).
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        let text = self.0.after.as_deref()?;
        serde_json::from_str(text).ok().map(Json)
    }

    /// The proposal it published.
    async fn proposal(&self, ctx: &Context<'_>) -> Result<Option<Proposal>> {
        let Some(id) = self.0.proposal_id else {
            return Ok(None);
        };
        let db = crate::graphql::db(ctx)?;
        use sea_orm::EntityTrait;
        Ok(proposal::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(crate::error::Error::from)?
            .map(Proposal))
    }
}

connection!(
    ChangeConnection,
    ChangeEdge,
    Change(change),
    "A page of the audit trail, in commit order, with the cursors to move between pages.",
    "An entry of the audit trail on a page, with its cursor."
);

connection!(
    ProposalConnection,
    ProposalEdge,
    Proposal(proposal),
    "A page of proposals, oldest first, with the cursors to move between pages.",
    "A proposal on a page, with its cursor."
);

/// A page of one record's history (its audit trail), oldest first.
pub async fn history(
    ctx: &Context<'_>,
    node_type: &str,
    key: &str,
    first: Option<i32>,
    after: Option<String>,
) -> Result<ChangeConnection> {
    let args = PageArgs::new(first, after, None, None);
    ChangeConnection::root(ctx, history_of(node_type, key), CHANGES_IN_ORDER, args).await
}

/// What a mutation did: its proposal (published at once for an editor) and the record it
/// created or changed, once published.
pub struct ChangePayload {
    pub proposal: Proposal,
    pub node: Option<(&'static str, String)>,
}

/// What a mutation did.
#[Object]
impl ChangePayload {
    /// The proposal the change is (PUBLISHED for an editor's change, PENDING for a
    /// contributor's until an editor reviews it).
    async fn proposal(&self) -> &Proposal {
        &self.proposal
    }

    /// The record created or changed, once published; null while pending, and for a
    /// retracted record.
    async fn node(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        match &self.node {
            Some((node_type, key)) => node_of(ctx, &ids::encode(node_type, key)).await,
            None => Ok(None),
        }
    }
}

/// Root fields for the write side: proposals and the audit trail.
#[derive(Default)]
pub struct ReviewQuery;

#[Object]
impl ReviewQuery {
    /// Proposals, oldest first: an editor sees every key's, a contributor only their own.
    /// Needs an API key.
    async fn proposals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only proposals in this status.")] status: Option<ProposalStatus>,
        #[graphql(desc = "Read forward: this many proposals (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many proposals (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<ProposalConnection> {
        let actor = actor(ctx).await?;
        let author = (!actor.may(entity::enums::Role::Editor)).then_some(actor.key_id);
        let condition = crate::service::changes::proposals(status.map(Into::into), author);
        let args = PageArgs::new(first, after, last, before);
        ProposalConnection::root(ctx, condition, PROPOSALS_BY_ID, args).await
    }

    /// The audit trail and changes feed: every published change to every record, in commit
    /// order (created, updated, merged, retracted — a retraction is a tombstone whose `node`
    /// is null). Store the last `endCursor` and ask again with `after:` to sync: a change is
    /// never missed nor seen twice, since writes are serialised and each change's position is
    /// taken inside its own transaction. Needs an API key.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Read forward: this many changes (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Read forward from after this cursor.")] after: Option<String>,
        #[graphql(desc = "Read backward: this many changes (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Read backward from before this cursor.")] before: Option<String>,
    ) -> Result<ChangeConnection> {
        actor(ctx).await?;
        let args = PageArgs::new(first, after, last, before);
        ChangeConnection::root(ctx, sea_orm::Condition::all(), CHANGES_IN_ORDER, args).await
    }
}

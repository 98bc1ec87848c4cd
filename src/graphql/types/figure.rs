//! `Figure` and `Claim`: every number, with the sources that state it; and the numbers of
//! things an event involves (seizures, money).

use super::enums::{MoneyMeasure, Qualifier};
use super::scalars::Count;
use super::source::Source;
use crate::figure::{Resolved, sum};
use crate::graphql::loaders::{ClaimsOf, FigureId, SourceId};
use crate::graphql::{ids, load_each, load_required};
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use entity::{claim, figure};

/// A number as Scam Atlas stands behind it, with every source's claim. `value` is the most
/// conservative claim (the lowest that a source states as exact or as a lower bound);
/// `low` and `high` span all claims.
#[derive(Clone, Debug)]
pub struct Figure {
    resolved: Resolved,
    /// The stored figures whose claims back this one (one, or the parts of a sum).
    parts: Vec<i32>,
    /// A stored figure's version; None for sums and computed figures.
    version: Option<i32>,
}

impl Figure {
    /// A stored figure.
    pub fn stored(model: &figure::Model) -> Self {
        Figure {
            resolved: model.into(),
            parts: vec![model.id],
            version: Some(model.version),
        }
    }

    /// The sum of stored figures about different people.
    pub fn sum_of(models: &[figure::Model]) -> Self {
        let parts: Vec<Resolved> = models.iter().map(Resolved::from).collect();
        Figure {
            resolved: sum(&parts),
            parts: models.iter().map(|m| m.id).collect(),
            version: None,
        }
    }

    /// A figure computed from others (a total), whose claims are reached through its events.
    pub fn computed(resolved: Resolved) -> Self {
        Figure {
            resolved,
            parts: Vec::new(),
            version: None,
        }
    }

    /// Loads a stored figure by id.
    pub async fn load(ctx: &Context<'_>, id: i32) -> Result<Self> {
        Ok(Figure::stored(&load_required(ctx, FigureId(id)).await?))
    }
}

fn number(n: Option<i64>) -> Option<Count> {
    n.map(Count)
}

/// A number as Scam Atlas stands behind it, with every source's claim. `value` is the most
/// conservative claim (the lowest that a source states as exact or as a lower bound);
/// `low` and `high` span all claims.
#[Object]
impl Figure {
    /// The stored figure's version: one more with every claim added or retracted. Send it as
    /// `addClaim`'s `expectedVersion`. Null for a sum of figures.
    async fn version(&self) -> Option<i32> {
        self.version
    }

    /// The figure this server stands behind: the lowest claim a source states as exact or as
    /// a lower bound (approximations count only when nothing firmer is stated). Null when no
    /// source gives a number.
    async fn value(&self) -> Option<Count> {
        number(self.resolved.value)
    }

    /// The lowest value any claim states.
    async fn low(&self) -> Option<Count> {
        number(self.resolved.low)
    }

    /// The highest value any claim states (a stated range's upper end included).
    async fn high(&self) -> Option<Count> {
        number(self.resolved.high)
    }

    /// How `value` is qualified (EXACT, AT_LEAST, ABOUT …); a sum keeps its parts' qualifiers.
    async fn qualifier(&self) -> Qualifier {
        self.resolved.qualifier.into()
    }

    /// True when `value` rests on arithmetic over what sources say, not on a stated number.
    async fn derived(&self) -> bool {
        self.resolved.derived
    }

    /// Every source's statement of this number (of each part, for a sum), with its quote. Empty
    /// for the totals of `participantTotals`, `flowTotals` and `timeline`: follow their
    /// `events` or `flows` to the claims.
    async fn claims(&self, ctx: &Context<'_>) -> Result<Vec<Claim>> {
        let parts = load_each(ctx, self.parts.iter().map(|p| ClaimsOf(*p)).collect()).await?;
        Ok(parts.into_iter().flatten().map(Claim).collect())
    }
}

/// One source's statement of a number, and the verbatim quote it rests on.
#[derive(Clone, Debug)]
pub struct Claim(pub claim::Model);

/// One source's statement of a number, and the verbatim quote it rests on.
#[Object]
impl Claim {
    /// Opaque global ID, stable for the life of the record.
    pub async fn id(&self) -> ID {
        ids::encode("Claim", &self.0.uid)
    }

    /// Every published change to this record, oldest first: its audit trail.
    pub async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many changes (at most 100).")] first: Option<i32>,
        #[graphql(desc = "The changes after this cursor.")] after: Option<String>,
    ) -> Result<crate::graphql::types::proposal::ChangeConnection> {
        crate::graphql::types::proposal::history(ctx, "Claim", &self.0.uid, first, after).await
    }

    /// The number the source states; null when it gives none ("thousands").
    async fn value(&self) -> Option<Count> {
        number(self.0.value)
    }

    /// Upper end, when the source states a range ("6,000 to 7,000").
    async fn high(&self) -> Option<Count> {
        number(self.0.high)
    }

    /// How the source qualifies the number.
    async fn qualifier(&self) -> Qualifier {
        self.0.qualifier.into()
    }

    /// True when the value is arithmetic on what the source says (13 Taiwanese of 63 leaves
    /// 50 Chinese); `note` says how.
    async fn derived(&self) -> bool {
        self.0.derived
    }

    /// How a derived value was worked out, or why a wording was read as it was.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// The sentence of the article the number rests on, verbatim.
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

/// Items seized in an event.
#[derive(SimpleObject, Clone, Debug)]
pub struct Seizure {
    /// Opaque global ID, stable for the life of the record.
    pub id: ID,
    /// What was seized, singular ("laptop", "desk phone").
    pub item: String,
    /// How many.
    pub quantity: Figure,
}

/// An amount of money in an event.
#[derive(SimpleObject, Clone, Debug)]
pub struct MoneyFigure {
    /// Opaque global ID, stable for the life of the record.
    pub id: ID,
    /// What the amount measures.
    pub measure: MoneyMeasure,
    /// ISO 4217 currency code.
    pub currency: String,
    /// The amount, in whole units of the currency.
    pub amount: Figure,
}

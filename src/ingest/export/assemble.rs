//! One event's record put together from its page's parts (`events::Parts`): parts in the
//! order of their uids, so that a reload gives each part the uid it had.

use super::events::Parts;
use super::read::{claims_of, in_record_order, span};
use crate::ingest::format as f;
use entity::enums::{CitedFact, LocationLevel};
use entity::*;
use sea_orm::DbErr;

/// Most specific first, as curators list an event's places: a site before its city.
fn specificity(level: LocationLevel) -> u8 {
    match level {
        LocationLevel::Site => 0,
        LocationLevel::Commune | LocationLevel::City => 1,
        LocationLevel::District => 2,
        LocationLevel::Province => 3,
        LocationLevel::Country => 4,
    }
}

/// `rows` of a parent, sorted into record order.
fn ordered<M: Clone>(rows: Option<&Vec<M>>, uid_of: impl Fn(&M) -> (&str, i32)) -> Vec<M> {
    let mut rows = rows.cloned().unwrap_or_default();
    in_record_order(&mut rows, uid_of);
    rows
}

impl Parts {
    pub(super) fn record(&self, e: &event::Model) -> Result<f::Event, DbErr> {
        let mut kinds: Vec<_> = self
            .kinds
            .get(&e.id)
            .into_iter()
            .flatten()
            .map(|k| k.kind)
            .collect();
        kinds.sort();
        let mut places = self.places.get(&e.id).cloned().unwrap_or_default();
        places.sort_by(|a, b| (specificity(a.level), &a.key).cmp(&(specificity(b.level), &b.key)));
        let date = span(e.date_start, e.date_end, e.date_precision, e.date_derived);
        Ok(f::Event {
            key: e.key.clone(),
            kinds,
            title: e.title.clone(),
            summary: e.summary.clone(),
            status: e.status,
            places: places.into_iter().map(|p| p.key).collect(),
            citations: self.citations(e.id)?,
            agencies: ordered(self.agencies.get(&e.id), |a| (&a.uid, a.id))
                .into_iter()
                .map(|a| {
                    Ok(f::AgencyLink {
                        agency: self.agency_keys.of(a.agency_id)?,
                        role: a.role,
                    })
                })
                .collect::<Result<_, DbErr>>()?,
            people: ordered(self.people.get(&e.id), |p| (&p.uid, p.id))
                .into_iter()
                .map(|p| {
                    Ok(f::PersonLink {
                        person: self.person_keys.of(p.person_id)?,
                        role: p.role,
                    })
                })
                .collect::<Result<_, DbErr>>()?,
            total: claims_of(&self.claims, e.total_figure_id),
            participants: self.participants(e.id)?,
            flows: self.flows(e, &date)?,
            seizures: ordered(self.seizures.get(&e.id), |s| (&s.uid, s.id))
                .into_iter()
                .map(|s| f::Seizure {
                    item: s.item,
                    quantity: claims_of(&self.claims, Some(s.quantity_figure_id)),
                })
                .collect(),
            money: ordered(self.money.get(&e.id), |m| (&m.uid, m.id))
                .into_iter()
                .map(|m| f::Money {
                    measure: m.measure,
                    currency: m.currency,
                    amount: claims_of(&self.claims, Some(m.amount_figure_id)),
                })
                .collect(),
            statements: ordered(self.statements.get(&e.id), |s| (&s.uid, s.id))
                .into_iter()
                .map(|s| {
                    Ok(f::Statement {
                        person: self.person_keys.of(s.person_id)?,
                        source: self.sources.of(s.source_id)?,
                        quote: s.quote,
                    })
                })
                .collect::<Result<_, DbErr>>()?,
            related: ordered(self.related.get(&e.id), |r| (&r.uid, r.id))
                .into_iter()
                .map(|r| {
                    Ok(f::Related {
                        event: self.event_keys.of(r.related_event_id)?,
                        relation: r.relation,
                        source: self.sources.of(r.source_id)?,
                        quote: r.quote,
                    })
                })
                .collect::<Result<_, DbErr>>()?,
            date,
        })
    }

    fn citations(&self, event_id: i32) -> Result<Vec<f::Citation>, DbErr> {
        ordered(self.citations.get(&event_id), |c| (&c.uid, c.id))
            .into_iter()
            .map(|c| {
                let supports = self
                    .facts
                    .get(&c.id)
                    .into_iter()
                    .flatten()
                    .map(|fact| self.support(fact))
                    .collect::<Result<_, DbErr>>()?;
                Ok(f::Citation {
                    source: self.sources.of(c.source_id)?,
                    quote: c.quote,
                    supports,
                })
            })
            .collect()
    }

    /// A cited fact as `supports` names it: `date`, `kind:RAID`, `place:<key>`, ….
    fn support(&self, fact: &citation_fact::Model) -> Result<String, DbErr> {
        let missing =
            |what: &str| DbErr::RecordNotFound(format!("citation_fact {}: no {what}", fact.id));
        Ok(match fact.fact {
            CitedFact::Date => "date".into(),
            CitedFact::Status => "status".into(),
            CitedFact::Kind => format!(
                "kind:{}",
                fact.kind.ok_or_else(|| missing("kind"))?.as_str()
            ),
            CitedFact::Location => format!(
                "place:{}",
                self.locations
                    .of(fact.location_id.ok_or_else(|| missing("location"))?)?
            ),
            CitedFact::Agency => format!(
                "agency:{}",
                self.agency_keys
                    .of(fact.agency_id.ok_or_else(|| missing("agency"))?)?
            ),
            CitedFact::Person => format!(
                "person:{}",
                self.person_keys
                    .of(fact.person_id.ok_or_else(|| missing("person"))?)?
            ),
        })
    }

    fn participants(&self, event_id: i32) -> Result<Vec<f::ParticipantGroup>, DbErr> {
        ordered(self.groups.get(&event_id), |g| (&g.uid, g.id))
            .into_iter()
            .map(|g| {
                let cohort = match self.cohorts.get(&g.id) {
                    None => None,
                    // Role and status are always written: they are never wrong, and the
                    // other event's groups are not at hand to tell whether they are needed.
                    Some((link, other)) => Some(f::CohortLink {
                        relation: link.relation,
                        event: self.event_keys.of(other.event_id)?,
                        nationality: other.nationality_code.clone(),
                        role: Some(other.role),
                        status: Some(other.status),
                        source: self.sources.of(link.source_id)?,
                        quote: link.quote.clone(),
                    }),
                };
                Ok(f::ParticipantGroup {
                    nationality: g.nationality_code,
                    role: g.role,
                    status: g.status,
                    count: claims_of(&self.claims, Some(g.count_figure_id)),
                    women: claims_of(&self.claims, g.women_figure_id),
                    cohort,
                })
            })
            .collect()
    }

    fn flows(&self, e: &event::Model, event_date: &f::DateSpan) -> Result<Vec<f::Flow>, DbErr> {
        ordered(self.flows.get(&e.id), |fl| (&fl.uid, fl.id))
            .into_iter()
            .map(|fl| {
                let date = span(
                    fl.date_start,
                    fl.date_end,
                    fl.date_precision,
                    fl.date_derived,
                );
                Ok(f::Flow {
                    from: fl.from_code,
                    to: fl.to_code,
                    kind: fl.kind,
                    status: fl.status,
                    // A flow's date defaults to its event's: written only where it differs.
                    date: (&date != event_date).then_some(date),
                    count: claims_of(&self.claims, fl.count_figure_id),
                    by_nationality: ordered(self.flow_nationalities.get(&fl.id), |n| {
                        (&n.uid, n.id)
                    })
                    .into_iter()
                    .map(|n| f::FlowNationality {
                        nationality: n.nationality_code,
                        count: claims_of(&self.claims, Some(n.count_figure_id)),
                    })
                    .collect(),
                })
            })
            .collect()
    }
}

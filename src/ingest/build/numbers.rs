//! Checking an event's numbers: its total, participant groups, flows (with their nationality
//! split), seizures and money. Figures are added in this order, which fixes their ids.

use super::{At, Builder, IngestError, Table, span};
use crate::ingest::format as f;
use entity::*;

impl Builder<'_> {
    /// Returns the id of the event's total figure, if it has one.
    pub(super) fn numbers(
        &mut self,
        e: &f::Event,
        id: i32,
        at: &At,
    ) -> Result<Option<i32>, IngestError> {
        let total_figure_id = self.figure(&e.total, at, "total")?;
        for (i, g) in e.participants.iter().enumerate() {
            let field = format!("participants[{i}]");
            let nationality_code = g
                .nationality
                .as_deref()
                .map(|c| self.country(c, at, &field))
                .transpose()?;
            let (count_figure_id, _) =
                self.required_figure(&g.count, at, &format!("{field}.count"))?;
            let women_figure_id = self.figure(&g.women, at, &format!("{field}.women"))?;
            self.rows.groups.push(participant_group::Model {
                id: self.base.id(Table::Groups, self.rows.groups.len()),
                uid: at.uid(&field),
                event_id: id,
                nationality_code,
                role: g.role,
                status: g.status,
                count_figure_id,
                women_figure_id,
            });
        }
        for (i, flow) in e.flows.iter().enumerate() {
            let field = format!("flows[{i}]");
            let from_code = self.country(&flow.from, at, &format!("{field}.from"))?;
            let to_code = flow
                .to
                .as_deref()
                .map(|c| self.country(c, at, &format!("{field}.to")))
                .transpose()?;
            let date = flow.date.as_ref().unwrap_or(&e.date);
            let (date_start, date_end) = span(date, at, &format!("{field}.date"))?;
            let count_figure_id = self.figure(&flow.count, at, &format!("{field}.count"))?;
            let flow_id = self.base.id(Table::Flows, self.rows.flows.len());
            for (j, part) in flow.by_nationality.iter().enumerate() {
                let field = format!("{field}.by_nationality[{j}]");
                let nationality_code = self.country(&part.nationality, at, &field)?;
                let (count_figure_id, _) =
                    self.required_figure(&part.count, at, &format!("{field}.count"))?;
                self.rows.flow_nationalities.push(flow_nationality::Model {
                    id: self
                        .base
                        .id(Table::FlowNationalities, self.rows.flow_nationalities.len()),
                    uid: at.uid(&field),
                    flow_id,
                    nationality_code,
                    count_figure_id,
                });
            }
            self.rows.flows.push(deportation_flow::Model {
                id: flow_id,
                uid: at.uid(&field),
                event_id: id,
                from_code,
                to_code,
                kind: flow.kind,
                status: flow.status,
                date_start,
                date_end,
                date_precision: date.precision,
                date_derived: date.derived,
                count_figure_id,
            });
        }
        for (i, s) in e.seizures.iter().enumerate() {
            let (quantity_figure_id, _) =
                self.required_figure(&s.quantity, at, &format!("seizures[{i}].quantity"))?;
            self.rows.seizures.push(seizure::Model {
                id: self.base.id(Table::Seizures, self.rows.seizures.len()),
                uid: at.uid(&format!("seizures[{i}]")),
                event_id: id,
                item: s.item.clone(),
                quantity_figure_id,
            });
        }
        for (i, m) in e.money.iter().enumerate() {
            if m.currency.len() != 3 || !m.currency.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(at.err(format!("money[{i}].currency: not an ISO 4217 code")));
            }
            let (amount_figure_id, _) =
                self.required_figure(&m.amount, at, &format!("money[{i}].amount"))?;
            self.rows.money.push(money_figure::Model {
                id: self.base.id(Table::Money, self.rows.money.len()),
                uid: at.uid(&format!("money[{i}]")),
                event_id: id,
                measure: m.measure,
                currency: m.currency.clone(),
                amount_figure_id,
            });
        }
        Ok(total_figure_id)
    }
}

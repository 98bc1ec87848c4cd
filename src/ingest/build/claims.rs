//! Checking a figure's claims and resolving it (`figure::resolve`).

use super::{At, Builder, IngestError, Table};
use crate::figure::{ClaimValue, resolve};
use crate::ingest::format as f;
use entity::enums::*;
use entity::*;
use std::collections::HashSet;

impl Builder<'_> {
    /// Checks a figure's claims and adds the figure with its resolution; `None` for no claims.
    pub(super) fn figure(
        &mut self,
        claims: &[f::Claim],
        at: &At,
        field: &str,
    ) -> Result<Option<i32>, IngestError> {
        if claims.is_empty() {
            return Ok(None);
        }
        let figure_id = self.base.id(Table::Figures, self.rows.figures.len());
        let mut by_source = HashSet::new();
        let mut values = Vec::new();
        for (i, c) in claims.iter().enumerate() {
            let field = format!("{field}[{i}]");
            let source_id = self.quoted(&c.source, &c.quote, at, &field)?;
            // A source that words one figure twice (a headline's 376, its lead's "nearly
            // 400") makes two claims, each on its own quote; the same words twice are one.
            if !by_source.insert((source_id, c.quote.as_str())) {
                return Err(at.err(format!(
                    "{field}: a second claim from source \"{}\" on the same quote (one claim per \
                     source per wording)",
                    c.source
                )));
            }
            match (c.value, c.qualifier) {
                (None, q) if q != Qualifier::Unknown => {
                    return Err(at.err(format!(
                        "{field}: no value (only an UNKNOWN claim has none)"
                    )));
                }
                (Some(_), Qualifier::Unknown) => {
                    return Err(at.err(format!("{field}: an UNKNOWN claim has no value")));
                }
                (Some(v), _) if v < 0 => return Err(at.err(format!("{field}: negative value {v}"))),
                _ => {}
            }
            if let (Some(low), Some(high)) = (c.value, c.high)
                && high < low
            {
                return Err(at.err(format!("{field}: high {high} is below value {low}")));
            }
            if c.derived && c.note.is_none() {
                return Err(at.err(format!(
                    "{field}: a derived claim needs a note saying how it was worked out"
                )));
            }
            values.push(ClaimValue {
                value: c.value,
                high: c.high,
                qualifier: c.qualifier,
                derived: c.derived,
            });
            self.rows.claims.push(claim::Model {
                id: self.base.id(Table::Claims, self.rows.claims.len()),
                uid: at.uid(&field),
                figure_id,
                value: c.value,
                high: c.high,
                qualifier: c.qualifier,
                derived: c.derived,
                note: c.note.clone(),
                source_id,
                quote: c.quote.clone(),
            });
        }
        let r = resolve(&values);
        self.rows.figures.push(figure::Model {
            version: 1,
            id: figure_id,
            value: r.value,
            low: r.low,
            high: r.high,
            qualifier: r.qualifier,
            derived: r.derived,
        });
        Ok(Some(figure_id))
    }

    pub(super) fn required_figure(
        &mut self,
        claims: &[f::Claim],
        at: &At,
        field: &str,
    ) -> Result<(i32, Option<i64>), IngestError> {
        let id = self
            .figure(claims, at, field)?
            .ok_or_else(|| at.err(format!("{field}: no claims")))?;
        Ok((id, self.value_of(id)))
    }
}

//! Checking the links between participant groups of different events (`cohort`): each names
//! exactly one group of another event, with a quote from its source, and joins only headline
//! groups (`tally::headline`), since an event's other stages are its headline's people.

use super::{At, Builder, IngestError, Table};
use crate::ingest::format as f;
use entity::enums::CohortRelation;
use entity::*;

impl Builder<'_> {
    /// Resolves every group's `cohort` link, once every event's groups are built.
    pub(super) fn cohorts(&mut self, events: &[f::Event]) -> Result<(), IngestError> {
        for e in events {
            let at = At::new("events.toml", "event", &e.key);
            let id = self.events[&e.key];
            for (i, g) in e.participants.iter().enumerate() {
                let Some(link) = &g.cohort else {
                    continue;
                };
                let field = format!("participants[{i}].cohort");
                let group = self.groups_of(id)[i].clone();
                let other_event = *self
                    .events
                    .get(&link.event)
                    .ok_or_else(|| at.err(format!("{field}: unknown event \"{}\"", link.event)))?;
                if other_event == id {
                    return Err(at.err(format!(
                        "{field}: links a group to its own event (stages of one event are \
                         the same people already)"
                    )));
                }
                let matches: Vec<participant_group::Model> = self
                    .groups_of(other_event)
                    .into_iter()
                    .filter(|o| o.nationality_code == link.nationality)
                    .filter(|o| link.role.is_none_or(|r| o.role == r))
                    .filter(|o| link.status.is_none_or(|s| o.status == s))
                    .collect();
                let other = match matches.as_slice() {
                    [one] => one.clone(),
                    [] => {
                        return Err(at.err(format!(
                            "{field}: event \"{}\" has no such group",
                            link.event
                        )));
                    }
                    _ => {
                        return Err(at.err(format!(
                            "{field}: event \"{}\" has several such groups; give role and status",
                            link.event
                        )));
                    }
                };
                for (which, g) in [("this group", &group), ("the linked group", &other)] {
                    if !self.is_headline(g) {
                        return Err(at.err(format!(
                            "{field}: {which} is not its event's headline stage (for its role, \
                             the status with the most people); link that stage instead"
                        )));
                    }
                }
                if link.relation == CohortRelation::PartOf
                    && let (Some(part), Some(whole)) = (
                        self.value_of(group.count_figure_id),
                        self.value_of(other.count_figure_id),
                    )
                    && part > whole
                {
                    return Err(at.err(format!(
                        "{field}: a part ({part}) larger than its whole ({whole})"
                    )));
                }
                let source_id = self.quoted(&link.source, &link.quote, &at, &field)?;
                self.rows.links.push(participant_link::Model {
                    id: self.base.id(Table::Links, self.rows.links.len()),
                    uid: at.uid(&field),
                    group_id: group.id,
                    linked_group_id: other.id,
                    relation: link.relation,
                    source_id,
                    quote: link.quote.clone(),
                });
            }
        }
        Ok(())
    }

    /// An event's groups, in the order its file gives them.
    fn groups_of(&self, event_id: i32) -> Vec<participant_group::Model> {
        self.rows
            .groups
            .iter()
            .chain(&self.seeded_groups)
            .filter(|g| g.event_id == event_id)
            .cloned()
            .collect()
    }

    pub(super) fn value_of(&self, figure_id: i32) -> Option<i64> {
        if let Some(value) = self.seeded_values.get(&figure_id) {
            return *value;
        }
        // New figures are numbered in order from the table's base.
        let index = figure_id.checked_sub(self.base.0[Table::Figures as usize] + 1)?;
        self.rows
            .figures
            .get(usize::try_from(index).ok()?)
            .and_then(|f| f.value)
    }

    /// Whether a group is of its event's headline stage, by the rule totals use.
    fn is_headline(&self, group: &participant_group::Model) -> bool {
        let groups = self.groups_of(group.event_id);
        let headlines = crate::tally::headline(&groups, |g| self.value_of(g.count_figure_id));
        groups
            .iter()
            .zip(headlines)
            .any(|(g, h)| g.id == group.id && h)
    }
}

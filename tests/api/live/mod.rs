//! Subscriptions over WebSocket, as a `graphql-transport-ws` client speaks them: a publish on
//! one instance reaches a subscriber on another with nested fields; a subscriber that drops
//! its connection catches up through `changes` or `changed(after:)`; keys, limits, pings.

mod client;
mod delivery;
mod socket;

pub(crate) const EVENT_PUBLISHED: &str = r#"
subscription($countries: [ID!]) {
  eventPublished(filter: { countries: $countries }) {
    key title
    participants { nationality { code } count { value claims { value quote source { key } } } }
  }
}"#;

pub(crate) const CHANGED: &str = r#"
subscription($after: String, $types: [String!]) {
  changed(after: $after, filter: { types: $types }) { cursor action nodeType nodeId node { id } }
}"#;

pub(crate) const TOTALS_CHANGED: &str = r#"
subscription {
  totalsChanged {
    cursor
    changes { nodeType }
    query { participantTotals(groupBy: [NATIONALITY]) { nationality { code } total { value low high } eventCount } }
  }
}"#;

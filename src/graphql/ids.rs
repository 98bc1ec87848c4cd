//! Opaque global IDs (Relay's `Node.id`): base64url of `Type:key`, the key being the record's
//! stable identity, never a row number (a reload renumbers rows): the curated `key` of events,
//! agencies, people, places, sources and statistics, a country's ISO code, and the `uid` of
//! everything else (`<event key>/participants[2]`, assigned once).

use crate::error::Error;
use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The global ID of the `type_name` record with stable key `key`.
pub fn encode(type_name: &str, key: &str) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{type_name}:{key}")))
}

/// At most the first 16 characters of what a client sent, quoted, for an error message: input
/// is never echoed whole.
pub fn shown(text: &str) -> String {
    match text.char_indices().nth(16) {
        Some((end, _)) => format!("\"{}…\"", &text[..end]),
        None => format!("\"{text}\""),
    }
}

/// The error for something that is not one of our global IDs.
pub fn not_an_id(id: &ID) -> Error {
    Error::BadUserInput(format!("{} is not a Scam Atlas ID", shown(id.as_str())))
}

/// The type name and key inside a global ID.
pub fn decode_any(id: &ID) -> Result<(String, String), Error> {
    let bytes = URL_SAFE_NO_PAD
        .decode(id.as_bytes())
        .map_err(|_| not_an_id(id))?;
    let text = String::from_utf8(bytes).map_err(|_| not_an_id(id))?;
    let (type_name, key) = text.split_once(':').ok_or_else(|| not_an_id(id))?;
    // Keys are printable: a control character (a NUL, which PostgreSQL's text cannot even
    // hold) is no key of ours.
    if key.chars().any(char::is_control) {
        return Err(not_an_id(id));
    }
    Ok((type_name.to_string(), key.to_string()))
}

/// The key inside a global ID that must be of type `type_name`.
pub fn decode(type_name: &str, id: &ID) -> Result<String, Error> {
    match decode_any(id)? {
        (t, key) if t == type_name && !key.is_empty() => Ok(key),
        (t, _) if t == type_name => Err(not_an_id(id)),
        (t, _) => Err(Error::BadUserInput(format!(
            "ID {} is a {}, not a {type_name}",
            shown(id.as_str()),
            shown(&t)
        ))),
    }
}

/// The keys inside global IDs that must all be of type `type_name`; an empty list for none.
pub fn decode_all(type_name: &str, ids: Option<Vec<ID>>) -> Result<Vec<String>, Error> {
    ids.unwrap_or_default()
        .iter()
        .map(|id| decode(type_name, id))
        .collect()
}

/// The key a look-up names by exactly one of its `id` and `key` arguments.
pub fn id_or_key(type_name: &str, id: Option<ID>, key: Option<String>) -> Result<String, Error> {
    match (id, key) {
        (Some(id), None) => decode(type_name, &id),
        (None, Some(key)) => Ok(key),
        _ => Err(Error::BadUserInput(format!(
            "give a {type_name}'s `id` or its `key`, not both and not neither"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_holds_its_type_and_key() {
        let id = encode("Agency", "cambodian-national-police");
        assert_eq!(
            decode("Agency", &id).ok().as_deref(),
            Some("cambodian-national-police")
        );
        assert!(
            decode("Person", &id).is_err(),
            "an agency's ID is not a person's"
        );
        assert_eq!(
            decode_any(&encode("Country", "KH")).ok(),
            Some(("Country".to_string(), "KH".to_string()))
        );
    }

    #[test]
    fn a_look_up_names_its_record_once() {
        let id = encode("Event", "a");
        assert_eq!(
            id_or_key("Event", Some(id.clone()), None).ok().as_deref(),
            Some("a")
        );
        assert_eq!(
            id_or_key("Event", None, Some("b".into())).ok().as_deref(),
            Some("b")
        );
        assert!(id_or_key("Event", Some(id), Some("a".into())).is_err());
        assert!(id_or_key("Event", None, None).is_err());
        assert!(decode("Event", &encode("Event", "")).is_err());
        assert!(
            decode("Event", &encode("Event", "a\0")).is_err(),
            "a NUL in a key"
        );
    }

    #[test]
    fn what_is_not_an_id_is_shown_only_in_part() {
        let long = ID("x".repeat(10_000));
        let Err(Error::BadUserInput(message)) = decode("Agency", &long) else {
            panic!("expected BAD_USER_INPUT");
        };
        assert!(message.len() < 100, "{message}");
        assert_eq!(shown("Poipet"), "\"Poipet\"");
        assert_eq!(shown("ÀÀÀÀÀÀÀÀÀÀÀÀÀÀÀÀÀÀÀ"), "\"ÀÀÀÀÀÀÀÀÀÀÀÀÀÀÀÀ…\"");
    }
}

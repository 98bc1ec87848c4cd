//! Opaque global IDs (Relay's `Node.id`): base64url of `Type:key`, the key being the database
//! id (a country's code for countries).

use crate::error::Error;
use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The global ID of the `type_name` row with database id (or code) `id`.
pub fn encode(type_name: &str, id: impl std::fmt::Display) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{type_name}:{id}")))
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
    Ok((type_name.to_string(), key.to_string()))
}

/// The database id inside a global ID that must be of type `type_name`.
pub fn decode(type_name: &str, id: &ID) -> Result<i32, Error> {
    match decode_any(id)? {
        (t, key) if t == type_name => key.parse().map_err(|_| not_an_id(id)),
        (t, _) => Err(Error::BadUserInput(format!(
            "ID {} is a {}, not a {type_name}",
            shown(id.as_str()),
            shown(&t)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_holds_its_type_and_key() {
        let id = encode("Agency", 12);
        assert_eq!(decode("Agency", &id).ok(), Some(12));
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

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

fn not_an_id(id: &ID) -> Error {
    Error::BadUserInput(format!("\"{}\" is not a Scam Atlas ID", id.as_str()))
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
            "ID \"{}\" is a {t}, not a {type_name}",
            id.as_str()
        ))),
    }
}

//! Opaque global IDs (Relay's `Node.id`): base64url of `Type:databaseId`.

use crate::error::Error;
use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The global ID of the `type_name` row with database id `id`.
pub fn encode(type_name: &str, id: i32) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{type_name}:{id}")))
}

/// The type name and database id inside a global ID.
pub fn decode_any(id: &ID) -> Result<(String, i32), Error> {
    let bad = || Error::BadUserInput(format!("\"{}\" is not a Scam Atlas ID", id.as_str()));
    let bytes = URL_SAFE_NO_PAD.decode(id.as_bytes()).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (type_name, number) = text.split_once(':').ok_or_else(bad)?;
    Ok((type_name.to_string(), number.parse().map_err(|_| bad())?))
}

/// The database id inside a global ID that must be of type `type_name`.
pub fn decode(type_name: &str, id: &ID) -> Result<i32, Error> {
    match decode_any(id)? {
        (t, n) if t == type_name => Ok(n),
        (t, _) => Err(Error::BadUserInput(format!(
            "ID \"{}\" is a {t}, not a {type_name}",
            id.as_str()
        ))),
    }
}

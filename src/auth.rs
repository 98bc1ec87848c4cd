//! API keys and who holds them: creating a key (shown once, stored as its SHA-256), listing
//! and revoking keys, and telling a request's bearer key's holder and role.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use entity::api_key;
use entity::enums::Role;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use sha2::{Digest, Sha256};

/// What every key starts with, so a leaked one is recognisable (secret scanners match it).
pub const PREFIX: &str = "sa_live_";

/// Characters of a key kept in the clear (`sa_live_` and four more), to tell keys apart.
const SHOWN: usize = PREFIX.len() + 4;

/// The holder of the key a request was made with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub key_id: i32,
    /// The key's name (`Org X`), which the audit trail records.
    pub name: String,
    pub role: Role,
}

impl Actor {
    /// Whether the holder may do what `needed` may: an editor may what a contributor may,
    /// an admin what an editor may.
    pub fn may(&self, needed: Role) -> bool {
        rank(self.role) >= rank(needed)
    }
}

fn rank(role: Role) -> u8 {
    match role {
        Role::Contributor => 1,
        Role::Editor => 2,
        Role::Admin => 3,
    }
}

/// Why a request's key does not get it in.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("{0}")]
    Unauthenticated(String),
    #[error("database error while checking a key: {0}")]
    Database(#[from] DbErr),
}

/// Hex SHA-256 of a key: all the database keeps of it.
pub fn hash(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new key: `sa_live_` and 32 random bytes from the operating system, base64url.
fn generate() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// Creates a key for `name` with `role`; returns its record and the key itself, which is
/// shown this once and never stored.
pub async fn create(
    db: &impl ConnectionTrait,
    name: &str,
    role: Role,
) -> Result<(api_key::Model, String), DbErr> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DbErr::Custom("a key needs a name".into()));
    }
    let key = generate().map_err(|e| DbErr::Custom(format!("no randomness for a key: {e}")))?;
    let record = api_key::ActiveModel {
        id: sea_orm::NotSet,
        name: Set(name.to_string()),
        role: Set(role),
        prefix: Set(key[..SHOWN].to_string()),
        hash: Set(hash(&key)),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok((record, key))
}

/// The name the command line acts under (`scam-atlas import` into a database with data).
pub const COMMAND_LINE: &str = "cli";

/// The command line as an editor: a key record of its own named [`COMMAND_LINE`], created
/// the first time, revoked at birth and with a secret never shown, so that no request can
/// present it; the audit trail names it as it names any key.
pub async fn command_line(db: &impl ConnectionTrait) -> Result<Actor, DbErr> {
    let found = api_key::Entity::find()
        .filter(api_key::Column::Prefix.eq(COMMAND_LINE))
        .order_by_asc(api_key::Column::Id)
        .one(db)
        .await?;
    let record = match found {
        Some(record) => record,
        None => {
            let secret =
                generate().map_err(|e| DbErr::Custom(format!("no randomness for a key: {e}")))?;
            let now = Utc::now();
            api_key::ActiveModel {
                id: sea_orm::NotSet,
                name: Set(COMMAND_LINE.to_string()),
                role: Set(Role::Editor),
                prefix: Set(COMMAND_LINE.to_string()),
                hash: Set(hash(&secret)),
                created_at: Set(now),
                last_used_at: Set(None),
                revoked_at: Set(Some(now)),
            }
            .insert(db)
            .await?
        }
    };
    Ok(Actor {
        key_id: record.id,
        name: record.name,
        role: Role::Editor,
    })
}

/// Every key, oldest first.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<api_key::Model>, DbErr> {
    api_key::Entity::find()
        .order_by_asc(api_key::Column::Id)
        .all(db)
        .await
}

/// Revokes the key with this id, or whose clear prefix this is; returns it, or None when no
/// key (or more than one) matches.
pub async fn revoke(
    db: &impl ConnectionTrait,
    which: &str,
) -> Result<Option<api_key::Model>, DbErr> {
    let matches: Vec<api_key::Model> = match which.parse::<i32>() {
        Ok(id) => api_key::Entity::find_by_id(id).all(db).await?,
        Err(_) => {
            api_key::Entity::find()
                .filter(api_key::Column::Prefix.eq(which))
                .all(db)
                .await?
        }
    };
    let [key] = matches.as_slice() else {
        return Ok(None);
    };
    let mut active: api_key::ActiveModel = key.clone().into();
    if key.revoked_at.is_none() {
        active.revoked_at = Set(Some(Utc::now()));
    }
    Ok(Some(active.update(db).await?))
}

/// The holder of `key`, refused when no such key exists or it is revoked. Its last use is
/// recorded at most once a minute (a read-heavy client does not write on every request).
pub async fn authenticate(db: &impl ConnectionTrait, key: &str) -> Result<Actor, AuthError> {
    let unknown = || AuthError::Unauthenticated("the API key is not valid".into());
    if !key.starts_with(PREFIX) || key.len() > 200 {
        return Err(unknown());
    }
    let record = api_key::Entity::find()
        .filter(api_key::Column::Hash.eq(hash(key)))
        .one(db)
        .await?
        .ok_or_else(unknown)?;
    if record.revoked_at.is_some() {
        return Err(AuthError::Unauthenticated(
            "the API key has been revoked".into(),
        ));
    }
    let now = Utc::now();
    if record
        .last_used_at
        .is_none_or(|t| now - t > chrono::Duration::minutes(1))
    {
        api_key::Entity::update_many()
            .col_expr(
                api_key::Column::LastUsedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(api_key::Column::Id.eq(record.id))
            .exec(db)
            .await?;
    }
    Ok(Actor {
        key_id: record.id,
        name: record.name,
        role: record.role,
    })
}

/// The bearer key in an `Authorization` header value, if it is one.
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, key) = header.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| key.trim())
}

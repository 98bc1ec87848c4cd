//! The write path's one error type: why a change was not made (nothing is written when one
//! is returned), and how the loader's errors become it.

use crate::ingest::IngestError;
use sea_orm::DbErr;

/// Why a change was not made. Nothing is written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The input breaks a rule; `field` is the path of the offending input field.
    #[error("{message}")]
    Invalid {
        message: String,
        field: Option<String>,
    },
    /// The record changed since the version the change was made against.
    #[error("{0}")]
    Conflict(String),
    /// An idempotency key already used with another payload.
    #[error("{0}")]
    IdempotencyKeyReused(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("database error while writing: {0}")]
    Database(#[from] DbErr),
}

impl WriteError {
    /// A rule broken by the input field at `field`.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        WriteError::Invalid {
            message: message.into(),
            field: Some(field.to_string()),
        }
    }
}

impl From<IngestError> for WriteError {
    /// The loader's message, its record named; `field` is the part before the message's
    /// first `: ` when it is a field path (`participants[0].count[1]`).
    fn from(e: IngestError) -> Self {
        match e {
            IngestError::Invalid {
                record, message, ..
            } => {
                let field = message
                    .split_once(": ")
                    .map(|(head, _)| head)
                    .filter(|head| {
                        !head.is_empty()
                            && head
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || "_[].".contains(c))
                    })
                    .map(str::to_string);
                WriteError::Invalid {
                    message: format!("{record}: {message}"),
                    field,
                }
            }
            IngestError::Database(e) => WriteError::Database(e),
            IngestError::Unreadable(m) | IngestError::Conflict(m) => WriteError::Invalid {
                message: m,
                field: None,
            },
        }
    }
}

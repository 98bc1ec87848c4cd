//! What an operator sees of a running server: metrics (`metrics`, served at `/metrics`), the
//! SQL each request runs (`sql`), logs and trace spans (`logs`, `document`), and whether the
//! server can serve (`ready`, at `/ready`).

pub mod document;
pub mod logs;
pub mod metrics;
pub mod ready;
pub mod sql;

//! What every response is held to: no 5xx, no hang past the deadline, JSON under `/graphql`
//! with a JSON content type, every error with a string `extensions.code` and none INTERNAL,
//! no error message long enough to echo input, no response past its size bound; and what the
//! request itself expects (an error, data, a status).

use super::client::{Failure, Reply};
use super::record::{Recorder, short};
use serde_json::Value;

/// What a response must be, beyond the checks every response gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// No fault: any status below 500, any errors as long as they are coded.
    NoFault,
    /// At least one GraphQL error: the request is wrong and the client must be told.
    Error,
    /// Data without errors.
    Data,
    /// This HTTP status, with a JSON body of coded errors.
    Status(u16),
}

/// A request as the checks need to know it.
pub struct Sent<'a> {
    /// `random/…`, `case/…`, `transport/…`: the figures are kept per category.
    pub category: &'a str,
    /// The regression case's name, or the random document's kind.
    pub name: &'a str,
    /// The request (method, path, body) for the reproduction.
    pub repro: &'a str,
    pub expect: Expect,
    /// Whether the body must be JSON (everything under `/graphql`).
    pub json: bool,
    /// A 503 is the allowed refusal of an over-limit connection (that case only).
    pub allow_503: bool,
    /// Longest acceptable body, in bytes.
    pub max_body: usize,
}

impl Recorder {
    /// Holds one response (or its absence) to every check and to what `sent` expects.
    pub fn check(&self, sent: &Sent, outcome: Result<Reply, Failure>) {
        let label = format!("{} {}", sent.category, sent.name);
        self.count_sent(sent.category);
        let reply = match outcome {
            Ok(reply) => reply,
            Err(Failure::Crashed) => return self.count_status("lost to a crash"),
            Err(Failure::Timeout) => {
                self.count_status("no answer (deadline)");
                self.abandon(sent.repro);
                return self.finding(
                    &format!(
                        "{label}: no response within {} ms",
                        self.deadline.as_millis()
                    ),
                    sent.repro,
                );
            }
            Err(Failure::Transport(e)) => {
                self.count_status("transport error");
                return self.finding(
                    &format!("{label}: transport error: {}", short(&e, 80)),
                    sent.repro,
                );
            }
        };
        self.count_answer(sent.category, &reply);
        self.count_status(&reply.status.to_string());
        let status = reply.status;
        if status >= 500 && !(status == 503 && sent.allow_503) {
            self.finding(&format!("{label}: HTTP {status}"), sent.repro);
        }
        if reply.len > sent.max_body {
            self.finding(
                &format!(
                    "{label}: a response of {} bytes (limit {})",
                    reply.len, sent.max_body
                ),
                sent.repro,
            );
        }
        if let Expect::Status(want) = sent.expect
            && status != want
        {
            self.finding(
                &format!("{label}: HTTP {status}, expected {want}"),
                sent.repro,
            );
        }
        if !sent.json {
            return;
        }
        let body: Option<Value> = serde_json::from_slice(&reply.body).ok();
        let Some(body) = body.filter(|_| reply.len == reply.body.len()) else {
            if reply.len <= reply.body.len() && !(status == 503 && sent.allow_503) {
                let text = String::from_utf8_lossy(&reply.body);
                self.finding(
                    &format!(
                        "{label}: HTTP {status} with a body that is not JSON: {:?}",
                        short(&text, 60)
                    ),
                    sent.repro,
                );
            }
            return;
        };
        if !reply.content_type.contains("json") {
            self.finding(
                &format!(
                    "{label}: a JSON body served as {:?}",
                    short(&reply.content_type, 40)
                ),
                sent.repro,
            );
        }
        let errors = body
            .get("errors")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for error in &errors {
            let message = error
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or_default();
            match error.pointer("/extensions/code").and_then(Value::as_str) {
                Some(code) => {
                    self.count_code(code);
                    if code == "INTERNAL" {
                        let path = error
                            .get("path")
                            .map_or("none".into(), |p| short(&p.to_string(), 40));
                        // A case by its name and path; random documents by category (their
                        // paths are random aliases).
                        let what = if sent.name.is_empty() {
                            format!("{}: INTERNAL for client input", sent.category)
                        } else {
                            format!("{label}: INTERNAL for client input (path {path})")
                        };
                        self.finding(&what, sent.repro);
                    }
                }
                None => {
                    self.count_code("(no code)");
                    self.finding(
                        &format!(
                            "{}: an error without extensions.code: {}",
                            sent.category,
                            short(message, 80)
                        ),
                        sent.repro,
                    );
                }
            }
            if message.len() > 1000 {
                // One finding per category, not per length: the reproduction says how long.
                self.finding(
                    &format!(
                        "{}: error messages over 1,000 bytes (input echoed?)",
                        sent.category
                    ),
                    &format!("a message of {} bytes: {}", message.len(), sent.repro),
                );
            }
        }
        // Only where one request error is expected: random documents may break a rule twice.
        if errors.len() > 1 && sent.expect == Expect::Error {
            let mut messages: Vec<&str> = errors
                .iter()
                .filter(|e| e.get("path").is_none())
                .filter_map(|e| e.get("message").and_then(Value::as_str))
                .collect();
            let n = messages.len();
            messages.sort_unstable();
            messages.dedup();
            if messages.len() < n {
                self.finding(
                    &format!("{label}: the same request error listed twice"),
                    sent.repro,
                );
            }
        }
        if status < 300 && body.get("data").is_none() && errors.is_empty() {
            self.finding(&format!("{label}: neither data nor errors"), sent.repro);
        }
        match sent.expect {
            Expect::Error if errors.is_empty() => self.finding(
                &format!("{label}: accepted, but it should be an error"),
                sent.repro,
            ),
            Expect::Data if !errors.is_empty() => self.finding(
                &format!(
                    "{label}: errors where data was expected: {}",
                    short(&errors[0].to_string(), 100)
                ),
                sent.repro,
            ),
            Expect::Status(_) if errors.is_empty() => self.finding(
                &format!("{label}: HTTP {status} without a coded JSON error"),
                sent.repro,
            ),
            _ => {}
        }
    }
}

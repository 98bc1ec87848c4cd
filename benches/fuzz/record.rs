//! The tally of a run: requests per category, responses by status and code, latencies,
//! `/health` while the rest runs, and the findings, each kept once with a short reproduction
//! (the full request is written beside the report).

use super::client::{Failure, Reply};
use hdrhistogram::Histogram;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

struct Finding {
    count: usize,
    examples: Vec<String>,
    file: Option<PathBuf>,
}

#[derive(Default)]
struct Tally {
    sent: BTreeMap<String, usize>,
    latency: BTreeMap<String, Histogram<u64>>,
    statuses: BTreeMap<String, usize>,
    codes: BTreeMap<String, usize>,
    health: BTreeMap<String, Histogram<u64>>,
    max_body: usize,
    findings: BTreeMap<String, Finding>,
}

/// The shared record of a run.
pub struct Recorder {
    tally: Mutex<Tally>,
    pub deadline: Duration,
    dir: PathBuf,
    files: AtomicU64,
    phase: Mutex<String>,
    in_flight: Mutex<BTreeMap<u64, String>>,
    next: AtomicU64,
    /// The last requests given up on (deadline passed, or the client hung up on purpose):
    /// the server may still be working on them when it crashes.
    abandoned: Mutex<Vec<String>>,
}

/// At most `n` characters of `text`, on one line.
pub fn short(text: &str, n: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(n + 1)
        .collect();
    if flat.chars().count() > n {
        format!("{}…", flat.chars().take(n - 1).collect::<String>())
    } else {
        flat
    }
}

/// `text` without parenthesised numbers (thread ids), so one crash is one finding.
pub fn without_thread_ids(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        out.push_str(&rest[..open]);
        if digits > 0 && after[digits..].starts_with(')') {
            rest = &after[digits + 1..];
        } else {
            out.push('(');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn histogram() -> Histogram<u64> {
    Histogram::new(3).expect("a histogram with 3 significant figures")
}

impl Recorder {
    pub fn new(deadline: Duration, dir: PathBuf) -> Self {
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::create_dir_all(&dir);
        Recorder {
            tally: Mutex::new(Tally::default()),
            deadline,
            dir,
            files: AtomicU64::new(0),
            phase: Mutex::new("start".into()),
            in_flight: Mutex::new(BTreeMap::new()),
            next: AtomicU64::new(0),
            abandoned: Mutex::new(Vec::new()),
        }
    }

    fn tally(&self) -> std::sync::MutexGuard<'_, Tally> {
        self.tally.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set_phase(&self, phase: &str) {
        *self.phase.lock().unwrap_or_else(|e| e.into_inner()) = phase.to_string();
    }

    pub fn phase(&self) -> String {
        self.phase.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Marks a request as in flight until the returned guard drops: a crash names them.
    pub fn start(&self, repro: &str) -> InFlight<'_> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, repro.chars().take(1 << 16).collect());
        InFlight { recorder: self, id }
    }

    /// Up to three requests in flight now (each up to 64 KB), for a crash report.
    pub fn in_flight(&self) -> Vec<String> {
        let map = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        map.values().take(3).cloned().collect()
    }

    /// Notes a request given up on, for a crash report.
    pub fn abandon(&self, repro: &str) {
        let mut abandoned = self.abandoned.lock().unwrap_or_else(|e| e.into_inner());
        abandoned.push(short(repro, 200));
        let n = abandoned.len();
        if n > 3 {
            abandoned.drain(..n - 3);
        }
    }

    /// The last three requests given up on.
    pub fn abandoned(&self) -> Vec<String> {
        self.abandoned
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Records a finding, once per `what`, with its reproduction (and the full request in a
    /// file the first time).
    pub fn finding(&self, what: &str, repro: &str) {
        let what = short(what, 240);
        let mut tally = self.tally();
        let finding = tally.findings.entry(what).or_insert_with(|| {
            let n = self.files.fetch_add(1, Ordering::Relaxed);
            let file = self.dir.join(format!("finding-{n:03}.txt"));
            let full: String = repro.chars().take(1 << 20).collect();
            let file = std::fs::write(&file, full).ok().map(|_| file);
            Finding {
                count: 0,
                examples: Vec::new(),
                file,
            }
        });
        finding.count += 1;
        if finding.examples.len() < 2 {
            finding.examples.push(short(repro, 200));
        }
    }

    pub fn has_findings(&self) -> bool {
        !self.tally().findings.is_empty()
    }

    /// Records `/health`'s latency in the current phase; a slow or failed answer is a finding.
    pub fn health(&self, outcome: Result<Reply, Failure>) {
        let phase = self.phase();
        match outcome {
            Ok(reply) if reply.status == 200 => {
                let mut tally = self.tally();
                let h = tally.health.entry(phase).or_insert_with(histogram);
                let _ = h.record(reply.elapsed.as_micros() as u64);
            }
            Ok(reply) => self.finding(
                &format!("/health answered {} during {phase}", reply.status),
                "GET /health",
            ),
            Err(Failure::Timeout) => self.finding(
                &format!("/health gave no answer within the deadline during {phase}"),
                &format!("GET /health; in flight: {:?}", self.in_flight()),
            ),
            Err(_) => {} // a crash, reported by the supervisor
        }
    }

    /// Counts a request sent in `category`.
    pub fn count_sent(&self, category: &str) {
        *self.tally().sent.entry(category.to_string()).or_default() += 1;
    }

    /// Counts a response's latency and size.
    pub fn count_answer(&self, category: &str, reply: &Reply) {
        let mut tally = self.tally();
        let h = tally
            .latency
            .entry(category.to_string())
            .or_insert_with(histogram);
        let _ = h.record(reply.elapsed.as_micros() as u64);
        tally.max_body = tally.max_body.max(reply.len);
    }

    /// Counts an error's `extensions.code`.
    pub fn count_code(&self, code: &str) {
        *self.tally().codes.entry(code.to_string()).or_default() += 1;
    }

    /// Counts a connection test whose outcome is the connection itself (held or closed by
    /// the server) rather than a response.
    pub fn closed(&self, category: &str) {
        self.count_sent(category);
        self.count_status("connection test (no response expected)");
    }

    pub fn count_status(&self, status: &str) {
        *self.tally().statuses.entry(status.to_string()).or_default() += 1;
    }

    /// Prints the figures and the findings.
    pub fn print(&self) {
        let tally = self.tally();
        let ms = |h: &Histogram<u64>, q: f64| h.value_at_quantile(q) as f64 / 1000.0;
        println!("\n| category | requests | answered | p50 ms | p99 ms | max ms |");
        println!("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (category, sent) in &tally.sent {
            let (answered, p50, p99, max) =
                tally.latency.get(category).map_or((0, 0.0, 0.0, 0.0), |h| {
                    (h.len(), ms(h, 0.5), ms(h, 0.99), h.max() as f64 / 1000.0)
                });
            println!("| {category} | {sent} | {answered} | {p50:.1} | {p99:.1} | {max:.1} |");
        }
        let total: usize = tally.sent.values().sum();
        println!(
            "\nrequests: {total}; largest response: {} bytes",
            tally.max_body
        );
        let list = |m: &BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        println!("responses by status: {}", list(&tally.statuses));
        println!("errors by code: {}", list(&tally.codes));
        println!("\n/health while the rest ran:");
        for (phase, h) in &tally.health {
            println!(
                "  {phase}: {} probes, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
                h.len(),
                ms(h, 0.5),
                ms(h, 0.99),
                h.max() as f64 / 1000.0
            );
        }
        if tally.findings.is_empty() {
            println!("\nfindings: none");
            return;
        }
        println!("\nfindings: {}", tally.findings.len());
        for (what, f) in &tally.findings {
            println!("- {what} (×{})", f.count);
            for example in &f.examples {
                println!("    {example}");
            }
            if let Some(file) = &f.file {
                println!("    full request: {}", file.display());
            }
        }
    }

    /// The worst `/health` p99 over the phases, in ms.
    pub fn health_p99(&self) -> f64 {
        let tally = self.tally();
        tally
            .health
            .values()
            .map(|h| h.value_at_quantile(0.99) as f64 / 1000.0)
            .fold(0.0, f64::max)
    }
}

/// A request in flight; it leaves the list when dropped.
pub struct InFlight<'a> {
    recorder: &'a Recorder,
    id: u64,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.recorder
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.id);
    }
}

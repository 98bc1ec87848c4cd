//! The export benchmark: runs `scam-atlas export` (the release binary) over a generated
//! database and prints its throughput (MB/s, events/s) and its memory over time (resident
//! memory sampled every 50 ms, and the peak), which must stay flat however many events.
//!
//! ```text
//! cargo bench --bench export -- --database sqlite --events 100000 --format ndjson
//! cargo bench --bench export -- --database postgres --events 1000000 --format tar
//! ```
//!
//! Options: `--database sqlite|postgres`, `--events N` (generated once and reused, as the
//! HTTP benchmark does), `--format ndjson|csv|toml|tar` (ndjson),
//! `--postgres-url URL` (postgres://postgres@127.0.0.1:5432).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let (mut database, mut events, mut format) =
        ("sqlite".to_string(), 100_000, "ndjson".to_string());
    let mut postgres_url = "postgres://postgres@127.0.0.1:5432".to_string();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_default();
        match arg.as_str() {
            "--database" => database = value(),
            "--events" => events = value().parse().unwrap_or(events),
            "--format" => format = value(),
            "--postgres-url" => postgres_url = value(),
            _ => {} // cargo bench passes `--bench`
        }
    }
    let url = common::prepare(&database, events, &postgres_url);
    let out = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("target/bench/export-{database}-{events}-{format}"));
    let _ = std::fs::remove_dir_all(&out);

    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_scam-atlas"))
        .args([
            "--database-url",
            &url,
            "export",
            "--format",
            &format,
            "--out",
        ])
        .arg(&out)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let mut samples: Vec<(f64, f64)> = Vec::new();
    let mut peak: f64 = 0.0;
    while child.try_wait().expect("polls").is_none() {
        let (rss, hwm) = common::memory(child.id());
        if rss > 0.0 {
            samples.push((started.elapsed().as_secs_f64(), rss));
            peak = peak.max(hwm);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let seconds = started.elapsed().as_secs_f64();
    assert!(child.wait().expect("reaped").success(), "the export failed");
    let bytes: u64 = std::fs::read_dir(&out)
        .expect("the export's folder")
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    let mb = bytes as f64 / 1e6;
    println!("export of {events} events from {database} as {format}");
    println!(
        "  {mb:.1} MB in {seconds:.2} s: {:.1} MB/s, {:.0} events/s",
        mb / seconds,
        events as f64 / seconds
    );
    println!("  peak RSS {peak:.1} MB (VmHWM, sampled every 50 ms)");
    // Resident memory at each tenth of the run: flat memory shows as a flat row.
    let tenths: Vec<String> = (1..=10)
        .filter_map(|t| {
            let at = seconds * f64::from(t) / 10.0;
            samples
                .iter()
                .rev()
                .find(|(s, _)| *s <= at)
                .map(|(_, rss)| format!("{rss:.0}"))
        })
        .collect();
    println!("  RSS (MB) at each tenth of the run: {}", tenths.join(" "));
}

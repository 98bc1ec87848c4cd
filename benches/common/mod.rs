//! What the benchmarks share: a generated database to run on, and a process's memory.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The database URL for the dataset, generating it first when it does not exist yet.
pub fn prepare(database: &str, events: usize, postgres_url: &str) -> String {
    let url = if database == "postgres" {
        let name = format!("scam_atlas_bench_{}", events);
        let exists = Command::new("psql")
            .args([
                &format!("{}/postgres", postgres_url),
                "-tAc",
                &format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
            ])
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "1")
            .unwrap_or(false);
        let url = format!("{}/{name}", postgres_url);
        if exists {
            return url;
        }
        let created = Command::new("psql")
            .args([
                &format!("{}/postgres", postgres_url),
                "-c",
                &format!("CREATE DATABASE {name}"),
            ])
            .status();
        assert!(
            created.is_ok_and(|s| s.success()),
            "could not create database {name}"
        );
        url
    } else {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
        std::fs::create_dir_all(&dir).expect("target/bench");
        let file = dir.join(format!("sqlite-{}.db", events));
        let url = format!("sqlite://{}?mode=rwc", file.display());
        if file.exists() {
            return url;
        }
        url
    };
    let started = Instant::now();
    let status = Command::new(PathBuf::from(env!("CARGO_BIN_EXE_scam-atlas")))
        .args([
            "--database-url",
            &url,
            "generate",
            "--events",
            &events.to_string(),
            "--seed",
            "1",
        ])
        .status()
        .expect("the server binary runs");
    assert!(status.success(), "generating the dataset failed");
    println!(
        "generated {} events into {} in {:.1} s",
        events,
        database,
        started.elapsed().as_secs_f64()
    );
    url
}

/// Resident and peak memory of a process, in MB (VmRSS, VmHWM).
pub fn memory(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

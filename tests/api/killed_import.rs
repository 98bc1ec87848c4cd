//! An import killed (SIGKILL, the real binary) in the middle of writing leaves the database as
//! it was: the import is one transaction. The next import goes through whole.

use crate::helpers::{Backend, count, counts, fresh_db};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

both!(an_import_killed_midway_leaves_the_database_as_it_was);

/// Events in the synthetic dataset: enough that writing takes a while after it has begun.
const EVENTS: usize = 10_000;

/// Writes a valid dataset of `events` small events into `dir`, in the `data/` layout.
fn synthetic(dir: &Path, events: usize) {
    let write = |name: &str, text: String| std::fs::write(dir.join(name), text).expect("writes");
    std::fs::create_dir_all(dir.join("articles")).expect("articles/");
    std::fs::write(
        dir.join("articles/wire.txt"),
        "Police raided a compound and arrested 42 people on Monday.",
    )
    .expect("writes the article");
    write(
        "countries.toml",
        "[[country]]\ncode = \"KH\"\nname = \"Cambodia\"\ncentroid = { latitude = 12.5, longitude = 105.0 }\n\n\
         [[country]]\ncode = \"CN\"\nname = \"China\"\ncentroid = { latitude = 35.0, longitude = 103.0 }\n"
            .into(),
    );
    write(
        "sources.toml",
        "[[source]]\nkey = \"wire\"\narticle = \"wire.txt\"\nheadline = \"Raid\"\noutlet = \"Wire\"\n\
         published = { start = 2024-07-01, precision = \"DAY\" }\nreporting = \"ORIGINAL\"\n"
            .into(),
    );
    write("places.toml", "place = []\n".into());
    write("agencies.toml", "agency = []\n".into());
    write("people.toml", "person = []\n".into());
    write("statistics.toml", "statistic = []\n".into());
    let mut text = String::with_capacity(events * 600);
    for i in 0..events {
        text.push_str(&format!(
            "[[event]]\nkey = \"synthetic-{i:06}\"\nkinds = [\"RAID\"]\ntitle = \"Raid {i}\"\n\
             summary = \"A synthetic raid.\"\ndate = {{ start = 2024-07-01, precision = \"DAY\" }}\n\
             places = [\"KH\"]\n\n[[event.citations]]\nsource = \"wire\"\n\
             quote = \"Police raided a compound\"\nsupports = [\"kind:RAID\", \"date\", \"place:KH\"]\n\n\
             [[event.participants]]\nnationality = \"CN\"\nrole = \"SUSPECT\"\nstatus = \"ARRESTED\"\n\
             count = [{{ value = {}, source = \"wire\", quote = \"arrested 42 people\" }}]\n\n",
            i % 90 + 1
        ));
    }
    write("events.toml", text);
}

async fn an_import_killed_midway_leaves_the_database_as_it_was(backend: Backend) {
    let data = tempfile::tempdir().expect("a temporary folder");
    synthetic(data.path(), EVENTS);
    let store = fresh_db(backend).await;
    scam_atlas::db::migrate(&store.db)
        .await
        .expect("migrations");
    let before = counts(&store.db).await;
    let path = data.path().to_str().expect("a UTF-8 path");

    // Killed once writing has begun, and again further in: each time, nothing was written.
    for lines_before_kill in [1, 4] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_scam-atlas"))
            .args(["import", path])
            .env("DATABASE_URL", &store.url)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let mut seen = 0;
        while seen < lines_before_kill {
            let line = lines
                .next()
                .expect("the import reports progress before it ends")
                .expect("a line");
            assert!(
                !line.starts_with("imported"),
                "finished before the kill: {line}"
            );
            seen += usize::from(line.starts_with("written"));
        }
        assert!(
            child.try_wait().expect("polls").is_none(),
            "exited before the kill"
        );
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        // PostgreSQL rolls the transaction back once it sees the connection gone; what was
        // written in it was never visible, and stays so.
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(
            counts(&store.db).await,
            before,
            "killed after {lines_before_kill} progress lines"
        );
    }

    let output = Command::new(env!("CARGO_BIN_EXE_scam-atlas"))
        .args(["import", path])
        .env("DATABASE_URL", &store.url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains(&format!("imported {EVENTS} events")));
    assert_eq!(count(&store.db, "event").await, EVENTS as i64);
    assert_eq!(count(&store.db, "dataset_load").await, 1);
}

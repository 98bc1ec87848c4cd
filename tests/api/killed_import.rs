//! An import killed (SIGKILL, the real binary) in the middle of writing leaves the database as
//! it was: the import is one transaction, whether into an empty database (the fast path) or
//! into one holding data (the write path). The next import goes through whole.

use crate::helpers::{Backend, count, counts, fresh_db};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

both!(
    an_import_killed_midway_leaves_the_database_as_it_was,
    a_write_path_import_killed_midway_leaves_the_database_as_it_was
);

/// Events in the synthetic dataset: enough that writing takes a while after it has begun.
const EVENTS: usize = 10_000;

/// Writes a valid dataset of `events` small events into `dir`, in the `data/` layout; its
/// source's and events' keys end in `tag`, so that datasets of different tags go together.
fn synthetic(dir: &Path, events: usize, tag: &str) {
    let write = |name: &str, text: String| std::fs::write(dir.join(name), text).expect("writes");
    std::fs::create_dir_all(dir.join("articles")).expect("articles/");
    std::fs::write(
        dir.join(format!("articles/wire{tag}.txt")),
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
        format!(
            "[[source]]\nkey = \"wire{tag}\"\narticle = \"wire{tag}.txt\"\nheadline = \"Raid\"\n\
             outlet = \"Wire\"\npublished = {{ start = 2024-07-01, precision = \"DAY\" }}\n\
             reporting = \"ORIGINAL\"\n"
        ),
    );
    write("places.toml", "place = []\n".into());
    write("agencies.toml", "agency = []\n".into());
    write("people.toml", "person = []\n".into());
    write("statistics.toml", "statistic = []\n".into());
    let mut text = String::with_capacity(events * 600);
    for i in 0..events {
        text.push_str(&format!(
            "[[event]]\nkey = \"synthetic{tag}-{i:06}\"\nkinds = [\"RAID\"]\ntitle = \"Raid {i}\"\n\
             summary = \"A synthetic raid.\"\ndate = {{ start = 2024-07-01, precision = \"DAY\" }}\n\
             places = [\"KH\"]\n\n[[event.citations]]\nsource = \"wire{tag}\"\n\
             quote = \"Police raided a compound\"\nsupports = [\"kind:RAID\", \"date\", \"place:KH\"]\n\n\
             [[event.participants]]\nnationality = \"CN\"\nrole = \"SUSPECT\"\nstatus = \"ARRESTED\"\n\
             count = [{{ value = {}, source = \"wire{tag}\", quote = \"arrested 42 people\" }}]\n\n",
            i % 90 + 1
        ));
    }
    write("events.toml", text);
}

/// Runs `scam-atlas import path` on the database at `url` and kills it (SIGKILL) once it has
/// printed `lines_before_kill` progress lines, before it has finished.
async fn kill_midway(path: &str, url: &str, lines_before_kill: usize) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scam-atlas"))
        .args(["import", path])
        .env("DATABASE_URL", url)
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
}

/// Runs `scam-atlas import path` on the database at `url` to its end; what it printed.
fn import_whole(path: &str, url: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_scam-atlas"))
        .args(["import", path])
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn an_import_killed_midway_leaves_the_database_as_it_was(backend: Backend) {
    let data = tempfile::tempdir().expect("a temporary folder");
    synthetic(data.path(), EVENTS, "");
    let store = fresh_db(backend).await;
    scam_atlas::db::migrate(&store.db)
        .await
        .expect("migrations");
    let before = counts(&store.db).await;
    let path = data.path().to_str().expect("a UTF-8 path");

    // Killed once writing has begun, and again further in: each time, nothing was written.
    for lines_before_kill in [1, 4] {
        kill_midway(path, &store.url, lines_before_kill).await;
        assert_eq!(
            counts(&store.db).await,
            before,
            "killed after {lines_before_kill} progress lines"
        );
    }

    let printed = import_whole(path, &store.url);
    assert!(printed.contains(&format!("imported {EVENTS} events")));
    assert_eq!(count(&store.db, "event").await, EVENTS as i64);
    assert_eq!(count(&store.db, "dataset_load").await, 1);
}

/// Events of the second dataset, imported beside the first through the write path (which
/// checks each key and re-tallies each event: slower than the fast path, row for row).
const WRITE_PATH_EVENTS: usize = 3_000;

async fn a_write_path_import_killed_midway_leaves_the_database_as_it_was(backend: Backend) {
    let first = tempfile::tempdir().expect("a temporary folder");
    synthetic(first.path(), 20, "");
    let store = fresh_db(backend).await;
    scam_atlas::db::migrate(&store.db)
        .await
        .expect("migrations");
    let dataset = scam_atlas::ingest::Dataset::from_dir(first.path()).expect("reads");
    scam_atlas::ingest::import(&store.db, &dataset, &scam_atlas::ingest::write::quietly)
        .await
        .expect("the first dataset imports");
    let second = tempfile::tempdir().expect("a temporary folder");
    synthetic(second.path(), WRITE_PATH_EVENTS, "-b");
    let path = second.path().to_str().expect("a UTF-8 path");
    // The command line's own key is made once, at its first write-path import, before it.
    scam_atlas::auth::command_line(&store.db)
        .await
        .expect("the command line's key");
    let before = counts(&store.db).await;

    for lines_before_kill in [1, 4] {
        kill_midway(path, &store.url, lines_before_kill).await;
        assert_eq!(
            counts(&store.db).await,
            before,
            "killed after {lines_before_kill} progress lines"
        );
    }

    let printed = import_whole(path, &store.url);
    assert!(
        printed.contains(&format!("imported {WRITE_PATH_EVENTS} events beside")),
        "{printed}"
    );
    assert_eq!(
        count(&store.db, "event").await,
        20 + WRITE_PATH_EVENTS as i64
    );
    assert_eq!(count(&store.db, "proposal").await, 1);
    // An audit row for the source and one for each event.
    assert_eq!(
        count(&store.db, "change").await,
        1 + WRITE_PATH_EVENTS as i64
    );
}

//! The server under test: a database of its own (a temporary SQLite file, or a PostgreSQL
//! database created for the run and dropped after), the release binary as a child process,
//! and a supervisor that notices a crash (and restarts it), samples its memory and kills it
//! past the RSS bound, so one runaway request cannot take the machine down with it.

use super::client::{Failure, HttpClient, Req, send};
use super::record::Recorder;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// A database for one run, removed when dropped.
pub struct Database {
    pub url: String,
    postgres: Option<(String, String)>,
    _dir: tempfile::TempDir,
    pub dir: PathBuf,
}

impl Database {
    pub fn create(kind: &str, postgres_url: &str, seed: u64) -> Database {
        let dir = tempfile::Builder::new()
            .prefix("scam-atlas-fuzz-")
            .tempdir()
            .expect("a temporary directory");
        let path = dir.path().to_path_buf();
        if kind == "postgres" {
            let name = format!("scam_atlas_fuzz_{}_{seed}", std::process::id());
            psql(postgres_url, &format!("DROP DATABASE IF EXISTS {name}"));
            assert!(
                psql(postgres_url, &format!("CREATE DATABASE {name}")),
                "could not create database {name} at {postgres_url}"
            );
            Database {
                url: format!("{postgres_url}/{name}"),
                postgres: Some((postgres_url.to_string(), name)),
                _dir: dir,
                dir: path,
            }
        } else {
            let file = path.join("fuzz.db");
            Database {
                url: format!("sqlite://{}?mode=rwc", file.display()),
                postgres: None,
                _dir: dir,
                dir: path,
            }
        }
    }
}

fn psql(server: &str, sql: &str) -> bool {
    Command::new("psql")
        .args([&format!("{server}/postgres"), "-qc", sql])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some((server, name)) = &self.postgres {
            psql(
                server,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Resident memory of a process, in MB.
pub fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

struct Process {
    child: Child,
    log: PathBuf,
}

/// The server process, restarted after a crash.
pub struct Supervisor {
    process: Mutex<Option<Process>>,
    base: RwLock<String>,
    database_url: String,
    dir: PathBuf,
    max_rss_mb: f64,
    peak_rss: Mutex<f64>,
    starts: Mutex<usize>,
    /// Bumped each time a (re)started server answers.
    generation: AtomicUsize,
    restarting: AtomicBool,
}

impl Supervisor {
    /// Starts the server and waits until it answers (the first start loads the dataset).
    pub async fn start(database: &Database, max_rss_mb: f64, client: &HttpClient) -> Arc<Self> {
        let supervisor = Arc::new(Supervisor {
            process: Mutex::new(None),
            base: RwLock::new(String::new()),
            database_url: database.url.clone(),
            dir: database.dir.clone(),
            max_rss_mb,
            peak_rss: Mutex::new(0.0),
            starts: Mutex::new(0),
            generation: AtomicUsize::new(0),
            restarting: AtomicBool::new(false),
        });
        supervisor.spawn(client).await;
        supervisor
    }

    async fn spawn(&self, client: &HttpClient) {
        let started = Instant::now();
        let n = {
            let mut starts = self.starts.lock().unwrap_or_else(|e| e.into_inner());
            *starts += 1;
            *starts
        };
        let port = free_port();
        let log = self.dir.join(format!("server-{n}.log"));
        let stderr = std::fs::File::create(&log).expect("a log file");
        let child = Command::new(env!("CARGO_BIN_EXE_scam-atlas"))
            .args(["--database-url", &self.database_url])
            .args([
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--open-browser",
                "false",
            ])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("the server binary starts");
        *self.process.lock().unwrap_or_else(|e| e.into_inner()) = Some(Process { child, log });
        let base = format!("http://127.0.0.1:{port}");
        loop {
            let probe = send(client, &base, &Req::get("/health"), Duration::from_secs(2)).await;
            if probe.is_ok_and(|r| r.status == 200) {
                break;
            }
            assert!(
                self.exited().is_none(),
                "the server exited while starting: {}",
                self.log_tail()
            );
            assert!(
                started.elapsed() < Duration::from_secs(180),
                "the server did not answer within 180 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        *self.base.write().unwrap_or_else(|e| e.into_inner()) = base;
        self.generation.fetch_add(1, Ordering::SeqCst);
        if n == 1 {
            println!("server ready in {:.1} s", started.elapsed().as_secs_f64());
        }
    }

    /// `http://127.0.0.1:port` of the running server.
    pub fn base(&self) -> String {
        self.base.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Which start of the server is answering now.
    pub fn generation(&self) -> usize {
        self.generation.load(Ordering::SeqCst)
    }

    /// Whether the server crashed since `generation` (waiting for the watcher to notice and
    /// restart it): a request cut off by a crash is the crash's finding, not its own.
    pub async fn crashed_since(&self, generation: usize) -> bool {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if self.generation() != generation {
                return true;
            }
            let down = self.restarting.load(Ordering::SeqCst) || self.exited().is_some();
            if !down && started.elapsed() > Duration::from_millis(300) {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    /// Sends `req` to the server; a failure caused by a crash is `Failure::Crashed`.
    pub async fn send(
        &self,
        client: &HttpClient,
        req: &Req,
        deadline: Duration,
    ) -> Result<super::client::Reply, Failure> {
        let generation = self.generation();
        match send(client, &self.base(), req, deadline).await {
            Err(Failure::Transport(_)) if self.crashed_since(generation).await => {
                Err(Failure::Crashed)
            }
            outcome => outcome,
        }
    }

    /// `127.0.0.1:port`, for raw connections.
    pub fn addr(&self) -> String {
        self.base().trim_start_matches("http://").to_string()
    }

    fn exited(&self) -> Option<std::process::ExitStatus> {
        let mut process = self.process.lock().unwrap_or_else(|e| e.into_inner());
        process
            .as_mut()
            .and_then(|p| p.child.try_wait().ok().flatten())
    }

    fn pid(&self) -> Option<u32> {
        let process = self.process.lock().unwrap_or_else(|e| e.into_inner());
        process.as_ref().map(|p| p.child.id())
    }

    /// The last lines the server wrote to stderr.
    pub fn log_tail(&self) -> String {
        let process = self.process.lock().unwrap_or_else(|e| e.into_inner());
        let text = process
            .as_ref()
            .and_then(|p| std::fs::read_to_string(&p.log).ok())
            .unwrap_or_default();
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .rev()
            .take(2)
            .collect();
        lines.into_iter().rev().collect::<Vec<_>>().join(" | ")
    }

    /// Every log line of every start that reports an error or a panic, with the start it came
    /// from.
    pub fn logged_errors(&self) -> Vec<String> {
        let starts = *self.starts.lock().unwrap_or_else(|e| e.into_inner());
        (1..=starts)
            .flat_map(|n| {
                let text = std::fs::read_to_string(self.dir.join(format!("server-{n}.log")))
                    .unwrap_or_default();
                text.lines()
                    // A crash's own lines are in its finding already.
                    .filter(|l| l.contains("ERROR") || l.contains("panicked"))
                    .map(|l| super::record::without_thread_ids(&strip_ansi(l)))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    pub fn peak_rss(&self) -> f64 {
        *self.peak_rss.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn restarts(&self) -> usize {
        self.starts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .saturating_sub(1)
    }

    /// One look at the process: a crash or an RSS past the bound is a finding (naming the
    /// requests in flight), and the server is started again.
    pub async fn watch(&self, recorder: &Recorder, client: &HttpClient) {
        let Some(pid) = self.pid() else { return };
        let rss = rss_mb(pid);
        {
            let mut peak = self.peak_rss.lock().unwrap_or_else(|e| e.into_inner());
            *peak = peak.max(rss);
        }
        let mut in_flight = recorder.in_flight();
        let problem = if let Some(status) = self.exited() {
            let log = super::record::without_thread_ids(&self.log_tail());
            Some(format!(
                "the server crashed ({status}: {})",
                super::record::short(&log, 70)
            ))
        } else if rss > self.max_rss_mb {
            self.kill();
            Some(format!(
                "the server's RSS reached {rss:.0} MB (bound {:.0} MB); killed",
                self.max_rss_mb
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            self.restarting.store(true, Ordering::SeqCst);
            // One finding per request that was running: the first in flight names it.
            let abandoned = recorder.abandoned();
            let culprit = match (in_flight.first(), abandoned.last()) {
                // A case by its name; random documents as one (the examples show which).
                (Some(r), _) if r.starts_with("seed ") => "a random document".into(),
                (Some(r), _) => r.split(':').next().unwrap_or_default().to_string(),
                (None, Some(r)) => format!(
                    "nothing; hung up on {}",
                    r.split(':').next().unwrap_or_default()
                ),
                (None, None) => "nothing".into(),
            };
            in_flight.extend(abandoned.into_iter().map(|r| format!("(hung up on) {r}")));
            recorder.finding(
                &format!(
                    "during {}: {problem}; in flight: {culprit}",
                    recorder.phase()
                ),
                &format!("in flight: {in_flight:?}"),
            );
            self.kill();
            self.spawn(client).await;
            self.restarting.store(false, Ordering::SeqCst);
        }
    }

    fn kill(&self) {
        let mut process = self.process.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = process.as_mut() {
            let _ = p.child.kill();
            let _ = p.child.wait();
        }
    }

    /// Stops the server for good.
    pub fn stop(&self) {
        self.kill();
        *self.process.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

impl Drop for Supervisor {
    fn drop(&mut self) {
        self.kill();
    }
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

//! The `scam-atlas` binary: parse the command line and dispatch.

use clap::Parser;
use scam_atlas::config::{Cli, Command, KeysAction};
use scam_atlas::{app, auth, db, graphql, ingest};
use std::process::ExitCode;

/// mimalloc: glibc's allocator serialised the server's threads on its arena lock (measured
/// with perf under the deep-page benchmark), and fragments more.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    scam_atlas::observe::logs::init(cli.config.log_format);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => app::serve(&config).await?,
        Command::Migrate { down } => {
            let db = db::connect(&config.database_url).await?;
            match down {
                Some(n) => db::rollback(&db, n).await?,
                None => db::migrate_with(&db, config.adopt_database).await?,
            }
        }
        Command::LoadData { data_dir, replace } => {
            let dataset = match data_dir {
                Some(dir) => ingest::Dataset::from_dir(&dir)?,
                None => ingest::Dataset::curated(),
            };
            let db = db::connect(&config.database_url).await?;
            db::migrate_with(&db, config.adopt_database).await?;
            match ingest::load(&db, &dataset, replace).await? {
                ingest::LoadOutcome::Loaded { events } => {
                    println!("loaded the dataset: {events} events")
                }
                ingest::LoadOutcome::Unchanged => {
                    println!("this dataset is already loaded: nothing changed")
                }
            }
        }
        Command::Generate { events, seed } => {
            let db = db::connect(&config.database_url).await?;
            db::migrate_with(&db, config.adopt_database).await?;
            let bar = progress_bar(format!("writing {events} events"));
            let progress = |written: u64, total: u64| advance(&bar, written, total);
            ingest::load_generated(&db, events, seed, &progress).await?;
            bar.finish();
            println!("generated {events} events (seed {seed})");
        }
        Command::Keys { action } => {
            let db = db::connect(&config.database_url).await?;
            db::migrate_with(&db, config.adopt_database).await?;
            keys(&db, action).await?;
        }
        Command::Export {
            format,
            out,
            filter,
        } => {
            let filter = scam_atlas::http::export::filter(filter.as_deref())?;
            let db = db::connect(&config.database_url).await?;
            db::migrate_with(&db, config.adopt_database).await?;
            let snapshot = ingest::export::snapshot(&db).await?;
            let events = ingest::export::files::to_dir(&snapshot, &filter, format, &out).await?;
            snapshot.commit().await?;
            println!("exported {events} events into {}", out.display());
        }
        Command::Import { path } => {
            let dataset = ingest::import::read(&path)?;
            let db = db::connect(&config.database_url).await?;
            db::migrate_with(&db, config.adopt_database).await?;
            let bar = progress_bar(format!("importing {}", path.display()));
            let progress = |written: u64, total: u64| advance(&bar, written, total);
            let imported = ingest::import(&db, &dataset, &progress).await?;
            bar.finish();
            println!("imported {} events", imported.events);
        }
        Command::ExportSchema { out } => {
            let sdl = graphql::sdl();
            if out.as_os_str() == "-" {
                print!("{sdl}");
            } else {
                std::fs::write(&out, sdl)?;
                println!("wrote {}", out.display());
            }
        }
    }
    Ok(())
}

async fn keys(
    db: &sea_orm::DatabaseConnection,
    action: KeysAction,
) -> Result<(), Box<dyn std::error::Error>> {
    match action {
        KeysAction::Create { name, role } => {
            let (record, key) = auth::create(db, &name, role.into()).await?;
            println!("{key}");
            eprintln!(
                "created key {} for \"{}\" ({}); it is shown this once: store it now",
                record.prefix,
                record.name,
                record.role.as_str().to_lowercase()
            );
        }
        KeysAction::List => {
            for k in auth::list(db).await? {
                let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
                    t.map_or("-".to_string(), |t| t.format("%Y-%m-%d %H:%M").to_string())
                };
                println!(
                    "{}\t{}\t{}\tcreated {}\tlast used {}\trevoked {}",
                    k.prefix,
                    k.name,
                    k.role.as_str().to_lowercase(),
                    k.created_at.format("%Y-%m-%d %H:%M"),
                    when(k.last_used_at),
                    when(k.revoked_at)
                );
            }
        }
        KeysAction::Revoke { key } => match auth::revoke(db, &key).await? {
            Some(k) => println!("revoked {} (\"{}\")", k.prefix, k.name),
            None => return Err(format!("no single key matches {key:?}").into()),
        },
    }
    Ok(())
}

/// A progress bar on standard error (drawn only on a terminal).
fn progress_bar(message: String) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template(
            "{msg} {wide_bar} {pos}/{len} rows, {per_sec}, {eta} left",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message(message);
    bar
}

/// Moves the bar to `written` of `total` rows; where no terminal shows the bar, prints a line
/// at each tenth instead, for logs (and for tests that wait until writing has begun).
fn advance(bar: &indicatif::ProgressBar, written: u64, total: u64) {
    let tenth = |n: u64| n * 10 / total.max(1);
    if bar.is_hidden() && (bar.position() == 0 || tenth(written) > tenth(bar.position())) {
        println!("written {written} of {total} rows");
    }
    bar.set_length(total);
    bar.set_position(written);
}

//! The `scam-atlas` binary: parse the command line and dispatch.

use clap::Parser;
use scam_atlas::config::{Cli, Command};
use scam_atlas::{app, cli, db, graphql, ingest};
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
            let db = db::connect_for_batch(&config.database_url).await?;
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
            let db = db::connect_for_batch(&config.database_url).await?;
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
            let db = db::connect_for_batch(&config.database_url).await?;
            db::migrate_with(&db, config.adopt_database).await?;
            let bar = cli::progress_bar(format!("writing {events} events"));
            let progress = |written: u64, total: u64| cli::advance(&bar, written, total);
            ingest::load_generated(&db, events, seed, &progress).await?;
            bar.finish();
            println!("generated {events} events (seed {seed})");
        }
        Command::Keys { action } => {
            let db = db::connect(&config.database_url).await?;
            db::migrate_with(&db, config.adopt_database).await?;
            cli::keys(&db, action).await?;
        }
        Command::Export {
            format,
            out,
            filter,
        } => {
            let filter = scam_atlas::http::export::filter(filter.as_deref())?;
            let db = db::connect_for_batch(&config.database_url).await?;
            db::migrate_with(&db, config.adopt_database).await?;
            let snapshot = ingest::export::snapshot(&db).await?;
            let events = ingest::export::files::to_dir(&snapshot, &filter, format, &out).await?;
            snapshot.commit().await?;
            println!("exported {events} events into {}", out.display());
        }
        Command::Import { path } => {
            let db = db::connect_for_batch(&config.database_url).await?;
            db::migrate_with(&db, config.adopt_database).await?;
            cli::import(&db, &path).await?;
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

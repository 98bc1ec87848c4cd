//! What the command line prints beyond serving: the `keys` subcommand's output, imports,
//! and the progress bars of long writes (loads, generation, imports).

use crate::config::KeysAction;
use crate::{auth, ingest, write};
use std::path::Path;

/// Runs a `keys` subcommand: creates (printing the key once), lists or revokes.
pub async fn keys(
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

/// Runs `import PATH`: into an empty database by the fast path (`ingest::import`), into one
/// holding data through the write path as the key [`auth::COMMAND_LINE`] (checked by the same
/// rules, one transaction with its audit rows); either way with a progress bar.
pub async fn import(
    db: &sea_orm::DatabaseConnection,
    path: &Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let dataset = ingest::import::read(path)?;
    let bar = progress_bar(format!("importing {}", path.display()));
    let progress = |written: u64, total: u64| advance(&bar, written, total);
    if ingest::import::is_empty(db).await? {
        let imported = ingest::import(db, &dataset, &progress).await?;
        bar.finish();
        println!("imported {} events", imported.events);
        return Ok(());
    }
    let change = write::import::change_of(&dataset)?;
    let events = match &change {
        write::Change::ImportDataset { records } => records.events.len(),
        _ => 0,
    };
    let actor = auth::command_line(db).await?;
    let how = write::Submission {
        progress: &progress,
        ..Default::default()
    };
    let done = write::submit_with(db, &actor, change, how).await?;
    bar.finish();
    println!(
        "imported {events} events beside the data already there: proposal {} ({}), published \
         as \"{}\" with its audit rows",
        done.proposal.id, done.proposal.summary, actor.name
    );
    Ok(())
}

/// A progress bar on standard error (drawn only on a terminal).
pub fn progress_bar(message: String) -> indicatif::ProgressBar {
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
pub fn advance(bar: &indicatif::ProgressBar, written: u64, total: u64) {
    let tenth = |n: u64| n * 10 / total.max(1);
    if bar.is_hidden() && (bar.position() == 0 || tenth(written) > tenth(bar.position())) {
        println!("written {written} of {total} rows");
    }
    bar.set_length(total);
    bar.set_position(written);
}

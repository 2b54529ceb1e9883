//! `nyckeltal changes --since SNAPSHOT|DATE [--set NAME]... [--kpi IDS]`
//!
//! What Kolada changed: values that are new, revised (old → new) or
//! deleted compared with a snapshot folder, or changed since a date.

use anyhow::Result;
use chrono::NaiveDate;

use crate::base::error;
use crate::cli::flags::{ChangesArgs, GlobalArgs};
use crate::cli::session::{cache_root, notes, open_client, with_context};
use crate::ops::changes::{listing, since_date, since_snapshot, Chosen, Live};
use crate::render::exports::emit;
use crate::source::cache::Cache;

pub(crate) fn run(args: &ChangesArgs, global: &GlobalArgs) -> Result<()> {
    let target = args.output.target()?;
    let chosen = Chosen {
        sets: &args.kpis.sets,
        kpi: args.kpis.kpi.as_deref(),
    };
    let date = NaiveDate::parse_from_str(args.since.trim(), "%Y-%m-%d").ok();
    let folder = std::path::Path::new(&args.since);
    if date.is_none() && !folder.is_dir() {
        return Err(error::usage(format!(
            "--since '{}' is neither a snapshot folder nor a date; give a folder from `nyckeltal snapshot save` or YYYY-MM-DD",
            args.since
        )));
    }
    if date.is_some() && (global.source.is_some() || global.offline) {
        return Err(error::usage(
            "--since DATE asks Kolada what changed, so it needs the API; to compare with a snapshot give --since FOLDER",
        ));
    }
    let (table, summary) = with_context(global, |cx| {
        let (changes, against) = match date {
            Some(date) => {
                let client = open_client(global)?;
                // The cache tells revised values from new ones.
                let cache = match global.no_cache {
                    true => None,
                    false => cache_root(global).ok(),
                };
                let cache = cache.map(|root| Cache::new(&root, client.base_url()));
                let live = Live {
                    client: &client,
                    cache,
                };
                let changes = since_date(date, &chosen, live, cx)?;
                (changes, format!("changed in Kolada since {date}"))
            }
            None => since_snapshot(folder, &chosen, cx)?,
        };
        listing(&changes, &against, cx)
    })?;
    notes(global, std::slice::from_ref(&summary));
    emit(&table, &target, &[summary])
}

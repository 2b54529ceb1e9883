//! `nyckeltal snapshot save PATH [--set NAME]... [--kpi IDS] [--municipality SEL] [--years RANGE]`
//!
//! Freeze figures in a folder with the layout `--source` reads and a
//! `snapshot.json` that says what it holds and when it was fetched, so a
//! network meets over the same numbers. Written to a temporary folder and
//! renamed into place.

use anyhow::Result;

use crate::cli::flags::{GlobalArgs, SnapshotCommand};
use crate::cli::session::{notes, with_context};
use crate::model::years::parse_years;
use crate::ops::snapshot::{save, Asked};

pub(crate) fn run(command: &SnapshotCommand, global: &GlobalArgs) -> Result<()> {
    let SnapshotCommand::Save {
        path,
        kpis,
        municipality,
        years,
        force,
    } = command;
    let asked = Asked {
        path,
        sets: &kpis.sets,
        kpi: kpis.kpi.as_deref(),
        municipality,
        years: years.as_deref().map(parse_years).transpose()?,
        force: *force,
    };
    let saved = with_context(global, |cx| save(asked, cx))?;
    notes(global, &[saved]);
    Ok(())
}

//! `nyckeltal kpi search WORDS [--area TEXT]` — KPIs ranked by how well they match.
//! `nyckeltal kpi show IDS` — all metadata of one or more KPIs.

use anyhow::Result;

use crate::cli::flags::{GlobalArgs, KpiCommand};
use crate::cli::session::with_context;
use crate::ops::lookup::{search_kpis, show_kpi};
use crate::render::exports::emit;

pub(crate) fn run(command: &KpiCommand, global: &GlobalArgs) -> Result<()> {
    with_context(global, |cx| match command {
        KpiCommand::Search {
            words,
            area,
            limit,
            output,
        } => {
            let target = output.target()?;
            let (table, footer) = search_kpis(&words.join(" "), area.as_deref(), *limit, cx)?;
            emit(&table, &target, &footer)
        }
        KpiCommand::Show { id, output } => {
            let target = output.target()?;
            let (table, footer) = show_kpi(id, cx)?;
            emit(&table, &target, &footer)
        }
    })
}

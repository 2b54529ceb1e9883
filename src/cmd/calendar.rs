//! `nyckeltal calendar [--set NAME]... [--kpi IDS]`
//!
//! For each KPI: the latest year published, its preliminary and final
//! publication dates, whether that year is still preliminary, and when the
//! next year can be expected and whether it is due.

use anyhow::Result;

use crate::cli::flags::{CalendarArgs, GlobalArgs};
use crate::cli::session::with_context;
use crate::ops::calendar::calendar;
use crate::render::exports::emit;

pub(crate) fn run(args: &CalendarArgs, global: &GlobalArgs) -> Result<()> {
    let target = args.output.target()?;
    let (table, footer) = with_context(global, |cx| {
        calendar(&args.kpis.sets, args.kpis.kpi.as_deref(), cx)
    })?;
    emit(&table, &target, &footer)
}

//! `nyckeltal values --kpi IDS --municipality SEL --years RANGE [--gender T|K|M|all]`
//!
//! The tidy long table, one row per value:
//! `kpi, municipality_id, municipality, year, gender, value`.
//! Values are exactly as Kolada publishes them; `-o FILE` picks the format
//! from the extension (.csv, .json, .parquet).

use anyhow::Result;

use crate::cli::flags::{GenderChoice, GlobalArgs, ValuesArgs};
use crate::cli::session::with_context;
use crate::model::Gender;
use crate::ops::values::{values, Selection};
use crate::render::exports::emit;

pub(crate) fn run(args: &ValuesArgs, global: &GlobalArgs) -> Result<()> {
    // Check the output before any work, so a bad -o costs nothing.
    let target = args.output.target()?;
    let wanted = |g: Gender| match args.gender {
        GenderChoice::All => true,
        GenderChoice::T => g == Gender::T,
        GenderChoice::K => g == Gender::K,
        GenderChoice::M => g == Gender::M,
    };
    let single = !matches!(args.gender, GenderChoice::T | GenderChoice::All);
    let selection = Selection {
        sets: &args.selection.kpis.sets,
        kpi: args.selection.kpis.kpi.as_deref(),
        municipality: &args.selection.municipality,
        years: &args.selection.years,
    };
    let (table, footer) = with_context(global, |cx| values(&selection, wanted, single, cx))?;
    emit(&table, &target, &footer)
}

//! `nyckeltal values --kpi IDS --municipality SEL --years RANGE [--gender T|K|M|all]`
//!
//! The tidy long table, one row per value:
//! `kpi, municipality_id, municipality, year, gender, value`.
//! Values are exactly as Kolada publishes them; `-o FILE` picks the format
//! from the extension (.csv, .json, .parquet).

use anyhow::Result;

use super::{fetch_values, open_source, resolve_selection, source_lines};
use crate::catalogue::Catalogue;
use crate::flags::{GenderChoice, GlobalArgs, ValuesArgs};
use crate::frame::long_frame;
use crate::model::Gender;
use crate::render::{emit, Target};

pub fn run(args: &ValuesArgs, global: &GlobalArgs) -> Result<()> {
    // Check the output before any work, so a bad -o costs nothing.
    let target = Target::from_flags(&args.output)?;
    let source = open_source(global)?;
    let catalogue = Catalogue::new(source.as_ref());
    let query = resolve_selection(&args.selection, &catalogue)?;

    let wanted = |g: Gender| match args.gender {
        GenderChoice::All => true,
        GenderChoice::T => g == Gender::T,
        GenderChoice::K => g == Gender::K,
        GenderChoice::M => g == Gender::M,
    };
    if args.gender != GenderChoice::T && args.gender != GenderChoice::All && !global.quiet {
        for id in &query.kpis {
            if let Some(kpi) = catalogue.kpi(id)? {
                if !kpi.divided_by_gender() {
                    eprintln!(
                        "note: {id} is not divided by gender; Kolada has only totals (T) for it"
                    );
                }
            }
        }
    }

    let mut observations = fetch_values(source.as_ref(), &query, global)?;
    observations.retain(|o| wanted(o.gender) && o.value.is_some());
    if observations.is_empty() && !global.quiet {
        eprintln!("note: Kolada has no values for this selection");
    }
    let mut names = catalogue.municipality_names()?;
    for id in query
        .entities
        .iter()
        .filter(|id| crate::kolada::is_group_id(id))
    {
        names.insert(id.clone(), catalogue.name(id));
    }
    let mut frame = long_frame(&observations, &names)?;
    emit(
        &mut frame,
        &target,
        &source_lines(source.as_ref(), &query.entities),
    )
}

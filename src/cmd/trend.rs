//! `nyckeltal trend MUNICIPALITY --kpi ID [--peers P] [--years A-B] [-o FILE.svg|.png|.csv]`
//!
//! One KPI over the years: the municipality, the mean of its peers and the
//! national median, as a table, as numbers (.csv, .json, .xlsx, .parquet)
//! or as a chart (.svg, .png).

use anyhow::Result;

use super::{open_source, provenance};
use crate::analysis::{self, Bands};
use crate::catalogue::Catalogue;
use crate::chart::{kpi_trend, ChartFormat};
use crate::cmd::report::series_of;
use crate::error;
use crate::flags::{self, GlobalArgs, TrendArgs};
use crate::plan::{self, Request};
use crate::refdata::RefData;
use crate::render::{emit, write_to, Target};
use crate::resolve;

pub fn run(args: &TrendArgs, global: &GlobalArgs) -> Result<()> {
    let chart = match args
        .output
        .as_ref()
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
    {
        Some(e) if e.eq_ignore_ascii_case("svg") => Some(ChartFormat::Svg),
        Some(e) if e.eq_ignore_ascii_case("png") => Some(ChartFormat::Png),
        _ => None,
    };
    let target = match chart {
        Some(format) => Err(format),
        None => Ok(Target::from_flags(&flags::Output {
            format: args.format,
            output: args.output.clone(),
            csv_dialect: None,
        })?),
    };
    if args.kpi.split(',').filter(|s| !s.trim().is_empty()).count() != 1 {
        return Err(error::usage(
            "trend follows one KPI: give a single id to --kpi",
        ));
    }
    let years = args
        .years
        .as_deref()
        .map(resolve::parse_years)
        .transpose()?;
    let refdata = RefData::new(global.data_dir.clone());
    let source = open_source(global)?;
    let catalogue = Catalogue::new(source.as_ref());
    let request = Request {
        municipality: &args.municipality,
        set: None,
        kpis: Some(&args.kpi),
        peers: &args.peers.peers,
        years,
        default_years: 10,
        gender: args.gender.gender(),
    };
    let plan = plan::plan(&request, &catalogue, &refdata, global)?;
    let gender = args.gender.gender();
    let mut table = analysis::trend(
        &plan.comparison(gender, Bands::Quartiles),
        plan.values(gender)?,
    )?;
    let kpi = &plan.kpis[0];
    let mut footer = vec![format!(
        "Peers ({}): {} municipalities",
        kpi.peers.label,
        kpi.peers.members.len()
    )];
    footer.extend(provenance(source.as_ref()));

    match target {
        Err(format) => {
            let lang = global.lang.unwrap_or_default();
            let peers = [(
                kpi.peers.title.as_str(),
                series_of(&table, &kpi.id, "peer_mean"),
            )];
            let bytes = kpi_trend(
                kpi,
                &plan.municipality.title,
                plan.municipality.is_region(),
                &peers,
                series_of(&table, &kpi.id, "value"),
                series_of(&table, &kpi.id, "national_median"),
                lang,
                format,
            )?
            .ok_or_else(|| {
                error::usage(format!(
                    "{} is a category ({}): its codes make no line chart; write the numbers with -o FILE.csv",
                    kpi.id,
                    kpi.levels.join(", ")
                ))
            })?;
            write_to(args.output.as_deref(), |out| Ok(out.write_all(&bytes)?))
        }
        Ok(target) => emit(&mut table, &target, &footer),
    }
}

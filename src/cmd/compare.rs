//! `nyckeltal compare MUNICIPALITY (--set NAME | --kpi IDS) [--peers P] [--year Y | --years A-B]`
//!
//! How a municipality stands against comparable municipalities and the
//! whole country, KPI by KPI and year by year: its value; the peers' n,
//! mean, median, min and max; its rank among the peers and in Sweden, its
//! national percentile; its deviation from the peer mean; the change from
//! the year before; the band; whether the year is still preliminary. A
//! terminal shows the latest year per KPI; exports (csv, json, parquet,
//! xlsx) hold every year in the tidy long table. Several municipalities
//! (`Arvika,Eda,Säffle` or a network) are each compared with the chosen
//! peers; a region is ranked among the 21 regions.

use anyhow::Result;

use crate::analysis::compare::kpis_without_figures;
use crate::base::write::write_to;
use crate::cli::flags::{CompareArgs, GlobalArgs};
use crate::cli::session::with_context;
use crate::model::years::{format_years, parse_years};
use crate::ops::compare::{names_several, one, review, several, Asked, Compared};
use crate::ops::plan::Request;
use crate::output::exports::{emit, Format, Target};
use crate::output::provenance::processed_lines;
use crate::output::terminal;
use crate::output::workbook::review_workbook;

pub(crate) fn run(args: &CompareArgs, global: &GlobalArgs) -> Result<()> {
    let target = args.output.target()?;
    let years = match args.year.as_deref().or(args.years.as_deref()) {
        Some(text) => Some(parse_years(text)?),
        None => None,
    };
    let asked = Asked {
        municipality: &args.municipality,
        peers: &args.peers.peers,
        request: Request {
            set: args.set.as_deref(),
            kpis: args.kpi.as_deref(),
            years,
            default_years: 5,
            gender: args.gender.gender(),
        },
        bands: args.bands.bands(),
    };
    with_context(global, |cx| {
        let many = names_several(&args.municipality, cx)?;
        let mut compared = if many {
            several(&asked, cx)?
        } else {
            one(&asked, cx)?
        };
        let mut footer = compared.peer_lines.clone();
        if compared.table.column("preliminary")?.bool()?.any() {
            footer.push("* preliminary: Kolada publishes the final figures later".to_string());
        }
        footer.extend(processed_lines(cx.catalogue.source()));
        match target.format {
            Format::Table if many => show_several(&compared, &target, &footer),
            Format::Table => show_one(&compared, &target, footer),
            Format::Xlsx if !many => {
                let review = review(&compared, global.lang().unwrap_or_default(), cx)?;
                let bytes = review_workbook(&review, &compared.table)?;
                write_to(target.path.as_deref(), |out| Ok(out.write_all(&bytes)?))
            }
            _ => emit(&mut compared.table, &target, &footer),
        }
    })
}

/// The title line: the municipality (or network) and the set.
fn title(compared: &Compared) -> String {
    match &compared.set {
        Some(set) => format!("{} — {} ({})", compared.label, set.title, set.name),
        None => compared.label.clone(),
    }
}

/// One row per KPI for the latest year; a KPI the source has no figure
/// for is named below, not shown as blanks.
fn show_one(compared: &Compared, target: &Target, mut footer: Vec<String>) -> Result<()> {
    let absent = kpis_without_figures(&compared.table);
    let shown: Vec<_> = compared
        .kpis
        .iter()
        .filter(|k| !absent.contains(&k.id))
        .cloned()
        .collect();
    let (view, legend) = terminal::compare(&compared.table, &shown)?;
    if !absent.is_empty() {
        footer.insert(
            0,
            format!(
                "No figures in the source for {} in {}: left out of the table",
                absent.join(", "),
                format_years(&compared.years)
            ),
        );
    }
    let title = title(compared);
    write_to(target.path.as_deref(), |out| {
        writeln!(out, "{title}")?;
        writeln!(out, "{view}")?;
        for line in legend.iter().chain(&footer) {
            writeln!(out, "{line}")?;
        }
        Ok(())
    })
}

/// Per KPI, one table with every municipality in the latest year.
fn show_several(compared: &Compared, target: &Target, footer: &[String]) -> Result<()> {
    let views = terminal::compare_many(&compared.table, &compared.kpis)?;
    let title = title(compared);
    write_to(target.path.as_deref(), |out| {
        writeln!(out, "{title}")?;
        for (heading, view) in &views {
            writeln!(out, "\n{heading}")?;
            writeln!(out, "{view}")?;
        }
        for line in footer {
            writeln!(out, "{line}")?;
        }
        Ok(())
    })
}

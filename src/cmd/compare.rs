//! `nyckeltal compare MUNICIPALITY (--set NAME | --kpi IDS) [--peers P] [--year Y | --years A-B]`
//!
//! How a municipality stands against comparable municipalities and the
//! whole country, KPI by KPI and year by year: its value; the peers' n,
//! mean, median, min and max; its rank among the peers and in Sweden, its
//! national percentile; its deviation from the peer mean; the change from
//! the year before; the green/yellow/red band; whether the year is still
//! preliminary. A terminal shows the latest year per KPI; exports (csv,
//! json, parquet, xlsx) hold every year in the tidy long table.
//!
//! Several municipalities at once (`Arvika,Eda,Säffle` or a network such as
//! `varmland-vastra`): each against the chosen peers and the country, per
//! KPI one table with every municipality, and one tidy table in exports.
//! A region (`"Region Värmland"`) is ranked among the 21 regions.

use anyhow::Result;

use super::{open_source, provenance, review_provenance};
use crate::analysis::{self, Bands};
use crate::catalogue::Catalogue;
use crate::flags::{BandChoice, CompareArgs, Format, GlobalArgs};
use crate::plan::{self, Request};
use crate::refdata::RefData;
use crate::render::{emit, write_to, Target};
use crate::resolve;
use crate::review::{Review, Section};

pub fn run(args: &CompareArgs, global: &GlobalArgs) -> Result<()> {
    let target = Target::from_flags(&args.output)?;
    let years = match args.year.as_deref().or(args.years.as_deref()) {
        Some(text) => Some(resolve::parse_years(text)?),
        None => None,
    };
    let refdata = RefData::new(global.data_dir.clone());
    let source = open_source(global)?;
    let catalogue = Catalogue::new(source.as_ref());
    let several = args.municipality.contains(',')
        || crate::kolada::is_group_id(args.municipality.trim())
        || refdata.peer_list(args.municipality.trim())?.is_some();
    if several {
        return compare_several(args, global, &target, years, &catalogue, &refdata);
    }
    let request = Request {
        municipality: &args.municipality,
        set: args.set.as_deref(),
        kpis: args.kpi.as_deref(),
        peers: &args.peers.peers,
        years,
        default_years: 5,
        gender: args.gender.gender(),
    };
    let plan = plan::plan(&request, &catalogue, &refdata, global)?;
    let bands = bands_of(args.bands);
    let gender = args.gender.gender();
    let mut table = analysis::compare(&plan.comparison(gender, bands), plan.values(gender)?)?;

    let mut footer = peer_lines(&plan, &catalogue)?;
    if table.column("preliminary")?.bool()?.any() {
        footer.push("* preliminary: Kolada publishes the final figures later".to_string());
    }
    footer.extend(provenance(source.as_ref()));
    match target.format {
        Format::Table => {
            // A KPI the source has no figure for is named below, not shown as blanks.
            let absent = analysis::kpis_without_figures(&table);
            let shown: Vec<_> = plan
                .kpis
                .iter()
                .filter(|k| !absent.contains(&k.id))
                .cloned()
                .collect();
            let (view, legend) = crate::view::compare(&table, &shown)?;
            if !absent.is_empty() {
                footer.insert(
                    0,
                    format!(
                        "No figures in the source for {} in {}: left out of the table",
                        absent.join(", "),
                        resolve::format_years(&plan.years)
                    ),
                );
            }
            let title = match &plan.set {
                Some((name, title)) => format!("{} — {title} ({name})", plan.municipality.title),
                None => plan.municipality.title.clone(),
            };
            write_to(target.path.as_deref(), |out| {
                writeln!(out, "{title}")?;
                writeln!(out, "{view}")?;
                for line in legend.iter().chain(&footer) {
                    writeln!(out, "{line}")?;
                }
                Ok(())
            })
        }
        Format::Xlsx => {
            // The review workbook: a sheet like the report's table, the
            // tidy table, the source sheet; in the documents' language.
            let lang = global.lang.unwrap_or_default();
            let words = lang.words();
            let peers = &plan.kpis[0].peers;
            let (set_name, set_title) = plan
                .set
                .clone()
                .unwrap_or_else(|| ("compare".to_string(), words.kpi.to_string()));
            let not_measured = match &args.set {
                Some(name) => refdata.set(name).ok().and_then(|s| s.not_measured),
                None => None,
            };
            let ids: Vec<String> = plan.kpis.iter().map(|k| k.id.clone()).collect();
            let review = Review {
                title: format!("{} – {set_title}", plan.municipality.title),
                subtitle: format!(
                    "{} · {} {}",
                    plan.municipality.title,
                    words.years,
                    resolve::format_years(&plan.years).replace('-', "–")
                ),
                sections: vec![Section {
                    set_name,
                    set_title,
                    not_measured,
                    peers_title: peers.title.clone(),
                    peer_names: peers.members.iter().map(|id| catalogue.name(id)).collect(),
                    kpis: plan.kpis.clone(),
                    table: table.clone(),
                    network: false,
                }],
                figures: Vec::new(),
                cost_quality: None,
                provenance: review_provenance(source.as_ref(), &ids, None),
                lang,
            };
            let bytes = crate::workbook::review_workbook(&review, &table)?;
            write_to(target.path.as_deref(), |out| Ok(out.write_all(&bytes)?))
        }
        _ => emit(&mut table, &target, &footer),
    }
}

/// Several municipalities, each against the chosen peers and the country.
fn compare_several(
    args: &CompareArgs,
    global: &GlobalArgs,
    target: &Target,
    years: Option<Vec<i32>>,
    catalogue: &Catalogue,
    refdata: &RefData,
) -> Result<()> {
    let (label, members) =
        crate::peers::network_members(args.municipality.trim(), catalogue, refdata)?;
    // A typed list is named by its members' names.
    let label = if label.contains(',') {
        members
            .iter()
            .map(|id| catalogue.name(id))
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        label
    };
    if members.is_empty() {
        return Err(crate::error::usage(format!(
            "'{}' names no municipalities; give names or codes, comma-separated",
            args.municipality
        )));
    }
    let bands = bands_of(args.bands);
    let gender = args.gender.gender();
    let quiet = GlobalArgs {
        quiet: true,
        ..global.clone()
    };
    let mut table: Option<polars::prelude::DataFrame> = None;
    let mut kpis = Vec::new();
    let mut set = None;
    let mut footer = Vec::new();
    for (i, id) in members.iter().enumerate() {
        let request = Request {
            municipality: id,
            set: args.set.as_deref(),
            kpis: args.kpi.as_deref(),
            peers: &args.peers.peers,
            years: years.clone(),
            default_years: 5,
            gender,
        };
        let plan = plan::plan(
            &request,
            catalogue,
            refdata,
            if i == 0 { global } else { &quiet },
        )?;
        let part = analysis::compare(&plan.comparison(gender, bands), plan.values(gender)?)?;
        for line in peer_lines(&plan, catalogue)? {
            footer.push(format!("{}: {line}", plan.municipality.title));
        }
        match &mut table {
            Some(all) => {
                all.vstack_mut(&part)?;
            }
            None => table = Some(part),
        }
        kpis = plan.kpis.clone();
        set = plan.set.clone();
    }
    let mut table = table.expect("at least one member");
    if table.column("preliminary")?.bool()?.any() {
        footer.push("* preliminary: Kolada publishes the final figures later".to_string());
    }
    footer.extend(provenance(catalogue.source()));
    match target.format {
        Format::Table => {
            let views = crate::view::compare_many(&table, &kpis)?;
            let title = match &set {
                Some((name, title)) => format!("{label} — {title} ({name})"),
                None => label.clone(),
            };
            write_to(target.path.as_deref(), |out| {
                writeln!(out, "{title}")?;
                for (heading, view) in &views {
                    writeln!(out, "\n{heading}")?;
                    writeln!(out, "{view}")?;
                }
                for line in &footer {
                    writeln!(out, "{line}")?;
                }
                Ok(())
            })
        }
        // The tidy table of every municipality (in a workbook: its data
        // sheet and the source sheet).
        _ => emit(&mut table, target, &footer),
    }
}

fn bands_of(choice: BandChoice) -> Bands {
    match choice {
        BandChoice::Quartiles => Bands::Quartiles,
        BandChoice::Thirds => Bands::Thirds,
    }
}

/// "Peers (label): A, B, C" once per distinct peer group.
fn peer_lines(plan: &plan::Plan, catalogue: &Catalogue) -> Result<Vec<String>> {
    let mut lines: Vec<String> = Vec::new();
    for kpi in &plan.kpis {
        let mut names = Vec::new();
        for id in &kpi.peers.members {
            names.push(catalogue.name(id));
        }
        let line = format!("Peers ({}): {}", kpi.peers.label, names.join(", "));
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    Ok(lines)
}

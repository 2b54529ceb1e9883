//! `nyckeltal report SPEC.toml -o DIR`
//!
//! The autumn review pack from a saved spec: `DIR/report.html` (one
//! self-contained page: coloured tables, trend charts, cost against
//! quality, peers, provenance), `DIR/report.xlsx` (a sheet per set and a
//! `Källa` sheet) and `DIR/data.csv` (the tidy table). The folder is built
//! aside and put in place whole.

use anyhow::Result;
use polars::prelude::*;

use super::{open_source, progress, provenance};
use crate::analysis::{self, Bands};
use crate::catalogue::Catalogue;
use crate::chart::{line_chart, scatter, ChartFormat, Series};
use crate::flags::{GlobalArgs, ReportArgs};
use crate::model::{Gender, Municipality};
use crate::plan::{self, Plan, Request};
use crate::refdata::{IndicatorSet, RefData};
use crate::render::{workbook, write_dir, write_file};
use crate::report::{html, Figure, Report, Section};
use crate::source::ValueQuery;
use crate::spec::{self, Subject};
use crate::view::Cells;

pub fn run(args: &ReportArgs, global: &GlobalArgs) -> Result<()> {
    let refdata = RefData::new(global.data_dir.clone());
    let source = open_source(global)?;
    let catalogue = Catalogue::new(source.as_ref());
    let spec = spec::load(&args.spec, &catalogue, &refdata)?;
    let quiet = GlobalArgs {
        quiet: true,
        ..global.clone()
    };

    let steps = match &spec.subject {
        Subject::Municipality { peers, .. } => spec.sets.len() * peers.len(),
        Subject::Network { members, .. } => spec.sets.len() * members.len(),
    };
    let bar = progress(global, "computing");
    if let Some(bar) = &bar {
        bar.set_length(steps as u64);
    }
    let mut sections = Vec::new();
    let mut figures = Vec::new();
    let mut years_shown: Vec<i32> = Vec::new();
    let mut highlighted: Vec<String> = Vec::new();
    for set in &spec.sets {
        match &spec.subject {
            Subject::Municipality {
                municipality,
                peers,
            } => {
                let mut plans = Vec::new();
                for peer_spec in peers {
                    let plan = plan_for(
                        set,
                        &municipality.id,
                        peer_spec,
                        &spec.years,
                        &catalogue,
                        &refdata,
                        &quiet,
                    )?;
                    let table = analysis::compare(
                        &plan.comparison(Gender::T, Bands::Quartiles),
                        plan.values(Gender::T)?,
                    )?;
                    let peers_of_first = &plan.kpis[0].peers;
                    if highlighted.is_empty() {
                        highlighted.push(municipality.id.clone());
                        highlighted.extend(peers_of_first.members.iter().cloned());
                    }
                    sections.push(Section {
                        set_name: set.name.clone(),
                        set_title: set.title.clone(),
                        peers_label: peers_of_first.label.clone(),
                        peer_names: names(&peers_of_first.members, &catalogue)?,
                        kpis: plan.kpis.clone(),
                        table,
                        network: false,
                    });
                    years_shown = plan.years.clone();
                    plans.push(plan);
                    if let Some(bar) = &bar {
                        bar.inc(1);
                    }
                }
                let tables: Vec<&DataFrame> = sections[sections.len() - plans.len()..]
                    .iter()
                    .map(|s| &s.table)
                    .collect();
                figures.extend(trend_figures(set, municipality, &plans, &tables)?);
            }
            Subject::Network { label, members } => {
                let mut tables = Vec::new();
                let mut kpis = Vec::new();
                for member in members {
                    let others: Vec<&str> = members
                        .iter()
                        .filter(|m| m.id != member.id)
                        .map(|m| m.id.as_str())
                        .collect();
                    let plan = plan_for(
                        set,
                        &member.id,
                        &others.join(","),
                        &spec.years,
                        &catalogue,
                        &refdata,
                        &quiet,
                    )?;
                    let mut table = analysis::compare(
                        &plan.comparison(Gender::T, Bands::Quartiles),
                        plan.values(Gender::T)?,
                    )?;
                    let height = table.height();
                    table.with_column(Column::new(
                        "peer_group".into(),
                        vec![format!("{label} (the other members)"); height],
                    ))?;
                    tables.push(table);
                    kpis = plan.kpis.clone();
                    years_shown = plan.years.clone();
                    if let Some(bar) = &bar {
                        bar.inc(1);
                    }
                }
                let mut table = tables.remove(0);
                for other in &tables {
                    table.vstack_mut(other)?;
                }
                highlighted = members.iter().map(|m| m.id.clone()).collect();
                sections.push(Section {
                    set_name: set.name.clone(),
                    set_title: set.title.clone(),
                    peers_label: label.clone(),
                    peer_names: members.iter().map(|m| m.title.clone()).collect(),
                    kpis,
                    table,
                    network: true,
                });
            }
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }

    let cost_quality = match &spec.cost_quality {
        Some((cost, quality)) => {
            cost_quality_figure(cost, quality, &years_shown, &highlighted, &catalogue)?
        }
        None => None,
    };
    let subject = match &spec.subject {
        Subject::Municipality { municipality, .. } => municipality.title.clone(),
        Subject::Network { label, members } => {
            format!("{label} ({} municipalities)", members.len())
        }
    };
    let mut lines = provenance(source.as_ref());
    lines.push(format!(
        "Spec: {}. Made {} by nyckeltal {}.",
        spec.origin.path,
        chrono::Local::now().format("%Y-%m-%d"),
        env!("CARGO_PKG_VERSION")
    ));
    let report = Report {
        title: spec.title.clone(),
        subtitle: format!(
            "{subject} · years {}",
            crate::resolve::format_years(&years_shown)
        ),
        sections,
        figures,
        cost_quality,
        provenance: lines.clone(),
    };

    // The tidy table of every section, with its set, for data.csv and the workbook.
    let mut tidy: Vec<(String, DataFrame)> = Vec::new();
    for section in &report.sections {
        let mut table = section.table.clone();
        let height = table.height();
        table.insert_column(
            0,
            Column::new("set".into(), vec![section.set_name.clone(); height]),
        )?;
        match tidy.iter_mut().find(|(name, _)| *name == section.set_name) {
            Some((_, frame)) => {
                frame.vstack_mut(&table)?;
            }
            None => tidy.push((section.set_name.clone(), table)),
        }
    }
    let mut all = tidy[0].1.clone();
    for (_, frame) in &tidy[1..] {
        all.vstack_mut(frame)?;
    }
    let mut csv = Vec::new();
    CsvWriter::new(&mut csv)
        .include_header(true)
        .finish(&mut all)?;
    let sheets: Vec<(&str, &DataFrame)> = tidy
        .iter()
        .map(|(name, frame)| (name.as_str(), frame))
        .collect();
    let xlsx = workbook(&sheets, &lines)?;
    let page = html(&report);

    const FILES: [&str; 3] = ["report.html", "report.xlsx", "data.csv"];
    write_dir(
        &args.output,
        |dir| crate::render::holds_only(dir, &FILES),
        |dir| {
            write_file(dir, "report.html", page.as_bytes())?;
            write_file(dir, "report.xlsx", &xlsx)?;
            write_file(dir, "data.csv", &csv)
        },
    )?;
    if !global.quiet {
        eprintln!(
            "wrote {}/report.html, report.xlsx and data.csv ({} rows)",
            args.output.display(),
            all.height()
        );
    }
    Ok(())
}

fn plan_for(
    set: &IndicatorSet,
    municipality: &str,
    peers: &str,
    years: &Option<Vec<i32>>,
    catalogue: &Catalogue,
    refdata: &RefData,
    global: &GlobalArgs,
) -> Result<Plan> {
    let set_ref = if set.origin.builtin {
        set.name.clone()
    } else {
        set.origin.path.clone()
    };
    plan::plan(
        &Request {
            municipality,
            set: Some(&set_ref),
            kpis: None,
            peers,
            years: years.clone(),
            default_years: 5,
            gender: Gender::T,
        },
        catalogue,
        refdata,
        global,
    )
}

fn names(ids: &[String], catalogue: &Catalogue) -> Result<Vec<String>> {
    ids.iter().map(|id| Ok(catalogue.name(id))).collect()
}

/// Per KPI: the municipality, each peer group's mean and the national median over the years.
fn trend_figures(
    set: &IndicatorSet,
    municipality: &Municipality,
    plans: &[Plan],
    tables: &[&DataFrame],
) -> Result<Vec<Figure>> {
    let Some(first) = plans.first() else {
        return Ok(Vec::new());
    };
    let medians = analysis::medians(&first.values(Gender::T)?)?;
    let median_cells = Cells(&medians);
    let mut figures = Vec::new();
    for kpi in &first.kpis {
        let series_of = |table: &DataFrame, column: &str| -> Vec<(i32, f64)> {
            let cells = Cells(table);
            (0..table.height())
                .filter(|&r| cells.text("kpi", r) == kpi.id)
                .filter_map(|r| Some((cells.int("year", r)? as i32, cells.f64(column, r)?)))
                .collect()
        };
        let mut series = vec![Series {
            name: municipality.title.clone(),
            points: series_of(tables[0], "value"),
        }];
        for (plan, table) in plans.iter().zip(tables) {
            let label = &plan.kpis[0].peers.label;
            let short = label.split(" (").next().unwrap_or(label);
            series.push(Series {
                name: format!(
                    "Peers' mean: {}",
                    short.chars().take(40).collect::<String>()
                ),
                points: series_of(table, "peer_mean"),
            });
        }
        let medians: Vec<(i32, f64)> = (0..medians.height())
            .filter(|&r| median_cells.text("kpi", r) == kpi.id)
            .filter_map(|r| {
                Some((
                    median_cells.int("year", r)? as i32,
                    median_cells.f64("national_median", r)?,
                ))
            })
            .filter(|(y, _)| first.years.contains(y))
            .collect();
        let mut medians = medians;
        medians.sort_by_key(|(y, _)| *y);
        series.push(Series {
            name: "Median of all municipalities".into(),
            points: medians,
        });
        if series.iter().all(|s| s.points.is_empty()) {
            continue;
        }
        let svg = line_chart(
            &format!("{} {}", kpi.id, kpi.label),
            &kpi.unit,
            &series,
            ChartFormat::Svg,
        )?;
        figures.push(Figure {
            set_name: set.name.clone(),
            caption: format!("{} — {}", kpi.id, kpi.title),
            svg: String::from_utf8(svg)?,
        });
    }
    Ok(figures)
}

/// Every municipality by cost (x) and quality (y) in the latest year both
/// have figures, the reviewed ones named.
fn cost_quality_figure(
    cost: &str,
    quality: &str,
    years: &[i32],
    highlighted: &[String],
    catalogue: &Catalogue,
) -> Result<Option<Figure>> {
    let entities: Vec<String> = catalogue.kommuner()?.iter().map(|m| m.id.clone()).collect();
    let query = ValueQuery {
        kpis: vec![cost.to_string(), quality.to_string()],
        entities,
        years: years.to_vec(),
    };
    let observations = catalogue.source().values(&query, None)?;
    let value = |kpi: &str, id: &str, year: i32| {
        observations
            .iter()
            .find(|o| o.kpi == kpi && o.entity == id && o.year == year && o.gender == Gender::T)
            .and_then(|o| o.value)
    };
    for &year in years.iter().rev() {
        let points: Vec<(String, f64, f64)> = query
            .entities
            .iter()
            .filter_map(|id| {
                Some((
                    id.clone(),
                    value(cost, id, year)?,
                    value(quality, id, year)?,
                ))
            })
            .collect();
        if points.len() < 10 {
            continue;
        }
        let everybody: Vec<(f64, f64)> = points.iter().map(|(_, x, y)| (*x, *y)).collect();
        let mut named = Vec::new();
        for id in highlighted {
            if let Some((_, x, y)) = points.iter().find(|(p, _, _)| p == id) {
                named.push((catalogue.name(id), *x, *y));
            }
        }
        let title = |id: &str| {
            catalogue
                .kpi(id)
                .ok()
                .flatten()
                .map(|k| k.title.clone())
                .unwrap_or_default()
        };
        let svg = scatter(
            &format!("Cost and quality, {year}"),
            &format!("{cost} {}", title(cost)),
            &format!("{quality} {}", title(quality)),
            &everybody,
            &named,
        )?;
        return Ok(Some(Figure {
            set_name: String::new(),
            caption: format!(
                "Each dot a municipality ({} with both figures in {year}): {cost} {} against {quality} {}. The reviewed municipalities are named.",
                points.len(),
                title(cost),
                title(quality)
            ),
            svg: String::from_utf8(svg)?,
        }));
    }
    Ok(None)
}

//! `nyckeltal report SPEC.toml -o DIR`
//!
//! The autumn review pack from a saved spec: `DIR/report.html` (one
//! self-contained page: coloured tables, trend charts, cost against
//! quality, peers, notes, provenance), `DIR/report.xlsx` (print-ready
//! sheets per set, the tidy table, the source sheet) and `DIR/data.csv`
//! (the tidy table). Swedish unless `--lang en` or the spec's `lang`. The
//! folder is built aside and put in place whole.

use anyhow::Result;
use polars::prelude::*;

use super::{open_source, progress, review_provenance};
use crate::analysis::{self, Bands};
use crate::catalogue::Catalogue;
use crate::chart::{kpi_trend, scatter, ChartFormat, Role, Scatter};
use crate::flags::{GlobalArgs, ReportArgs};
use crate::i18n::Lang;
use crate::model::{Gender, Municipality};
use crate::plan::{self, Plan, Request};
use crate::refdata::{Direction, IndicatorSet, RefData};
use crate::render::{write_dir, write_file};
use crate::review::{Figure, Review, Section};
use crate::source::ValueQuery;
use crate::spec::{self, Subject};
use crate::view::Cells;

pub fn run(args: &ReportArgs, global: &GlobalArgs) -> Result<()> {
    let refdata = RefData::new(global.data_dir.clone());
    let source = open_source(global)?;
    let catalogue = Catalogue::new(source.as_ref());
    let spec = spec::load(&args.spec, &catalogue, &refdata)?;
    let lang = global.lang.or(spec.lang).unwrap_or_default();
    let words = lang.words();
    let quiet = GlobalArgs {
        quiet: true,
        ..global.clone()
    };

    let steps: usize = match &spec.subject {
        Subject::Municipality { peers, .. } => {
            spec.sets.iter().map(|s| peers.for_set(&s.name).len()).sum()
        }
        Subject::Network { members, .. } => spec
            .sets
            .iter()
            .map(|s| {
                if s.level == crate::refdata::Level::Region {
                    1
                } else {
                    members.len()
                }
            })
            .sum(),
    };
    let bar = progress(global, "computing");
    crate::progress::add_work(bar.as_ref(), steps as u64, "comparisons");
    let mut sections = Vec::new();
    let mut figures = Vec::new();
    let mut years_shown: Vec<i32> = Vec::new();
    // Named in the cost-quality view: (id, role), the reviewed first.
    let mut highlighted: Vec<(String, Role)> = Vec::new();
    let mut highlighted_title = String::new();
    for set in &spec.sets {
        // One subject against its peer groups: the municipality, or for a
        // region-level set in a county network's review, its region against
        // the other regions.
        let auto = vec!["auto".to_string()];
        let single = match &spec.subject {
            Subject::Municipality {
                municipality,
                peers,
            } => Some((municipality, peers.for_set(&set.name))),
            Subject::Network {
                region: Some(region),
                ..
            } if set.level == crate::refdata::Level::Region => Some((region, auto.as_slice())),
            Subject::Network { .. } => None,
        };
        match (single, &spec.subject) {
            (Some((municipality, peer_specs)), _) => {
                let mut plans = Vec::new();
                for peer_spec in peer_specs {
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
                        highlighted_title = peers_of_first.title.clone();
                        highlighted.push((municipality.id.clone(), Role::Municipality));
                        highlighted.extend(
                            peers_of_first
                                .members
                                .iter()
                                .map(|m| (m.clone(), Role::Peers(0))),
                        );
                    }
                    sections.push(Section {
                        set_name: set.name.clone(),
                        set_title: set.title.clone(),
                        not_measured: set.not_measured.clone(),
                        peers_title: peers_of_first.title.clone(),
                        peer_names: names(&peers_of_first.members, &catalogue),
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
                figures.extend(trend_figures(set, municipality, &plans, &tables, lang)?);
            }
            (None, Subject::Network { label, members, .. }) => {
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
                highlighted = members
                    .iter()
                    .map(|m| (m.id.clone(), Role::Peers(0)))
                    .collect();
                sections.push(Section {
                    set_name: set.name.clone(),
                    set_title: set.title.clone(),
                    not_measured: set.not_measured.clone(),
                    peers_title: label.clone(),
                    peer_names: members.iter().map(|m| m.title.clone()).collect(),
                    kpis,
                    table,
                    network: true,
                });
            }
            (None, Subject::Municipality { .. }) => {
                unreachable!("a municipality is a single subject")
            }
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }

    let cost_quality = match &spec.cost_quality {
        Some((cost, quality)) => cost_quality_figure(
            CostQuality {
                cost,
                quality,
                years: &years_shown,
                highlighted: &highlighted,
                peers_title: &highlighted_title,
                subject: &spec.subject,
                sets: &spec.sets,
                lang,
            },
            &catalogue,
        )?,
        None => None,
    };
    let subject = match &spec.subject {
        Subject::Municipality { municipality, .. } => municipality.title.clone(),
        Subject::Network {
            label,
            members,
            region,
        } => {
            let region = region
                .as_ref()
                .map(|r| format!(" · {}", r.title))
                .unwrap_or_default();
            format!(
                "{label} ({} {}){region}",
                members.len(),
                words.municipalities
            )
        }
    };
    let kpi_ids: Vec<String> = spec
        .sets
        .iter()
        .flat_map(|s| s.entries.iter().map(|e| e.kpi.clone()))
        .collect();
    let review = Review {
        title: spec.title.clone(),
        subtitle: format!(
            "{subject} · {} {}",
            words.years,
            crate::resolve::format_years(&years_shown).replace('-', "–")
        ),
        sections,
        figures,
        cost_quality,
        provenance: review_provenance(source.as_ref(), &kpi_ids, Some(&args.spec)),
        lang,
    };

    // The tidy table of every section, with its set, for data.csv and the workbook.
    let mut all: Option<DataFrame> = None;
    for section in &review.sections {
        let mut table = section.table.clone();
        let height = table.height();
        table.insert_column(
            0,
            Column::new("set".into(), vec![section.set_name.clone(); height]),
        )?;
        match &mut all {
            Some(frame) => {
                frame.vstack_mut(&table)?;
            }
            None => all = Some(table),
        }
    }
    let all = all.ok_or_else(|| crate::error::usage("the spec gives nothing to report"))?;
    let mut csv = Vec::new();
    crate::render::write_csv(&mut csv, &all, false)?;
    let xlsx = crate::workbook::review_workbook(&review, &all)?;
    let page = crate::report::html(&review);

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

fn names(ids: &[String], catalogue: &Catalogue) -> Vec<String> {
    ids.iter().map(|id| catalogue.name(id)).collect()
}

/// One KPI's series in a comparison table: (year, figure) where there is one.
pub fn series_of(table: &DataFrame, kpi: &str, column: &str) -> Vec<(i32, f64)> {
    let cells = Cells(table);
    (0..table.height())
        .filter(|&r| cells.text("kpi", r) == kpi)
        .filter_map(|r| Some((cells.int("year", r)? as i32, cells.f64(column, r)?)))
        .collect()
}

/// Per KPI: the municipality, each peer group's mean and the national median over the years.
fn trend_figures(
    set: &IndicatorSet,
    municipality: &Municipality,
    plans: &[Plan],
    tables: &[&DataFrame],
    lang: Lang,
) -> Result<Vec<Figure>> {
    let Some(first) = plans.first() else {
        return Ok(Vec::new());
    };
    let medians = analysis::medians(&first.values(Gender::T)?)?;
    let mut figures = Vec::new();
    for kpi in &first.kpis {
        let peers: Vec<(&str, Vec<(i32, f64)>)> = plans
            .iter()
            .zip(tables)
            .map(|(plan, table)| {
                let peers = &plan
                    .kpis
                    .iter()
                    .find(|k| k.id == kpi.id)
                    .unwrap_or(&plan.kpis[0])
                    .peers;
                (peers.title.as_str(), series_of(table, &kpi.id, "peer_mean"))
            })
            .collect();
        let mut median: Vec<(i32, f64)> = series_of(&medians, &kpi.id, "national_median")
            .into_iter()
            .filter(|(y, _)| first.years.contains(y))
            .collect();
        median.sort_by_key(|(y, _)| *y);
        let own = series_of(tables[0], &kpi.id, "value");
        let Some(svg) = kpi_trend(
            kpi,
            &municipality.title,
            municipality.is_region(),
            &peers,
            own,
            median,
            lang,
            ChartFormat::Svg,
        )?
        else {
            continue;
        };
        figures.push(Figure {
            set_name: set.name.clone(),
            caption: format!("{} — {}", kpi.id, kpi.title),
            svg: String::from_utf8(svg)?,
        });
    }
    Ok(figures)
}

struct CostQuality<'a> {
    cost: &'a str,
    quality: &'a str,
    years: &'a [i32],
    highlighted: &'a [(String, Role)],
    /// The name of the named peers' group.
    peers_title: &'a str,
    subject: &'a Subject,
    sets: &'a [IndicatorSet],
    lang: Lang,
}

/// Every municipality by cost (x) and quality (y) in the latest year both
/// have figures, the reviewed ones named, the peers' medians dividing the
/// quadrants.
fn cost_quality_figure(view: CostQuality, catalogue: &Catalogue) -> Result<Option<Figure>> {
    let words = view.lang.words();
    let (cost, quality) = (view.cost, view.quality);
    let entities: Vec<String> = catalogue.kommuner()?.iter().map(|m| m.id.clone()).collect();
    let query = ValueQuery {
        kpis: vec![cost.to_string(), quality.to_string()],
        entities,
        years: view.years.to_vec(),
    };
    let observations = catalogue.source().values(&query, None)?;
    let value = |kpi: &str, id: &str, year: i32| {
        observations
            .iter()
            .find(|o| o.kpi == kpi && o.entity == id && o.year == year && o.gender == Gender::T)
            .and_then(|o| o.value)
    };
    // Which way is better, from the sets that have the KPIs.
    let direction = |id: &str| {
        view.sets
            .iter()
            .flat_map(|s| &s.entries)
            .find(|e| e.kpi == id)
            .map(|e| e.direction)
    };
    for &year in view.years.iter().rev() {
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
        for (id, role) in view.highlighted {
            if let Some((_, x, y)) = points.iter().find(|(p, _, _)| p == id) {
                named.push((catalogue.name(id), *x, *y, *role));
            }
        }
        let peer_points: Vec<&(String, f64, f64, Role)> =
            named.iter().filter(|n| n.3 != Role::Municipality).collect();
        let medians = (peer_points.len() >= 2).then(|| {
            (
                median(peer_points.iter().map(|p| p.1).collect()),
                median(peer_points.iter().map(|p| p.2).collect()),
            )
        });
        let [lower_cost, higher_cost, better, worse] = words.quadrants;
        let quadrants = match (direction(cost), direction(quality)) {
            (Some(Direction::LowerIsBetter), Some(q)) if q != Direction::Neutral => {
                let (top, bottom) = if q == Direction::HigherIsBetter {
                    (better, worse)
                } else {
                    (worse, better)
                };
                Some([
                    format!("{lower_cost}, {top}"),
                    format!("{higher_cost}, {top}"),
                    format!("{lower_cost}, {bottom}"),
                    format!("{higher_cost}, {bottom}"),
                ])
            }
            _ => None,
        };
        let title = |id: &str| {
            catalogue
                .kpi(id)
                .ok()
                .flatten()
                .map(|k| k.title.clone())
                .unwrap_or_default()
        };
        let mut legend: Vec<(String, Role)> = Vec::new();
        match view.subject {
            Subject::Municipality { municipality, .. } => {
                legend.push((municipality.title.clone(), Role::Municipality));
                legend.push((
                    format!("{}: {}", words.peers_are, view.peers_title),
                    Role::Peers(0),
                ));
            }
            Subject::Network { label, .. } => legend.push((label.clone(), Role::Peers(0))),
        }
        legend.push((words.others.to_string(), Role::Others));
        if medians.is_some() {
            legend.push((words.peer_median.to_string(), Role::Median));
        }
        let chart_title = format!("{}, {year}", words.cost_quality_title);
        let x_label = format!("{cost} {}", title(cost));
        let y_label = format!("{quality} {}", title(quality));
        let svg = scatter(&Scatter {
            title: &chart_title,
            x_label: &x_label,
            y_label: &y_label,
            everybody: &everybody,
            named: &named,
            medians,
            quadrants,
            legend: &legend,
            source: words.attribution,
            lang: view.lang,
        })?;
        return Ok(Some(Figure {
            set_name: String::new(),
            caption: words
                .cost_quality_caption
                .replace("{n}", &points.len().to_string())
                .replace("{year}", &year.to_string())
                .replace("{cost}", &x_label)
                .replace("{quality}", &y_label),
            svg: String::from_utf8(svg)?,
        }));
    }
    Ok(None)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

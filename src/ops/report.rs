//! The autumn review pack from a saved spec: `report.html` (one
//! self-contained page: coloured tables, trend charts, cost against
//! quality, peers, notes, provenance), `report.xlsx` (print-ready sheets
//! per set, each peer's figures, the tidy table, the source sheet),
//! `data.csv` (the tidy table) and `peers.csv` (each peer's own figures).
//! Swedish unless `--lang en` or the spec's `lang`.
//!
//! Every set is planned first, all figures (the cost-vs-quality pair
//! included) are fetched in one go, each set is ranked in the country
//! once, and then every member, peer group and section reads from that.

use std::path::Path;

use anyhow::Result;

use super::compare::{computes_group_values, section};
use super::peer_values::{distinct, peer_values, Asked};
use super::plan::{
    check_comparable, fetch_and_settle, plan_members, plan_set, subject_peers, Figures, Request,
    SetPlan, SubjectPeers,
};
use super::Context;
use crate::analysis::kpi::{Bands, KpiPlan};
use crate::analysis::national::{value_rows, Medians};
use crate::analysis::row::{compared_table, ComparedRow};
use crate::analysis::summary::{spreads, Spreads};
use crate::analysis::table::Table;
use crate::base::error;
use crate::base::manifest::FolderKind;
use crate::base::write::{folder_target, write_dir, write_file};
use crate::document::peer_values::{tidy as peers_tidy, PeerValues};
use crate::document::provenance::review_provenance;
use crate::document::review::{peers_title, Figure, Kind, KpiPage, PeerGroup, Review, Section};
use crate::model::lang::Lang;
use crate::model::peers::Peers;
use crate::model::scale::Scale;
use crate::model::years::format_years;
use crate::model::{Gender, Municipality, Observation};
use crate::refdata::IndicatorSet;
use crate::render::charts::{
    bars_svg, kpi_trend, panels_svg, Bar, Bars, ChartFormat, Member, Panel, Panels, Role,
};
use crate::render::exports::write_csv;
use crate::render::html::html;
use crate::render::pdf::Browser;
use crate::render::workbook::review_workbook;
use crate::resolve::spec::{load, Spec, Subject};

mod brief;
mod cost_quality;
mod explain;

/// The review, the tidy table of all its sections (with a `set` column)
/// and each peer's own figures, tidy.
pub(crate) struct Pack {
    pub review: Review,
    pub tidy: Table,
    pub peers: Table,
}

/// One set's comparisons: who is compared with whom.
struct Part<'s> {
    set: &'s IndicatorSet,
    /// The set planned for the municipalities (and for regions, when some
    /// subject is one).
    plans: Vec<SetPlan>,
    /// Each municipality (or each of its peer groups) of the set, with its plan.
    subjects: Vec<(usize, SubjectPeers)>,
    /// For a network: its name; its members are the subjects.
    network: Option<String>,
}

/// The review pack of a spec file.
pub(crate) fn build(spec_path: &Path, lang: Option<Lang>, cx: &Context) -> Result<Pack> {
    let spec = load(spec_path, cx.catalogue, cx.refdata)?;
    let lang = lang.or(spec.lang).unwrap_or_default();
    let parts = spec
        .sets
        .iter()
        .map(|set| plan_part(set, &spec, cx))
        .collect::<Result<Vec<_>>>()?;
    let compared = compare_parts(parts, lang, cx)?;
    let cost_quality = match &spec.cost_quality {
        Some((cost, quality)) => {
            let view = cost_quality::View {
                cost,
                quality,
                years: &compared.years_shown,
                highlighted: &compared.highlighted,
                peers_title: &compared.highlighted_title,
                subject: &spec.subject,
                sets: &spec.sets,
                lang,
            };
            cost_quality::figure(&view, cx)?
        }
        None => None,
    };
    let explanations = explain::explanations(&spec, lang, cx)?;
    let populations = brief::populations(&spec, &compared.years_shown, lang, cx)?;
    let tables: Vec<&[ComparedRow]> = compared.sections.iter().map(|s| &s.table[..]).collect();
    let computed = computes_group_values(&tables, cx);
    let review = Review {
        title: spec.title.clone(),
        subtitle: subtitle(&spec, &compared.years_shown, lang),
        sections: compared.sections,
        figures: compared.figures,
        cost_quality,
        explanations,
        spreads: compared.spreads,
        kpi_pages: compared.kpi_pages,
        provenance: review_provenance(
            cx.catalogue.source(),
            &kpi_titles(&spec, cx),
            computed,
            Some(spec_path),
        ),
        lang,
        brief_peers: spec.brief_peers.clone(),
        populations,
        peer_values: compared.peer_values,
    };
    let tidy = tidy_table(&review)?;
    let peers = peers_tidy(&review.peer_values)?;
    Ok(Pack {
        review,
        tidy,
        peers,
    })
}

/// Whether `dir` can take a pack, before any work is done.
pub(crate) fn check_target(dir: &Path) -> Result<()> {
    folder_target(dir, FolderKind::Report).map(|_| ())
}

/// Write the pack's files into `dir` (report.pdf too, printed by
/// `browser`), built aside and put in place whole; a folder is replaced
/// only when it holds nothing but a pack nyckeltal wrote, unchanged. The
/// PDF is in the folder's manifest, so the folder can be written again.
pub(crate) fn write(pack: &Pack, dir: &Path, browser: Option<&Browser>) -> Result<()> {
    let mut csv = Vec::new();
    write_csv(&mut csv, &pack.tidy, false)?;
    let mut peers = Vec::new();
    write_csv(&mut peers, &pack.peers, false)?;
    let xlsx = review_workbook(&pack.review, &pack.tidy)?;
    let page = html(&pack.review);
    write_dir(dir, FolderKind::Report, |folder| {
        write_file(folder, "report.html", page.as_bytes())?;
        write_file(folder, "report.xlsx", &xlsx)?;
        write_file(folder, "data.csv", &csv)?;
        write_file(folder, "peers.csv", &peers)?;
        match browser {
            Some(browser) => browser.print(&folder.join("report.html"), &folder.join("report.pdf")),
            None => Ok(()),
        }
    })
}

/// A set planned, with its subjects: the municipality against each of its
/// peer groups; every member of a network against the others; or, for a
/// region-level set in a county network's review, its region against the
/// other regions.
fn plan_part<'s>(set: &'s IndicatorSet, spec: &Spec, cx: &Context) -> Result<Part<'s>> {
    let set_ref = if set.origin.builtin {
        set.name.clone()
    } else {
        set.origin.path.clone()
    };
    let request = Request {
        set: Some(&set_ref),
        kpis: None,
        years: spec.years.clone(),
        default_years: 5,
        gender: Gender::T,
    };
    let auto = vec!["auto".to_string()];
    let (single, network): (Option<(&Municipality, &[String])>, _) = match &spec.subject {
        Subject::Municipality {
            municipality,
            peers,
        } => (Some((municipality, peers.for_set(&set.name))), None),
        Subject::Network {
            region: Some(region),
            ..
        } if set.level == crate::model::scale::Level::Region => {
            (Some((region, auto.as_slice())), None)
        }
        Subject::Network { label, members, .. } => (None, Some((label, members))),
    };
    if let Some((municipality, peer_specs)) = single {
        check_comparable(municipality)?;
        let mut plan = plan_set(&request, municipality.is_region(), cx)?;
        let mut subjects = Vec::new();
        for peer_spec in peer_specs {
            subjects.push((0, subject_peers(municipality, peer_spec, &mut plan, cx)?));
        }
        return Ok(Part {
            set,
            plans: vec![plan],
            subjects,
            network: None,
        });
    }
    let (label, members) =
        network.ok_or_else(|| error::usage("a spec reviews a municipality or a network"))?;
    let (mut plans, plan_of) = plan_members(&request, members, cx)?;
    let mut subjects = Vec::new();
    for (member, plan) in members.iter().zip(plan_of) {
        let others: Vec<&str> = members
            .iter()
            .filter(|m| m.id != member.id)
            .map(|m| m.id.as_str())
            .collect();
        let peers = subject_peers(member, &others.join(","), &mut plans[plan], cx)?;
        subjects.push((plan, peers));
    }
    Ok(Part {
        set,
        plans,
        subjects,
        network: Some(label.clone()),
    })
}

/// Every set's sections and trend charts, and what the cost-vs-quality
/// view names.
struct Compared {
    sections: Vec<Section>,
    figures: Vec<Figure>,
    years_shown: Vec<i32>,
    /// The national spread per KPI and year of every set, for the summary.
    spreads: Spreads,
    kpi_pages: Vec<KpiPage>,
    /// Named in the cost-quality view: (id, role), the reviewed first.
    highlighted: Vec<(String, Role)>,
    highlighted_title: String,
    /// Per set and KPI each peer's own figures.
    peer_values: Vec<PeerValues>,
}

fn compare_parts(parts: Vec<Part>, lang: Lang, cx: &Context) -> Result<Compared> {
    // Each set's figures fetched and ranked once, then every comparison of it.
    let mut settled = Vec::new();
    for part in parts {
        let figures = part
            .plans
            .into_iter()
            .map(|plan| fetch_and_settle(plan, Bands::Quartiles, false, cx))
            .collect::<Result<Vec<_>>>()?;
        settled.push((part.set, part.subjects, part.network, figures));
    }
    let steps: usize = settled.iter().map(|(_, subjects, ..)| subjects.len()).sum();
    cx.progress.begin("computing");
    cx.progress.add_work(steps as u64, "comparisons");
    let mut compared = Compared {
        sections: Vec::new(),
        figures: Vec::new(),
        years_shown: Vec::new(),
        spreads: Spreads::new(),
        kpi_pages: Vec::new(),
        highlighted: Vec::new(),
        highlighted_title: String::new(),
        peer_values: Vec::new(),
    };
    for (set, subjects, network, figures) in settled {
        if let Some((plan, _)) = subjects.last() {
            compared.years_shown = figures[*plan].years.clone();
        }
        for f in figures.iter().rev() {
            compared.spreads.extend(spreads(&f.national.values));
        }
        match network {
            None => single_sections(set, &subjects, &figures, lang, &mut compared, cx)?,
            Some(label) => {
                network_section(set, &label, &subjects, &figures, &mut compared, cx)?;
                let charts = member_panels(set, &compared.sections, &figures, lang)?;
                compared.figures.extend(charts);
            }
        }
    }
    cx.progress.end();
    Ok(compared)
}

/// A municipality against each of its peer groups: a section each, and a
/// trend chart per KPI with every group's mean.
fn single_sections(
    set: &IndicatorSet,
    subjects: &[(usize, SubjectPeers)],
    figures: &[Figures],
    lang: Lang,
    compared: &mut Compared,
    cx: &Context,
) -> Result<()> {
    let mut tables = Vec::new();
    for (plan, subject) in subjects {
        let (kpis, table) = figures[*plan].compare(subject)?;
        let first = subject
            .first()
            .cloned()
            .ok_or_else(|| error::usage(format!("the set {} has no KPIs", set.name)))?;
        if compared.highlighted.is_empty() {
            compared.highlighted_title = peers_title(&first, lang.words());
            compared
                .highlighted
                .push((subject.municipality.id.clone(), Role::Municipality));
            compared
                .highlighted
                .extend(first.members.iter().map(|m| (m.clone(), Role::Peers(0))));
        }
        let info = set.info();
        let done = section(
            &info,
            &subject.municipality,
            kpis.clone(),
            table.clone(),
            &subject.spec,
            cx,
        );
        compared.sections.push(done);
        tables.push((kpis, table));
        cx.progress.advance(1);
    }
    if let (Some((plan, subject)), Some((kpis, _))) = (subjects.first(), tables.first()) {
        // Each KPI's groups, one per comparison of the set.
        let groups = |kpi: &KpiPlan| {
            distinct(tables.iter().filter_map(|(kpis, _)| {
                kpis.iter()
                    .find(|k| k.id == kpi.id)
                    .map(|k| k.peers.clone())
            }))
        };
        let asked = Asked {
            set: &set.name,
            kpis,
            own: Some(&subject.municipality),
            groups: &groups,
            figures,
        };
        compared.peer_values.extend(peer_values(&asked, cx));
        let charts = trend_figures(set, &subject.municipality, &tables, &figures[*plan], lang)?;
        compared.figures.extend(charts);
        let pages = kpi_pages(
            set,
            &subject.municipality,
            &tables,
            &figures[*plan],
            lang,
            cx,
        )?;
        compared.kpi_pages.extend(pages);
    }
    Ok(())
}

/// Every member of a network in one table, each against the others.
fn network_section(
    set: &IndicatorSet,
    label: &str,
    subjects: &[(usize, SubjectPeers)],
    figures: &[Figures],
    compared: &mut Compared,
    cx: &Context,
) -> Result<()> {
    let mut table: Vec<ComparedRow> = Vec::new();
    let mut kpis = Vec::new();
    let others = format!("{label} (the other members)");
    for (plan, subject) in subjects {
        let (subject_kpis, part) = figures[*plan].compare(subject)?;
        table.extend(part.into_iter().map(|row| ComparedRow {
            peer_group: others.clone(),
            ..row
        }));
        kpis = subject_kpis;
        cx.progress.advance(1);
    }
    if subjects.is_empty() {
        return Err(error::usage("a network review needs members"));
    }
    compared.highlighted = subjects
        .iter()
        .map(|(_, s)| (s.municipality.id.clone(), Role::Peers(0)))
        .collect();
    let members = PeerGroup {
        peers: Peers {
            label: label.to_string(),
            title: label.to_string(),
            members: subjects
                .iter()
                .map(|(_, s)| s.municipality.id.clone())
                .collect(),
            left_out: None,
            group: None,
        },
        names: subjects
            .iter()
            .map(|(_, s)| s.municipality.title.clone())
            .collect(),
    };
    let asked = Asked {
        set: &set.name,
        kpis: &kpis,
        own: None,
        groups: &|_| vec![members.peers.clone()],
        figures,
    };
    compared.peer_values.extend(peer_values(&asked, cx));
    compared.sections.push(Section {
        set: set.info(),
        subject: label.to_string(),
        region: false,
        groups: vec![members],
        kpis,
        table,
        kind: Kind::Network,
        peer_spec: String::new(),
    });
    Ok(())
}

/// A page per KPI: each peer's own value in the municipality's latest
/// year with a figure, as bars with the first group's mean.
fn kpi_pages(
    set: &IndicatorSet,
    municipality: &Municipality,
    tables: &[(Vec<KpiPlan>, Vec<ComparedRow>)],
    figures: &Figures,
    lang: Lang,
    cx: &Context,
) -> Result<Vec<KpiPage>> {
    let Some((kpis, table)) = tables.first() else {
        return Ok(Vec::new());
    };
    let values = &figures.national.values;
    let mut pages = Vec::new();
    for kpi in kpis {
        let latest = table
            .iter()
            .filter(|r| r.kpi == kpi.id && r.value.is_some())
            .max_by_key(|r| r.year);
        let bars = match latest {
            Some(row) if !matches!(kpi.scale, Scale::Category | Scale::Total) => {
                peer_bars(kpi, municipality, tables, values, row.year, lang, cx)?
                    .map(|svg| (i64::from(row.year), svg))
            }
            _ => None,
        };
        pages.push(KpiPage {
            set_name: set.name.clone(),
            kpi: kpi.id.clone(),
            bars,
        });
    }
    Ok(pages)
}

/// The municipality and every member of its peer groups for one KPI and
/// year, largest first, each bar told apart by its group, each group with
/// its own mean.
fn peer_bars(
    kpi: &KpiPlan,
    municipality: &Municipality,
    tables: &[(Vec<KpiPlan>, Vec<ComparedRow>)],
    values: &[Observation],
    year: i32,
    lang: Lang,
    cx: &Context,
) -> Result<Option<String>> {
    let words = lang.words();
    // Each group with its members, its name and its mean that year.
    let mut groups: Vec<(Vec<String>, String, Option<f64>)> = Vec::new();
    for (kpis, table) in tables {
        let Some(k) = kpis.iter().find(|k| k.id == kpi.id) else {
            continue;
        };
        let mean = table
            .iter()
            .find(|r| r.kpi == kpi.id && r.year == year)
            .and_then(|r| r.peer_mean);
        groups.push((k.peers.members.clone(), peers_title(&k.peers, words), mean));
    }
    let member = |id: &str| {
        if id == municipality.id {
            return Some(Member::Own);
        }
        let of: Vec<usize> = (0..groups.len())
            .filter(|&n| groups[n].0.iter().any(|m| m == id))
            .collect();
        match of.as_slice() {
            [] => None,
            [one] => Some(Member::Group(*one)),
            _ => Some(Member::Several),
        }
    };
    let mut bars: Vec<Bar> = value_rows(values)
        .filter(|(k, _, y, _)| *k == kpi.id && *y == year)
        .filter_map(|(_, id, _, value)| {
            Some(Bar {
                name: cx.catalogue.name(id),
                value,
                member: member(id)?,
            })
        })
        .collect();
    if bars.len() < 2 {
        return Ok(None);
    }
    bars.sort_by(|a, b| b.value.total_cmp(&a.value));
    let title = format!("{} {} {year}", kpi.id, kpi.label_in(lang));
    let groups: Vec<(String, Option<f64>)> = groups
        .into_iter()
        .map(|(_, name, mean)| (name, mean))
        .collect();
    Ok(Some(bars_svg(&Bars {
        title: &title,
        unit: &kpi.unit,
        bars: &bars,
        groups: &groups,
        lang,
    })?))
}

/// Per KPI of a network's section: every member's line against the
/// others' mean and the national median, a panel each on one scale.
fn member_panels(
    set: &IndicatorSet,
    sections: &[Section],
    figures: &[Figures],
    lang: Lang,
) -> Result<Vec<Figure>> {
    let Some(section) = sections.last().filter(|s| s.is_network()) else {
        return Ok(Vec::new());
    };
    let Some(national) = figures.first() else {
        return Ok(Vec::new());
    };
    let medians = Medians::of(&national.national.values);
    let mut out = Vec::new();
    for kpi in section.shown_kpis() {
        if kpi.scale == Scale::Category {
            continue;
        }
        let total = kpi.scale == Scale::Total;
        let mut panels: Vec<Panel> = Vec::new();
        for row in section.table.iter().filter(|r| r.kpi == kpi.id) {
            let name = row.municipality.clone();
            let year = row.year;
            if !panels.iter().any(|p| p.name == name) {
                panels.push(Panel {
                    name: name.clone(),
                    own: Vec::new(),
                    others: Vec::new(),
                });
            }
            let Some(panel) = panels.iter_mut().find(|p| p.name == name) else {
                continue;
            };
            panel.own.extend(row.value.map(|v| (year, v)));
            if !total {
                panel.others.extend(row.peer_mean.map(|v| (year, v)));
            }
        }
        for panel in &mut panels {
            panel.own.sort_by_key(|(y, _)| *y);
            panel.others.sort_by_key(|(y, _)| *y);
        }
        let median: Vec<(i32, f64)> = medians
            .series(&kpi.id)
            .into_iter()
            .filter(|(y, _)| national.years.contains(y) && !total)
            .collect();
        let title = format!("{} {}", kpi.id, kpi.label_in(lang));
        let svg = panels_svg(&Panels {
            title: &title,
            unit: &kpi.unit,
            panels: &panels,
            median: &median,
            breaks: &kpi.breaks,
            from_zero: kpi.scale != Scale::Signed,
            lang,
        })?;
        out.push(Figure {
            wide: true,
            set_name: set.name.clone(),
            caption: format!("{} — {}", kpi.id, kpi.title),
            svg,
        });
    }
    Ok(out)
}

/// Per KPI: the municipality, each peer group's mean and the national
/// median over the years.
fn trend_figures(
    set: &IndicatorSet,
    municipality: &Municipality,
    tables: &[(Vec<KpiPlan>, Vec<ComparedRow>)],
    figures: &Figures,
    lang: Lang,
) -> Result<Vec<Figure>> {
    let Some((first_kpis, first_table)) = tables.first() else {
        return Ok(Vec::new());
    };
    let medians = Medians::of(&figures.national.values);
    let mut out = Vec::new();
    for kpi in first_kpis {
        // Each peer group's mean: the tables hold the same KPIs, each with its group.
        let peers: Vec<(&Peers, Vec<(i32, f64)>)> = tables
            .iter()
            .filter_map(|(kpis, table)| {
                let peers = &kpis.iter().find(|k| k.id == kpi.id)?.peers;
                Some((peers, series_of(table, &kpi.id, |r| r.peer_mean)))
            })
            .collect();
        let median: Vec<(i32, f64)> = medians
            .series(&kpi.id)
            .into_iter()
            .filter(|(y, _)| figures.years.contains(y))
            .collect();
        let own = series_of(first_table, &kpi.id, |r| r.value);
        let region = municipality.is_region();
        let chart = kpi_trend(
            kpi,
            &municipality.title,
            region,
            &peers,
            own,
            median,
            lang,
            ChartFormat::Svg,
        )?;
        let Some(svg) = chart else {
            continue;
        };
        out.push(Figure {
            wide: false,
            set_name: set.name.clone(),
            caption: format!("{} — {}", kpi.id, kpi.title),
            svg: String::from_utf8(svg)?,
        });
    }
    Ok(out)
}

/// "Tjörn · år 2018–2022", or the network with its size and region.
fn subtitle(spec: &Spec, years: &[i32], lang: Lang) -> String {
    let words = lang.words();
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
    format!(
        "{subject} · {} {}",
        words.years,
        format_years(years).replace('-', "–")
    )
}

/// Every KPI of the spec's sets with Kolada's title, for the provenance.
fn kpi_titles(spec: &Spec, cx: &Context) -> Vec<(String, String)> {
    spec.sets
        .iter()
        .flat_map(|s| s.entries.iter())
        .map(|e| {
            let title = cx.catalogue.kpi(&e.kpi).ok().flatten().map(|k| k.title);
            (e.kpi.clone(), title.unwrap_or_default())
        })
        .collect()
}

/// One KPI's series of one figure: (year, figure) where there is one.
fn series_of(
    table: &[ComparedRow],
    kpi: &str,
    figure: fn(&ComparedRow) -> Option<f64>,
) -> Vec<(i32, f64)> {
    table
        .iter()
        .filter(|r| r.kpi == kpi)
        .filter_map(|r| Some((r.year, figure(r)?)))
        .collect()
}

/// The tidy table of every section, with its set, for data.csv and the workbook.
fn tidy_table(review: &Review) -> Result<Table> {
    if review.sections.is_empty() {
        return Err(error::usage("the spec gives nothing to report"));
    }
    let mut all = Table::default();
    for section in &review.sections {
        all.append(&compared_table(&section.table).with_first("set", &section.set.name))?;
    }
    Ok(all)
}

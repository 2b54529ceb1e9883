//! The review pack as one self-contained HTML page: coloured tables, SVG
//! trend charts, the cost-vs-quality view, peers and provenance. No
//! scripts, no external files: it opens offline in any browser.

use maud::{html, Markup, PreEscaped, DOCTYPE};
use polars::prelude::DataFrame;

use crate::analysis::KpiPlan;
use crate::view::{Cells, RowText};

/// One comparison table: a set against one peer group (or a whole network).
pub struct Section {
    pub set_name: String,
    pub set_title: String,
    pub peers_label: String,
    pub peer_names: Vec<String>,
    pub kpis: Vec<KpiPlan>,
    /// `analysis::COLUMNS`; several municipalities for a network.
    pub table: DataFrame,
    pub network: bool,
}

pub struct Figure {
    pub set_name: String,
    pub caption: String,
    pub svg: String,
}

pub struct Report {
    pub title: String,
    pub subtitle: String,
    pub sections: Vec<Section>,
    pub figures: Vec<Figure>,
    pub cost_quality: Option<Figure>,
    pub provenance: Vec<String>,
}

const CSS: &str = r#"
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2rem auto; max-width: 1200px; color: #222; padding: 0 1rem; }
h1 { margin-bottom: .2rem; } .sub { color: #555; margin-top: 0; }
nav ul { list-style: none; padding: 0; display: flex; gap: 1.5rem; flex-wrap: wrap; }
section { margin-top: 2.5rem; border-top: 2px solid #005eb8; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; font-size: .92rem; }
th, td { padding: .35rem .5rem; border-bottom: 1px solid #ddd; text-align: right; white-space: nowrap; }
td.text { white-space: normal; }
th { background: #f2f5f9; } td.text, th.text { text-align: left; }
td.band { text-align: center; font-weight: bold; border-radius: 3px; }
.green { background: #c8e6c9; color: #1b5e20; } .yellow { background: #fff3c4; color: #7a5b00; }
.red { background: #ffcdd2; color: #b71c1c; } .grey { background: #eee; color: #777; } .none { color: #777; }
.members { color: #555; font-size: .9rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 1rem; }
figure { margin: 0; } figure svg { width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .85rem; color: #555; }
footer { margin-top: 3rem; font-size: .85rem; color: #444; border-top: 1px solid #ccc; }
"#;

pub fn html(report: &Report) -> String {
    let mut sets: Vec<(&str, &str)> = Vec::new();
    for s in &report.sections {
        if !sets.iter().any(|(n, _)| *n == s.set_name) {
            sets.push((&s.set_name, &s.set_title));
        }
    }
    html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (report.title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header {
                    h1 { (report.title) }
                    p.sub { (report.subtitle) }
                    nav { ul {
                        @for (name, title) in &sets { li { a href={ "#" (name) } { (title) } } }
                        @if report.cost_quality.is_some() { li { a href="#cost-quality" { "Cost and quality" } } }
                    } }
                }
                @for (name, title) in &sets {
                    section id=(name) {
                        h2 { (title) }
                        @for section in report.sections.iter().filter(|s| s.set_name == *name) {
                            @if section.network {
                                h3 { "Every member of " (section.peers_label) }
                                (network_tables(section))
                            } @else {
                                h3 { "Compared with " (section.peers_label) }
                                p.members { "Peers: " (section.peer_names.join(", ")) }
                                (compare_table(section))
                            }
                        }
                        div.charts {
                            @for figure in report.figures.iter().filter(|f| f.set_name == *name) {
                                figure { (PreEscaped(&figure.svg)) figcaption { (figure.caption) } }
                            }
                        }
                    }
                }
                @if let Some(figure) = &report.cost_quality {
                    section id="cost-quality" {
                        h2 { "Cost and quality" }
                        figure { (PreEscaped(&figure.svg)) figcaption { (figure.caption) } }
                    }
                }
                footer {
                    @for line in &report.provenance { p { (line) } }
                    p { "* preliminary: Kolada publishes the final figures later. Bands: green = best 25% of the 290 municipalities in the KPI's direction, red = worst 25%, yellow between, grey = no figure. Peer statistics never include the municipality itself." }
                }
            }
        }
    }
    .into_string()
}

/// The figure cells of a comparison row, the band coloured.
fn figures(row: &RowText) -> Markup {
    html! {
        td { (row.value) } td { (row.peer_mean) } td { (row.vs_peers) }
        td { (row.rank_in_peers) } td { (row.rank_national) }
        td class={ "band " (row.band) } { (row.band) }
        td { (row.change) }
    }
}

/// The latest year per KPI for one municipality against one peer group.
fn compare_table(section: &Section) -> Markup {
    let cells = Cells(&section.table);
    html! {
        table {
            thead { tr {
                th.text { "KPI" } th { "year" } th { "value" } th { "peer mean" } th { "vs peers" }
                th { "rank in peers" } th { "rank in Sweden" } th { "band" } th { "change on last year" }
            } }
            tbody {
                @for kpi in &section.kpis {
                    @if let Some(row) = (0..section.table.height()).rev().find(|&r| cells.text("kpi", r) == kpi.id) {
                        tr {
                            td.text { b { (kpi.id) } " " (kpi.label) @if !kpi.unit.is_empty() { ", " (kpi.unit) } }
                            td { (cells.text("year", row)) @if cells.flag("preliminary", row) { "*" } }
                            (figures(&cells.summary(row)))
                        }
                    }
                }
            }
        }
    }
}

/// The rows of one KPI and year, best rank among the peers first.
fn ranked_rows(cells: &Cells, height: usize, kpi: &str, year: Option<i64>) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..height)
        .filter(|&r| cells.text("kpi", r) == kpi && cells.int("year", r) == year)
        .collect();
    rows.sort_by_key(|&r| {
        (
            cells.int("rank_in_peers", r).unwrap_or(i64::MAX),
            cells.text("municipality", r),
        )
    });
    rows
}

/// Per KPI, every member of the network in the latest year, best first.
fn network_tables(section: &Section) -> Markup {
    let cells = Cells(&section.table);
    html! {
        @for kpi in &section.kpis {
            @let latest = (0..section.table.height()).filter(|&r| cells.text("kpi", r) == kpi.id).filter_map(|r| cells.int("year", r)).max();
            @let rows = ranked_rows(&cells, section.table.height(), &kpi.id, latest);
            h4 { (kpi.id) " " (kpi.label) @if !kpi.unit.is_empty() { ", " (kpi.unit) } " — " (latest.map(|y| y.to_string()).unwrap_or_default()) }
            table {
                thead { tr {
                    th.text { "municipality" } th { "value" } th { "mean of the others" } th { "vs them" }
                    th { "rank in network" } th { "rank in Sweden" } th { "band" } th { "change on last year" }
                } }
                tbody {
                    @for row in rows {
                        tr {
                            td.text { (cells.text("municipality", row)) @if cells.flag("preliminary", row) { " *" } }
                            (figures(&cells.summary(row)))
                        }
                    }
                }
            }
        }
    }
}

//! The review as one self-contained HTML page: coloured tables, SVG trend
//! charts, the cost-vs-quality view, peers, notes and provenance. No
//! scripts, no external files: it opens offline in any browser and prints.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::reading::{rank_text, Reading, Shown};
use super::review::{level_counts, Review, Section};
use super::words::Words;
use crate::analysis::cells::Cells;
use crate::analysis::kpi::KpiPlan;
use crate::model::lang::Lang;

const CSS: &str = r#"
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2rem auto; max-width: 1200px; color: #222; padding: 0 1rem; }
h1 { margin-bottom: .2rem; } .sub { color: #555; margin-top: 0; }
nav ul { list-style: none; padding: 0; display: flex; gap: 1.5rem; flex-wrap: wrap; }
section { margin-top: 2.5rem; border-top: 2px solid #005eb8; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; font-size: .92rem; }
th, td { padding: .35rem .5rem; border-bottom: 1px solid #ddd; text-align: right; white-space: nowrap; }
th { background: #f2f5f9; white-space: normal; vertical-align: bottom; }
td.text, th.text { text-align: left; white-space: normal; }
td.band { text-align: center; font-weight: bold; border-radius: 3px; }
.green { background: #c8e6c9; color: #1b5e20; } .yellow { background: #fff3c4; color: #7a5b00; }
.red { background: #ffcdd2; color: #b71c1c; } .grey { background: #eee; color: #777; } .none { color: #777; }
.members, .note, .levels { color: #555; font-size: .9rem; }
.missing { color: #555; font-size: .9rem; background: #f7f7f7; border-left: 3px solid #bbb; padding: .4rem .7rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 1rem; }
figure { margin: 0; } figure svg { width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .85rem; color: #555; }
footer { margin-top: 3rem; font-size: .85rem; color: #444; border-top: 1px solid #ccc; }
@media print { section { break-before: page; } figure { break-inside: avoid; } body { margin: 0; max-width: none; } }
"#;

pub(crate) fn html(review: &Review) -> String {
    let lang = review.lang;
    let words = lang.words();
    let sets = review.sets();
    let all: Vec<&Section> = review.sections.iter().collect();
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (review.title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header {
                    h1 { (review.title) }
                    p.sub { (review.subtitle) }
                    nav { ul {
                        @for (name, title) in &sets { li { a href={ "#" (name) } { (title) } } }
                        @if review.cost_quality.is_some() { li { a href="#cost-quality" { (words.cost_quality) } } }
                    } }
                }
                @for (name, title) in &sets {
                    @let sections: Vec<&Section> = review.sections.iter().filter(|s| s.set_name == *name).collect();
                    section id=(name) {
                        h2 { (title) }
                        @for section in &sections {
                            @if section.network {
                                h3 { (words.every_member_of) " " (section.peers_title) }
                                (network_tables(section, lang))
                            } @else {
                                h3 { (words.compared_with) " " (section.peers_title) }
                                p.members { (words.peers_are) ": " (section.peer_names.join(", ")) }
                                (compare_table(section, lang))
                            }
                        }
                        div.charts {
                            @for figure in review.figures.iter().filter(|f| f.set_name == *name) {
                                figure { (PreEscaped(&figure.svg)) figcaption { (figure.caption) } }
                            }
                        }
                        @for (kpi, year) in sections.first().map(|s| s.breaks_shown()).unwrap_or_default() {
                            p.note { (words.note_break.replace("{kpi}", &kpi).replace("{year}", &year.to_string())) }
                        }
                        @for note in review.absent_notes(&sections[..1.min(sections.len())]) {
                            p.note { (note) }
                        }
                        @if let Some(text) = sections.first().and_then(|s| s.not_measured.as_ref()) {
                            p.missing { b { (words.not_measured) ": " } (text) }
                        }
                    }
                }
                @if let Some(figure) = &review.cost_quality {
                    section id="cost-quality" {
                        h2 { (words.cost_quality) }
                        figure { (PreEscaped(&figure.svg)) figcaption { (figure.caption) } }
                    }
                }
                footer {
                    h3 { (words.how_to_read) }
                    @for note in review.notes(&all) { p { (note) } }
                    @for line in review.provenance.lines(lang) { p { (line) } }
                }
            }
        }
    }
    .into_string()
}

/// The figure cells of a reading, the band coloured.
fn figures(reading: &Reading, lang: Lang) -> Markup {
    let words = lang.words();
    let text = |shown: &Shown| shown.text(lang.numbers(), words);
    html! {
        td { (text(&reading.value)) }
        td.(if matches!(reading.peers, Shown::Text(_)) { "text" } else { "" }) { (text(&reading.peers)) }
        td { (text(&reading.vs_peers)) }
        td { (rank_text(reading.rank_in_peers)) } td { (rank_text(reading.rank_national)) }
        td class={ "band " (reading.band.code()) } { (reading.band.name(words)) }
        td { (text(&reading.change)) }
    }
}

fn kpi_name(kpi: &KpiPlan) -> Markup {
    html! { b { (kpi.id) } " " (kpi.label) @if !kpi.unit.is_empty() { ", " (kpi.unit) } }
}

/// The latest year per KPI for one municipality against one peer group.
fn compare_table(section: &Section, lang: Lang) -> Markup {
    let words = lang.words();
    html! {
        table {
            thead { tr {
                th.text { (words.kpi) } th { (words.year) } th { (words.value) } th { (words.peer_mean) }
                th { (words.vs_peers) } th { (words.rank_in_peers) } th { (words.rank_national) }
                th { (words.band) } th { (words.change) }
            } }
            tbody {
                @for kpi in section.shown_kpis() {
                    @if let Some(&row) = section.rows(&kpi.id).last() {
                        @let reading = section.reading(row, kpi, words);
                        tr {
                            td.text { (kpi_name(kpi)) }
                            td { (year(&reading)) }
                            (figures(&reading, lang))
                        }
                    }
                }
            }
        }
    }
}

fn year(reading: &Reading) -> String {
    format!(
        "{}{}",
        reading.year.map(|y| y.to_string()).unwrap_or_default(),
        if reading.preliminary { "*" } else { "" }
    )
}

/// Per KPI, every member of the network in the latest year, best first.
fn network_tables(section: &Section, lang: Lang) -> Markup {
    let words: &Words = lang.words();
    let cells = Cells(&section.table);
    html! {
        @for kpi in section.shown_kpis() {
            @let rows = section.ranked_rows(kpi);
            @let latest = section.latest_year(&kpi.id);
            h4 { (kpi_name(kpi)) " — " (latest.map(|y| y.to_string()).unwrap_or_default()) }
            @if let Some(counts) = level_counts(section, kpi, &rows, words) {
                p.levels { (counts) }
            }
            table {
                thead { tr {
                    th.text { (words.municipality) } th { (words.value) } th { (words.mean_of_others) }
                    th { (words.vs_others) } th { (words.rank_in_network) } th { (words.rank_national) }
                    th { (words.band) } th { (words.change) }
                } }
                tbody {
                    @for row in rows {
                        @let reading = section.reading(row, kpi, words);
                        tr {
                            td.text { (cells.text("municipality", row)) @if reading.preliminary { " *" } }
                            (figures(&reading, lang))
                        }
                    }
                }
            }
        }
    }
}

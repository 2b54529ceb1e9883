//! The review as one self-contained HTML page: coloured tables, SVG trend
//! charts, the cost-vs-quality view, peers, notes and provenance. No
//! scripts, no external files: it opens offline in any browser and prints
//! on A4 (landscape: the tables are wide), each heading kept with its table.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::explain::explain_section;
use super::kpi_pages::kpi_pages_section;
use super::years::{network_years, single_years};
use crate::analysis::kpi::KpiPlan;
use crate::document::brief::{brief, Brief};
use crate::document::reading::{rank_text, Band, Reading, Shown};
use crate::document::review::{direction_text, level_counts, Figure, PeerGroup, Review, Section};
use crate::document::summary::member_summaries;
use crate::document::words::Words;
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
td.name { min-width: 14rem; }
td.diff { white-space: normal; min-width: 6rem; }
td.judgement { text-align: left; white-space: normal; font-size: .8rem; color: #444; min-width: 9rem; }
td.band { text-align: center; font-weight: bold; border-radius: 3px; }
.green { background: #c8e6c9; color: #1b5e20; } .yellow { background: #fff3c4; color: #7a5b00; }
.red { background: #ffcdd2; color: #b71c1c; } .grey, .few { background: #eee; color: #666; } .none { color: #777; }
.low { background: #e8eef6; color: #27466b; } .middle { background: #cfdcec; color: #27466b; } .high { background: #a9c1dd; color: #1a2f4a; }
.members, .note, .levels, .kpi-meta { color: #555; font-size: .9rem; }
.missing { color: #555; font-size: .9rem; background: #f7f7f7; border-left: 3px solid #bbb; padding: .4rem .7rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 1rem; }
figure { margin: 0; } .charts figure.wide { grid-column: 1 / -1; } figure svg { width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .85rem; color: #555; }
table.years td, table.years th { padding: .2rem .4rem; }
table.years tr.first td { border-top: 1px solid #999; }
table.years tr.gap td, table.years span.gap { color: #444; font-size: .92em; }
div.kpi-page { margin: 2rem 0; border-top: 1px solid #ccc; }
p.definition { max-width: 70rem; }
div.kpi-charts { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; }
div.kpi-charts svg { width: 100%; height: auto; border: 1px solid #eee; }
ul.summary li { margin: .35rem 0; max-width: 70rem; line-height: 1.35; }
div.how { background: #f2f5f9; border-left: 4px solid #005eb8; padding: .3rem 1rem; margin: .8rem 0; max-width: 70rem; }
div.how h3 { margin: .3rem 0; font-size: 1rem; } div.how ul { margin: .2rem 0; padding-left: 1.2rem; } div.how li { font-size: .9rem; margin: .15rem 0; }
div.area p { max-width: 70rem; line-height: 1.4; margin: .3rem 0; }
p.sentence { font-size: 1.05rem; max-width: 60rem; }
div.chain { margin: 1.5rem 0 2rem; }
div.chain div.split { display: grid; grid-template-columns: minmax(0, 11fr) minmax(0, 9fr); gap: 0 1.5rem; }
div.chain h5 { margin: .4rem 0 .1rem; font-size: .85rem; color: #444; }
@media screen and (max-width: 900px) { div.chain div.split { grid-template-columns: minmax(0, 1fr); } }
figure.waterfall { margin: .3rem 0; }
table.explain, table.explain-years { margin-top: .3rem; }
tr.total td { border-bottom: 2px solid #999; }
footer { margin-top: 1.2rem; font-size: .85rem; color: #444; border-top: 1px solid #ccc; }
footer h3 { font-size: .95rem; margin: .5rem 0 .2rem; } footer p { margin: .15rem 0; }
@page { size: A4 landscape; margin: 12mm 12mm 14mm;
  @bottom-right { content: counter(page) " / " counter(pages); font: 8pt "DejaVu Sans", Arial, sans-serif; color: #555; } }
h2.toc { font-size: 1rem; margin: 1rem 0 .3rem; border: 0; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; padding: 0; }
  /* The sets follow one another without a forced page: a set's notes
     never stand alone on a page. Tables keep their headings (.keep). */
  #members, #cost-quality, #explain, #kpis { break-before: page; }
  section { margin-top: .8rem; }
  section h2 { break-after: avoid; }
  #cost-quality figure svg { max-height: 150mm; width: auto; max-width: 100%; }
  nav ul { display: block; columns: 2; } nav li { margin: .1rem 0; }
  div.member { break-inside: avoid; }
  div.kpi-page { break-before: page; border: 0; margin: 0; }
  #kpis > h2 + div.kpi-page { break-before: avoid; }
  div.kpi-page p.definition { font-size: 9pt; margin: .2rem 0; }
  table.years { font-size: 7.5pt; }
  table.years td, table.years th { padding: .05rem .25rem; }
  div.chain { margin: .3rem 0 .5rem; }
  /* A chain's heading, sentence, waterfall and split stay together; its
     years may follow on the next page, under their own heading. */
  div.chain > .top, div.chain > .years { break-inside: avoid; }
  figure.waterfall svg { max-height: 62mm; width: auto; max-width: 100%; }
  table.explain, table.explain-years { font-size: 7.5pt; margin: .1rem 0 .3rem; }
  table.explain td, table.explain th, table.explain-years td, table.explain-years th { padding: .02rem .25rem; }
  p.sentence { font-size: 10.5pt; margin: .2rem 0; }
  section.brief { font-size: 9.5pt; }
  section.brief h3 { margin: .5rem 0 .15rem; }
  section.brief ul.summary li { margin: .12rem 0; line-height: 1.3; }
  div.how { margin: .3rem 0; padding: .1rem .8rem; } div.how li { margin: .02rem 0; font-size: 8.5pt; }
  div.area p { margin: .15rem 0; line-height: 1.3; }
  h2, h3, h4, h5, p.members, p.levels, p.kpi-meta { break-after: avoid; }
  .keep, figure, tr, .missing, p.note { break-inside: avoid; }
  thead { display: table-header-group; }
  .charts { display: block; }
  .charts figure { width: 49%; display: inline-block; vertical-align: top; }
  .charts figure.wide { width: 100%; display: block; }
  table { font-size: 8.5pt; }
  th, td { padding: .1rem .35rem; }
  h3 { margin: .8rem 0 .3rem; } h4 { margin: .7rem 0 .15rem; }
  p.members, p.kpi-meta, p.levels { margin: 0 0 .2rem; }
  table { margin: .2rem 0 .6rem; }
}
"#;

pub(crate) fn html(review: &Review) -> String {
    let lang = review.lang;
    let words = lang.words();
    let sets = review.sets();
    let all: Vec<&Section> = review.sections.iter().collect();
    let brief = brief(review);
    let members = member_summaries(review);
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
                    nav {
                      h2.toc { (words.contents) }
                      ul {
                        li { a href="#summary" { (words.brief_title) } }
                        @for (name, title) in &sets { li { a href={ "#" (name) } { (title) } } }
                        @if !members.is_empty() { li { a href="#members" { (words.members_title) } } }
                        li { a href="#how" { (words.how_to_read) } }
                        @if review.cost_quality.is_some() { li { a href="#cost-quality" { (words.cost_quality) } } }
                        @if !review.explanations.is_empty() { li { a href="#explain" { (words.explain_title) } } }
                        @if !review.kpi_pages.is_empty() { li { a href="#kpis" { (words.kpi_pages_title) } } }
                      }
                    }
                }
                (brief_section(&brief, words))
                // How to read the tables, before the first of them.
                section id="how" {
                    h2 { (words.how_to_read) }
                    @for note in review.general_notes() { p.note { (note) } }
                    @for note in review.row_notes(&all) { p.note { (note) } }
                    // Where the figures come from, where every reader finds it.
                    footer {
                        h3 { (words.source_sheet) }
                        @for line in review.provenance.lines(lang) { p { (line) } }
                    }
                }
                @for (name, title) in &sets {
                    (set_section(review, name, title))
                }
                @if !members.is_empty() {
                    section id="members" {
                        h2 { (words.members_title) }
                        @for (name, lines) in &members {
                            div.member {
                                h3 { (name) }
                                @if lines.is_empty() { p.note { (words.summary_none) } }
                                ul.summary { @for line in lines { li { (line) } } }
                            }
                        }
                    }
                }
                @if let Some(figure) = &review.cost_quality {
                    section id="cost-quality" {
                        h2 { (words.cost_quality) }
                        figure { (PreEscaped(&figure.svg)) figcaption { (figure.caption) } }
                    }
                }
                @if !review.explanations.is_empty() {
                    (explain_section(&review.explanations, lang))
                }
                @if !review.kpi_pages.is_empty() {
                    (kpi_pages_section(review))
                }

            }
        }
    }
    .into_string()
}

/// The brief a committee reads first: how to read it, a paragraph per
/// area, then what stands out.
fn brief_section(brief: &Brief, words: &Words) -> Markup {
    html! {
        section id="summary" .brief {
            h2 { (words.brief_title) }
            div.how {
                h3 { (words.brief_how_title) }
                ul { @for line in &brief.how_to_read { li { (line) } } }
            }
            @for area in &brief.areas {
                div.area {
                    h3 { (area.title) }
                    @for paragraph in &area.paragraphs { p { (paragraph) } }
                    @for note in &area.notes { p.note { (note) } }
                }
            }
            h3 { (words.brief_standing_out) }
            ul.summary { @for line in &brief.standing_out { li { (line) } } }
            p.note { (words.summary_rule) }
        }
    }
}

/// One set: its tables, its charts, the notes on breaks and what is left
/// out, and what Kolada does not measure.
fn set_section<'a>(review: &'a Review, name: &str, title: &str) -> Markup {
    let lang = review.lang;
    let words = lang.words();
    let sections: Vec<&Section> = review
        .sections
        .iter()
        .filter(|s| s.set.name == name)
        .collect();
    // A KPI an earlier set already shows is shown once, there.
    let earlier: Vec<(String, String)> = sections
        .iter()
        .flat_map(|s| review.shown_earlier(s))
        .collect();
    let skip: Vec<&str> = earlier.iter().map(|(k, _)| k.as_str()).collect();
    let fresh = |kpis: Vec<&'a KpiPlan>| -> Vec<&'a KpiPlan> {
        kpis.into_iter()
            .filter(|k| !skip.contains(&k.id.as_str()))
            .collect()
    };
    html! {
        section id=(name) {
            h2 { (title) }
            @for section in &sections {
                @if section.is_network() {
                    h3 { (words.every_member_of) " " (section.subject) }
                    (network_tables(section, &fresh(section.shown_kpis()), lang))
                } @else {
                    @for (group, kpis) in section.by_group() {
                        @let kpis = fresh(kpis);
                        @if !kpis.is_empty() {
                            (compare_table(section, group, &kpis, review.provenance.computed_groups, lang))
                            (single_years(section, group, &kpis, lang, true))
                        }
                    }
                }
            }
            @for (kpi, set) in &earlier {
                p.note { (words.note_shown_earlier.replace("{kpi}", kpi).replace("{set}", set)) }
            }
            @for note in review.set_notes(&sections) {
                p.note { (note) }
            }
            @if let Some(text) = sections.first().and_then(|s| s.set.not_measured_in(lang)) {
                p.missing { b { (words.not_measured) ": " } (text) }
            }
            // The notes stand under the tables they explain; then the
            // charts, each shown once: here unless its KPI has a page of
            // its own (a municipality's trend charts).
            div.charts {
                @for figure in review.figures.iter().filter(|f| f.set_name == name && !skip.iter().any(|k| f.caption.starts_with(&format!("{k} — "))) && !on_kpi_page(review, f)) {
                    figure.wide[figure.wide] { (PreEscaped(&figure.svg)) figcaption { (figure.caption) } }
                }
            }
        }
    }
}

/// Whether a set's chart stands on its KPI's own page.
fn on_kpi_page(review: &Review, figure: &Figure) -> bool {
    review.kpi_pages.iter().any(|p| {
        p.set_name == figure.set_name && figure.caption.starts_with(&format!("{} — ", p.kpi))
    })
}

/// The figure cells of a reading, the band coloured.
fn figures(reading: &Reading, lang: Lang) -> Markup {
    let words = lang.words();
    let text = |shown: &Shown| shown.text(lang.numbers(), words);
    html! {
        td { (text(&reading.value)) }
        td.(if matches!(reading.peers, Shown::Text(_)) { "text" } else { "" }) { (text(&reading.peers)) }
        td.diff { (text(&reading.vs_peers)) }
        td { (rank_text(reading.rank_in_peers)) } td { (rank_text(reading.rank_national)) }
        td { (coverage_text(reading.coverage, words)) }
        td class={ "band " (reading.band.code()) } { (reading.band.name(words)) }
    }
}

/// "289 av 290", or "–".
pub(crate) fn coverage_text(coverage: Option<(i64, i64)>, words: &Words) -> String {
    coverage
        .map(|(n, total)| format!("{n} {} {total}", words.of))
        .unwrap_or_else(|| "–".to_string())
}

fn kpi_name(kpi: &KpiPlan, lang: Lang) -> Markup {
    html! { b { (kpi.id) } " " (kpi.label_in(lang)) @if !kpi.unit.is_empty() { ", " (kpi.unit) } }
}

/// The latest year with a figure per KPI, for one municipality against
/// one peer group, named above the table with its members.
fn compare_table(
    section: &Section,
    group: &PeerGroup,
    kpis: &[&KpiPlan],
    computed: bool,
    lang: Lang,
) -> Markup {
    let words = lang.words();
    let peers_are = if section.region {
        words.peers_are_regions
    } else {
        words.peers_are
    };
    let group_values = kpis.iter().any(|k| {
        section
            .shown_row(&k.id)
            .is_some_and(|r| section.table[r].group_value.is_some())
    });
    html! {
        div.keep {
            h3 { (words.compared_with) " " (group.title(words)) }
            p.members { (peers_are) ": " (group.names.join(", ")) }
            table {
                thead { tr {
                    th.text { (words.kpi) } th { (words.year) } th { (words.value) } th { (words.peer_mean) }
                    th { (words.vs_peers) } th { (words.rank_in_peers) } th { (words.rank_national) }
                    th { (words.coverage) } th { (words.band) } th.text { (words.direction) } th { (words.change) }
                    @if group_values { th { (if computed { words.group_value_computed } else { words.group_value }) } }
                } }
                tbody {
                    @for kpi in kpis {
                        @if let Some(row) = section.shown_row(&kpi.id) {
                            @let reading = section.reading(row, kpi, words);
                            tr {
                                td.text.name { (kpi_name(kpi, lang)) }
                                td { (reading.year_text()) }
                                (figures(&reading, lang))
                                td.judgement { (direction_text(kpi.direction, words)) }
                                td.diff { (reading.change.text(lang.numbers(), words)) }
                                @if group_values { td { (reading.group_value.text(lang.numbers(), words)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Per KPI, every member of the network in the latest year any has a
/// figure, best first; the year, the set's judgement and how many in the
/// country have a figure above the table.
fn network_tables(section: &Section, kpis: &[&KpiPlan], lang: Lang) -> Markup {
    let words: &Words = lang.words();
    html! {
        p.members { (section.groups.first().map(|g| g.names.join(", ")).unwrap_or_default()) }
        @for kpi in kpis {
            @let rows = section.ranked_rows(kpi);
            @let latest = section.latest_year(&kpi.id);
            @let coverage = rows.first().and_then(|&r| section.reading(r, kpi, words).coverage);
            div.keep {
                h4 { (kpi_name(kpi, lang)) " — " (latest.map(|y| y.to_string()).unwrap_or_default()) }
                p.kpi-meta {
                    (direction_text(kpi.direction, words))
                    @if let Some(coverage) = coverage { " · " (words.coverage) ": " (coverage_text(Some(coverage), words)) }
                }
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
                                td.text { (section.table[row].municipality) @if !reading.marks().is_empty() { " " (reading.marks()) } }
                                (network_figures(&reading, lang))
                            }
                        }
                    }
                }
            }
            div.network-years {
                h5 { (kpi.id) " · " (words.years_title) }
                (network_years(section, kpi, lang))
            }
        }
    }
}

/// A member's figures in a network table (its coverage stands above the table).
fn network_figures(reading: &Reading, lang: Lang) -> Markup {
    let words = lang.words();
    let text = |shown: &Shown| shown.text(lang.numbers(), words);
    let band = if reading.band == Band::NotBanded {
        "none"
    } else {
        reading.band.code()
    };
    html! {
        td { (text(&reading.value)) }
        td.(if matches!(reading.peers, Shown::Text(_)) { "text" } else { "" }) { (text(&reading.peers)) }
        td.diff { (text(&reading.vs_peers)) }
        td { (rank_text(reading.rank_in_peers)) } td { (rank_text(reading.rank_national)) }
        td class={ "band " (band) } { (reading.band.name(words)) }
        td.diff { (text(&reading.change)) }
    }
}

#[cfg(test)]
mod tests {
    use super::CSS;

    /// The stylesheet's declarations in order: (in `@media print`,
    /// selector, property, value). `@page` and other at-rules are left out.
    fn declarations(css: &str) -> Vec<(bool, String, String, String)> {
        let mut out = Vec::new();
        let mut print = false;
        let mut depth = 0;
        let mut rest = css;
        while let Some(open) = rest.find('{') {
            let head = rest[..open]
                .trim()
                .rsplit(['}', ';'])
                .next()
                .unwrap_or("")
                .trim();
            let head = head.to_string();
            let after = &rest[open + 1..];
            if head.starts_with("@media") {
                print = head.contains("print");
                depth += 1;
                rest = after;
                continue;
            }
            let close = after.find('}').unwrap_or(after.len());
            let body = &after[..close];
            if !head.starts_with('@') && !body.contains('{') {
                for declaration in body.split(';') {
                    if let Some((property, value)) = declaration.split_once(':') {
                        for selector in head.split(',') {
                            out.push((
                                print && depth > 0,
                                selector.split_whitespace().collect::<Vec<_>>().join(" "),
                                property.trim().to_string(),
                                value.trim().to_string(),
                            ));
                        }
                    }
                }
            }
            // An at-rule with rules inside (`@page { … @bottom-right { … } }`) is skipped whole.
            let skip = if body.contains('{') {
                let mut level = 0;
                after
                    .char_indices()
                    .find_map(|(i, c)| {
                        match c {
                            '{' => level += 1,
                            '}' if level == 0 => return Some(i),
                            '}' => level -= 1,
                            _ => {}
                        }
                        None
                    })
                    .unwrap_or(after.len())
            } else {
                close
            };
            rest = &after[(skip + 1).min(after.len())..];
            // The end of an @media block follows its last rule.
            let trimmed = rest.trim_start();
            if depth > 0 && trimmed.starts_with('}') {
                depth -= 1;
                print = false;
                rest = &trimmed[1..];
            }
        }
        out
    }

    #[test]
    fn the_print_rules_are_not_undone_by_later_rules() {
        let all = declarations(CSS);
        let printed: Vec<usize> = (0..all.len()).filter(|&i| all[i].0).collect();
        assert!(printed.len() > 20, "the print block is read: {printed:?}");
        for &i in &printed {
            let (_, selector, property, value) = &all[i];
            // A later rule for the same selector and property, in print or for every medium.
            if let Some(later) = all[i + 1..]
                .iter()
                .find(|(_, s, p, v)| s == selector && p == property && v != value)
            {
                panic!(
                    "print rule `{selector} {{ {property}: {value} }}` is undone by a later `{property}: {}`",
                    later.3
                );
            }
        }
        // And the rules for A4 that a committee's copy depends on are there.
        let has = |selector: &str, property: &str, value: &str| {
            all.iter()
                .any(|(p, s, pr, v)| *p && s == selector && pr == property && v == value)
        };
        assert!(has("div.kpi-page", "break-before", "page"));
        assert!(has("div.kpi-page", "margin", "0"));
        assert!(has("table.years td", "padding", ".05rem .25rem"));
        assert!(has("thead", "display", "table-header-group"));
    }
}

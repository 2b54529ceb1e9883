//! Gaps over the years: per KPI the municipality's value, the comparison's
//! mean and the gap in every year shown (in the scale's unit: percent of
//! the mean for an amount, points for a share), so a reader sees whether
//! a gap is closing. A network's table gives each member's value with
//! its gap to the others' mean.

use maud::{html, Markup};

use crate::analysis::kpi::KpiPlan;
use crate::document::reading::Shown;
use crate::document::review::{PeerGroup, Section};
use crate::document::words::Words;
use crate::document::years::{first, members, row_in, years};
use crate::model::lang::Lang;
use crate::model::scale::Scale;

/// A year's heading, marked where the KPI's method changes.
fn year_cell(kpi: &KpiPlan, year: i64) -> String {
    if kpi.breaks_at(year as i32) {
        format!("¦\u{a0}{year}")
    } else {
        year.to_string()
    }
}

/// One municipality against one peer group: per KPI three rows (value,
/// the group's mean, the gap), a column per year. Totals and categories
/// have no mean or gap: only their values.
pub(crate) fn single_years(
    section: &Section,
    group: &PeerGroup,
    kpis: &[&KpiPlan],
    lang: Lang,
    with_note: bool,
) -> Markup {
    let words = lang.words();
    let years = years(section);
    let place = section
        .shown_rows()
        .first()
        .map(|(r, _)| section.table[*r].municipality_id.clone())
        .unwrap_or_default();
    let text = |kpi: &KpiPlan, year: i64, which: usize| -> String {
        let Some(row) = row_in(section, &kpi.id, &place, year) else {
            return "–".to_string();
        };
        let reading = section.reading(row, kpi, words);
        let shown = match which {
            0 => &reading.value,
            1 => &reading.peers,
            _ => first(&reading.vs_peers),
        };
        format!(
            "{}{}",
            shown.text(lang.numbers(), words),
            if which == 0 {
                reading.marks()
            } else {
                String::new()
            }
        )
    };
    html! {
        div.years {
            h4 { (words.years_title) " · " (words.compared_with) " " (group.title(words)) }
            table.years {
                thead { tr {
                    th.text { (words.kpi) } th.text { }
                    @for year in &years { th { (year) } }
                } }
                tbody {
                    @for kpi in kpis {
                        @let compared = !matches!(kpi.scale, Scale::Total | Scale::Category);
                        tr.first {
                            td.text.name rowspan=(if compared { 3 } else { 1 }) { b { (kpi.id) } " " (kpi.label_in(lang)) @if !kpi.unit.is_empty() { ", " (kpi.unit) } }
                            td.text { (section.subject) }
                            @for year in &years { td { @if kpi.breaks_at(*year as i32) { "¦ " } (text(kpi, *year, 0)) } }
                        }
                        @if compared {
                            tr { td.text { (words.peer_mean) } @for year in &years { td { (text(kpi, *year, 1)) } } }
                            tr.gap { td.text { (words.vs_peers) } @for year in &years { td.diff { (text(kpi, *year, 2)) } } }
                        }
                    }
                }
            }
            @if with_note { p.note { (words.years_note) } }
        }
    }
}

/// A network's KPI over the years: each member's value with its gap to
/// the others' mean beneath, a column per year.
pub(crate) fn network_years(section: &Section, kpi: &KpiPlan, lang: Lang) -> Markup {
    let words: &Words = lang.words();
    let years = years(section);
    let members = members(section, &kpi.id);
    let compared = !matches!(kpi.scale, Scale::Total | Scale::Category);
    html! {
        table.years {
            thead { tr {
                th.text { (words.municipality) }
                @for year in &years { th { (year_cell(kpi, *year)) } }
            } }
            tbody {
                @for (id, name) in &members {
                    tr {
                        td.text { (name) }
                        @for year in &years {
                            @match row_in(section, &kpi.id, id, *year) {
                                Some(row) => {
                                    @let reading = section.reading(row, kpi, words);
                                    td {
                                        (reading.value.text(lang.numbers(), words)) (reading.marks())
                                        @if compared && reading.value != Shown::Missing {
                                            br; span.gap { (first(&reading.vs_peers).text(lang.numbers(), words)) }
                                        }
                                    }
                                }
                                None => { td { "–" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

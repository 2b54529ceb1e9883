//! A page per KPI (printable on one A4 page): Kolada's title and
//! definition with a link to its description, how to read it (unit,
//! scale, judgement, method changes, coverage), its chart over time, each
//! peer's own value, the years table and the source line.

use maud::{html, Markup, PreEscaped};

use super::years::single_years;
use crate::analysis::kpi::KpiPlan;
use crate::document::review::{direction_text, KpiPage, Review, Section};
use crate::document::words::Words;
use crate::model::scale::Scale;

/// The KPI on kolada.se (its free search, with the definition and the
/// figures), for people; the API's JSON is for programs.
fn kpi_url(id: &str) -> String {
    format!("https://www.kolada.se/verktyg/fri-sokning/?kpis={id}")
}

/// What kind of figure it is, for people: a signed figure's differences
/// are percentage points only when it is in percent.
fn scale_text(kpi: &KpiPlan, words: &Words) -> String {
    match kpi.scale {
        Scale::Signed if !kpi.in_points() => words.scale_signed_unit.replace("{unit}", &kpi.unit),
        scale => words.scales[match scale {
            Scale::Amount => 0,
            Scale::Percent => 1,
            Scale::Signed => 2,
            Scale::Total => 3,
            Scale::Category => 4,
        }]
        .to_string(),
    }
}

/// Every KPI's page, in the order of the sets.
pub(crate) fn kpi_pages_section(review: &Review) -> Markup {
    let words = review.lang.words();
    // A KPI in two sets gets one page, its first set's.
    let mut pages: Vec<&KpiPage> = Vec::new();
    for page in &review.kpi_pages {
        if !pages.iter().any(|p| p.kpi == page.kpi) {
            pages.push(page);
        }
    }
    html! {
        section id="kpis" {
            h2 { (words.kpi_pages_title) }
            @for page in &pages {
                @let sections: Vec<&Section> = review.sections.iter().filter(|s| s.set.name == page.set_name).collect();
                // Only KPIs with a figure to show: the tables leave the others out with a note.
                @if let Some(kpi) = sections.first().and_then(|s| s.shown_kpis().into_iter().find(|k| k.id == page.kpi)) {
                    (kpi_page(review, page, kpi, &sections))
                }
            }
        }
    }
}

fn kpi_page(review: &Review, page: &KpiPage, kpi: &KpiPlan, sections: &[&Section]) -> Markup {
    let lang = review.lang;
    let words = lang.words();
    let caption = format!("{} — ", kpi.id);
    let trend = review
        .figures
        .iter()
        .find(|f| f.set_name == page.set_name && f.caption.starts_with(&caption));
    let coverage = sections.first().and_then(|s| {
        let row = s.shown_row(&kpi.id)?;
        let reading = s.reading(row, kpi, words);
        let (n, total) = reading.coverage?;
        Some(format!(
            "{} {n} {} {total} ({})",
            words.coverage, words.of, reading.year?
        ))
    });
    html! {
        div.kpi-page id={ "kpi-" (kpi.id) } {
            h3 { (kpi.id) " " (kpi.title) }
            p.definition {
                b { (words.kpi_definition) ": " }
                @if kpi.description.trim().is_empty() { (words.kpi_no_definition) } @else { (kpi.description.trim()) }
            }
            p.kpi-meta {
                @if !kpi.unit.is_empty() { (kpi.unit) " · " }
                (scale_text(kpi, words)) " · " (direction_text(kpi.direction, words))
                @if !kpi.breaks.is_empty() {
                    " · " (words.method_change) " " (kpi.breaks.iter().map(|b| b.to_string()).collect::<Vec<_>>().join(", "))
                }
                @if let Some(coverage) = coverage { " · " (coverage) }
                " · " a href=(kpi_url(&kpi.id)) { (words.kpi_link) }
            }
            div.kpi-charts {
                @if let Some(figure) = trend { figure { (PreEscaped(&figure.svg)) } }
                @if let Some((_, svg)) = &page.bars { figure { (PreEscaped(svg)) } }
            }
            @for section in sections {
                @for (group, kpis) in section.by_group() {
                    @if kpis.iter().any(|k| k.id == kpi.id) {
                        (single_years(section, group, &[kpi], lang, false))
                    }
                }
            }
            p.note { (words.attribution) }
        }
    }
}

//! A set's years in the workbook, as in the HTML: per KPI the value, the
//! group's (or the other members') mean and the gap in every year shown,
//! numbers an analyst can chart.

use anyhow::Result;
use rust_xlsxwriter::Worksheet;

use super::styles::{print_setup, wide_text, write_shown, Styles};
use crate::analysis::kpi::KpiPlan;
use crate::document::review::{peers_title, Section};
use crate::document::years::{first, members, row_in, years};
use crate::model::lang::Lang;
use crate::model::scale::Scale;

/// The sheet: a header row of years, then per KPI and place its rows.
pub(super) fn years_sheet(
    sheet: &mut Worksheet,
    lang: Lang,
    title: &str,
    sections: &[&Section],
) -> Result<()> {
    let words = lang.words();
    let styles = Styles::new();
    let years: Vec<i64> = {
        let mut all: Vec<i64> = sections.iter().flat_map(|s| years(s)).collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    sheet.write_string_with_format(
        0,
        0,
        format!("{title} – {}", words.years_title),
        &styles.title,
    )?;
    sheet.set_column_width(0, 40.0)?;
    sheet.set_column_width(1, 40.0)?;
    sheet.set_column_width(2, 20.0)?;
    let header_row = 2;
    let network = sections.iter().any(|s| s.is_network());
    let headers = [
        words.kpi,
        if network {
            words.municipality
        } else {
            words.peer_group
        },
        "",
    ];
    for (c, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(header_row, c as u16, *header, &styles.header)?;
    }
    for (i, year) in years.iter().enumerate() {
        sheet.write_number_with_format(header_row, 3 + i as u16, *year as f64, &styles.header)?;
        sheet.set_column_width(3 + i as u16, 11.0)?;
    }
    let mut row = header_row + 1;
    for section in sections {
        for kpi in section.shown_kpis() {
            for (place, name) in members(section, &kpi.id) {
                // One municipality: its rows name the group they compare with.
                let shown = if network {
                    name.clone()
                } else {
                    peers_title(&kpi.peers, words)
                };
                row = place_rows(
                    sheet,
                    row,
                    section,
                    kpi,
                    (&place, &shown),
                    &years,
                    lang,
                    &styles,
                )?;
            }
        }
    }
    let last = 2 + years.len() as u16;
    let width = 100.0 + 11.0 * years.len() as f64;
    wide_text(sheet, row + 1, last, width, words.years_note, &styles.note)?;
    print_setup(sheet, header_row, words);
    Ok(())
}

/// One place's rows of a KPI: its value, and where it is compared the
/// mean and the gap; the next free row.
#[allow(clippy::too_many_arguments)]
fn place_rows(
    sheet: &mut Worksheet,
    mut row: u32,
    section: &Section,
    kpi: &KpiPlan,
    (place, name): (&str, &str),
    years: &[i64],
    lang: Lang,
    styles: &Styles,
) -> Result<u32> {
    let words = lang.words();
    let compared = !matches!(kpi.scale, Scale::Total | Scale::Category);
    let lines: &[&str] = if compared {
        &[words.value, words.peer_mean, words.vs_peers]
    } else {
        &[words.value]
    };
    let label = format!("{} {}", kpi.id, kpi.label_in(lang));
    for (which, line) in lines.iter().enumerate() {
        sheet.write_string_with_format(row, 0, &label, &styles.text)?;
        sheet.write_string_with_format(row, 1, name, &styles.text)?;
        sheet.write_string_with_format(row, 2, *line, &styles.text)?;
        for (i, year) in years.iter().enumerate() {
            let column = 3 + i as u16;
            // No figure: a blank, which a chart leaves as a gap.
            let Some(r) = row_in(section, &kpi.id, place, *year) else {
                sheet.write_blank(row, column, &styles.text)?;
                continue;
            };
            let reading = section.reading(r, kpi, words);
            let shown = match which {
                0 => &reading.value,
                1 => &reading.peers,
                _ => first(&reading.vs_peers),
            };
            write_shown(sheet, row, column, shown, lang, styles)?;
        }
        row += 1;
    }
    Ok(row)
}

//! The review as a print-ready Excel workbook (`report.xlsx`, `compare -o
//! FILE.xlsx`): first a sheet per set that looks like the HTML tables
//! (headings in the document's language, number formats per scale, band
//! colours, frozen header, A4 landscape one page wide with the header row
//! repeated), then the tidy long table on a sheet of its own, then the
//! source sheet: provenance, fetch dates per KPI, definitions.

mod styles;
mod years;

use std::collections::HashSet;

use anyhow::Result;
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, Worksheet};

use self::styles::{lines_needed, print_setup, wide_text, write_shown, Styles, A4};
use super::exports::write_table_sheet;
use crate::analysis::kpi::KpiPlan;
use crate::analysis::table::Table;
use crate::document::reading::{rank_text, Reading, Shown};
use crate::document::review::{direction_text, Review, Section};
use crate::document::words::Words;
use crate::model::lang::Lang;

pub(crate) fn review_workbook(review: &Review, tidy: &Table) -> Result<Vec<u8>> {
    super::exports::within_excel_limits(|| build_review_workbook(review, tidy))
}

fn build_review_workbook(review: &Review, tidy: &Table) -> Result<Vec<u8>> {
    let words = review.lang.words();
    let mut book = Workbook::new();
    // The book's own sheets keep their names: a set titled "Data" or
    // "Källa" gets "Data 2" (Excel compares sheet names without case).
    let mut names: HashSet<String> = [words.data_sheet, words.explain_sheet, words.source_sheet]
        .iter()
        .map(|n| n.to_lowercase())
        .collect();
    for (name, title) in review.sets() {
        let sections: Vec<&Section> = review
            .sections
            .iter()
            .filter(|s| s.set.name == name)
            .collect();
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(title, name, &mut names))?;
        set_sheet(sheet, review, title, &sections)?;
        let sheet = book.add_worksheet();
        let years_title = format!("{} {title}", words.years_sheet);
        sheet.set_name(sheet_name(&years_title, name, &mut names))?;
        years::years_sheet(sheet, review.lang, title, &sections)?;
    }
    let data = book.add_worksheet();
    data.set_name(words.data_sheet)?;
    write_table_sheet(data, tidy)?;
    data.autofilter(
        0,
        0,
        tidy.height() as u32,
        tidy.width().saturating_sub(1) as u16,
    )?;
    // The tidy table is for filters and pivots; printed, it at least stays one page wide.
    print_setup(data, 0, words);
    if let Some(split) = explained_table(review)? {
        let sheet = book.add_worksheet();
        sheet.set_name(words.explain_sheet)?;
        write_table_sheet(sheet, &split)?;
        sheet.autofilter(
            0,
            0,
            split.height() as u32,
            split.width().saturating_sub(1) as u16,
        )?;
        print_setup(sheet, 0, words);
    }
    let source = book.add_worksheet();
    source.set_name(words.source_sheet)?;
    source_sheet(source, review)?;
    Ok(book.save_to_buffer()?)
}

/// Every area's split ("Varför skiljer sig kostnaden?") as one tidy
/// table: the rows `explain --format xlsx` writes.
fn explained_table(review: &Review) -> Result<Option<Table>> {
    let mut all: Option<Table> = None;
    for explanation in &review.explanations {
        let table = crate::document::explain::tidy(&explanation.explained)?;
        match &mut all {
            Some(rows) => rows.append(&table)?,
            None => all = Some(table),
        }
    }
    Ok(all)
}

/// A sheet name Excel accepts (31 characters, no []:*?/\), unique in the
/// book: the set's title, cut at a word with "…" when it is longer; its
/// file name when nothing of the title is left.
pub(crate) fn sheet_name(title: &str, name: &str, taken: &mut HashSet<String>) -> String {
    let clean = |text: &str| -> String {
        text.chars()
            .filter(|c| !"[]:*?/\\'".contains(*c))
            .collect::<String>()
            .trim()
            .to_string()
    };
    let mut base = clean(title);
    if base.chars().count() > 31 {
        let mut cut = String::new();
        for word in base.split(' ') {
            if cut.chars().count() + word.chars().count() + 2 > 31 {
                break;
            }
            if !cut.is_empty() {
                cut.push(' ');
            }
            cut.push_str(word);
        }
        let cut = cut.trim_end_matches([' ', '–', '-', ',']).to_string();
        base = if cut.is_empty() {
            String::new()
        } else {
            format!("{cut}…")
        };
    }
    if base.is_empty() {
        base = clean(name).chars().take(31).collect();
    }
    let mut candidate = base.clone();
    let mut n = 2;
    while !taken.insert(candidate.to_lowercase()) {
        let suffix = format!(" {n}");
        candidate = base.chars().take(31 - suffix.len()).collect::<String>() + &suffix;
        n += 1;
    }
    candidate
}

/// The columns of a set's sheet: headings, widths, and where the figures begin.
struct Columns<'w> {
    headers: Vec<&'w str>,
    widths: Vec<f64>,
    figures_from: u16,
    /// A network's sheet: a row per member.
    network: bool,
    /// Several peer groups in the sheet: a column naming each row's.
    several: bool,
    /// Kolada's own value of a group the municipality was left out of.
    group_values: bool,
}

impl<'w> Columns<'w> {
    fn of(sections: &[&Section], words: &'w Words, computed: bool) -> Columns<'w> {
        let network = sections.iter().any(|s| s.is_network());
        let groups: usize = sections.iter().map(|s| s.by_group().len()).sum();
        let several = groups > 1 && !network;
        let group_values = sections
            .iter()
            .any(|s| s.table.iter().any(|r| r.group_value.is_some()));
        let mut headers: Vec<&str> = vec![words.kpi, words.year];
        let mut widths: Vec<f64> = vec![40.0, 7.0];
        if network {
            headers.push(words.municipality);
            widths.push(16.0);
        } else if several {
            headers.push(words.peer_group);
            widths.push(26.0);
        }
        let figures_from = headers.len() as u16;
        let (mean, vs, rank) = if network {
            (words.mean_of_others, words.vs_others, words.rank_in_network)
        } else {
            (words.peer_mean, words.vs_peers, words.rank_in_peers)
        };
        headers.extend([
            words.value,
            mean,
            vs,
            rank,
            words.rank_national,
            words.coverage,
            words.band,
            words.direction,
            words.change,
        ]);
        widths.extend([13.0, 16.0, 27.0, 10.0, 10.0, 11.0, 12.0, 22.0, 25.0]);
        if group_values {
            headers.push(if computed {
                words.group_value_computed
            } else {
                words.group_value
            });
            widths.push(14.0);
        }
        Columns {
            headers,
            widths,
            figures_from,
            network,
            several,
            group_values,
        }
    }

    fn last(&self) -> u16 {
        (self.headers.len() - 1) as u16
    }

    fn total(&self) -> f64 {
        self.widths.iter().sum()
    }
}

/// One set: the tables of its sections, as in the HTML.
fn set_sheet(
    sheet: &mut Worksheet,
    review: &Review,
    title: &str,
    sections: &[&Section],
) -> Result<()> {
    let lang = review.lang;
    let words = lang.words();
    let styles = Styles::new();
    let columns = Columns::of(sections, words, review.provenance.computed_groups);
    for (c, width) in columns.widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *width)?;
    }
    let (last, total) = (columns.last(), columns.total());
    sheet.write_string_with_format(0, 0, title, &styles.title)?;
    sheet.set_row_height(0, 20.0)?;
    wide_text(sheet, 1, last, total, &review.subtitle, &styles.subtitle)?;
    let mut row = 2u32;
    for line in group_lines(sections, words) {
        wide_text(sheet, row, last, total, &line, &styles.subtitle)?;
        row += 1;
    }
    row += 1;
    let header_row = row;
    for (c, header) in columns.headers.iter().enumerate() {
        sheet.write_string_with_format(row, c as u16, *header, &styles.header)?;
    }
    sheet.set_row_height(row, 30.0)?;
    row = kpi_rows(sheet, row + 1, sections, &columns, lang, &styles)? + 1;
    let mut notes = review.notes(sections);
    if let Some(text) = sections.first().and_then(|s| s.set.not_measured_in(lang)) {
        notes.push(format!("{}: {text}", words.not_measured));
    }
    notes.push(words.attribution.to_string());
    for note in notes {
        wide_text(sheet, row, last, total, &note, &styles.note)?;
        row += 1;
    }
    print_setup(sheet, header_row, words);
    Ok(())
}

/// "Jämfört med G… (members)" for each peer group of the sheet's sections.
fn group_lines(sections: &[&Section], words: &Words) -> Vec<String> {
    let mut lines = Vec::new();
    for section in sections {
        if section.is_network() {
            let names = section.groups.first().map(|g| g.names.join(", "));
            lines.push(format!(
                "{} {}: {}",
                words.every_member_of,
                section.subject,
                names.unwrap_or_default()
            ));
            continue;
        }
        for (group, _) in section.by_group() {
            lines.push(format!(
                "{} {}: {}",
                words.compared_with,
                group.title(words),
                group.names.join(", ")
            ));
        }
    }
    lines
}

/// Per KPI, a row per section and peer group (per member for a network)
/// from `row` on; the row after the last.
fn kpi_rows(
    sheet: &mut Worksheet,
    mut row: u32,
    sections: &[&Section],
    columns: &Columns,
    lang: Lang,
    styles: &Styles,
) -> Result<u32> {
    let words = lang.words();
    let kpis: Vec<&KpiPlan> = sections.first().map(|s| s.shown_kpis()).unwrap_or_default();
    for kpi in kpis {
        let unit = if kpi.unit.is_empty() {
            String::new()
        } else {
            format!(", {}", kpi.unit)
        };
        let name = format!("{} {}{unit}", kpi.id, kpi.label_in(lang));
        for section in sections {
            // Each section's own KPI: its peers are the section's.
            let Some(kpi) = section.kpis.iter().find(|k| k.id == kpi.id) else {
                continue;
            };
            let rows = if section.is_network() {
                section.ranked_rows(kpi)
            } else {
                section.shown_row(&kpi.id).into_iter().collect()
            };
            let group = section
                .groups
                .iter()
                .find(|g| g.peers.label == kpi.peers.label)
                .map(|g| g.title(words))
                .unwrap_or_default();
            for r in rows {
                let reading = section.reading(r, kpi, words);
                let mut lines = lines_needed(&name, columns.widths[0]);
                if columns.several {
                    lines = lines.max(lines_needed(&group, columns.widths[2]));
                }
                // Text that wraps in the figure columns: a category's counts, two differences.
                let from = columns.figures_from as usize;
                for (shown, column) in [
                    (&reading.peers, from + 1),
                    (&reading.vs_peers, from + 2),
                    (&reading.change, from + 8),
                ] {
                    if matches!(shown, Shown::Text(_) | Shown::Both(..)) {
                        let text = shown.text(lang.numbers(), words);
                        lines = lines.max(lines_needed(&text, columns.widths[column]));
                    }
                }
                sheet.set_row_height(row, 15.0 * f64::from(lines.max(2)) + 2.0)?;
                sheet.write_string_with_format(row, 0, &name, &styles.text_wrap)?;
                sheet.write_string_with_format(row, 1, reading.year_text(), &styles.text)?;
                if columns.network {
                    let member = &section.table[r].municipality;
                    sheet.write_string_with_format(row, 2, member, &styles.text)?;
                } else if columns.several {
                    sheet.write_string_with_format(row, 2, &group, &styles.text_wrap)?;
                }
                let at = Place {
                    row,
                    first: columns.figures_from,
                };
                write_figures(sheet, at, &reading, kpi, lang, styles)?;
                if columns.group_values {
                    let column = columns.last();
                    write_shown(sheet, row, column, &reading.group_value, lang, styles)?;
                }
                row += 1;
            }
        }
    }
    Ok(row)
}

/// Where a row's figures go: its row and the first figure column.
struct Place {
    row: u32,
    first: u16,
}

fn write_figures(
    sheet: &mut Worksheet,
    at: Place,
    reading: &Reading,
    kpi: &KpiPlan,
    lang: Lang,
    styles: &Styles,
) -> Result<()> {
    let (row, first) = (at.row, at.first);
    let words = lang.words();
    write_shown(sheet, row, first, &reading.value, lang, styles)?;
    write_shown(sheet, row, first + 1, &reading.peers, lang, styles)?;
    write_shown(sheet, row, first + 2, &reading.vs_peers, lang, styles)?;
    let right = styles.text.clone().set_align(FormatAlign::Right);
    sheet.write_string_with_format(row, first + 3, rank_text(reading.rank_in_peers), &right)?;
    sheet.write_string_with_format(row, first + 4, rank_text(reading.rank_national), &right)?;
    let coverage = reading
        .coverage
        .map(|(n, total)| format!("{n} {} {total}", words.of))
        .unwrap_or_else(|| "–".to_string());
    sheet.write_string_with_format(row, first + 5, coverage, &right)?;
    let mut band = styles
        .text
        .clone()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center);
    if let Some((fill, font)) = reading.band.colours() {
        band = band
            .set_background_color(Color::RGB(fill))
            .set_font_color(Color::RGB(font));
    }
    sheet.write_string_with_format(row, first + 6, reading.band.name(words), &band)?;
    let judgement = direction_text(kpi.direction, words);
    sheet.write_string_with_format(row, first + 7, judgement, &styles.text_wrap)?;
    write_shown(sheet, row, first + 8, &reading.change, lang, styles)?;
    Ok(())
}

/// Where the figures come from, when they were fetched (per KPI), how they were processed.
fn source_sheet(sheet: &mut Worksheet, review: &Review) -> Result<()> {
    let words = review.lang.words();
    let styles = Styles::new();
    let mut row = 0u32;
    for (i, line) in review.provenance.lines(review.lang).into_iter().enumerate() {
        let format = if i == 0 {
            styles.title.clone()
        } else {
            Format::new()
        };
        sheet.write_string_with_format(row, 0, line, &format)?;
        row += 1;
    }
    row += 1;
    sheet.write_string_with_format(row, 0, words.kpi, &styles.header)?;
    sheet.write_string_with_format(row, 1, words.kolada_title, &styles.header)?;
    sheet.write_string_with_format(row, 2, words.fetched, &styles.header)?;
    row += 1;
    for (kpi, title, fetched) in &review.provenance.fetched {
        sheet.write_string(row, 0, kpi)?;
        sheet.write_string_with_format(row, 1, title, &styles.text_wrap)?;
        sheet.write_string(
            row,
            2,
            fetched
                .map(|d| d.date_naive().to_string())
                .unwrap_or_else(|| words.fetch_unknown.to_string()),
        )?;
        row += 1;
    }
    row += 1;
    for line in words.definitions {
        sheet.write_string(row, 0, *line)?;
        row += 1;
    }
    sheet.set_column_width(0, 12)?;
    sheet.set_column_width(1, 60)?;
    sheet.set_column_width(2, 24)?;
    sheet.set_portrait();
    sheet.set_paper_size(A4);
    sheet.set_print_fit_to_pages(1, 0);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::styles::wrapped_lines;

    #[test]
    fn wrapping_counts_whole_words() {
        // 26 characters wide: the group's name takes three lines, not two.
        assert_eq!(
            lines_needed("Tjörn – egna jämförelsekommuner, äldreomsorg", 26.0),
            3
        );
        assert_eq!(lines_needed("kort", 26.0), 1);
        assert_eq!(lines_needed("a\nb", 26.0), 2);
        assert_eq!(wrapped_lines(&"x".repeat(60), 26), 3);
    }

    #[test]
    fn sheet_names_fit_excel_and_stay_unique() {
        let mut taken = HashSet::new();
        assert_eq!(
            sheet_name("Äldreomsorg – kostnader", "a", &mut taken),
            "Äldreomsorg – kostnader"
        );
        assert_eq!(
            sheet_name(
                "Nära vård – omställningen till vård nära hemmet",
                "nara-vard",
                &mut taken
            ),
            "Nära vård – omställningen till…"
        );
        assert_eq!(
            sheet_name("Äldreomsorg – kostnader", "a", &mut taken),
            "Äldreomsorg – kostnader 2"
        );
    }
}

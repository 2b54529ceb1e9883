//! The review as a print-ready Excel workbook (`report.xlsx`, `compare -o
//! FILE.xlsx`): first a sheet per set that looks like the HTML tables
//! (headings in the document's language, every figure a number in a
//! column of its own, number formats per scale, band colours, frozen
//! header, A4 landscape one page wide with the header row repeated) and
//! its years, then each peer's own figures, the tidy long table, the cost
//! splits (a sheet per method), then the source sheet: provenance, fetch
//! dates per KPI, definitions.

mod peers;
mod set_sheet;
mod styles;
mod years;

use std::collections::HashSet;

use anyhow::Result;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use self::styles::{print_setup, Styles, A4};
use super::exports::write_table_sheet;
use crate::analysis::table::Table;
use crate::document::review::{Review, Section};

pub(crate) fn review_workbook(review: &Review, tidy: &Table) -> Result<Vec<u8>> {
    super::exports::within_excel_limits(|| build_review_workbook(review, tidy))
}

fn build_review_workbook(review: &Review, tidy: &Table) -> Result<Vec<u8>> {
    let words = review.lang.words();
    let mut book = Workbook::new();
    // The book's own sheets keep their names: a set titled "Data" or
    // "Källa" gets "Data 2" (Excel compares sheet names without case).
    let peers_sheet = peers::sheet_name(review);
    let mut names: HashSet<String> = [
        words.data_sheet,
        words.explain_sheet,
        words.explain_log_sheet,
        words.source_sheet,
        peers_sheet,
    ]
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
        set_sheet::set_sheet(sheet, review, title, &sections)?;
        let sheet = book.add_worksheet();
        let years_title = format!("{} {title}", words.years_sheet);
        sheet.set_name(sheet_name(&years_title, name, &mut names))?;
        years::years_sheet(sheet, review.lang, title, &sections)?;
    }
    if !review.peer_values.is_empty() {
        let sheet = book.add_worksheet();
        sheet.set_name(peers_sheet)?;
        peers::peers_sheet(sheet, review)?;
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
    for (method, name) in [
        ("kr", words.explain_sheet),
        ("log", words.explain_log_sheet),
    ] {
        let Some(split) = explained_table(review, method)? else {
            continue;
        };
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
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

/// Every area's split ("Varför skiljer sig kostnaden?") by one method
/// (`kr` against the mean, `log` against the geometric mean) as one
/// table, in the review's language; none without rows.
fn explained_table(review: &Review, method: &str) -> Result<Option<Table>> {
    let mut all: Option<Table> = None;
    for explanation in &review.explanations {
        let table = crate::document::explain::sheet(&explanation.explained, method, review.lang)?;
        match &mut all {
            Some(rows) => rows.append(&table)?,
            None => all = Some(table),
        }
    }
    Ok(all.filter(|t| t.height() > 0))
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

    use super::styles::{lines_needed, wrapped_lines};

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

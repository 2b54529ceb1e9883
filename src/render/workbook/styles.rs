//! The workbook's cell formats and page set-up, shared by its sheets: the
//! styles, a figure in a cell with its number format, text across
//! columns, how many lines a text needs, and A4 landscape printing.

use anyhow::Result;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet};

use crate::document::reading::Shown;
use crate::document::words::{NumberStyle, Words};
use crate::model::lang::Lang;

/// A4 in Excel's paper sizes.
pub(super) const A4: u8 = 9;

/// Lines a text needs in a column `width` characters wide (Excel's unit).
pub(super) fn lines_needed(text: &str, width: f64) -> u32 {
    let per_line = width.max(1.0) as usize;
    text.split('\n')
        .map(|line| wrapped_lines(line, per_line))
        .sum()
}

/// Lines a paragraph takes when wrapped at spaces, `per_line` characters
/// a line (a word longer than a line is broken).
pub(super) fn wrapped_lines(paragraph: &str, per_line: usize) -> u32 {
    let mut lines = 1;
    let mut used = 0;
    for word in paragraph.split(' ').map(|w| w.chars().count()) {
        let needed = if used == 0 { word } else { used + 1 + word };
        if needed <= per_line {
            used = needed;
        } else {
            lines += if used == 0 { 0 } else { 1 };
            lines += (word.saturating_sub(1) / per_line) as u32;
            used = word % per_line;
        }
    }
    lines
}

/// Text across the columns `0..=last`, wrapped, the row as high as it needs.
pub(super) fn wide_text(
    sheet: &mut Worksheet,
    row: u32,
    last: u16,
    width: f64,
    text: &str,
    format: &Format,
) -> Result<()> {
    let format = format.clone().set_text_wrap().set_align(FormatAlign::Top);
    if last == 0 {
        sheet.write_string_with_format(row, 0, text, &format)?;
    } else {
        sheet.merge_range(row, 0, row, last, text, &format)?;
    }
    sheet.set_row_height(row, 15.0 * f64::from(lines_needed(text, width)) + 2.0)?;
    Ok(())
}

pub(super) fn print_setup(sheet: &mut Worksheet, header_row: u32, words: &Words) {
    sheet.set_landscape();
    sheet.set_paper_size(A4);
    sheet.set_print_fit_to_pages(1, 0);
    let _ = sheet.set_repeat_rows(header_row, header_row);
    let _ = sheet.set_freeze_panes(header_row + 1, 0);
    sheet.set_footer(format!(
        "&L{}&R{}",
        words.attribution.replace('&', "&&"),
        words.page
    ));
}

pub(super) struct Styles {
    pub(super) title: Format,
    pub(super) subtitle: Format,
    pub(super) header: Format,
    pub(super) text: Format,
    pub(super) text_wrap: Format,
    pub(super) note: Format,
}

impl Styles {
    pub(super) fn new() -> Styles {
        let border = Color::RGB(0xBBBBBB);
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            subtitle: Format::new().set_font_color(Color::RGB(0x555555)),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Bottom)
                .set_background_color(Color::RGB(0xF2F5F9))
                .set_border_bottom(FormatBorder::Medium)
                .set_border_bottom_color(Color::RGB(0x005EB8)),
            text: Format::new()
                .set_border_bottom(FormatBorder::Thin)
                .set_border_bottom_color(border)
                .set_align(FormatAlign::Top),
            text_wrap: Format::new()
                .set_text_wrap()
                .set_border_bottom(FormatBorder::Thin)
                .set_border_bottom_color(border)
                .set_align(FormatAlign::Top),
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x555555)),
        }
    }

    /// A cell format for a figure: its number format, aligned right.
    fn figure(&self, shown: &Shown, style: NumberStyle, words: &Words) -> Format {
        let base = self.text.clone().set_align(FormatAlign::Right);
        match shown.xlsx_format(style, words) {
            Some(code) => base.set_num_format(code),
            None => base,
        }
    }
}

/// A figure in a cell: a number with its format, text, or nothing (a
/// blank sorts last either way, and a chart leaves a gap, where "–"
/// would sort among the text and be drawn as zero).
pub(super) fn write_shown(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    shown: &Shown,
    lang: Lang,
    styles: &Styles,
) -> Result<()> {
    let words = lang.words();
    // Two figures never share a cell: the sheets give each its column.
    let shown = match shown {
        Shown::Both(first, _) => first,
        other => other,
    };
    let format = styles.figure(shown, lang.numbers(), words);
    match shown {
        Shown::Number { value, .. } => {
            sheet.write_number_with_format(row, column, *value, &format)?
        }
        Shown::Text(text) => {
            sheet.write_string_with_format(row, column, text, &styles.text_wrap)?
        }
        _ => sheet.write_blank(row, column, &format)?,
    };
    Ok(())
}

/// A whole number (a year, a rank, a count) without digit groups, or nothing.
pub(super) fn write_count(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    count: Option<i64>,
    styles: &Styles,
) -> Result<()> {
    let format = styles
        .text
        .clone()
        .set_align(FormatAlign::Right)
        .set_num_format("0");
    match count {
        Some(n) => sheet.write_number_with_format(row, column, n as f64, &format)?,
        None => sheet.write_blank(row, column, &format)?,
    };
    Ok(())
}

//! Each peer's own figures on a sheet of their own: per set and KPI the
//! municipality reviewed (in bold) and every member of its peer groups, a
//! row per place naming its group or groups, a column per year, numbers
//! with the set sheet's decimals. The KPI (and set) stands in every row so
//! a filter keeps it; after its first row it is greyed, so each KPI reads
//! as a block.

use anyhow::Result;
use rust_xlsxwriter::{Color, Format, FormatBorder, Worksheet};

use super::styles::{lines_needed, print_setup, wide_text, Styles};
use crate::document::peer_values::{PeerPlace, PeerValues};
use crate::document::reading::{Shown, Suffix};
use crate::document::review::{peers_title, Review};
use crate::model::lang::Lang;

/// "Jämförelsekommuner", or "Jämförelseregioner" for a review of regions.
pub(super) fn sheet_name(review: &Review) -> &'static str {
    let words = review.lang.words();
    let regions = !review.sections.is_empty() && review.sections.iter().all(|s| s.region);
    if regions {
        words.peers_are_regions
    } else {
        words.peers_are
    }
}

/// The sheet's columns before the years: (heading, width).
fn columns(review: &Review) -> Vec<(&'static str, f64)> {
    let words = review.lang.words();
    let mut columns = Vec::new();
    if review.sets().len() > 1 {
        columns.push((words.set, 22.0));
    }
    // The groups each on a line of their own, as wide as the longest name.
    let widest = review
        .peer_values
        .iter()
        .flat_map(|k| k.places.iter().flat_map(|p| &p.groups))
        .map(|g| peers_title(g, words).chars().count())
        .max()
        .unwrap_or(0);
    let groups = (widest as f64 + 2.0).clamp(24.0, 52.0);
    columns.extend([
        (words.kpi, 38.0),
        (words.municipality, 16.0),
        (words.peer_group, groups),
    ]);
    columns
}

pub(super) fn peers_sheet(sheet: &mut Worksheet, review: &Review) -> Result<()> {
    let lang = review.lang;
    let words = lang.words();
    let styles = Styles::new();
    let columns = columns(review);
    let mut years: Vec<i32> = review
        .peer_values
        .iter()
        .flat_map(PeerValues::years_with_figures)
        .collect();
    years.sort_unstable();
    years.dedup();
    for (c, (_, width)) in columns.iter().enumerate() {
        sheet.set_column_width(c as u16, *width)?;
    }
    let first_year = columns.len() as u16;
    let last = first_year + years.len().saturating_sub(1) as u16;
    let total = columns.iter().map(|(_, w)| w).sum::<f64>() + 10.0 * years.len() as f64;
    sheet.write_string_with_format(0, 0, words.peers_sheet_title, &styles.title)?;
    sheet.set_row_height(0, 20.0)?;
    wide_text(sheet, 1, last, total, &review.subtitle, &styles.subtitle)?;
    wide_text(
        sheet,
        2,
        last,
        total,
        words.peers_sheet_note,
        &styles.subtitle,
    )?;
    let header_row = 4;
    for (c, (heading, _)) in columns.iter().enumerate() {
        sheet.write_string_with_format(header_row, c as u16, *heading, &styles.header)?;
    }
    for (i, year) in years.iter().enumerate() {
        let column = first_year + i as u16;
        sheet.set_column_width(column, 10.0)?;
        sheet.write_number_with_format(header_row, column, f64::from(*year), &styles.header)?;
    }
    let mut row = header_row;
    for kpi in &review.peer_values {
        for (n, place) in kpi.places.iter().enumerate() {
            row += 1;
            let at = At {
                row,
                first: n == 0,
                years: &years,
            };
            place_row(sheet, &at, kpi, place, review, &columns)?;
        }
    }
    sheet.autofilter(header_row, 0, row, last)?;
    row += 2;
    wide_text(sheet, row, last, total, words.attribution, &styles.note)?;
    print_setup(sheet, header_row, words);
    Ok(())
}

/// Where a place's row goes: its row, whether it opens its KPI's block,
/// the years of the columns.
struct At<'y> {
    row: u32,
    first: bool,
    years: &'y [i32],
}

/// One place's row: set, KPI, name, groups, then its figure in each year.
fn place_row(
    sheet: &mut Worksheet,
    at: &At,
    kpi: &PeerValues,
    place: &PeerPlace,
    review: &Review,
    columns: &[(&str, f64)],
) -> Result<()> {
    let lang = review.lang;
    let words = lang.words();
    let formats = Formats::new(at.first, place.groups.is_empty());
    let set_title = review
        .sets()
        .into_iter()
        .find(|(name, _)| *name == kpi.set)
        .map_or(kpi.set.as_str(), |(_, title)| title);
    let name = format!("{} {}", kpi.kpi.id, kpi.kpi.label_in(lang));
    let name = if kpi.kpi.unit.is_empty() {
        name
    } else {
        format!("{name}, {}", kpi.kpi.unit)
    };
    let groups = if place.groups.is_empty() {
        words.reviewed.to_string()
    } else {
        let titles: Vec<String> = place.groups.iter().map(|g| peers_title(g, words)).collect();
        titles.join("\n")
    };
    let mut texts: Vec<(&str, &Format)> = Vec::new();
    if columns.len() > 3 {
        texts.push((set_title, &formats.repeated));
    }
    texts.extend([
        (name.as_str(), &formats.repeated),
        (place.name.as_str(), &formats.place),
        (groups.as_str(), &formats.group),
    ]);
    let mut lines = 1;
    for (c, (text, format)) in texts.into_iter().enumerate() {
        sheet.write_string_with_format(at.row, c as u16, text, format)?;
        // A repeated KPI is cut at its column; a first one, and the groups, wrap.
        if at.first || c + 1 == columns.len() {
            lines = lines.max(lines_needed(text, columns[c].1));
        }
    }
    sheet.set_row_height(at.row, 15.0 * f64::from(lines) + 2.0)?;
    let number = formats.number(kpi.decimals(), lang);
    for (i, year) in at.years.iter().enumerate() {
        let column = (columns.len() + i) as u16;
        let value = kpi
            .years
            .iter()
            .position(|y| y == year)
            .and_then(|k| place.values[k]);
        match value {
            Some(v) => match kpi.kpi.level_label(v) {
                Some(level) => {
                    sheet.write_string_with_format(at.row, column, level, &formats.place)?
                }
                None => sheet.write_number_with_format(at.row, column, v, &number)?,
            },
            None => sheet.write_blank(at.row, column, &number)?,
        };
    }
    Ok(())
}

/// The cell formats of one row.
struct Formats {
    /// The set and the KPI: greyed and cut after a block's first row.
    repeated: Format,
    place: Format,
    group: Format,
}

impl Formats {
    fn new(first: bool, reviewed: bool) -> Formats {
        let styles = Styles::new();
        let mut base = styles.text.clone();
        if first {
            base = base
                .set_border_top(FormatBorder::Medium)
                .set_border_top_color(Color::RGB(0x005EB8));
        }
        let repeated = if first {
            base.clone().set_text_wrap()
        } else {
            base.clone().set_font_color(Color::RGB(0x999999))
        };
        let mut place = base.clone();
        if reviewed {
            place = place.set_bold();
        }
        let group = if reviewed {
            base.clone()
                .set_italic()
                .set_font_color(Color::RGB(0x555555))
        } else {
            base.clone().set_text_wrap()
        };
        Formats {
            repeated,
            place,
            group,
        }
    }

    /// A figure with `decimals` decimals as the set's sheet shows it, bold
    /// for the municipality reviewed.
    fn number(&self, decimals: usize, lang: Lang) -> Format {
        let figure = Shown::Number {
            value: 0.0,
            decimals,
            plus: false,
            suffix: Suffix::None,
        };
        match figure.xlsx_format(lang.numbers(), lang.words()) {
            Some(code) => self.place.clone().set_num_format(code),
            None => self.place.clone(),
        }
    }
}

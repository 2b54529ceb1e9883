//! A set's sheet: the tables of its sections as in the HTML, each figure
//! in a cell of its own so a controller can sort and filter: the year a
//! number with its marks (* † ‡) beside it, a difference in the KPI's unit
//! (or points) and in percent in two columns, a rank and how many it is
//! out of in two.

use anyhow::Result;
use rust_xlsxwriter::{Color, FormatAlign, Worksheet};

use super::styles::{lines_needed, print_setup, wide_text, write_count, write_shown, Styles};
use crate::analysis::kpi::KpiPlan;
use crate::document::reading::{Reading, Shown};
use crate::document::review::{direction_text, Review, Section};
use crate::document::words::Words;
use crate::model::lang::Lang;

/// What a column of a set's sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holds {
    Kpi,
    Year,
    Marks,
    /// A network's member.
    Member,
    /// The peer group, when the sheet has several.
    Group,
    Value,
    Mean,
    /// The difference from the mean in the KPI's unit, or in points.
    Gap,
    /// The same in percent of the mean (amounts).
    GapPercent,
    Rank,
    Ranked,
    RankNational,
    /// How many have a figure in the country: what the national rank is out of.
    WithFigure,
    /// How many places the country has.
    Places,
    Band,
    Direction,
    Change,
    ChangePercent,
    GroupValue,
}

/// One row of a set's sheet: a section's row of a KPI, read.
struct Line<'s> {
    section: &'s Section,
    kpi: &'s KpiPlan,
    row: usize,
    reading: Reading,
    /// "N20007 Kostnad äldreomsorg per invånare 65+, kr/inv 65+"
    name: String,
    /// The peer group's name.
    group: String,
    /// The difference and the change, each (in the unit, in percent).
    gap: (Shown, Shown),
    change: (Shown, Shown),
}

/// Per KPI, a line per section and peer group (per member for a network).
fn lines<'s>(sections: &[&'s Section], lang: Lang) -> Vec<Line<'s>> {
    let words = lang.words();
    let kpis: Vec<&KpiPlan> = sections.first().map(|s| s.shown_kpis()).unwrap_or_default();
    let mut out = Vec::new();
    for shown in kpis {
        let unit = if shown.unit.is_empty() {
            String::new()
        } else {
            format!(", {}", shown.unit)
        };
        let name = format!("{} {}{unit}", shown.id, shown.label_in(lang));
        for section in sections {
            // Each section's own KPI: its peers are the section's.
            let Some(kpi) = section.kpis.iter().find(|k| k.id == shown.id) else {
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
            for row in rows {
                let reading = section.reading(row, kpi, words);
                out.push(Line {
                    section,
                    kpi,
                    row,
                    gap: reading.vs_peers.unit_and_percent(),
                    change: reading.change.unit_and_percent(),
                    reading,
                    name: name.clone(),
                    group: group.clone(),
                });
            }
        }
    }
    out
}

/// The columns of a set's sheet: what each holds, its heading and width.
struct Columns {
    list: Vec<(Holds, String, f64)>,
}

impl Columns {
    fn of(sections: &[&Section], lines: &[Line], lang: Lang, computed: bool) -> Columns {
        let words = lang.words();
        let network = sections.iter().any(|s| s.is_network());
        let groups: usize = sections.iter().map(|s| s.by_group().len()).sum();
        let several = groups > 1 && !network;
        let (mean, vs, rank, ranked) = if network {
            let w = words;
            let ranked = w.ranked_in_network;
            (w.mean_of_others, w.vs_others, w.rank_in_network, ranked)
        } else {
            (
                words.peer_mean,
                words.vs_peers,
                words.rank_in_peers,
                words.ranked_in_peers,
            )
        };
        let text = |s: &str| s.to_string();
        let mut list = vec![
            (Holds::Kpi, text(words.kpi), 36.0),
            (Holds::Year, text(words.year), 6.5),
            (Holds::Marks, text(words.marks), 6.0),
        ];
        if network {
            list.push((Holds::Member, text(words.municipality), 16.0));
        } else if several {
            list.push((Holds::Group, text(words.peer_group), 26.0));
        }
        let gap_width = widest(lines.iter().map(|l| &l.gap.0), lang);
        let change_width = widest(lines.iter().map(|l| &l.change.0), lang);
        list.extend([
            (Holds::Value, text(words.value), 13.0),
            (Holds::Mean, text(mean), 14.0),
            (Holds::Gap, text(vs), gap_width),
        ]);
        let any = |f: for<'a> fn(&'a Line<'a>) -> &'a Shown| {
            lines.iter().any(|l| f(l) != &Shown::Missing)
        };
        if any(|l| &l.gap.1) {
            list.push((Holds::GapPercent, format!("{vs}, %"), 11.0));
        }
        list.extend([
            (Holds::Rank, text(rank), 8.0),
            (Holds::Ranked, text(ranked), 8.0),
            (Holds::RankNational, text(words.rank_national), 8.0),
            (Holds::WithFigure, text(words.coverage), 8.0),
            (Holds::Places, text(words.places_in_country), 8.0),
            (Holds::Band, text(words.band), 12.0),
            (Holds::Direction, text(words.direction), 22.0),
            (Holds::Change, text(words.change), change_width),
        ]);
        if any(|l| &l.change.1) {
            list.push((Holds::ChangePercent, format!("{}, %", words.change), 13.0));
        }
        let group_values = sections
            .iter()
            .any(|s| s.table.iter().any(|r| r.group_value.is_some()));
        if group_values {
            let heading = if computed {
                words.group_value_computed
            } else {
                words.group_value
            };
            list.push((Holds::GroupValue, text(heading), 14.0));
        }
        // A heading wraps between words, never inside one ("nätverket", bold).
        for (_, heading, width) in &mut list {
            let word = heading.split(' ').map(|w| w.chars().count()).max();
            *width = width.max(word.unwrap_or(0) as f64 * 1.2 + 1.0);
        }
        Columns { list }
    }

    fn last(&self) -> u16 {
        (self.list.len() - 1) as u16
    }

    fn total(&self) -> f64 {
        self.list.iter().map(|(_, _, w)| w).sum()
    }
}

/// A number cell cannot wrap: the width of a column of figures with their
/// unit is that of its widest figure.
fn widest<'s>(figures: impl Iterator<Item = &'s Shown>, lang: Lang) -> f64 {
    let widest = figures
        .filter(|s| matches!(s, Shown::Number { .. }))
        .map(|s| s.text(lang.numbers(), lang.words()).chars().count())
        .max()
        .unwrap_or(0);
    (widest as f64 + 1.5).max(11.0)
}

/// One set: the tables of its sections, as in the HTML.
pub(super) fn set_sheet(
    sheet: &mut Worksheet,
    review: &Review,
    title: &str,
    sections: &[&Section],
) -> Result<()> {
    let lang = review.lang;
    let words = lang.words();
    let styles = Styles::new();
    let lines = lines(sections, lang);
    let columns = Columns::of(sections, &lines, lang, review.provenance.computed_groups);
    for (c, (_, _, width)) in columns.list.iter().enumerate() {
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
    let mut header_lines = 1;
    for (c, (_, header, width)) in columns.list.iter().enumerate() {
        sheet.write_string_with_format(row, c as u16, header, &styles.header)?;
        header_lines = header_lines.max(lines_needed(header, *width - 1.0));
    }
    sheet.set_row_height(row, 15.0 * f64::from(header_lines.max(2)))?;
    for line in &lines {
        row += 1;
        write_line(sheet, row, line, &columns, lang, &styles)?;
    }
    row += 2;
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

/// A line's cells, the row as high as its wrapped texts need.
fn write_line(
    sheet: &mut Worksheet,
    row: u32,
    line: &Line,
    columns: &Columns,
    lang: Lang,
    styles: &Styles,
) -> Result<()> {
    let words = lang.words();
    let mut height = 1;
    for (c, (holds, _, width)) in columns.list.iter().enumerate() {
        let c = c as u16;
        let text = match holds {
            Holds::Kpi => Some(line.name.clone()),
            Holds::Group => Some(line.group.clone()),
            Holds::Member => Some(line.section.table[line.row].municipality.clone()),
            Holds::Direction => Some(direction_text(line.kpi.direction, words).to_string()),
            Holds::Band => Some(line.reading.band.name(words).to_string()),
            _ => None,
        };
        if let Some(text) = text {
            height = height.max(lines_needed(&text, *width));
            text_cell(sheet, (row, c), *holds, &text, line, styles)?;
            continue;
        }
        if let Some(shown) = figure(*holds, line) {
            if let Shown::Text(text) = shown {
                height = height.max(lines_needed(text, *width));
            }
            write_shown(sheet, row, c, shown, lang, styles)?;
            continue;
        }
        count_cell(sheet, (row, c), *holds, &line.reading, styles)?;
    }
    sheet.set_row_height(row, 15.0 * f64::from(height) + 2.0)?;
    Ok(())
}

/// A text cell: the band in its colours, the rest wrapped.
fn text_cell(
    sheet: &mut Worksheet,
    (row, column): (u32, u16),
    holds: Holds,
    text: &str,
    line: &Line,
    styles: &Styles,
) -> Result<()> {
    if holds != Holds::Band {
        sheet.write_string_with_format(row, column, text, &styles.text_wrap)?;
        return Ok(());
    }
    let mut band = styles
        .text
        .clone()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center);
    if let Some((fill, font)) = line.reading.band.colours() {
        band = band
            .set_background_color(Color::RGB(fill))
            .set_font_color(Color::RGB(font));
    }
    sheet.write_string_with_format(row, column, text, &band)?;
    Ok(())
}

/// The figure a column holds, when it holds one.
fn figure<'l>(holds: Holds, line: &'l Line) -> Option<&'l Shown> {
    let reading = &line.reading;
    Some(match holds {
        Holds::Value => &reading.value,
        Holds::Mean => &reading.peers,
        Holds::Gap => &line.gap.0,
        Holds::GapPercent => &line.gap.1,
        Holds::Change => &line.change.0,
        Holds::ChangePercent => &line.change.1,
        Holds::GroupValue => &reading.group_value,
        _ => return None,
    })
}

/// A year, a rank or a count as a whole number; the marks beside the year.
fn count_cell(
    sheet: &mut Worksheet,
    (row, column): (u32, u16),
    holds: Holds,
    reading: &Reading,
    styles: &Styles,
) -> Result<()> {
    let count = match holds {
        Holds::Year => reading.year,
        Holds::Rank => reading.rank_in_peers.map(|(r, _)| r),
        Holds::Ranked => reading.rank_in_peers.map(|(_, n)| n),
        Holds::RankNational => reading.rank_national.map(|(r, _)| r),
        Holds::WithFigure => reading
            .coverage
            .map(|(n, _)| n)
            .or(reading.rank_national.map(|(_, n)| n)),
        Holds::Places => reading.coverage.map(|(_, total)| total),
        Holds::Marks => {
            let marks = reading.marks();
            let centred = styles.text.clone().set_align(FormatAlign::Center);
            sheet.write_string_with_format(row, column, marks, &centred)?;
            return Ok(());
        }
        _ => None,
    };
    write_count(sheet, row, column, count, styles)
}

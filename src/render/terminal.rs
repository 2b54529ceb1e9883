//! Terminal views of analyses: figures rounded for reading (exports keep
//! Kolada's full precision), bands in colour where the terminal allows it.

use std::io::IsTerminal;

use comfy_table::{presets, Cell, CellAlignment, Color, ContentArrangement, Table};

use crate::analysis::kpi::KpiPlan;
use crate::analysis::table::{self, Values};
use crate::base::text::terminal_float;
use crate::document::reading::{rank_text, Band, Reading, Shown};
use crate::document::review::Section;
use crate::document::words::Words;
use crate::model::lang::Lang;
use crate::model::scale::Direction;

/// Colours only on a terminal and never when `NO_COLOR` is set.
pub(crate) fn colour_allowed() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// ▁▂▃▄▅▆▇█ for a series, blank where a value is missing, ¦ before a year
/// that starts a new method (`breaks[i]`).
pub(crate) fn sparkline(values: &[Option<f64>], breaks: &[bool]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let (Some(min), Some(max)) = (
        present.iter().copied().reduce(f64::min),
        present.iter().copied().reduce(f64::max),
    ) else {
        return String::new();
    };
    let mut line = String::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 && breaks.get(i).copied().unwrap_or(false) {
            line.push('¦');
        }
        line.push(match v {
            None => ' ',
            Some(_) if max == min => BARS[3],
            Some(v) => BARS[(((v - min) / (max - min)) * 7.0).round() as usize],
        });
    }
    line
}

/// One table of `compare` on a terminal, with what stands above and below it.
pub(crate) struct View {
    /// The peer group or KPI the table is about, when the title does not say it.
    pub heading: Option<String>,
    pub table: Table,
    /// The KPIs' names when the table holds only their ids, and notes on
    /// the table's rows.
    pub below: Vec<String>,
}

/// `compare` of one municipality on a terminal: per peer group a table,
/// one row per KPI at its latest year with a figure, with the trend of
/// the years before as a sparkline. The group is named above its table
/// when the KPIs have more than one. Names are never split inside a
/// word: when a table is wider than the terminal, the KPI column holds the
/// id alone and the names follow under the table.
pub(crate) fn compare(section: &Section, lang: Lang) -> Vec<View> {
    let words = lang.words();
    let groups = section.by_group();
    let several = groups.len() > 1;
    let mut views = Vec::new();
    for (group, kpis) in groups {
        let heading = several.then(|| {
            format!(
                "{} {}: {}",
                words.compared_with,
                group.title(words),
                group.names.join(", ")
            )
        });
        let full = compare_table(section, &kpis, true, lang);
        if !too_wide(&full) {
            views.push(View {
                heading,
                table: full,
                below: Vec::new(),
            });
            continue;
        }
        let legend = kpis
            .iter()
            .map(|k| format!("{} {}{}", k.id, k.label, unit_suffix(k)))
            .collect();
        let mut compact = compare_table(section, &kpis, false, lang);
        // Without the names it fits: no wrapping at all.
        compact.set_content_arrangement(ContentArrangement::Disabled);
        views.push(View {
            heading,
            table: compact,
            below: legend,
        });
    }
    views
}

/// Whether a table is wider than the terminal it goes to.
fn too_wide(table: &Table) -> bool {
    match (table.width(), std::io::stdout().is_terminal()) {
        (Some(width), true) => {
            let natural: usize = table
                .column_max_content_widths()
                .iter()
                .map(|w| usize::from(*w) + 3)
                .sum::<usize>()
                + 1;
            natural > usize::from(width)
        }
        _ => false,
    }
}

fn unit_suffix(kpi: &KpiPlan) -> String {
    if kpi.unit.is_empty() {
        String::new()
    } else {
        format!(", {}", kpi.unit)
    }
}

/// "lower", "higher" or "–": which way the set calls better.
fn better(direction: Direction, words: &Words) -> &'static str {
    match direction {
        Direction::LowerIsBetter => words.term.lower,
        Direction::HigherIsBetter => words.term.higher,
        Direction::Neutral => "–",
    }
}

/// "289/290", or "–".
fn coverage(reading: &Reading) -> String {
    reading
        .coverage
        .map(|(n, total)| format!("{n}/{total}"))
        .unwrap_or_else(|| "–".to_string())
}

fn right(text: String) -> Cell {
    Cell::new(text).set_alignment(CellAlignment::Right)
}

/// A row's year and figures, from its value to its band.
fn figure_cells(reading: &Reading, colour: bool, lang: Lang) -> Vec<Cell> {
    let words = lang.words();
    let text = |shown: &Shown| shown.text(lang.terminal_numbers(), words);
    vec![
        Cell::new(reading.year_text()),
        right(text(&reading.value)),
        right(text(&reading.peers)),
        right(text(&reading.vs_peers)),
        right(rank_text(reading.rank_in_peers)),
        right(rank_text(reading.rank_national)),
        right(coverage(reading)),
        band_cell(reading.band, words, colour),
    ]
}

/// Whether any of the rows shows Kolada's own value of the group.
fn shows_group_value(section: &Section, rows: &[usize]) -> bool {
    rows.iter().any(|&r| section.table[r].group_value.is_some())
}

fn compare_table(section: &Section, kpis: &[&KpiPlan], with_names: bool, lang: Lang) -> Table {
    let colour = colour_allowed();
    let words = lang.words();
    let term = &words.term;
    let text = |shown: &Shown| shown.text(lang.terminal_numbers(), words);
    let shown: Vec<(usize, &KpiPlan)> = kpis
        .iter()
        .filter_map(|k| section.shown_row(&k.id).map(|r| (r, *k)))
        .collect();
    let rows: Vec<usize> = shown.iter().map(|(r, _)| *r).collect();
    let group_value = shows_group_value(section, &rows);
    let mut view = Table::new();
    view.load_preset(presets::UTF8_FULL_CONDENSED);
    fit_to_terminal(&mut view);
    let wrap = |long: &'static str, short: &'static str| if with_names { long } else { short };
    let mut header = vec![
        term.kpi,
        term.year,
        term.value,
        term.peer_mean,
        term.vs_peers,
        wrap(term.rank_in_peers, term.rank_in_peers_short),
        wrap(term.rank_national, term.rank_national_short),
        wrap(term.with_figure, term.with_figure_short),
        term.band,
        term.better,
    ];
    if group_value {
        header.push(wrap(term.group_value, term.group_value_short));
    }
    header.push(term.trend);
    view.set_header(header);
    for (row, kpi) in shown {
        let all = section.rows(&kpi.id);
        let reading = section.reading(row, kpi, words);
        let trend: Vec<Option<f64>> = all.iter().map(|&r| section.table[r].value).collect();
        let breaks: Vec<bool> = all.iter().map(|&r| section.table[r].series_break).collect();
        let first_year = all
            .first()
            .map(|&r| section.table[r].year.to_string())
            .unwrap_or_default();
        let mut line = vec![Cell::new(if with_names {
            format!("{} {}{}", kpi.id, kpi.label, unit_suffix(kpi))
        } else {
            kpi.id.clone()
        })];
        line.extend(figure_cells(&reading, colour, lang));
        line.push(Cell::new(better(kpi.direction, words)));
        if group_value {
            line.push(right(text(&reading.group_value)));
        }
        line.push(Cell::new(format!(
            "{} {first_year}–",
            sparkline(&trend, &breaks)
        )));
        view.add_row(line);
    }
    view
}

/// `compare` of several municipalities on a terminal: per KPI, one row per
/// municipality at its latest year with a figure, each against its own
/// peers and ranked in the country, best rank in Sweden first; those
/// without a figure named below the table.
pub(crate) fn compare_many(section: &Section, lang: Lang) -> Vec<View> {
    let colour = colour_allowed();
    let words = lang.words();
    let term = &words.term;
    let text = |shown: &Shown| shown.text(lang.terminal_numbers(), words);
    let mut out = Vec::new();
    for kpi in section.shown_kpis() {
        let rows = section.member_rows(kpi);
        let group_value = shows_group_value(section, &rows);
        let mut view = Table::new();
        view.load_preset(presets::UTF8_FULL_CONDENSED);
        fit_to_terminal(&mut view);
        let mut header = vec![
            term.municipality,
            term.year,
            term.value,
            term.peer_mean,
            term.vs_peers,
            term.rank_in_peers_short,
            term.rank_national_short,
            term.with_figure_short,
            term.band,
        ];
        if group_value {
            header.push(term.group_value_short);
        }
        header.push(term.peers);
        view.set_header(header);
        for r in rows {
            let reading = section.reading(r, kpi, words);
            let mut line = vec![Cell::new(&section.table[r].municipality)];
            line.extend(figure_cells(&reading, colour, lang));
            if group_value {
                line.push(right(text(&reading.group_value)));
            }
            line.push(Cell::new(&section.table[r].peer_group));
            view.add_row(line);
        }
        let latest = section
            .latest_year(&kpi.id)
            .map(|y| y.to_string())
            .unwrap_or_default();
        let mut below = Vec::new();
        let without = section.members_without(kpi);
        if !without.is_empty() {
            below.push(
                term.no_figure_in
                    .replace("{years}", &section.years_text())
                    .replace("{names}", &without.join(", ")),
            );
        }
        out.push(View {
            heading: Some(
                term.kpi_heading
                    .replace("{kpi}", &kpi.id)
                    .replace("{label}", &kpi.label)
                    .replace("{unit}", &unit_suffix(kpi))
                    .replace("{latest}", &latest)
                    .replace(
                        "{better}",
                        match kpi.direction {
                            Direction::Neutral => term.no_judgement,
                            other => better(other, words),
                        },
                    ),
            ),
            table: view,
            below,
        });
    }
    out
}

/// The band, coloured where the terminal allows.
fn band_cell(band: Band, words: &Words, colour: bool) -> Cell {
    let cell = Cell::new(band.name(words));
    if !colour {
        return cell;
    }
    match band {
        Band::Green => cell.fg(Color::Green),
        Band::Yellow => cell.fg(Color::Yellow),
        Band::Red => cell.fg(Color::Red),
        _ => cell.fg(Color::DarkGrey),
    }
}

/// An aligned table, numbers right-aligned, floats as received (at most 10
/// decimals: see [`terminal_float`]).
pub(crate) fn table(rows: &table::Table, to_terminal: bool) -> Table {
    let mut view = Table::new();
    view.load_preset(presets::UTF8_FULL_CONDENSED);
    if to_terminal {
        fit_to_terminal(&mut view);
    }
    view.set_header(rows.columns.iter().map(|c| c.name.as_str()));
    for row in 0..rows.height() {
        view.add_row(rows.columns.iter().map(|c| match &c.values {
            Values::Float(v) => v[row].map(terminal_float).unwrap_or_default(),
            other => other.cell(row).text(),
        }));
    }
    for (i, column) in rows.columns.iter().enumerate() {
        if column.values.is_numeric() {
            if let Some(col) = view.column_mut(i) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
    }
    view
}

/// Wrap cells to the terminal's width, when there is a terminal of a
/// usable width (a pseudo-terminal may report none).
pub(crate) fn fit_to_terminal(table: &mut Table) {
    if std::io::stdout().is_terminal() && table.width().is_some_and(|w| w >= 60) {
        table.set_content_arrangement(ContentArrangement::Dynamic);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::document::reading::decimals;
    use crate::document::words::{format_number, TERMINAL};

    /// A number as the terminal views write it: decimals by magnitude.
    fn number(value: f64) -> String {
        format_number(value, decimals([value]), TERMINAL, false)
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(number(1234567.4), "1 234 567");
        assert_eq!(number(-4.4413), "-4.44");
        assert_eq!(number(12.34), "12.3");
        assert_eq!(number(-0.001), "0.00");
    }

    #[test]
    fn sparkline_scales() {
        assert_eq!(
            sparkline(&[Some(1.0), None, Some(3.0), Some(2.0)], &[]),
            "▁ █▅"
        );
        assert_eq!(sparkline(&[Some(1.0), Some(3.0)], &[false, true]), "▁¦█");
    }
}

//! Terminal views of analyses: figures rounded for reading (exports keep
//! Kolada's full precision), bands in colour where the terminal allows it.

use std::io::IsTerminal;

use anyhow::Result;
use comfy_table::{presets, Cell, CellAlignment, Color, ContentArrangement, Table};
use polars::prelude::*;

use super::reading::{decimals, rank_text, Band, Reading, Shown};
use super::words::{Words, TERMINAL};
use crate::analysis::cells::{cell_text, Cells};
use crate::analysis::kpi::KpiPlan;
use crate::base::text::terminal_float;
use crate::model::lang::Lang;

/// Colours only on a terminal and never when `NO_COLOR` is set.
pub(crate) fn colour_allowed() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Decimals for a KPI's rows: from the municipality's values (the peers'
/// means when it has none), so every peer group shows the same decimals.
pub(crate) fn row_decimals(cells: &Cells, rows: &[usize]) -> usize {
    let values: Vec<f64> = rows.iter().filter_map(|&r| cells.f64("value", r)).collect();
    if values.is_empty() {
        decimals(rows.iter().filter_map(|&r| cells.f64("peer_mean", r)))
    } else {
        decimals(values)
    }
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

/// `compare` on a terminal: one row per KPI for the latest year, with the
/// trend of the years before as a sparkline. Names are never split inside a
/// word: when the table is wider than the terminal, the KPI column holds the
/// id alone and the names follow under the table.
pub(crate) fn compare(table: &DataFrame, kpis: &[KpiPlan]) -> Result<(Table, Vec<String>)> {
    let full = compare_table(table, kpis, true)?;
    let too_wide = match (full.width(), std::io::stdout().is_terminal()) {
        (Some(width), true) => {
            let natural: usize = full
                .column_max_content_widths()
                .iter()
                .map(|w| usize::from(*w) + 3)
                .sum::<usize>()
                + 1;
            natural > usize::from(width)
        }
        _ => false,
    };
    if !too_wide {
        return Ok((full, Vec::new()));
    }
    let legend = kpis
        .iter()
        .map(|k| format!("{} {}{}", k.id, k.label, unit_suffix(k)))
        .collect();
    let mut compact = compare_table(table, kpis, false)?;
    // Without the names it fits: no wrapping at all.
    compact.set_content_arrangement(comfy_table::ContentArrangement::Disabled);
    Ok((compact, legend))
}

fn unit_suffix(kpi: &KpiPlan) -> String {
    if kpi.unit.is_empty() {
        String::new()
    } else {
        format!(", {}", kpi.unit)
    }
}

fn compare_table(table: &DataFrame, kpis: &[KpiPlan], with_names: bool) -> Result<Table> {
    let cells = Cells(table);
    let colour = colour_allowed();
    let mut view = Table::new();
    view.load_preset(presets::UTF8_FULL_CONDENSED);
    fit_to_terminal(&mut view);
    // Narrow: the long headings on two lines.
    let (in_peers, in_sweden) = if with_names {
        ("rank in peers", "rank in Sweden")
    } else {
        ("rank in\npeers", "rank in\nSweden")
    };
    view.set_header([
        "KPI",
        "year",
        "value",
        "peer mean",
        "vs peers",
        in_peers,
        in_sweden,
        "band",
        "trend",
    ]);
    let words = Lang::En.words();
    let text = |shown: &Shown| shown.text(TERMINAL, words);
    for kpi in kpis {
        let rows: Vec<usize> = (0..table.height())
            .filter(|&r| cells.text("kpi", r) == kpi.id)
            .collect();
        let Some(&last) = rows.last() else { continue };
        let trend: Vec<Option<f64>> = rows.iter().map(|&r| cells.f64("value", r)).collect();
        let breaks: Vec<bool> = rows
            .iter()
            .map(|&r| cells.flag("series_break", r))
            .collect();
        let unit = unit_suffix(kpi);
        let reading = Reading::of(&cells, last, kpi, row_decimals(&cells, &rows), words);
        let year = cells.text("year", last) + if reading.preliminary { "*" } else { "" };
        let band = band_cell(reading.band, words, colour);
        let first_year = rows
            .first()
            .map(|&r| cells.text("year", r))
            .unwrap_or_default();
        view.add_row(vec![
            Cell::new(if with_names {
                format!("{} {}{unit}", kpi.id, kpi.label)
            } else {
                kpi.id.clone()
            }),
            Cell::new(year),
            Cell::new(text(&reading.value)).set_alignment(CellAlignment::Right),
            Cell::new(text(&reading.peers)).set_alignment(CellAlignment::Right),
            Cell::new(text(&reading.vs_peers)).set_alignment(CellAlignment::Right),
            Cell::new(rank_text(reading.rank_in_peers)).set_alignment(CellAlignment::Right),
            Cell::new(rank_text(reading.rank_national)).set_alignment(CellAlignment::Right),
            band,
            Cell::new(format!("{} {first_year}–", sparkline(&trend, &breaks))),
        ]);
    }
    Ok(view)
}

/// `compare` of several municipalities on a terminal: per KPI, one row per
/// municipality in the latest year, each against its own peers and the
/// country (as the report's network tables), best rank among the peers first.
pub(crate) fn compare_many(table: &DataFrame, kpis: &[KpiPlan]) -> Result<Vec<(String, Table)>> {
    let cells = Cells(table);
    let colour = colour_allowed();
    let words = Lang::En.words();
    let text = |shown: &Shown| shown.text(TERMINAL, words);
    let mut out = Vec::new();
    for kpi in kpis {
        let rows: Vec<usize> = (0..table.height())
            .filter(|&r| cells.text("kpi", r) == kpi.id)
            .collect();
        let Some(latest) = rows.iter().filter_map(|&r| cells.int("year", r)).max() else {
            continue;
        };
        let latest_rows = best_first(&cells, &rows, kpi, "rank_national");
        let decimals = row_decimals(&cells, &rows);
        let mut view = Table::new();
        view.load_preset(presets::UTF8_FULL_CONDENSED);
        fit_to_terminal(&mut view);
        view.set_header([
            "municipality",
            "value",
            "peer mean",
            "vs peers",
            "rank in\npeers",
            "rank in\nSweden",
            "band",
            "peers",
        ]);
        for r in latest_rows {
            let reading = Reading::of(&cells, r, kpi, decimals, words);
            let band = band_cell(reading.band, words, colour);
            view.add_row(vec![
                Cell::new(
                    cells.text("municipality", r) + if reading.preliminary { "*" } else { "" },
                ),
                Cell::new(text(&reading.value)).set_alignment(CellAlignment::Right),
                Cell::new(text(&reading.peers)).set_alignment(CellAlignment::Right),
                Cell::new(text(&reading.vs_peers)).set_alignment(CellAlignment::Right),
                Cell::new(rank_text(reading.rank_in_peers)).set_alignment(CellAlignment::Right),
                Cell::new(rank_text(reading.rank_national)).set_alignment(CellAlignment::Right),
                band,
                Cell::new(cells.text("peer_group", r)),
            ]);
        }
        out.push((
            format!("{} {}{} — {latest}", kpi.id, kpi.label, unit_suffix(kpi)),
            view,
        ));
    }
    Ok(out)
}

/// A KPI's rows in their latest year, best first: by `rank_column`, then by
/// value in the KPI's direction, then by name.
pub(crate) fn best_first(
    cells: &Cells,
    rows: &[usize],
    kpi: &KpiPlan,
    rank_column: &str,
) -> Vec<usize> {
    let latest = rows.iter().filter_map(|&r| cells.int("year", r)).max();
    let mut latest_rows: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&r| cells.int("year", r) == latest)
        .collect();
    let sign = kpi.direction.sign();
    latest_rows.sort_by(|&a, &b| {
        let rank = |r| cells.int(rank_column, r).unwrap_or(i64::MAX);
        let score = |r| cells.f64("value", r).map(|v| -v * sign).unwrap_or(f64::MAX);
        rank(a)
            .cmp(&rank(b))
            .then(score(a).total_cmp(&score(b)))
            .then(
                cells
                    .text("municipality", a)
                    .cmp(&cells.text("municipality", b)),
            )
    });
    latest_rows
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
pub(crate) fn table(frame: &DataFrame, to_terminal: bool) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    if to_terminal {
        fit_to_terminal(&mut table);
    }
    table.set_header(frame.get_column_names().iter().map(|n| n.as_str()));
    let columns = frame.columns();
    for row in 0..frame.height() {
        table.add_row(
            columns
                .iter()
                .map(|c| match c.get(row).unwrap_or(AnyValue::Null) {
                    AnyValue::Float64(v) => terminal_float(v),
                    other => cell_text(&other),
                }),
        );
    }
    for (i, column) in columns.iter().enumerate() {
        if column.dtype().is_primitive_numeric() {
            if let Some(col) = table.column_mut(i) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
    }
    table
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

    use crate::output::words::format_number;

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

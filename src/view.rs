//! Terminal views of analyses: figures rounded for reading (exports keep
//! Kolada's full precision), bands in colour where the terminal allows it.

use std::io::IsTerminal;

use anyhow::Result;
use comfy_table::{presets, Cell, CellAlignment, Color, Table};
use polars::prelude::*;

use crate::analysis::KpiPlan;

/// Colours only on a terminal and never when `NO_COLOR` is set.
pub fn colour_allowed() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A number for reading: digits grouped by spaces, decimals by magnitude.
pub fn number(value: f64) -> String {
    let decimals = match value.abs() {
        a if a >= 100.0 => 0,
        a if a >= 10.0 => 1,
        _ => 2,
    };
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(digit);
    }
    let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// ▁▂▃▄▅▆▇█ for a series, blank where a value is missing.
pub fn sparkline(values: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let (Some(min), Some(max)) = (
        present.iter().copied().reduce(f64::min),
        present.iter().copied().reduce(f64::max),
    ) else {
        return String::new();
    };
    values
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if max == min => BARS[3],
            Some(v) => BARS[(((v - min) / (max - min)) * 7.0).round() as usize],
        })
        .collect()
}

/// Typed access to one cell of a frame.
pub struct Cells<'a>(pub &'a DataFrame);

impl Cells<'_> {
    fn value(&self, column: &str, row: usize) -> AnyValue<'_> {
        self.0
            .column(column)
            .ok()
            .and_then(|c| c.get(row).ok())
            .unwrap_or(AnyValue::Null)
    }

    pub fn f64(&self, column: &str, row: usize) -> Option<f64> {
        self.value(column, row).extract::<f64>()
    }

    pub fn int(&self, column: &str, row: usize) -> Option<i64> {
        self.value(column, row).extract::<i64>()
    }

    pub fn text(&self, column: &str, row: usize) -> String {
        crate::render::cell_text(&self.value(column, row))
    }

    pub fn flag(&self, column: &str, row: usize) -> bool {
        matches!(self.value(column, row), AnyValue::Boolean(true))
    }
}

/// One comparison row as people read it: rounded, "–" where there is no figure.
pub struct RowText {
    pub value: String,
    pub peer_mean: String,
    pub vs_peers: String,
    pub rank_in_peers: String,
    pub rank_national: String,
    pub band: String,
    pub change: String,
}

fn signed_pct(value: Option<f64>) -> Option<String> {
    value.map(|d| format!("{}{} %", if d > 0.0 { "+" } else { "" }, number(d)))
}

impl Cells<'_> {
    /// The reading of row `row` of a comparison table (`analysis::COLUMNS`).
    pub fn summary(&self, row: usize) -> RowText {
        let dash = |v: Option<String>| v.unwrap_or_else(|| "–".to_string());
        RowText {
            value: dash(self.f64("value", row).map(number)),
            peer_mean: dash(self.f64("peer_mean", row).map(number)),
            vs_peers: dash(signed_pct(self.f64("deviation_from_peer_mean_pct", row))),
            rank_in_peers: dash(
                self.int("rank_in_peers", row)
                    .map(|r| format!("{r}/{}", self.int("peer_n", row).unwrap_or(0) + 1)),
            ),
            rank_national: dash(
                self.int("rank_national", row)
                    .map(|r| format!("{r}/{}", self.int("national_n", row).unwrap_or(0))),
            ),
            band: self.text("band", row),
            change: dash(signed_pct(self.f64("change_from_previous_year_pct", row))),
        }
    }
}

/// `compare` on a terminal: one row per KPI for the latest year, with the
/// trend of the years before as a sparkline.
pub fn compare(table: &DataFrame, kpis: &[KpiPlan]) -> Result<Table> {
    let cells = Cells(table);
    let colour = colour_allowed();
    let mut view = Table::new();
    view.load_preset(presets::UTF8_FULL_CONDENSED);
    crate::render::fit_to_terminal(&mut view);
    view.set_header([
        "KPI",
        "year",
        "value",
        "peer mean",
        "vs peers",
        "rank in peers",
        "rank in Sweden",
        "band",
        "trend",
    ]);
    for kpi in kpis {
        let rows: Vec<usize> = (0..table.height())
            .filter(|&r| cells.text("kpi", r) == kpi.id)
            .collect();
        let Some(&last) = rows.last() else { continue };
        let trend: Vec<Option<f64>> = rows.iter().map(|&r| cells.f64("value", r)).collect();
        let unit = if kpi.unit.is_empty() {
            String::new()
        } else {
            format!(", {}", kpi.unit)
        };
        let year = cells.text("year", last)
            + if cells.flag("preliminary", last) {
                "*"
            } else {
                ""
            };
        let RowText {
            value,
            peer_mean,
            vs_peers,
            rank_in_peers,
            rank_national,
            band,
            ..
        } = cells.summary(last);
        let mut band_cell = Cell::new(&band);
        if colour {
            band_cell = match band.as_str() {
                "green" => band_cell.fg(Color::Green),
                "yellow" => band_cell.fg(Color::Yellow),
                "red" => band_cell.fg(Color::Red),
                _ => band_cell.fg(Color::DarkGrey),
            };
        }
        let first_year = rows
            .first()
            .map(|&r| cells.text("year", r))
            .unwrap_or_default();
        view.add_row(vec![
            Cell::new(format!("{} {}{unit}", kpi.id, kpi.label)),
            Cell::new(year),
            Cell::new(value).set_alignment(CellAlignment::Right),
            Cell::new(peer_mean).set_alignment(CellAlignment::Right),
            Cell::new(vs_peers).set_alignment(CellAlignment::Right),
            Cell::new(rank_in_peers).set_alignment(CellAlignment::Right),
            Cell::new(rank_national).set_alignment(CellAlignment::Right),
            band_cell,
            Cell::new(format!("{} {first_year}–", sparkline(&trend))),
        ]);
    }
    Ok(view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(number(1234567.4), "1 234 567");
        assert_eq!(number(-4.4413), "-4.44");
        assert_eq!(number(12.34), "12.3");
        assert_eq!(number(-0.001), "0.00");
    }

    #[test]
    fn sparkline_scales() {
        assert_eq!(sparkline(&[Some(1.0), None, Some(3.0), Some(2.0)]), "▁ █▅");
    }
}

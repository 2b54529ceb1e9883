//! Typed access to the cells of a frame, and a cell as text: the one
//! reading of a comparison table that the views and documents share.

use polars_core::prelude::*;

/// Typed access to one cell of a frame.
pub(crate) struct Cells<'a>(pub &'a DataFrame);

impl Cells<'_> {
    fn value(&self, column: &str, row: usize) -> AnyValue<'_> {
        self.0
            .column(column)
            .ok()
            .and_then(|c| c.get(row).ok())
            .unwrap_or(AnyValue::Null)
    }

    pub(crate) fn f64(&self, column: &str, row: usize) -> Option<f64> {
        self.value(column, row).extract::<f64>()
    }

    pub(crate) fn int(&self, column: &str, row: usize) -> Option<i64> {
        self.value(column, row).extract::<i64>()
    }

    pub(crate) fn text(&self, column: &str, row: usize) -> String {
        cell_text(&self.value(column, row))
    }

    pub(crate) fn flag(&self, column: &str, row: usize) -> bool {
        matches!(self.value(column, row), AnyValue::Boolean(true))
    }
}

/// A cell as text: empty for null, yes/no for a flag, numbers as received.
pub(crate) fn cell_text(value: &AnyValue) -> String {
    match value {
        AnyValue::Null => String::new(),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::Float64(v) => v.to_string(),
        AnyValue::Float32(v) => v.to_string(),
        AnyValue::Boolean(b) => (if *b { "yes" } else { "no" }).to_string(),
        other => other.to_string(),
    }
}

/// One KPI's series in a comparison table: (year, figure) where there is one.
pub(crate) fn series_of(table: &DataFrame, kpi: &str, column: &str) -> Vec<(i32, f64)> {
    let cells = Cells(table);
    (0..table.height())
        .filter(|&r| cells.text("kpi", r) == kpi)
        .filter_map(|r| Some((cells.int("year", r)? as i32, cells.f64(column, r)?)))
        .collect()
}

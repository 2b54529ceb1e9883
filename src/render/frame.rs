//! A typed table as a polars frame, made only where a table is written
//! out (CSV, JSON, Parquet): polars is the export engine, nothing more.

use anyhow::Result;
use polars_core::prelude::{Column as FrameColumn, DataFrame};

use crate::analysis::table::{Table, Values};

/// The frame of `table`, each column in its own type.
pub(crate) fn frame(table: &Table) -> Result<DataFrame> {
    let columns: Vec<FrameColumn> = table
        .columns
        .iter()
        .map(|column| {
            let name = column.name.as_str().into();
            match &column.values {
                Values::Text(v) => FrameColumn::new(name, v),
                Values::Int(v) => FrameColumn::new(name, v),
                Values::I32(v) => FrameColumn::new(name, v),
                Values::U32(v) => FrameColumn::new(name, v),
                Values::Float(v) => FrameColumn::new(name, v),
                Values::Bool(v) => FrameColumn::new(name, v),
            }
        })
        .collect();
    Ok(DataFrame::new_infer_height(columns)?)
}

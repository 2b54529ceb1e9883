//! JSON through polars' own serialiser (polars-json): an array of row
//! objects.
//!
//! polars-io's `JsonWriter` is these few lines, but its `json` feature
//! also builds polars' struct columns and a JSON reader, which no command
//! uses (issue 20). The steps are polars-io 0.55's, so the bytes are the
//! same as before.

use std::io::Write;

use anyhow::Result;
use polars_core::prelude::*;
use polars_core::utils::arrow::legacy::conversion::chunk_to_struct;
use polars_json::json::write::{write, Serializer};

/// Write `frame` as a JSON array of row objects (no trailing newline).
pub(crate) fn write_json(out: &mut dyn Write, frame: &mut DataFrame) -> Result<()> {
    frame.align_chunks_par();
    let fields: Vec<_> = frame
        .columns()
        .iter()
        .map(|column| column.field().to_arrow(CompatLevel::newest()))
        .collect();
    let rows = frame
        .iter_chunks(CompatLevel::newest(), false)
        .map(|chunk| Ok(Box::new(chunk_to_struct(chunk, fields.clone())) as ArrayRef));
    let mut out = out;
    write(&mut out, Serializer::new(rows, Vec::new()))?;
    Ok(())
}

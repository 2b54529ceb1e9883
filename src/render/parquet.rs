//! Parquet through polars' own encoder (polars-parquet), Zstandard only.
//!
//! polars-io's `ParquetWriter` is these few steps, but its `parquet`
//! feature builds every codec Parquet knows (LZ4, Brotli, Snappy, gzip:
//! two C libraries among them) for files that only ever use one (issue 20).
//! The steps and options are polars-io 0.55's, so the bytes are the same
//! as before: Zstandard at its default level, statistics, format V1, row
//! groups of at most 512² rows, polars' encoding per type, the Arrow schema
//! in the footer.

use std::io::Write;

use anyhow::Result;
use polars_core::frame::chunk_df_for_writing;
use polars_core::prelude::*;
use polars_parquet::read::ParquetError;
use polars_parquet::write::{
    array_to_columns, get_dtype_encoding, to_parquet_schema, CompressionOptions, Compressor,
    DynIter, DynStreamingIterator, FallibleStreamingIterator, FileWriter, StatisticsOptions,
    Version, WriteOptions,
};

/// polars-io's row-group size when none is asked for.
const ROW_GROUP_ROWS: usize = 512 * 512;

/// Write `frame` as one Parquet file.
pub(crate) fn write_parquet(out: &mut dyn Write, frame: &mut DataFrame) -> Result<()> {
    let frame = chunk_df_for_writing(frame, ROW_GROUP_ROWS)?;
    let schema = frame.schema().to_arrow(CompatLevel::newest());
    let options = WriteOptions {
        statistics: StatisticsOptions::default(),
        compression: CompressionOptions::Zstd(None),
        version: Version::V1,
        data_page_size: None,
    };
    let types = to_parquet_schema(&schema)?.fields().to_vec();
    let encodings: Vec<_> = schema
        .iter_values()
        .map(|field| get_dtype_encoding(&field.dtype))
        .collect();
    let mut writer = FileWriter::try_new(out, schema, options)?;
    for batch in frame.iter_chunks(CompatLevel::newest(), false) {
        if batch.is_empty() {
            continue;
        }
        let mut columns = Vec::new();
        for ((array, parquet_type), encoding) in batch.columns().iter().zip(&types).zip(&encodings)
        {
            for pages in array_to_columns(array, parquet_type.clone(), options, encoding)? {
                let pages = pages.map(|page| {
                    page.map_err(|e| ParquetError::FeatureNotSupported(format!("{e}")))
                });
                let compressed = Compressor::new_from_vec(pages, options.compression, Vec::new())
                    .map_err(PolarsError::from);
                columns.push(Ok(DynStreamingIterator::new(compressed)));
            }
        }
        writer.write(batch.len() as u64, DynIter::new(columns.into_iter()))?;
    }
    writer.end(None)?;
    Ok(())
}

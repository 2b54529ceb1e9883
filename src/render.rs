//! Writing a frame out: an aligned table for reading, or CSV / JSON / Parquet
//! for other programs. Files are written to a temporary name and renamed, so
//! a failure never leaves half a file behind.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use comfy_table::{presets, CellAlignment, ContentArrangement, Table};
use polars::prelude::*;

use crate::error;
use crate::flags::{self, Format};

/// Where and how a command writes its result.
#[derive(Debug, Clone)]
pub struct Target {
    pub format: Format,
    pub path: Option<PathBuf>,
}

impl Target {
    /// `--format` wins; otherwise `-o`'s extension decides; otherwise a table.
    pub fn from_flags(flags: &flags::Output) -> Result<Target> {
        let format = match (flags.format, &flags.output) {
            (Some(format), _) => format,
            (None, Some(path)) => format_from_extension(path)?,
            (None, None) => Format::Table,
        };
        if format == Format::Parquet && flags.output.is_none() {
            return Err(error::usage("parquet is binary: give -o FILE.parquet"));
        }
        Ok(Target {
            format,
            path: flags.output.clone(),
        })
    }
}

fn format_from_extension(path: &Path) -> Result<Format> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    match extension.as_str() {
        "csv" => Ok(Format::Csv),
        "json" => Ok(Format::Json),
        "parquet" => Ok(Format::Parquet),
        "txt" => Ok(Format::Table),
        _ => Err(error::usage(format!(
            "cannot tell the format of '{}' from its extension; use .csv, .json, .parquet or .txt, or give --format",
            path.display()
        ))),
    }
}

/// Write `frame` to the target. `footer` lines follow a table (source, notes).
pub fn emit(frame: &mut DataFrame, target: &Target, footer: &[String]) -> Result<()> {
    write_to(target.path.as_deref(), |out| {
        match target.format {
            Format::Table => {
                writeln!(out, "{}", table(frame, target.path.is_none()))?;
                for line in footer {
                    writeln!(out, "{line}")?;
                }
            }
            Format::Csv => CsvWriter::new(out).include_header(true).finish(frame)?,
            Format::Json => {
                JsonWriter::new(&mut *out)
                    .with_json_format(JsonFormat::Json)
                    .finish(frame)?;
                writeln!(out)?;
            }
            Format::Parquet => {
                ParquetWriter::new(out).finish(frame)?;
            }
        }
        Ok(())
    })
}

/// Run `write` against a file (atomically) or standard output.
pub fn write_to(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match path {
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            match write(&mut out).and_then(|_| Ok(out.flush()?)) {
                Err(e) if is_broken_pipe(&e) => Ok(()),
                other => other,
            }
        }
        Some(path) => {
            let fail = |e: &dyn std::fmt::Display| {
                error::output(format!(
                    "cannot write {} ({e}); check that the folder exists and is writable",
                    path.display()
                ))
            };
            let parent = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            let mut builder = tempfile::Builder::new();
            builder.prefix(".nyckeltal-").suffix(".tmp");
            // A report is for sharing: the usual rw-r--r--, not a temp file's rw-------.
            #[cfg(unix)]
            builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
            let mut file = builder.tempfile_in(parent).map_err(|e| fail(&e))?;
            {
                let mut out = std::io::BufWriter::new(file.as_file_mut());
                write(&mut out)?;
                out.flush().map_err(|e| fail(&e))?;
            }
            file.persist(path).map_err(|e| fail(&e.error))?;
            Ok(())
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// An aligned table, numbers right-aligned, floats exactly as received.
pub fn table(frame: &DataFrame, to_terminal: bool) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    if to_terminal && std::io::stdout().is_terminal() {
        table.set_content_arrangement(ContentArrangement::Dynamic);
    }
    table.set_header(frame.get_column_names().iter().map(|n| n.as_str()));
    let columns = frame.columns();
    for row in 0..frame.height() {
        table.add_row(
            columns
                .iter()
                .map(|c| cell_text(&c.get(row).unwrap_or(AnyValue::Null))),
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

pub fn cell_text(value: &AnyValue) -> String {
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

//! Writing a table out: an aligned table for reading, or CSV / JSON /
//! Parquet / XLSX for other programs. Files are written to a temporary
//! name and renamed (`base::write`), so a failure never leaves half a
//! file behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use polars_io::prelude::{CsvWriter, SerWriter};

use super::frame::frame;
use super::json::write_json;
use super::parquet::write_parquet;
use super::terminal::table;
use crate::analysis::table::{Cell, Table, Values};
use crate::base::error;
use crate::base::write::write_to;

/// The formats a table can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// An aligned table for reading.
    Table,
    /// Comma-separated, UTF-8, full precision.
    Csv,
    /// An array of row objects.
    Json,
    /// Apache Parquet (needs a file).
    Parquet,
    /// Excel workbook with a provenance sheet (needs a file).
    Xlsx,
}

/// Where and how a command writes its result.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub format: Format,
    pub path: Option<PathBuf>,
    /// CSV for Swedish Excel: `;`, decimal comma, BOM.
    pub excel_sv: bool,
}

impl Target {
    /// A table on standard output.
    pub(crate) fn terminal() -> Target {
        Target {
            format: Format::Table,
            path: None,
            excel_sv: false,
        }
    }

    /// The format asked for wins; otherwise the file's extension decides;
    /// otherwise a table. Binary formats need a file; the Swedish Excel
    /// dialect is for CSV only.
    pub(crate) fn new(
        format: Option<Format>,
        path: Option<PathBuf>,
        excel_sv: bool,
    ) -> Result<Target> {
        let format = match (format, &path) {
            (Some(format), _) => format,
            (None, Some(path)) => format_from_extension(path)?,
            (None, None) => Format::Table,
        };
        if format == Format::Parquet && path.is_none() {
            return Err(error::usage("parquet is binary: give -o FILE.parquet"));
        }
        if format == Format::Xlsx && path.is_none() {
            return Err(error::usage(
                "an Excel workbook is binary: give -o FILE.xlsx",
            ));
        }
        if excel_sv && format != Format::Csv {
            return Err(error::usage(
                "--csv-dialect excel-sv applies to CSV output: add --format csv or -o FILE.csv",
            ));
        }
        Ok(Target {
            format,
            path,
            excel_sv,
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
        "xlsx" => Ok(Format::Xlsx),
        "txt" => Ok(Format::Table),
        _ => Err(error::usage(format!(
            "cannot tell the format of '{}' from its extension; use .csv, .json, .parquet, .xlsx or .txt, or give --format",
            path.display()
        ))),
    }
}

/// Write `table` to the target. `footer` lines follow a table (source,
/// notes) and fill the provenance sheet of a workbook.
pub(crate) fn emit(rows: &Table, target: &Target, footer: &[String]) -> Result<()> {
    write_to(target.path.as_deref(), |out| {
        match target.format {
            Format::Table => {
                writeln!(out, "{}", table(rows, target.path.is_none()))?;
                for line in footer {
                    writeln!(out, "{line}")?;
                }
            }
            Format::Csv => write_csv(out, rows, target.excel_sv)?,
            Format::Xlsx => out.write_all(&workbook(rows, footer)?)?,
            Format::Json => {
                write_json(out, &mut frame(rows)?)?;
                writeln!(out)?;
            }
            Format::Parquet => write_parquet(out, &mut frame(rows)?)?,
        }
        Ok(())
    })
}

/// CSV of a table; `excel_sv` for Swedish Excel (`;`, decimal comma, BOM).
/// Text cells that a spreadsheet would run as a formula are neutralised.
pub(crate) fn write_csv(out: &mut dyn Write, table: &Table, excel_sv: bool) -> Result<()> {
    let mut safe = frame(&formula_safe(table))?;
    let mut writer = CsvWriter::new(out).include_header(true);
    if excel_sv {
        writer
            .include_bom(true)
            .with_separator(b';')
            .with_decimal_comma(true)
            .finish(&mut safe)?;
    } else {
        writer.finish(&mut safe)?;
    }
    Ok(())
}

/// Whether a spreadsheet would read a text cell as a formula: it starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return (OWASP's list) and is
/// not simply a number such as "-4.5".
pub(crate) fn starts_a_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && text.trim().parse::<f64>().map_or(true, |v| !v.is_finite())
}

/// The table with every text cell that would start a formula prefixed by
/// `'`, which spreadsheets show as text. Numbers are never touched.
fn formula_safe(table: &Table) -> Table {
    let mut safe = table.clone();
    for column in &mut safe.columns {
        if let Values::Text(texts) = &mut column.values {
            for text in texts.iter_mut().flatten() {
                if starts_a_formula(text) {
                    text.insert(0, '\'');
                }
            }
        }
    }
    safe
}

/// An Excel workbook: the table on a `data` sheet (numbers as numbers,
/// bold frozen header) and a `Källa` sheet with the provenance lines.
pub(crate) fn workbook(table: &Table, provenance: &[String]) -> Result<Vec<u8>> {
    within_excel_limits(|| table_book(table, provenance))
}

/// Excel's limits: rows per sheet (the header included) and characters per cell.
const EXCEL_ROWS: usize = 1_048_576;
const EXCEL_CELL_CHARS: usize = 32_767;

/// Build a workbook; past Excel's limits it is a usage error (exit 2)
/// that names the formats without them, not a failure to write.
pub(crate) fn within_excel_limits(build: impl FnOnce() -> Result<Vec<u8>>) -> Result<Vec<u8>> {
    build().map_err(|e| match e.downcast_ref::<rust_xlsxwriter::XlsxError>() {
        Some(rust_xlsxwriter::XlsxError::MaxStringLengthExceeded) => too_long_for_excel(),
        Some(rust_xlsxwriter::XlsxError::RowColumnLimitError) => error::usage(format!(
            "the table does not fit an Excel sheet ({EXCEL_ROWS} rows, 16,384 columns); use CSV or Parquet (-o x.csv or x.parquet)"
        )),
        _ => e,
    })
}

fn too_long_for_excel() -> anyhow::Error {
    error::usage(format!(
        "a text is longer than an Excel cell holds ({EXCEL_CELL_CHARS} characters); use CSV or Parquet (-o x.csv or x.parquet)"
    ))
}

fn table_book(table: &Table, provenance: &[String]) -> Result<Vec<u8>> {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("data")?;
    write_table_sheet(sheet, table)?;
    let source = book.add_worksheet();
    source.set_name("Källa")?;
    for (r, line) in provenance.iter().enumerate() {
        source.write_string(r as u32, 0, line)?;
    }
    source.autofit();
    Ok(book.save_to_buffer()?)
}

/// A table on a worksheet: a bold header row, frozen; numbers as numbers,
/// booleans as booleans, text as text.
pub(crate) fn write_table_sheet(
    sheet: &mut rust_xlsxwriter::Worksheet,
    table: &Table,
) -> Result<()> {
    // Checked before the work: a million rows are not built to be refused.
    if table.height() >= EXCEL_ROWS {
        return Err(error::usage(format!(
            "{} rows do not fit an Excel sheet ({EXCEL_ROWS} rows at most); use CSV or Parquet (-o x.csv or x.parquet)",
            table.height()
        )));
    }
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, column) in table.columns.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, column.name.as_str(), &bold)?;
        for r in 0..table.height() {
            let row = r as u32 + 1;
            match column.values.cell(r) {
                Cell::Text(None) | Cell::Int(None) | Cell::Float(None) | Cell::Bool(None) => {}
                Cell::Bool(Some(b)) => {
                    sheet.write_boolean(row, c, b)?;
                }
                Cell::Int(Some(number)) => {
                    sheet.write_number(row, c, number as f64)?;
                }
                Cell::Float(Some(number)) => {
                    sheet.write_number(row, c, number)?;
                }
                Cell::Text(Some(text)) => {
                    if text.chars().count() > EXCEL_CELL_CHARS {
                        return Err(too_long_for_excel());
                    }
                    sheet.write_string(row, c, text)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    Ok(())
}

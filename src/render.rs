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
    /// CSV for Swedish Excel: `;`, decimal comma, BOM.
    pub excel_sv: bool,
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
        if format == Format::Xlsx && flags.output.is_none() {
            return Err(error::usage(
                "an Excel workbook is binary: give -o FILE.xlsx",
            ));
        }
        let excel_sv = flags.csv_dialect == Some(flags::CsvDialect::ExcelSv);
        if excel_sv && format != Format::Csv {
            return Err(error::usage(
                "--csv-dialect excel-sv applies to CSV output: add --format csv or -o FILE.csv",
            ));
        }
        Ok(Target {
            format,
            path: flags.output.clone(),
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

/// Write `frame` to the target. `footer` lines follow a table (source,
/// notes) and fill the provenance sheet of a workbook.
pub fn emit(frame: &mut DataFrame, target: &Target, footer: &[String]) -> Result<()> {
    write_to(target.path.as_deref(), |out| {
        match target.format {
            Format::Table => {
                writeln!(out, "{}", table(frame, target.path.is_none()))?;
                for line in footer {
                    writeln!(out, "{line}")?;
                }
            }
            Format::Csv => write_csv(out, frame, target.excel_sv)?,
            Format::Xlsx => out.write_all(&workbook(&[("data", frame)], footer)?)?,
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

/// CSV of a frame; `excel_sv` for Swedish Excel (`;`, decimal comma, BOM).
/// Text cells that a spreadsheet would run as a formula are neutralised.
pub fn write_csv(out: &mut dyn Write, frame: &DataFrame, excel_sv: bool) -> Result<()> {
    let mut safe = formula_safe(frame)?;
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
pub fn starts_a_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && text.trim().parse::<f64>().map_or(true, |v| !v.is_finite())
}

/// The frame with every text cell that would start a formula prefixed by
/// `'`, which spreadsheets show as text. Numbers are never touched.
fn formula_safe(frame: &DataFrame) -> Result<DataFrame> {
    let mut safe = frame.clone();
    for name in frame.get_column_names_owned() {
        let column = frame.column(&name)?;
        if column.dtype() != &DataType::String {
            continue;
        }
        let texts = column.str()?;
        if !texts.iter().flatten().any(starts_a_formula) {
            continue;
        }
        let fixed: Vec<Option<String>> = texts
            .iter()
            .map(|t| {
                t.map(|t| {
                    if starts_a_formula(t) {
                        format!("'{t}")
                    } else {
                        t.to_string()
                    }
                })
            })
            .collect();
        safe.with_column(Column::new(name.clone(), fixed))?;
    }
    Ok(safe)
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
        Some(asked) => {
            let fail = |e: &dyn std::fmt::Display| {
                error::output(format!(
                    "cannot write {} ({e}); check that the folder exists and is writable",
                    asked.display()
                ))
            };
            let keep_user_errors = |e: anyhow::Error| match e.downcast::<crate::error::UserError>()
            {
                Ok(user) => user.into(),
                Err(other) => fail(&format!("{other:#}")),
            };
            let path = match crate::files::destination(asked)? {
                crate::files::Destination::Stream(path) => {
                    // A pipe or device takes the bytes as they come; there is
                    // no file to replace.
                    let file = std::fs::OpenOptions::new()
                        .write(true)
                        .open(&path)
                        .map_err(|e| fail(&e))?;
                    let mut out = std::io::BufWriter::new(file);
                    write(&mut out).map_err(keep_user_errors)?;
                    return out.flush().map_err(|e| fail(&e));
                }
                crate::files::Destination::Replace(path) => path,
            };
            let parent = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            crate::files::clean_stale_temps(parent);
            let mut builder = tempfile::Builder::new();
            let prefix = crate::files::temp_prefix();
            builder.prefix(&prefix).suffix(".tmp");
            // A report is for sharing: the usual rw-r--r--, not a temp file's rw-------.
            #[cfg(unix)]
            builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
            let mut file = builder.tempfile_in(parent).map_err(|e| fail(&e))?;
            {
                let mut out = std::io::BufWriter::new(file.as_file_mut());
                write(&mut out).map_err(keep_user_errors)?;
                out.flush().map_err(|e| fail(&e))?;
            }
            file.as_file().sync_all().map_err(|e| fail(&e))?;
            file.persist(&path).map_err(|e| fail(&e.error))?;
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

/// An aligned table, numbers right-aligned, floats as received (at most 10
/// decimals: see [`crate::text::terminal_float`]).
pub fn table(frame: &DataFrame, to_terminal: bool) -> Table {
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
                    AnyValue::Float64(v) => crate::text::terminal_float(v),
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
pub fn fit_to_terminal(table: &mut Table) {
    if std::io::stdout().is_terminal() && table.width().is_some_and(|w| w >= 60) {
        table.set_content_arrangement(ContentArrangement::Dynamic);
    }
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

/// An Excel workbook: one sheet per frame (numbers as numbers, bold frozen
/// header) and a `Källa` sheet with the provenance lines.
pub fn workbook(sheets: &[(&str, &DataFrame)], provenance: &[String]) -> Result<Vec<u8>> {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    for (name, frame) in sheets {
        let sheet = book.add_worksheet();
        // Excel allows 31 characters and no []:*?/\ in a sheet name.
        let clean: String = name
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        sheet.set_name(if clean.is_empty() {
            "data".to_string()
        } else {
            clean
        })?;
        write_frame_sheet(sheet, frame)?;
    }
    let source = book.add_worksheet();
    source.set_name("Källa")?;
    for (r, line) in provenance.iter().enumerate() {
        source.write_string(r as u32, 0, line)?;
    }
    source.autofit();
    Ok(book.save_to_buffer()?)
}

/// A frame on a worksheet: a bold header row, frozen; numbers as numbers,
/// booleans as booleans, text as text.
pub fn write_frame_sheet(sheet: &mut rust_xlsxwriter::Worksheet, frame: &DataFrame) -> Result<()> {
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, column) in frame.columns().iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, column.name().as_str(), &bold)?;
        let numeric = column.dtype().is_primitive_numeric();
        for r in 0..frame.height() {
            let row = r as u32 + 1;
            match column.get(r)? {
                AnyValue::Null => {}
                AnyValue::Boolean(b) => {
                    sheet.write_boolean(row, c, b)?;
                }
                value if numeric => {
                    if let Some(number) = value.extract::<f64>() {
                        sheet.write_number(row, c, number)?;
                    }
                }
                value => {
                    sheet.write_string(row, c, cell_text(&value))?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    Ok(())
}

/// Build a folder with `fill` in a temporary folder beside `path`, then put
/// it in place: a failure leaves no half-written folder. An existing folder
/// is replaced only when `replaceable` says its contents may go (so a
/// mistyped `-o .` never deletes someone's files).
pub fn write_dir(
    asked: &Path,
    replaceable: impl Fn(&Path) -> bool,
    fill: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    // A link to a folder: the folder it names is replaced, the link stays.
    let resolved = crate::files::follow_links(asked)?;
    let path = resolved.as_path();
    if std::fs::symlink_metadata(path).is_ok() && !path.is_dir() {
        return Err(error::output(format!(
            "{} is a file, not a folder; choose another name",
            asked.display()
        )));
    }
    if path.exists() && !replaceable(path) {
        return Err(error::output(format!(
            "{} exists and holds other files; choose a new or empty folder",
            asked.display()
        )));
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let fail = |e: &dyn std::fmt::Display| {
        error::output(format!(
            "cannot write {} ({e}); check that the folder above it is writable",
            asked.display()
        ))
    };
    std::fs::create_dir_all(parent).map_err(|e| fail(&e))?;
    crate::files::clean_stale_temps(parent);
    let staging = tempfile::Builder::new()
        .prefix(&crate::files::temp_prefix())
        .tempdir_in(parent)
        .map_err(|e| fail(&e))?;
    fill(staging.path())?;
    let staged = staging.keep();
    if !path.exists() {
        return std::fs::rename(&staged, path).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staged);
            fail(&e)
        });
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let old = parent.join(crate::files::old_copy_name(&name));
    std::fs::rename(path, &old).map_err(|e| {
        let _ = std::fs::remove_dir_all(&staged);
        fail(&e)
    })?;
    match std::fs::rename(&staged, path) {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&old);
            Ok(())
        }
        Err(e) => {
            // Put the old folder back: never lose what was there.
            let _ = std::fs::rename(&old, path);
            let _ = std::fs::remove_dir_all(&staged);
            Err(fail(&e))
        }
    }
}

/// Whether a folder holds nothing but these file names (or nothing at all).
pub fn holds_only(dir: &Path, names: &[&str]) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .all(|e| e.file_name().to_str().is_some_and(|n| names.contains(&n)))
    })
}

/// Write `bytes` to `relative` inside `dir`, making folders as needed.
pub fn write_file(dir: &Path, relative: &str, bytes: &[u8]) -> Result<()> {
    let file = dir.join(relative);
    if let Some(folder) = file.parent() {
        std::fs::create_dir_all(folder)?;
    }
    std::fs::write(&file, bytes)
        .map_err(|e| error::output(format!("cannot write {} ({e})", file.display())))
}

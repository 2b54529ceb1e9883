//! Layer 8, how it is drawn: terminal tables ([`terminal`],
//! [`terminal_explain`]), exports in every format ([`exports`], through a
//! polars frame made only here: [`frame`], [`json`], [`parquet`]), the
//! review as one HTML page ([`html`]), printed to PDF by a browser
//! ([`pdf`]), and as a workbook ([`workbook`]), and charts ([`charts`]).

pub(crate) mod charts;
pub(crate) mod exports;
pub(crate) mod frame;
pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod parquet;
pub(crate) mod pdf;
pub(crate) mod terminal;
pub(crate) mod terminal_explain;
pub(crate) mod workbook;

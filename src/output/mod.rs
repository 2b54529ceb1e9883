//! Layer 7, what people and programs see: terminal tables ([`terminal`]),
//! exports in every format ([`exports`]), one reading of a comparison row
//! ([`reading`]), the review model ([`review`]) and its documents
//! ([`html`], [`workbook`], [`charts`]) in the words of each language
//! ([`words`]), and where figures come from ([`provenance`]).

pub(crate) mod charts;
pub(crate) mod explain;
pub(crate) mod explain_page;
pub(crate) mod exports;
pub(crate) mod frame;
pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod kpi_pages;
pub(crate) mod parquet;
pub(crate) mod provenance;
pub(crate) mod reading;
pub(crate) mod review;
pub(crate) mod summary;
pub(crate) mod terminal;
pub(crate) mod words;
pub(crate) mod workbook;
pub(crate) mod years_view;

//! Layer 6, the statistics, in plain Rust: national ranks (computed once
//! per set), comparisons against peers as typed rows, categories, trends,
//! similarity; and the typed table every listing and export is made of.

pub(crate) mod categories;
pub(crate) mod compare;
pub(crate) mod explain;
pub(crate) mod kpi;
pub(crate) mod national;
pub(crate) mod quality;
pub(crate) mod row;
pub(crate) mod similar;
pub(crate) mod summary;
pub(crate) mod table;
pub(crate) mod trend;

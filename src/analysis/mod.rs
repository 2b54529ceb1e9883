//! Layer 6, the statistics, on polars frames and plain Rust: national
//! ranks (computed once per set), comparisons against peers, categories,
//! trends, similarity; and the typed cell and table types every view
//! reads.

pub(crate) mod categories;
pub(crate) mod cells;
pub(crate) mod compare;
pub(crate) mod explain;
pub(crate) mod kpi;
pub(crate) mod national;
pub(crate) mod quality;
pub(crate) mod similar;
pub(crate) mod summary;
pub(crate) mod table;
pub(crate) mod trend;

//! The review as one self-contained HTML page ([`page`]), with its
//! sections on why a cost differs ([`explain`]), a page per KPI
//! ([`kpi_pages`]) and the gaps over the years ([`years`]).

mod explain;
mod kpi_pages;
mod page;
mod years;

pub(crate) use explain::waterfalls;
pub(crate) use page::html;

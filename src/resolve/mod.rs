//! Layer 5, from what a person typed (or wrote in a file) to Kolada ids:
//! KPI ids, municipality selectors, groups, "Liknande kommuner" areas and
//! groups, peer specs, report specs; and the checks of sets and factor
//! files against Kolada's catalogue. Suggestions for typos come from
//! [`suggest`].

pub(crate) mod areas;
pub(crate) mod kpis;
pub(crate) mod peers;
pub(crate) mod places;
pub(crate) mod spec;
pub(crate) mod suggest;

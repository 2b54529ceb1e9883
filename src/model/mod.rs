//! Layer 1, the things nyckeltal talks about: Kolada's ids, its metadata
//! (KPIs, municipalities, groups), observed values, a KPI's scale and
//! direction, years, and a resolved peer group. Field names follow
//! Kolada's v3 metadata, so the same structs read the API, the cache and a
//! snapshot's `meta/*.json`.

pub(crate) mod ids;
pub(crate) mod lang;
pub(crate) mod meta;
pub(crate) mod peers;
pub(crate) mod scale;
pub(crate) mod set;
pub(crate) mod values;
pub(crate) mod years;

pub(crate) use meta::{Group, Kpi, Municipality};
pub(crate) use values::{sort_observations, Gender, Observation};

//! Layer 3, where figures come from: one interface, three implementations.
//!
//! - [`KoladaClient`](crate::kolada::KoladaClient) — the live Kolada API v3 (see `api.rs`);
//! - [`cache::CachedSource`] — the local store in front of the API, or alone with `--offline`;
//! - [`snapshot::Snapshot`] — a snapshot directory (`--source PATH`).

pub(crate) mod api;
pub(crate) mod cache;
mod journal;
pub(crate) mod snapshot;
pub(crate) mod snapshot_save;
mod store;

use anyhow::Result;

use crate::base::progress::Progress;
use crate::model::{Group, Kpi, Municipality, Observation};

/// Values wanted for every combination of KPIs, entities and years.
/// Entities are municipality or region ids, or group ids (whose value is the
/// unweighted mean of the members that have one).
#[derive(Debug, Clone)]
pub(crate) struct ValueQuery {
    pub kpis: Vec<String>,
    pub entities: Vec<String>,
    pub years: Vec<i32>,
}

impl ValueQuery {
    /// Keep only the observations this query asked for.
    pub(crate) fn retain_asked(&self, observations: &mut Vec<Observation>) {
        let kpis: std::collections::HashSet<&str> = self.kpis.iter().map(String::as_str).collect();
        let entities: std::collections::HashSet<&str> =
            self.entities.iter().map(String::as_str).collect();
        let years: std::collections::HashSet<i32> = self.years.iter().copied().collect();
        observations.retain(|o| {
            kpis.contains(o.kpi.as_str())
                && entities.contains(o.entity.as_str())
                && years.contains(&o.year)
        });
    }
}

/// Where figures come from, as people are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Described {
    /// The Kolada API, by its host.
    Api { host: String },
    /// The API through the local cache, or the cache alone (`--offline`).
    Cache { host: String, offline: bool },
    /// A snapshot folder, by its name only.
    Snapshot { name: String },
}

impl Described {
    pub(crate) fn english(&self) -> String {
        match self {
            Described::Api { host } => format!("Kolada API ({host})"),
            Described::Cache {
                host,
                offline: false,
            } => format!("Kolada API ({host}), through the local cache"),
            Described::Cache {
                host,
                offline: true,
            } => format!("Kolada API ({host}), from the local cache (offline)"),
            Described::Snapshot { name } => format!("snapshot '{name}'"),
        }
    }
}

/// What answering the queries so far has cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct FetchStats {
    /// HTTP requests sent to Kolada (every page and every retry).
    pub requests: usize,
    /// Values answered from the local cache without asking Kolada.
    pub from_cache: usize,
}

pub(crate) trait DataSource {
    /// The whole KPI catalogue.
    fn kpis(&self) -> Result<Vec<Kpi>>;
    /// The metadata of these KPIs (upper-case ids); unknown ids are absent.
    /// Sources that can ask for single KPIs do so instead of loading the
    /// whole catalogue.
    fn kpis_by_id(&self, ids: &[String]) -> Result<Vec<Kpi>> {
        Ok(self
            .kpis()?
            .into_iter()
            .filter(|k| ids.contains(&k.id))
            .collect())
    }
    fn municipalities(&self) -> Result<Vec<Municipality>>;
    fn groups(&self) -> Result<Vec<Group>>;
    /// The KPIs this source holds figures for (upper-case ids, sorted),
    /// when it can list them (a snapshot's files, an offline cache);
    /// `None` when only the catalogue can say (the live API).
    fn kpis_with_figures(&self) -> Result<Option<Vec<String>>> {
        Ok(None)
    }
    /// Every value the source has for the query, sorted in output order.
    fn values(&self, query: &ValueQuery, progress: &dyn Progress) -> Result<Vec<Observation>>;
    fn stats(&self) -> FetchStats;
    /// Where the figures came from, for footers and documents people
    /// share: never a local path.
    fn described(&self) -> Described;
    /// The same as one line in English ("snapshot 'kolada'").
    fn describe(&self) -> String {
        self.described().english()
    }
    /// When the figures answered so far were fetched from Kolada (the oldest).
    fn fetched_at(&self) -> Option<chrono::DateTime<chrono::Utc>>;
    /// When one KPI's figures (as answered so far) were fetched from
    /// Kolada, when that is known: never today's date for old data.
    fn fetched_for(&self, kpi: &str) -> Option<chrono::DateTime<chrono::Utc>>;
    /// Whether group values (`mean:G…`) are computed here from the members,
    /// rather than taken from Kolada.
    fn computes_group_means(&self) -> bool {
        false
    }
    /// Notes for people that arose while answering (a damaged cache file
    /// set aside, metadata used from the cache while Kolada was down),
    /// each once: the command line shows them.
    fn take_notes(&self) -> Vec<String> {
        Vec::new()
    }
}

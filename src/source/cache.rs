//! The local store: metadata with a time-to-live, values kept per KPI with a
//! record of which cells were asked, so a repeated query makes no request,
//! and the pages of a query kept as they arrive, so a stopped fetch
//! resumes (files: [`super::store`], pages: [`super::journal`]).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::journal::Pages;
pub(crate) use super::store::Cache;
use super::{DataSource, Described, FetchStats, ValueQuery};
use crate::base::error;
use crate::base::progress::Progress;
use crate::kolada::{asks_everybody, Entities, KoladaClient, ValueRequest};
use crate::model::ids::{is_group_id, is_kolada_id};
use crate::model::years::format_years;
use crate::model::{sort_observations, Gender, Group, Kpi, Municipality, Observation};

/// How long KPI, municipality and group lists are trusted before a refetch.
pub(crate) const DEFAULT_META_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

#[derive(Serialize, Deserialize)]
struct Stamped<T> {
    fetched_at: DateTime<Utc>,
    items: Vec<T>,
}

/// Everything cached for one KPI.
#[derive(Serialize, Deserialize, Default, Clone)]
struct KpiEntry {
    /// Years fetched for every municipality, region and Riket at once.
    complete_years: BTreeSet<i32>,
    /// Years fetched for single ids (municipalities, regions, groups).
    cells: BTreeMap<String, BTreeSet<i32>>,
    rows: Vec<Row>,
    /// When Kolada last answered for this KPI.
    #[serde(default)]
    fetched_at: Option<DateTime<Utc>>,
}

/// entity, year, gender, value, count, status
#[derive(Serialize, Deserialize, Clone)]
struct Row(String, i32, Gender, Option<f64>, Option<u32>, String);

impl KpiEntry {
    fn covers(&self, entity: &str, year: i32) -> bool {
        (self.complete_years.contains(&year) && !is_group_id(entity))
            || self
                .cells
                .get(entity)
                .is_some_and(|years| years.contains(&year))
    }

    /// The cached values of `kpi` that `query` asks for.
    fn observations(&self, kpi: &str, query: &ValueQuery) -> Vec<Observation> {
        let mut observations: Vec<Observation> = self
            .rows
            .iter()
            .map(
                |Row(entity, year, gender, value, count, status)| Observation {
                    kpi: kpi.to_string(),
                    entity: entity.clone(),
                    year: *year,
                    gender: *gender,
                    value: *value,
                    count: *count,
                    status: status.clone(),
                },
            )
            .collect();
        query.retain_asked(&mut observations);
        observations
    }

    /// Replace what the request covered by what Kolada answered now: values
    /// Kolada no longer has disappear, revised ones are overwritten.
    fn merge(&mut self, request: &ValueRequest, fresh: &[Observation]) {
        self.fetched_at = Some(Utc::now());
        let years: BTreeSet<i32> = request.years.iter().copied().collect();
        match &request.entities {
            Entities::All => {
                self.rows
                    .retain(|r| !years.contains(&r.1) || is_group_id(&r.0));
                self.complete_years.extend(&years);
            }
            Entities::Ids(ids) => {
                let ids: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
                self.rows
                    .retain(|r| !(years.contains(&r.1) && ids.contains(r.0.as_str())));
                for id in ids {
                    self.cells.entry(id.to_string()).or_default().extend(&years);
                }
            }
        }
        self.rows.extend(fresh.iter().map(|o| {
            Row(
                o.entity.clone(),
                o.year,
                o.gender,
                o.value,
                o.count,
                o.status.clone(),
            )
        }));
    }
}

/// Single KPIs' metadata, each with when it was fetched.
const KPI_BY_ID: &str = "meta/kpi_by_id.json";

/// The KPIs of `list` with these ids, in the order of `ids`.
fn pick(list: &[Kpi], ids: &[String]) -> Vec<Kpi> {
    ids.iter()
        .filter_map(|id| list.iter().find(|k| &k.id == id).cloned())
        .collect()
}

/// The cache in front of the live API, or on its own (`--offline`).
pub(crate) struct CachedSource {
    cache: Cache,
    upstream: Option<KoladaClient>,
    refresh: bool,
    meta_ttl: Duration,
    from_cache: RefCell<usize>,
    /// When each KPI answered so far was fetched from Kolada.
    fetched: RefCell<BTreeMap<String, DateTime<Utc>>>,
}

impl CachedSource {
    /// `upstream: None` answers only from the cache.
    pub(crate) fn new(
        cache: Cache,
        upstream: Option<KoladaClient>,
        refresh: bool,
        meta_ttl: Duration,
    ) -> Self {
        CachedSource {
            cache,
            upstream,
            refresh,
            meta_ttl,
            from_cache: RefCell::new(0),
            fetched: RefCell::new(BTreeMap::new()),
        }
    }

    /// What the cache holds for the query, without asking Kolada and without
    /// failing on cells it does not hold.
    pub(crate) fn held(&self, query: &ValueQuery) -> Vec<Observation> {
        let mut observations: Vec<Observation> = query
            .kpis
            .iter()
            .filter_map(|kpi| Some((kpi, self.cache.load::<KpiEntry>(&values_file(kpi).ok()?)?)))
            .flat_map(|(kpi, entry)| entry.observations(kpi, query))
            .collect();
        sort_observations(&mut observations);
        observations
    }

    /// Whether metadata fetched then is still within its time to live.
    fn fresh(&self, fetched_at: DateTime<Utc>) -> bool {
        (Utc::now() - fetched_at).to_std().unwrap_or(Duration::ZERO) < self.meta_ttl
    }

    fn meta<T: Serialize + DeserializeOwned>(
        &self,
        name: &str,
        what: &str,
        fetch: impl Fn(&KoladaClient) -> Result<Vec<T>>,
    ) -> Result<Vec<T>> {
        let file = format!("meta/{name}.json");
        let cached: Option<Stamped<T>> = self.cache.load(&file);
        let Some(client) = &self.upstream else {
            return cached.map(|c| c.items).ok_or_else(|| {
                error::not_cached(format!(
                    "--offline: the {what} is not in the cache ({}); run the command once without --offline, or use --source PATH",
                    self.cache.dir().display()
                ))
            });
        };
        let cached = match cached {
            Some(c) if !self.refresh && self.fresh(c.fetched_at) => return Ok(c.items),
            other => other,
        };
        match fetch(client) {
            Ok(items) => {
                let stamped = Stamped {
                    fetched_at: Utc::now(),
                    items,
                };
                self.cache.keep(&file, &stamped, &format!("the {what} is"));
                Ok(stamped.items)
            }
            Err(err) => match cached {
                Some(c) if error::report(&err).0 == error::exit::NETWORK => {
                    self.cache.note(format!(
                        "warning: Kolada did not answer; using the {what} cached on {}",
                        c.fetched_at.format("%Y-%m-%d")
                    ));
                    Ok(c.items)
                }
                _ => Err(err),
            },
        }
    }
}

/// Per KPI, the cells the cache lacks: KPIs that lack the same cells are
/// fetched together.
type Missing = BTreeMap<(Vec<String>, Vec<i32>), Vec<String>>;

impl CachedSource {
    /// What the cache holds for each asked KPI.
    fn entries(&self, query: &ValueQuery) -> Result<BTreeMap<String, KpiEntry>> {
        let mut entries = BTreeMap::new();
        for kpi in &query.kpis {
            let entry = self
                .cache
                .load::<KpiEntry>(&values_file(kpi)?)
                .unwrap_or_default();
            entries.insert(kpi.clone(), entry);
        }
        Ok(entries)
    }

    /// What the held entries lack of the query. With --refresh every asked
    /// cell counts as missing, but the rest of what the cache holds for
    /// the KPI stays.
    fn missing(&self, query: &ValueQuery, entries: &BTreeMap<String, KpiEntry>) -> Missing {
        let mut missing = Missing::new();
        for (kpi, entry) in entries {
            let mut lacking_entities = BTreeSet::new();
            let mut lacking_years = BTreeSet::new();
            for entity in &query.entities {
                for &year in &query.years {
                    if self.refresh || !entry.covers(entity, year) {
                        lacking_entities.insert(entity.clone());
                        lacking_years.insert(year);
                    }
                }
            }
            if !lacking_entities.is_empty() {
                missing
                    .entry((
                        lacking_entities.into_iter().collect(),
                        lacking_years.into_iter().collect(),
                    ))
                    .or_default()
                    .push(kpi.clone());
            }
        }
        // In the asked order, as the queries go.
        for kpis in missing.values_mut() {
            kpis.sort_by_key(|k| query.kpis.iter().position(|q| q == k));
        }
        missing
    }

    /// Ask Kolada for what is missing: first the rest of the queries a
    /// stopped run began (from the page where it stopped), then what is
    /// still missing. Each page is kept as it arrives and each answered
    /// query merged and stored, so a failure or a kill later keeps what was
    /// answered and a repeat asks only for the rest.
    fn fetch_missing(
        &self,
        client: &KoladaClient,
        query: &ValueQuery,
        missing: Missing,
        entries: &mut BTreeMap<String, KpiEntry>,
        progress: &dyn Progress,
    ) -> Result<()> {
        let pages = Pages::new(&self.cache);
        pages.clear_stale();
        let begun = if self.refresh {
            Vec::new()
        } else {
            begun_for(&pages, query, &missing)
        };
        self.note_what_is_held(entries.len(), &missing, begun.len());
        let missing = if begun.is_empty() {
            missing
        } else {
            client.values_each(&begun, Some(&pages), progress, |scope, fresh| {
                self.store_answer(scope, &fresh, entries)
            })?;
            self.missing(query, entries)
        };
        let requests: Vec<ValueRequest> = missing
            .into_iter()
            .flat_map(|((entities, years), kpis)| {
                ValueRequest::split_for_bulk(kpis, entities, years)
            })
            .collect();
        client.values_each(&requests, Some(&pages), progress, |scope, fresh| {
            self.store_answer(scope, &fresh, entries)
        })
    }

    /// An answered query merged into each of its KPIs' entries and stored.
    fn store_answer(
        &self,
        scope: &ValueRequest,
        fresh: &[Observation],
        entries: &mut BTreeMap<String, KpiEntry>,
    ) -> Result<()> {
        for kpi in &scope.kpis {
            let answered: Vec<Observation> = fresh
                .iter()
                .filter(|o| &o.kpi == kpi && scope.entities.covers(&o.entity))
                .cloned()
                .collect();
            let in_memory = entries.remove(kpi).unwrap_or_default();
            let merged = self.cache.keep_merged(
                &values_file(kpi)?,
                "the figures are",
                |on_disk: Option<KpiEntry>| {
                    // What another run stored meanwhile is kept.
                    let mut entry = on_disk.unwrap_or(in_memory);
                    entry.merge(scope, &answered);
                    entry
                },
            );
            entries.insert(kpi.clone(), merged);
        }
        Ok(())
    }

    /// "1 203 of 1 953 KPIs already in the cache": what a repeated fetch
    /// still needs, said when part of it is held.
    fn note_what_is_held(&self, asked: usize, missing: &Missing, begun: usize) {
        let lacking: BTreeSet<&String> = missing.values().flatten().collect();
        let held = asked - lacking.len().min(asked);
        if self.refresh || (held == 0 && begun == 0) {
            return;
        }
        let mut note = format!(
            "note: {held} of {asked} KPIs already in the cache; asking Kolada for the other {}",
            lacking.len()
        );
        if begun > 0 {
            note.push_str(&format!(
                ", going on from the pages a stopped fetch kept ({begun} queries)"
            ));
        }
        self.cache.note(note);
    }
}

/// The queries a stopped run began that this query needs: within what it
/// asks, and holding a KPI it lacks.
fn begun_for(pages: &Pages, query: &ValueQuery, missing: &Missing) -> Vec<ValueRequest> {
    let lacking: BTreeSet<&String> = missing.values().flatten().collect();
    let places = query.entities.iter().filter(|e| !is_group_id(e)).count();
    pages
        .begun()
        .into_iter()
        .filter(|begun| {
            begun.kpis.iter().all(|k| query.kpis.contains(k))
                && begun.kpis.iter().any(|k| lacking.contains(k))
                && begun.years.iter().all(|y| query.years.contains(y))
                && match &begun.entities {
                    Entities::All => asks_everybody(places),
                    Entities::Ids(ids) => ids.iter().all(|id| query.entities.contains(id)),
                }
        })
        .collect()
}

impl DataSource for CachedSource {
    fn kpis(&self) -> Result<Vec<Kpi>> {
        self.meta("kpi", "KPI catalogue", KoladaClient::kpis)
    }

    /// From the cached catalogue when it is fresh; otherwise from the
    /// per-KPI store, asking Kolada only for the ids it lacks (the whole
    /// catalogue when that takes fewer requests).
    fn kpis_by_id(&self, ids: &[String]) -> Result<Vec<Kpi>> {
        const CATALOGUE_PAGES: usize = 2;
        let full: Option<Stamped<Kpi>> = self.cache.load("meta/kpi.json");
        if let Some(full) = &full {
            if self.upstream.is_none() || (!self.refresh && self.fresh(full.fetched_at)) {
                return Ok(pick(&full.items, ids));
            }
        }
        let mut known: Vec<Stamped<Kpi>> = self.cache.load(KPI_BY_ID).unwrap_or_default();
        let held = |id: &String, known: &[Stamped<Kpi>]| {
            known.iter().any(|s| {
                s.items.first().is_some_and(|k| &k.id == id)
                    && (self.upstream.is_none() || (!self.refresh && self.fresh(s.fetched_at)))
            })
        };
        let lacking: Vec<String> = ids.iter().filter(|id| !held(id, &known)).cloned().collect();
        if let (false, Some(client)) = (lacking.is_empty(), &self.upstream) {
            if KoladaClient::requests_for_ids(lacking.len()) > CATALOGUE_PAGES {
                return Ok(pick(&self.kpis()?, ids));
            }
            let fresh = client.kpis_by_id(&lacking)?;
            let now = Utc::now();
            known = self.cache.keep_merged(
                KPI_BY_ID,
                "the KPI metadata is",
                |on_disk: Option<Vec<Stamped<Kpi>>>| {
                    let mut known = on_disk.unwrap_or(known);
                    known.retain(|s| s.items.first().is_some_and(|k| !lacking.contains(&k.id)));
                    known.extend(fresh.into_iter().map(|k| Stamped {
                        fetched_at: now,
                        items: vec![k],
                    }));
                    known
                },
            );
        }
        let found: Vec<Kpi> = known.into_iter().flat_map(|s| s.items).collect();
        Ok(pick(&found, ids))
    }

    /// Offline, the KPIs the cache holds figures for; online, the catalogue says.
    fn kpis_with_figures(&self) -> Result<Option<Vec<String>>> {
        if self.upstream.is_some() {
            return Ok(None);
        }
        let Ok(entries) = std::fs::read_dir(self.cache.dir().join("values")) else {
            return Ok(Some(Vec::new()));
        };
        let mut ids: Vec<String> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_str()?.strip_suffix(".json")?.to_string();
                is_kolada_id(&name).then_some(name)
            })
            .collect();
        ids.sort();
        Ok(Some(ids))
    }

    fn municipalities(&self) -> Result<Vec<Municipality>> {
        self.meta(
            "municipality",
            "municipality list",
            KoladaClient::municipalities,
        )
    }

    fn groups(&self) -> Result<Vec<Group>> {
        self.meta(
            "municipality_groups",
            "municipality group list",
            KoladaClient::groups,
        )
    }

    fn values(&self, query: &ValueQuery, progress: &dyn Progress) -> Result<Vec<Observation>> {
        let mut entries = self.entries(query)?;
        let missing = self.missing(query, &entries);
        // Rows exist only for cells fetched earlier, so what the query finds
        // in the cache now is what the cache answers.
        if !self.refresh {
            let cached: usize = entries
                .iter()
                .map(|(kpi, entry)| entry.observations(kpi, query).len())
                .sum();
            *self.from_cache.borrow_mut() += cached;
        }
        if !missing.is_empty() {
            let Some(client) = &self.upstream else {
                return Err(error::not_cached(describe_missing(&missing)));
            };
            self.fetch_missing(client, query, missing, &mut entries, progress)?;
        }
        let mut fetched = self.fetched.borrow_mut();
        for (kpi, entry) in &entries {
            if let Some(at) = entry.fetched_at {
                fetched.insert(kpi.clone(), at);
            }
        }
        let mut observations: Vec<Observation> = entries
            .iter()
            .flat_map(|(kpi, entry)| entry.observations(kpi, query))
            .collect();
        sort_observations(&mut observations);
        Ok(observations)
    }

    fn stats(&self) -> FetchStats {
        FetchStats {
            requests: self
                .upstream
                .as_ref()
                .map_or(0, KoladaClient::requests_made),
            from_cache: *self.from_cache.borrow(),
        }
    }

    fn fetched_at(&self) -> Option<DateTime<Utc>> {
        self.fetched.borrow().values().min().copied()
    }

    fn fetched_for(&self, kpi: &str) -> Option<DateTime<Utc>> {
        self.fetched.borrow().get(kpi).copied()
    }

    fn take_notes(&self) -> Vec<String> {
        self.cache.take_notes()
    }

    fn described(&self) -> Described {
        Described::Cache {
            host: super::api::host_of(self.cache.api_url()),
            offline: self.upstream.is_none(),
        }
    }
}

/// The cache file of a KPI's figures. The id is checked first: it names a
/// file, and must never lead outside the cache folder.
fn values_file(kpi: &str) -> Result<String> {
    if !is_kolada_id(kpi) {
        return Err(error::usage(format!(
            "'{}' is not a Kolada KPI id (letters and digits only)",
            kpi.escape_debug()
        )));
    }
    Ok(format!("values/{kpi}.json"))
}

/// "--offline: not in the cache: N20900 for 1419 in 2021–2022; …"
fn describe_missing(missing: &BTreeMap<(Vec<String>, Vec<i32>), Vec<String>>) -> String {
    let parts: Vec<String> = missing
        .iter()
        .map(|((entities, years), kpis)| {
            let who = if entities.len() > 5 {
                format!("{} municipalities", entities.len())
            } else {
                entities.join(", ")
            };
            format!("{} for {} in {}", kpis.join(", "), who, format_years(years))
        })
        .collect();
    format!(
        "--offline: not in the cache: {}; fetch it first while online (nyckeltal fetch …) or use --source PATH",
        parts.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_replaces_revised_and_deleted_values() {
        let mut entry = KpiEntry::default();
        let obs = |entity: &str, year, value| Observation {
            kpi: "N1".into(),
            entity: entity.into(),
            year,
            gender: Gender::T,
            value: Some(value),
            count: Some(1),
            status: String::new(),
        };
        let request = ValueRequest {
            kpis: vec!["N1".into()],
            entities: Entities::Ids(vec!["1419".into(), "1407".into()]),
            years: vec![2022],
        };
        entry.merge(&request, &[obs("1419", 2022, 1.0), obs("1407", 2022, 2.0)]);
        entry.merge(&request, &[obs("1419", 2022, 1.5)]);
        assert_eq!(entry.rows.len(), 1);
        assert_eq!(entry.rows[0].3, Some(1.5));
        assert!(
            entry.covers("1407", 2022),
            "a cell asked and answered empty is still covered"
        );
        assert!(!entry.covers("1407", 2021));
    }
}

//! What Kolada changed: values that are new, revised (old → new) or
//! deleted compared with a snapshot folder, or changed since a date (the
//! API's `from_date`; then the cache, where it holds a cell, tells new from
//! revised). Kolada revises figures without notice; this makes it visible.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use chrono::NaiveDate;

use super::fetch::fetch;
use super::Context;
use crate::analysis::table::{table_of, Cell, Kind, Table};
use crate::base::error;
use crate::base::text::difference;
use crate::kolada::{Entities, KoladaClient, ValueRequest};
use crate::model::{Gender, Observation};
use crate::resolve::kpis::chosen_kpis;
use crate::source::cache::{Cache, CachedSource, DEFAULT_META_TTL};
use crate::source::snapshot::Snapshot;
use crate::source::{DataSource, ValueQuery};

type Key = (String, String, i32, Gender);

/// One changed cell: new, revised or deleted, with its old and new value.
type Change = (&'static str, Key, Option<f64>, Option<f64>);

/// Which KPIs: `--set` names and `--kpi` ids as typed.
pub(crate) struct Chosen<'a> {
    pub sets: &'a [String],
    pub kpi: Option<&'a str>,
}

/// The live API and its cache, for changes since a date.
pub(crate) struct Live<'a> {
    pub client: &'a KoladaClient,
    /// The cache, to tell revised values from new ones.
    pub cache: Option<Cache>,
}

/// The changes as a table, and the summary line.
pub(crate) fn listing(changes: &[Change], against: &str, cx: &Context) -> Result<(Table, String)> {
    let names = cx.catalogue.municipality_names().unwrap_or_default();
    let count = |kind: &str| changes.iter().filter(|c| c.0 == kind).count();
    let summary = format!(
        "{} new, {} revised, {} deleted — {against}",
        count("new"),
        count("revised"),
        count("deleted")
    );
    let rows = changes
        .iter()
        .map(|(kind, (kpi, entity, year, gender), old, new)| {
            vec![
                Cell::from(*kind),
                Cell::from(kpi),
                Cell::from(entity),
                Cell::from(names.get(entity).cloned()),
                Cell::from(*year),
                Cell::from(gender.code()),
                Cell::from(*old),
                Cell::from(*new),
                Cell::from(old.zip(*new).map(|(o, n)| difference(o, n))),
            ]
        })
        .collect();
    let frame = table_of(
        &[
            ("change", Kind::Text),
            ("kpi", Kind::Text),
            ("municipality_id", Kind::Text),
            ("municipality", Kind::Text),
            ("year", Kind::Int),
            ("gender", Kind::Text),
            ("old_value", Kind::Float),
            ("new_value", Kind::Float),
            ("difference", Kind::Float),
        ],
        rows,
    )?;
    Ok((frame, summary))
}

fn keyed(observations: Vec<Observation>) -> BTreeMap<Key, f64> {
    observations
        .into_iter()
        .filter_map(|o| Some(((o.kpi, o.entity, o.year, o.gender), o.value?)))
        .collect()
}

/// Every cell that differs between the snapshot and the current source,
/// and what was compared with.
pub(crate) fn since_snapshot(
    path: &Path,
    chosen: &Chosen,
    cx: &Context,
) -> Result<(Vec<Change>, String)> {
    let old = Snapshot::open(path)?;
    let stamp = old.stamp();
    let query = snapshot_query(path, stamp.as_ref(), chosen, cx)?;
    let before = keyed(old.values(&query, &crate::base::progress::Silent)?);
    let after = keyed(fetch(cx.catalogue.source(), &query, cx.progress)?);
    let mut changes = Vec::new();
    for (key, old_value) in &before {
        match after.get(key) {
            None => changes.push(("deleted", key.clone(), Some(*old_value), None)),
            Some(new_value) if new_value.to_bits() != old_value.to_bits() => {
                changes.push(("revised", key.clone(), Some(*old_value), Some(*new_value)))
            }
            Some(_) => {}
        }
    }
    for (key, new_value) in &after {
        if !before.contains_key(key) {
            changes.push(("new", key.clone(), None, Some(*new_value)));
        }
    }
    changes.sort_by(|a, b| a.1.cmp(&b.1));
    let taken = stamp
        .and_then(|s| s.fetched_at)
        .map(|at| format!(", fetched {}", at.format("%Y-%m-%d")))
        .unwrap_or_default();
    Ok((
        changes,
        format!("compared with the snapshot {}{taken}", path.display()),
    ))
}

/// What a snapshot holds (or the KPIs asked), and any year published after it.
fn snapshot_query(
    path: &Path,
    stamp: Option<&crate::source::snapshot::Stamp>,
    chosen: &Chosen,
    cx: &Context,
) -> Result<ValueQuery> {
    let catalogue = cx.catalogue;
    let asked = !chosen.sets.is_empty() || chosen.kpi.is_some();
    let kpis = match (stamp, asked) {
        (_, true) => chosen_kpis(chosen.sets, chosen.kpi, &[], catalogue, cx.refdata)?,
        (Some(stamp), false) => stamp.kpis.clone(),
        (None, false) => {
            return Err(error::usage(format!(
                "{} has no snapshot.json saying what it holds; name the KPIs with --set or --kpi",
                path.display()
            )))
        }
    };
    let entities = match stamp {
        Some(stamp) => stamp.municipalities.clone(),
        None => catalogue.kommuner()?.iter().map(|m| m.id.clone()).collect(),
    };
    let latest = catalogue.latest_year(&kpis);
    let years: Vec<i32> = match stamp {
        Some(stamp) => {
            let last = stamp.years.iter().copied().max().unwrap_or(1998);
            let mut years = stamp.years.clone();
            years.extend((last + 1)..=latest.unwrap_or(last).max(last));
            years
        }
        None => (1998..=catalogue.latest_year_or_last(&kpis)).collect(),
    };
    Ok(ValueQuery {
        kpis,
        entities,
        years,
    })
}

/// What Kolada reports as changed since `date`; the cache, where it has the
/// cell, tells new from revised.
pub(crate) fn since_date(
    date: NaiveDate,
    chosen: &Chosen,
    live: Live,
    cx: &Context,
) -> Result<Vec<Change>> {
    let catalogue = cx.catalogue;
    let kpis = chosen_kpis(chosen.sets, chosen.kpi, &[], catalogue, cx.refdata)?;
    let latest = catalogue.latest_year_or_last(&kpis);
    let years: Vec<i32> = ((latest - 24)..=latest).collect();
    cx.progress.begin("asking Kolada");
    let reported = live.client.changed_since(
        &[ValueRequest {
            kpis: kpis.clone(),
            entities: Entities::All,
            years: years.clone(),
        }],
        date,
        cx.progress,
    );
    cx.progress.end();
    let cached: BTreeMap<Key, f64> = match live.cache {
        Some(cache) => {
            let held = CachedSource::new(cache, None, false, DEFAULT_META_TTL);
            let entities = catalogue
                .municipalities()?
                .iter()
                .map(|m| m.id.clone())
                .collect();
            let cells = keyed(held.held(&ValueQuery {
                kpis,
                entities,
                years,
            }));
            cx.notes.warn(held.take_notes());
            cells
        }
        None => BTreeMap::new(),
    };
    let mut changes: Vec<Change> = reported?
        .into_iter()
        .map(|(o, deleted)| {
            let key = (o.kpi.clone(), o.entity.clone(), o.year, o.gender);
            let old = cached.get(&key).copied();
            let kind = match (deleted, old) {
                (true, _) => "deleted",
                (false, Some(_)) => "revised",
                (false, None) => "new",
            };
            (kind, key, old, if deleted { None } else { o.value })
        })
        .filter(|(kind, _, old, new)| {
            *kind != "revised" || old.map(f64::to_bits) != new.map(f64::to_bits)
        })
        .collect();
    changes.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(changes)
}

//! `nyckeltal changes --since SNAPSHOT|DATE [--set NAME]... [--kpi IDS]`
//!
//! What Kolada changed: values that are new, revised (old → new) or
//! deleted compared with a snapshot folder, or changed since a date (the
//! API's `from_date`; then the cache, where it holds a cell, tells new from
//! revised). Kolada revises figures without notice; this makes it visible.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::NaiveDate;

use super::{chosen_kpis, fetch_values, open_client, open_source, progress};
use crate::catalogue::Catalogue;
use crate::error;
use crate::flags::{ChangesArgs, GlobalArgs};
use crate::frame::{table_frame, Cell, Kind};
use crate::kolada::{Entities, ValueRequest};
use crate::model::{Gender, Observation};
use crate::refdata::RefData;
use crate::render::{emit, Target};
use crate::source::cache::{Cache, CachedSource, DEFAULT_META_TTL};
use crate::source::snapshot::Snapshot;
use crate::source::{DataSource, ValueQuery};

type Key = (String, String, i32, Gender);

pub fn run(args: &ChangesArgs, global: &GlobalArgs) -> Result<()> {
    let target = Target::from_flags(&args.output)?;
    let refdata = RefData::new(global.data_dir.clone());
    let (changes, against) = if let Ok(date) =
        NaiveDate::parse_from_str(args.since.trim(), "%Y-%m-%d")
    {
        (
            since_date(args, global, &refdata, date)?,
            format!("changed in Kolada since {date}"),
        )
    } else {
        let path = std::path::Path::new(&args.since);
        if !path.is_dir() {
            return Err(error::usage(format!(
                "--since '{}' is neither a snapshot folder nor a date; give a folder from `nyckeltal snapshot save` or YYYY-MM-DD",
                args.since
            )));
        }
        since_snapshot(args, global, &refdata, path)?
    };

    let source = open_source(global)?;
    let names = Catalogue::new(source.as_ref())
        .municipality_names()
        .unwrap_or_default();
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
                Cell::from(old.zip(*new).map(|(o, n)| crate::text::difference(o, n))),
            ]
        })
        .collect();
    let mut frame = table_frame(
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
    if !global.quiet {
        eprintln!("{summary}");
    }
    emit(&mut frame, &target, &[summary])
}

type Change = (&'static str, Key, Option<f64>, Option<f64>);

fn keyed(observations: Vec<Observation>) -> BTreeMap<Key, f64> {
    observations
        .into_iter()
        .filter_map(|o| Some(((o.kpi, o.entity, o.year, o.gender), o.value?)))
        .collect()
}

/// Every cell that differs between the snapshot and the current source.
fn since_snapshot(
    args: &ChangesArgs,
    global: &GlobalArgs,
    refdata: &RefData,
    path: &std::path::Path,
) -> Result<(Vec<Change>, String)> {
    let old = Snapshot::open(path)?;
    let stamp = old.stamp();
    let source = open_source(global)?;
    let catalogue = Catalogue::new(source.as_ref());
    let asked = !args.kpis.sets.is_empty() || args.kpis.kpi.is_some();
    let kpis = match (&stamp, asked) {
        (_, true) => chosen_kpis(&args.kpis, &catalogue, refdata)?,
        (Some(stamp), false) => stamp.kpis.clone(),
        (None, false) => {
            return Err(error::usage(format!(
                "{} has no snapshot.json saying what it holds; name the KPIs with --set or --kpi",
                path.display()
            )))
        }
    };
    let entities = match &stamp {
        Some(stamp) => stamp.municipalities.clone(),
        None => catalogue.kommuner()?.iter().map(|m| m.id.clone()).collect(),
    };
    let latest = catalogue.latest_year(&kpis);
    let years: Vec<i32> = match &stamp {
        // The snapshot's years, and any year published after them.
        Some(stamp) => {
            let last = stamp.years.iter().copied().max().unwrap_or(1998);
            let mut years = stamp.years.clone();
            years.extend((last + 1)..=latest.unwrap_or(last).max(last));
            years
        }
        None => (1998..=catalogue.latest_year_or_last(&kpis)).collect(),
    };
    let query = ValueQuery {
        kpis,
        entities,
        years,
    };
    let before = keyed(old.values(&query, None)?);
    let after = keyed(fetch_values(source.as_ref(), &query, global)?);
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

/// What Kolada reports as changed since `date`; the cache, where it has the
/// cell, tells new from revised.
fn since_date(
    args: &ChangesArgs,
    global: &GlobalArgs,
    refdata: &RefData,
    date: NaiveDate,
) -> Result<Vec<Change>> {
    if global.source.is_some() || global.offline {
        return Err(error::usage(
            "--since DATE asks Kolada what changed, so it needs the API; to compare with a snapshot give --since FOLDER",
        ));
    }
    let source = open_source(global)?;
    let catalogue = Catalogue::new(source.as_ref());
    let kpis = chosen_kpis(&args.kpis, &catalogue, refdata)?;
    let latest = catalogue.latest_year_or_last(&kpis);
    let years: Vec<i32> = ((latest - 24)..=latest).collect();
    let client = open_client(global)?;
    let bar = progress(global, "asking Kolada");
    let reported = client.changed_since(
        &[ValueRequest {
            kpis: kpis.clone(),
            entities: Entities::All,
            years: years.clone(),
        }],
        date,
        bar.as_ref(),
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    // What the cache holds for these cells, to tell revised from new.
    let cached: BTreeMap<Key, f64> = match (
        global.no_cache,
        global.cache_dir.clone().or_else(Cache::default_root),
    ) {
        (false, Some(root)) => {
            let held = CachedSource::new(
                Cache::new(&root, client.base_url()),
                None,
                false,
                DEFAULT_META_TTL,
            );
            let entities = catalogue
                .municipalities()?
                .iter()
                .map(|m| m.id.clone())
                .collect();
            keyed(held.held(&ValueQuery {
                kpis,
                entities,
                years,
            }))
        }
        _ => BTreeMap::new(),
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

//! One file per subcommand; this module opens the data source they share.

pub mod calendar;
pub mod changes;
pub mod compare;
pub mod completions;
pub mod fetch;
pub mod group;
pub mod kpi;
pub mod man;
pub mod municipality;
pub mod paths;
pub mod peers;
pub mod report;
pub mod set;
pub mod similar;
pub mod snapshot;
pub mod trend;
pub mod values;

use std::time::Duration;

use anyhow::Result;

use crate::error;
use crate::flags::{Cli, Command, GlobalArgs, Selection};
use crate::kolada::{ClientConfig, KoladaClient};
use crate::resolve;
use crate::source::cache::{Cache, CachedSource, DEFAULT_META_TTL};
use crate::source::snapshot::Snapshot;
use crate::source::{DataSource, ValueQuery};

pub fn dispatch(cli: Cli) -> Result<()> {
    let global = &cli.global;
    // Checked here, before any command, so a bad value never reaches a Duration.
    if !(global.max_rate == 0.0 || (0.01..=1000.0).contains(&global.max_rate)) {
        return Err(error::usage(
            "--max-rate takes requests per second from 0.01 to 1000, or 0 for no limit",
        ));
    }
    match &cli.command {
        Command::Kpi(command) => kpi::run(command, global),
        Command::Municipality(command) => municipality::run(command, global),
        Command::Group(command) => group::run(command, global),
        Command::Fetch(args) => fetch::run(args, global),
        Command::Values(args) => values::run(args, global),
        Command::Set(command) => set::run(command, global),
        Command::Peers(command) => peers::run(command, global),
        Command::Compare(args) => compare::run(args, global),
        Command::Trend(args) => trend::run(args, global),
        Command::Similar(args) => similar::run(args, global),
        Command::Calendar(args) => calendar::run(args, global),
        Command::Snapshot(command) => snapshot::run(command, global),
        Command::Changes(args) => changes::run(args, global),
        Command::Report(args) => report::run(args, global),
        Command::Completions(args) => completions::run(args),
        Command::Man => man::run(),
        Command::Paths => paths::run(global),
    }
}

/// The data source the global flags ask for: a snapshot, the API directly,
/// or (the default) the API behind the cache, or the cache alone (`--offline`).
pub fn open_source(global: &GlobalArgs) -> Result<Box<dyn DataSource>> {
    if let Some(path) = &global.source {
        return Ok(Box::new(Snapshot::open(path)?));
    }
    let client = open_client(global)?;
    if global.no_cache {
        return Ok(Box::new(client));
    }
    let root = global.cache_dir.clone().or_else(Cache::default_root).ok_or_else(|| {
        error::usage("no cache directory is known on this system; give --cache-dir DIR or set NYCKELTAL_CACHE_DIR")
    })?;
    let cache = Cache::new(&root, client.base_url());
    let upstream = (!global.offline).then_some(client);
    Ok(Box::new(CachedSource::new(
        cache,
        upstream,
        global.refresh,
        DEFAULT_META_TTL,
    )))
}

pub use crate::progress::{fetch_values, progress};

/// The KPIs of `--set` flags and `--kpi`, in order, without repeats; every
/// built-in set's when neither is given.
pub fn chosen_kpis(
    choice: &crate::flags::KpiChoice,
    catalogue: &crate::catalogue::Catalogue,
    refdata: &crate::refdata::RefData,
) -> Result<Vec<String>> {
    let mut ids: Vec<String> = Vec::new();
    let sets: Vec<String> = if choice.sets.is_empty() && choice.kpi.is_none() {
        refdata
            .set_names()
            .into_iter()
            .filter(|(_, o)| o.builtin)
            .map(|(n, _)| n)
            .collect()
    } else {
        choice.sets.clone()
    };
    let sets: Vec<crate::refdata::IndicatorSet> = sets
        .iter()
        .map(|name| refdata.set(name))
        .collect::<Result<_>>()?;
    // One request for the metadata of every set's KPIs.
    let every: Vec<String> = sets
        .iter()
        .flat_map(|s| s.entries.iter().map(|e| e.kpi.clone()))
        .collect();
    catalogue.prefetch_kpis(&every)?;
    for set in sets {
        set.check(catalogue)?;
        ids.extend(set.entries.into_iter().map(|e| e.kpi));
    }
    if let Some(text) = &choice.kpi {
        ids.extend(resolve::kpi_ids(text, catalogue)?);
    }
    let mut unique = Vec::new();
    for id in ids {
        if !unique.contains(&id) {
            unique.push(id);
        }
    }
    Ok(unique)
}

/// A client for the live API from the global flags (for what only the API can answer).
pub fn open_client(global: &GlobalArgs) -> Result<KoladaClient> {
    KoladaClient::new(&ClientConfig {
        base_url: global.api_url.clone(),
        jobs: usize::from(global.jobs),
        tries: global.tries,
        timeout: Duration::from_secs(global.timeout.max(1)),
        max_rate: global.max_rate,
        ..ClientConfig::default()
    })
}

/// KPIs × municipalities × years as typed → a query of Kolada ids.
pub fn resolve_selection(
    selection: &Selection,
    catalogue: &crate::catalogue::Catalogue,
) -> Result<ValueQuery> {
    let years = resolve::parse_years(&selection.years)?;
    let kpis = resolve::kpi_ids(&selection.kpi, catalogue)?;
    let entities = resolve::municipality_ids(&selection.municipality, catalogue)?;
    Ok(ValueQuery {
        kpis,
        entities,
        years,
    })
}

/// The attribution every table carries (Kolada's terms); with the
/// processing named when the table holds group means nyckeltal computed.
pub fn source_lines(source: &dyn DataSource, entities: &[String]) -> Vec<String> {
    let mut lines = vec![format!("Källa: Kolada ({})", source.describe())];
    let groups: Vec<&str> = entities
        .iter()
        .filter(|id| crate::kolada::is_group_id(id))
        .map(String::as_str)
        .collect();
    if !groups.is_empty() && source.computes_group_means() {
        lines[0] = format!(
            "Källa: Kolada ({}). Bearbetning: nyckeltal",
            source.describe()
        );
        lines.push(format!(
            "{}: the unweighted mean of the members with a value, computed by nyckeltal from the snapshot, not Kolada's own figure",
            groups.join(", ")
        ));
    }
    lines
}

/// Where the figures of a review come from, for documents people share:
/// the source without local paths, when each KPI was fetched, the spec's
/// file name.
pub fn review_provenance(
    source: &dyn DataSource,
    kpis: &[String],
    spec: Option<&std::path::Path>,
) -> crate::review::Provenance {
    let mut fetched: Vec<(String, Option<chrono::DateTime<chrono::Utc>>)> = Vec::new();
    for kpi in kpis {
        if !fetched.iter().any(|(k, _)| k == kpi) {
            fetched.push((kpi.clone(), source.fetched_for(kpi)));
        }
    }
    crate::review::Provenance {
        source: source.describe(),
        fetched,
        computed_groups: false,
        made: chrono::Local::now().date_naive(),
        spec: spec
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned()),
    }
}

/// Provenance of processed figures: Kolada's terms ask that our own
/// processing is not presented as Kolada's.
pub fn provenance(source: &dyn DataSource) -> Vec<String> {
    let fetched = source
        .fetched_at()
        .map(|t| {
            format!(
                "fetched {}",
                t.with_timezone(&chrono::Local).format("%Y-%m-%d")
            )
        })
        .unwrap_or_else(|| "fetch date unknown".to_string());
    vec![
        "Källa: Kolada. Bearbetning: nyckeltal".to_string(),
        format!("Data: {}, {fetched}", source.describe()),
    ]
}

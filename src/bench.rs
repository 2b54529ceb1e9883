//! Entry points for the benchmark examples (`examples/`), so they time the
//! product's own code without the product's modules being public. Not an
//! API: each returns what its example prints.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::analysis::kpi::Bands;
use crate::analysis::national::{national, value_rows};
use crate::base::progress::Silent;
use crate::catalogue::Catalogue;
use crate::model::scale::Direction;
use crate::model::Gender;
use crate::ops::factors::standardised;
use crate::ops::{Context, Notes};
use crate::refdata::RefData;
use crate::resolve::areas::similar_group;
use crate::source::snapshot::{Snapshot, TOTALS_DIR};
use crate::source::DataSource;

/// National statistics for every KPI of a snapshot.
pub struct National {
    pub kpis: usize,
    pub rows: usize,
    /// Reading the CSV files (not part of the goal).
    pub load: Duration,
    /// Ranks, percentiles and bands of every municipality, KPI and year.
    pub compute: Duration,
}

/// Rank all 290 municipalities in every KPI and year of the snapshot at `root`.
pub fn national_statistics(root: &Path) -> Result<National> {
    let snapshot = Snapshot::open(root)?;
    let kommuner: std::collections::HashSet<String> = snapshot
        .municipalities()?
        .into_iter()
        .filter(|m| m.is_kommun())
        .map(|m| m.id)
        .collect();
    let started = Instant::now();
    let mut kpis: Vec<String> = std::fs::read_dir(root.join(TOTALS_DIR))?
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .split("--")
                .nth(2)
                .map(str::to_uppercase)
        })
        .collect();
    kpis.sort();
    let mut values = Vec::new();
    for kpi in &kpis {
        let mut all = snapshot.kpi_observations(kpi)?;
        all.retain(|o| o.gender == Gender::T && o.value.is_some() && kommuner.contains(&o.entity));
        values.extend(all);
    }
    let load = started.elapsed();
    let directions: Vec<(String, Direction)> = kpis
        .iter()
        .map(|k| (k.clone(), Direction::HigherIsBetter))
        .collect();
    let started = Instant::now();
    let stats = national(value_rows(&values), &directions, Bands::Quartiles);
    Ok(National {
        kpis: kpis.len(),
        rows: stats.values().map(|places| places.len()).sum(),
        load,
        compute: started.elapsed(),
    })
}

/// How nyckeltal's 7 most similar municipalities agree with RKA's groups.
pub struct Agreement {
    pub year: i32,
    pub factors: usize,
    /// Municipalities with an RKA group for the area.
    pub compared: usize,
    pub mean_shared: f64,
    pub mean_jaccard: f64,
    /// Municipalities by members shared, 0 to 7.
    pub histogram: [usize; 8],
    pub identical: usize,
    pub municipalities: usize,
    /// All distances, ranked.
    pub all_distances: Duration,
}

/// Agreement with RKA's "Liknande kommuner" groups of `area`, over all 290.
pub fn similarity_agreement(root: &Path, area: &str) -> Result<Agreement> {
    let snapshot = Snapshot::open(root)?;
    let catalogue = Catalogue::new(&snapshot);
    let refdata = RefData::new(None);
    let set = refdata.factor_set(area)?;
    let notes = Notes::default();
    let cx = Context {
        catalogue: &catalogue,
        refdata: &refdata,
        progress: &Silent,
        notes: &notes,
    };
    let (year, standardised) = standardised(&set, None, &cx)?;
    let started = Instant::now();
    let rankings: Vec<_> = (0..standardised.ids.len())
        .map(|i| standardised.ranking(i))
        .collect();
    let all_distances = started.elapsed();
    let mut agreement = Agreement {
        year,
        factors: set.factors.len(),
        compared: 0,
        mean_shared: 0.0,
        mean_jaccard: 0.0,
        histogram: [0; 8],
        identical: 0,
        municipalities: rankings.len(),
        all_distances,
    };
    let (mut shared_total, mut jaccard_total) = (0usize, 0.0);
    for (i, ranking) in rankings.iter().enumerate() {
        let Some(municipality) = catalogue.municipality(&standardised.ids[i])? else {
            continue;
        };
        let Ok(group) = similar_group(municipality, area, &catalogue) else {
            continue;
        };
        let ours: Vec<&str> = ranking
            .iter()
            .take(7)
            .map(|n| standardised.ids[n.index].as_str())
            .collect();
        let shared = group
            .members
            .iter()
            .filter(|m| ours.contains(&m.member_id.as_str()))
            .count();
        let union = ours.len() + group.members.len() - shared;
        shared_total += shared;
        jaccard_total += shared as f64 / union as f64;
        agreement.compared += 1;
        agreement.histogram[shared.min(7)] += 1;
        agreement.identical += usize::from(shared == 7);
    }
    agreement.mean_shared = shared_total as f64 / agreement.compared as f64;
    agreement.mean_jaccard = jaccard_total / agreement.compared as f64;
    Ok(agreement)
}

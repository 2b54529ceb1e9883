//! Benchmark: national statistics (rank, percentile, band, median) for every
//! KPI in a snapshot × all 290 municipalities × every year.
//!
//! cargo build --release --example bench-national
//! target/release/examples/bench-national [../shared/kolada]
//!
//! Loading the CSV files is timed apart from the computation. Goal for the
//! computation: < 2 s, peak RSS < 1 GiB.

use std::time::Instant;

use nyckeltal::analysis::{national, values_frame, Bands};
use nyckeltal::model::Gender;
use nyckeltal::refdata::Direction;
use nyckeltal::source::snapshot::{Snapshot, TOTALS_DIR};
use nyckeltal::source::DataSource;
use polars::prelude::*;

fn main() -> anyhow::Result<()> {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/kolada".to_string());
    let snapshot = Snapshot::open(root.as_ref())?;
    let kommuner: std::collections::HashSet<String> = snapshot
        .municipalities()?
        .into_iter()
        .filter(|m| m.is_kommun())
        .map(|m| m.id)
        .collect();

    let started = Instant::now();
    let mut kpis: Vec<String> = std::fs::read_dir(std::path::Path::new(&root).join(TOTALS_DIR))?
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
    // One small frame per KPI, stacked: the rows never exist twice in memory.
    let mut values = DataFrame::empty();
    for kpi in &kpis {
        let mut all = snapshot.kpi_observations(kpi)?;
        all.retain(|o| o.gender == Gender::T && kommuner.contains(&o.entity));
        let frame = values_frame(&all, Gender::T)?;
        values = if values.width() == 0 {
            frame
        } else {
            values.vstack(&frame)?
        };
    }
    values.rechunk_mut();
    let load = started.elapsed();

    let directions: Vec<(String, Direction)> = kpis
        .iter()
        .map(|k| (k.clone(), Direction::HigherIsBetter))
        .collect();
    let started = Instant::now();
    let stats = national(values.lazy(), &directions, Bands::Quartiles)?.collect()?;
    let compute = started.elapsed();

    let peak_mib = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kib| kib.parse::<f64>().ok())
        .map(|kib| kib / 1024.0);
    println!("KPIs: {}, rows ranked: {}", kpis.len(), stats.height());
    println!(
        "loading the CSV files: {:.2} s (not part of the goal)",
        load.as_secs_f64()
    );
    println!(
        "national statistics: {:.3} s (goal < 2 s)",
        compute.as_secs_f64()
    );
    match peak_mib {
        Some(mib) => println!("peak RSS of the whole run: {mib:.0} MiB (goal < 1024)"),
        None => println!("peak RSS: not available on this system"),
    }
    Ok(())
}

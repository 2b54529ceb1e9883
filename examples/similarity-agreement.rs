//! How often do nyckeltal's 7 most similar municipalities agree with RKA's
//! current "Liknande kommuner <area>" groups? Over all 290 municipalities:
//! the mean number of shared members and the mean Jaccard index. Also times
//! all 290 × 289 distances (the benchmark goal is < 100 ms in release).
//!
//! cargo run --release --example similarity-agreement -- [../shared/kolada] [äldreomsorg]

use std::time::Instant;

use nyckeltal::catalogue::Catalogue;
use nyckeltal::refdata::RefData;
use nyckeltal::resolve::similar_group;
use nyckeltal::similar::standardise;
use nyckeltal::source::snapshot::Snapshot;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let root = args
        .next()
        .unwrap_or_else(|| "../shared/kolada".to_string());
    let area = args.next().unwrap_or_else(|| "äldreomsorg".to_string());
    let snapshot = Snapshot::open(root.as_ref())?;
    let catalogue = Catalogue::new(&snapshot);
    let set = RefData::new(None).factor_set(&area)?;
    let (year, standardised) = standardise(&catalogue, &set, None, None)?;

    let started = Instant::now();
    let rankings: Vec<_> = (0..standardised.ids.len())
        .map(|i| standardised.ranking(i))
        .collect();
    let all_distances = started.elapsed();

    let (mut shared_total, mut jaccard_total, mut compared, mut exact) =
        (0usize, 0.0, 0usize, 0usize);
    let mut histogram = [0usize; 8];
    for (i, ranking) in rankings.iter().enumerate() {
        let municipality = catalogue
            .municipality(&standardised.ids[i])?
            .expect("known");
        let Ok(group) = similar_group(municipality, &area, &catalogue) else {
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
        compared += 1;
        histogram[shared.min(7)] += 1;
        exact += usize::from(shared == 7);
    }
    println!(
        "area {area}, factors of {year} ({} factors), {compared} municipalities with an RKA group",
        set.factors.len()
    );
    println!(
        "mean members shared with RKA's group: {:.2} of 7",
        shared_total as f64 / compared as f64
    );
    println!("mean Jaccard index: {:.3}", jaccard_total / compared as f64);
    println!("municipalities by members shared (0..7): {histogram:?}; identical groups: {exact}");
    println!(
        "all {} × {} distances, ranked: {:.1} ms",
        rankings.len(),
        rankings.len() - 1,
        all_distances.as_secs_f64() * 1000.0
    );
    Ok(())
}

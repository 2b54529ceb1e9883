//! How often do nyckeltal's 7 most similar municipalities agree with RKA's
//! current "Liknande kommuner <area>" groups? Over all 290 municipalities:
//! the mean number of shared members and the mean Jaccard index. Also times
//! all 290 × 289 distances (the benchmark goal is < 100 ms in release).
//!
//! cargo run --release --example similarity-agreement -- [../shared/kolada] [äldreomsorg]

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let root = args
        .next()
        .unwrap_or_else(|| "../shared/kolada".to_string());
    let area = args.next().unwrap_or_else(|| "äldreomsorg".to_string());
    let a = nyckeltal::bench::similarity_agreement(root.as_ref(), &area)?;
    println!(
        "area {area}, factors of {} ({} factors), {} municipalities with an RKA group",
        a.year, a.factors, a.compared
    );
    println!(
        "mean members shared with RKA's group: {:.2} of 7",
        a.mean_shared
    );
    println!("mean Jaccard index: {:.3}", a.mean_jaccard);
    println!(
        "municipalities by members shared (0..7): {:?}; identical groups: {}",
        a.histogram, a.identical
    );
    println!(
        "all {} × {} distances, ranked: {:.1} ms",
        a.municipalities,
        a.municipalities - 1,
        a.all_distances.as_secs_f64() * 1000.0
    );
    Ok(())
}

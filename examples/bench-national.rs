//! Benchmark: national statistics (rank, percentile, band, median) for every
//! KPI in a snapshot × all 290 municipalities × every year.
//!
//! cargo build --release --example bench-national
//! target/release/examples/bench-national [../shared/kolada]
//!
//! Loading the CSV files is timed apart from the computation. Goal for the
//! computation: < 2 s, peak RSS < 1 GiB.

fn main() -> anyhow::Result<()> {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/kolada".to_string());
    let national = nyckeltal::bench::national_statistics(root.as_ref())?;
    let peak_mib = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kib| kib.parse::<f64>().ok())
        .map(|kib| kib / 1024.0);
    println!("KPIs: {}, rows ranked: {}", national.kpis, national.rows);
    println!(
        "loading the CSV files: {:.2} s (not part of the goal)",
        national.load.as_secs_f64()
    );
    println!(
        "national statistics: {:.3} s (goal < 2 s)",
        national.compute.as_secs_f64()
    );
    match peak_mib {
        Some(mib) => println!("peak RSS of the whole run: {mib:.0} MiB (goal < 1024)"),
        None => println!("peak RSS: not available on this system"),
    }
    Ok(())
}

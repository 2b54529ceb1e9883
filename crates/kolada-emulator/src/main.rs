//! Serve the Kolada API v3 from a snapshot directory on 127.0.0.1.
//!
//! cargo run -p kolada-emulator -- --data ../shared/kolada --port 8765
//! then: nyckeltal --api-url http://127.0.0.1:8765/v3 values ...

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use kolada_emulator::{Config, Emulator};

/// A Kolada API v3 emulator for tests and benchmarks (binds 127.0.0.1 only).
#[derive(Parser)]
struct Args {
    /// Snapshot directory: meta/*.json and ddf/ CSVs.
    #[arg(long, default_value = "../shared/kolada")]
    data: PathBuf,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8765)]
    port: u16,
    /// Share of requests answered HTTP 500/503 (0–1).
    #[arg(long, default_value_t = 0.0)]
    fail_rate: f64,
    /// Requests per second before answering HTTP 429 with Retry-After (0: none).
    #[arg(long, default_value_t = 0.0)]
    rate_limit: f64,
    /// Milliseconds of delay before every answer.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Share of answers cut off part-way (0–1).
    #[arg(long, default_value_t = 0.0)]
    truncate_rate: f64,
    /// Append one JSON line per request to this file.
    #[arg(long)]
    log: Option<PathBuf>,
    /// Send next_url as a relative path.
    #[arg(long)]
    relative_next_url: bool,
    /// Seed for faults.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let emulator = Emulator::start(Config {
        port: args.port,
        fail_rate: args.fail_rate,
        rate_limit: args.rate_limit,
        latency: Duration::from_millis(args.latency_ms),
        truncate_rate: args.truncate_rate,
        log: args.log,
        relative_next_url: args.relative_next_url,
        seed: args.seed,
        ..Config::new(&args.data)
    })?;
    eprintln!(
        "Kolada emulator serving {} at {}",
        args.data.display(),
        emulator.url()
    );
    emulator.serve_forever();
    Ok(())
}

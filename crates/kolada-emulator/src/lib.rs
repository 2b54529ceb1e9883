//! A Kolada API v3 emulator serving a snapshot folder on 127.0.0.1, for
//! nyckeltal's tests and benchmarks (the machines of the project cannot
//! reach Kolada). A dev-only crate: nothing of it is in the product.
//!
//! It follows `../shared/KOLADA_V3.md`, with its own reading of the data
//! and its own limits: metadata and data endpoints, group ids as the
//! unweighted mean of the members with a value (with `count`), paging with
//! `next_url`, HTTP 422 for more than 25 ids in a slot or `per_page` over
//! 5000, HTTP 410 under `/v2/`, gender entries in varying order. Faults can
//! be switched on: server errors, a rate limit (429 + `Retry-After`),
//! latency, truncated bodies and an outage after a number of data
//! requests. Every request can be logged as a JSON line.

mod data;
mod groups;
mod routes;

use std::fs::File;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use tiny_http::Server;

use crate::data::Snapshot;

/// Kolada answers HTTP 422 for more ids than this in one path slot.
const MAX_IDS_PER_SLOT: usize = 25;
/// Kolada's default and largest page.
const PER_PAGE: usize = 5000;

#[derive(Debug, Clone)]
pub struct Config {
    /// Snapshot directory to serve (e.g. ../shared/kolada).
    pub data: PathBuf,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Share of requests answered 500 or 503.
    pub fail_rate: f64,
    /// Requests per second before answering 429 (0: no limit).
    pub rate_limit: f64,
    /// Delay before every answer.
    pub latency: Duration,
    /// Share of answers cut off part-way.
    pub truncate_rate: f64,
    /// Append one JSON line per request to this file.
    pub log: Option<PathBuf>,
    /// Send `next_url` as a path without scheme and host.
    pub relative_next_url: bool,
    /// Seed for the faults, so runs repeat.
    pub seed: u64,
    pub threads: usize,
}

impl Config {
    pub fn new(data: impl Into<PathBuf>) -> Config {
        Config {
            data: data.into(),
            port: 0,
            fail_rate: 0.0,
            rate_limit: 0.0,
            latency: Duration::ZERO,
            truncate_rate: 0.0,
            log: None,
            relative_next_url: false,
            seed: 1,
            threads: 8,
        }
    }
}

/// What the emulator has answered so far.
#[derive(Debug, Default)]
pub struct Counters {
    pub requests: AtomicUsize,
    pub data_requests: AtomicUsize,
    pub faults: AtomicUsize,
}

/// No outage: data requests are answered whatever their number.
const NO_OUTAGE: usize = usize::MAX;

pub struct Emulator {
    addr: SocketAddr,
    server: Arc<Server>,
    workers: Vec<JoinHandle<()>>,
    state: Arc<State>,
}

impl Emulator {
    pub fn start(config: Config) -> Result<Emulator> {
        let state = Arc::new(State::load(config)?);
        let server = Server::http(("127.0.0.1", state.config.port))
            .map_err(|e| anyhow!("cannot listen on 127.0.0.1:{}: {e}", state.config.port))?;
        let addr = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| anyhow!("not an IP listener"))?;
        let server = Arc::new(server);
        let workers = (0..state.config.threads.max(1))
            .map(|_| {
                let (server, state) = (Arc::clone(&server), Arc::clone(&state));
                std::thread::spawn(move || {
                    while let Ok(request) = server.recv() {
                        state.answer(request, addr);
                    }
                })
            })
            .collect();
        Ok(Emulator {
            addr,
            server,
            workers,
            state,
        })
    }

    /// The base URL to give nyckeltal: `http://127.0.0.1:PORT/v3`.
    pub fn url(&self) -> String {
        format!("http://{}/v3", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn counters(&self) -> &Counters {
        &self.state.counters
    }

    pub fn requests(&self) -> usize {
        self.state.counters.requests.load(Ordering::SeqCst)
    }

    /// From now on, answer HTTP 503 to every data request after the first
    /// `answered` (counted from the start): an outage in the middle of a
    /// fetch, at a place tests can name.
    pub fn fail_data_requests_after(&self, answered: usize) {
        self.state.outage_after.store(answered, Ordering::SeqCst);
    }

    /// End the outage.
    pub fn heal(&self) {
        self.state.outage_after.store(NO_OUTAGE, Ordering::SeqCst);
    }

    /// Block until the process is stopped.
    pub fn serve_forever(mut self) {
        for worker in std::mem::take(&mut self.workers) {
            let _ = worker.join();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        for _ in 0..self.workers.len() {
            self.server.unblock();
        }
        for worker in std::mem::take(&mut self.workers) {
            let _ = worker.join();
        }
    }
}

struct State {
    config: Config,
    snapshot: Snapshot,
    /// The rows of the last few data queries, by path.
    recent: Mutex<Vec<(String, Arc<Vec<serde_json::Value>>)>>,
    rng: Mutex<fastrand::Rng>,
    bucket: Mutex<(f64, Instant)>,
    log: Option<Mutex<File>>,
    counters: Counters,
    /// Data requests after this many answer 503 (see `fail_data_requests_after`).
    outage_after: AtomicUsize,
}

impl State {
    fn load(config: Config) -> Result<State> {
        let snapshot = Snapshot::open(&config.data)?;
        let log = match &config.log {
            Some(path) => Some(Mutex::new(
                File::options()
                    .create(true)
                    .append(true)
                    .open(path)
                    .with_context(|| format!("opening {}", path.display()))?,
            )),
            None => None,
        };
        Ok(State {
            snapshot,
            recent: Mutex::new(Vec::new()),
            rng: Mutex::new(fastrand::Rng::with_seed(config.seed)),
            bucket: Mutex::new((config.rate_limit.max(1.0), Instant::now())),
            log,
            counters: Counters::default(),
            outage_after: AtomicUsize::new(NO_OUTAGE),
            config,
        })
    }
}

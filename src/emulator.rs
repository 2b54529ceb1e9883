//! A Kolada API v3 emulator serving a snapshot directory on 127.0.0.1, for
//! tests and benchmarks (the machines of this project cannot reach Kolada).
//!
//! It follows `KOLADA_V3.md`: metadata and data endpoints, group ids as the
//! unweighted mean of the members with a value (with `count`), paging with
//! `next_url`, HTTP 422 for more than 25 ids in a slot or `per_page` over
//! 5000, HTTP 410 under `/v2/`, gender entries in varying order. Faults can
//! be switched on: server errors, a rate limit (429 + `Retry-After`),
//! latency and truncated bodies. Every request can be logged as a JSON line.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use serde_json::{json, Value};
use tiny_http::{Header, Response, Server};

use crate::kolada::{is_group_id, MAX_IDS_PER_SLOT, PER_PAGE};
use crate::model::{Gender, Group, Kpi, Municipality};
use crate::source::snapshot::{group_means, Snapshot};
use crate::source::DataSource;
use crate::text::fold;

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
    /// Seed for the faults and the gender order, so runs repeat.
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

/// Values of one KPI: (entity, year) → T, K, M.
type KpiTable = BTreeMap<(String, i32), [Option<f64>; 3]>;

struct State {
    config: Config,
    snapshot: Snapshot,
    kpis: Vec<Kpi>,
    municipalities: Vec<Municipality>,
    groups: Vec<Group>,
    divided: HashSet<String>,
    values: Mutex<HashMap<String, Arc<KpiTable>>>,
    /// The rows of the last few data queries, by path.
    recent: Mutex<Vec<(String, Arc<Vec<Value>>)>>,
    rng: Mutex<fastrand::Rng>,
    bucket: Mutex<(f64, Instant)>,
    log: Option<Mutex<File>>,
    counters: Counters,
    /// Data requests after this many answer 503 (see `fail_data_requests_after`).
    outage_after: AtomicUsize,
}

struct Answer {
    status: u16,
    body: Vec<u8>,
    retry_after: Option<u64>,
    fault: Option<&'static str>,
}

impl Answer {
    fn json(status: u16, value: &Value) -> Answer {
        Answer {
            status,
            body: serde_json::to_vec(value).expect("JSON"),
            retry_after: None,
            fault: None,
        }
    }

    fn error(status: u16, message: &str) -> Answer {
        Answer::json(status, &json!({ "error": message }))
    }
}

impl State {
    fn load(config: Config) -> Result<State> {
        let snapshot = Snapshot::open(&config.data)?;
        let kpis = snapshot.kpis()?;
        let divided = kpis
            .iter()
            .filter(|k| k.divided_by_gender())
            .map(|k| k.id.clone())
            .collect();
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
            municipalities: snapshot.municipalities()?,
            groups: snapshot.groups()?,
            snapshot,
            kpis,
            divided,
            values: Mutex::new(HashMap::new()),
            recent: Mutex::new(Vec::new()),
            rng: Mutex::new(fastrand::Rng::with_seed(config.seed)),
            bucket: Mutex::new((config.rate_limit.max(1.0), Instant::now())),
            log,
            counters: Counters::default(),
            outage_after: AtomicUsize::new(NO_OUTAGE),
            config,
        })
    }

    fn answer(&self, request: tiny_http::Request, addr: SocketAddr) {
        let started = Instant::now();
        self.counters.requests.fetch_add(1, Ordering::SeqCst);
        let target = request.url().to_string();
        let gzip = request
            .headers()
            .iter()
            .any(|h| h.field.equiv("Accept-Encoding") && h.value.as_str().contains("gzip"));
        if !self.config.latency.is_zero() {
            std::thread::sleep(self.config.latency);
        }
        let outage = target.contains("/data/")
            && self.counters.data_requests.load(Ordering::SeqCst)
                >= self.outage_after.load(Ordering::SeqCst);
        let mut answer = if outage {
            let mut answer = Answer::error(503, "Service unavailable");
            answer.fault = Some("outage");
            answer
        } else {
            self.fault().unwrap_or_else(|| self.route(&target, addr))
        };
        let mut headers =
            vec![Header::from_bytes("Content-Type", "application/json").expect("header")];
        if let Some(seconds) = answer.retry_after {
            headers.push(Header::from_bytes("Retry-After", seconds.to_string()).expect("header"));
        }
        if gzip && answer.status == 200 {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let _ = encoder.write_all(&answer.body);
            answer.body = encoder.finish().unwrap_or_default();
            headers.push(Header::from_bytes("Content-Encoding", "gzip").expect("header"));
        }
        if answer.status == 200 && answer.body.len() > 1 && self.chance(self.config.truncate_rate) {
            let cut = 1 + self.rng.lock().unwrap().usize(..answer.body.len() - 1);
            answer.body.truncate(cut);
            answer.fault = Some("truncated");
        }
        if answer.fault.is_some() {
            self.counters.faults.fetch_add(1, Ordering::SeqCst);
        }
        if target.contains("/data/") {
            self.counters.data_requests.fetch_add(1, Ordering::SeqCst);
        }
        let (status, bytes, fault) = (answer.status, answer.body.len(), answer.fault);
        let mut response = Response::from_data(answer.body).with_status_code(status);
        for header in headers {
            response.add_header(header);
        }
        let _ = request.respond(response);
        if let Some(log) = &self.log {
            let line = json!({
                "time": chrono::Utc::now().to_rfc3339(),
                "method": "GET",
                "url": target,
                "status": status,
                "bytes": bytes,
                "ms": started.elapsed().as_secs_f64() * 1000.0,
                "fault": fault,
            });
            let _ = writeln!(log.lock().unwrap(), "{line}");
        }
    }

    fn chance(&self, rate: f64) -> bool {
        rate > 0.0 && self.rng.lock().unwrap().f64() < rate
    }

    /// A rate-limit or server-error answer, when the dice say so.
    fn fault(&self) -> Option<Answer> {
        if self.config.rate_limit > 0.0 {
            let mut bucket = self.bucket.lock().unwrap();
            let now = Instant::now();
            let capacity = self.config.rate_limit.max(1.0);
            bucket.0 = (bucket.0
                + now.duration_since(bucket.1).as_secs_f64() * self.config.rate_limit)
                .min(capacity);
            bucket.1 = now;
            if bucket.0 < 1.0 {
                let mut answer = Answer::error(429, "Too many requests");
                answer.retry_after = Some(1);
                answer.fault = Some("rate_limited");
                return Some(answer);
            }
            bucket.0 -= 1.0;
        }
        if self.chance(self.config.fail_rate) {
            let status = if self.rng.lock().unwrap().bool() {
                500
            } else {
                503
            };
            let mut answer = Answer::error(status, "Internal server error");
            answer.fault = Some("server_error");
            return Some(answer);
        }
        None
    }

    fn route(&self, target: &str, addr: SocketAddr) -> Answer {
        // A client behind a proxy sends the absolute URL: then the emulator
        // stands in for the proxy too, which lets tests check proxy support.
        let absolute = if target.starts_with("http://") {
            target.to_string()
        } else {
            format!("http://{addr}{target}")
        };
        let Ok(url) = url::Url::parse(&absolute) else {
            return Answer::error(400, "Bad request");
        };
        let segments: Vec<String> = url
            .path_segments()
            .map(|s| {
                s.map(|p| {
                    percent_encoding::percent_decode_str(p)
                        .decode_utf8_lossy()
                        .into_owned()
                })
                .collect()
            })
            .unwrap_or_default();
        let segments: Vec<&str> = segments
            .iter()
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .collect();
        let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
        match segments.as_slice() {
            ["v2", ..] => {
                Answer::error(410, "This endpoint is deprecated. Please use /v3 instead.")
            }
            ["v3", rest @ ..] => self.route_v3(rest, &query, &url),
            _ => Answer::error(404, "Not found"),
        }
    }

    fn route_v3(&self, path: &[&str], query: &HashMap<String, String>, url: &url::Url) -> Answer {
        let title = query.get("title").map(|t| fold(t));
        let kind = query.get("region_type").or_else(|| query.get("type"));
        let listed = match path {
            ["kpi", rest @ ..] => listing(
                &self.kpis,
                rest.first(),
                title.as_deref(),
                |k| (&k.id, &k.title),
                |_| true,
            ),
            ["municipality", rest @ ..] => listing(
                &self.municipalities,
                rest.first(),
                title.as_deref(),
                |m| (&m.id, &m.title),
                |m| kind.is_none_or(|k| m.kind.as_deref() == Some(k.as_str())),
            ),
            ["municipality_groups", rest @ ..] => listing(
                &self.groups,
                rest.first(),
                title.as_deref(),
                |g| (&g.id, &g.title),
                |_| true,
            ),
            ["kpi_groups", ..] | ["ou", ..] | ["oudata", ..] => Ok(Vec::new()),
            ["data", rest @ ..] => {
                return match self.data_rows_cached(url.path(), rest) {
                    Ok(rows) => self.page(&rows, query, url),
                    Err(answer) => answer,
                }
            }
            _ => Err(Answer::error(404, "Not found")),
        };
        match listed {
            Ok(items) => self.page(&items, query, url),
            Err(answer) => answer,
        }
    }

    /// The rows of a data query, kept for the last few queries so that
    /// paging through a large one builds its rows once, not once per page.
    fn data_rows_cached(&self, key: &str, path: &[&str]) -> Result<Arc<Vec<Value>>, Answer> {
        const KEPT: usize = 4;
        if let Some((_, rows)) = self.recent.lock().unwrap().iter().find(|(k, _)| k == key) {
            return Ok(Arc::clone(rows));
        }
        let rows = Arc::new(self.data_rows(path)?);
        let mut recent = self.recent.lock().unwrap();
        recent.push((key.to_string(), Arc::clone(&rows)));
        if recent.len() > KEPT {
            recent.remove(0);
        }
        Ok(rows)
    }

    fn data_rows(&self, path: &[&str]) -> Result<Vec<Value>, Answer> {
        // The query-string form (`/v3/data?kpi=`) answers an empty list, as Kolada does.
        if path.is_empty() {
            return Ok(Vec::new());
        }
        if path.len() % 2 != 0 {
            return Err(Answer::error(404, "Not found"));
        }
        let mut slots: HashMap<&str, Vec<String>> = HashMap::new();
        for pair in path.chunks(2) {
            if !matches!(pair[0], "kpi" | "municipality" | "year") {
                return Err(Answer::error(404, "Not found"));
            }
            let list: Vec<String> = pair[1]
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            if list.len() > MAX_IDS_PER_SLOT {
                return Err(too_many());
            }
            slots.insert(pair[0], list);
        }
        if slots.len() < 2 {
            return Err(Answer::error(404, "Not found"));
        }
        let years: Option<HashSet<i32>> = match slots.get("year") {
            Some(list) => Some(
                list.iter()
                    .map(|y| y.parse::<i32>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| Answer::error(422, "year must be a list of years"))?,
            ),
            None => None,
        };
        let kpis: Vec<String> = match slots.get("kpi") {
            Some(list) => list.iter().map(|k| k.to_uppercase()).collect(),
            None => self.kpis.iter().map(|k| k.id.clone()).collect(),
        };
        let entities = slots.get("municipality");
        let mut rows = Vec::new();
        for kpi in &kpis {
            let table = self
                .kpi_table(kpi)
                .map_err(|e| Answer::error(500, &e.to_string()))?;
            let mut cells: BTreeMap<(String, i32), ([Option<f64>; 3], [u32; 3])> = BTreeMap::new();
            for ((entity, year), values) in table.iter() {
                let year_ok = years.as_ref().is_none_or(|y| y.contains(year));
                let entity_ok = entities.is_none_or(|e| e.contains(entity));
                if year_ok && entity_ok {
                    cells.insert(
                        (entity.clone(), *year),
                        (*values, values.map(|v| u32::from(v.is_some()))),
                    );
                }
            }
            for group_id in entities.into_iter().flatten().filter(|e| is_group_id(e)) {
                if let Some(group) = self.groups.iter().find(|g| &g.id == group_id) {
                    for (year, gender, mean, count) in
                        self.group_cells(kpi, group, &table, years.as_ref())
                    {
                        let cell = cells
                            .entry((group.id.clone(), year))
                            .or_insert(([None; 3], [0; 3]));
                        cell.0[gender as usize] = Some(mean);
                        cell.1[gender as usize] = count;
                    }
                }
            }
            let genders: &[Gender] = if self.divided.contains(kpi) {
                &[Gender::T, Gender::K, Gender::M]
            } else {
                &[Gender::T]
            };
            for ((entity, year), (values, counts)) in cells {
                let mut entries: Vec<Value> = genders
                    .iter()
                    .map(|&g| {
                        json!({"gender": g.code(), "count": counts[g as usize], "status": "", "value": values[g as usize], "isdeleted": false})
                    })
                    .collect();
                // Kolada does not keep the gender entries in a fixed order.
                let turn = (year as usize + entity.bytes().map(usize::from).sum::<usize>())
                    % entries.len();
                entries.rotate_left(turn);
                rows.push(
                    json!({"kpi": kpi, "municipality": entity, "period": year, "values": entries}),
                );
            }
        }
        Ok(rows)
    }

    fn group_cells(
        &self,
        kpi: &str,
        group: &Group,
        table: &KpiTable,
        years: Option<&HashSet<i32>>,
    ) -> Vec<(i32, Gender, f64, u32)> {
        let members: HashSet<&str> = group.members.iter().map(|m| m.member_id.as_str()).collect();
        let observations: Vec<crate::model::Observation> = table
            .iter()
            .filter(|((entity, _), _)| members.contains(entity.as_str()))
            .flat_map(|((entity, year), values)| {
                [Gender::T, Gender::K, Gender::M]
                    .into_iter()
                    .filter_map(move |g| {
                        values[g as usize].map(|v| crate::model::Observation {
                            kpi: kpi.to_string(),
                            entity: entity.clone(),
                            year: *year,
                            gender: g,
                            value: Some(v),
                            count: Some(1),
                            status: String::new(),
                        })
                    })
            })
            .collect();
        let all_years: HashSet<i32> = observations.iter().map(|o| o.year).collect();
        let years = years.cloned().unwrap_or(all_years);
        group_means(kpi, group, &observations, &years)
            .into_iter()
            .filter_map(|o| Some((o.year, o.gender, o.value?, o.count.unwrap_or(0))))
            .collect()
    }

    fn kpi_table(&self, kpi: &str) -> Result<Arc<KpiTable>> {
        if let Some(table) = self.values.lock().unwrap().get(kpi) {
            return Ok(Arc::clone(table));
        }
        let mut table = KpiTable::new();
        for o in self.snapshot.kpi_observations(kpi)? {
            table.entry((o.entity, o.year)).or_insert([None; 3])[o.gender as usize] = o.value;
        }
        let table = Arc::new(table);
        self.values
            .lock()
            .unwrap()
            .insert(kpi.to_string(), Arc::clone(&table));
        Ok(table)
    }

    fn page(&self, items: &[Value], query: &HashMap<String, String>, url: &url::Url) -> Answer {
        let number = |name: &str, default: usize| -> Result<usize, Answer> {
            match query.get(name) {
                None => Ok(default),
                Some(text) => text
                    .parse()
                    .map_err(|_| Answer::error(422, &format!("{name} must be a whole number"))),
            }
        };
        let (per_page, page) = match (number("per_page", PER_PAGE), number("page", 1)) {
            (Ok(per_page), Ok(page)) => (per_page, page),
            (Err(answer), _) | (_, Err(answer)) => return answer,
        };
        if per_page == 0 || per_page > PER_PAGE {
            return Answer::error(422, &format!("per_page must be between 1 and {PER_PAGE}"));
        }
        if page == 0 {
            return Answer::error(422, "page must be 1 or more");
        }
        let start = (page - 1).saturating_mul(per_page).min(items.len());
        let end = (start + per_page).min(items.len());
        let link = |to: usize| -> Value {
            let mut next = url.clone();
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .into_owned()
                .filter(|(k, _)| k != "page")
                .collect();
            next.query_pairs_mut()
                .clear()
                .extend_pairs(pairs)
                .append_pair("page", &to.to_string());
            if self.config.relative_next_url {
                Value::String(format!("{}?{}", next.path(), next.query().unwrap_or("")))
            } else {
                Value::String(next.to_string())
            }
        };
        let next_url = if end < items.len() {
            link(page + 1)
        } else {
            Value::Null
        };
        let previous_url = if page > 1 {
            link(page - 1)
        } else {
            Value::Null
        };
        let values: Vec<Value> = items[start..end].to_vec();
        Answer::json(
            200,
            &json!({"values": values, "count": values.len(), "next_url": next_url, "previous_url": previous_url}),
        )
    }
}

/// A metadata list, filtered by ids in the path (at most 25), `?title=` and `keep`.
fn listing<T: serde::Serialize>(
    items: &[T],
    id_slot: Option<&&str>,
    title: Option<&str>,
    id_and_title: impl Fn(&T) -> (&str, &str),
    keep: impl Fn(&T) -> bool,
) -> Result<Vec<Value>, Answer> {
    let wanted: Option<Vec<&str>> = id_slot.map(|slot| slot.split(',').collect());
    if wanted.as_ref().is_some_and(|w| w.len() > MAX_IDS_PER_SLOT) {
        return Err(too_many());
    }
    Ok(items
        .iter()
        .filter(|item| {
            let (id, item_title) = id_and_title(item);
            wanted.as_ref().is_none_or(|w| w.contains(&id))
                && title.is_none_or(|t| fold(item_title).contains(t))
                && keep(item)
        })
        .map(|item| serde_json::to_value(item).expect("JSON"))
        .collect())
}

fn too_many() -> Answer {
    Answer::error(
        422,
        &format!("At most {MAX_IDS_PER_SLOT} ids per parameter"),
    )
}

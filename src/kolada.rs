//! The Kolada API v3 client: the only code that knows HTTP and the API's JSON.
//!
//! It asks for as much as one query may hold (at most 25 ids in each path
//! slot) and follows `next_url` through full pages of 5000 rows: Kolada's
//! data are sparse, so this needs the fewest requests (every page but a
//! query's last is full). Independent queries run in parallel within
//! `--jobs`; a token bucket keeps the average at `--max-rate` with a burst
//! of one second's worth; what is worth retrying is retried.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Result;
use indicatif::ProgressBar;
use reqwest::blocking::Client;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use url::Url;

use crate::error;
use crate::model::{Gender, Group, Kpi, Municipality, Observation};

pub const DEFAULT_API_URL: &str = "https://api.kolada.se/v3";
/// Kolada answers HTTP 422 for more ids than this in one path slot.
pub const MAX_IDS_PER_SLOT: usize = 25;
/// Kolada's largest (and default) page size.
pub const PER_PAGE: usize = 5000;
/// Above this many municipalities, one query for everybody and a local filter
/// costs fewer requests than listing them 25 at a time.
const BULK_THRESHOLD: usize = 3 * MAX_IDS_PER_SLOT;

#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub base_url: String,
    /// Requests in flight at once.
    pub jobs: usize,
    /// Tries per request before giving up (HTTP 5xx, broken connections, malformed bodies).
    pub tries: u32,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    /// Requests per second at most; 0 means no pacing.
    pub max_rate: f64,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            base_url: DEFAULT_API_URL.to_string(),
            jobs: 4,
            tries: 8,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(120),
            max_rate: 5.0,
        }
    }
}

/// Which entities a value request covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entities {
    /// Every municipality, region and Riket (no municipality slot).
    All,
    /// These municipality, region or group ids.
    Ids(Vec<String>),
}

/// Values wanted for every combination of `kpis`, `entities` and `years`.
#[derive(Debug, Clone)]
pub struct ValueRequest {
    pub kpis: Vec<String>,
    pub entities: Entities,
    pub years: Vec<i32>,
}

impl ValueRequest {
    /// Use one query for everybody when that is cheaper than listing ids.
    /// Group ids always go in the municipality slot: only there does Kolada
    /// compute the group mean.
    pub fn split_for_bulk(
        kpis: Vec<String>,
        ids: Vec<String>,
        years: Vec<i32>,
    ) -> Vec<ValueRequest> {
        let (groups, places): (Vec<String>, Vec<String>) =
            ids.into_iter().partition(|id| is_group_id(id));
        let mut out = Vec::new();
        if places.len() > BULK_THRESHOLD {
            out.push(ValueRequest {
                kpis: kpis.clone(),
                entities: Entities::All,
                years: years.clone(),
            });
        } else if !places.is_empty() {
            out.push(ValueRequest {
                kpis: kpis.clone(),
                entities: Entities::Ids(places),
                years: years.clone(),
            });
        }
        if !groups.is_empty() {
            out.push(ValueRequest {
                kpis,
                entities: Entities::Ids(groups),
                years,
            });
        }
        out
    }
}

/// Whether an id can be one of Kolada's: KPIs (`N20900`), municipalities
/// and regions (`1419`, `0014`), groups (`G96190`) are letters and digits.
/// Every id is checked before it goes into a URL or a file name, whoever
/// sent it (a mirror's catalogue is not trusted either).
pub fn is_kolada_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 40 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The first id in a catalogue answer that cannot be Kolada's, if any.
pub fn first_invalid_id<'a>(ids: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    ids.into_iter().find(|id| !is_kolada_id(id))
}

/// An error for the first asked id that cannot be Kolada's (exit 2): it
/// would go into a URL path.
fn refuse_invalid_ids<'a>(ids: impl IntoIterator<Item = &'a str>) -> Result<()> {
    match first_invalid_id(ids) {
        None => Ok(()),
        Some(id) => Err(error::usage(format!(
            "'{}' is not a Kolada id (letters and digits only)",
            id.escape_debug()
        ))),
    }
}

/// The largest answer accepted from the API. Kolada's largest real page is
/// about 0.3 MB; anything near this bound is not Kolada answering.
pub const MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;

pub fn is_group_id(id: &str) -> bool {
    id.len() > 1 && id.starts_with(['G', 'g']) && id[1..].chars().all(|c| c.is_ascii_digit())
}

pub struct KoladaClient {
    base: Url,
    http: Client,
    jobs: usize,
    tries: u32,
    pacer: Option<Pacer>,
    requests: AtomicUsize,
}

impl KoladaClient {
    pub fn new(config: &ClientConfig) -> Result<Self> {
        let mut base = Url::parse(&config.base_url).map_err(|e| {
            error::usage(format!(
                "--api-url '{}' is not a valid URL ({e}); use e.g. {DEFAULT_API_URL}",
                config.base_url
            ))
        })?;
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        // Redirects stay on the API's host and port, as next_url does.
        let (host, port) = (
            base.host_str().map(str::to_string),
            base.port_or_known_default(),
        );
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            let url = attempt.url();
            if attempt.previous().len() >= 10 {
                attempt.error("more than 10 redirects")
            } else if url.host_str().map(str::to_string) == host
                && url.port_or_known_default() == port
            {
                attempt.follow()
            } else {
                let to = url.to_string();
                attempt.error(format!("a redirect to another host ({to}) is not followed"))
            }
        });
        // reqwest honours HTTP_PROXY / HTTPS_PROXY / NO_PROXY from the environment.
        let http = Client::builder()
            .user_agent(concat!("nyckeltal/", env!("CARGO_PKG_VERSION")))
            .redirect(redirects)
            .gzip(true)
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .build()?;
        Ok(KoladaClient {
            base,
            http,
            jobs: config.jobs.max(1),
            tries: config.tries.max(1),
            pacer: (config.max_rate > 0.0).then(|| Pacer::new(config.max_rate)),
            requests: AtomicUsize::new(0),
        })
    }

    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// HTTP requests sent so far (every try and every page counts).
    pub fn requests_made(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    pub fn kpis(&self) -> Result<Vec<Kpi>> {
        let kpis: Vec<Kpi> = self.get_all(self.endpoint("kpi")?)?;
        self.check_ids("KPI list", kpis.iter().map(|k| k.id.as_str()))?;
        Ok(kpis)
    }

    /// The metadata of these KPIs only (`/v3/kpi/{ids}`, 25 per request):
    /// a command that names its KPIs needs no whole catalogue. Unknown ids
    /// are simply absent from the answer.
    pub fn kpis_by_id(&self, ids: &[String]) -> Result<Vec<Kpi>> {
        refuse_invalid_ids(ids.iter().map(String::as_str))?;
        let mut kpis: Vec<Kpi> = Vec::new();
        for chunk in even_chunks(ids, MAX_IDS_PER_SLOT) {
            kpis.extend(self.get_all::<Kpi>(self.endpoint(&format!("kpi/{}", chunk.join(",")))?)?);
        }
        self.check_ids("KPI list", kpis.iter().map(|k| k.id.as_str()))?;
        Ok(kpis)
    }

    /// How many requests `kpis_by_id` needs for `n` ids.
    pub fn requests_for_ids(n: usize) -> usize {
        n.div_ceil(MAX_IDS_PER_SLOT)
    }

    pub fn municipalities(&self) -> Result<Vec<Municipality>> {
        let list: Vec<Municipality> = self.get_all(self.endpoint("municipality")?)?;
        self.check_ids("municipality list", list.iter().map(|m| m.id.as_str()))?;
        Ok(list)
    }

    pub fn groups(&self) -> Result<Vec<Group>> {
        let groups: Vec<Group> = self.get_all(self.endpoint("municipality_groups")?)?;
        self.check_ids(
            "group list",
            groups.iter().flat_map(|g| {
                std::iter::once(g.id.as_str()).chain(g.members.iter().map(|m| m.member_id.as_str()))
            }),
        )?;
        Ok(groups)
    }

    /// Refuse a catalogue that holds an id no Kolada id looks like: such an
    /// id could steer a request or a cache file elsewhere.
    fn check_ids<'a>(&self, what: &str, ids: impl IntoIterator<Item = &'a str>) -> Result<()> {
        match first_invalid_id(ids) {
            None => Ok(()),
            Some(id) => Err(error::network(format!(
                "the {what} from {} holds the id '{}', which is not a Kolada id (letters and digits only); this server does not answer as Kolada does: check --api-url",
                self.base,
                id.escape_debug()
            ))),
        }
    }

    /// Fetch every value of the requests, in parallel, as observations.
    /// Rows for entities outside an `Entities::Ids` request never appear;
    /// an `Entities::All` request returns everybody Kolada has.
    pub fn values(
        &self,
        requests: &[ValueRequest],
        progress: Option<&ProgressBar>,
    ) -> Result<Vec<Observation>> {
        let mut observations = Vec::new();
        self.values_each(requests, progress, |_, answered| {
            observations.extend(answered);
            Ok(())
        })?;
        Ok(observations)
    }

    /// Fetch the values of the requests, handing each query's answer to
    /// `answered` (on the calling thread) as soon as it is complete, with
    /// the exact scope it covers: so a cache keeps what was answered even
    /// when a later query fails or the run is stopped.
    pub fn values_each(
        &self,
        requests: &[ValueRequest],
        progress: Option<&ProgressBar>,
        mut answered: impl FnMut(&ValueRequest, Vec<Observation>) -> Result<()>,
    ) -> Result<()> {
        self.answers(requests, None, false, progress, |scope, rows| {
            answered(scope, rows.into_iter().map(|(o, _)| o).collect())
        })
    }

    /// Values changed since `date` (Kolada's `from_date`), each with whether
    /// Kolada deleted it.
    pub fn changed_since(
        &self,
        requests: &[ValueRequest],
        date: chrono::NaiveDate,
        progress: Option<&ProgressBar>,
    ) -> Result<Vec<(Observation, bool)>> {
        let mut changes = Vec::new();
        self.answers(requests, Some(date), true, progress, |_, rows| {
            changes.extend(rows);
            Ok(())
        })?;
        Ok(changes)
    }

    /// The queries of the requests run in parallel within `--jobs`; each
    /// answer (observations with Kolada's deleted flag; deleted ones only
    /// with `keep_deleted`) handed to `answered` as it arrives.
    fn answers(
        &self,
        requests: &[ValueRequest],
        from_date: Option<chrono::NaiveDate>,
        keep_deleted: bool,
        progress: Option<&ProgressBar>,
        mut answered: impl FnMut(&ValueRequest, Vec<(Observation, bool)>) -> Result<()>,
    ) -> Result<()> {
        let queries: Vec<Query> = requests.iter().flat_map(plan_queries).collect();
        for query in &queries {
            refuse_invalid_ids(query.scope.kpis.iter().map(String::as_str))?;
            if let Entities::Ids(ids) = &query.scope.entities {
                refuse_invalid_ids(ids.iter().map(String::as_str))?;
            }
        }
        // Progress counts KPIs: one is done when every query holding it is answered.
        let mut open_queries: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::new();
        for query in &queries {
            for kpi in &query.scope.kpis {
                *open_queries.entry(kpi.as_str()).or_default() += 1;
            }
        }
        crate::progress::add_work(progress, open_queries.len() as u64, "KPIs");
        let mut values_received = 0usize;
        let queue = Mutex::new(queries.iter().collect::<VecDeque<_>>());
        let failure = Mutex::new(None);
        let (sender, receiver) = std::sync::mpsc::channel::<(&ValueRequest, Vec<DataRow>)>();
        let mut handler_failure = None;
        std::thread::scope(|scope| {
            for _ in 0..self.jobs.min(queries.len()).max(1) {
                let sender = sender.clone();
                let (queue, failure) = (&queue, &failure);
                scope.spawn(move || loop {
                    if failure.lock().unwrap().is_some() {
                        return;
                    }
                    let Some(query) = queue.lock().unwrap().pop_front() else {
                        return;
                    };
                    let rows = self.endpoint(&query.path).and_then(|mut url| {
                        if let Some(date) = from_date {
                            url.query_pairs_mut()
                                .append_pair("from_date", &date.format("%Y-%m-%d").to_string());
                        }
                        self.get_all::<DataRow>(url)
                    });
                    match rows {
                        Ok(rows) => {
                            if sender.send((&query.scope, rows)).is_err() {
                                return;
                            }
                        }
                        Err(err) => {
                            failure.lock().unwrap().get_or_insert(err);
                            return;
                        }
                    }
                });
            }
            drop(sender);
            // Every answer that arrives is handed on, also after a failure.
            for (scope, rows) in receiver {
                let mut observations = Vec::new();
                for row in rows {
                    row.into_observations(&mut observations, keep_deleted);
                }
                values_received += observations.len();
                if let Some(bar) = progress {
                    for kpi in &scope.kpis {
                        if let Some(open) = open_queries.get_mut(kpi.as_str()) {
                            *open -= 1;
                            if *open == 0 {
                                bar.inc(1);
                            }
                        }
                    }
                    bar.set_message(format!("KPIs, {values_received} values"));
                }
                if handler_failure.is_none() {
                    if let Err(e) = answered(scope, observations) {
                        failure
                            .lock()
                            .unwrap()
                            .get_or_insert(anyhow::anyhow!("stopped"));
                        handler_failure = Some(e);
                    }
                }
            }
        });
        if let Some(err) = handler_failure {
            return Err(err);
        }
        match failure.into_inner().unwrap() {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }

    fn endpoint(&self, path: &str) -> Result<Url> {
        let mut url = self.base.join(path)?;
        url.query_pairs_mut()
            .append_pair("per_page", &PER_PAGE.to_string());
        Ok(url)
    }

    /// Every item of a paged list, following `next_url` (absolute or relative).
    /// A next_url that leads back to a page already read, or a page that
    /// adds nothing but points on, ends the walk with an error (exit 5)
    /// rather than going round for ever.
    fn get_all<T: DeserializeOwned>(&self, first: Url) -> Result<Vec<T>> {
        let mut items = Vec::new();
        let mut url = first;
        let mut visited: std::collections::HashSet<String> = std::collections::HashSet::new();
        loop {
            visited.insert(url.as_str().to_string());
            let page: Envelope<T> = self.get_json(&url)?;
            let added = page.values.len();
            items.extend(page.values);
            let Some(next) = page.next_url.filter(|next| !next.is_empty()) else {
                return Ok(items);
            };
            let next_url = self.follow(&url, &next).map_err(|e| {
                error::network(format!(
                    "Kolada sent an unusable next_url '{next}' ({e}) for {url}"
                ))
            })?;
            if visited.contains(next_url.as_str()) {
                return Err(error::network(format!(
                    "the server's next_url for {url} leads back to a page already read ({next_url}); stopping: try again later or check --api-url"
                )));
            }
            if added == 0 {
                return Err(error::network(format!(
                    "the server sent an empty page with a next_url for {url}; stopping: try again later or check --api-url"
                )));
            }
            url = next_url;
        }
    }

    /// The next page: `next` resolved against the current URL, kept on our
    /// base's scheme, host and port (a mirror or emulator may be told
    /// Kolada's own address).
    fn follow(&self, current: &Url, next: &str) -> Result<Url, url::ParseError> {
        let mut url = current.join(next)?;
        if url.host_str() != self.base.host_str()
            || url.port_or_known_default() != self.base.port_or_known_default()
        {
            let _ = url.set_scheme(self.base.scheme());
            url.set_host(self.base.host_str())?;
            let _ = url.set_port(self.base.port());
        }
        Ok(url)
    }

    fn get_json<T: DeserializeOwned>(&self, url: &Url) -> Result<T> {
        let mut tries = 0;
        let mut rate_limited = 0;
        loop {
            if let Some(pacer) = &self.pacer {
                pacer.wait();
            }
            self.requests.fetch_add(1, Ordering::Relaxed);
            let failure = match self.try_once(url) {
                Ok(value) => return Ok(value),
                Err(failure) => failure,
            };
            match failure {
                Failure::Fatal(message) => return Err(error::network(message)),
                Failure::RateLimited(wait) if rate_limited < 50 => {
                    // Waiting as asked is no failure; it has its own, larger bound.
                    rate_limited += 1;
                    std::thread::sleep(
                        wait.unwrap_or_else(|| backoff(rate_limited))
                            .min(Duration::from_secs(60)),
                    );
                }
                failure => {
                    tries += 1;
                    if tries >= self.tries {
                        return Err(error::network(
                            failure.give_up_message(url, &self.base, tries),
                        ));
                    }
                    std::thread::sleep(backoff(tries));
                }
            }
        }
    }

    fn try_once<T: DeserializeOwned>(&self, url: &Url) -> Result<T, Failure> {
        let response = self.http.get(url.clone()).send().map_err(|e| {
            if e.is_connect() || e.is_timeout() || e.is_request() || e.is_body() || e.is_decode() {
                Failure::Unreachable(describe(&e))
            } else {
                Failure::Fatal(format!("request to {url} failed: {}", describe(&e)))
            }
        })?;
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(Failure::RateLimited(retry_after(&response)));
        }
        if status.is_server_error() {
            return Err(Failure::Status(status.as_u16()));
        }
        if status == StatusCode::GONE {
            return Err(Failure::Fatal(format!(
                "Kolada says {url} is gone (HTTP 410); nyckeltal speaks API v3: check --api-url (default {DEFAULT_API_URL})"
            )));
        }
        if !status.is_success() {
            let body = response.text().unwrap_or_default();
            let body: String = body.chars().take(200).collect();
            return Err(Failure::Fatal(format!(
                "Kolada rejected {url} (HTTP {}): {}",
                status.as_u16(),
                body.trim()
            )));
        }
        let too_large = || {
            Failure::Fatal(format!(
                "the answer for {url} is larger than {} MiB (Kolada's largest pages are about 0.3 MB); this server does not answer as Kolada does: check --api-url",
                MAX_ANSWER_BYTES / (1024 * 1024)
            ))
        };
        if response
            .content_length()
            .is_some_and(|n| n > MAX_ANSWER_BYTES)
        {
            return Err(too_large());
        }
        // Read at most one byte past the bound (after gzip): memory stays bounded.
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(response, MAX_ANSWER_BYTES + 1),
            &mut bytes,
        )
        .map_err(|e| Failure::Malformed(format!("body cut off: {e}")))?;
        if bytes.len() as u64 > MAX_ANSWER_BYTES {
            return Err(too_large());
        }
        serde_json::from_slice(&bytes).map_err(|e| Failure::Malformed(format!("invalid JSON: {e}")))
    }
}

/// One data query: its path and the cells it covers.
struct Query {
    path: String,
    scope: ValueRequest,
}

/// The queries for one request: ids, KPIs and years each in the fewest
/// slots of at most 25. A query larger than a page is paged through.
fn plan_queries(request: &ValueRequest) -> Vec<Query> {
    let entity_chunks: Vec<Option<Vec<String>>> = match &request.entities {
        Entities::All => vec![None],
        Entities::Ids(ids) => even_chunks(ids, MAX_IDS_PER_SLOT)
            .into_iter()
            .map(Some)
            .collect(),
    };
    let mut queries = Vec::new();
    for entities in entity_chunks {
        for kpis in even_chunks(&request.kpis, MAX_IDS_PER_SLOT) {
            for years in even_chunks(&request.years, MAX_IDS_PER_SLOT) {
                let year_text: Vec<String> = years.iter().map(i32::to_string).collect();
                let path = match &entities {
                    Some(ids) => format!(
                        "data/kpi/{}/municipality/{}/year/{}",
                        kpis.join(","),
                        ids.join(","),
                        year_text.join(",")
                    ),
                    None => format!("data/kpi/{}/year/{}", kpis.join(","), year_text.join(",")),
                };
                queries.push(Query {
                    path,
                    scope: ValueRequest {
                        kpis: kpis.clone(),
                        entities: entities.clone().map_or(Entities::All, Entities::Ids),
                        years,
                    },
                });
            }
        }
    }
    queries
}

/// Split into the fewest chunks of at most `max` items, as even as possible.
fn even_chunks<T: Clone>(items: &[T], max: usize) -> Vec<Vec<T>> {
    if items.is_empty() {
        return Vec::new();
    }
    let n = items.len().div_ceil(max.max(1));
    let base = items.len() / n;
    let extra = items.len() % n;
    let mut out = Vec::with_capacity(n);
    let mut start = 0;
    for i in 0..n {
        let len = base + usize::from(i < extra);
        out.push(items[start..start + len].to_vec());
        start += len;
    }
    out
}

enum Failure {
    Unreachable(String),
    Status(u16),
    Malformed(String),
    RateLimited(Option<Duration>),
    Fatal(String),
}

impl Failure {
    fn give_up_message(&self, url: &Url, base: &Url, tries: u32) -> String {
        match self {
            Failure::Unreachable(reason) => format!(
                "cannot reach Kolada at {base} ({reason}; {tries} tries); work without the network with --offline (cached data) or --source PATH (a snapshot)"
            ),
            Failure::Status(code) => format!(
                "Kolada answered HTTP {code} for {url} {tries} times; try again later, or use --offline (cached data) or --source PATH (a snapshot)"
            ),
            Failure::Malformed(reason) => format!(
                "Kolada sent a malformed answer for {url} {tries} times ({reason}); try again later, or use --offline (cached data) or --source PATH (a snapshot)"
            ),
            Failure::RateLimited(_) => format!(
                "Kolada kept answering 'too many requests' (HTTP 429) for {url}; try again later with a lower --jobs"
            ),
            Failure::Fatal(message) => message.clone(),
        }
    }
}

/// reqwest's error with its causes, on one line.
fn describe(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Exponential backoff with jitter: about 0.2 s, 0.4 s, 0.8 s … capped at 4 s.
fn backoff(attempt: u32) -> Duration {
    let base = 0.2 * 2f64.powi(attempt.saturating_sub(1).min(10) as i32);
    let capped = base.min(4.0);
    Duration::from_secs_f64(capped * (0.5 + fastrand::f64() * 0.5))
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(response: &reqwest::blocking::Response) -> Option<Duration> {
    let value = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0)
            .then(|| Duration::from_secs_f64(seconds.min(60.0)));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(
        wait.to_std()
            .unwrap_or(Duration::ZERO)
            .min(Duration::from_secs(60)),
    )
}

/// A token bucket: at most `rate` requests per second on average, with a
/// burst of one second's worth (at least one) when the client has been idle.
struct Pacer {
    rate: f64,
    burst: f64,
    /// Tokens left and when they were counted.
    state: Mutex<(f64, Instant)>,
}

impl Pacer {
    fn new(per_second: f64) -> Self {
        let burst = per_second.max(1.0).min(10.0).floor();
        Pacer {
            rate: per_second,
            burst,
            state: Mutex::new((burst, Instant::now())),
        }
    }

    /// Take a token, waiting until there is one.
    fn wait(&self) {
        let wait = {
            let mut state = self.state.lock().unwrap();
            let now = Instant::now();
            let tokens = (state.0 + now.duration_since(state.1).as_secs_f64() * self.rate)
                .min(self.burst)
                - 1.0;
            *state = (tokens, now);
            // A debt is paid off by waiting; later callers queue behind it.
            (tokens < 0.0).then(|| Duration::from_secs_f64(-tokens / self.rate))
        };
        if let Some(wait) = wait {
            std::thread::sleep(wait);
        }
    }
}

#[derive(Deserialize)]
struct Envelope<T> {
    values: Vec<T>,
    #[serde(default)]
    next_url: Option<String>,
}

#[derive(Deserialize)]
struct DataRow {
    kpi: String,
    #[serde(default)]
    municipality: Option<String>,
    #[serde(default)]
    ou: Option<String>,
    #[serde(deserialize_with = "year_number_or_string")]
    period: i32,
    #[serde(default)]
    values: Vec<DataValue>,
}

#[derive(Deserialize)]
struct DataValue {
    gender: String,
    #[serde(default)]
    count: Option<f64>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    value: Option<f64>,
    #[serde(default)]
    isdeleted: Option<bool>,
}

impl DataRow {
    /// The row's values as observations, each with Kolada's deleted flag;
    /// deleted values only when `keep_deleted`.
    fn into_observations(self, out: &mut Vec<(Observation, bool)>, keep_deleted: bool) {
        let Some(entity) = self.municipality.or(self.ou) else {
            return;
        };
        for entry in self.values {
            // Select by the gender field: the order of entries is not fixed.
            let Some(gender) = Gender::parse(&entry.gender) else {
                continue;
            };
            let status = entry.status.unwrap_or_default();
            let deleted = entry.isdeleted == Some(true);
            if (deleted && !keep_deleted)
                || (!deleted && entry.value.is_none() && status.is_empty())
            {
                continue;
            }
            out.push((
                Observation {
                    kpi: self.kpi.clone(),
                    entity: entity.clone(),
                    year: self.period,
                    gender,
                    value: entry.value,
                    count: entry.count.map(|c| c as u32),
                    status,
                },
                deleted,
            ));
        }
    }
}

fn year_number_or_string<'de, D: serde::Deserializer<'de>>(de: D) -> Result<i32, D::Error> {
    use serde::de::Error;
    match serde_json::Value::deserialize(de)? {
        serde_json::Value::Number(n) => n
            .as_i64()
            .map(|y| y as i32)
            .ok_or_else(|| D::Error::custom("period is not a whole year")),
        serde_json::Value::String(s) => s.trim().parse().map_err(D::Error::custom),
        _ => Err(D::Error::custom("period is not a year")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(kpis: usize, entities: Entities, years: usize) -> ValueRequest {
        ValueRequest {
            kpis: (0..kpis).map(|i| format!("N{i:05}")).collect(),
            entities,
            years: (1998..1998 + years as i32).collect(),
        }
    }

    #[test]
    fn every_slot_holds_at_most_25_ids() {
        let ids = (0..290).map(|i| format!("{i:04}")).collect();
        let paths: Vec<String> = plan_queries(&request(30, Entities::Ids(ids), 25))
            .into_iter()
            .map(|q| q.path)
            .collect();
        for path in &paths {
            let parts: Vec<&str> = path.split('/').collect();
            for slot in [2, 4, 6] {
                assert!(parts[slot].split(',').count() <= MAX_IDS_PER_SLOT, "{path}");
            }
        }
    }

    #[test]
    fn queries_hold_as_much_as_a_query_may() {
        let one = plan_queries(&request(10, Entities::All, 25));
        assert_eq!(
            one.len(),
            1,
            "10 KPIs × 25 years for everybody: one query, paged"
        );
        assert_eq!(one[0].scope.kpis.len(), 10);
        let four = plan_queries(&request(100, Entities::All, 25));
        assert_eq!(four.len(), 4, "100 KPIs: four slots of 25");
        let split = plan_queries(&request(10, Entities::All, 28));
        assert_eq!(split.len(), 2, "28 years: two year slots");
        assert!(split.iter().all(|q| q.scope.years.len() == 14));
    }

    #[test]
    fn the_pacer_allows_a_burst_then_keeps_the_rate() {
        let pacer = Pacer::new(50.0);
        let start = Instant::now();
        for _ in 0..10 {
            pacer.wait();
        }
        let burst = start.elapsed();
        for _ in 0..5 {
            pacer.wait();
        }
        let after = start.elapsed() - burst;
        // Ten tokens at once; then one every 20 ms (lower bound only: a busy
        // machine may be slower, never faster).
        assert!(after >= Duration::from_millis(5 * 20 - 5), "{after:?}");
    }

    #[test]
    fn even_chunks_balance_sizes() {
        let items: Vec<i32> = (0..26).collect();
        let sizes: Vec<usize> = even_chunks(&items, 25).iter().map(Vec::len).collect();
        assert_eq!(sizes, vec![13, 13]);
    }

    #[test]
    fn deleted_values_are_kept_only_when_asked() {
        let text = r#"{"kpi":"N1","municipality":"1419","period":2021,"values":[
                {"gender":"T","count":1,"status":"","value":null,"isdeleted":true}]}"#;
        let mut kept = Vec::new();
        serde_json::from_str::<DataRow>(text)
            .unwrap()
            .into_observations(&mut kept, true);
        assert_eq!(kept.len(), 1);
        assert!(kept[0].1, "flagged as deleted");
        let mut dropped = Vec::new();
        serde_json::from_str::<DataRow>(text)
            .unwrap()
            .into_observations(&mut dropped, false);
        assert!(dropped.is_empty());
    }

    #[test]
    fn gender_is_taken_from_the_field_not_the_position() {
        let row: DataRow = serde_json::from_str(
            r#"{"kpi":"N1","municipality":"1419","period":2022,"values":[
                {"gender":"M","count":1,"status":"","value":2.0,"isdeleted":false},
                {"gender":"T","count":1,"status":"","value":3.5,"isdeleted":false},
                {"gender":"K","count":1,"status":"","value":null,"isdeleted":false}]}"#,
        )
        .unwrap();
        let mut out = Vec::new();
        row.into_observations(&mut out, false);
        let out: Vec<Observation> = out.into_iter().map(|(o, _)| o).collect();
        assert_eq!(out.len(), 2);
        assert!(out
            .iter()
            .any(|o| o.gender == Gender::T && o.value == Some(3.5)));
        assert!(out
            .iter()
            .any(|o| o.gender == Gender::M && o.value == Some(2.0)));
    }
}

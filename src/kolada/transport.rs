//! HTTP to one API base URL: redirects and `next_url` kept on its host,
//! paced requests, bounded answers, and the tries worth making.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::Result;
use reqwest::blocking::Client;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use url::Url;

use super::config::{ClientConfig, DEFAULT_API_URL};
use super::pacing::{backoff, retry_after, Pacer};
use super::planner::PER_PAGE;
use super::wire::Envelope;
use crate::base::error;

/// The largest answer accepted from the API. Kolada's largest real page is
/// about 0.3 MB; anything near this bound is not Kolada answering.
pub(crate) const MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;

/// What one query (a first URL and the pages its `next_url` leads to) may
/// bring at most. Kolada's largest real query (25 KPIs × 25 years for
/// every municipality) is about 200,000 rows in 40 pages of 0.3 MB; a
/// server past these bounds is not answering as Kolada does.
pub(crate) const MAX_PAGES_PER_QUERY: usize = 400;
pub(crate) const MAX_ROWS_PER_QUERY: usize = 2_000_000;
pub(crate) const MAX_BYTES_PER_QUERY: u64 = 512 * 1024 * 1024;

/// Where a walk through a query's pages starts: its first page, or the
/// page after those an interrupted run kept.
pub(crate) struct Walk {
    pub url: Url,
    pub pages_before: usize,
    pub rows_before: usize,
}

impl From<Url> for Walk {
    fn from(url: Url) -> Walk {
        Walk {
            url,
            pages_before: 0,
            rows_before: 0,
        }
    }
}

/// The longest wait a `Retry-After` is honoured for (also never longer than `--timeout`).
const LONGEST_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Told, as it happens, that Kolada is being waited for (a try failed and
/// another is coming): the command line shows a line on stderr.
pub(crate) type WaitNotice = std::sync::Arc<dyn Fn(&str) + Send + Sync>;

pub(crate) struct Transport {
    base: Url,
    http: Client,
    tries: u32,
    /// The most one try may take, the body included (a server sending a
    /// byte a second is cut off here, not after the last byte).
    timeout: Duration,
    notice: Option<WaitNotice>,
    pacer: Option<Pacer>,
    requests: AtomicUsize,
}

impl Transport {
    pub(crate) fn new(config: &ClientConfig, notice: Option<WaitNotice>) -> Result<Transport> {
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
        // reqwest honours HTTP_PROXY / HTTPS_PROXY / NO_PROXY from the environment.
        let http = Client::builder()
            .user_agent(concat!("nyckeltal/", env!("CARGO_PKG_VERSION")))
            .redirect(same_host_redirects(&base))
            .gzip(true)
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .build()?;
        Ok(Transport {
            base,
            http,
            tries: config.tries.max(1),
            timeout: config.timeout,
            notice,
            pacer: (config.max_rate > 0.0).then(|| Pacer::new(config.max_rate)),
            requests: AtomicUsize::new(0),
        })
    }

    pub(crate) fn base(&self) -> &Url {
        &self.base
    }

    /// HTTP requests sent so far (every try and every page counts).
    pub(crate) fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    /// The URL of a path under the base, asking for full pages.
    pub(crate) fn endpoint(&self, path: &str) -> Result<Url> {
        let mut url = self.base.join(path)?;
        url.query_pairs_mut()
            .append_pair("per_page", &PER_PAGE.to_string());
        Ok(url)
    }

    /// Every item of a paged list, following `next_url` (absolute or relative).
    pub(crate) fn get_all<T: DeserializeOwned>(&self, first: Url) -> Result<Vec<T>> {
        let mut items = Vec::new();
        self.walk_pages(Walk::from(first), |page: Vec<T>, _| {
            items.extend(page);
            Ok(())
        })?;
        Ok(items)
    }

    /// The pages of a list from `walk.url` on, each handed to `on_page`
    /// with the URL of the next (none after the last) as it arrives. A
    /// next_url that leads back to a page already read, a page that adds
    /// nothing but points on, or a query past [`MAX_PAGES_PER_QUERY`],
    /// [`MAX_ROWS_PER_QUERY`] or [`MAX_BYTES_PER_QUERY`] (counting the
    /// pages read before, by an interrupted run) ends the walk with an
    /// error (exit 5) rather than going on for ever.
    pub(crate) fn walk_pages<T: DeserializeOwned>(
        &self,
        walk: Walk,
        mut on_page: impl FnMut(Vec<T>, Option<&Url>) -> Result<()>,
    ) -> Result<()> {
        let first = walk.url.clone();
        let mut url = walk.url;
        let mut visited: HashSet<String> = HashSet::new();
        let (mut rows, mut bytes) = (walk.rows_before, 0u64);
        loop {
            visited.insert(url.as_str().to_string());
            let (page, size): (Envelope<T>, u64) = self.get_json(&url)?;
            bytes += size;
            let added = page.values.len();
            rows += added;
            if walk.pages_before + visited.len() >= MAX_PAGES_PER_QUERY
                || rows > MAX_ROWS_PER_QUERY
                || bytes > MAX_BYTES_PER_QUERY
            {
                return Err(error::network(format!(
                    "the answer to {first} goes past {} pages, {} rows or {} MiB (Kolada's largest is about 40 pages); this server does not answer as Kolada does: check --api-url",
                    MAX_PAGES_PER_QUERY,
                    MAX_ROWS_PER_QUERY,
                    MAX_BYTES_PER_QUERY >> 20
                )));
            }
            let Some(next) = page.next_url.filter(|next| !next.is_empty()) else {
                return on_page(page.values, None);
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
            on_page(page.values, Some(&next_url))?;
            url = next_url;
        }
    }

    /// Whether `url` is under this transport's base (scheme, host, port and
    /// path): a kept next page's URL is followed only then.
    pub(crate) fn is_under_base(&self, url: &Url) -> bool {
        url.scheme() == self.base.scheme()
            && url.host_str() == self.base.host_str()
            && url.port_or_known_default() == self.base.port_or_known_default()
            && url.path().starts_with(self.base.path())
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

    /// One answer and its size in bytes, tried up to `--tries` times: a
    /// 429 counts as a try too, its `Retry-After` honoured up to
    /// `--timeout` (and a minute), so the whole wait stays bounded.
    fn get_json<T: DeserializeOwned>(&self, url: &Url) -> Result<(T, u64)> {
        let mut tries = 0;
        loop {
            if let Some(pacer) = &self.pacer {
                pacer.wait();
            }
            self.requests.fetch_add(1, Ordering::Relaxed);
            let failure = match self.try_once(url) {
                Ok(answer) => return Ok(answer),
                Err(Failure::Fatal(message)) => return Err(error::network(message)),
                Err(failure) => failure,
            };
            tries += 1;
            if tries >= self.tries {
                return Err(error::network(
                    failure.give_up_message(url, &self.base, tries),
                ));
            }
            let wait = match failure {
                Failure::RateLimited(asked) => asked
                    .unwrap_or_else(|| backoff(tries))
                    .min(LONGEST_RETRY_AFTER)
                    .min(self.timeout),
                _ => backoff(tries),
            };
            if let Some(notice) = &self.notice {
                notice(&format!(
                    "waiting for Kolada: {} (try {tries} of {}); trying again in {:.1} s",
                    failure.what_happened(self.timeout),
                    self.tries,
                    wait.as_secs_f64()
                ));
            }
            std::thread::sleep(wait);
        }
    }

    fn try_once<T: DeserializeOwned>(&self, url: &Url) -> Result<(T, u64), Failure> {
        let deadline = std::time::Instant::now() + self.timeout;
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
            // An error page says what it is in its first lines: at most 4 KB
            // of it is read, whatever its length (an endless one included).
            let mut head = Vec::new();
            let _ = std::io::Read::read_to_end(&mut std::io::Read::take(response, 4096), &mut head);
            let body: String = String::from_utf8_lossy(&head).chars().take(200).collect();
            return Err(Failure::Fatal(format!(
                "Kolada rejected {url} (HTTP {}): {}",
                status.as_u16(),
                body.trim()
            )));
        }
        let bytes = bounded_body(response, url, deadline, self.timeout)?;
        let value = serde_json::from_slice(&bytes)
            .map_err(|e| Failure::Malformed(format!("invalid JSON: {e}")))?;
        Ok((value, bytes.len() as u64))
    }
}

/// Redirects that stay on the API's host and port, as next_url does.
fn same_host_redirects(base: &Url) -> reqwest::redirect::Policy {
    let (host, port) = (
        base.host_str().map(str::to_string),
        base.port_or_known_default(),
    );
    reqwest::redirect::Policy::custom(move |attempt| {
        let url = attempt.url();
        if attempt.previous().len() >= 10 {
            attempt.error("more than 10 redirects")
        } else if url.host_str().map(str::to_string) == host && url.port_or_known_default() == port
        {
            attempt.follow()
        } else {
            let to = url.to_string();
            attempt.error(format!("a redirect to another host ({to}) is not followed"))
        }
    })
}

/// A body read that gives up at a deadline: each read returns when a byte
/// comes (or at the client's read timeout), so a drip feed ends here.
struct Deadline<R> {
    inner: R,
    deadline: std::time::Instant,
}

impl<R: std::io::Read> std::io::Read for Deadline<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if std::time::Instant::now() > self.deadline {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the answer took longer than --timeout",
            ));
        }
        self.inner.read(buf)
    }
}

/// The answer's body, read up to the bound (after gzip) and the deadline:
/// memory and time stay bounded.
fn bounded_body(
    response: reqwest::blocking::Response,
    url: &Url,
    deadline: std::time::Instant,
    timeout: Duration,
) -> Result<Vec<u8>, Failure> {
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
    // Read at most one byte past the bound.
    let mut bytes = Vec::new();
    let mut body = Deadline {
        inner: response,
        deadline,
    };
    std::io::Read::read_to_end(
        &mut std::io::Read::take(&mut body, MAX_ANSWER_BYTES + 1),
        &mut bytes,
    )
    .map_err(|e| match e.kind() {
        std::io::ErrorKind::TimedOut => Failure::Unreachable(format!(
            "no whole answer within --timeout {} s",
            timeout.as_secs()
        )),
        _ => Failure::Malformed(format!("body cut off: {e}")),
    })?;
    if bytes.len() as u64 > MAX_ANSWER_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
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
                "Kolada kept answering 'too many requests' (HTTP 429) for {url} ({tries} tries); try again later with a lower --jobs or --max-rate"
            ),
            Failure::Fatal(message) => message.clone(),
        }
    }

    /// What this try met, for the line shown while waiting.
    fn what_happened(&self, timeout: Duration) -> String {
        match self {
            Failure::Unreachable(reason)
                if reason.contains("timed out") || reason.contains("--timeout") =>
            {
                format!("no answer within {} s", timeout.as_secs())
            }
            Failure::Unreachable(_) => "no connection".to_string(),
            Failure::Status(code) => format!("HTTP {code}"),
            Failure::Malformed(_) => "a malformed answer".to_string(),
            Failure::RateLimited(_) => "too many requests (HTTP 429)".to_string(),
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

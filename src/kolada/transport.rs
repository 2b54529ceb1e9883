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

use super::pacing::{backoff, retry_after, Pacer};
use super::planner::PER_PAGE;
use super::wire::Envelope;
use super::{ClientConfig, DEFAULT_API_URL};
use crate::base::error;

/// The largest answer accepted from the API. Kolada's largest real page is
/// about 0.3 MB; anything near this bound is not Kolada answering.
pub(crate) const MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;

/// How many times a `429 Too Many Requests` is waited out: waiting as asked
/// is no failure, so it has its own, larger bound than `--tries`.
const RATE_LIMITED_WAITS: u32 = 50;

pub(crate) struct Transport {
    base: Url,
    http: Client,
    tries: u32,
    pacer: Option<Pacer>,
    requests: AtomicUsize,
}

impl Transport {
    pub(crate) fn new(config: &ClientConfig) -> Result<Transport> {
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
    /// A next_url that leads back to a page already read, or a page that
    /// adds nothing but points on, ends the walk with an error (exit 5)
    /// rather than going round for ever.
    pub(crate) fn get_all<T: DeserializeOwned>(&self, first: Url) -> Result<Vec<T>> {
        let mut items = Vec::new();
        let mut url = first;
        let mut visited: HashSet<String> = HashSet::new();
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
                Failure::RateLimited(wait) if rate_limited < RATE_LIMITED_WAITS => {
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
        let bytes = bounded_body(response, url)?;
        serde_json::from_slice(&bytes).map_err(|e| Failure::Malformed(format!("invalid JSON: {e}")))
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

/// The answer's body, read up to the bound (after gzip): memory stays bounded.
fn bounded_body(response: reqwest::blocking::Response, url: &Url) -> Result<Vec<u8>, Failure> {
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
    std::io::Read::read_to_end(
        &mut std::io::Read::take(response, MAX_ANSWER_BYTES + 1),
        &mut bytes,
    )
    .map_err(|e| Failure::Malformed(format!("body cut off: {e}")))?;
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

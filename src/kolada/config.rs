//! Where the client talks to, and how fast and how patiently.

use std::time::Duration;

pub(crate) const DEFAULT_API_URL: &str = "https://api.kolada.se/v3";

#[derive(Debug, Clone)]
pub(crate) struct ClientConfig {
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
            timeout: Duration::from_secs(30),
            max_rate: 5.0,
        }
    }
}

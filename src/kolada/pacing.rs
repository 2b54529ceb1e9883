//! How fast and how often Kolada is asked: a token bucket for the average
//! rate, exponential backoff with jitter between tries, and `Retry-After`.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::base::lock;

/// A token bucket: at most `rate` requests per second on average, with a
/// burst of one second's worth (at least one) when the client has been idle.
pub(crate) struct Pacer {
    rate: f64,
    burst: f64,
    /// Tokens left and when they were counted.
    state: Mutex<(f64, Instant)>,
}

impl Pacer {
    pub(crate) fn new(per_second: f64) -> Self {
        let burst = per_second.clamp(1.0, 10.0).floor();
        Pacer {
            rate: per_second,
            burst,
            state: Mutex::new((burst, Instant::now())),
        }
    }

    /// Take a token, waiting until there is one.
    pub(crate) fn wait(&self) {
        let wait = {
            let mut state = lock(&self.state);
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

/// Exponential backoff with jitter: about 0.2 s, 0.4 s, 0.8 s … capped at 4 s.
pub(crate) fn backoff(attempt: u32) -> Duration {
    let base = 0.2 * 2f64.powi(attempt.saturating_sub(1).min(10) as i32);
    let capped = base.min(4.0);
    Duration::from_secs_f64(capped * (0.5 + fastrand::f64() * 0.5))
}

/// `Retry-After` as seconds or as an HTTP date, at most a minute.
pub(crate) fn retry_after(response: &reqwest::blocking::Response) -> Option<Duration> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}

//! Progress on a terminal while figures are fetched.

use std::io::IsTerminal;
use std::time::Duration;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::flags::GlobalArgs;
use crate::source::{DataSource, ValueQuery};

/// A progress bar on a terminal; nothing when piped or `--quiet`. It shows
/// only once there is work to count ([`add_work`]): never an empty "0/0".
pub fn progress(global: &GlobalArgs, what: &str) -> Option<ProgressBar> {
    if global.quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
    let style = ProgressStyle::with_template(
        "{spinner} {prefix} [{bar:30}] {pos}/{len} {msg} ({elapsed}, ETA {eta})",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(what.to_string());
    Some(bar)
}

/// Count `n` more items of `unit` ("KPIs", "sections") on the bar, and show it.
pub fn add_work(bar: Option<&ProgressBar>, n: u64, unit: &str) {
    let Some(bar) = bar else { return };
    if n == 0 {
        return;
    }
    bar.inc_length(n);
    bar.set_message(unit.to_string());
    if bar.is_hidden() {
        bar.set_draw_target(ProgressDrawTarget::stderr());
        bar.enable_steady_tick(Duration::from_millis(120));
    }
}

/// Fetch the values of a query, with a progress bar on a terminal.
pub fn fetch_values(
    source: &dyn DataSource,
    query: &ValueQuery,
    global: &GlobalArgs,
) -> Result<Vec<crate::model::Observation>> {
    let bar = progress(global, "fetching");
    let result = source.values(query, bar.as_ref());
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    result
}

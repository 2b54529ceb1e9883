//! Progress on a terminal while figures are fetched.

use std::io::IsTerminal;
use std::time::Duration;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};

use crate::flags::GlobalArgs;
use crate::source::{DataSource, ValueQuery};

/// A progress bar on a terminal; nothing when piped or `--quiet`.
pub fn progress(global: &GlobalArgs, what: &str) -> Option<ProgressBar> {
    if global.quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    let style = ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} ({elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(what.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    Some(bar)
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

//! One run of a command: the source the global flags ask for, the
//! catalogue and reference data over it, the progress bar, and the notes
//! the lower layers return, shown on stderr.

use std::time::Duration;

use anyhow::Result;

use super::flags::GlobalArgs;
use super::progress::Bar;
use crate::base::{error, text};
use crate::catalogue::Catalogue;
use crate::kolada::{ClientConfig, KoladaClient, WaitNotice};
use crate::ops::{Context, Notes};
use crate::refdata::RefData;
use crate::source::cache::{Cache, CachedSource, DEFAULT_META_TTL};
use crate::source::snapshot::Snapshot;
use crate::source::DataSource;

/// Open the source, run `work` with a context over it, then show what it
/// noted and the source's warnings (also when `work` failed).
pub(crate) fn with_context<T>(
    global: &GlobalArgs,
    work: impl FnOnce(&Context) -> Result<T>,
) -> Result<T> {
    let source = open_source(global)?;
    let catalogue = Catalogue::new(source.as_ref());
    let refdata = refdata(global);
    let bar = Bar::new(global);
    let said = Notes::default();
    let cx = Context {
        catalogue: &catalogue,
        refdata: &refdata,
        progress: &bar,
        notes: &said,
    };
    let result = work(&cx);
    crate::base::progress::Progress::end(&bar);
    let (told, warnings) = said.take();
    notes(global, &told);
    warn(&warnings);
    warn(&source.take_notes());
    result
}

/// Warnings (a damaged cache file, Kolada not answering), also with `--quiet`.
pub(crate) fn warn(warnings: &[String]) {
    for warning in warnings {
        to_stderr(warning);
    }
}

/// A line on standard error; one that cannot be written (`2>/dev/full`,
/// a closed terminal) is dropped rather than ending the run.
/// Messages quote text from outside (a mirror's error body, a title) and
/// the API's URL: no terminal escape and no password gets through.
pub(crate) fn to_stderr(line: &str) {
    use std::io::Write;
    let shown = text::without_credentials(line);
    let _ = writeln!(std::io::stderr(), "{}", text::printable(&shown));
}

/// The reference data: built in, and the user's own in the data directory.
pub(crate) fn refdata(global: &GlobalArgs) -> RefData {
    RefData::new(global.data_dir())
}

/// Notes for people ("note: …"), unless `--quiet`.
pub(crate) fn notes(global: &GlobalArgs, notes: &[String]) {
    if !global.quiet {
        for note in notes {
            to_stderr(note);
        }
    }
}

/// The data source the global flags ask for: a snapshot, the API directly,
/// or (the default) the API behind the cache, or the cache alone (`--offline`).
pub(crate) fn open_source(global: &GlobalArgs) -> Result<Box<dyn DataSource>> {
    if let Some(path) = &global.source {
        return Ok(Box::new(Snapshot::open(path)?));
    }
    let client = open_client(global)?;
    if global.no_cache {
        return Ok(Box::new(client));
    }
    let cache = Cache::new(&cache_root(global)?, client.base_url());
    let upstream = (!global.offline).then_some(client);
    Ok(Box::new(CachedSource::new(
        cache,
        upstream,
        global.refresh,
        DEFAULT_META_TTL,
    )))
}

/// The cache folder: `--cache-dir`, or the platform's.
pub(crate) fn cache_root(global: &GlobalArgs) -> Result<std::path::PathBuf> {
    global.cache_dir().or_else(Cache::default_root).ok_or_else(|| {
        error::usage("no cache directory is known on this system; give --cache-dir DIR or set NYCKELTAL_CACHE_DIR")
    })
}

/// A client for the live API from the global flags (for what only the API can answer).
pub(crate) fn open_client(global: &GlobalArgs) -> Result<KoladaClient> {
    let config = ClientConfig {
        base_url: global.api_url.clone(),
        jobs: usize::from(global.jobs),
        tries: global.tries,
        timeout: Duration::from_secs(global.timeout.max(1)),
        max_rate: global.max_rate,
        ..ClientConfig::default()
    };
    // A wait for Kolada is never silent: a line per failed try.
    let notice: Option<WaitNotice> = (!global.quiet).then(|| {
        std::sync::Arc::new(|line: &str| to_stderr(&format!("note: {line}"))) as WaitNotice
    });
    KoladaClient::new(&config, notice)
}

//! The queries of a fetch run in parallel within `--jobs`; each page is
//! taken in on the calling thread as it arrives (kept, when a journal is
//! given) and each query handed on as soon as it is complete, so a cache
//! keeps what was answered even when a later query fails.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::mpsc::SyncSender;
use std::sync::Mutex;

use anyhow::Result;
use url::Url;

use super::planner::{plan_queries, Entities, Query, ValueRequest};
use super::transport::{Transport, Walk};
use super::wire::DataRow;
use crate::base::progress::Progress;
use crate::base::{error, lock};
use crate::model::ids::refuse_invalid_ids;
use crate::model::Observation;

/// What to ask and how the answers are taken.
pub(crate) struct Fetch<'a> {
    pub requests: &'a [ValueRequest],
    /// Only values changed since this date (Kolada's `from_date`).
    pub from_date: Option<chrono::NaiveDate>,
    /// Keep the values Kolada reports as deleted (with `from_date`).
    pub keep_deleted: bool,
    pub jobs: usize,
}

/// Keeps each page of a query as it arrives, so that a fetch that is
/// stopped (killed, Ctrl-C, an outage) resumes at the page where it
/// stopped instead of asking again for what it had received.
pub(crate) trait PageJournal {
    /// The pages of the query at `path` a stopped run kept, if any.
    fn kept(&self, path: &str) -> Option<KeptPages>;
    /// Page `number` (from 1) of the query at `path` (covering `scope`),
    /// and where the next is.
    fn keep(&self, page: KeptPage, observations: &[Observation]);
    /// The query at `path` is answered in full and stored: its pages go.
    fn forget(&self, path: &str);
}

/// A page to keep: which query, which page, and where the next one is.
pub(crate) struct KeptPage<'a> {
    pub path: &'a str,
    pub scope: &'a ValueRequest,
    pub number: usize,
    pub next: &'a Url,
}

/// The first pages of a query, as a stopped run kept them.
pub(crate) struct KeptPages {
    pub observations: Vec<Observation>,
    pub pages: usize,
    pub next: Url,
}

/// A page as a worker hands it to the calling thread.
struct Page<'q> {
    query: &'q Query,
    number: usize,
    rows: Vec<DataRow>,
    next: Option<Url>,
}

/// Run the queries of `fetch`; `answered` gets each query's scope and its
/// observations (with Kolada's deleted flag) once the query is complete.
/// With a `journal`, every page is kept as it arrives and a query a
/// stopped run began goes on from its next page.
pub(crate) fn run(
    transport: &Transport,
    fetch: &Fetch,
    journal: Option<&dyn PageJournal>,
    progress: &dyn Progress,
    mut answered: impl FnMut(&ValueRequest, Vec<(Observation, bool)>) -> Result<()>,
) -> Result<()> {
    let queries: Vec<Query> = fetch.requests.iter().flat_map(plan_queries).collect();
    for query in &queries {
        refuse_invalid_ids(query.scope.kpis.iter().map(String::as_str))?;
        if let Entities::Ids(ids) = &query.scope.entities {
            refuse_invalid_ids(ids.iter().map(String::as_str))?;
        }
    }
    let mut tally = Tally::new(&queries, progress);
    let mut gathered: HashMap<&str, Vec<(Observation, bool)>> = HashMap::new();
    let mut starts: Vec<(&Query, Walk)> = Vec::new();
    for query in &queries {
        let url = first_url(transport, query, fetch.from_date)?;
        let kept = journal
            .and_then(|j| j.kept(&query.path))
            .filter(|k| transport.is_under_base(&k.next));
        starts.push((query, resume(url, kept, &query.path, &mut gathered)));
    }
    let queue = Mutex::new(starts.into_iter().collect::<VecDeque<_>>());
    let failure: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    // Workers wait while this many pages are not yet taken in: a stop
    // loses at most the pages in flight and these, not a backlog.
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Page>(fetch.jobs.max(1));
    let mut handler_failure = None;
    std::thread::scope(|scope| {
        for _ in 0..fetch.jobs.min(queries.len()).max(1) {
            let worker = Worker {
                transport,
                queue: &queue,
                failure: &failure,
                sender: sender.clone(),
            };
            scope.spawn(move || worker.work());
        }
        drop(sender);
        // Every page that arrives is kept and handed on, also after a failure.
        for page in receiver {
            if handler_failure.is_some() {
                continue;
            }
            let Some((query, observations)) =
                take_page(page, fetch.keep_deleted, journal, &mut gathered)
            else {
                continue;
            };
            tally.answered(&query.scope, observations.len());
            if let Err(e) = finish(query, observations, journal, &mut answered) {
                lock(&failure).get_or_insert(anyhow::anyhow!("stopped"));
                handler_failure = Some(e);
            }
        }
    });
    if let Some(err) = handler_failure {
        return Err(err);
    }
    match failure
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        Some(err) => Err(err),
        None => Ok(()),
    }
}

/// A query's first page.
fn first_url(transport: &Transport, query: &Query, from: Option<chrono::NaiveDate>) -> Result<Url> {
    let mut url = transport.endpoint(&query.path)?;
    if let Some(date) = from {
        url.query_pairs_mut()
            .append_pair("from_date", &date.format("%Y-%m-%d").to_string());
    }
    Ok(url)
}

/// Where a query's walk starts: after the pages a stopped run kept (which
/// are gathered now), else at its first page.
fn resume<'q>(
    first: Url,
    kept: Option<KeptPages>,
    path: &'q str,
    gathered: &mut HashMap<&'q str, Vec<(Observation, bool)>>,
) -> Walk {
    let Some(kept) = kept else {
        return Walk::from(first);
    };
    let rows_before = kept.observations.len();
    gathered.insert(
        path,
        kept.observations.into_iter().map(|o| (o, false)).collect(),
    );
    Walk {
        url: kept.next,
        pages_before: kept.pages,
        rows_before,
    }
}

/// Observations, each with Kolada's deleted flag.
type Flagged = Vec<(Observation, bool)>;

/// A page taken in: kept in the journal while more are to come; the
/// query and all its observations once it is the last.
fn take_page<'q>(
    page: Page<'q>,
    keep_deleted: bool,
    journal: Option<&dyn PageJournal>,
    gathered: &mut HashMap<&'q str, Flagged>,
) -> Option<(&'q Query, Flagged)> {
    let mut observations = Vec::new();
    for row in page.rows {
        row.into_observations(&mut observations, keep_deleted);
    }
    let path = page.query.path.as_str();
    match (&page.next, journal) {
        (Some(next), Some(journal)) => {
            let plain: Vec<Observation> = observations.iter().map(|(o, _)| o.clone()).collect();
            let kept = KeptPage {
                path,
                scope: &page.query.scope,
                number: page.number,
                next,
            };
            journal.keep(kept, &plain);
        }
        (None, _) => {
            let mut all = gathered.remove(path).unwrap_or_default();
            all.extend(observations);
            return Some((page.query, all));
        }
        _ => {}
    }
    gathered.entry(path).or_default().extend(observations);
    None
}

/// A complete query handed on, and its kept pages forgotten. A cell in it
/// twice is refused, never stored: when its first pages came from a
/// stopped run, Kolada's pages moved meanwhile, so they are forgotten too
/// and the next run asks for the query whole.
fn finish(
    query: &Query,
    observations: Vec<(Observation, bool)>,
    journal: Option<&dyn PageJournal>,
    answered: &mut impl FnMut(&ValueRequest, Vec<(Observation, bool)>) -> Result<()>,
) -> Result<()> {
    let checked = no_duplicates(&observations);
    if let Some(journal) = journal {
        journal.forget(&query.path);
    }
    checked?;
    answered(&query.scope, observations)
}

/// A cell answered twice would be counted twice (a peer counted as two,
/// a wrong mean): the answer is refused, never stored.
fn no_duplicates(observations: &[(Observation, bool)]) -> Result<()> {
    let mut seen = HashSet::new();
    // A deleted value and its replacement may both come (`changes`).
    for (o, _) in observations.iter().filter(|(_, deleted)| !deleted) {
        if !seen.insert((&o.kpi, &o.entity, o.year, o.gender)) {
            return Err(error::network(format!(
                "the server answered {} for {} in {} ({:?}) twice; it is not a Kolada answer to rely on (a fetch that was stopped and resumed asks for it whole when run again)",
                o.kpi, o.entity, o.year, o.gender
            )));
        }
    }
    Ok(())
}

/// One of the threads that take queries off the queue until it is empty
/// or a query has failed, sending each page on as it arrives.
struct Worker<'a> {
    transport: &'a Transport,
    queue: &'a Mutex<VecDeque<(&'a Query, Walk)>>,
    failure: &'a Mutex<Option<anyhow::Error>>,
    sender: SyncSender<Page<'a>>,
}

impl Worker<'_> {
    fn work(self) {
        loop {
            if lock(self.failure).is_some() {
                return;
            }
            let Some((query, walk)) = lock(self.queue).pop_front() else {
                return;
            };
            let mut number = walk.pages_before;
            let walked = self.transport.walk_pages(walk, |rows: Vec<DataRow>, next| {
                number += 1;
                let page = Page {
                    query,
                    number,
                    rows,
                    next: next.cloned(),
                };
                self.sender
                    .send(page)
                    .map_err(|_| anyhow::anyhow!("stopped"))
            });
            if let Err(err) = walked {
                lock(self.failure).get_or_insert(err);
                return;
            }
        }
    }
}

/// Progress in KPIs: one is done when every query holding it is answered.
struct Tally<'p> {
    open_queries: HashMap<String, usize>,
    values_received: usize,
    progress: &'p dyn Progress,
}

impl<'p> Tally<'p> {
    fn new(queries: &[Query], progress: &'p dyn Progress) -> Tally<'p> {
        let mut open_queries: HashMap<String, usize> = HashMap::new();
        for query in queries {
            for kpi in &query.scope.kpis {
                *open_queries.entry(kpi.clone()).or_default() += 1;
            }
        }
        progress.add_work(open_queries.len() as u64, "KPIs");
        Tally {
            open_queries,
            values_received: 0,
            progress,
        }
    }

    fn answered(&mut self, scope: &ValueRequest, values: usize) {
        self.values_received += values;
        for kpi in &scope.kpis {
            if let Some(open) = self.open_queries.get_mut(kpi) {
                *open -= 1;
                if *open == 0 {
                    self.progress.advance(1);
                }
            }
        }
        self.progress
            .message(&format!("KPIs, {} values", self.values_received));
    }
}

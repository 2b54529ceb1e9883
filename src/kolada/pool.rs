//! The queries of a fetch run in parallel within `--jobs`; each answer is
//! handed on, on the calling thread, as soon as its query is complete, so
//! a cache keeps what was answered even when a later query fails.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::mpsc::Sender;
use std::sync::Mutex;

use anyhow::Result;

use super::planner::{plan_queries, Entities, Query, ValueRequest};
use super::transport::Transport;
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

/// Run the queries of `fetch`; `answered` gets each query's scope and its
/// observations (with Kolada's deleted flag) as they arrive.
pub(crate) fn run(
    transport: &Transport,
    fetch: &Fetch,
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
    let queue = Mutex::new(queries.iter().collect::<VecDeque<_>>());
    let failure: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    let (sender, receiver) = std::sync::mpsc::channel::<(&ValueRequest, Vec<DataRow>)>();
    let mut handler_failure = None;
    std::thread::scope(|scope| {
        for _ in 0..fetch.jobs.min(queries.len()).max(1) {
            let worker = Worker {
                transport,
                from_date: fetch.from_date,
                queue: &queue,
                failure: &failure,
                sender: sender.clone(),
            };
            scope.spawn(move || worker.work());
        }
        drop(sender);
        // Every answer that arrives is handed on, also after a failure.
        for (scope, rows) in receiver {
            let mut observations = Vec::new();
            for row in rows {
                row.into_observations(&mut observations, fetch.keep_deleted);
            }
            tally.answered(scope, observations.len());
            if handler_failure.is_none() {
                if let Err(e) =
                    no_duplicates(&observations).and_then(|_| answered(scope, observations))
                {
                    lock(&failure).get_or_insert(anyhow::anyhow!("stopped"));
                    handler_failure = Some(e);
                }
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

/// A cell answered twice would be counted twice (a peer counted as two,
/// a wrong mean): the answer is refused, never stored.
fn no_duplicates(observations: &[(Observation, bool)]) -> Result<()> {
    let mut seen = HashSet::new();
    // A deleted value and its replacement may both come (`changes`).
    for (o, _) in observations.iter().filter(|(_, deleted)| !deleted) {
        if !seen.insert((&o.kpi, &o.entity, o.year, o.gender)) {
            return Err(error::network(format!(
                "the server answered {} for {} in {} ({:?}) twice; it is not a Kolada answer to rely on",
                o.kpi, o.entity, o.year, o.gender
            )));
        }
    }
    Ok(())
}

/// One of the threads that take queries off the queue until it is empty
/// or a query has failed.
struct Worker<'a> {
    transport: &'a Transport,
    from_date: Option<chrono::NaiveDate>,
    queue: &'a Mutex<VecDeque<&'a Query>>,
    failure: &'a Mutex<Option<anyhow::Error>>,
    sender: Sender<(&'a ValueRequest, Vec<DataRow>)>,
}

impl Worker<'_> {
    fn work(self) {
        loop {
            if lock(self.failure).is_some() {
                return;
            }
            let Some(query) = lock(self.queue).pop_front() else {
                return;
            };
            let rows = self.transport.endpoint(&query.path).and_then(|mut url| {
                if let Some(date) = self.from_date {
                    url.query_pairs_mut()
                        .append_pair("from_date", &date.format("%Y-%m-%d").to_string());
                }
                self.transport.get_all::<DataRow>(url)
            });
            match rows {
                Ok(rows) => {
                    if self.sender.send((&query.scope, rows)).is_err() {
                        return;
                    }
                }
                Err(err) => {
                    lock(self.failure).get_or_insert(err);
                    return;
                }
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

//! Layer 2, the Kolada API v3 client: the only code that knows HTTP and the
//! API's JSON.
//!
//! - [`config`]: where the client talks to, and how fast and how patiently;
//! - [`planner`]: requests cut into the fewest queries within Kolada's limits;
//! - [`transport`]: HTTP to one base URL, paging, bounds and tries;
//! - [`pacing`]: the token bucket, backoff and `Retry-After`;
//! - [`pool`]: queries in parallel within `--jobs`, answers handed on as they come;
//! - [`wire`]: the envelope and the data rows.

mod config;
mod pacing;
pub(crate) mod planner;
mod pool;
mod transport;
mod wire;

use anyhow::Result;
use url::Url;

use crate::base::error;
use crate::base::progress::Progress;
use crate::model::ids::{first_invalid_id, refuse_invalid_ids};
use crate::model::{Group, Kpi, Municipality, Observation};

pub(crate) use config::{ClientConfig, DEFAULT_API_URL};
pub(crate) use planner::{asks_everybody, Entities, ValueRequest};
use planner::{even_chunks, MAX_IDS_PER_SLOT};
pub(crate) use pool::{KeptPage, KeptPages, PageJournal};
use transport::Transport;
pub(crate) use transport::WaitNotice;

pub(crate) struct KoladaClient {
    transport: Transport,
    jobs: usize,
}

impl KoladaClient {
    /// A client that tells `notice` each time it waits for Kolada to answer again.
    pub(crate) fn new(config: &ClientConfig, notice: Option<WaitNotice>) -> Result<Self> {
        Ok(KoladaClient {
            transport: Transport::new(config, notice)?,
            jobs: config.jobs.max(1),
        })
    }

    pub(crate) fn base_url(&self) -> &Url {
        self.transport.base()
    }

    /// HTTP requests sent so far (every try and every page counts).
    pub(crate) fn requests_made(&self) -> usize {
        self.transport.requests()
    }

    pub(crate) fn kpis(&self) -> Result<Vec<Kpi>> {
        let kpis: Vec<Kpi> = self.list("kpi")?;
        self.check_ids("KPI list", kpis.iter().map(|k| k.id.as_str()))?;
        self.check_unique("KPI list", kpis.iter().map(|k| k.id.as_str()))?;
        Ok(kpis)
    }

    /// The metadata of these KPIs only (`/v3/kpi/{ids}`, 25 per request):
    /// a command that names its KPIs needs no whole catalogue. Unknown ids
    /// are simply absent from the answer.
    pub(crate) fn kpis_by_id(&self, ids: &[String]) -> Result<Vec<Kpi>> {
        refuse_invalid_ids(ids.iter().map(String::as_str))?;
        let mut kpis: Vec<Kpi> = Vec::new();
        for chunk in even_chunks(ids, MAX_IDS_PER_SLOT) {
            kpis.extend(self.list::<Kpi>(&format!("kpi/{}", chunk.join(",")))?);
        }
        self.check_ids("KPI list", kpis.iter().map(|k| k.id.as_str()))?;
        self.check_unique("KPI list", kpis.iter().map(|k| k.id.as_str()))?;
        Ok(kpis)
    }

    /// How many requests `kpis_by_id` needs for `n` ids.
    pub(crate) fn requests_for_ids(n: usize) -> usize {
        n.div_ceil(MAX_IDS_PER_SLOT)
    }

    pub(crate) fn municipalities(&self) -> Result<Vec<Municipality>> {
        let list: Vec<Municipality> = self.list("municipality")?;
        self.check_ids("municipality list", list.iter().map(|m| m.id.as_str()))?;
        self.check_unique("municipality list", list.iter().map(|m| m.id.as_str()))?;
        Ok(list)
    }

    pub(crate) fn groups(&self) -> Result<Vec<Group>> {
        let groups: Vec<Group> = self.list("municipality_groups")?;
        self.check_ids(
            "group list",
            groups.iter().flat_map(|g| {
                std::iter::once(g.id.as_str()).chain(g.members.iter().map(|m| m.member_id.as_str()))
            }),
        )?;
        self.check_unique("group list", groups.iter().map(|g| g.id.as_str()))?;
        for group in &groups {
            let what = format!("member list of group {}", group.id);
            self.check_unique(&what, group.members.iter().map(|m| m.member_id.as_str()))?;
        }
        Ok(groups)
    }

    fn list<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<Vec<T>> {
        self.transport.get_all(self.transport.endpoint(path)?)
    }

    /// Refuse a catalogue that lists an id twice: one of the two would stand
    /// for the other (Tjörn's figure printed as Orust's).
    fn check_unique<'a>(&self, what: &str, ids: impl IntoIterator<Item = &'a str>) -> Result<()> {
        let mut seen = std::collections::HashSet::new();
        match ids.into_iter().find(|id| !seen.insert(*id)) {
            None => Ok(()),
            Some(id) => Err(error::network(format!(
                "the {what} from {} lists '{id}' twice; this server does not answer as Kolada does: check --api-url",
                self.transport.base()
            ))),
        }
    }

    /// Refuse a catalogue that holds an id no Kolada id looks like: such an
    /// id could steer a request or a cache file elsewhere.
    fn check_ids<'a>(&self, what: &str, ids: impl IntoIterator<Item = &'a str>) -> Result<()> {
        match first_invalid_id(ids) {
            None => Ok(()),
            Some(id) => Err(error::network(format!(
                "the {what} from {} holds the id '{}', which is not a Kolada id (letters and digits only); this server does not answer as Kolada does: check --api-url",
                self.transport.base(),
                id.escape_debug()
            ))),
        }
    }

    /// Fetch every value of the requests, in parallel, as observations.
    /// Rows for entities outside an `Entities::Ids` request never appear;
    /// an `Entities::All` request returns everybody Kolada has.
    pub(crate) fn values(
        &self,
        requests: &[ValueRequest],
        progress: &dyn Progress,
    ) -> Result<Vec<Observation>> {
        let mut observations = Vec::new();
        self.values_each(requests, None, progress, |_, answered| {
            observations.extend(answered);
            Ok(())
        })?;
        Ok(observations)
    }

    /// Fetch the values of the requests, handing each query's answer to
    /// `answered` (on the calling thread) as soon as it is complete, with
    /// the exact scope it covers: so a cache keeps what was answered even
    /// when a later query fails or the run is stopped. A `journal` keeps
    /// each page as it arrives, and a query begun by a stopped run goes on
    /// from where it stopped.
    pub(crate) fn values_each(
        &self,
        requests: &[ValueRequest],
        journal: Option<&dyn PageJournal>,
        progress: &dyn Progress,
        mut answered: impl FnMut(&ValueRequest, Vec<Observation>) -> Result<()>,
    ) -> Result<()> {
        let fetch = pool::Fetch {
            requests,
            from_date: None,
            keep_deleted: false,
            jobs: self.jobs,
        };
        pool::run(&self.transport, &fetch, journal, progress, |scope, rows| {
            answered(scope, rows.into_iter().map(|(o, _)| o).collect())
        })
    }

    /// Values changed since `date` (Kolada's `from_date`), each with whether
    /// Kolada deleted it.
    pub(crate) fn changed_since(
        &self,
        requests: &[ValueRequest],
        date: chrono::NaiveDate,
        progress: &dyn Progress,
    ) -> Result<Vec<(Observation, bool)>> {
        let mut changes = Vec::new();
        let fetch = pool::Fetch {
            requests,
            from_date: Some(date),
            keep_deleted: true,
            jobs: self.jobs,
        };
        pool::run(&self.transport, &fetch, None, progress, |_, rows| {
            changes.extend(rows);
            Ok(())
        })?;
        Ok(changes)
    }
}

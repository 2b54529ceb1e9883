//! The live API as a [`DataSource`], without a cache (`--no-cache`).

use anyhow::Result;

use super::{DataSource, Described, FetchStats, ValueQuery};
use crate::base::progress::Progress;
use crate::kolada::{KoladaClient, ValueRequest};
use crate::model::{sort_observations, Group, Kpi, Municipality, Observation};

impl DataSource for KoladaClient {
    fn kpis(&self) -> Result<Vec<Kpi>> {
        KoladaClient::kpis(self)
    }

    fn kpis_by_id(&self, ids: &[String]) -> Result<Vec<Kpi>> {
        KoladaClient::kpis_by_id(self, ids)
    }

    fn municipalities(&self) -> Result<Vec<Municipality>> {
        KoladaClient::municipalities(self)
    }

    fn groups(&self) -> Result<Vec<Group>> {
        KoladaClient::groups(self)
    }

    fn values(&self, query: &ValueQuery, progress: &dyn Progress) -> Result<Vec<Observation>> {
        let requests = ValueRequest::split_for_bulk(
            query.kpis.clone(),
            query.entities.clone(),
            query.years.clone(),
        );
        let mut observations = KoladaClient::values(self, &requests, progress)?;
        query.retain_asked(&mut observations);
        sort_observations(&mut observations);
        Ok(observations)
    }

    fn stats(&self) -> FetchStats {
        FetchStats {
            requests: self.requests_made(),
            from_cache: 0,
        }
    }

    fn fetched_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        Some(chrono::Utc::now())
    }

    /// Asked just now: the figures are as fresh as the answer.
    fn fetched_for(&self, _kpi: &str) -> Option<chrono::DateTime<chrono::Utc>> {
        Some(chrono::Utc::now())
    }

    fn described(&self) -> Described {
        Described::Api {
            host: host_of(self.base_url()),
        }
    }
}

/// The API's host, no path or credentials ("api.kolada.se").
pub(crate) fn host_of(url: &url::Url) -> String {
    url.host_str().unwrap_or("?").to_string()
}

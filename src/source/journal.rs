//! The pages of a query, kept in the cache as they arrive: a fetch that
//! is stopped (killed, Ctrl-C, an outage) resumes at the page where it
//! stopped. Kolada's pages of one query keep their order while its
//! figures stay the same, so kept pages are resumed from only while they
//! are fresh ([`KEPT_FOR`]); a cell that then comes twice means the pages
//! moved, and the query is asked for whole (see `kolada::pool`).

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use super::store::Cache;
use crate::kolada::{Entities, KeptPage, KeptPages, PageJournal, ValueRequest};
use crate::model::ids::first_invalid_id;
use crate::model::Observation;

/// How long kept pages are resumed from.
const KEPT_FOR: Duration = Duration::from_secs(6 * 3600);

/// The cache's folder of kept pages, one folder per query.
const PAGES_DIR: &str = "pages";

/// One kept page.
#[derive(Serialize, Deserialize)]
struct PageFile {
    /// The query's path: a folder's name is a checksum of it, and this
    /// tells two paths with one checksum apart.
    path: String,
    /// The cells the query covers: its KPIs, its places (none: everybody)
    /// and its years.
    kpis: Vec<String>,
    places: Option<Vec<String>>,
    years: Vec<i32>,
    number: usize,
    next: String,
    kept_at: DateTime<Utc>,
    observations: Vec<Observation>,
}

impl PageFile {
    fn is_fresh(&self) -> bool {
        (Utc::now() - self.kept_at)
            .to_std()
            .unwrap_or(Duration::MAX)
            < KEPT_FOR
    }

    /// The query's scope, if every id in it can be Kolada's.
    fn scope(&self) -> Option<ValueRequest> {
        let ids = self.kpis.iter().chain(self.places.iter().flatten());
        if first_invalid_id(ids.map(String::as_str)).is_some() {
            return None;
        }
        Some(ValueRequest {
            kpis: self.kpis.clone(),
            entities: self.places.clone().map_or(Entities::All, Entities::Ids),
            years: self.years.clone(),
        })
    }
}

/// The pages of queries in a cache folder.
pub(crate) struct Pages<'c> {
    cache: &'c Cache,
}

impl<'c> Pages<'c> {
    pub(crate) fn new(cache: &'c Cache) -> Self {
        Pages { cache }
    }

    /// A query's folder, relative to the cache's.
    fn folder(path: &str) -> String {
        format!("{PAGES_DIR}/{:08x}", crc32fast::hash(path.as_bytes()))
    }

    /// Pages kept longer than [`KEPT_FOR`] go: they would not be resumed.
    pub(crate) fn clear_stale(&self) {
        let Ok(folders) = std::fs::read_dir(self.cache.dir().join(PAGES_DIR)) else {
            return;
        };
        for folder in folders.flatten() {
            if is_stale(&folder.path()) {
                let _ = std::fs::remove_dir_all(folder.path());
            }
        }
    }

    /// The queries a stopped run began, as their first pages say.
    pub(crate) fn begun(&self) -> Vec<ValueRequest> {
        let Ok(folders) = std::fs::read_dir(self.cache.dir().join(PAGES_DIR)) else {
            return Vec::new();
        };
        let mut names: Vec<String> = folders
            .flatten()
            .filter_map(|f| f.file_name().into_string().ok())
            .filter(|name| name.len() == 8 && name.bytes().all(|b| b.is_ascii_hexdigit()))
            .collect();
        names.sort();
        names
            .iter()
            .filter_map(|name| {
                let first = format!("{PAGES_DIR}/{name}/{:05}.json", 1);
                let page = self.cache.load::<PageFile>(&first)?;
                page.is_fresh().then(|| page.scope()).flatten()
            })
            .collect()
    }
}

/// Whether a folder's newest file is older than [`KEPT_FOR`].
fn is_stale(folder: &Path) -> bool {
    let newest = std::fs::read_dir(folder).ok().and_then(|files| {
        files
            .flatten()
            .filter_map(|f| f.metadata().ok()?.modified().ok())
            .max()
    });
    newest.is_none_or(|t| t.elapsed().unwrap_or(Duration::ZERO) > KEPT_FOR)
}

impl PageJournal for Pages<'_> {
    fn kept(&self, path: &str) -> Option<KeptPages> {
        let folder = Self::folder(path);
        let mut observations = Vec::new();
        let mut next = None;
        let mut number = 0;
        while let Some(page) = self
            .cache
            .load::<PageFile>(&format!("{folder}/{:05}.json", number + 1))
        {
            if page.path != path || page.number != number + 1 || !page.is_fresh() {
                return None;
            }
            number += 1;
            next = Some(page.next);
            observations.extend(page.observations);
        }
        Some(KeptPages {
            observations,
            pages: number,
            next: Url::parse(&next?).ok()?,
        })
    }

    fn keep(&self, page: KeptPage, observations: &[Observation]) {
        let file = PageFile {
            path: page.path.to_string(),
            kpis: page.scope.kpis.clone(),
            places: match &page.scope.entities {
                Entities::All => None,
                Entities::Ids(ids) => Some(ids.clone()),
            },
            years: page.scope.years.clone(),
            number: page.number,
            next: page.next.to_string(),
            kept_at: Utc::now(),
            observations: observations.to_vec(),
        };
        let name = format!("{}/{:05}.json", Self::folder(page.path), page.number);
        self.cache.keep(&name, &file, "a page of the answer is");
    }

    fn forget(&self, path: &str) {
        let _ = std::fs::remove_dir_all(self.cache.dir().join(Self::folder(path)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Gender;

    fn observation(kpi: &str, value: f64) -> Observation {
        Observation {
            kpi: kpi.into(),
            entity: "1419".into(),
            year: 2022,
            gender: Gender::T,
            value: Some(value),
            count: None,
            status: String::new(),
        }
    }

    #[test]
    fn kept_pages_come_back_in_order_until_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), &Url::parse("http://127.0.0.1/v3/").unwrap());
        let pages = Pages::new(&cache);
        let path = "data/kpi/N1,N2/year/2022";
        let next = |n| Url::parse(&format!("http://127.0.0.1/v3/{path}?page={n}")).unwrap();
        let scope = ValueRequest {
            kpis: vec!["N1".into(), "N2".into()],
            entities: Entities::All,
            years: vec![2022],
        };
        let keep = |number, kpi, value, next: &Url| {
            let page = KeptPage {
                path,
                scope: &scope,
                number,
                next,
            };
            pages.keep(page, &[observation(kpi, value)]);
        };
        assert!(pages.kept(path).is_none());
        keep(1, "N1", 1.5, &next(2));
        keep(2, "N2", 2.5, &next(3));
        let kept = pages.kept(path).unwrap();
        assert_eq!(kept.pages, 2);
        assert_eq!(kept.next, next(3));
        assert_eq!(
            kept.observations,
            [observation("N1", 1.5), observation("N2", 2.5)]
        );
        assert!(
            pages.kept("data/kpi/N3/year/2022").is_none(),
            "another query's pages are its own"
        );
        let begun = pages.begun();
        assert_eq!(begun.len(), 1);
        assert_eq!(begun[0].kpis, scope.kpis);
        assert_eq!(begun[0].entities, Entities::All);
        pages.forget(path);
        assert!(pages.kept(path).is_none());
        assert!(pages.begun().is_empty());
    }

    #[test]
    fn a_gap_or_a_stranger_in_the_pages_is_not_resumed() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), &Url::parse("http://127.0.0.1/v3/").unwrap());
        let pages = Pages::new(&cache);
        let path = "data/kpi/N1/year/2022";
        let next = Url::parse("http://127.0.0.1/v3/x?page=3").unwrap();
        let scope = ValueRequest {
            kpis: vec!["N1".into()],
            entities: Entities::Ids(vec!["1419".into()]),
            years: vec![2022],
        };
        // Page 2 alone: page 1 is missing, so nothing is kept.
        let page = KeptPage {
            path,
            scope: &scope,
            number: 2,
            next: &next,
        };
        pages.keep(page, &[observation("N1", 1.0)]);
        assert!(pages.kept(path).is_none());
        // A page written for another path under the same folder name.
        let folder = Pages::folder(path);
        let stranger = PageFile {
            path: "data/kpi/N9/year/2022".into(),
            kpis: vec!["N9".into()],
            places: None,
            years: vec![2022],
            number: 1,
            next: next.to_string(),
            kept_at: Utc::now(),
            observations: Vec::new(),
        };
        cache
            .store(&format!("{folder}/00001.json"), &stranger)
            .unwrap();
        assert!(pages.kept(path).is_none());
    }
}

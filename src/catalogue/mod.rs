//! Layer 4, the metadata of a data source, loaded once and only as far as needed:
//! the KPIs a command names are asked for by id; the whole catalogue is
//! loaded only for searching, suggestions and snapshots.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;

use anyhow::Result;

use crate::model::ids::{is_group_id, is_kolada_id};
use crate::model::{Group, Kpi, Municipality};
use crate::source::DataSource;

pub(crate) struct Catalogue<'s> {
    source: &'s dyn DataSource,
    kpis: OnceCell<Vec<Kpi>>,
    /// KPIs asked for by id so far: `None` for an id the source does not have.
    by_id: RefCell<HashMap<String, Option<Kpi>>>,
    municipalities: OnceCell<Vec<Municipality>>,
    groups: OnceCell<Vec<Group>>,
}

/// `cell`'s content, loading it on first use.
fn load<T>(cell: &OnceCell<Vec<T>>, fetch: impl FnOnce() -> Result<Vec<T>>) -> Result<&[T]> {
    if let Some(items) = cell.get() {
        return Ok(items);
    }
    let items = fetch()?;
    Ok(cell.get_or_init(|| items))
}

impl<'s> Catalogue<'s> {
    pub(crate) fn new(source: &'s dyn DataSource) -> Self {
        Catalogue {
            source,
            kpis: OnceCell::new(),
            by_id: RefCell::new(HashMap::new()),
            municipalities: OnceCell::new(),
            groups: OnceCell::new(),
        }
    }

    pub(crate) fn source(&self) -> &'s dyn DataSource {
        self.source
    }

    pub(crate) fn kpis(&self) -> Result<&[Kpi]> {
        load(&self.kpis, || self.source.kpis())
    }

    pub(crate) fn municipalities(&self) -> Result<&[Municipality]> {
        load(&self.municipalities, || self.source.municipalities())
    }

    pub(crate) fn groups(&self) -> Result<&[Group]> {
        load(&self.groups, || self.source.groups())
    }

    /// One KPI by id (any case); `None` when the source has no such KPI.
    pub(crate) fn kpi(&self, id: &str) -> Result<Option<Kpi>> {
        if let Some(all) = self.kpis.get() {
            return Ok(all.iter().find(|k| k.id.eq_ignore_ascii_case(id)).cloned());
        }
        let id = id.trim().to_uppercase();
        if !is_kolada_id(&id) {
            return Ok(None);
        }
        self.prefetch_kpis(std::slice::from_ref(&id))?;
        Ok(self.by_id.borrow().get(&id).cloned().flatten())
    }

    /// Ask the source at once for the metadata of all these KPIs, so that
    /// checking a set or a `--kpi` list costs one request, not one per id.
    pub(crate) fn prefetch_kpis(&self, ids: &[String]) -> Result<()> {
        if self.kpis.get().is_some() {
            return Ok(());
        }
        let mut wanted: Vec<String> = Vec::new();
        for id in ids {
            let id = id.trim().to_uppercase();
            if is_kolada_id(&id) && !self.by_id.borrow().contains_key(&id) && !wanted.contains(&id)
            {
                wanted.push(id);
            }
        }
        if wanted.is_empty() {
            return Ok(());
        }
        let found = self.source.kpis_by_id(&wanted)?;
        let mut by_id = self.by_id.borrow_mut();
        for id in wanted {
            let kpi = found.iter().find(|k| k.id == id).cloned();
            by_id.insert(id, kpi);
        }
        Ok(())
    }

    pub(crate) fn municipality(&self, id: &str) -> Result<Option<&Municipality>> {
        Ok(self.municipalities()?.iter().find(|m| m.id == id))
    }

    /// The 290 municipalities (type `K`), in code order.
    pub(crate) fn kommuner(&self) -> Result<Vec<&Municipality>> {
        let mut kommuner: Vec<&Municipality> = self
            .municipalities()?
            .iter()
            .filter(|m| m.is_kommun())
            .collect();
        kommuner.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(kommuner)
    }

    /// The 21 regions (type `L` without Riket), in code order.
    pub(crate) fn regions(&self) -> Result<Vec<&Municipality>> {
        let mut regions: Vec<&Municipality> = self
            .municipalities()?
            .iter()
            .filter(|m| m.is_region())
            .collect();
        regions.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(regions)
    }

    /// The name of a municipality, region or group; the id itself when unknown.
    pub(crate) fn name(&self, id: &str) -> String {
        if is_group_id(id) {
            if let Ok(groups) = self.groups() {
                if let Some(g) = groups.iter().find(|g| g.id == id) {
                    return g.title.clone();
                }
            }
        } else if let Ok(Some(m)) = self.municipality(id) {
            return m.title.clone();
        }
        id.to_string()
    }

    /// The latest year any of these KPIs has published (`publ_period`); last
    /// calendar year when the catalogue does not say.
    pub(crate) fn latest_year_or_last(&self, kpis: &[String]) -> i32 {
        use chrono::Datelike;
        self.latest_year(kpis)
            .unwrap_or_else(|| chrono::Local::now().year() - 1)
    }

    /// The latest year any of these KPIs has published (`publ_period`).
    pub(crate) fn latest_year(&self, kpis: &[String]) -> Option<i32> {
        kpis.iter()
            .filter_map(|k| self.kpi(k).ok().flatten().and_then(|k| k.latest_year()))
            .max()
    }

    /// Display names of municipalities and regions by id.
    pub(crate) fn municipality_names(&self) -> Result<HashMap<String, String>> {
        Ok(self
            .municipalities()?
            .iter()
            .map(|m| (m.id.clone(), m.title.clone()))
            .collect())
    }
}

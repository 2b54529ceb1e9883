//! The metadata of a data source, loaded once and only when needed.

use std::cell::OnceCell;
use std::collections::HashMap;

use anyhow::Result;

use crate::model::{Group, Kpi, Municipality};
use crate::source::DataSource;

pub struct Catalogue<'s> {
    source: &'s dyn DataSource,
    kpis: OnceCell<Vec<Kpi>>,
    municipalities: OnceCell<Vec<Municipality>>,
    groups: OnceCell<Vec<Group>>,
}

/// `cell`'s content, loading it on first use.
fn load<'c, T>(
    cell: &'c OnceCell<Vec<T>>,
    fetch: impl FnOnce() -> Result<Vec<T>>,
) -> Result<&'c [T]> {
    if cell.get().is_none() {
        let _ = cell.set(fetch()?);
    }
    Ok(cell.get().expect("set above"))
}

impl<'s> Catalogue<'s> {
    pub fn new(source: &'s dyn DataSource) -> Self {
        Catalogue {
            source,
            kpis: OnceCell::new(),
            municipalities: OnceCell::new(),
            groups: OnceCell::new(),
        }
    }

    pub fn source(&self) -> &'s dyn DataSource {
        self.source
    }

    pub fn kpis(&self) -> Result<&[Kpi]> {
        load(&self.kpis, || self.source.kpis())
    }

    pub fn municipalities(&self) -> Result<&[Municipality]> {
        load(&self.municipalities, || self.source.municipalities())
    }

    pub fn groups(&self) -> Result<&[Group]> {
        load(&self.groups, || self.source.groups())
    }

    pub fn kpi(&self, id: &str) -> Result<Option<&Kpi>> {
        Ok(self.kpis()?.iter().find(|k| k.id.eq_ignore_ascii_case(id)))
    }

    pub fn municipality(&self, id: &str) -> Result<Option<&Municipality>> {
        Ok(self.municipalities()?.iter().find(|m| m.id == id))
    }

    /// The 290 municipalities (type `K`), in code order.
    pub fn kommuner(&self) -> Result<Vec<&Municipality>> {
        let mut kommuner: Vec<&Municipality> = self
            .municipalities()?
            .iter()
            .filter(|m| m.is_kommun())
            .collect();
        kommuner.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(kommuner)
    }

    /// Display names of municipalities and regions by id.
    pub fn municipality_names(&self) -> Result<HashMap<String, String>> {
        Ok(self
            .municipalities()?
            .iter()
            .map(|m| (m.id.clone(), m.title.clone()))
            .collect())
    }
}

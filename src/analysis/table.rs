//! The tables every command writes, typed and without polars: the long
//! table of figures (`kpi, municipality_id, municipality, year, gender,
//! value`), the one table type of every listing, and the columns of each.
//! A polars frame is made of a [`Table`] only where it is written out
//! (`render::frame`).

use std::collections::HashMap;

use anyhow::Result;

use crate::model::Observation;

/// A table's columns, each typed, all of one height.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Table {
    pub columns: Vec<Column>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Column {
    pub name: String,
    pub values: Values,
}

/// A column's cells, in the type it is written with (the exports keep
/// each type: a year is a 32-bit integer, a count unsigned).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Values {
    Text(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
    I32(Vec<Option<i32>>),
    U32(Vec<Option<u32>>),
    Float(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
}

impl Values {
    pub(crate) fn len(&self) -> usize {
        match self {
            Values::Text(v) => v.len(),
            Values::Int(v) => v.len(),
            Values::I32(v) => v.len(),
            Values::U32(v) => v.len(),
            Values::Float(v) => v.len(),
            Values::Bool(v) => v.len(),
        }
    }

    /// Whether the column holds numbers (flags are not numbers).
    pub(crate) fn is_numeric(&self) -> bool {
        !matches!(self, Values::Text(_) | Values::Bool(_))
    }

    /// The cell at `row`, as the listing type.
    pub(crate) fn cell(&self, row: usize) -> Cell {
        match self {
            Values::Text(v) => Cell::Text(v[row].clone()),
            Values::Int(v) => Cell::Int(v[row]),
            Values::I32(v) => Cell::Int(v[row].map(i64::from)),
            Values::U32(v) => Cell::Int(v[row].map(i64::from)),
            Values::Float(v) => Cell::Float(v[row]),
            Values::Bool(v) => Cell::Bool(v[row]),
        }
    }

    /// The cells of `other` after these; both must be of one type.
    fn append(&mut self, other: &Values) -> Result<()> {
        match (self, other) {
            (Values::Text(a), Values::Text(b)) => a.extend_from_slice(b),
            (Values::Int(a), Values::Int(b)) => a.extend_from_slice(b),
            (Values::I32(a), Values::I32(b)) => a.extend_from_slice(b),
            (Values::U32(a), Values::U32(b)) => a.extend_from_slice(b),
            (Values::Float(a), Values::Float(b)) => a.extend_from_slice(b),
            (Values::Bool(a), Values::Bool(b)) => a.extend_from_slice(b),
            (a, b) => anyhow::bail!("cannot stack {a:?} on a column of another type {b:?}"),
        }
        Ok(())
    }
}

impl Table {
    /// A table of named columns.
    pub(crate) fn new(columns: Vec<(&str, Values)>) -> Table {
        Table {
            columns: columns
                .into_iter()
                .map(|(name, values)| Column {
                    name: name.to_string(),
                    values,
                })
                .collect(),
        }
    }

    pub(crate) fn height(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }

    pub(crate) fn width(&self) -> usize {
        self.columns.len()
    }

    /// The rows of `other` below these: the same columns in the same order.
    pub(crate) fn append(&mut self, other: &Table) -> Result<()> {
        if self.columns.is_empty() {
            *self = other.clone();
            return Ok(());
        }
        let names = |t: &Table| t.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        if names(self) != names(other) {
            anyhow::bail!("cannot stack tables of other columns");
        }
        for (mine, theirs) in self.columns.iter_mut().zip(&other.columns) {
            mine.values.append(&theirs.values)?;
        }
        Ok(())
    }

    /// A text column in front: the same text in every row (a pack's `set`).
    pub(crate) fn with_first(mut self, name: &str, text: &str) -> Table {
        let height = self.height();
        self.columns.insert(
            0,
            Column {
                name: name.to_string(),
                values: Values::Text(vec![Some(text.to_string()); height]),
            },
        );
        self
    }
}

pub(crate) fn long_table(observations: &[Observation], names: &HashMap<String, String>) -> Table {
    let name = |id: &str| names.get(id).cloned().unwrap_or_default();
    let text = |f: &dyn Fn(&Observation) -> String| {
        Values::Text(observations.iter().map(|o| Some(f(o))).collect())
    };
    Table::new(vec![
        ("kpi", text(&|o| o.kpi.clone())),
        ("municipality_id", text(&|o| o.entity.clone())),
        ("municipality", text(&|o| name(&o.entity))),
        (
            "year",
            Values::I32(observations.iter().map(|o| Some(o.year)).collect()),
        ),
        ("gender", text(&|o| o.gender.code().to_string())),
        (
            "value",
            Values::Float(observations.iter().map(|o| o.value).collect()),
        ),
    ])
}

/// One cell of a listing, typed, so that every export keeps numbers as
/// numbers, flags as booleans and ids as text, whatever the command.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(Option<String>),
    Int(Option<i64>),
    Float(Option<f64>),
    Bool(Option<bool>),
}

impl From<String> for Cell {
    fn from(v: String) -> Cell {
        Cell::Text(Some(v))
    }
}
impl From<&str> for Cell {
    fn from(v: &str) -> Cell {
        Cell::Text(Some(v.to_string()))
    }
}
impl From<&String> for Cell {
    fn from(v: &String) -> Cell {
        Cell::Text(Some(v.clone()))
    }
}
impl From<Option<String>> for Cell {
    fn from(v: Option<String>) -> Cell {
        Cell::Text(v)
    }
}
impl From<i64> for Cell {
    fn from(v: i64) -> Cell {
        Cell::Int(Some(v))
    }
}
impl From<i32> for Cell {
    fn from(v: i32) -> Cell {
        Cell::Int(Some(i64::from(v)))
    }
}
impl From<Option<i32>> for Cell {
    fn from(v: Option<i32>) -> Cell {
        Cell::Int(v.map(i64::from))
    }
}
impl From<usize> for Cell {
    fn from(v: usize) -> Cell {
        Cell::Int(Some(v as i64))
    }
}
impl From<f64> for Cell {
    fn from(v: f64) -> Cell {
        Cell::Float(Some(v))
    }
}
impl From<Option<f64>> for Cell {
    fn from(v: Option<f64>) -> Cell {
        Cell::Float(v)
    }
}
impl From<bool> for Cell {
    fn from(v: bool) -> Cell {
        Cell::Bool(Some(v))
    }
}
impl From<Option<bool>> for Cell {
    fn from(v: Option<bool>) -> Cell {
        Cell::Bool(v)
    }
}

/// The kind of a column: from its cells, which must agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Int,
    Float,
    Bool,
}

impl Cell {
    /// As text: empty for nothing, yes/no for a flag, numbers as they are.
    pub(crate) fn text(&self) -> String {
        match self {
            Cell::Text(v) => v.clone().unwrap_or_default(),
            Cell::Int(v) => v.map(|v| v.to_string()).unwrap_or_default(),
            Cell::Float(v) => v.map(|v| v.to_string()).unwrap_or_default(),
            Cell::Bool(v) => v
                .map(|b| (if b { "yes" } else { "no" }).to_string())
                .unwrap_or_default(),
        }
    }

    fn kind(&self) -> Kind {
        match self {
            Cell::Text(_) => Kind::Text,
            Cell::Int(_) => Kind::Int,
            Cell::Float(_) => Kind::Float,
            Cell::Bool(_) => Kind::Bool,
        }
    }
}

/// The one table type of every listing command (KPIs, municipalities,
/// groups, sets, `similar`, `changes`, `calendar`): named, typed columns.
/// `kinds` says each column's type, so an empty table is typed too.
pub(crate) fn table_of(columns: &[(&str, Kind)], rows: Vec<Vec<Cell>>) -> Result<Table> {
    let mut out = Vec::with_capacity(columns.len());
    for (i, (name, kind)) in columns.iter().enumerate() {
        let cells = rows.iter().map(|row| &row[i]);
        if let Some(other) = cells.clone().find(|c| c.kind() != *kind) {
            anyhow::bail!("column {name} is {kind:?} but holds {other:?}");
        }
        let values = match kind {
            Kind::Text => Values::Text(
                cells
                    .map(|c| match c {
                        Cell::Text(v) => v.clone(),
                        _ => None,
                    })
                    .collect(),
            ),
            Kind::Int => Values::Int(
                cells
                    .map(|c| match c {
                        Cell::Int(v) => *v,
                        _ => None,
                    })
                    .collect(),
            ),
            Kind::Float => Values::Float(
                cells
                    .map(|c| match c {
                        Cell::Float(v) => *v,
                        _ => None,
                    })
                    .collect(),
            ),
            Kind::Bool => Values::Bool(
                cells
                    .map(|c| match c {
                        Cell::Bool(v) => *v,
                        _ => None,
                    })
                    .collect(),
            ),
        };
        out.push((*name, values));
    }
    Ok(Table::new(out))
}

//! The tables every command writes: the long table of figures (`kpi,
//! municipality_id, municipality, year, gender, value`) and the one typed
//! table of every listing.

use std::collections::HashMap;

use anyhow::Result;
use polars_core::df;
use polars_core::prelude::*;

use crate::model::Observation;

pub(crate) fn long_frame(
    observations: &[Observation],
    names: &HashMap<String, String>,
) -> Result<DataFrame> {
    let name = |id: &str| names.get(id).map(String::as_str).unwrap_or("");
    let frame = df!(
        "kpi" => observations.iter().map(|o| o.kpi.as_str()).collect::<Vec<_>>(),
        "municipality_id" => observations.iter().map(|o| o.entity.as_str()).collect::<Vec<_>>(),
        "municipality" => observations.iter().map(|o| name(&o.entity)).collect::<Vec<_>>(),
        "year" => observations.iter().map(|o| o.year).collect::<Vec<_>>(),
        "gender" => observations.iter().map(|o| o.gender.code()).collect::<Vec<_>>(),
        "value" => observations.iter().map(|o| o.value).collect::<Vec<_>>(),
    )?;
    Ok(frame)
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
pub(crate) fn table_frame(columns: &[(&str, Kind)], rows: Vec<Vec<Cell>>) -> Result<DataFrame> {
    let mut series = Vec::with_capacity(columns.len());
    for (i, (name, kind)) in columns.iter().enumerate() {
        let cells = rows.iter().map(|row| &row[i]);
        if let Some(other) = cells.clone().find(|c| c.kind() != *kind) {
            anyhow::bail!("column {name} is {kind:?} but holds {other:?}");
        }
        let column = match kind {
            Kind::Text => Column::new(
                (*name).into(),
                cells
                    .map(|c| match c {
                        Cell::Text(v) => v.clone(),
                        _ => None,
                    })
                    .collect::<Vec<Option<String>>>(),
            ),
            Kind::Int => Column::new(
                (*name).into(),
                cells
                    .map(|c| match c {
                        Cell::Int(v) => *v,
                        _ => None,
                    })
                    .collect::<Vec<Option<i64>>>(),
            ),
            Kind::Float => Column::new(
                (*name).into(),
                cells
                    .map(|c| match c {
                        Cell::Float(v) => *v,
                        _ => None,
                    })
                    .collect::<Vec<Option<f64>>>(),
            ),
            Kind::Bool => Column::new(
                (*name).into(),
                cells
                    .map(|c| match c {
                        Cell::Bool(v) => *v,
                        _ => None,
                    })
                    .collect::<Vec<Option<bool>>>(),
            ),
        };
        series.push(column);
    }
    Ok(DataFrame::new_infer_height(series)?)
}

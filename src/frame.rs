//! The one long table every analysis and export starts from:
//! `kpi, municipality_id, municipality, year, gender, value`.

use std::collections::HashMap;

use anyhow::Result;
use polars::prelude::*;

use crate::model::Observation;

pub fn long_frame(
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

/// A table of text columns, for listings (KPIs, municipalities, groups).
pub fn text_frame(columns: &[&str], rows: Vec<Vec<String>>) -> Result<DataFrame> {
    let series: Vec<Column> = columns
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let values: Vec<&str> = rows.iter().map(|row| row[i].as_str()).collect();
            Column::new((*name).into(), values)
        })
        .collect();
    Ok(DataFrame::new_infer_height(series)?)
}

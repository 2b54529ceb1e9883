//! The API's JSON: the paged envelope and the data rows, read into
//! observations (by the gender field, never by position).

use serde::Deserialize;

use crate::model::values::plausible_figure;
use crate::model::{Gender, Observation};

#[derive(Deserialize)]
pub(crate) struct Envelope<T> {
    pub values: Vec<T>,
    #[serde(default)]
    pub next_url: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct DataRow {
    kpi: String,
    #[serde(default)]
    municipality: Option<String>,
    #[serde(default)]
    ou: Option<String>,
    #[serde(deserialize_with = "year_number_or_string")]
    period: i32,
    #[serde(default)]
    values: Vec<DataValue>,
}

#[derive(Deserialize)]
struct DataValue {
    gender: String,
    #[serde(default)]
    count: Option<f64>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default, deserialize_with = "sane_figure")]
    value: Option<f64>,
    #[serde(default)]
    isdeleted: Option<bool>,
}

impl DataRow {
    /// The row's values as observations, each with Kolada's deleted flag;
    /// deleted values only when `keep_deleted`.
    pub(crate) fn into_observations(self, out: &mut Vec<(Observation, bool)>, keep_deleted: bool) {
        let Some(entity) = self.municipality.or(self.ou) else {
            return;
        };
        for entry in self.values {
            // Select by the gender field: the order of entries is not fixed.
            let Some(gender) = Gender::parse(&entry.gender) else {
                continue;
            };
            let status = entry.status.unwrap_or_default();
            let deleted = entry.isdeleted == Some(true);
            if (deleted && !keep_deleted)
                || (!deleted && entry.value.is_none() && status.is_empty())
            {
                continue;
            }
            out.push((
                Observation {
                    kpi: self.kpi.clone(),
                    entity: entity.clone(),
                    year: self.period,
                    gender,
                    value: entry.value,
                    count: entry.count.map(|c| c as u32),
                    status,
                },
                deleted,
            ));
        }
    }
}

/// A figure beyond 10¹⁵ is a damaged answer: refused, never charted.
fn sane_figure<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Option<f64>, D::Error> {
    let value: Option<f64> = Option::deserialize(de)?;
    match value {
        Some(v) if !plausible_figure(v) => Err(serde::de::Error::custom(format!(
            "the value {v:e} is beyond any Kolada figure (at most 1e15)"
        ))),
        other => Ok(other),
    }
}

/// A year as a number or a string, between 1900 and 2100 (2³²+2020 is not
/// 2020: no wrapping).
fn year_number_or_string<'de, D: serde::Deserializer<'de>>(de: D) -> Result<i32, D::Error> {
    use serde::de::Error;
    let year: i64 = match serde_json::Value::deserialize(de)? {
        serde_json::Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| D::Error::custom("period is not a whole year"))?,
        serde_json::Value::String(s) => s.trim().parse().map_err(D::Error::custom)?,
        _ => return Err(D::Error::custom("period is not a year")),
    };
    if (1900..=2100).contains(&year) {
        Ok(year as i32)
    } else {
        Err(D::Error::custom(format!(
            "period {year} is not a year Kolada publishes"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_beyond_any_year_is_refused_not_wrapped() {
        let text = r#"{"kpi":"N1","municipality":"1419","period":4294969316,"values":[]}"#;
        assert!(serde_json::from_str::<DataRow>(text).is_err());
        let text = r#"{"kpi":"N1","municipality":"1419","period":"2021","values":[]}"#;
        assert_eq!(serde_json::from_str::<DataRow>(text).unwrap().period, 2021);
    }

    #[test]
    fn deleted_values_are_kept_only_when_asked() {
        let text = r#"{"kpi":"N1","municipality":"1419","period":2021,"values":[
                {"gender":"T","count":1,"status":"","value":null,"isdeleted":true}]}"#;
        let mut kept = Vec::new();
        serde_json::from_str::<DataRow>(text)
            .unwrap()
            .into_observations(&mut kept, true);
        assert_eq!(kept.len(), 1);
        assert!(kept[0].1, "flagged as deleted");
        let mut dropped = Vec::new();
        serde_json::from_str::<DataRow>(text)
            .unwrap()
            .into_observations(&mut dropped, false);
        assert!(dropped.is_empty());
    }

    #[test]
    fn gender_is_taken_from_the_field_not_the_position() {
        let row: DataRow = serde_json::from_str(
            r#"{"kpi":"N1","municipality":"1419","period":2022,"values":[
                {"gender":"M","count":1,"status":"","value":2.0,"isdeleted":false},
                {"gender":"T","count":1,"status":"","value":3.5,"isdeleted":false},
                {"gender":"K","count":1,"status":"","value":null,"isdeleted":false}]}"#,
        )
        .unwrap();
        let mut out = Vec::new();
        row.into_observations(&mut out, false);
        let out: Vec<Observation> = out.into_iter().map(|(o, _)| o).collect();
        assert_eq!(out.len(), 2);
        assert!(out
            .iter()
            .any(|o| o.gender == Gender::T && o.value == Some(3.5)));
        assert!(out
            .iter()
            .any(|o| o.gender == Gender::M && o.value == Some(2.0)));
    }
}

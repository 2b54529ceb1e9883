//! Kolada's metadata: KPIs, municipalities and regions, groups.
//!
//! Field names follow Kolada's v3 metadata so the same structs read the API,
//! the cache and a snapshot's `meta/*.json`.

use serde::{Deserialize, Deserializer, Serialize};

use crate::base::text;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Kpi {
    pub id: String,
    #[serde(deserialize_with = "printable")]
    pub title: String,
    #[serde(default, deserialize_with = "printable_opt")]
    pub description: Option<String>,
    #[serde(default)]
    pub is_divided_by_gender: Option<bool>,
    /// `K` municipalities, `L` regions, `A` both.
    #[serde(default)]
    pub municipality_type: Option<String>,
    #[serde(default)]
    pub auspice: Option<String>,
    #[serde(default, deserialize_with = "printable_opt")]
    pub operating_area: Option<String>,
    #[serde(default, deserialize_with = "printable_opt")]
    pub perspective: Option<String>,
    #[serde(default)]
    pub prel_publication_date: Option<String>,
    #[serde(default)]
    pub publication_date: Option<String>,
    /// The latest year published ("2025"); Kolada sends it as a string.
    #[serde(default, deserialize_with = "lenient_string")]
    pub publ_period: Option<String>,
    #[serde(default)]
    pub has_ou_data: Option<bool>,
}

impl Kpi {
    pub(crate) fn latest_year(&self) -> Option<i32> {
        self.publ_period
            .as_deref()
            .and_then(|p| p.trim().parse().ok())
    }

    pub(crate) fn divided_by_gender(&self) -> bool {
        self.is_divided_by_gender.unwrap_or(false)
    }

    /// The latest year when it is still preliminary on `today` (before the
    /// final publication date), else `None`.
    pub(crate) fn preliminary_year(&self, today: chrono::NaiveDate) -> Option<i32> {
        if today < self.final_publication()? {
            self.latest_year()
        } else {
            None
        }
    }

    /// When the latest year's figures become final (`publication_date`).
    pub(crate) fn final_publication(&self) -> Option<chrono::NaiveDate> {
        let date = self.publication_date.as_deref()?.get(..10)?;
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
    }

    /// The years of a moving mean the KPI is ("…, 3-årsm, …" → 3): such a
    /// figure overlaps the year before, so no change on it is computed.
    pub(crate) fn rolling_years(&self) -> Option<u32> {
        let at = self.title.find("-årsm")?;
        let digits: String = self.title[..at]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.chars().rev().collect::<String>().parse().ok()
    }

    /// Whether the KPI is published for municipalities (type `K` or `A`).
    pub(crate) fn for_municipalities(&self) -> bool {
        !matches!(self.municipality_type.as_deref(), Some("L"))
    }

    /// Whether Kolada publishes the KPI for regions (`L` or `A`).
    pub(crate) fn for_regions(&self) -> bool {
        matches!(self.municipality_type.as_deref(), Some("L") | Some("A"))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Municipality {
    pub id: String,
    #[serde(deserialize_with = "printable")]
    pub title: String,
    /// `K` municipality, `L` region (and Riket, `0000`).
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

impl Municipality {
    pub(crate) fn is_kommun(&self) -> bool {
        self.kind.as_deref() == Some("K")
    }

    /// One of the 21 regions (type `L`, not Riket `0000`).
    pub(crate) fn is_region(&self) -> bool {
        self.kind.as_deref() == Some("L") && self.id != "0000"
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Group {
    pub id: String,
    #[serde(deserialize_with = "printable")]
    pub title: String,
    #[serde(default)]
    pub members: Vec<GroupMember>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct GroupMember {
    pub member_id: String,
    #[serde(deserialize_with = "printable")]
    pub member_title: String,
}

/// Titles from outside, never a terminal escape (see [`text::printable`]).
fn printable<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
    let text = String::deserialize(de)?;
    Ok(text::printable(&text).into_owned())
}

fn printable_opt<'de, D: Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    let text = Option::<String>::deserialize(de)?;
    Ok(text.map(|t| text::printable(&t).into_owned()))
}

/// Accept a string, a number or null where Kolada documents a string.
fn lenient_string<'de, D: Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(de)? {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s),
        other => Some(other.to_string()),
    })
}

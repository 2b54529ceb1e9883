//! The things nyckeltal talks about: KPIs, municipalities, groups and observed values.
//!
//! Field names follow Kolada's v3 metadata so the same structs read the API,
//! the cache and a snapshot's `meta/*.json`.

use serde::{Deserialize, Deserializer, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Kpi {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub is_divided_by_gender: Option<bool>,
    /// `K` municipalities, `L` regions, `A` both.
    #[serde(default)]
    pub municipality_type: Option<String>,
    #[serde(default)]
    pub auspice: Option<String>,
    #[serde(default)]
    pub operating_area: Option<String>,
    #[serde(default)]
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
    pub fn latest_year(&self) -> Option<i32> {
        self.publ_period
            .as_deref()
            .and_then(|p| p.trim().parse().ok())
    }

    pub fn divided_by_gender(&self) -> bool {
        self.is_divided_by_gender.unwrap_or(false)
    }

    /// The latest year when it is still preliminary on `today` (before the
    /// final publication date), else `None`.
    pub fn preliminary_year(&self, today: chrono::NaiveDate) -> Option<i32> {
        let final_date = self.publication_date.as_deref()?.get(..10)?;
        let final_date = chrono::NaiveDate::parse_from_str(final_date, "%Y-%m-%d").ok()?;
        if today < final_date {
            self.latest_year()
        } else {
            None
        }
    }

    /// Whether the KPI is published for municipalities (type `K` or `A`).
    pub fn for_municipalities(&self) -> bool {
        !matches!(self.municipality_type.as_deref(), Some("L"))
    }

    /// Whether Kolada publishes the KPI for regions (`L` or `A`).
    pub fn for_regions(&self) -> bool {
        matches!(self.municipality_type.as_deref(), Some("L") | Some("A"))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Municipality {
    pub id: String,
    pub title: String,
    /// `K` municipality, `L` region (and Riket, `0000`).
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

impl Municipality {
    pub fn is_kommun(&self) -> bool {
        self.kind.as_deref() == Some("K")
    }

    /// One of the 21 regions (type `L`, not Riket `0000`).
    pub fn is_region(&self) -> bool {
        self.kind.as_deref() == Some("L") && self.id != "0000"
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Group {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub members: Vec<GroupMember>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupMember {
    pub member_id: String,
    pub member_title: String,
}

/// Kolada's gender split: `T` total, `K` women, `M` men.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Gender {
    T,
    K,
    M,
}

impl Gender {
    pub fn code(self) -> &'static str {
        match self {
            Gender::T => "T",
            Gender::K => "K",
            Gender::M => "M",
        }
    }

    pub fn parse(text: &str) -> Option<Gender> {
        match text.trim() {
            "T" | "t" => Some(Gender::T),
            "K" | "k" => Some(Gender::K),
            "M" | "m" => Some(Gender::M),
            _ => None,
        }
    }
}

/// One value of one KPI for one municipality (or region, or group) in one
/// year and gender, exactly as Kolada sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub kpi: String,
    /// Municipality, region or group id.
    pub entity: String,
    pub year: i32,
    pub gender: Gender,
    pub value: Option<f64>,
    /// For a group: how many members contributed to the mean.
    pub count: Option<u32>,
    /// Kolada's status field, kept uninterpreted.
    pub status: String,
}

impl Observation {
    /// Sort key that puts the rows in the order every output uses.
    pub fn order_key(&self) -> (&str, &str, i32, Gender) {
        (&self.kpi, &self.entity, self.year, self.gender)
    }
}

/// Accept a string, a number or null where Kolada documents a string.
fn lenient_string<'de, D: Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(de)? {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s),
        other => Some(other.to_string()),
    })
}

//! What kind of figure a KPI is (its scale, which decides the arithmetic
//! that makes sense for it), which way is better, and whom it is
//! published for.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Which way is better, for ranks and the green/yellow/red band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Direction {
    LowerIsBetter,
    HigherIsBetter,
    Neutral,
}

impl Direction {
    /// Multiply a value by this to get a score where higher is better.
    /// Neutral figures rank from the highest value.
    pub(crate) fn sign(self) -> f64 {
        match self {
            Direction::LowerIsBetter => -1.0,
            Direction::HigherIsBetter | Direction::Neutral => 1.0,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Direction::LowerIsBetter => "lower_is_better",
            Direction::HigherIsBetter => "higher_is_better",
            Direction::Neutral => "neutral",
        }
    }
}

/// What kind of figure a KPI is, which decides the arithmetic that makes
/// sense for it (docs/readings-and-scales.md, "Definitions"):
/// - `amount`: a per-inhabitant or per-user figure, never negative
///   (kr/inv, kr/brukare, dagar): differences in units and in percent;
/// - `percent`: a share in percent: differences in percentage points, no
///   relative change;
/// - `signed`: a deviation or balance that can be negative: differences in
///   units (percentage points for a %), no relative change;
/// - `total`: grows with the municipality's size (mnkr, antal): compared
///   with peers in units, never ranked against the whole country;
/// - `category`: coded levels (Nej=0, test=1, breddinfört=2): shown by
///   label and counted, never averaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Scale {
    Amount,
    Percent,
    Signed,
    Total,
    Category,
}

impl Scale {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Scale::Amount => "amount",
            Scale::Percent => "percent",
            Scale::Signed => "signed",
            Scale::Total => "total",
            Scale::Category => "category",
        }
    }

    /// Whether a relative difference (in percent of the base) means something.
    pub(crate) fn relative(self) -> bool {
        self == Scale::Amount
    }

    /// Whether the figure is ranked among peers and in the country, and banded.
    pub(crate) fn ranked(self) -> bool {
        matches!(self, Scale::Amount | Scale::Percent | Scale::Signed)
    }

    /// Whether the values are numbers to average and subtract (a
    /// category's codes are not).
    pub(crate) fn numeric(self) -> bool {
        self != Scale::Category
    }

    /// The scale and, for a category, its level labels (index = code), read
    /// from a Kolada title: "…, (Breddinfört=2, testverksamhet=1, Nej=0)" is a
    /// category, "avvikelse … (%)" signed, "miljoner kronor" or ", antal" a
    /// total, "(%)" or "andel" a percent, anything else an amount.
    pub(crate) fn infer(title: &str) -> (Scale, Vec<String>) {
        let levels = levels_in_title(title);
        if !levels.is_empty() {
            return (Scale::Category, levels);
        }
        let lower = title.to_lowercase();
        let base = without_end_year(&lower);
        let tail = base.rsplit(',').next().unwrap_or("").trim();
        const TOTAL_UNITS: [&str; 8] = [
            "miljoner kronor",
            "mnkr",
            "tkr",
            "kr",
            "antal",
            "mwh",
            "kg",
            "meter",
        ];
        let scale = if lower.contains("miljoner kronor")
            || lower.contains("mnkr")
            || TOTAL_UNITS.contains(&tail)
            || (tail.starts_with("ton ") && !tail.contains('/'))
        {
            Scale::Total
        } else if lower.contains("avvikelse") || lower.contains("förändring") {
            Scale::Signed
        } else if lower.contains('%') || lower.contains("andel") || lower.contains("procent") {
            Scale::Percent
        } else {
            Scale::Amount
        };
        (scale, Vec::new())
    }
}

/// A title without a trailing "(-2024)", Kolada's mark of a series that ended.
fn without_end_year(title: &str) -> &str {
    let trimmed = title.trim_end();
    if let Some(open) = trimmed.rfind("(-") {
        let inner = &trimmed[open + 2..];
        if inner.len() == 5
            && inner.ends_with(')')
            && inner[..4].chars().all(|c| c.is_ascii_digit())
        {
            return trimmed[..open].trim_end();
        }
    }
    trimmed
}

/// "(Breddinfört=2, testverksamhet=1, Nej=0)" → ["Nej", "Testverksamhet",
/// "Breddinfört"]; nothing when the title has no such list.
fn levels_in_title(title: &str) -> Vec<String> {
    let mut codes: BTreeMap<usize, String> = BTreeMap::new();
    for group in title.split('(').skip(1) {
        let inner = group.split(')').next().unwrap_or("");
        let mut found = BTreeMap::new();
        for pair in inner.split([',', '/']) {
            let Some((label, code)) = pair.split_once('=') else {
                continue;
            };
            let (label, code) = (label.trim(), code.trim());
            match code.parse::<usize>() {
                Ok(code) if code <= 9 && !label.is_empty() && !label.contains("max") => {
                    let mut chars = label.chars();
                    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
                    found.insert(code, first.unwrap_or_default() + chars.as_str());
                }
                _ => {}
            }
        }
        if found.len() >= 2 {
            codes = found;
        }
    }
    let Some(&top) = codes.keys().max() else {
        return Vec::new();
    };
    (0..=top)
        .map(|code| {
            codes
                .get(&code)
                .cloned()
                .unwrap_or_else(|| code.to_string())
        })
        .collect()
}

/// Whom a set's KPIs are published for and ranked among.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Level {
    #[default]
    Municipality,
    Region,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_are_read_from_koladas_titles() {
        let cases = [
            ("Nettokostnadsavvikelse äldreomsorg, (%)", Scale::Signed),
            (
                "Nettokostnadsavvikelse äldreomsorg, miljoner kronor",
                Scale::Total,
            ),
            ("Kostnad äldreomsorg, kr/inv 65+", Scale::Amount),
            ("Invånare 65+ i särskilt boende, andel (%)", Scale::Percent),
            ("Brukare i hemtjänst, andel (%) (-2024)", Scale::Percent),
            ("Invånare totalt, antal", Scale::Total),
            (
                "Medelvårdtid som utskrivningsklar, antal dagar",
                Scale::Amount,
            ),
            ("Kostnad, tkr", Scale::Total),
            ("Utsläpp, ton CO2e", Scale::Total),
            ("Utsläpp, ton CO2e/inv", Scale::Amount),
        ];
        for (title, scale) in cases {
            assert_eq!(Scale::infer(title).0, scale, "{title}");
        }
        let (scale, levels) =
            Scale::infer("SIP med video finns,  (Breddinfört=2, testverksamhet=1, Nej=0)");
        assert_eq!(scale, Scale::Category);
        assert_eq!(levels, ["Nej", "Testverksamhet", "Breddinfört"]);
        assert_eq!(Scale::infer("Rutin finns (Ja=1/Nej=0)").1, ["Nej", "Ja"]);
        assert_eq!(Scale::infer("Index (max = 100)").0, Scale::Amount);
    }
}

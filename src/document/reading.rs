//! One comparison row as people read it, decided once and shown three ways
//! (terminal, HTML, workbook): which figures make sense for the KPI's
//! scale, in which unit a difference is (percent, percentage points, the
//! KPI's own unit), how many decimals, and the band.

use super::words::{format_number, NumberStyle, Words};
use crate::analysis::kpi::KpiPlan;
use crate::analysis::national::{Position, RankBand};
use crate::analysis::row::ComparedRow;
use crate::analysis::row::Volatile;
use crate::model::scale::Scale;

/// What a difference is measured in.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Suffix {
    None,
    /// Relative: percent of the base.
    Percent,
    /// Percentage points: the difference of two shares in percent.
    Points,
    /// The KPI's own unit (mnkr, kr/inv).
    Unit(String),
}

/// One cell of a reading.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shown {
    Missing,
    Number {
        value: f64,
        decimals: usize,
        /// A difference: + before positive numbers.
        plus: bool,
        suffix: Suffix,
    },
    /// A figure with another beside it in parentheses: a relative difference
    /// and the same in the KPI's unit ("-15,6 % (-4 321 kr/inv)").
    Both(Box<Shown>, Box<Shown>),
    Text(String),
}

/// Where the municipality stands in the country, and how it is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Band {
    /// By the set's direction: among the best quarter (or third) …
    Green,
    Yellow,
    /// … among the worst.
    Red,
    /// Without a direction: among the lowest values, the middle, the highest.
    Low,
    Middle,
    High,
    /// Too few places have a figure for a position to mean anything.
    Few,
    /// The municipality has no figure.
    NoValue,
    /// Totals and categories are not placed.
    NotBanded,
}

impl Band {
    /// A row's band and, without a direction, its position.
    pub(crate) fn of(band: RankBand, position: Option<Position>) -> Band {
        match (band, position) {
            (RankBand::Green, _) => Band::Green,
            (RankBand::Yellow, _) => Band::Yellow,
            (RankBand::Red, _) => Band::Red,
            (RankBand::Few, _) => Band::Few,
            (RankBand::NoValue, _) => Band::NoValue,
            (_, Some(Position::Low)) => Band::Low,
            (_, Some(Position::Middle)) => Band::Middle,
            (_, Some(Position::High)) => Band::High,
            _ => Band::NotBanded,
        }
    }

    /// The class in the HTML.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Band::Green => "green",
            Band::Yellow => "yellow",
            Band::Red => "red",
            Band::Low => "low",
            Band::Middle => "middle",
            Band::High => "high",
            Band::Few => "few",
            Band::NoValue => "grey",
            Band::NotBanded => "none",
        }
    }

    pub(crate) fn name(self, words: &Words) -> &'static str {
        words.bands[match self {
            Band::Green => 0,
            Band::Yellow => 1,
            Band::Red => 2,
            Band::Low => 3,
            Band::Middle => 4,
            Band::High => 5,
            Band::Few => 6,
            Band::NoValue => 7,
            Band::NotBanded => 8,
        }]
    }

    /// Background and text colour (RGB) shared by the HTML and the workbook:
    /// green, yellow and red where the set judges a direction, shades of
    /// one blue for a position without judgement.
    pub(crate) fn colours(self) -> Option<(u32, u32)> {
        match self {
            Band::Green => Some((0xC8E6C9, 0x1B5E20)),
            Band::Yellow => Some((0xFFF3C4, 0x7A5B00)),
            Band::Red => Some((0xFFCDD2, 0xB71C1C)),
            Band::Low => Some((0xE8EEF6, 0x27466B)),
            Band::Middle => Some((0xCFDCEC, 0x27466B)),
            Band::High => Some((0xA9C1DD, 0x1A2F4A)),
            Band::Few | Band::NoValue => Some((0xEEEEEE, 0x666666)),
            Band::NotBanded => None,
        }
    }
}

/// A comparison row, read.
#[derive(Debug, Clone)]
pub(crate) struct Reading {
    pub year: Option<i64>,
    pub preliminary: bool,
    /// The figure rests on few people (by the count the set names).
    pub small_numbers: bool,
    /// A change far beyond the municipality's own history: (this change,
    /// its typical change), in % for an amount, else in points.
    pub volatile: Option<Volatile>,
    pub value: Shown,
    /// The peers' mean; for a category how many peers are at each level;
    /// for a total the KPI that compares sizes fairly.
    pub peers: Shown,
    pub vs_peers: Shown,
    /// (rank, out of)
    pub rank_in_peers: Option<(i64, i64)>,
    pub rank_national: Option<(i64, i64)>,
    /// How many places have a figure, of how many ranked among (55 of 290).
    pub coverage: Option<(i64, i64)>,
    pub band: Band,
    pub change: Shown,
    /// Kolada's own value of the peer group, where the peers' mean is not it.
    pub group_value: Shown,
}

/// Decimals for a KPI's rows: from the municipality's values (the peers'
/// means when it has none), so every peer group shows the same decimals.
pub(crate) fn row_decimals<'r>(rows: impl Iterator<Item = &'r ComparedRow> + Clone) -> usize {
    let values: Vec<f64> = rows.clone().filter_map(|r| r.value).collect();
    if values.is_empty() {
        decimals(rows.filter_map(|r| r.peer_mean))
    } else {
        decimals(values)
    }
}

/// Decimals for a KPI's figures, from the largest of them: 0 from 100 up,
/// 1 from 10, else 2. One count for a whole row, so its figures line up.
pub(crate) fn decimals(values: impl IntoIterator<Item = f64>) -> usize {
    let largest = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(0.0f64, |m, v| m.max(v.abs()));
    match largest {
        a if a >= 100.0 => 0,
        a if a >= 10.0 => 1,
        _ => 2,
    }
}

impl Reading {
    /// A comparison row of `kpi`, read.
    pub(crate) fn of(row: &ComparedRow, kpi: &KpiPlan, decimals: usize, words: &Words) -> Reading {
        let number = |figure: Option<f64>| Figure {
            value: figure,
            decimals,
        };
        let category = kpi.scale == Scale::Category;
        let value = match (category, row.value) {
            (true, Some(v)) => Shown::Text(
                kpi.level_label(v)
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string()),
            ),
            (_, v) => number(v).shown(false, Suffix::None),
        };
        let peers = match kpi.scale {
            Scale::Category => match &row.peer_levels {
                Some(levels) if !levels.is_empty() => Shown::Text(levels.clone()),
                _ => Shown::Missing,
            },
            Scale::Total => match &kpi.relative {
                Some(relative) => Shown::Text(words.compare_by.replace("{kpi}", relative)),
                None => Shown::Missing,
            },
            _ => number(row.peer_mean).shown(false, Suffix::None),
        };
        let change = if row.series_break && row.value.is_some() {
            Shown::Text(words.method_change.to_string())
        } else {
            let change = (
                row.change_from_previous_year,
                row.change_from_previous_year_pct,
            );
            difference(change, kpi, decimals)
        };
        let vs_peers = (
            row.deviation_from_peer_mean,
            row.deviation_from_peer_mean_pct,
        );
        Reading {
            year: Some(i64::from(row.year)),
            preliminary: row.preliminary,
            small_numbers: row.small_numbers == Some(true),
            volatile: row.volatile,
            value,
            peers,
            vs_peers: difference(vs_peers, kpi, decimals),
            rank_in_peers: row
                .rank_in_peers
                .map(|r| (i64::from(r), i64::from(row.peer_n) + 1)),
            rank_national: row
                .rank_national
                .map(|r| (i64::from(r), i64::from(row.national_n))),
            coverage: Some(i64::from(row.national_total))
                .filter(|_| kpi.scale.ranked())
                .map(|t| (i64::from(row.national_n), t)),
            band: Band::of(row.band, row.position),
            change,
            group_value: number(row.group_value).shown(false, Suffix::None),
        }
    }
}

impl Reading {
    /// The year with its marks: * preliminary, † resting on few people,
    /// ‡ a change far beyond the municipality's usual.
    pub(crate) fn year_text(&self) -> String {
        format!(
            "{}{}",
            self.year.map(|y| y.to_string()).unwrap_or_default(),
            self.marks()
        )
    }

    /// "*", "†", "‡" as they apply.
    pub(crate) fn marks(&self) -> String {
        format!(
            "{}{}{}",
            if self.preliminary { "*" } else { "" },
            if self.small_numbers { "†" } else { "" },
            if self.volatile.is_some() { "‡" } else { "" }
        )
    }
}

/// A figure of a row and its decimals.
struct Figure {
    value: Option<f64>,
    decimals: usize,
}

impl Figure {
    fn shown(&self, plus: bool, suffix: Suffix) -> Shown {
        match self.value {
            Some(value) => Shown::Number {
                value,
                decimals: self.decimals,
                plus,
                suffix,
            },
            None => Shown::Missing,
        }
    }
}

/// A difference, (in units, in percent): for an amount in percent with
/// the units beside it, for a share in percentage points, else in the
/// KPI's unit; none for a category.
fn difference(figures: (Option<f64>, Option<f64>), kpi: &KpiPlan, decimals: usize) -> Shown {
    let units = Figure {
        value: figures.0,
        decimals,
    };
    let unit = Suffix::Unit(kpi.unit.clone());
    match kpi.scale {
        Scale::Category => Shown::Missing,
        Scale::Amount => {
            let pct = Figure {
                value: figures.1,
                decimals: 1,
            };
            match (pct.shown(true, Suffix::Percent), units.shown(true, unit)) {
                (Shown::Missing, units) => units,
                (pct, Shown::Missing) => pct,
                (pct, units) => Shown::Both(Box::new(pct), Box::new(units)),
            }
        }
        _ if kpi.in_points() => Figure {
            value: units.value,
            decimals: decimals.max(1),
        }
        .shown(true, Suffix::Points),
        _ => units.shown(true, unit),
    }
}

impl Shown {
    /// As text: "–" for a missing figure.
    pub(crate) fn text(&self, style: NumberStyle, words: &Words) -> String {
        match self {
            Shown::Missing => "–".to_string(),
            Shown::Text(text) => text.clone(),
            Shown::Both(first, second) => format!(
                "{} ({})",
                first.text(style, words),
                second.text(style, words)
            ),
            Shown::Number {
                value,
                decimals,
                plus,
                suffix,
            } => {
                let number = format_number(*value, *decimals, style, *plus);
                let space = style.unit_space;
                match suffix {
                    Suffix::None => number,
                    Suffix::Percent => format!("{number}{space}%"),
                    Suffix::Points => format!("{number}{space}{}", words.points),
                    Suffix::Unit(unit) if unit.is_empty() => number,
                    Suffix::Unit(unit) => format!("{number}{space}{unit}"),
                }
            }
        }
    }

    /// The Excel number format that shows the number as [`Shown::text`]
    /// does; Excel applies the reader's own decimal sign and grouping. For
    /// two figures the first is the cell's number and the second stands
    /// beside it as text.
    pub(crate) fn xlsx_format(&self, style: NumberStyle, words: &Words) -> Option<String> {
        if let Shown::Both(first, second) = self {
            let beside = format!(" \"({})\"", second.text(style, words).replace('"', ""));
            let format = first.xlsx_format(style, words)?;
            return Some(
                format
                    .split(';')
                    .map(|part| format!("{part}{beside}"))
                    .collect::<Vec<_>>()
                    .join(";"),
            );
        }
        let Shown::Number {
            decimals,
            plus,
            suffix,
            ..
        } = self
        else {
            return None;
        };
        let digits = if *decimals == 0 {
            "#,##0".to_string()
        } else {
            format!("#,##0.{}", "0".repeat(*decimals))
        };
        // Literal text is quoted, so "%" is not Excel's multiply-by-100.
        let tail = match suffix {
            Suffix::None => String::new(),
            Suffix::Percent => " \"%\"".to_string(),
            Suffix::Points => format!(" \"{}\"", words.points),
            Suffix::Unit(unit) if unit.is_empty() => String::new(),
            Suffix::Unit(unit) => format!(" \"{}\"", unit.replace('"', "")),
        };
        Some(if *plus {
            format!("+{digits}{tail};-{digits}{tail};{digits}{tail}")
        } else {
            format!("{digits}{tail}")
        })
    }
}

impl Shown {
    /// A difference in two figures for two columns: (in the KPI's unit or
    /// in points, in percent of the mean), each missing where the scale
    /// has none (a share has no percent, a category neither).
    pub(crate) fn unit_and_percent(&self) -> (Shown, Shown) {
        match self {
            Shown::Both(percent, unit) => ((**unit).clone(), (**percent).clone()),
            Shown::Number {
                suffix: Suffix::Percent,
                ..
            } => (Shown::Missing, self.clone()),
            other => (other.clone(), Shown::Missing),
        }
    }
}

/// "56 959 kr/inv 65+", "74,0 %".
pub(crate) fn with_unit(number: &str, unit: &str, space: char) -> String {
    if unit.is_empty() || number == "–" {
        number.to_string()
    } else {
        format!("{number}{space}{unit}")
    }
}

/// A difference or change without its sign (the sentence says which way).
pub(crate) fn unsigned(shown: &Shown) -> Shown {
    match shown {
        Shown::Number {
            value,
            decimals,
            suffix,
            ..
        } => Shown::Number {
            value: value.abs(),
            decimals: *decimals,
            plus: false,
            suffix: suffix.clone(),
        },
        Shown::Both(first, second) => {
            Shown::Both(Box::new(unsigned(first)), Box::new(unsigned(second)))
        }
        other => other.clone(),
    }
}

/// "3/8", or "–" without a rank.
pub(crate) fn rank_text(rank: Option<(i64, i64)>) -> String {
    rank.map(|(r, n)| format!("{r}/{n}"))
        .unwrap_or_else(|| "–".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::words::TERMINAL;
    use crate::model::lang::Lang;

    #[test]
    fn differences_carry_their_unit() {
        let points = Shown::Number {
            value: -12.9295,
            decimals: 2,
            plus: true,
            suffix: Suffix::Points,
        };
        assert_eq!(
            points.text(Lang::Sv.numbers(), Lang::Sv.words()),
            "-12,93\u{a0}p.e."
        );
        assert_eq!(points.text(TERMINAL, Lang::En.words()), "-12.93 pp");
        assert_eq!(
            points
                .xlsx_format(Lang::Sv.numbers(), Lang::Sv.words())
                .unwrap(),
            "+#,##0.00 \"p.e.\";-#,##0.00 \"p.e.\";#,##0.00 \"p.e.\""
        );
        let amount = Shown::Number {
            value: 1045117.647058,
            decimals: 0,
            plus: false,
            suffix: Suffix::None,
        };
        assert_eq!(
            amount
                .xlsx_format(Lang::Sv.numbers(), Lang::Sv.words())
                .unwrap(),
            "#,##0"
        );
        assert_eq!(
            amount.text(Lang::Sv.numbers(), Lang::Sv.words()),
            "1\u{a0}045\u{a0}118"
        );
    }

    #[test]
    fn a_difference_splits_into_its_unit_and_its_percent() {
        let number = |value: f64, suffix: Suffix| Shown::Number {
            value,
            decimals: 1,
            plus: true,
            suffix,
        };
        let pct = number(-15.6, Suffix::Percent);
        let kr = number(-10564.0, Suffix::Unit("kr/inv 65+".into()));
        let both = Shown::Both(Box::new(pct.clone()), Box::new(kr.clone()));
        assert_eq!(both.unit_and_percent(), (kr.clone(), pct.clone()));
        assert_eq!(pct.unit_and_percent(), (Shown::Missing, pct.clone()));
        let points = number(-3.6, Suffix::Points);
        assert_eq!(points.unit_and_percent(), (points.clone(), Shown::Missing));
        let text = Shown::Text("metodbyte".into());
        assert_eq!(text.unit_and_percent(), (text.clone(), Shown::Missing));
    }

    #[test]
    fn decimals_follow_the_largest_figure() {
        assert_eq!(decimals([-4.44, 8.5]), 2);
        assert_eq!(decimals([12.0, 3.0]), 1);
        assert_eq!(decimals([1045117.6]), 0);
    }
}

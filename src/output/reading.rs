//! One comparison row as people read it, decided once and shown three ways
//! (terminal, HTML, workbook): which figures make sense for the KPI's
//! scale, in which unit a difference is (percent, percentage points, the
//! KPI's own unit), how many decimals, and the band.

use super::words::{format_number, NumberStyle, Words};
use crate::analysis::cells::Cells;
use crate::analysis::kpi::KpiPlan;
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
    Text(String),
}

/// The green/yellow/red band, or why there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Band {
    Green,
    Yellow,
    Red,
    /// The municipality has no figure.
    NoValue,
    /// Neutral KPIs, totals and categories are not banded.
    NotBanded,
}

impl Band {
    /// From the export column's code (green, yellow, red, grey, none).
    pub(crate) fn from_code(code: &str) -> Band {
        match code {
            "green" => Band::Green,
            "yellow" => Band::Yellow,
            "red" => Band::Red,
            "grey" => Band::NoValue,
            _ => Band::NotBanded,
        }
    }

    /// The class in the HTML and the code in the exports.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Band::Green => "green",
            Band::Yellow => "yellow",
            Band::Red => "red",
            Band::NoValue => "grey",
            Band::NotBanded => "none",
        }
    }

    pub(crate) fn name(self, words: &Words) -> &'static str {
        words.bands[match self {
            Band::Green => 0,
            Band::Yellow => 1,
            Band::Red => 2,
            Band::NoValue => 3,
            Band::NotBanded => 4,
        }]
    }

    /// Background and text colour (RGB) shared by the HTML and the workbook.
    pub(crate) fn colours(self) -> Option<(u32, u32)> {
        match self {
            Band::Green => Some((0xC8E6C9, 0x1B5E20)),
            Band::Yellow => Some((0xFFF3C4, 0x7A5B00)),
            Band::Red => Some((0xFFCDD2, 0xB71C1C)),
            Band::NoValue => Some((0xEEEEEE, 0x777777)),
            Band::NotBanded => None,
        }
    }
}

/// A comparison row, read.
#[derive(Debug, Clone)]
pub(crate) struct Reading {
    pub year: Option<i64>,
    pub preliminary: bool,
    pub value: Shown,
    /// The peers' mean, or for a category how many peers are at each level.
    pub peers: Shown,
    pub vs_peers: Shown,
    /// (rank, out of)
    pub rank_in_peers: Option<(i64, i64)>,
    pub rank_national: Option<(i64, i64)>,
    pub band: Band,
    pub change: Shown,
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
    /// Row `row` of a comparison table (`analysis::COLUMNS`) for `kpi`.
    pub(crate) fn of(
        cells: &Cells,
        row: usize,
        kpi: &KpiPlan,
        decimals: usize,
        words: &Words,
    ) -> Reading {
        let number = |value: Option<f64>, plus: bool, suffix: Suffix, decimals: usize| match value {
            Some(value) => Shown::Number {
                value,
                decimals,
                plus,
                suffix,
            },
            None => Shown::Missing,
        };
        let unit = || Suffix::Unit(kpi.unit.clone());
        // A difference: relative for amounts, in points for shares, else in units.
        let difference = |units: &str, pct: &str| -> Shown {
            match kpi.scale {
                Scale::Category => Shown::Missing,
                Scale::Amount => match cells.f64(pct, row) {
                    Some(p) => number(Some(p), true, Suffix::Percent, 1),
                    None => number(cells.f64(units, row), true, unit(), decimals),
                },
                _ if kpi.in_points() => {
                    number(cells.f64(units, row), true, Suffix::Points, decimals.max(1))
                }
                _ => number(cells.f64(units, row), true, unit(), decimals),
            }
        };
        let category = kpi.scale == Scale::Category;
        let value = match (category, cells.f64("value", row)) {
            (true, Some(v)) => Shown::Text(
                kpi.level_label(v)
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string()),
            ),
            (_, v) => number(v, false, Suffix::None, decimals),
        };
        let peers = if category {
            let levels = cells.text("peer_levels", row);
            if levels.is_empty() {
                Shown::Missing
            } else {
                Shown::Text(levels)
            }
        } else {
            number(cells.f64("peer_mean", row), false, Suffix::None, decimals)
        };
        let change = if cells.flag("series_break", row) && cells.f64("value", row).is_some() {
            Shown::Text(words.method_change.to_string())
        } else {
            difference("change_from_previous_year", "change_from_previous_year_pct")
        };
        Reading {
            year: cells.int("year", row),
            preliminary: cells.flag("preliminary", row),
            value,
            peers,
            vs_peers: difference("deviation_from_peer_mean", "deviation_from_peer_mean_pct"),
            rank_in_peers: cells
                .int("rank_in_peers", row)
                .map(|r| (r, cells.int("peer_n", row).unwrap_or(0) + 1)),
            rank_national: cells
                .int("rank_national", row)
                .map(|r| (r, cells.int("national_n", row).unwrap_or(0))),
            band: Band::from_code(&cells.text("band", row)),
            change,
        }
    }
}

impl Shown {
    /// As text: "–" for a missing figure.
    pub(crate) fn text(&self, style: NumberStyle, words: &Words) -> String {
        match self {
            Shown::Missing => "–".to_string(),
            Shown::Text(text) => text.clone(),
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
    /// does; Excel applies the reader's own decimal sign and grouping.
    pub(crate) fn xlsx_format(&self, words: &Words) -> Option<String> {
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

/// "3/8", or "–" without a rank.
pub(crate) fn rank_text(rank: Option<(i64, i64)>) -> String {
    rank.map(|(r, n)| format!("{r}/{n}"))
        .unwrap_or_else(|| "–".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lang::Lang;
    use crate::output::words::TERMINAL;

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
            points.xlsx_format(Lang::Sv.words()).unwrap(),
            "+#,##0.00 \"p.e.\";-#,##0.00 \"p.e.\";#,##0.00 \"p.e.\""
        );
        let amount = Shown::Number {
            value: 1045117.647058,
            decimals: 0,
            plus: false,
            suffix: Suffix::None,
        };
        assert_eq!(amount.xlsx_format(Lang::Sv.words()).unwrap(), "#,##0");
        assert_eq!(
            amount.text(Lang::Sv.numbers(), Lang::Sv.words()),
            "1\u{a0}045\u{a0}118"
        );
    }

    #[test]
    fn decimals_follow_the_largest_figure() {
        assert_eq!(decimals([-4.44, 8.5]), 2);
        assert_eq!(decimals([12.0, 3.0]), 1);
        assert_eq!(decimals([1045117.6]), 0);
    }
}

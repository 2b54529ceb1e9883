//! A waterfall for a cost gap: the comparison's level, each piece's part
//! of the gap as a floating bar, then the municipality's figure. Every bar
//! is measured from zero on one axis, so lengths compare; the pieces are
//! one neutral colour (a lower cost is not better in itself), their signed
//! value written beside them.

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::canvas::{
    colour, dashed, draw_strip, fail, legend_layout, register_font, strip_height, Key, Role,
    MARGIN, SIZE,
};
use crate::document::reading::decimals;
use crate::document::words::format_number;
use crate::model::lang::Lang;

/// One piece of the gap.
pub(crate) struct Step {
    pub label: String,
    pub contribution: f64,
    /// Not a piece of the identity (the peers' spread, a rest): drawn lighter.
    pub muted: bool,
}

/// From the comparison's level, through the pieces, to the municipality's.
pub(crate) struct Waterfall<'a> {
    pub title: &'a str,
    /// Under the title: the unit and the year.
    pub subtitle: &'a str,
    /// The comparison's name and level; `country`: the country, not peers.
    pub comparison: (&'a str, f64),
    pub country: bool,
    pub steps: &'a [Step],
    pub own: (&'a str, f64),
    pub lang: Lang,
}

const ROW: i32 = 46;
const BAR: i32 = 24;
const TOP: i32 = 70;
const LABELS: i32 = 330;
const AXIS: i32 = 34;
const PIECE: RGBColor = RGBColor(112, 124, 140);
const MUTED: RGBColor = RGBColor(190, 197, 207);
const GRID: RGBColor = RGBColor(225, 225, 225);

/// The waterfall as SVG.
pub(crate) fn waterfall_svg(chart: &Waterfall) -> Result<String> {
    register_font();
    let keys = keys(chart);
    let legend = legend_layout(&keys);
    let rows = chart.steps.len() as i32 + 2;
    let plot_height = TOP + rows * ROW + AXIS;
    let height = plot_height as u32 + strip_height(legend.len());
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (SIZE.0, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        let (upper, strip) = root.split_vertically(plot_height as u32);
        draw_bars(&upper, chart)?;
        draw_strip(&strip, &keys, &legend, chart.lang.words().attribution)?;
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(svg)
}

fn keys(chart: &Waterfall) -> Vec<Key> {
    let words = chart.lang.words();
    let mut keys = vec![
        Key {
            name: chart.own.0.to_string(),
            colour: colour(Role::Municipality),
            dashed: false,
            dot: false,
        },
        Key {
            name: chart.comparison.0.to_string(),
            colour: comparison_colour(chart),
            dashed: false,
            dot: false,
        },
        Key {
            name: words.explain_pieces_key.to_string(),
            colour: PIECE,
            dashed: false,
            dot: false,
        },
    ];
    if chart.steps.iter().any(|s| s.muted) {
        keys.push(Key {
            name: words.explain_muted_key.to_string(),
            colour: MUTED,
            dashed: false,
            dot: false,
        });
    }
    keys
}

fn comparison_colour(chart: &Waterfall) -> RGBColor {
    colour(if chart.country {
        Role::Median
    } else {
        Role::Peers(0)
    })
}

/// Where a value lies on the bars' axis.
struct Axis {
    lo: f64,
    hi: f64,
    left: i32,
    width: i32,
}

impl Axis {
    fn x(&self, value: f64) -> i32 {
        self.left + ((value - self.lo) / (self.hi - self.lo) * self.width as f64).round() as i32
    }

    /// Round steps (1, 2 or 5 × a power of ten), three to six of them.
    fn ticks(&self) -> Vec<f64> {
        let raw = (self.hi - self.lo) / 6.0;
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(raw);
        let first = (self.lo / step).ceil() as i64;
        let last = (self.hi / step).floor() as i64;
        (first..=last).map(|i| i as f64 * step).collect()
    }
}

/// Each bar as (from, to): the comparison, the pieces from the running
/// level, the municipality.
fn bars(chart: &Waterfall) -> Vec<(f64, f64)> {
    let mut bars = vec![(0.0, chart.comparison.1)];
    let mut level = chart.comparison.1;
    for step in chart.steps {
        bars.push((level, level + step.contribution));
        level += step.contribution;
    }
    bars.push((0.0, chart.own.1));
    bars
}

fn draw_bars<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, chart: &Waterfall) -> Result<()> {
    let grey = RGBColor(85, 85, 85);
    area.draw(&Text::new(
        chart.title.to_string(),
        (MARGIN, 14),
        ("sans-serif", 21).into_font().color(&BLACK),
    ))
    .map_err(|e| fail(&e))?;
    area.draw(&Text::new(
        chart.subtitle.to_string(),
        (MARGIN, 42),
        ("sans-serif", 15).into_font().color(&grey),
    ))
    .map_err(|e| fail(&e))?;
    let bars = bars(chart);
    let ends = bars.iter().flat_map(|(a, b)| [*a, *b]);
    let lo = ends.clone().fold(0.0, f64::min);
    let hi = ends.fold(0.0, f64::max);
    let left = MARGIN + LABELS + 12;
    let axis = Axis {
        lo,
        hi: if hi > lo { hi } else { lo + 1.0 },
        left,
        width: SIZE.0 as i32 - left - MARGIN - 86,
    };
    draw_grid(area, &axis, chart.lang, TOP + (bars.len() as i32) * ROW)?;
    let last = bars.len() - 1;
    for (i, &(from, to)) in bars.iter().enumerate() {
        let top = TOP + i as i32 * ROW + (ROW - BAR) / 2;
        let (fill, label, value) = match i {
            0 => (
                comparison_colour(chart),
                chart.comparison.0.to_string(),
                number(to, chart.lang, false),
            ),
            i if i == last => (
                colour(Role::Municipality),
                chart.own.0.to_string(),
                number(to, chart.lang, false),
            ),
            i => {
                let step = &chart.steps[i - 1];
                let fill = if step.muted { MUTED } else { PIECE };
                (
                    fill,
                    step.label.clone(),
                    number(to - from, chart.lang, true),
                )
            }
        };
        let (a, b) = (axis.x(from.min(to)), axis.x(from.max(to)));
        area.draw(&Rectangle::new(
            [(a, top), (b.max(a + 1), top + BAR)],
            fill.filled(),
        ))
        .map_err(|e| fail(&e))?;
        area.draw(&Text::new(
            value,
            (b + 6, top + 3),
            ("sans-serif", 17).into_font().color(&BLACK),
        ))
        .map_err(|e| fail(&e))?;
        draw_label(area, &label, top + BAR / 2)?;
        if i < last {
            // The level the next bar starts from.
            let x = axis.x(to);
            dashed(area, (x, top + BAR), (x, top + ROW), grey)?;
        }
    }
    Ok(())
}

/// Light vertical lines at round values, numbered under the bars.
fn draw_grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    axis: &Axis,
    lang: Lang,
    bottom: i32,
) -> Result<()> {
    let step = axis.ticks();
    let range = axis.hi - axis.lo;
    for value in step {
        let x = axis.x(value);
        area.draw(&PathElement::new(
            vec![(x, TOP), (x, bottom)],
            if value == 0.0 {
                RGBColor(150, 150, 150)
            } else {
                GRID
            }
            .stroke_width(1),
        ))
        .map_err(|e| fail(&e))?;
        let text = format_number(
            value,
            if range >= 50.0 { 0 } else { 1 },
            lang.numbers(),
            false,
        );
        area.draw(&Text::new(
            text,
            (x - 12, bottom + 8),
            ("sans-serif", 14).into_font().color(&RGBColor(85, 85, 85)),
        ))
        .map_err(|e| fail(&e))?;
    }
    Ok(())
}

/// A row's name in the left column, wrapped to two lines at most.
fn draw_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    label: &str,
    middle: i32,
) -> Result<()> {
    let font = ("sans-serif", 16).into_font();
    let width = |text: &str| {
        area.estimate_text_size(text, &font.clone().into())
            .map(|(w, _)| w as i32)
            .unwrap_or(text.chars().count() as i32 * 8)
    };
    let mut lines: Vec<String> = vec![String::new()];
    for word in label.split_whitespace() {
        let current = lines.last().cloned().unwrap_or_default();
        let joined = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if width(&joined) > LABELS && !current.is_empty() {
            lines.push(word.to_string());
        } else if let Some(line) = lines.last_mut() {
            *line = joined;
        }
    }
    if lines.len() > 2 {
        let rest = lines.split_off(1).join(" ");
        let mut cut: String = rest.chars().take(rest.chars().count().min(44)).collect();
        if cut.len() < rest.len() {
            cut.push('…');
        }
        lines.push(cut);
    }
    let height = 19;
    let first = middle - (lines.len() as i32 * height) / 2;
    for (n, line) in lines.iter().enumerate() {
        area.draw(&Text::new(
            line.clone(),
            (MARGIN, first + n as i32 * height),
            font.clone().color(&BLACK),
        ))
        .map_err(|e| fail(&e))?;
    }
    Ok(())
}

/// A value beside its bar, decimals by its size; signed for a piece.
fn number(value: f64, lang: Lang, signed: bool) -> String {
    format_number(value, decimals([value]), lang.numbers(), signed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_float_from_the_comparison_to_the_municipality() {
        let steps = [
            Step {
                label: "coverage".into(),
                contribution: -9914.0,
                muted: false,
            },
            Step {
                label: "cost per user".into(),
                contribution: -188.0,
                muted: false,
            },
        ];
        let chart = Waterfall {
            title: "t",
            subtitle: "s",
            comparison: ("peers", 28000.0),
            country: false,
            steps: &steps,
            own: ("Tjörn", 17898.0),
            lang: Lang::Sv,
        };
        let bars = bars(&chart);
        assert_eq!(bars[1], (28000.0, 18086.0));
        assert_eq!(bars[2], (18086.0, 17898.0));
        assert_eq!(bars[3], (0.0, 17898.0));
        let axis = Axis {
            lo: 0.0,
            hi: 28000.0,
            left: 0,
            width: 100,
        };
        assert_eq!(
            axis.ticks(),
            vec![0.0, 5000.0, 10000.0, 15000.0, 20000.0, 25000.0]
        );
        let svg = waterfall_svg(&chart).expect("drawn");
        assert!(svg.contains(&format_number(-9914.0, 0, Lang::Sv.numbers(), true)));
        assert!(svg.contains(&format_number(17898.0, 0, Lang::Sv.numbers(), false)));
    }
}

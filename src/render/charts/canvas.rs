//! What every chart shares: the bundled font, the size and margins, the
//! one palette, the legend and source strip below the plot, dashed lines
//! and axis numbers.

use std::sync::Once;

use anyhow::{anyhow, Result};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::document::words::format_number;
use crate::model::lang::Lang;

static FONT: Once = Once::new();
const DEJAVU_SANS: &[u8] = include_bytes!("../../../assets/DejaVuSans.ttf");

pub(super) fn register_font() {
    FONT.call_once(|| {
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS);
    });
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChartFormat {
    Svg,
    Png,
}

/// Who a series or a point stands for; it decides the colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Municipality,
    /// The n-th peer group (0 = the first).
    Peers(usize),
    /// The national median.
    Median,
    /// Everybody else (grey dots in a scatter).
    Others,
}

/// The one palette of every chart.
pub(crate) fn colour(role: Role) -> RGBColor {
    const PEERS: [RGBColor; 3] = [
        RGBColor(230, 97, 1),
        RGBColor(26, 133, 80),
        RGBColor(122, 73, 165),
    ];
    match role {
        Role::Municipality => RGBColor(0, 94, 184),
        Role::Peers(n) => PEERS[n % PEERS.len()],
        Role::Median => RGBColor(90, 90, 90),
        Role::Others => RGBColor(175, 175, 175),
    }
}

pub(super) const SIZE: (u32, u32) = (960, 540);
pub(super) const MARGIN: i32 = 18;
pub(super) const LEGEND_FONT: u32 = 15;
pub(super) const LEGEND_ROW: i32 = 24;
pub(super) const SWATCH: i32 = 26;

/// Numbers on an axis: the same decimals all along, as many as the range needs.
pub(super) fn axis_number(value: f64, range: f64, lang: Lang) -> String {
    let decimals = if range >= 50.0 {
        0
    } else if range >= 5.0 {
        1
    } else {
        2
    };
    format_number(value, decimals, lang.numbers(), false)
}

pub(super) fn fail(e: &dyn std::fmt::Display) -> anyhow::Error {
    anyhow!("cannot draw the chart: {e}")
}

/// A legend entry: its name and how its swatch is drawn.
pub(super) struct Key {
    pub(super) name: String,
    pub(super) colour: RGBColor,
    pub(super) dashed: bool,
    pub(super) dot: bool,
}

/// Lay out the keys in rows across the chart's width; their height.
pub(super) fn legend_rows<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    keys: &[Key],
) -> Vec<Vec<(usize, i32)>> {
    let font = ("sans-serif", LEGEND_FONT).into_font();
    let width = SIZE.0 as i32 - 2 * MARGIN;
    let mut rows: Vec<Vec<(usize, i32)>> = vec![Vec::new()];
    let mut x = 0;
    for (i, key) in keys.iter().enumerate() {
        let text = root
            .estimate_text_size(&key.name, &font.clone().into())
            .map(|(w, _)| w as i32)
            .unwrap_or(key.name.chars().count() as i32 * 9);
        let item = SWATCH + 8 + text;
        if x > 0 && x + item > width {
            rows.push(Vec::new());
            x = 0;
        }
        if let Some(row) = rows.last_mut() {
            row.push((i, x));
        }
        x += item + 28;
    }
    rows
}

/// The legend's rows laid out before the chart's height is known (it
/// depends on them): measured on a scratch drawing.
pub(super) fn legend_layout(keys: &[Key]) -> Vec<Vec<(usize, i32)>> {
    let mut scratch = String::new();
    let probe = SVGBackend::with_string(&mut scratch, SIZE).into_drawing_area();
    legend_rows(&probe, keys)
}

/// Height of the strip below the plot: the legend rows and the source line.
pub(super) fn strip_height(rows: usize) -> u32 {
    (rows as i32 * LEGEND_ROW + 14 + 22) as u32
}

/// The legend and the source line, in the strip below the plot.
pub(super) fn draw_strip<DB: DrawingBackend>(
    strip: &DrawingArea<DB, Shift>,
    keys: &[Key],
    rows: &[Vec<(usize, i32)>],
    source: &str,
) -> Result<()> {
    let font = ("sans-serif", LEGEND_FONT).into_font().color(&BLACK);
    for (r, row) in rows.iter().enumerate() {
        let y = 8 + r as i32 * LEGEND_ROW;
        for &(i, x) in row {
            let key = &keys[i];
            let x = MARGIN + x;
            let mid = y + 9;
            if key.dot {
                strip
                    .draw(&Circle::new((x + SWATCH / 2, mid), 5, key.colour.filled()))
                    .map_err(|e| fail(&e))?;
            } else if key.dashed {
                for dash in 0..3 {
                    let x0 = x + dash * 10;
                    strip
                        .draw(&Rectangle::new(
                            [(x0, mid - 1), (x0 + 6, mid + 2)],
                            key.colour.filled(),
                        ))
                        .map_err(|e| fail(&e))?;
                }
            } else {
                strip
                    .draw(&Rectangle::new(
                        [(x, mid - 2), (x + SWATCH, mid + 2)],
                        key.colour.filled(),
                    ))
                    .map_err(|e| fail(&e))?;
            }
            strip
                .draw(&Text::new(
                    key.name.clone(),
                    (x + SWATCH + 8, y),
                    font.clone(),
                ))
                .map_err(|e| fail(&e))?;
        }
    }
    let y = 8 + rows.len() as i32 * LEGEND_ROW + 4;
    strip
        .draw(&Text::new(
            source.to_string(),
            (MARGIN, y),
            ("sans-serif", 13).into_font().color(&RGBColor(85, 85, 85)),
        ))
        .map_err(|e| fail(&e))?;
    Ok(())
}

/// A dashed line between two pixel positions, drawn on `area`.
pub(super) fn dashed<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    from: (i32, i32),
    to: (i32, i32),
    colour: RGBColor,
) -> Result<()> {
    let length = (((to.0 - from.0).pow(2) + (to.1 - from.1).pow(2)) as f64).sqrt();
    let steps = (length / 10.0).floor() as i32;
    for step in 0..=steps {
        let t0 = step as f64 * 10.0 / length.max(1.0);
        let t1 = ((step as f64 * 10.0 + 6.0) / length.max(1.0)).min(1.0);
        if t0 >= 1.0 {
            break;
        }
        let at = |t: f64| {
            (
                from.0 + ((to.0 - from.0) as f64 * t).round() as i32,
                from.1 + ((to.1 - from.1) as f64 * t).round() as i32,
            )
        };
        area.draw(&PathElement::new(
            vec![at(t0), at(t1)],
            colour.stroke_width(2),
        ))
        .map_err(|e| fail(&e))?;
    }
    Ok(())
}

//! Each peer's own value in one year, the municipality highlighted: a
//! bar per place from zero (largest first), the peers' mean a dashed line.

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

/// The places of one KPI and year.
pub(crate) struct Bars<'a> {
    pub title: &'a str,
    pub unit: &'a str,
    /// (name, value, the municipality reviewed).
    pub bars: &'a [(String, f64, bool)],
    /// The peers' mean, with its name.
    pub mean: Option<(&'a str, f64)>,
    pub lang: Lang,
}

const ROW: i32 = 26;
const TOP: i32 = 56;
const LABELS: i32 = 170;
const PEER: RGBColor = RGBColor(160, 168, 180);

/// The bars as SVG.
pub(crate) fn bars_svg(chart: &Bars) -> Result<String> {
    register_font();
    let mut keys = vec![
        Key {
            name: chart
                .bars
                .iter()
                .find(|b| b.2)
                .map(|b| b.0.clone())
                .unwrap_or_default(),
            colour: colour(Role::Municipality),
            dashed: false,
            dot: false,
        },
        Key {
            name: chart.lang.words().bars_peers.to_string(),
            colour: PEER,
            dashed: false,
            dot: false,
        },
    ];
    if let Some((name, _)) = chart.mean {
        keys.push(Key {
            name: name.to_string(),
            colour: colour(Role::Peers(0)),
            dashed: true,
            dot: false,
        });
    }
    let legend = legend_layout(&keys);
    let plot = (TOP + chart.bars.len() as i32 * ROW + 30) as u32;
    let height = plot + strip_height(legend.len());
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (SIZE.0, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        let (upper, strip) = root.split_vertically(plot);
        draw(&upper, chart)?;
        draw_strip(&strip, &keys, &legend, chart.lang.words().attribution)?;
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(svg)
}

fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, chart: &Bars) -> Result<()> {
    let style = chart.lang.numbers();
    area.draw(&Text::new(
        format!("{} ({})", chart.title, chart.unit),
        (MARGIN, 14),
        ("sans-serif", 20).into_font().color(&BLACK),
    ))
    .map_err(|e| fail(&e))?;
    let values = chart.bars.iter().map(|b| b.1);
    let lo = values.clone().fold(0.0, f64::min);
    let hi = values.clone().fold(0.0, f64::max).max(lo + 1e-9);
    let places = decimals(values);
    let left = MARGIN + LABELS;
    let width = SIZE.0 as i32 - left - MARGIN - 90;
    let x = |v: f64| left + ((v - lo) / (hi - lo) * width as f64).round() as i32;
    for (i, (name, value, own)) in chart.bars.iter().enumerate() {
        let top = TOP + i as i32 * ROW;
        let fill = if *own {
            colour(Role::Municipality)
        } else {
            PEER
        };
        let (a, b) = (x(value.min(0.0)), x(value.max(0.0)));
        area.draw(&Rectangle::new(
            [(a, top + 3), (b.max(a + 1), top + ROW - 5)],
            fill.filled(),
        ))
        .map_err(|e| fail(&e))?;
        let font = ("sans-serif", 15).into_font().color(&BLACK);
        area.draw(&Text::new(name.clone(), (MARGIN, top + 5), font.clone()))
            .map_err(|e| fail(&e))?;
        area.draw(&Text::new(
            format_number(*value, places, style, false),
            (b + 6, top + 5),
            font,
        ))
        .map_err(|e| fail(&e))?;
    }
    let bottom = TOP + chart.bars.len() as i32 * ROW;
    area.draw(&PathElement::new(
        vec![(x(0.0), TOP), (x(0.0), bottom)],
        RGBColor(150, 150, 150).stroke_width(1),
    ))
    .map_err(|e| fail(&e))?;
    if let Some((_, mean)) = chart.mean {
        dashed(
            area,
            (x(mean), TOP - 6),
            (x(mean), bottom + 6),
            colour(Role::Peers(0)),
        )?;
    }
    Ok(())
}

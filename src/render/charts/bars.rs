//! Each peer's own value in one year, the municipality highlighted: a
//! bar per place from zero (largest first). With several peer groups each
//! group's bars have its own colour (a place in more than one is grey) and
//! each group's mean its own dashed line, named in the legend: never one
//! mean for two groups.

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
    pub bars: &'a [Bar],
    /// Each group's name and mean, in the groups' order.
    pub groups: &'a [(String, Option<f64>)],
    pub lang: Lang,
}

/// One place's bar.
pub(crate) struct Bar {
    pub name: String,
    pub value: f64,
    pub member: Member,
}

/// Whose bar it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Member {
    /// The municipality reviewed.
    Own,
    /// A peer of the n-th group only.
    Group(usize),
    /// A peer of more than one group.
    Several,
}

const ROW: i32 = 26;
const TOP: i32 = 56;
const LABELS: i32 = 170;
const PEER: RGBColor = RGBColor(160, 168, 180);

/// A bar's colour: the municipality's, its group's lightened, or grey.
fn fill(member: Member, groups: usize) -> RGBColor {
    match member {
        Member::Own => colour(Role::Municipality),
        Member::Group(n) if groups > 1 => {
            let RGBColor(r, g, b) = colour(Role::Peers(n));
            let light = |c: u8| ((u16::from(c) + 2 * 255) / 3) as u8;
            RGBColor(light(r), light(g), light(b))
        }
        _ => PEER,
    }
}

/// The legend: the municipality, each group's bars (one key when there is
/// one group), and each group's mean.
fn keys(chart: &Bars) -> Vec<Key> {
    let words = chart.lang.words();
    let key = |name: String, colour: RGBColor, dashed: bool| Key {
        name,
        colour,
        dashed,
        dot: false,
    };
    let own = chart.bars.iter().find(|b| b.member == Member::Own);
    let mut keys = vec![key(
        own.map(|b| b.name.clone()).unwrap_or_default(),
        colour(Role::Municipality),
        false,
    )];
    let several = chart.groups.len() > 1;
    if several {
        for (n, (name, _)) in chart.groups.iter().enumerate() {
            keys.push(key(
                name.clone(),
                fill(Member::Group(n), chart.groups.len()),
                false,
            ));
        }
        if chart.bars.iter().any(|b| b.member == Member::Several) {
            keys.push(key(words.bars_in_several.to_string(), PEER, false));
        }
    } else {
        keys.push(key(words.bars_peers.to_string(), PEER, false));
    }
    for (n, (name, mean)) in chart.groups.iter().enumerate() {
        if mean.is_some() {
            let name = format!("{}: {name}", words.mean_of);
            keys.push(key(name, colour(Role::Peers(n)), true));
        }
    }
    keys
}

/// A bar's value on a white ground.
fn value_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: String,
    (x, y): (i32, i32),
) -> Result<()> {
    let font = ("sans-serif", 15).into_font().color(&BLACK);
    let (w, h) = area
        .estimate_text_size(&text, &font)
        .map_err(|e| fail(&e))?;
    area.draw(&Rectangle::new(
        [(x - 2, y - 1), (x + w as i32 + 2, y + h as i32 + 1)],
        WHITE.filled(),
    ))
    .map_err(|e| fail(&e))?;
    area.draw(&Text::new(text, (x, y), font))
        .map_err(|e| fail(&e))?;
    Ok(())
}

/// The bars as SVG.
pub(crate) fn bars_svg(chart: &Bars) -> Result<String> {
    register_font();
    let keys = keys(chart);
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
    let values = chart.bars.iter().map(|b| b.value);
    let lo = values.clone().fold(0.0, f64::min);
    let hi = values.clone().fold(0.0, f64::max).max(lo + 1e-9);
    let places = decimals(values);
    let left = MARGIN + LABELS;
    let width = SIZE.0 as i32 - left - MARGIN - 90;
    let x = |v: f64| left + ((v - lo) / (hi - lo) * width as f64).round() as i32;
    for (i, bar) in chart.bars.iter().enumerate() {
        let top = TOP + i as i32 * ROW;
        let (a, b) = (x(bar.value.min(0.0)), x(bar.value.max(0.0)));
        area.draw(&Rectangle::new(
            [(a, top + 3), (b.max(a + 1), top + ROW - 5)],
            fill(bar.member, chart.groups.len()).filled(),
        ))
        .map_err(|e| fail(&e))?;
        let font = ("sans-serif", 15).into_font().color(&BLACK);
        area.draw(&Text::new(bar.name.clone(), (MARGIN, top + 5), font))
            .map_err(|e| fail(&e))?;
    }
    let bottom = TOP + chart.bars.len() as i32 * ROW;
    area.draw(&PathElement::new(
        vec![(x(0.0), TOP), (x(0.0), bottom)],
        RGBColor(150, 150, 150).stroke_width(1),
    ))
    .map_err(|e| fail(&e))?;
    for (n, (_, mean)) in chart.groups.iter().enumerate() {
        if let Some(mean) = mean {
            dashed(
                area,
                (x(*mean), TOP - 6),
                (x(*mean), bottom + 6),
                colour(Role::Peers(n)),
            )?;
        }
    }
    // Values last, on white, so a mean's line never crosses a number.
    for (i, bar) in chart.bars.iter().enumerate() {
        let text = format_number(bar.value, places, style, false);
        let at = (x(bar.value.max(0.0)) + 6, TOP + i as i32 * ROW + 5);
        value_label(area, text, at)?;
    }
    Ok(())
}

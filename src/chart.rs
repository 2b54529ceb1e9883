//! Line charts as SVG or PNG (plotters), text set in the bundled DejaVu Sans
//! so a chart looks the same on every machine.

use std::sync::Once;

use anyhow::{anyhow, Result};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::view::number;

/// Axis labels with the same decimals all along: as many as the range needs.
fn axis_number(value: f64, range: f64) -> String {
    if range >= 50.0 {
        number(value.round())
    } else {
        let decimals = if range >= 5.0 { 1 } else { 2 };
        format!("{value:.decimals$}")
    }
}

static FONT: Once = Once::new();
const DEJAVU_SANS: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    Svg,
    Png,
}

pub struct Series {
    pub name: String,
    /// (year, value); years without a value are left out.
    pub points: Vec<(i32, f64)>,
}

const SIZE: (u32, u32) = (960, 540);
const COLOURS: [RGBColor; 4] = [
    RGBColor(0, 94, 184),
    RGBColor(230, 97, 1),
    RGBColor(90, 90, 90),
    RGBColor(26, 133, 80),
];

/// The chart's bytes in the format asked for.
pub fn line_chart(
    title: &str,
    y_label: &str,
    series: &[Series],
    format: ChartFormat,
) -> Result<Vec<u8>> {
    FONT.call_once(|| {
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS);
    });
    match format {
        ChartFormat::Svg => {
            let mut svg = String::new();
            draw(
                SVGBackend::with_string(&mut svg, SIZE).into_drawing_area(),
                title,
                y_label,
                series,
            )?;
            Ok(svg.into_bytes())
        }
        ChartFormat::Png => {
            let mut pixels = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
            draw(
                BitMapBackend::with_buffer(&mut pixels, SIZE).into_drawing_area(),
                title,
                y_label,
                series,
            )?;
            let mut png = Vec::new();
            let mut encoder = png::Encoder::new(&mut png, SIZE.0, SIZE.1);
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            encoder.write_header()?.write_image_data(&pixels)?;
            Ok(png)
        }
    }
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    title: &str,
    y_label: &str,
    series: &[Series],
) -> Result<()> {
    let fail = |e: &dyn std::fmt::Display| anyhow!("cannot draw the chart: {e}");
    let points: Vec<(i32, f64)> = series
        .iter()
        .flat_map(|s| s.points.iter().copied())
        .collect();
    if points.is_empty() {
        return Err(crate::error::not_found(
            "no figures to draw for these years",
        ));
    }
    let (x_min, x_max) = points
        .iter()
        .fold((i32::MAX, i32::MIN), |(lo, hi), (x, _)| {
            (lo.min(*x), hi.max(*x))
        });
    let (y_min, y_max) = points
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), (_, y)| {
            (lo.min(*y), hi.max(*y))
        });
    let pad = ((y_max - y_min) * 0.08).max(y_max.abs() * 0.02).max(1e-9);
    let (x_min, x_max) = if x_min == x_max {
        (x_min - 1, x_max + 1)
    } else {
        (x_min, x_max)
    };

    root.fill(&WHITE).map_err(|e| fail(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 22))
        .margin(18)
        .x_label_area_size(40)
        .y_label_area_size(90)
        .build_cartesian_2d(x_min..x_max, (y_min - pad)..(y_max + pad))
        .map_err(|e| fail(&e))?;
    chart
        .configure_mesh()
        .x_labels((x_max - x_min + 1).min(12) as usize)
        .x_label_formatter(&|year| year.to_string())
        .y_label_formatter(&|v| axis_number(*v, y_max - y_min))
        .y_desc(y_label)
        .label_style(("sans-serif", 15))
        .draw()
        .map_err(|e| fail(&e))?;
    for (i, s) in series.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        chart
            .draw_series(LineSeries::new(
                s.points.iter().copied(),
                colour.stroke_width(3),
            ))
            .map_err(|e| fail(&e))?
            .label(s.name.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(3))
            });
        chart
            .draw_series(
                s.points
                    .iter()
                    .map(|&(x, y)| Circle::new((x, y), 4, colour.filled())),
            )
            .map_err(|e| fail(&e))?;
    }
    chart
        .configure_series_labels()
        .label_font(("sans-serif", 15))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .map_err(|e| fail(&e))?;
    root.present().map_err(|e| fail(&e))?;
    Ok(())
}

/// A scatter of every municipality (grey) with some named and highlighted:
/// for cost (x) against quality (y).
pub fn scatter(
    title: &str,
    x_label: &str,
    y_label: &str,
    everybody: &[(f64, f64)],
    highlighted: &[(String, f64, f64)],
) -> Result<Vec<u8>> {
    FONT.call_once(|| {
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS);
    });
    if everybody.is_empty() {
        return Err(crate::error::not_found(
            "no municipality has both figures for this year",
        ));
    }
    let fail = |e: &dyn std::fmt::Display| anyhow!("cannot draw the chart: {e}");
    let (x_min, x_max) = everybody
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), (x, _)| {
            (lo.min(*x), hi.max(*x))
        });
    let (y_min, y_max) = everybody
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), (_, y)| {
            (lo.min(*y), hi.max(*y))
        });
    let (px, py) = (
        ((x_max - x_min) * 0.05).max(1e-9),
        ((y_max - y_min) * 0.05).max(1e-9),
    );
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 22))
            .margin(18)
            .x_label_area_size(44)
            .y_label_area_size(70)
            .build_cartesian_2d((x_min - px)..(x_max + px), (y_min - py)..(y_max + py))
            .map_err(|e| fail(&e))?;
        chart
            .configure_mesh()
            .x_desc(x_label)
            .y_desc(y_label)
            .x_label_formatter(&|v| axis_number(*v, x_max - x_min))
            .y_label_formatter(&|v| axis_number(*v, y_max - y_min))
            .label_style(("sans-serif", 14))
            .draw()
            .map_err(|e| fail(&e))?;
        let grey = RGBColor(170, 170, 170);
        chart
            .draw_series(
                everybody
                    .iter()
                    .map(|&(x, y)| Circle::new((x, y), 3, grey.filled())),
            )
            .map_err(|e| fail(&e))?;
        for (i, (name, x, y)) in highlighted.iter().enumerate() {
            let colour = if i == 0 { COLOURS[0] } else { COLOURS[1] };
            chart
                .draw_series(std::iter::once(Circle::new((*x, *y), 6, colour.filled())))
                .map_err(|e| fail(&e))?;
            chart
                .draw_series(std::iter::once(Text::new(
                    name.clone(),
                    (*x, *y),
                    ("sans-serif", 13).into_font().color(&BLACK),
                )))
                .map_err(|e| fail(&e))?;
        }
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(svg.into_bytes())
}

//! Line charts: one KPI over the years, each series cut at a break in
//! the method, the break a dashed vertical line.

use anyhow::Result;
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::canvas::{
    axis_number, colour, dashed, draw_strip, fail, legend_rows, register_font, strip_height,
    ChartFormat, Key, Role, MARGIN, SIZE,
};
use crate::analysis::kpi::KpiPlan;
use crate::base::error;
use crate::document::review::peers_title;
use crate::model::lang::Lang;
use crate::model::peers::Peers;
use crate::model::scale::Scale;

struct Series {
    pub name: String,
    pub role: Role,
    /// (year, value); years without a value are left out.
    pub points: Vec<(i32, f64)>,
}

/// One KPI over the years.
struct LineChart<'a> {
    pub title: &'a str,
    /// The unit, on the y axis.
    pub unit: &'a str,
    pub series: &'a [Series],
    /// First years of a new method.
    pub breaks: &'a [i32],
    /// The attribution under the chart.
    pub source: &'a str,
    /// A level (an amount, a share, a total): the axis from zero.
    pub from_zero: bool,
    pub lang: Lang,
}

/// The chart's bytes in the format asked for.
fn line_chart(chart: &LineChart, format: ChartFormat) -> Result<Vec<u8>> {
    register_font();
    match format {
        ChartFormat::Svg => {
            let mut svg = String::new();
            draw_lines(
                SVGBackend::with_string(&mut svg, SIZE).into_drawing_area(),
                chart,
            )?;
            Ok(svg.into_bytes())
        }
        ChartFormat::Png => {
            let mut pixels = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
            draw_lines(
                BitMapBackend::with_buffer(&mut pixels, SIZE).into_drawing_area(),
                chart,
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

/// The points of a series cut where a new method starts and where a year
/// has no figure (a survey not run that year), so no line crosses a
/// break or suggests a figure nobody measured.
pub(super) fn segments(points: &[(i32, f64)], breaks: &[i32]) -> Vec<Vec<(i32, f64)>> {
    let mut out: Vec<Vec<(i32, f64)>> = Vec::new();
    let mut previous: Option<i32> = None;
    for &(x, y) in points {
        let crosses =
            previous.is_some_and(|p| x - p > 1 || breaks.iter().any(|&b| p < b && b <= x));
        match out.last_mut() {
            Some(segment) if !crosses => segment.push((x, y)),
            _ => out.push(vec![(x, y)]),
        }
        previous = Some(x);
    }
    out
}

/// The extent of a chart's points, with room around the values.
#[derive(Clone, Copy)]
pub(super) struct Extent {
    pub x_min: i32,
    pub x_max: i32,
    pub y_min: f64,
    pub y_max: f64,
    pub pad: f64,
    /// The axis starts at zero.
    pub zero: bool,
}

impl Extent {
    /// A level's axis from zero, where every figure is above it, so a gap
    /// is drawn at its true size (N20007 from 49 000 made a 20 % gap look
    /// like half the chart).
    pub(super) fn reaching_zero(self) -> Extent {
        if self.y_min < 0.0 {
            return self;
        }
        Extent {
            y_min: 0.0,
            pad: (self.y_max * 0.08).max(1e-9),
            zero: true,
            ..self
        }
    }

    /// The y axis: from zero, or with room below the lowest figure.
    pub(super) fn y_range(&self) -> std::ops::Range<f64> {
        let bottom = if self.zero {
            0.0
        } else {
            self.y_min - self.pad
        };
        bottom..self.y_max + self.pad
    }

    pub(super) fn of(points: &[(i32, f64)]) -> Extent {
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
        Extent {
            x_min,
            x_max,
            y_min,
            y_max,
            pad,
            zero: false,
        }
    }
}

type LinePlot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordi32, RangedCoordf64>>;

fn draw_lines<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, chart: &LineChart) -> Result<()> {
    let points: Vec<(i32, f64)> = chart
        .series
        .iter()
        .flat_map(|s| s.points.iter().copied())
        .collect();
    if points.is_empty() {
        return Err(error::not_found("no figures to draw for these years"));
    }
    let extent = if chart.from_zero {
        Extent::of(&points).reaching_zero()
    } else {
        Extent::of(&points)
    };
    let keys: Vec<Key> = chart
        .series
        .iter()
        .filter(|s| !s.points.is_empty())
        .map(|s| Key {
            name: s.name.clone(),
            colour: colour(s.role),
            dashed: s.role == Role::Median,
            dot: false,
        })
        .collect();
    root.fill(&WHITE).map_err(|e| fail(&e))?;
    let rows = legend_rows(&root, &keys);
    let (upper, strip) = root.split_vertically(SIZE.1 - strip_height(rows.len()));
    let Extent {
        x_min,
        x_max,
        y_min,
        y_max,
        ..
    } = extent;
    let lang = chart.lang;
    let mut plot = ChartBuilder::on(&upper)
        .caption(chart.title, ("sans-serif", 22))
        .margin(MARGIN as u32)
        .x_label_area_size(36)
        .y_label_area_size(92)
        .build_cartesian_2d(x_min..x_max, extent.y_range())
        .map_err(|e| fail(&e))?;
    plot.configure_mesh()
        .x_labels((x_max - x_min + 1).min(12) as usize)
        .x_label_formatter(&|year| year.to_string())
        .y_label_formatter(&|v| axis_number(*v, y_max - y_min, lang))
        .y_desc(chart.unit)
        .label_style(("sans-serif", 15))
        .draw()
        .map_err(|e| fail(&e))?;
    draw_series(&mut plot, chart)?;
    draw_breaks(&root, &plot, chart, extent)?;
    draw_strip(&strip, &keys, &rows, chart.source)?;
    root.present().map_err(|e| fail(&e))?;
    Ok(())
}

/// Each series as lines cut at the breaks (the median dashed), with a dot per year.
fn draw_series<DB: DrawingBackend>(plot: &mut LinePlot<DB>, chart: &LineChart) -> Result<()> {
    for s in chart.series {
        let colour = colour(s.role);
        for segment in segments(&s.points, chart.breaks) {
            if s.role == Role::Median {
                plot.draw_series(DashedLineSeries::new(
                    segment.clone(),
                    8,
                    5,
                    colour.stroke_width(2),
                ))
                .map_err(|e| fail(&e))?;
            } else {
                plot.draw_series(LineSeries::new(segment.clone(), colour.stroke_width(3)))
                    .map_err(|e| fail(&e))?;
            }
        }
        plot.draw_series(
            s.points
                .iter()
                .map(|&(x, y)| Circle::new((x, y), 4, colour.filled())),
        )
        .map_err(|e| fail(&e))?;
    }
    Ok(())
}

/// A break: a dashed line between the last year of the old method and the
/// first of the new, named.
fn draw_breaks<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: &LinePlot<DB>,
    chart: &LineChart,
    extent: Extent,
) -> Result<()> {
    let grey = RGBColor(110, 110, 110);
    let breaks = chart
        .breaks
        .iter()
        .filter(|&&b| b > extent.x_min && b <= extent.x_max);
    for &year in breaks {
        let left = plot.backend_coord(&(year - 1, extent.y_max + extent.pad));
        let right = plot.backend_coord(&(year, extent.y_min - extent.pad));
        let x = (left.0 + right.0) / 2;
        dashed(root, (x, left.1), (x, right.1), grey)?;
        root.draw(&Text::new(
            chart.lang.words().break_mark.to_string(),
            (x + 5, left.1 + 4),
            ("sans-serif", 13).into_font().color(&grey),
        ))
        .map_err(|e| fail(&e))?;
    }
    Ok(())
}

/// The trend chart of one KPI: the municipality, each peer group's mean,
/// the national median; `None` for a category (its codes are no line). A
/// total (which grows with size) is drawn alone: a mean or median of
/// totals compares sizes, not performance.
/// `region`: the subject is a region, so the median is the regions'.
#[allow(clippy::too_many_arguments)]
pub(crate) fn kpi_trend(
    kpi: &KpiPlan,
    municipality: &str,
    region: bool,
    peers: &[(&Peers, Vec<(i32, f64)>)],
    own: Vec<(i32, f64)>,
    median: Vec<(i32, f64)>,
    lang: Lang,
    format: ChartFormat,
) -> Result<Option<Vec<u8>>> {
    if kpi.scale == Scale::Category {
        return Ok(None);
    }
    let words = lang.words();
    let mut series = vec![Series {
        name: municipality.to_string(),
        role: Role::Municipality,
        points: own,
    }];
    let total = kpi.scale == Scale::Total;
    for (n, (group, points)) in peers.iter().enumerate().filter(|_| !total) {
        series.push(Series {
            name: format!("{}: {}", words.mean_of, peers_title(group, words)),
            role: Role::Peers(n),
            points: points.clone(),
        });
    }
    series.push(Series {
        name: if region {
            words.median_regions
        } else {
            words.median_all
        }
        .to_string(),
        role: Role::Median,
        points: if total { Vec::new() } else { median },
    });
    if series.iter().all(|s| s.points.is_empty()) {
        return Ok(None);
    }
    let unit = if kpi.unit.is_empty() {
        kpi.title.rsplit(", ").next().unwrap_or("").to_string()
    } else {
        kpi.unit.clone()
    };
    let title = format!("{} {}", kpi.id, kpi.label_in(lang));
    Ok(Some(line_chart(
        &LineChart {
            title: &title,
            unit: &unit,
            series: &series,
            breaks: &kpi.breaks,
            source: words.attribution,
            from_zero: kpi.scale != Scale::Signed,
            lang,
        },
        format,
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_are_cut_at_breaks() {
        let points = [(2017, 1.0), (2018, 2.0), (2019, 3.0), (2020, 4.0)];
        assert_eq!(segments(&points, &[2019]).len(), 2);
        assert_eq!(
            segments(&points, &[2019])[1],
            vec![(2019, 3.0), (2020, 4.0)]
        );
        assert_eq!(segments(&points, &[]).len(), 1);
        // A gap year across the break still breaks the line.
        assert_eq!(segments(&[(2017, 1.0), (2020, 2.0)], &[2019]).len(), 2);
        // No line across a year without a figure (a survey every other year).
        assert_eq!(
            segments(&[(2018, 1.0), (2020, 2.0), (2021, 3.0)], &[]).len(),
            2
        );
    }
}

//! Small multiples for a network: one panel per member with its own line
//! against the other members' mean and the national median, on one shared
//! scale so panels compare; a method break is a dashed vertical line the
//! lines do not cross.

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::canvas::{
    axis_number, colour, dashed, draw_strip, fail, legend_layout, register_font, strip_height, Key,
    Role, MARGIN, SIZE,
};
use super::lines::{segments, Extent};
use crate::model::lang::Lang;

/// One member's panel.
pub(crate) struct Panel {
    pub name: String,
    pub own: Vec<(i32, f64)>,
    /// The other members' mean, per year (none for a total).
    pub others: Vec<(i32, f64)>,
}

/// Every member of a network for one KPI.
pub(crate) struct Panels<'a> {
    pub title: &'a str,
    pub unit: &'a str,
    pub panels: &'a [Panel],
    /// The national median, the same in every panel.
    pub median: &'a [(i32, f64)],
    pub breaks: &'a [i32],
    /// A level (an amount, a share, a total): the axis from zero.
    pub from_zero: bool,
    pub lang: Lang,
}

const COLUMNS: usize = 5;
const PANEL_HEIGHT: u32 = 150;
const TITLE: u32 = 44;

/// The panels as SVG.
pub(crate) fn panels_svg(chart: &Panels) -> Result<String> {
    register_font();
    let words = chart.lang.words();
    let keys = vec![
        Key {
            name: words.panels_member.to_string(),
            colour: colour(Role::Municipality),
            dashed: false,
            dot: false,
        },
        Key {
            name: words.mean_of_others.to_string(),
            colour: colour(Role::Peers(0)),
            dashed: false,
            dot: false,
        },
        Key {
            name: words.median_all.to_string(),
            colour: colour(Role::Median),
            dashed: true,
            dot: false,
        },
    ];
    let legend = legend_layout(&keys);
    let rows = chart.panels.len().div_ceil(COLUMNS).max(1) as u32;
    let plot = TITLE + rows * PANEL_HEIGHT;
    let height = plot + strip_height(legend.len());
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (SIZE.0, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        let (upper, strip) = root.split_vertically(plot);
        let (head, grid) = upper.split_vertically(TITLE);
        head.draw(&Text::new(
            format!("{} ({})", chart.title, chart.unit),
            (MARGIN, 12),
            ("sans-serif", 20).into_font().color(&BLACK),
        ))
        .map_err(|e| fail(&e))?;
        let extent = extent(chart);
        let areas = grid.split_evenly((rows as usize, COLUMNS));
        for (panel, area) in chart.panels.iter().zip(&areas) {
            draw_panel(area, panel, chart, extent)?;
        }
        draw_strip(&strip, &keys, &legend, words.attribution)?;
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(svg)
}

/// One scale for every panel: all members, means and the median.
fn extent(chart: &Panels) -> Extent {
    let points: Vec<(i32, f64)> = chart
        .panels
        .iter()
        .flat_map(|p| p.own.iter().chain(&p.others))
        .chain(chart.median)
        .copied()
        .collect();
    if chart.from_zero {
        Extent::of(&points).reaching_zero()
    } else {
        Extent::of(&points)
    }
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    chart: &Panels,
    extent: Extent,
) -> Result<()> {
    let lang = chart.lang;
    let mut plot = ChartBuilder::on(area)
        .caption(&panel.name, ("sans-serif", 14))
        .margin(6)
        .x_label_area_size(18)
        .y_label_area_size(44)
        .build_cartesian_2d(extent.x_min..extent.x_max, extent.y_range())
        .map_err(|e| fail(&e))?;
    let range = extent.y_max - extent.y_min;
    plot.configure_mesh()
        .x_labels(3)
        .y_labels(3)
        .x_label_formatter(&|year| year.to_string())
        .y_label_formatter(&|v| axis_number(*v, range, lang))
        .label_style(("sans-serif", 11))
        .light_line_style(WHITE)
        .draw()
        .map_err(|e| fail(&e))?;
    let median = colour(Role::Median);
    for segment in segments(chart.median, chart.breaks) {
        plot.draw_series(DashedLineSeries::new(segment, 5, 4, median.stroke_width(1)))
            .map_err(|e| fail(&e))?;
    }
    for (points, role) in [
        (&panel.others, Role::Peers(0)),
        (&panel.own, Role::Municipality),
    ] {
        let colour = colour(role);
        for segment in segments(points, chart.breaks) {
            plot.draw_series(LineSeries::new(segment, colour.stroke_width(2)))
                .map_err(|e| fail(&e))?;
        }
    }
    for &year in chart
        .breaks
        .iter()
        .filter(|&&b| b > extent.x_min && b <= extent.x_max)
    {
        let top = plot.backend_coord(&(year - 1, extent.y_max + extent.pad));
        let bottom = plot.backend_coord(&(year, extent.y_min - extent.pad));
        let x = (top.0 + bottom.0) / 2;
        let base = area.get_base_pixel();
        dashed(
            area,
            (x - base.0, top.1 - base.1),
            (x - base.0, bottom.1 - base.1),
            RGBColor(150, 150, 150),
        )?;
    }
    Ok(())
}

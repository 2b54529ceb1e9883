//! The cost-vs-quality scatter: everybody as grey dots, the reviewed
//! municipalities named with labels that do not collide, the peers'
//! medians dividing the quadrants.

use anyhow::Result;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::canvas::{
    axis_number, colour, dashed, draw_strip, fail, legend_rows, register_font, strip_height, Key,
    Role, MARGIN, SIZE,
};
use crate::base::error;
use crate::model::lang::Lang;

/// Every municipality by cost (x) and quality (y), some named.
pub(crate) struct Scatter<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// Everybody with both figures.
    pub everybody: &'a [(f64, f64)],
    /// The reviewed municipalities: name, x, y, role.
    pub named: &'a [(String, f64, f64, Role)],
    /// The peers' medians (x, y): dashed lines dividing the quadrants.
    pub medians: Option<(f64, f64)>,
    /// Top left, top right, bottom left, bottom right.
    pub quadrants: Option<[String; 4]>,
    /// The legend: names and roles (the median's key is a dashed line).
    pub legend: &'a [(String, Role)],
    pub source: &'a str,
    pub lang: Lang,
}

/// A label's box in pixels: left, top, right, bottom.
type BoxPx = (i32, i32, i32, i32);

fn overlap(a: BoxPx, b: BoxPx) -> i32 {
    let w = (a.2.min(b.2) - a.0.max(b.0)).max(0);
    let h = (a.3.min(b.3) - a.1.max(b.1)).max(0);
    w * h
}

/// Where each label goes: the first place around its point that overlaps
/// no other label, no named point and stays inside `bounds`; failing that,
/// the place that overlaps least, farther out with a leader line.
fn place_labels(
    points: &[(i32, i32)],
    sizes: &[(i32, i32)],
    occupied: &[BoxPx],
    bounds: BoxPx,
) -> Vec<BoxPx> {
    let mut placed: Vec<BoxPx> = Vec::new();
    let markers: Vec<BoxPx> = points
        .iter()
        .map(|&(x, y)| (x - 7, y - 7, x + 7, y + 7))
        .collect();
    for (i, (&(x, y), &(w, h))) in points.iter().zip(sizes).enumerate() {
        let mut best: Option<(i32, BoxPx)> = None;
        'search: for ring in 1..=6 {
            let r = 8 * ring;
            let candidates = [
                (x + r, y - h / 2),
                (x - r - w, y - h / 2),
                (x - w / 2, y - r - h),
                (x - w / 2, y + r),
                (x + r, y - r - h / 2),
                (x + r, y + r - h / 2),
                (x - r - w, y - r - h / 2),
                (x - r - w, y + r - h / 2),
            ];
            for (left, top) in candidates {
                let candidate = (left, top, left + w, top + h);
                let inside = candidate.0 >= bounds.0
                    && candidate.1 >= bounds.1
                    && candidate.2 <= bounds.2
                    && candidate.3 <= bounds.3;
                let cost: i32 = placed
                    .iter()
                    .chain(occupied)
                    .chain(
                        markers
                            .iter()
                            .enumerate()
                            .filter(|(j, _)| *j != i)
                            .map(|(_, m)| m),
                    )
                    .map(|b| overlap(candidate, *b))
                    .sum::<i32>()
                    + if inside { 0 } else { w * h };
                if best.is_none_or(|(c, _)| cost < c) {
                    best = Some((cost, candidate));
                }
                if cost == 0 {
                    break 'search;
                }
            }
        }
        // Every ring has candidates, so there is a best one; its own spot otherwise.
        placed.push(best.map_or((x, y, x + w, y + h), |(_, b)| b));
    }
    placed
}

/// The plotted area: the points' extent with room around it.
#[derive(Clone, Copy)]
struct Extent {
    x_min: f64,
    x_max: f64,
    y_min: f64,
    y_max: f64,
    px: f64,
    py: f64,
}

impl Extent {
    fn of(points: &[(f64, f64)]) -> Extent {
        let (x_min, x_max) = points
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), (x, _)| {
                (lo.min(*x), hi.max(*x))
            });
        let (y_min, y_max) = points
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), (_, y)| {
                (lo.min(*y), hi.max(*y))
            });
        Extent {
            x_min,
            x_max,
            y_min,
            y_max,
            px: ((x_max - x_min) * 0.05).max(1e-9),
            py: ((y_max - y_min) * 0.08).max(1e-9),
        }
    }
}

type ScatterPlot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

pub(crate) fn scatter(chart: &Scatter) -> Result<Vec<u8>> {
    register_font();
    if chart.everybody.is_empty() {
        return Err(error::not_found(
            "no municipality has both figures for this year",
        ));
    }
    let extent = Extent::of(chart.everybody);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw_scatter(&root, chart, extent)?;
    }
    Ok(svg.into_bytes())
}

fn draw_scatter<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Scatter,
    e: Extent,
) -> Result<()> {
    root.fill(&WHITE).map_err(|e| fail(&e))?;
    let keys: Vec<Key> = chart
        .legend
        .iter()
        .map(|(name, role)| Key {
            name: name.clone(),
            colour: colour(*role),
            dashed: *role == Role::Median,
            dot: *role != Role::Median,
        })
        .collect();
    let rows = legend_rows(root, &keys);
    let (upper, strip) = root.split_vertically(SIZE.1 - strip_height(rows.len()));
    let lang = chart.lang;
    let mut plot = ChartBuilder::on(&upper)
        .caption(chart.title, ("sans-serif", 22))
        .margin(MARGIN as u32)
        .x_label_area_size(48)
        .y_label_area_size(80)
        .build_cartesian_2d(
            (e.x_min - e.px)..(e.x_max + e.px),
            (e.y_min - e.py)..(e.y_max + e.py),
        )
        .map_err(|e| fail(&e))?;
    plot.configure_mesh()
        .x_desc(chart.x_label)
        .y_desc(chart.y_label)
        .x_label_formatter(&|v| axis_number(*v, e.x_max - e.x_min, lang))
        .y_label_formatter(&|v| axis_number(*v, e.y_max - e.y_min, lang))
        .label_style(("sans-serif", 14))
        .draw()
        .map_err(|e| fail(&e))?;
    plot.draw_series(
        chart
            .everybody
            .iter()
            .map(|&(x, y)| Circle::new((x, y), 3, colour(Role::Others).filled())),
    )
    .map_err(|e| fail(&e))?;
    let top_left = plot.backend_coord(&(e.x_min - e.px, e.y_max + e.py));
    let bottom_right = plot.backend_coord(&(e.x_max + e.px, e.y_min - e.py));
    let bounds = (top_left.0, top_left.1, bottom_right.0, bottom_right.1);
    if let Some((mx, my)) = chart.medians {
        let grey = colour(Role::Median);
        let top = plot.backend_coord(&(mx, e.y_max + e.py));
        let bottom = plot.backend_coord(&(mx, e.y_min - e.py));
        dashed(root, top, bottom, grey)?;
        let left = plot.backend_coord(&(e.x_min - e.px, my));
        let right = plot.backend_coord(&(e.x_max + e.px, my));
        dashed(root, left, right, grey)?;
    }
    let occupied = quadrant_names(root, chart, bounds)?;
    name_points(root, &mut plot, chart, &occupied, bounds)?;
    draw_strip(&strip, &keys, &rows, chart.source)?;
    root.present().map_err(|e| fail(&e))?;
    Ok(())
}

/// Quadrant names in the corners; where they stand, for the labels to avoid.
fn quadrant_names<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Scatter,
    bounds: BoxPx,
) -> Result<Vec<BoxPx>> {
    let mut occupied: Vec<BoxPx> = Vec::new();
    let (Some(names), Some(_)) = (&chart.quadrants, chart.medians) else {
        return Ok(occupied);
    };
    let font = ("sans-serif", 13)
        .into_font()
        .color(&RGBColor(110, 110, 110));
    for (i, name) in names.iter().enumerate() {
        let (w, h) = root
            .estimate_text_size(name, &font.clone())
            .map(|(w, h)| (w as i32, h as i32))
            .unwrap_or((name.chars().count() as i32 * 8, 14));
        let left = if i % 2 == 0 {
            bounds.0 + 6
        } else {
            bounds.2 - 6 - w
        };
        let top = if i < 2 {
            bounds.1 + 4
        } else {
            bounds.3 - 4 - h
        };
        occupied.push((left, top, left + w, top + h));
        root.draw(&Text::new(name.to_string(), (left, top), font.clone()))
            .map_err(|e| fail(&e))?;
    }
    Ok(occupied)
}

/// The reviewed municipalities' dots and names, a leader line to a name
/// placed farther out.
fn name_points<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: &mut ScatterPlot<DB>,
    chart: &Scatter,
    occupied: &[BoxPx],
    bounds: BoxPx,
) -> Result<()> {
    let label_font = ("sans-serif", 14).into_font().color(&BLACK);
    let mut pixels = Vec::new();
    let mut sizes = Vec::new();
    for (name, x, y, role) in chart.named {
        plot.draw_series(std::iter::once(Circle::new(
            (*x, *y),
            if *role == Role::Municipality { 7 } else { 5 },
            colour(*role).filled(),
        )))
        .map_err(|e| fail(&e))?;
        pixels.push(plot.backend_coord(&(*x, *y)));
        sizes.push(
            root.estimate_text_size(name, &label_font.clone())
                .map(|(w, h)| (w as i32 + 2, h as i32 + 2))
                .unwrap_or((name.chars().count() as i32 * 9, 16)),
        );
    }
    let boxes = place_labels(&pixels, &sizes, occupied, bounds);
    for (((name, ..), &(px, py)), b) in chart.named.iter().zip(&pixels).zip(&boxes) {
        let near = b.0 <= px + 40 && b.2 >= px - 40 && b.1 <= py + 30 && b.3 >= py - 30;
        if !near {
            let to = ((b.0 + b.2) / 2, if b.3 < py { b.3 } else { b.1 });
            root.draw(&PathElement::new(
                vec![(px, py), to],
                RGBColor(120, 120, 120),
            ))
            .map_err(|e| fail(&e))?;
        }
        root.draw(&Text::new(
            name.clone(),
            (b.0 + 1, b.1 + 1),
            label_font.clone(),
        ))
        .map_err(|e| fail(&e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_do_not_collide() {
        // Five points nearly on top of each other.
        let points = [(400, 300), (404, 302), (398, 305), (402, 298), (401, 301)];
        let sizes = [(80, 16); 5];
        let boxes = place_labels(&points, &sizes, &[], (0, 0, 960, 540));
        for i in 0..boxes.len() {
            for j in i + 1..boxes.len() {
                assert_eq!(overlap(boxes[i], boxes[j]), 0, "{i} and {j}");
            }
        }
    }
}

//! Charts as SVG or PNG (plotters), text set in the bundled DejaVu Sans so
//! a chart looks the same on every machine.
//!
//! Every chart keeps its legend and the source line below the plot, so
//! neither covers a figure; the municipality, its peers and the national
//! median have the same colours in every chart; a break in a series (a new
//! method) is a dashed vertical line the series do not cross.

use std::sync::Once;

use anyhow::{anyhow, Result};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::i18n::{format_number, Lang};

static FONT: Once = Once::new();
const DEJAVU_SANS: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

fn register_font() {
    FONT.call_once(|| {
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS);
    });
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    Svg,
    Png,
}

/// Who a series or a point stands for; it decides the colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Municipality,
    /// The n-th peer group (0 = the first).
    Peers(usize),
    /// The national median.
    Median,
    /// Everybody else (grey dots in a scatter).
    Others,
}

/// The one palette of every chart.
pub fn colour(role: Role) -> RGBColor {
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

/// CSS colour of a role, for HTML keys that match the charts.
pub fn css_colour(role: Role) -> String {
    let RGBColor(r, g, b) = colour(role);
    format!("#{r:02x}{g:02x}{b:02x}")
}

pub struct Series {
    pub name: String,
    pub role: Role,
    /// (year, value); years without a value are left out.
    pub points: Vec<(i32, f64)>,
}

/// One KPI over the years.
pub struct LineChart<'a> {
    pub title: &'a str,
    /// The unit, on the y axis.
    pub unit: &'a str,
    pub series: &'a [Series],
    /// First years of a new method.
    pub breaks: &'a [i32],
    /// The attribution under the chart.
    pub source: &'a str,
    pub lang: Lang,
}

const SIZE: (u32, u32) = (960, 540);
const MARGIN: i32 = 18;
const LEGEND_FONT: u32 = 15;
const LEGEND_ROW: i32 = 24;
const SWATCH: i32 = 26;

/// Numbers on an axis: the same decimals all along, as many as the range needs.
fn axis_number(value: f64, range: f64, lang: Lang) -> String {
    let decimals = if range >= 50.0 {
        0
    } else if range >= 5.0 {
        1
    } else {
        2
    };
    format_number(value, decimals, lang.numbers(), false)
}

/// The chart's bytes in the format asked for.
pub fn line_chart(chart: &LineChart, format: ChartFormat) -> Result<Vec<u8>> {
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

fn fail(e: &dyn std::fmt::Display) -> anyhow::Error {
    anyhow!("cannot draw the chart: {e}")
}

/// A legend entry: its name and how its swatch is drawn.
struct Key {
    name: String,
    colour: RGBColor,
    dashed: bool,
    dot: bool,
}

/// Lay out the keys in rows across the chart's width; their height.
fn legend_rows<DB: DrawingBackend>(
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
        rows.last_mut().expect("a row").push((i, x));
        x += item + 28;
    }
    rows
}

/// Height of the strip below the plot: the legend rows and the source line.
fn strip_height(rows: usize) -> u32 {
    (rows as i32 * LEGEND_ROW + 14 + 22) as u32
}

/// The legend and the source line, in the strip below the plot.
fn draw_strip<DB: DrawingBackend>(
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

/// The points of a series cut where a new method starts, so no line
/// crosses a break.
fn segments(points: &[(i32, f64)], breaks: &[i32]) -> Vec<Vec<(i32, f64)>> {
    let mut out: Vec<Vec<(i32, f64)>> = Vec::new();
    let mut previous: Option<i32> = None;
    for &(x, y) in points {
        let crosses = previous.is_some_and(|p| breaks.iter().any(|&b| p < b && b <= x));
        if out.is_empty() || crosses {
            out.push(Vec::new());
        }
        out.last_mut().expect("a segment").push((x, y));
        previous = Some(x);
    }
    out
}

/// A dashed line between two pixel positions, drawn on `area`.
fn dashed<DB: DrawingBackend>(
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

fn draw_lines<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, chart: &LineChart) -> Result<()> {
    let points: Vec<(i32, f64)> = chart
        .series
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
    let lang = chart.lang;
    let mut plot = ChartBuilder::on(&upper)
        .caption(chart.title, ("sans-serif", 22))
        .margin(MARGIN as u32)
        .x_label_area_size(36)
        .y_label_area_size(92)
        .build_cartesian_2d(x_min..x_max, (y_min - pad)..(y_max + pad))
        .map_err(|e| fail(&e))?;
    plot.configure_mesh()
        .x_labels((x_max - x_min + 1).min(12) as usize)
        .x_label_formatter(&|year| year.to_string())
        .y_label_formatter(&|v| axis_number(*v, y_max - y_min, lang))
        .y_desc(chart.unit)
        .label_style(("sans-serif", 15))
        .draw()
        .map_err(|e| fail(&e))?;
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
    // The break: between the last year of the old method and the first of the new.
    let grey = RGBColor(110, 110, 110);
    for &year in chart.breaks.iter().filter(|&&b| b > x_min && b <= x_max) {
        let left = plot.backend_coord(&(year - 1, y_max + pad));
        let right = plot.backend_coord(&(year, y_min - pad));
        let x = (left.0 + right.0) / 2;
        dashed(&root, (x, left.1), (x, right.1), grey)?;
        root.draw(&Text::new(
            crate::i18n::Lang::words(lang).break_mark.to_string(),
            (x + 5, left.1 + 4),
            ("sans-serif", 13).into_font().color(&grey),
        ))
        .map_err(|e| fail(&e))?;
    }
    draw_strip(&strip, &keys, &rows, chart.source)?;
    root.present().map_err(|e| fail(&e))?;
    Ok(())
}

/// The trend chart of one KPI: the municipality, each peer group's mean,
/// the national median; `None` for a category (its codes are no line).
/// `region`: the subject is a region, so the median is the regions'.
#[allow(clippy::too_many_arguments)]
pub fn kpi_trend(
    kpi: &crate::analysis::KpiPlan,
    municipality: &str,
    region: bool,
    peers: &[(&str, Vec<(i32, f64)>)],
    own: Vec<(i32, f64)>,
    median: Vec<(i32, f64)>,
    lang: Lang,
    format: ChartFormat,
) -> Result<Option<Vec<u8>>> {
    if kpi.scale == crate::refdata::Scale::Category {
        return Ok(None);
    }
    let words = lang.words();
    let mut series = vec![Series {
        name: municipality.to_string(),
        role: Role::Municipality,
        points: own,
    }];
    for (n, (title, points)) in peers.iter().enumerate() {
        series.push(Series {
            name: format!("{}: {title}", words.mean_of),
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
        points: median,
    });
    if series.iter().all(|s| s.points.is_empty()) {
        return Ok(None);
    }
    let unit = if kpi.unit.is_empty() {
        kpi.title.rsplit(", ").next().unwrap_or("").to_string()
    } else {
        kpi.unit.clone()
    };
    let title = format!("{} {}", kpi.id, kpi.label);
    Ok(Some(line_chart(
        &LineChart {
            title: &title,
            unit: &unit,
            series: &series,
            breaks: &kpi.breaks,
            source: words.attribution,
            lang,
        },
        format,
    )?))
}

/// Every municipality by cost (x) and quality (y), some named.
pub struct Scatter<'a> {
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
pub fn place_labels(
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
        placed.push(best.expect("candidates").1);
    }
    placed
}

pub fn scatter(chart: &Scatter) -> Result<Vec<u8>> {
    register_font();
    if chart.everybody.is_empty() {
        return Err(crate::error::not_found(
            "no municipality has both figures for this year",
        ));
    }
    let (x_min, x_max) = chart
        .everybody
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), (x, _)| {
            (lo.min(*x), hi.max(*x))
        });
    let (y_min, y_max) = chart
        .everybody
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), (_, y)| {
            (lo.min(*y), hi.max(*y))
        });
    let (px, py) = (
        ((x_max - x_min) * 0.05).max(1e-9),
        ((y_max - y_min) * 0.08).max(1e-9),
    );
    let lang = chart.lang;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
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
        let rows = legend_rows(&root, &keys);
        let (upper, strip) = root.split_vertically(SIZE.1 - strip_height(rows.len()));
        let mut plot = ChartBuilder::on(&upper)
            .caption(chart.title, ("sans-serif", 22))
            .margin(MARGIN as u32)
            .x_label_area_size(48)
            .y_label_area_size(80)
            .build_cartesian_2d((x_min - px)..(x_max + px), (y_min - py)..(y_max + py))
            .map_err(|e| fail(&e))?;
        plot.configure_mesh()
            .x_desc(chart.x_label)
            .y_desc(chart.y_label)
            .x_label_formatter(&|v| axis_number(*v, x_max - x_min, lang))
            .y_label_formatter(&|v| axis_number(*v, y_max - y_min, lang))
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
        let top_left = plot.backend_coord(&(x_min - px, y_max + py));
        let bottom_right = plot.backend_coord(&(x_max + px, y_min - py));
        let bounds = (top_left.0, top_left.1, bottom_right.0, bottom_right.1);
        if let Some((mx, my)) = chart.medians {
            let grey = colour(Role::Median);
            let top = plot.backend_coord(&(mx, y_max + py));
            let bottom = plot.backend_coord(&(mx, y_min - py));
            dashed(&root, top, bottom, grey)?;
            let left = plot.backend_coord(&(x_min - px, my));
            let right = plot.backend_coord(&(x_max + px, my));
            dashed(&root, left, right, grey)?;
        }
        // Quadrant names in the corners, kept clear of the labels.
        let mut occupied: Vec<BoxPx> = Vec::new();
        if let (Some(names), Some(_)) = (&chart.quadrants, chart.medians) {
            let font = ("sans-serif", 13)
                .into_font()
                .color(&RGBColor(110, 110, 110));
            for (i, name) in names.iter().enumerate() {
                let (w, h) = root
                    .estimate_text_size(name, &font.clone().into())
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
        }
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
                root.estimate_text_size(name, &label_font.clone().into())
                    .map(|(w, h)| (w as i32 + 2, h as i32 + 2))
                    .unwrap_or((name.chars().count() as i32 * 9, 16)),
            );
        }
        let boxes = place_labels(&pixels, &sizes, &occupied, bounds);
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
        draw_strip(&strip, &keys, &rows, chart.source)?;
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(svg.into_bytes())
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
    }

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

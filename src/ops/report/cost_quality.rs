//! The cost-vs-quality view of a review: every municipality by cost (x)
//! and quality (y) in the latest year both have figures, the reviewed ones
//! named, the peers' medians dividing the quadrants.

use std::collections::HashMap;

use anyhow::Result;

use crate::catalogue::Catalogue;
use crate::document::review::Figure;
use crate::document::words::Words;
use crate::model::lang::Lang;
use crate::model::scale::Direction;
use crate::model::Gender;
use crate::ops::fetch::fetch;
use crate::ops::Context;
use crate::refdata::IndicatorSet;
use crate::render::charts::{scatter, Role, Scatter};
use crate::resolve::spec::Subject;
use crate::source::ValueQuery;

/// What the view shows and names.
pub(super) struct View<'a> {
    pub cost: &'a str,
    pub quality: &'a str,
    /// The years of the review: the latest with both figures is drawn.
    pub years: &'a [i32],
    pub highlighted: &'a [(String, Role)],
    /// The name of the named peers' group.
    pub peers_title: &'a str,
    pub subject: &'a Subject,
    pub sets: &'a [IndicatorSet],
    pub lang: Lang,
}

/// A municipality with both figures: id, cost, quality.
type Point = (String, f64, f64);

/// The view, for the municipalities in the review's years; `None` when no
/// year has ten municipalities with both figures.
pub(super) fn figure(view: &View, cx: &Context) -> Result<Option<Figure>> {
    let catalogue = cx.catalogue;
    let entities: Vec<String> = catalogue.kommuner()?.iter().map(|m| m.id.clone()).collect();
    let query = ValueQuery {
        kpis: vec![view.cost.to_string(), view.quality.to_string()],
        entities: entities.clone(),
        years: view.years.to_vec(),
    };
    let observations = fetch(catalogue.source(), &query, cx.progress)?;
    let values: HashMap<(&str, &str, i32), f64> = observations
        .iter()
        .filter(|o| o.gender == Gender::T && (o.kpi == view.cost || o.kpi == view.quality))
        .filter_map(|o| Some(((o.kpi.as_str(), o.entity.as_str(), o.year), o.value?)))
        .collect();
    for &year in view.years.iter().rev() {
        let points: Vec<Point> = entities
            .iter()
            .filter_map(|id| {
                Some((
                    id.clone(),
                    *values.get(&(view.cost, id.as_str(), year))?,
                    *values.get(&(view.quality, id.as_str(), year))?,
                ))
            })
            .collect();
        if points.len() < 10 {
            continue;
        }
        return Ok(Some(draw(view, &points, year, catalogue)?));
    }
    Ok(None)
}

/// The chart of one year's points.
fn draw(view: &View, points: &[Point], year: i32, catalogue: &Catalogue) -> Result<Figure> {
    let words = view.lang.words();
    let everybody: Vec<(f64, f64)> = points.iter().map(|(_, x, y)| (*x, *y)).collect();
    let mut named = Vec::new();
    for (id, role) in view.highlighted {
        if let Some((_, x, y)) = points.iter().find(|(p, _, _)| p == id) {
            named.push((catalogue.name(id), *x, *y, *role));
        }
    }
    let peer_points: Vec<&(String, f64, f64, Role)> =
        named.iter().filter(|n| n.3 != Role::Municipality).collect();
    let medians = (peer_points.len() >= 2).then(|| {
        (
            median(peer_points.iter().map(|p| p.1).collect()),
            median(peer_points.iter().map(|p| p.2).collect()),
        )
    });
    let title = |id: &str| {
        catalogue
            .kpi(id)
            .ok()
            .flatten()
            .map(|k| k.title.clone())
            .unwrap_or_default()
    };
    let legend = legend(view, words, medians.is_some());
    let chart_title = format!("{}, {year}", words.cost_quality_title);
    let x_label = format!("{} {}", view.cost, title(view.cost));
    let y_label = format!("{} {}", view.quality, title(view.quality));
    let svg = scatter(&Scatter {
        title: &chart_title,
        x_label: &x_label,
        y_label: &y_label,
        everybody: &everybody,
        named: &named,
        medians,
        quadrants: Some(quadrants(view, words)),
        legend: &legend,
        source: words.attribution,
        lang: view.lang,
    })?;
    Ok(Figure {
        wide: false,
        set_name: String::new(),
        caption: words
            .cost_quality_caption
            .replace("{n}", &points.len().to_string())
            .replace("{year}", &year.to_string())
            .replace("{cost}", &x_label)
            .replace("{quality}", &y_label),
        svg: String::from_utf8(svg)?,
    })
}

/// The quadrants' names: cost is lower or higher (a position: the built-in
/// sets pass no judgement on cost), quality better or worse where the set
/// says which way it is better.
fn quadrants(view: &View, words: &Words) -> [String; 4] {
    let direction = view
        .sets
        .iter()
        .flat_map(|s| &s.entries)
        .find(|e| e.kpi == view.quality)
        .map(|e| e.direction);
    let [lower_cost, higher_cost, better, worse] = words.quadrants;
    let (top, bottom) = match direction {
        Some(Direction::HigherIsBetter) => (format!(", {better}"), format!(", {worse}")),
        Some(Direction::LowerIsBetter) => (format!(", {worse}"), format!(", {better}")),
        _ => (String::new(), String::new()),
    };
    [
        format!("{lower_cost}{top}"),
        format!("{higher_cost}{top}"),
        format!("{lower_cost}{bottom}"),
        format!("{higher_cost}{bottom}"),
    ]
}

/// Who the colours stand for: the municipality and its peers, or the
/// network; everybody else; the peers' median.
fn legend(view: &View, words: &Words, with_median: bool) -> Vec<(String, Role)> {
    let mut legend: Vec<(String, Role)> = Vec::new();
    match view.subject {
        Subject::Municipality { municipality, .. } => {
            legend.push((municipality.title.clone(), Role::Municipality));
            legend.push((
                format!("{}: {}", words.peers_are, view.peers_title),
                Role::Peers(0),
            ));
        }
        Subject::Network { label, .. } => legend.push((label.clone(), Role::Peers(0))),
    }
    legend.push((words.others.to_string(), Role::Others));
    if with_median {
        legend.push((words.peer_median.to_string(), Role::Median));
    }
    legend
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

//! When each KPI's figures are published: the latest year, its preliminary
//! and final publication dates, whether that year is still preliminary,
//! and when the next year can be expected (a year after this year's dates)
//! and whether it is due — so a network knows when to meet.

use anyhow::Result;
use chrono::{Months, NaiveDate};

use super::lookup::{publication_state, Listing};
use super::Context;
use crate::analysis::table::{table_of, Cell, Kind};
use crate::base::error;
use crate::model::Kpi;
use crate::resolve::kpis::chosen_kpis;

/// The calendar of the KPIs of `sets` and `kpi` (every built-in set's
/// without either), the earliest final publication first.
pub(crate) fn calendar(sets: &[String], kpi: Option<&str>, cx: &Context) -> Result<Listing> {
    let today = chrono::Local::now().date_naive();
    let mut kpis: Vec<Kpi> = Vec::new();
    for id in chosen_kpis(sets, kpi, &[], cx.catalogue, cx.refdata)? {
        let found = cx.catalogue.kpi(&id)?;
        kpis.push(found.ok_or_else(|| error::not_found(format!("unknown KPI id '{id}'")))?);
    }
    kpis.sort_by(|a, b| {
        a.publication_date
            .cmp(&b.publication_date)
            .then(a.id.cmp(&b.id))
    });
    let rows = kpis.iter().map(|k| row(k, today)).collect();
    let frame = table_of(
        &[
            ("kpi", Kind::Text),
            ("title", Kind::Text),
            ("latest_year", Kind::Int),
            ("preliminary_publication", Kind::Text),
            ("final_publication", Kind::Text),
            ("status", Kind::Text),
            ("next_year", Kind::Int),
            ("next_expected", Kind::Text),
            ("next_due", Kind::Bool),
        ],
        rows,
    )?;
    let footer = vec![
        "next_expected: a year after the latest year's first publication (preliminary, else final)"
            .to_string(),
    ];
    Ok((frame, footer))
}

fn date(text: &Option<String>) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.as_deref()?.get(..10)?, "%Y-%m-%d").ok()
}

fn row(kpi: &Kpi, today: NaiveDate) -> Vec<Cell> {
    let date_cell = |d: Option<NaiveDate>| Cell::from(d.map(|d| d.to_string()));
    let preliminary = date(&kpi.prel_publication_date);
    let published = date(&kpi.publication_date);
    let next = preliminary
        .or(published)
        .and_then(|d| d.checked_add_months(Months::new(12)));
    vec![
        Cell::from(&kpi.id),
        Cell::from(&kpi.title),
        Cell::from(kpi.latest_year()),
        date_cell(preliminary),
        date_cell(published),
        Cell::from(publication_state(kpi, today)),
        Cell::from(kpi.latest_year().map(|y| y + 1)),
        date_cell(next),
        Cell::from(next.map(|d| d <= today)),
    ]
}

//! `nyckeltal calendar [--set NAME]... [--kpi IDS]`
//!
//! For each KPI: the latest year published, its preliminary and final
//! publication dates, whether that year is still preliminary, and when the
//! next year can be expected (a year after this year's dates) and whether it
//! is due — so a network knows when to meet.

use anyhow::Result;
use chrono::{Months, NaiveDate};

use super::{chosen_kpis, open_source};
use crate::catalogue::Catalogue;
use crate::flags::{CalendarArgs, GlobalArgs};
use crate::frame::{table_frame, Cell, Kind};
use crate::model::Kpi;
use crate::refdata::RefData;
use crate::render::{emit, Target};

pub fn run(args: &CalendarArgs, global: &GlobalArgs) -> Result<()> {
    let target = Target::from_flags(&args.output)?;
    let refdata = RefData::new(global.data_dir.clone());
    let source = open_source(global)?;
    let catalogue = Catalogue::new(source.as_ref());
    let today = chrono::Local::now().date_naive();
    let mut kpis: Vec<Kpi> = Vec::new();
    for id in chosen_kpis(&args.kpis, &catalogue, &refdata)? {
        kpis.push(catalogue.kpi(&id)?.expect("checked when chosen"));
    }
    kpis.sort_by(|a, b| {
        a.publication_date
            .cmp(&b.publication_date)
            .then(a.id.cmp(&b.id))
    });
    let rows = kpis.iter().map(|k| row(k, today)).collect();
    let mut frame = table_frame(
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
    emit(
        &mut frame,
        &target,
        &["next_expected: a year after the latest year's first publication (preliminary, else final)".to_string()],
    )
}

fn date(text: &Option<String>) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.as_deref()?.get(..10)?, "%Y-%m-%d").ok()
}

fn row(kpi: &Kpi, today: NaiveDate) -> Vec<Cell> {
    let text = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let date_cell = |d: Option<NaiveDate>| Cell::from(d.map(|d| d.to_string()));
    let preliminary = date(&kpi.prel_publication_date);
    let published = date(&kpi.publication_date);
    let status = match (kpi.latest_year(), kpi.preliminary_year(today)) {
        (None, _) => "not published".to_string(),
        (Some(_), Some(_)) => format!("preliminary until {}", text(published)),
        (Some(_), None) => "final".to_string(),
    };
    let next = preliminary
        .or(published)
        .and_then(|d| d.checked_add_months(Months::new(12)));
    vec![
        Cell::from(&kpi.id),
        Cell::from(&kpi.title),
        Cell::from(kpi.latest_year()),
        date_cell(preliminary),
        date_cell(published),
        Cell::from(status),
        Cell::from(kpi.latest_year().map(|y| y + 1)),
        date_cell(next),
        Cell::from(next.map(|d| d <= today)),
    ]
}

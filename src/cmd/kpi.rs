//! `nyckeltal kpi search WORDS [--area TEXT]` — KPIs ranked by how well they match.
//! `nyckeltal kpi show ID` — all metadata of one KPI.

use anyhow::Result;

use super::open_source;
use crate::catalogue::Catalogue;
use crate::flags::{GlobalArgs, KpiCommand};
use crate::frame::{table_frame, Cell, Kind};
use crate::model::Kpi;
use crate::render::{emit, Target};
use crate::resolve;
use crate::text::fold;

pub fn run(command: &KpiCommand, global: &GlobalArgs) -> Result<()> {
    let source = open_source(global)?;
    let catalogue = Catalogue::new(source.as_ref());
    match command {
        KpiCommand::Search {
            words,
            area,
            limit,
            output,
        } => {
            let target = Target::from_flags(output)?;
            let hits = search(catalogue.kpis()?, &words.join(" "), area.as_deref());
            let rows = hits
                .iter()
                .take(*limit)
                .map(|k| {
                    vec![
                        Cell::from(&k.id),
                        Cell::from(&k.title),
                        Cell::from(k.operating_area.clone()),
                        Cell::from(k.latest_year()),
                    ]
                })
                .collect();
            let mut frame = table_frame(
                &[
                    ("id", Kind::Text),
                    ("title", Kind::Text),
                    ("operating_area", Kind::Text),
                    ("latest_year", Kind::Int),
                ],
                rows,
            )?;
            let footer = [format!(
                "{} of {} matching KPIs shown",
                hits.len().min(*limit),
                hits.len()
            )];
            emit(&mut frame, &target, &footer)
        }
        KpiCommand::Show { id, output } => {
            let target = Target::from_flags(output)?;
            let id = resolve::kpi_ids(id, &catalogue)?.remove(0);
            let kpi = catalogue.kpi(&id)?.expect("resolved above");
            let rows = describe(&kpi, chrono::Local::now().date_naive())
                .into_iter()
                .map(|row| row.into_iter().map(Cell::from).collect())
                .collect();
            let mut frame = table_frame(&[("field", Kind::Text), ("value", Kind::Text)], rows)?;
            emit(&mut frame, &target, &[])
        }
    }
}

/// KPIs where every word occurs (in id, title, area or description), best first:
/// whole words in the title beat parts of words, the title beats the
/// description, and among equals the shorter title and KPIs still published win.
pub fn search<'k>(kpis: &'k [Kpi], words: &str, area: Option<&str>) -> Vec<&'k Kpi> {
    let words: Vec<String> = fold(words)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    let area = area.map(fold);
    let mut scored: Vec<(u32, &Kpi)> = kpis
        .iter()
        .filter(|k| match &area {
            Some(a) => fold(k.operating_area.as_deref().unwrap_or("")).contains(a.as_str()),
            None => true,
        })
        .filter_map(|k| score(k, &words).map(|s| (s, k)))
        .collect();
    scored.sort_by(|(sa, a), (sb, b)| {
        sb.cmp(sa)
            .then(a.title.chars().count().cmp(&b.title.chars().count()))
            .then(a.id.cmp(&b.id))
    });
    scored.into_iter().map(|(_, k)| k).collect()
}

fn score(kpi: &Kpi, words: &[String]) -> Option<u32> {
    let title = fold(&kpi.title);
    let tokens: Vec<&str> = title.split(' ').collect();
    let area = fold(kpi.operating_area.as_deref().unwrap_or(""));
    let description = fold(kpi.description.as_deref().unwrap_or(""));
    let id = kpi.id.to_lowercase();
    let mut total = 0;
    for word in words {
        total += if id == *word {
            100
        } else if tokens.contains(&word.as_str()) {
            10
        } else if tokens.iter().any(|t| t.starts_with(word.as_str())) {
            6
        } else if title.contains(word.as_str()) {
            4
        } else if area.contains(word.as_str()) {
            2
        } else if description.contains(word.as_str()) {
            1
        } else {
            return None;
        };
    }
    Some(total + u32::from(kpi.latest_year().is_some()))
}

/// Field/value rows for `kpi show`, with the publication state as of `today`.
fn describe(kpi: &Kpi, today: chrono::NaiveDate) -> Vec<Vec<String>> {
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_string());
    let yes_no = |v: Option<bool>| match v {
        Some(true) => "yes".to_string(),
        Some(false) => "no".to_string(),
        None => "—".to_string(),
    };
    let municipality_type = match kpi.municipality_type.as_deref() {
        Some("K") => "K (municipalities)".to_string(),
        Some("L") => "L (regions)".to_string(),
        Some("A") => "A (municipalities and regions)".to_string(),
        other => other.unwrap_or("—").to_string(),
    };
    vec![
        vec!["id".into(), kpi.id.clone()],
        vec!["title".into(), kpi.title.clone()],
        vec!["description".into(), text(&kpi.description)],
        vec!["operating area".into(), text(&kpi.operating_area)],
        vec!["perspective".into(), text(&kpi.perspective)],
        vec!["published for".into(), municipality_type],
        vec!["auspice".into(), text(&kpi.auspice)],
        vec!["divided by gender".into(), yes_no(kpi.is_divided_by_gender)],
        vec!["unit (OU) data".into(), yes_no(kpi.has_ou_data)],
        vec!["latest year".into(), text(&kpi.publ_period)],
        vec![
            "preliminary publication".into(),
            text(&kpi.prel_publication_date),
        ],
        vec!["final publication".into(), text(&kpi.publication_date)],
        vec!["latest year is".into(), publication_state(kpi, today)],
    ]
}

/// Whether the latest year is still preliminary on `today`.
pub fn publication_state(kpi: &Kpi, today: chrono::NaiveDate) -> String {
    match (kpi.latest_year(), kpi.preliminary_year(today)) {
        (None, _) => "not published".to_string(),
        (Some(_), Some(_)) => format!(
            "preliminary until {}",
            kpi.publication_date.as_deref().unwrap_or("")
        ),
        (Some(_), None) => "final".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kpi(id: &str, title: &str) -> Kpi {
        serde_json::from_value(serde_json::json!({"id": id, "title": title, "publ_period": "2025"}))
            .unwrap()
    }

    #[test]
    fn whole_title_words_rank_first() {
        let kpis = vec![
            kpi(
                "N20029",
                "Nettokostnadsavvikelse äldreomsorg, miljoner kronor",
            ),
            kpi("N20900", "Nettokostnadsavvikelse äldreomsorg, (%)"),
            kpi("N1", "Kostnad äldreomsorgen"),
        ];
        let hits = search(&kpis, "aldreomsorg nettokostnadsavvikelse", None);
        assert_eq!(
            hits.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(),
            vec!["N20900", "N20029"]
        );
    }
}

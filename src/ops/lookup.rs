//! The listings: KPIs, municipalities, groups, indicator sets and peer
//! lists, each as one typed table and the lines under it.

use anyhow::Result;

use super::Context;
use crate::analysis::table::{table_of, Cell, Kind, Table};
use crate::base::error;
use crate::base::text::{closest, fold};
use crate::model::{Group, Kpi, Municipality};
use crate::refdata::RefData;
use crate::resolve::areas::similar_group;
use crate::resolve::kpis::{check_set, kpi_ids};
use crate::resolve::places::{group, municipality};

/// A table and the lines under it.
pub(crate) type Listing = (Table, Vec<String>);

/// KPIs where every word occurs (in id, title, area or description), best
/// first: whole words in the title beat parts of words, the title beats
/// the description, and among equals the shorter title and KPIs still
/// published win.
pub(crate) fn search_kpis(
    words: &str,
    area: Option<&str>,
    limit: usize,
    cx: &Context,
) -> Result<Listing> {
    let hits = search(cx.catalogue.kpis()?, words, area);
    let rows = hits
        .iter()
        .take(limit)
        .map(|k| {
            vec![
                Cell::from(&k.id),
                Cell::from(&k.title),
                Cell::from(k.operating_area.clone()),
                Cell::from(k.latest_year()),
            ]
        })
        .collect();
    let frame = table_of(
        &[
            ("id", Kind::Text),
            ("title", Kind::Text),
            ("operating_area", Kind::Text),
            ("latest_year", Kind::Int),
        ],
        rows,
    )?;
    let footer = vec![format!(
        "{} of {} matching KPIs shown",
        hits.len().min(limit),
        hits.len()
    )];
    Ok((frame, footer))
}

pub(crate) fn search<'k>(kpis: &'k [Kpi], words: &str, area: Option<&str>) -> Vec<&'k Kpi> {
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

/// All metadata of one KPI, as field/value rows; of several
/// (`N20900,N20007`), the same rows under each KPI's id.
pub(crate) fn show_kpi(ids: &str, cx: &Context) -> Result<Listing> {
    let catalogue = cx.catalogue;
    let today = chrono::Local::now().date_naive();
    let mut kpis = Vec::new();
    for id in kpi_ids(ids, catalogue)? {
        match catalogue.kpi(&id)? {
            Some(kpi) => kpis.push(kpi),
            None => return Err(error::not_found(format!("unknown KPI id '{id}'"))),
        }
    }
    if kpis.is_empty() {
        return Err(error::not_found(format!("unknown KPI id '{ids}'")));
    }
    let several = kpis.len() > 1;
    let mut rows = Vec::new();
    for kpi in &kpis {
        for row in describe(kpi, today) {
            let id = several.then(|| Cell::from(kpi.id.clone()));
            rows.push(
                id.into_iter()
                    .chain(row.into_iter().map(Cell::from))
                    .collect(),
            );
        }
    }
    let columns: &[(&str, Kind)] = if several {
        &[
            ("kpi", Kind::Text),
            ("field", Kind::Text),
            ("value", Kind::Text),
        ]
    } else {
        &[("field", Kind::Text), ("value", Kind::Text)]
    };
    Ok((table_of(columns, rows)?, Vec::new()))
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
pub(crate) fn publication_state(kpi: &Kpi, today: chrono::NaiveDate) -> String {
    match (kpi.latest_year(), kpi.preliminary_year(today)) {
        (None, _) => "not published".to_string(),
        (Some(_), Some(_)) => format!(
            "preliminary until {}",
            kpi.publication_date
                .as_deref()
                .and_then(|d| d.get(..10))
                .unwrap_or("")
        ),
        (Some(_), None) => "final".to_string(),
    }
}

/// Municipalities and regions as a table, with a line when there is none.
pub(crate) fn municipalities(listed: &[&Municipality]) -> Result<Listing> {
    let rows = listed
        .iter()
        .map(|m| {
            vec![
                Cell::from(&m.id),
                Cell::from(&m.title),
                Cell::from(m.kind.clone()),
            ]
        })
        .collect();
    let frame = table_of(
        &[
            ("id", Kind::Text),
            ("title", Kind::Text),
            ("type", Kind::Text),
        ],
        rows,
    )?;
    let footer = if listed.is_empty() {
        vec!["no municipality matches".to_string()]
    } else {
        Vec::new()
    };
    Ok((frame, footer))
}

/// All municipalities and regions, or those of one type (`K`, `L`), by code.
pub(crate) fn list_municipalities(kind: Option<&str>, cx: &Context) -> Result<Listing> {
    let mut listed: Vec<&Municipality> = cx
        .catalogue
        .municipalities()?
        .iter()
        .filter(|m| kind.is_none() || m.kind.as_deref() == kind)
        .collect();
    listed.sort_by(|a, b| a.id.cmp(&b.id));
    municipalities(&listed)
}

/// Exact names first, then names starting with the text, then containing it;
/// when nothing matches, the closest names (typos).
pub(crate) fn search_municipalities<'m>(
    all: &'m [Municipality],
    text: &str,
) -> Vec<&'m Municipality> {
    let query = fold(text);
    let digits = text.trim();
    let mut ranked: Vec<(u8, &Municipality)> = all
        .iter()
        .filter_map(|m| {
            let name = fold(&m.title);
            let rank = if m.id == digits || name == query {
                0
            } else if name.starts_with(&query) {
                1
            } else if name.contains(&query) {
                2
            } else {
                return None;
            };
            Some((rank, m))
        })
        .collect();
    if ranked.is_empty() {
        let near = closest(text, all.iter().map(|m| m.title.as_str()), 5);
        return near
            .into_iter()
            .filter_map(|t| all.iter().find(|m| m.title == t))
            .collect();
    }
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.title.cmp(&b.1.title)));
    ranked.into_iter().map(|(_, m)| m).collect()
}

/// Municipality groups whose title contains the text, with member counts.
pub(crate) fn list_groups(search: Option<&str>, cx: &Context) -> Result<Listing> {
    let needle = search.map(fold).unwrap_or_default();
    let mut groups: Vec<&Group> = cx
        .catalogue
        .groups()?
        .iter()
        .filter(|g| fold(&g.title).contains(&needle))
        .collect();
    groups.sort_by(|a, b| a.title.cmp(&b.title));
    let rows = groups
        .iter()
        .map(|g| {
            vec![
                Cell::from(&g.id),
                Cell::from(&g.title),
                Cell::from(g.members.len()),
            ]
        })
        .collect();
    let frame = table_of(
        &[
            ("id", Kind::Text),
            ("title", Kind::Text),
            ("members", Kind::Int),
        ],
        rows,
    )?;
    Ok((frame, vec![format!("{} groups", groups.len())]))
}

/// One group's members, by id or title.
pub(crate) fn show_group(text: &str, cx: &Context) -> Result<Listing> {
    members(group(text, cx.catalogue)?)
}

/// The current "Liknande kommuner AREA, KOMMUN" group of a municipality.
pub(crate) fn similar_peers(text: &str, area: &str, cx: &Context) -> Result<Listing> {
    let municipality = municipality(text, cx.catalogue)?;
    members(similar_group(municipality, area, cx.catalogue)?)
}

fn members(group: &Group) -> Result<Listing> {
    let rows = group
        .members
        .iter()
        .map(|m| vec![Cell::from(&m.member_id), Cell::from(&m.member_title)])
        .collect();
    let frame = table_of(
        &[("member_id", Kind::Text), ("member_title", Kind::Text)],
        rows,
    )?;
    let footer = vec![format!(
        "{} — {} ({} members)",
        group.id,
        group.title,
        group.members.len()
    )];
    Ok((frame, footer))
}

/// The indicator sets, built in and the user's own, with their files.
pub(crate) fn list_sets(refdata: &RefData) -> Result<Listing> {
    let mut rows = Vec::new();
    for (name, origin) in refdata.set_names() {
        let set = refdata.set(&name)?;
        rows.push(vec![
            Cell::from(name),
            Cell::from(set.title),
            Cell::from(set.entries.len()),
            Cell::from(origin.shown()),
        ]);
    }
    let frame = table_of(
        &[
            ("name", Kind::Text),
            ("title", Kind::Text),
            ("kpis", Kind::Int),
            ("file", Kind::Text),
        ],
        rows,
    )?;
    let own = refdata
        .user_dir()
        .map(|d| format!("Your own sets go in {}", d.join("sets").display()))
        .unwrap_or_default();
    Ok((frame, vec![own]))
}

/// The KPIs of one set, checked against Kolada's catalogue.
pub(crate) fn show_set(name: &str, cx: &Context) -> Result<Listing> {
    let set = cx.refdata.set(name)?;
    check_set(&set, cx.catalogue)?;
    let mut rows = Vec::new();
    for entry in &set.entries {
        let title = cx
            .catalogue
            .kpi(&entry.kpi)?
            .map(|k| k.title.clone())
            .unwrap_or_default();
        let breaks: Vec<String> = entry.breaks.iter().map(i32::to_string).collect();
        rows.push(vec![
            Cell::from(&entry.kpi),
            Cell::from(&entry.label),
            Cell::from(&entry.unit),
            Cell::from(entry.direction.name()),
            Cell::from(entry.area.clone()),
            Cell::from(title),
            Cell::from(entry.scale.map(|s| s.name()).unwrap_or("(from the title)")),
            Cell::from(breaks.join(",")),
            Cell::from(entry.why.clone()),
        ]);
    }
    let columns = [
        "kpi",
        "label",
        "unit",
        "direction",
        "area",
        "kolada_title",
        "scale",
        "breaks",
        "why",
    ]
    .map(|c| (c, Kind::Text));
    let frame = table_of(&columns, rows)?;
    let mut footer = vec![format!(
        "{} — {} ({})",
        set.name, set.title, set.origin.path
    )];
    if let Some(text) = &set.not_measured {
        footer.push(format!("Not measured by Kolada: {text}"));
    }
    Ok((frame, footer))
}

/// Every peer list, built in and the user's own: members, region, source, file.
pub(crate) fn list_peer_lists(refdata: &RefData) -> Result<Listing> {
    let mut rows = Vec::new();
    for (name, origin) in refdata.peer_names() {
        let Some(list) = refdata.peer_list(&name)? else {
            continue;
        };
        rows.push(vec![
            Cell::from(name),
            Cell::from(list.title),
            Cell::from(list.members.len()),
            Cell::from(list.region),
            Cell::from(list.source),
            Cell::from(origin.shown()),
        ]);
    }
    let frame = table_of(
        &[
            ("name", Kind::Text),
            ("title", Kind::Text),
            ("members", Kind::Int),
            ("region", Kind::Text),
            ("source", Kind::Text),
            ("file", Kind::Text),
        ],
        rows,
    )?;
    let own = refdata
        .user_dir()
        .map(|d| format!("Your own lists go in {}", d.join("peers").display()))
        .unwrap_or_default();
    Ok((frame, vec![own]))
}

/// The members of one peer list, with their codes.
pub(crate) fn show_peer_list(name: &str, cx: &Context) -> Result<Listing> {
    let list = cx
        .refdata
        .peer_list(name)?
        .ok_or_else(|| cx.refdata.unknown_peer_list(name))?;
    let mut rows = Vec::new();
    for (member, line) in &list.members {
        let found =
            municipality(member, cx.catalogue).map_err(|e| error::at(&list.at_line(*line), e))?;
        rows.push(vec![Cell::from(&found.id), Cell::from(&found.title)]);
    }
    let frame = table_of(
        &[
            ("municipality_id", Kind::Text),
            ("municipality", Kind::Text),
        ],
        rows,
    )?;
    let mut footer = vec![format!(
        "{} — {} ({} members, {})",
        list.name,
        list.title,
        list.members.len(),
        list.origin.path
    )];
    if let Some(region) = &list.region {
        footer.push(format!("Region: {region}"));
    }
    if let Some(source) = &list.source {
        footer.push(format!("Source: {source}"));
    }
    Ok((frame, footer))
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

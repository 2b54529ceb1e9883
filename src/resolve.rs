//! From what a person typed to Kolada ids: KPI ids, municipality selectors,
//! groups, "Liknande kommuner" areas and year ranges.

use std::collections::BTreeSet;

use anyhow::Result;

use crate::catalogue::Catalogue;
use crate::error;
use crate::kolada::is_group_id;
use crate::model::{Group, Kpi, Municipality};
use crate::text::{closest, closest_ids, fold, or_list};

/// Years as typed: `2022`, `2018-2022`, `2018,2020`, or a mix (`2015,2018-2020`).
pub fn parse_years(text: &str) -> Result<Vec<i32>> {
    let hint = "write years as 2022, 2018-2022 or 2018,2020";
    let mut years = BTreeSet::new();
    for part in text.split(',').map(str::trim) {
        let year = |s: &str| -> Result<i32> {
            let s = s.trim();
            match s.parse::<i32>() {
                Ok(y) if (1950..=2100).contains(&y) && s.len() == 4 => Ok(y),
                _ => Err(error::usage(format!(
                    "'{s}' in --years '{text}' is not a year; {hint}"
                ))),
            }
        };
        if part.is_empty() {
            return Err(error::usage(format!(
                "--years '{text}' has an empty item; {hint}"
            )));
        }
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (year(from)?, year(to)?);
                if from > to {
                    return Err(error::usage(format!(
                        "year range {part} is reversed; write {to}-{from}"
                    )));
                }
                years.extend(from..=to);
            }
            None => {
                years.insert(year(part)?);
            }
        }
    }
    Ok(years.into_iter().collect())
}

/// Years compactly: `2018-2022`, `2015, 2018-2020`.
pub fn format_years(years: &[i32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < years.len() {
        let start = years[i];
        let mut end = start;
        while i + 1 < years.len() && years[i + 1] == end + 1 {
            i += 1;
            end = years[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    parts.join(", ")
}

/// KPI ids, comma-separated, each checked against the catalogue.
pub fn kpi_ids(text: &str, catalogue: &Catalogue) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    let typed: Vec<String> = text
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    catalogue.prefetch_kpis(&typed)?;
    for raw in typed.iter().map(String::as_str) {
        match catalogue.kpi(raw)? {
            Some(kpi) => {
                if !ids.contains(&kpi.id) {
                    ids.push(kpi.id.clone())
                }
            }
            None => {
                let did_you_mean = did_you_mean_kpi(raw, catalogue.kpis()?);
                return Err(error::not_found(format!(
                    "unknown KPI id '{raw}'; {did_you_mean}find ids with `nyckeltal kpi search WORDS`"
                )));
            }
        }
    }
    if ids.is_empty() {
        return Err(error::usage(
            "--kpi is empty; give KPI ids such as N20900,N20007",
        ));
    }
    Ok(ids)
}

/// "did you mean A (1), B (2)? " for the items whose `name` is closest to
/// what was typed, or nothing when none is close.
pub fn did_you_mean<T>(
    typed: &str,
    items: &[T],
    name: impl Fn(&T) -> &str,
    label: impl Fn(&T) -> String,
) -> String {
    suggest(
        closest(typed, items.iter().map(&name), 3),
        items,
        name,
        label,
    )
}

/// The same for KPI ids, where typos are digits and look-alike letters.
pub fn did_you_mean_kpi(typed: &str, kpis: &[Kpi]) -> String {
    suggest(
        closest_ids(typed, kpis.iter().map(|k| k.id.as_str()), 3),
        kpis,
        |k| &k.id,
        |k| format!("{} ({})", k.id, k.title),
    )
}

fn suggest<T>(
    hits: Vec<&str>,
    items: &[T],
    name: impl Fn(&T) -> &str,
    label: impl Fn(&T) -> String,
) -> String {
    let guesses: Vec<String> = hits
        .into_iter()
        .filter_map(|hit| items.iter().find(|item| name(item) == hit))
        .map(label)
        .collect();
    if guesses.is_empty() {
        String::new()
    } else {
        format!("did you mean {}? ", or_list(&guesses))
    }
}

/// Municipality selectors, comma-separated: codes, names, group ids (their
/// members), `mean:G96190` (the group's own value) or `all` (the 290
/// municipalities). Duplicates are dropped.
pub fn municipality_ids(text: &str, catalogue: &Catalogue) -> Result<Vec<String>> {
    let mut ids: Vec<String> = Vec::new();
    let mut add = |id: &str| {
        if !ids.iter().any(|known| known == id) {
            ids.push(id.to_string());
        }
    };
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if let Some(id) = item.strip_prefix("mean:") {
            // The group's own value: Kolada's unweighted mean of the members with a value.
            add(&group(id, catalogue)?.id);
        } else if fold(item) == "all" {
            catalogue.kommuner()?.iter().for_each(|m| add(&m.id));
        } else if is_group_id(item) {
            let group = group(item, catalogue)?;
            group.members.iter().for_each(|m| add(&m.member_id));
        } else {
            add(&municipality(item, catalogue)?.id);
        }
    }
    if ids.is_empty() {
        return Err(error::usage(
            "--municipality is empty; give codes or names (1419, Tjörn), a group id (G96190) or all",
        ));
    }
    Ok(ids)
}

/// One municipality or region by code or name ("1419", "Tjörn", "tjorn", "Tjörns kommun").
pub fn municipality<'c>(text: &str, catalogue: &'c Catalogue) -> Result<&'c Municipality> {
    let all = catalogue.municipalities()?;
    let typed = text.trim();
    if !typed.is_empty() && typed.chars().all(|c| c.is_ascii_digit()) && typed.len() <= 4 {
        let code = format!("{typed:0>4}");
        if let Some(m) = all.iter().find(|m| m.id == code) {
            return Ok(m);
        }
    } else if let Some(m) = find_by_name(typed, all) {
        return Ok(m);
    }
    let did_you_mean = did_you_mean(
        typed,
        all,
        |m| &m.title,
        |m| format!("{} ({})", m.title, m.id),
    );
    Err(error::not_found(format!(
        "unknown municipality '{typed}'; {did_you_mean}list names with `nyckeltal municipality search TEXT`"
    )))
}

fn find_by_name<'c>(typed: &str, all: &'c [Municipality]) -> Option<&'c Municipality> {
    let folded = fold(typed);
    let mut forms = vec![folded.clone()];
    for suffix in [" kommun", " stad", " municipality"] {
        if let Some(stem) = folded.strip_suffix(suffix) {
            forms.push(stem.to_string());
            // "Tjörns kommun": the genitive s.
            if let Some(stem) = stem.strip_suffix('s') {
                forms.push(stem.to_string());
            }
        }
    }
    // Exactly as written first: "Habo" and "Håbo" fold alike.
    let exact: Vec<&Municipality> = all
        .iter()
        .filter(|m| m.title.to_lowercase() == typed.trim().to_lowercase())
        .collect();
    if let Some(hit) = exact.iter().find(|m| m.is_kommun()).or(exact.first()) {
        return Some(hit);
    }
    for form in &forms {
        let mut hits: Vec<&Municipality> = all.iter().filter(|m| fold(&m.title) == *form).collect();
        hits.sort_by_key(|m| !m.is_kommun());
        match hits.as_slice() {
            [] => continue,
            [one] => return Some(one),
            // Several fold alike and none was typed exactly: prefer one kind
            // only when it is unique (a municipality over a region).
            [first, second, ..] if first.is_kommun() && !second.is_kommun() => return Some(first),
            _ => return None,
        }
    }
    None
}

/// A municipality group by id (`G96190`) or title (exact or a unique part of it).
pub fn group<'c>(text: &str, catalogue: &'c Catalogue) -> Result<&'c Group> {
    let groups = catalogue.groups()?;
    let typed = text.trim();
    if let Some(g) = groups.iter().find(|g| g.id.eq_ignore_ascii_case(typed)) {
        return Ok(g);
    }
    let folded = fold(typed);
    if let Some(g) = groups.iter().find(|g| fold(&g.title) == folded) {
        return Ok(g);
    }
    let containing: Vec<&Group> = if folded.is_empty() {
        Vec::new()
    } else {
        groups
            .iter()
            .filter(|g| fold(&g.title).contains(&folded))
            .collect()
    };
    match containing.as_slice() {
        [one] => Ok(one),
        [] => {
            let did_you_mean = did_you_mean(
                typed,
                groups,
                |g| &g.title,
                |g| format!("{} ({})", g.id, g.title),
            );
            Err(error::not_found(format!(
                "unknown municipality group '{typed}'; {did_you_mean}list groups with `nyckeltal group list --search TEXT`"
            )))
        }
        many => {
            let shown: Vec<String> = many
                .iter()
                .take(5)
                .map(|g| format!("{} ({})", g.id, g.title))
                .collect();
            Err(error::not_found(format!(
                "'{typed}' matches {} groups, e.g. {}; give the group id",
                many.len(),
                shown.join(", ")
            )))
        }
    }
}

/// The areas of RKA's "Liknande kommuner" groups, as Kolada names them.
pub const SIMILAR_AREAS: [&str; 12] = [
    "äldreomsorg",
    "LSS",
    "IFO",
    "grundskola",
    "gymnasieskola",
    "förskola",
    "fritidshem",
    "socioekonomi",
    "arbetsmarknad",
    "räddningstjänst",
    "ekonomiskt bistånd",
    "övergripande",
];

/// An area as typed ("aldreomsorg", "lss") → Kolada's name ("äldreomsorg", "LSS").
pub fn similar_area(text: &str) -> Result<&'static str> {
    let folded = fold(text);
    SIMILAR_AREAS
        .iter()
        .find(|a| fold(a) == folded)
        .copied()
        .ok_or_else(|| {
            let areas: Vec<String> = SIMILAR_AREAS.iter().map(|a| a.to_string()).collect();
            error::not_found(format!(
                "unknown area '{text}'; Kolada's similar-municipality areas are {}",
                or_list(&areas)
            ))
        })
}

/// `(area, municipality, year)` from "Liknande kommuner äldreomsorg, Tjörn, 2024"
/// or "Liknande kommuner, övergripande, Tjörn, 2025".
pub fn parse_similar_title(title: &str) -> Option<(String, String, i32)> {
    let parts: Vec<&str> = title.split(',').map(str::trim).collect();
    let prefix = "liknande kommuner";
    let (area, municipality, year) = match parts.as_slice() {
        [head, area, municipality, year] if fold(head) == prefix => {
            (fold(area), *municipality, *year)
        }
        [head, municipality, year] => (
            fold(head).strip_prefix(prefix)?.trim().to_string(),
            *municipality,
            *year,
        ),
        _ => return None,
    };
    if area.is_empty() {
        return None;
    }
    Some((area, municipality.to_string(), year.parse().ok()?))
}

/// The current (latest-year) "Liknande kommuner AREA, KOMMUN" group.
pub fn similar_group<'c>(
    municipality: &Municipality,
    area: &str,
    catalogue: &'c Catalogue,
) -> Result<&'c Group> {
    let area = similar_area(area)?;
    let area_folded = fold(area);
    // The exact name: "Habo" and "Håbo" fold alike but have groups of their own.
    catalogue
        .groups()?
        .iter()
        .filter_map(|g| parse_similar_title(&g.title).map(|parsed| (parsed, g)))
        .filter(|((a, m, _), _)| *a == area_folded && *m == municipality.title)
        .max_by_key(|((_, _, year), _)| *year)
        .map(|(_, g)| g)
        .ok_or_else(|| {
            error::not_found(format!(
                "Kolada has no 'Liknande kommuner {area}' group for {}; list its groups with `nyckeltal group list --search \"{}\"`",
                municipality.title, municipality.title
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_parse_in_every_form() {
        assert_eq!(parse_years("2022").unwrap(), vec![2022]);
        assert_eq!(parse_years("2018-2020").unwrap(), vec![2018, 2019, 2020]);
        assert_eq!(parse_years("2020,2018").unwrap(), vec![2018, 2020]);
        assert_eq!(
            parse_years("2015, 2018-2019").unwrap(),
            vec![2015, 2018, 2019]
        );
    }

    #[test]
    fn bad_years_say_what_to_do() {
        let reversed = parse_years("2022-2018").unwrap_err().to_string();
        assert!(
            reversed.contains("reversed") && reversed.contains("2018-2022"),
            "{reversed}"
        );
        for bad in ["20x2", "2018-", "", "18", "2018,,2019"] {
            assert!(parse_years(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn years_format_compactly() {
        assert_eq!(format_years(&[2015, 2018, 2019, 2020]), "2015, 2018-2020");
    }

    #[test]
    fn similar_titles_parse() {
        assert_eq!(
            parse_similar_title("Liknande kommuner äldreomsorg, Tjörn, 2024"),
            Some(("aldreomsorg".into(), "Tjörn".into(), 2024))
        );
        assert_eq!(
            parse_similar_title("Liknande kommuner, övergripande, Tjörn, 2025"),
            Some(("overgripande".into(), "Tjörn".into(), 2025))
        );
        assert_eq!(parse_similar_title("Göteborgsregionen (ovägt medel)"), None);
    }
}

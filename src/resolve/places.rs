//! Municipalities, regions and groups from what a person typed: codes,
//! names in any case and without å/ä/ö, group ids and titles.

use anyhow::Result;

use super::suggest::did_you_mean_among;
use crate::base::error;
use crate::base::text::{fold, typed_name};
use crate::catalogue::Catalogue;
use crate::model::ids::is_group_id;
use crate::model::{Group, Municipality};

/// Municipality selectors, comma-separated: codes, names, group ids (their
/// members), `mean:G96190` (the group's own value) or `all` (the 290
/// municipalities). Duplicates are dropped.
pub(crate) fn municipality_ids(text: &str, catalogue: &Catalogue) -> Result<Vec<String>> {
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
pub(crate) fn municipality<'c>(text: &str, catalogue: &'c Catalogue) -> Result<&'c Municipality> {
    let all = catalogue.municipalities()?;
    let cleaned = typed_name(text);
    let typed = cleaned.as_str();
    if !typed.is_empty() && typed.chars().all(|c| c.is_ascii_digit()) && typed.len() <= 4 {
        let code = format!("{typed:0>4}");
        if let Some(m) = all.iter().find(|m| m.id == code) {
            return Ok(m);
        }
    } else if let Some(m) = find_by_name(typed, all) {
        return Ok(m);
    }
    let did_you_mean = did_you_mean_among(
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
pub(crate) fn group<'c>(text: &str, catalogue: &'c Catalogue) -> Result<&'c Group> {
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
            let did_you_mean = did_you_mean_among(
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

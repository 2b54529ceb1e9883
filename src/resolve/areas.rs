//! RKA's "Liknande kommuner" areas and groups, and the area a KPI belongs to.

use anyhow::Result;

use crate::base::error;
use crate::base::text::{fold, or_list};
use crate::catalogue::Catalogue;
use crate::model::{Group, Kpi, Municipality};

/// The areas of RKA's "Liknande kommuner" groups, as Kolada names them.
pub(crate) const SIMILAR_AREAS: [&str; 12] = [
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
pub(crate) fn similar_area(text: &str) -> Result<&'static str> {
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
pub(crate) fn parse_similar_title(title: &str) -> Option<(String, String, i32)> {
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
pub(crate) fn similar_group<'c>(
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

/// RKA's "Liknande kommuner" area for a KPI outside the built-in sets, from
/// Kolada's operating area (and, where that covers two areas, the title):
/// so `compare --kpi` finds comparable municipalities without `--peers`.
pub(crate) fn area_of_kpi(kpi: &Kpi) -> String {
    let area = fold(kpi.operating_area.as_deref().unwrap_or(""));
    let title = fold(&kpi.title);
    let has = |words: &[&str]| words.iter().any(|w| title.contains(w));
    let name = if area.starts_with("aldre och funktionshinder") {
        if has(&[
            "lss",
            "funktionsnedsattning",
            "funktionshinder",
            "personlig assistans",
            "daglig verksamhet",
        ]) {
            "LSS"
        } else {
            "äldreomsorg"
        }
    } else if area.starts_with("grundskola") || area.starts_with("anpassad skola") {
        "grundskola"
    } else if area.starts_with("gymnasieskola") {
        "gymnasieskola"
    } else if area.starts_with("forskoleverksamhet") {
        if has(&["fritidshem"]) {
            "fritidshem"
        } else {
            "förskola"
        }
    } else if area.starts_with("individ- och familjeomsorg") {
        if has(&["ekonomiskt bistand"]) {
            "ekonomiskt bistånd"
        } else {
            "IFO"
        }
    } else if area.starts_with("arbetsmarknad") {
        "arbetsmarknad"
    } else if has(&["raddningstjanst"]) {
        "räddningstjänst"
    } else {
        "övergripande"
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

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

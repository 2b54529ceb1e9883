//! What stands out: the figures the rule of `analysis::summary` picks (the
//! brief and `compare --summary` show them), each as one plain sentence from the
//! numbers with its caveats, in Swedish or English.

use super::reading::{unsigned, with_unit, Band, Reading};
use super::review::{peers_title, Review, Section};
use super::words::{and_list, Words};
use crate::analysis::kpi::KpiPlan;
use crate::analysis::row::ComparedRow;
use crate::analysis::summary::{findings, pick, Finding, Kind};
use crate::model::lang::Lang;
use crate::model::scale::Direction;

/// For a network: each member's own summary, (name, sentences), in the
/// order of the network's list.
pub(crate) fn member_summaries(review: &Review) -> Vec<(String, Vec<String>)> {
    let Some(network) = review.sections.iter().find(|s| s.is_network()) else {
        return Vec::new();
    };
    let Some(members) = network.groups.first() else {
        return Vec::new();
    };
    members
        .peers
        .members
        .iter()
        .zip(&members.names)
        .map(|(id, name)| (name.clone(), sentences(review, Some(id), &[])))
        .collect()
}

/// The sentences of the rows shown, or of one member's rows; no finding
/// said elsewhere (`said`: the KPI and what is said of it).
fn sentences(review: &Review, member: Option<&str>, said: &[(String, Kind)]) -> Vec<String> {
    let mut all: Vec<(usize, Finding)> = Vec::new();
    for (index, section) in review.sections.iter().enumerate() {
        let rows: Vec<usize> = section
            .shown_rows()
            .into_iter()
            .map(|(r, _)| r)
            .filter(|&r| member.is_none_or(|id| section.table[r].municipality_id == id))
            .collect();
        all.extend(
            findings(&section.table, &rows, &review.spreads)
                .into_iter()
                .map(|f| (index, f)),
        );
    }
    all.retain(|(_, f)| {
        !said
            .iter()
            .any(|(kpi, kind)| *kpi == f.kpi && *kind == f.kind)
    });
    // `pick` works on findings; each remembers its section by position.
    let picked = pick(all.iter().map(|(_, f)| f.clone()).collect());
    let mut lines = Vec::new();
    // KPIs Kolada has published a later year of: said once, at the end.
    let mut newer: Vec<(String, i32)> = Vec::new();
    for finding in &picked {
        let Some((index, _)) = all.iter().find(|(_, f)| {
            f.kpi == finding.kpi && f.kind == finding.kind && f.score == finding.score
        }) else {
            continue;
        };
        let section = &review.sections[*index];
        let Some(kpi) = section.kpis.iter().find(|k| k.id == finding.kpi) else {
            continue;
        };
        lines.push(sentence(review, section, kpi, finding, member.is_none()));
        let year = section.table[finding.row].year;
        if let Some(published) = kpi.latest_published.filter(|&p| p > year) {
            if !newer.iter().any(|(id, _)| id == &kpi.id) {
                newer.push((kpi.id.clone(), published));
            }
        }
    }
    // Said once, in the network's or municipality's own summary.
    if !newer.is_empty() && member.is_none() {
        lines.push(newer_note(&newer, review.lang));
    }
    lines
}

/// "Kolada har publicerat senare år sedan värdena här hämtades: N20007
/// till och med 2025; U21475 och N28015 till och med 2026": each KPI
/// with its own latest year (from the catalogue's `publ_period`).
fn newer_note(newer: &[(String, i32)], lang: Lang) -> String {
    let words = lang.words();
    let mut years: Vec<i32> = newer.iter().map(|(_, y)| *y).collect();
    years.sort_unstable();
    years.dedup();
    let parts: Vec<String> = years
        .into_iter()
        .map(|year| {
            let kpis: Vec<String> = newer
                .iter()
                .filter(|(_, y)| *y == year)
                .map(|(id, _)| id.clone())
                .collect();
            words
                .summary_newer_part
                .replace("{kpis}", &and_list(&kpis, lang))
                .replace("{year}", &year.to_string())
        })
        .collect();
    words.summary_newer.replace("{parts}", &parts.join("; "))
}

/// One finding as a sentence with its caveats; `named`: begin with the
/// municipality when the section has several.
fn sentence(
    review: &Review,
    section: &Section,
    kpi: &KpiPlan,
    finding: &Finding,
    named: bool,
) -> String {
    let lang = review.lang;
    let words = lang.words();
    let style = lang.numbers();
    let row = finding.row;
    let compared = &section.table[row];
    let reading = section.reading(row, kpi, words);
    let year = i64::from(compared.year);
    let several = section.is_network() || section.kind == super::review::Kind::Several;
    let subject = if named && several {
        format!("{}: ", compared.municipality)
    } else {
        String::new()
    };
    let label = format!("{} ({})", kpi.label_in(lang), kpi.id);
    let value = with_unit(
        &reading.value.text(style, words),
        &kpi.unit,
        style.unit_space,
    );
    let text = match finding.kind {
        Kind::Deviation => words
            .summary_deviation
            .replace("{label}", &label)
            .replace("{year}", &year.to_string())
            .replace("{value}", &value)
            .replace("{gaps}", &gaps(review, section, kpi, compared))
            .replace("{position}", &position(&reading, kpi, words)),
        Kind::Change => {
            let up = compared.change_from_previous_year.unwrap_or(0.0) > 0.0;
            words
                .summary_change
                .replace("{label}", &label)
                .replace(
                    "{moved}",
                    if up {
                        words.summary_rose
                    } else {
                        words.summary_fell
                    },
                )
                .replace("{change}", &unsigned(&reading.change).text(style, words))
                .replace("{before}", &(year - 1).to_string())
                .replace("{year}", &year.to_string())
                .replace("{value}", &value)
        }
    };
    let caveats = caveats(review, section, kpi, &reading, year as i32, finding.kind);
    if caveats.is_empty() {
        format!("{subject}{text}")
    } else {
        format!(
            "{subject}{text} {}: {}.",
            words.summary_note,
            caveats.join("; ")
        )
    }
}

/// "15,6 % (…) lägre än medlet för … (67 523) och 20,9 % … (71 963)":
/// every group the section's set is compared with, each with its own
/// figure, never the larger of two gaps alone.
fn gaps(review: &Review, section: &Section, kpi: &KpiPlan, row: &ComparedRow) -> String {
    let (lang, words) = (review.lang, review.lang.words());
    let style = lang.numbers();
    let gaps: Vec<String> = compared_groups(review, section, kpi, row)
        .into_iter()
        .map(|(group, row, reading)| {
            words
                .summary_gap
                .replace(
                    "{difference}",
                    &unsigned(&reading.vs_peers).text(style, words),
                )
                .replace("{direction}", direction(row.value > row.peer_mean, words))
                .replace("{group}", &group)
                .replace("{mean}", &reading.peers.text(style, words))
        })
        .collect();
    and_list(&gaps, lang)
}

/// "lägre" / "högre".
fn direction(above: bool, words: &Words) -> &'static str {
    if above {
        words.explain_higher
    } else {
        words.explain_lower
    }
}

/// The groups a municipality's KPI is compared with in a year: for one
/// municipality every section of the same set (one per peer group the
/// spec names), in the spec's order; otherwise the row's own group. Each
/// with its row and reading.
fn compared_groups<'s>(
    review: &'s Review,
    section: &'s Section,
    kpi: &KpiPlan,
    row: &ComparedRow,
) -> Vec<(String, &'s ComparedRow, Reading)> {
    let words = review.lang.words();
    let siblings: Vec<&Section> = if section.kind == super::review::Kind::Single {
        review
            .sections
            .iter()
            .filter(|s| {
                s.kind == section.kind
                    && s.set.name == section.set.name
                    && s.subject == section.subject
            })
            .collect()
    } else {
        vec![section]
    };
    siblings
        .into_iter()
        .filter_map(|s| {
            let at = s.table.iter().position(|r| {
                r.kpi == row.kpi && r.year == row.year && r.municipality_id == row.municipality_id
            })?;
            let own_kpi = s.kpis.iter().find(|k| k.id == kpi.id)?;
            let found = &s.table[at];
            found.peer_mean?;
            Some((
                group_name(s, own_kpi, found, words),
                found,
                s.reading(at, own_kpi, words),
            ))
        })
        .collect()
}

/// The group a row is compared with, as its table names it.
fn group_name(section: &Section, kpi: &KpiPlan, row: &ComparedRow, words: &Words) -> String {
    if section.is_network() {
        return words.mean_of_others.to_lowercase();
    }
    if section.kind == super::review::Kind::Several {
        return row.peer_group.clone();
    }
    format!(
        "{} {}",
        words.summary_mean_of,
        peers_title(&kpi.peers, words)
    )
}

/// Where the value stands in the country, with whose judgement it is.
fn position(reading: &Reading, kpi: &KpiPlan, words: &Words) -> String {
    let Some((rank, of)) = reading.rank_national else {
        return String::new();
    };
    let band = match (kpi.direction, reading.band) {
        (Direction::Neutral, _) | (_, Band::Few | Band::NoValue | Band::NotBanded) => String::new(),
        (_, band) => format!(", {} {}", band.name(words), words.summary_by_set),
    };
    let band = if kpi.direction == Direction::Neutral {
        format!(", {}", words.summary_from_highest)
    } else {
        band
    };
    words
        .summary_position
        .replace("{rank}", &rank.to_string())
        .replace("{of}", &of.to_string())
        .replace("{band}", &band)
}

/// What a reader must know before repeating the sentence.
fn caveats(
    review: &Review,
    section: &Section,
    kpi: &KpiPlan,
    reading: &Reading,
    year: i32,
    kind: Kind,
) -> Vec<String> {
    let words = review.lang.words();
    let mut out = Vec::new();
    if reading.preliminary {
        out.push(words.summary_preliminary.to_string());
    }
    if reading.small_numbers {
        out.push(words.summary_small.to_string());
    }
    if reading.volatile.is_some() {
        out.push(words.summary_volatile.to_string());
    }
    if section.mixed_sources(kpi).is_some() {
        out.push(words.summary_sources.to_string());
    }
    if let (Band::Few, Some((n, total))) = (reading.band, reading.coverage) {
        out.push(
            words
                .summary_few
                .replace("{n}", &n.to_string())
                .replace("{total}", &total.to_string()),
        );
    }
    // A new method this year or last: the years before are not comparable
    // (a change across it is never computed, so only a deviation says so).
    let recent = |b: i32| (year - 1..=year).contains(&b) && section.first_year() < Some(b);
    if kind == Kind::Deviation {
        for &from in kpi.breaks.iter().filter(|&&b| recent(b)) {
            out.push(words.summary_break.replace("{year}", &from.to_string()));
        }
    }
    // The split is of a gap to one group, not of a change from the year
    // before: only a deviation points to it, naming the group.
    let explained = review.explanations.iter().find(|e| {
        e.explained
            .chains
            .iter()
            .any(|(chain, _)| chain.kpis().contains(&kpi.id))
    });
    if let (Some(explanation), Kind::Deviation) = (explained, kind) {
        let group = match &explanation.explained.peers {
            Some(peers) => peers_title(peers, words),
            None => words.explain_riket.to_string(),
        };
        out.push(words.summary_explained.replace("{group}", &group));
    }
    out
}

/// The summary in the documents' language, for the terminal too.
pub(crate) fn summary_lines(review: &Review) -> Vec<String> {
    summary_lines_without(review, &[])
}

/// The summary without the findings of `said` (the brief says its
/// headlines and their changes in the areas' paragraphs).
pub(crate) fn summary_lines_without(review: &Review, said: &[(String, Kind)]) -> Vec<String> {
    let lines = sentences(review, None, said);
    if lines.is_empty() {
        return vec![review.lang.words().summary_none.to_string()];
    }
    lines
}

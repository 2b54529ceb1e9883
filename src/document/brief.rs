//! The brief ("Sammanfattning för nämnden"): what a committee reads first,
//! made from the review by rules, never by hand. For a municipality's
//! review, per area one short paragraph:
//! - the area's headline cost (the set's `headline`), against every group
//!   the spec names (or those `brief_peers` names), each with its own mean,
//!   and the gap in kronor for the whole municipality where the unit has a
//!   population base (`data/bases/population.toml`);
//! - why, from the area's cost chains (`explain`), naming the group;
//! - the change from the year before, split by what moved;
//! - how quality stands on the area's quality sets.
//!
//! Then the largest deviations and changes (the summary's rule), and
//! before all of it a short box on how to read it.

use super::explain::{sentence, Explanation};
use super::reading::{unsigned, with_unit};
use super::review::{peers_title, Kind as SectionKind, Population, Review, Section};
use super::summary::summary_lines_without;
use super::words::{and_list, format_number, Words};
use crate::analysis::explain::Change;
use crate::analysis::kpi::KpiPlan;
use crate::analysis::summary::Kind;
use crate::base::text::fold;
use crate::model::lang::Lang;
use crate::model::scale::Direction;
use crate::refdata::FactorKind;

/// The brief of a review.
pub(crate) struct Brief {
    /// What a reader needs before the first figure.
    pub how_to_read: Vec<String>,
    /// A paragraph per area of a municipality's review.
    pub areas: Vec<AreaBrief>,
    /// The largest deviations and changes, each naming every group.
    pub standing_out: Vec<String>,
}

/// One area's paragraph, in short pieces: the level and its gaps, why,
/// the change, quality; and how the kronor are counted.
pub(crate) struct AreaBrief {
    /// The area as its sets name it ("Äldreomsorg").
    pub title: String,
    pub paragraphs: Vec<String>,
    pub notes: Vec<String>,
}

pub(crate) fn brief(review: &Review) -> Brief {
    let areas = areas(review);
    // An area's headline and its split change are said in its paragraph:
    // not again below.
    let mut said: Vec<(String, Kind)> = review
        .sections
        .iter()
        .filter_map(|s| s.set.headline.clone())
        .map(|kpi| (kpi, Kind::Deviation))
        .collect();
    for explanation in &review.explanations {
        let explained = &explanation.explained;
        let chain = explained
            .set
            .headline
            .as_ref()
            .and_then(|id| explained.set.chains.iter().find(|c| &c.id == id));
        if let (Some(chain), false) = (chain, explained.changes.is_empty()) {
            said.push((chain.total.clone(), Kind::Change));
        }
    }
    Brief {
        how_to_read: how_to_read(review),
        standing_out: summary_lines_without(review, &said),
        areas,
    }
}

/// The box on the brief's first page: the groups, the units, the kronor,
/// whose judgement, what is Kolada's.
fn how_to_read(review: &Review) -> Vec<String> {
    let words = review.lang.words();
    let mut groups: Vec<String> = Vec::new();
    for section in &review.sections {
        for group in &section.groups {
            let title = group.title(words);
            if !groups.contains(&title) {
                groups.push(title);
            }
        }
    }
    let mut lines = Vec::new();
    if !groups.is_empty() {
        lines.push(
            words
                .brief_how_groups
                .replace("{groups}", &and_list(&groups, review.lang)),
        );
    }
    lines.extend([words.brief_how_units, words.brief_how_judgement].map(str::to_string));
    if !review.populations.is_empty() {
        lines.push(words.brief_how_kronor.to_string());
    }
    lines.push(words.brief_how_source.to_string());
    lines
}

/// The areas of a municipality's review, in the order of their sets.
fn areas(review: &Review) -> Vec<AreaBrief> {
    let mut names: Vec<String> = Vec::new();
    for section in review
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Single)
    {
        if let Some(area) = &section.set.area {
            if !names.iter().any(|n| fold(n) == fold(area)) {
                names.push(area.clone());
            }
        }
    }
    names
        .into_iter()
        .map(|area| {
            let sections: Vec<&Section> = review
                .sections
                .iter()
                .filter(|s| s.kind == SectionKind::Single)
                .filter(|s| {
                    s.set
                        .area
                        .as_deref()
                        .is_some_and(|a| fold(a) == fold(&area))
                })
                .collect();
            area_brief(review, &area, &sections)
        })
        .filter(|a| !a.paragraphs.is_empty())
        .collect()
}

/// "äldreomsorg" → "Äldreomsorg"; "LSS" stays.
fn area_title(area: &str) -> String {
    let mut chars = area.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn area_brief(review: &Review, area: &str, sections: &[&Section]) -> AreaBrief {
    let mut out = Vec::new();
    // How the kronor are counted: said once, at the paragraph's end.
    let mut rules: Vec<String> = Vec::new();
    let explanation = review
        .explanations
        .iter()
        .find(|e| fold(&e.explained.set.area) == fold(area));
    let costs = cost_sections(review, sections);
    for cost in &costs {
        let level = headline_sentences(review, cost, &mut rules);
        if !level.is_empty() {
            out.push(level.join(" "));
        }
    }
    if let Some(explanation) = explanation {
        let said: Vec<&str> = costs.iter().map(|c| c.kpi.id.as_str()).collect();
        out.extend(why(review, explanation, &said, &mut rules));
        out.extend(change(review, explanation));
    }
    out.extend(quality(review, sections));
    rules.dedup();
    AreaBrief {
        title: area_title(area),
        paragraphs: out,
        notes: rules,
    }
}

/// A cost set's sections the brief compares with, and its headline KPI.
struct CostSet<'r> {
    kpi: &'r KpiPlan,
    sections: Vec<&'r Section>,
}

/// The sets of an area with a headline cost, each with the sections the
/// brief compares with: those `brief_peers` names where it names any of
/// them, else every group of the set.
fn cost_sections<'r>(review: &'r Review, sections: &[&'r Section]) -> Vec<CostSet<'r>> {
    let mut out: Vec<CostSet> = Vec::new();
    for section in sections {
        let Some(headline) = &section.set.headline else {
            continue;
        };
        let Some(kpi) = section.kpis.iter().find(|k| &k.id == headline) else {
            continue;
        };
        match out.iter_mut().find(|c| c.kpi.id == kpi.id) {
            Some(cost) => cost.sections.push(section),
            None => out.push(CostSet {
                kpi,
                sections: vec![section],
            }),
        }
    }
    for cost in &mut out {
        let chosen: Vec<&Section> = cost
            .sections
            .iter()
            .copied()
            .filter(|s| review.brief_peers.contains(&s.peer_spec))
            .collect();
        if !chosen.is_empty() {
            cost.sections = chosen;
        }
    }
    out
}

/// "Kostnad äldreomsorg per invånare 65+ (N20007) 2022: 56 959 kr/inv 65+.
/// Det är 15,6 % (10 564 kr/inv 65+) lägre än medlet för … (67 523; ≈ 50
/// mnkr för hela kommunen) och …", and how the kronor are counted.
fn headline_sentences(review: &Review, cost: &CostSet, rules: &mut Vec<String>) -> Vec<String> {
    let (lang, words) = (review.lang, review.lang.words());
    let style = lang.numbers();
    let Some(first) = cost.sections.first() else {
        return Vec::new();
    };
    let Some(row) = first.shown_row(&cost.kpi.id) else {
        // Said, not skipped: the area's paragraph then starts from its split.
        return vec![words
            .brief_no_headline
            .replace("{label}", cost.kpi.label_in(lang))
            .replace("{kpi}", &cost.kpi.id)
            .replace("{years}", &first.years_text())];
    };
    let compared = &first.table[row];
    let reading = first.reading(row, cost.kpi, words);
    let population = review.populations.iter().find(|p| p.unit == cost.kpi.unit);
    let inhabitants = population.and_then(|p| p.count_in(compared.year));
    let mut gaps = Vec::new();
    for section in &cost.sections {
        let Some(at) = section
            .table
            .iter()
            .position(|r| r.kpi == cost.kpi.id && r.year == compared.year)
        else {
            continue;
        };
        let row = &section.table[at];
        let (Some(value), Some(mean)) = (row.value, row.peer_mean) else {
            continue;
        };
        let shown = section.reading(at, cost.kpi, words);
        let kronor = inhabitants
            .map(|n| {
                let mnkr = (value - mean) * n / 1e6;
                let decimals = if mnkr.abs() >= 10.0 { 0 } else { 1 };
                words.brief_kronor.replace(
                    "{amount}",
                    &format_number(mnkr.abs(), decimals, style, false),
                )
            })
            .unwrap_or_default();
        let group = section
            .groups
            .iter()
            .find(|g| g.peers.label == row.peer_group)
            .map(|g| g.title(words))
            .unwrap_or_else(|| row.peer_group.clone());
        gaps.push(
            words
                .brief_gap
                .replace(
                    "{difference}",
                    &unsigned(&shown.vs_peers).text(style, words),
                )
                .replace("{direction}", lower_or_higher(value < mean, words))
                .replace("{group}", &group)
                .replace("{mean}", &shown.peers.text(style, words))
                .replace("{kronor}", &kronor),
        );
    }
    let value = with_unit(
        &reading.value.text(style, words),
        &cost.kpi.unit,
        style.unit_space,
    );
    let mut out = vec![words
        .brief_level
        .replace("{label}", cost.kpi.label_in(lang))
        .replace("{kpi}", &cost.kpi.id)
        .replace("{year}", &compared.year.to_string())
        .replace("{value}", &value)];
    if !gaps.is_empty() {
        out.push(words.brief_gaps.replace("{gaps}", &and_list(&gaps, lang)));
    }
    if let (Some(population), Some(n)) = (population, inhabitants) {
        rules.push(kronor_rule(population, n, compared.year, lang));
    }
    out
}

/// "Kronor för hela kommunen: skillnaden per invånare 65+ × 4 747 invånare
/// 65+ 2022 (N01956 + N01957)."
fn kronor_rule(population: &Population, inhabitants: f64, year: i32, lang: Lang) -> String {
    let words = lang.words();
    words
        .brief_kronor_rule
        .replace("{base}", &population.label)
        .replace(
            "{count}",
            &format_number(inhabitants, 0, lang.numbers(), false),
        )
        .replace("{year}", &year.to_string())
        .replace("{kpis}", &population.kpis.join(" + "))
}

impl Population {
    /// The inhabitants in `year`, when Kolada has every count.
    pub(crate) fn count_in(&self, year: i32) -> Option<f64> {
        self.counts
            .iter()
            .find(|(y, _)| *y == year)
            .map(|(_, n)| *n)
    }
}

fn lower_or_higher(lower: bool, words: &Words) -> &'static str {
    if lower {
        words.explain_lower
    } else {
        words.explain_higher
    }
}

/// "Mot Tjörn – egna jämförelsekommuner: Äldreomsorg totalt … är 20,9 %
/// lägre …": the area's headline chain split against its group.
fn why(
    review: &Review,
    explanation: &Explanation,
    said: &[&str],
    rules: &mut Vec<String>,
) -> Option<String> {
    let (lang, words) = (review.lang, review.lang.words());
    let explained = &explanation.explained;
    let headline = explained.set.headline.as_ref()?;
    let (chain, splits) = explained.chains.iter().find(|(c, _)| &c.id == headline)?;
    let split = splits.last()?;
    let group = match &explained.peers {
        Some(peers) => peers_title(peers, words),
        None => words.explain_riket.to_string(),
    };
    let mut text = words.brief_why.replace("{group}", &group).replace(
        "{sentence}",
        &sentence(explained, chain, split, lang, lang.numbers()),
    );
    // The split gap in kronor for the whole municipality, where its unit
    // has a population base and the headline has not said it.
    let population = review
        .populations
        .iter()
        .find(|p| p.unit == chain.unit)
        .filter(|_| !said.contains(&chain.total.as_str()));
    let gap = split.comparison.map(|c| split.own - c);
    if let (Some(population), Some(gap)) = (population, gap) {
        if let Some(n) = population.count_in(split.year) {
            let mnkr = gap * n / 1e6;
            let decimals = if mnkr.abs() >= 10.0 { 0 } else { 1 };
            text.push(' ');
            text.push_str(
                &words
                    .brief_why_kronor
                    .replace(
                        "{amount}",
                        &format_number(mnkr.abs(), decimals, lang.numbers(), false),
                    )
                    .replace("{direction}", lower_or_higher(gap < 0.0, words)),
            );
            rules.push(kronor_rule(population, n, split.year, lang));
        }
    }
    Some(text)
}

/// "Från 2021 till 2022 har Äldreomsorg totalt … ökat med 3 338 kr/inv 65+
/// (6,7 %): +1 234 kr/inv 65+ för att fler får insatsen, …": the headline
/// chain's latest change, split by what moved.
fn change(review: &Review, explanation: &Explanation) -> Option<String> {
    let (lang, words) = (review.lang, review.lang.words());
    let style = lang.numbers();
    let explained = &explanation.explained;
    let headline = explained.set.headline.as_ref()?;
    let chain = explained.set.chains.iter().find(|c| &c.id == headline)?;
    let latest: &Change = explained.changes.last()?;
    let delta = latest.now - latest.before;
    let amount = |v: f64, plus: bool| {
        let decimals = if v.abs() >= 100.0 { 0 } else { 1 };
        with_unit(
            &format_number(v, decimals, style, plus),
            &chain.unit,
            style.unit_space,
        )
    };
    let mut parts: Vec<String> = latest
        .by_kind
        .iter()
        .filter(|(_, v)| v.abs() >= 0.5)
        .map(|(kind, v)| {
            words
                .brief_change_part
                .replace("{amount}", &amount(*v, true))
                .replace("{because}", kind_phrase(*kind, *v > 0.0, words))
        })
        .collect();
    if latest.other.abs() >= 0.5 {
        parts.push(
            words
                .brief_change_other
                .replace("{amount}", &amount(latest.other, true)),
        );
    }
    let pct = if latest.before != 0.0 {
        format!(
            " ({})",
            super::explain::signed_percent(100.0 * delta / latest.before, style)
        )
    } else {
        String::new()
    };
    let parts = if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", and_list(&parts, lang))
    };
    Some(
        words
            .brief_change
            .replace("{before}", &(latest.year - 1).to_string())
            .replace("{year}", &latest.year.to_string())
            .replace("{label}", chain.label.get(lang))
            .replace("{kpi}", &chain.total)
            .replace(
                "{moved}",
                if delta >= 0.0 {
                    words.brief_rose
                } else {
                    words.brief_fell
                },
            )
            .replace("{change}", &amount(delta.abs(), false))
            .replace("{pct}", &pct)
            .replace("{parts}", &parts),
    )
}

/// What moved a cost, by the kind of factor and its direction.
fn kind_phrase(kind: FactorKind, up: bool, words: &Words) -> &'static str {
    match (kind, up) {
        (FactorKind::Coverage, true) => words.brief_more_users,
        (FactorKind::Coverage, false) => words.brief_fewer_users,
        (FactorKind::CostPerUser, true) => words.brief_costs_more,
        (FactorKind::CostPerUser, false) => words.brief_costs_less,
        (FactorKind::AgeStructure, _) => words.brief_age,
        (FactorKind::Structure, _) => words.brief_structure,
        (FactorKind::AboveReference, _) => words.brief_above_reference,
    }
}

/// "Kvalitet (Äldreomsorg – kvalitet, 2022): av 8 mått är 2 bättre än
/// medlet för alla grupperna, 4 sämre (…) och 2 blandade, enligt
/// uppsättningens värdering."
fn quality(review: &Review, sections: &[&Section]) -> Vec<String> {
    let (lang, words) = (review.lang, review.lang.words());
    let mut sets: Vec<&str> = Vec::new();
    for section in sections {
        let judged = section
            .kpis
            .iter()
            .any(|k| k.direction != Direction::Neutral);
        if section.set.headline.is_none() && judged && !sets.contains(&section.set.name.as_str()) {
            sets.push(&section.set.name);
        }
    }
    sets.into_iter()
        .filter_map(|name| {
            let of_set: Vec<&Section> = sections
                .iter()
                .copied()
                .filter(|s| s.set.name == name)
                .collect();
            quality_sentence(&of_set, lang, words)
        })
        .collect()
}

fn quality_sentence(sections: &[&Section], lang: Lang, words: &Words) -> Option<String> {
    let first = sections.first()?;
    let (mut better, mut worse, mut mixed) = (0, Vec::new(), 0);
    let mut years: Vec<i32> = Vec::new();
    for kpi in first
        .kpis
        .iter()
        .filter(|k| k.direction != Direction::Neutral)
    {
        let sign = kpi.direction.sign();
        let mut signs = Vec::new();
        for section in sections {
            let Some(row) = section.shown_row(&kpi.id) else {
                continue;
            };
            let row = &section.table[row];
            if let (Some(value), Some(mean)) = (row.value, row.peer_mean) {
                signs.push(((value - mean) * sign).signum());
                if !years.contains(&row.year) {
                    years.push(row.year);
                }
            }
        }
        match signs.as_slice() {
            [] => continue,
            s if s.iter().all(|v| *v > 0.0) => better += 1,
            s if s.iter().all(|v| *v < 0.0) => worse.push(kpi.label_in(lang).to_string()),
            _ => mixed += 1,
        }
    }
    let n = better + worse.len() + mixed;
    if n == 0 {
        return None;
    }
    years.sort_unstable();
    let years = match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    };
    let worse_list = if worse.is_empty() {
        String::new()
    } else {
        format!(" ({})", worse.join("; "))
    };
    let mixed = if mixed == 0 {
        String::new()
    } else {
        words.brief_mixed.replace("{mixed}", &mixed.to_string())
    };
    Some(
        words
            .brief_quality
            .replace("{set}", first.set.title_in(lang))
            .replace("{years}", &years)
            .replace("{n}", &n.to_string())
            .replace("{better}", &better.to_string())
            .replace("{worse}", &worse.len().to_string())
            .replace("{worse_list}", &worse_list)
            .replace("{mixed}", &mixed)
            .replace(
                "{groups}",
                if sections.len() > 1 {
                    words.brief_all_groups
                } else {
                    words.brief_the_group
                },
            ),
    )
}

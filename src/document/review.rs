//! A review as the documents show it (report.html, the report's and
//! `compare`'s workbooks): comparison tables per set and peer group, charts
//! and the provenance, in one language.
//!
//! Each KPI is shown at the latest year its municipality has a figure (a
//! network's: the latest year any member has one); a KPI without one is
//! named in a note, never a row of blanks. Each table names the peer group
//! its rows are compared with: KPIs of one set may have different groups.

use super::explain::Explanation;
use super::peer_values::PeerValues;
use super::provenance::Provenance;
use super::reading::{row_decimals, Band, Reading, Shown};
use super::words::{format_number, NumberStyle, Words};
use crate::analysis::kpi::KpiPlan;
use crate::analysis::quality::{answers_liv_och_halsa, two_survey_sources};
use crate::analysis::row::{kpis_without_figures, ComparedRow};
use crate::analysis::summary::Spreads;
use crate::model::lang::Lang;
use crate::model::peers::Peers;
use crate::model::scale::{Direction, Scale};
use crate::model::set::SetInfo;
use crate::model::years::format_years;

/// A peer group as the documents name it: the group and its members' names.
#[derive(Debug, Clone)]
pub(crate) struct PeerGroup {
    pub peers: Peers,
    pub names: Vec<String>,
}

impl PeerGroup {
    pub(crate) fn title(&self, words: &Words) -> String {
        peers_title(&self.peers, words)
    }
}

/// A peer group's name for people, saying when the municipality was left
/// out of it (then its mean is nyckeltal's, not the group's own value).
pub(crate) fn peers_title(peers: &Peers, words: &Words) -> String {
    match &peers.left_out {
        Some(name) => words
            .without
            .replace("{title}", &peers.title)
            .replace("{name}", name),
        None => peers.title.clone(),
    }
}

/// Who answers which survey: (Liv & Hälsa, Hälsa på lika villkor), by name.
pub(crate) type Sources = (Vec<String>, Vec<String>);

/// What a section compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// One municipality against the peer groups of its KPIs.
    Single,
    /// Every member of a network against the others, in the latest year
    /// any member has a figure.
    Network,
    /// Several municipalities, each against its own peers at its own
    /// latest year with a figure (`compare A,B,C`).
    Several,
}

/// One comparison: a set against the peer groups of one municipality (one
/// per area of its KPIs), every member of a network, or several
/// municipalities each against its own peers.
pub(crate) struct Section {
    /// The set compared, with what Kolada does not measure for its area.
    pub set: SetInfo,
    /// The municipality (or region, or network) compared.
    pub subject: String,
    /// A region, compared with regions.
    pub region: bool,
    /// The distinct peer groups of the KPIs, in the order of the KPIs; for
    /// a network its members.
    pub groups: Vec<PeerGroup>,
    pub kpis: Vec<KpiPlan>,
    /// The comparison's rows; several municipalities' for a network.
    pub table: Vec<ComparedRow>,
    pub kind: Kind,
    /// The peer spec the section compares with, as written (`auto`,
    /// `tjorn-aldreomsorg`); empty for a network's members.
    pub peer_spec: String,
}

impl Section {
    pub(crate) fn is_network(&self) -> bool {
        self.kind == Kind::Network
    }

    /// The rows of one KPI, in table order.
    pub(crate) fn rows(&self, kpi: &str) -> Vec<usize> {
        (0..self.table.len())
            .filter(|&r| self.table[r].kpi == kpi)
            .collect()
    }

    /// Decimals for one KPI, the same in every row of it.
    pub(crate) fn decimals(&self, kpi: &str) -> usize {
        row_decimals(self.table.iter().filter(|r| r.kpi == kpi))
    }

    /// The row a municipality's table shows for a KPI: its latest year
    /// with a figure.
    pub(crate) fn shown_row(&self, kpi: &str) -> Option<usize> {
        latest_with_value(&self.table, &self.rows(kpi))
    }

    /// A network's year for a KPI: the latest any member has a figure in.
    pub(crate) fn latest_year(&self, kpi: &str) -> Option<i64> {
        self.table
            .iter()
            .filter(|r| r.kpi == kpi && r.value.is_some())
            .map(|r| i64::from(r.year))
            .max()
    }

    /// The KPIs the tables show: those with a figure to show.
    pub(crate) fn shown_kpis(&self) -> Vec<&KpiPlan> {
        self.kpis
            .iter()
            .filter(|k| {
                if self.kind == Kind::Single {
                    self.shown_row(&k.id).is_some()
                } else {
                    self.latest_year(&k.id).is_some()
                }
            })
            .collect()
    }

    /// The shown KPIs by the peer group they are compared with: one table
    /// each, so every row's group is named above it.
    pub(crate) fn by_group(&self) -> Vec<(&PeerGroup, Vec<&KpiPlan>)> {
        let mut out: Vec<(&PeerGroup, Vec<&KpiPlan>)> = Vec::new();
        for kpi in self.shown_kpis() {
            let group = self
                .groups
                .iter()
                .find(|g| g.peers.label == kpi.peers.label)
                .or(self.groups.first());
            let Some(group) = group else { continue };
            match out
                .iter_mut()
                .find(|(g, _)| g.peers.label == group.peers.label)
            {
                Some((_, kpis)) => kpis.push(kpi),
                None => out.push((group, vec![kpi])),
            }
        }
        out
    }

    /// For a survey figure from two sources: the places compared that
    /// answer Liv & Hälsa and those that answer HLV, when both are there.
    pub(crate) fn mixed_sources(&self, kpi: &KpiPlan) -> Option<Sources> {
        if !two_survey_sources(&kpi.description) {
            return None;
        }
        let mut ids: Vec<String> = kpi.peers.members.clone();
        for r in self.rows(&kpi.id) {
            let id = &self.table[r].municipality_id;
            if !ids.contains(id) {
                ids.insert(0, id.clone());
            }
        }
        let name = |id: &String| {
            self.groups
                .iter()
                .flat_map(|g| g.peers.members.iter().zip(&g.names))
                .find(|(m, _)| *m == id)
                .map(|(_, n)| n.clone())
                .or_else(|| {
                    self.table
                        .iter()
                        .find(|r| r.kpi == kpi.id && &r.municipality_id == id)
                        .map(|r| r.municipality.clone())
                })
                .unwrap_or_else(|| id.clone())
        };
        let (lh, hlv): (Vec<&String>, Vec<&String>) =
            ids.iter().partition(|id| answers_liv_och_halsa(id));
        if lh.is_empty() || hlv.is_empty() {
            return None;
        }
        Some((
            lh.into_iter().map(name).collect(),
            hlv.into_iter().map(name).collect(),
        ))
    }

    /// The first year of the table.
    pub(crate) fn first_year(&self) -> Option<i32> {
        self.table.iter().map(|r| r.year).min()
    }

    /// The years of the table, as "2013–2022".
    pub(crate) fn years_text(&self) -> String {
        let mut years: Vec<i32> = self.table.iter().map(|r| r.year).collect();
        years.sort_unstable();
        years.dedup();
        format_years(&years).replace('-', "–")
    }

    /// A row read for people. In a network's table a category's counts
    /// stand once above the table, not in every member's row.
    pub(crate) fn reading(&self, row: usize, kpi: &KpiPlan, words: &Words) -> Reading {
        let mut reading = Reading::of(&self.table[row], kpi, self.decimals(&kpi.id), words);
        if self.is_network() && kpi.scale == Scale::Category {
            reading.peers = Shown::Missing;
        }
        reading
    }

    /// For a network: the members' rows of a KPI in its year, best rank
    /// among the peers first (then by value, then by name).
    pub(crate) fn ranked_rows(&self, kpi: &KpiPlan) -> Vec<usize> {
        let Some(year) = self.latest_year(&kpi.id) else {
            return Vec::new();
        };
        let mut rows: Vec<usize> = self
            .rows(&kpi.id)
            .into_iter()
            .filter(|&r| i64::from(self.table[r].year) == year)
            .collect();
        sort_best_first(&self.table, &mut rows, kpi, |r| r.rank_in_peers);
        rows
    }

    /// For several municipalities: each one's row of a KPI at its latest
    /// year with a figure, best rank in Sweden first.
    pub(crate) fn member_rows(&self, kpi: &KpiPlan) -> Vec<usize> {
        let rows = self.rows(&kpi.id);
        let mut ids: Vec<&str> = rows
            .iter()
            .map(|&r| self.table[r].municipality_id.as_str())
            .collect();
        ids.dedup();
        let mut shown: Vec<usize> = ids
            .iter()
            .filter_map(|id| {
                let own: Vec<usize> = rows
                    .iter()
                    .copied()
                    .filter(|&r| self.table[r].municipality_id == *id)
                    .collect();
                latest_with_value(&self.table, &own)
            })
            .collect();
        sort_best_first(&self.table, &mut shown, kpi, |r| r.rank_national);
        shown
    }

    /// For several municipalities: those without a figure for a KPI in
    /// the years shown.
    pub(crate) fn members_without(&self, kpi: &KpiPlan) -> Vec<String> {
        let rows: Vec<&ComparedRow> = self.table.iter().filter(|r| r.kpi == kpi.id).collect();
        let mut names: Vec<String> = Vec::new();
        for row in &rows {
            let any = rows
                .iter()
                .any(|o| o.municipality_id == row.municipality_id && o.value.is_some());
            if !any && !names.contains(&row.municipality) {
                names.push(row.municipality.clone());
            }
        }
        names
    }

    /// The rows the tables show, whichever kind the section is.
    pub(crate) fn shown_rows(&self) -> Vec<(usize, &KpiPlan)> {
        self.shown_kpis()
            .into_iter()
            .flat_map(|kpi| {
                let rows = match self.kind {
                    Kind::Single => self.shown_row(&kpi.id).into_iter().collect(),
                    Kind::Network => self.ranked_rows(kpi),
                    Kind::Several => self.member_rows(kpi),
                };
                rows.into_iter().map(move |r| (r, kpi))
            })
            .collect()
    }

    /// KPIs with a break inside the years shown: (id, first year of the new method).
    pub(crate) fn breaks_shown(&self) -> Vec<(String, i32)> {
        let mut out = Vec::new();
        for kpi in &self.kpis {
            for &year in &kpi.breaks {
                let shown = self.table.iter().any(|r| r.kpi == kpi.id && r.year == year);
                if shown && !out.contains(&(kpi.id.clone(), year)) {
                    out.push((kpi.id.clone(), year));
                }
            }
        }
        out
    }
}

/// Of a KPI's rows, the latest with a figure.
pub(crate) fn latest_with_value(table: &[ComparedRow], rows: &[usize]) -> Option<usize> {
    rows.iter()
        .copied()
        .filter(|&r| table[r].value.is_some())
        .max_by_key(|&r| table[r].year)
}

/// Rows best first: by `rank`, then by value in the KPI's direction, then
/// by name.
pub(crate) fn sort_best_first(
    table: &[ComparedRow],
    rows: &mut [usize],
    kpi: &KpiPlan,
    rank: fn(&ComparedRow) -> Option<u32>,
) {
    let sign = kpi.direction.sign();
    rows.sort_by(|&a, &b| {
        let (a, b) = (&table[a], &table[b]);
        let rank = |r: &ComparedRow| rank(r).map_or(i64::MAX, i64::from);
        let score = |r: &ComparedRow| r.value.map(|v| -v * sign).unwrap_or(f64::MAX);
        rank(a)
            .cmp(&rank(b))
            .then(score(a).total_cmp(&score(b)))
            .then(a.municipality.cmp(&b.municipality))
    });
}

/// The set's judgement of a KPI, as the documents say it on each row.
pub(crate) fn direction_text(direction: Direction, words: &Words) -> &'static str {
    match direction {
        Direction::LowerIsBetter => words.lower_better,
        Direction::HigherIsBetter => words.higher_better,
        Direction::Neutral => words.no_judgement,
    }
}

pub(crate) struct Figure {
    /// Drawn across the page (a network's panels), not in the two-column grid.
    pub wide: bool,
    pub set_name: String,
    pub caption: String,
    pub svg: String,
}

/// A KPI's own page: its set, and each peer's own value as bars.
pub(crate) struct KpiPage {
    pub set_name: String,
    pub kpi: String,
    /// The bars' year and SVG, when the peers have figures.
    pub bars: Option<(i64, String)>,
}

pub(crate) struct Review {
    pub title: String,
    pub subtitle: String,
    pub sections: Vec<Section>,
    pub figures: Vec<Figure>,
    pub cost_quality: Option<Figure>,
    /// "Varför skiljer sig kostnaden?": the areas' cost chains split.
    pub explanations: Vec<Explanation>,
    /// The national spread per KPI and year, which ranks the summary's findings.
    pub spreads: Spreads,
    /// A page per KPI of a municipality's review (none for a network's).
    pub kpi_pages: Vec<KpiPage>,
    pub provenance: Provenance,
    pub lang: Lang,
    /// The peer specs the brief compares with; empty: every group.
    pub brief_peers: Vec<String>,
    /// The inhabitants each per-inhabitant unit is counted on, for the
    /// brief's kronor for the whole municipality.
    pub populations: Vec<Population>,
    /// Per set and KPI each peer's own figures (none for several
    /// municipalities, each against its own peers).
    pub peer_values: Vec<PeerValues>,
}

/// The inhabitants a unit is counted on, in the reviewed municipality.
#[derive(Debug, Clone)]
pub(crate) struct Population {
    /// The set's unit ("kr/inv 65+").
    pub unit: String,
    /// "invånare 65+", in the review's language.
    pub label: String,
    /// Kolada's population KPIs, summed.
    pub kpis: Vec<String>,
    /// (year, inhabitants) where every KPI has a figure.
    pub counts: Vec<(i32, f64)>,
}

impl Review {
    /// The KPIs of a section an earlier set of the same subject already
    /// shows, each with that set's title: a pack shows a KPI once.
    pub(crate) fn shown_earlier(&self, section: &Section) -> Vec<(String, String)> {
        let Some(at) = self.sections.iter().position(|s| std::ptr::eq(s, section)) else {
            return Vec::new();
        };
        let mut out: Vec<(String, String)> = Vec::new();
        for kpi in section.shown_kpis() {
            let earlier = self.sections[..at].iter().find(|s| {
                s.subject == section.subject
                    && s.set.name != section.set.name
                    && s.shown_kpis().iter().any(|k| k.id == kpi.id)
            });
            if let Some(earlier) = earlier {
                if !out.iter().any(|(k, _)| *k == kpi.id) {
                    out.push((kpi.id.clone(), earlier.set.title_in(self.lang).to_string()));
                }
            }
        }
        out
    }

    /// The sets in order of appearance: (name, title in the review's language).
    pub(crate) fn sets(&self) -> Vec<(&str, &str)> {
        let mut sets: Vec<(&str, &str)> = Vec::new();
        for s in &self.sections {
            if !sets.iter().any(|(n, _)| *n == s.set.name) {
                sets.push((&s.set.name, s.set.title_in(self.lang)));
            }
        }
        sets
    }

    /// A note per KPI the tables leave out: the source has no figure for it
    /// at all, or the municipality has none in the years shown.
    pub(crate) fn absent_notes(&self, sections: &[&Section]) -> Vec<String> {
        let words = self.lang.words();
        let mut notes: Vec<String> = Vec::new();
        for section in sections {
            let nowhere = kpis_without_figures(&section.table);
            let shown: Vec<&str> = section.shown_kpis().iter().map(|k| k.id.as_str()).collect();
            let not_here: Vec<String> = section
                .kpis
                .iter()
                .filter(|k| !shown.contains(&k.id.as_str()) && !nowhere.contains(&k.id))
                .map(|k| k.id.clone())
                .collect();
            let source = self.provenance.source_in(self.lang);
            let mut add = |note: String| {
                if !notes.contains(&note) {
                    notes.push(note);
                }
            };
            if !nowhere.is_empty() {
                add(words
                    .note_absent
                    .replace("{kpis}", &nowhere.join(", "))
                    .replace("{source}", &source)
                    .replace("{years}", &section.years_text()));
            }
            if !not_here.is_empty() {
                add(words
                    .note_no_figure
                    .replace("{kpis}", &not_here.join(", "))
                    .replace("{name}", &section.subject)
                    .replace("{years}", &section.years_text()));
            }
        }
        notes
    }

    /// The notes a reader needs for these tables: preliminary figures,
    /// breaks, what is left out, and how to read colours, ranks and scales.
    pub(crate) fn notes(&self, sections: &[&Section]) -> Vec<String> {
        let mut notes = self.table_notes(sections);
        notes.extend(self.general_notes().map(str::to_string));
        notes
    }

    /// The notes on what these tables hold, without the general ones on
    /// colours and scales (the terminal points to `--help` for those).
    pub(crate) fn table_notes(&self, sections: &[&Section]) -> Vec<String> {
        let mut notes = self.set_notes(sections);
        notes.extend(self.row_notes(sections));
        notes
    }

    /// Notes on the sets: their method changes and the KPIs left out.
    pub(crate) fn set_notes(&self, sections: &[&Section]) -> Vec<String> {
        let words = self.lang.words();
        let breaks: Vec<(String, i32)> = sections.iter().flat_map(|s| s.breaks_shown()).collect();
        let mut notes = break_notes(&breaks, words);
        notes.extend(self.absent_notes(sections));
        notes.extend(newer_notes(sections, words));
        notes
    }

    /// Notes on the rows shown: preliminary figures, small numbers, ranks
    /// by size, too few figures, moving means, prices, differing years.
    pub(crate) fn row_notes(&self, sections: &[&Section]) -> Vec<String> {
        let words = self.lang.words();
        let rows: Vec<(&Section, usize, &KpiPlan)> = sections
            .iter()
            .flat_map(|s| s.shown_rows().into_iter().map(move |(r, k)| (*s, r, k)))
            .collect();
        let mut notes = Vec::new();
        let preliminary = rows.iter().any(|(s, r, _)| s.table[*r].preliminary);
        if preliminary {
            notes.push(words.note_preliminary.to_string());
        }
        notes.extend(self.unknown_preliminary(&rows, words));
        notes.extend(reading_notes(&rows, words));
        notes.extend(volatile_notes(&rows, words, self.lang.numbers()));
        notes.extend(survey_notes(sections, words));
        notes
    }

    /// The general notes: how to read colours and scales.
    pub(crate) fn general_notes(&self) -> [&'static str; 2] {
        let words = self.lang.words();
        [words.note_bands, words.note_scales]
    }

    /// KPIs whose latest published year is shown but whose fetch date is
    /// unknown: whether that year was preliminary cannot be told.
    fn unknown_preliminary(
        &self,
        rows: &[(&Section, usize, &KpiPlan)],
        words: &Words,
    ) -> Option<String> {
        let mut kpis: Vec<&str> = Vec::new();
        for (section, row, kpi) in rows {
            let year = Some(section.table[*row].year);
            let latest = kpi.latest_published.is_some() && year == kpi.latest_published;
            if kpi.fetch_unknown && latest && !kpis.contains(&kpi.id.as_str()) {
                kpis.push(&kpi.id);
            }
        }
        (!kpis.is_empty()).then(|| {
            words
                .note_preliminary_unknown
                .replace("{kpis}", &kpis.join(", "))
        })
    }
}

/// One note per year a method changes in, naming its KPIs.
pub(crate) fn break_notes(breaks: &[(String, i32)], words: &Words) -> Vec<String> {
    let mut years: Vec<i32> = breaks.iter().map(|(_, y)| *y).collect();
    years.sort_unstable();
    years.dedup();
    years
        .into_iter()
        .map(|year| {
            let mut kpis: Vec<&str> = Vec::new();
            for (kpi, _) in breaks.iter().filter(|(_, y)| *y == year) {
                if !kpis.contains(&kpi.as_str()) {
                    kpis.push(kpi);
                }
            }
            words
                .note_break
                .replace("{kpi}", &kpis.join(", "))
                .replace("{year}", &year.to_string())
        })
        .collect()
}

/// Notes on what the shown rows hold: ranks by size, too few figures,
/// moving means, current prices, rows of another year than the rest.
fn reading_notes(rows: &[(&Section, usize, &KpiPlan)], words: &Words) -> Vec<String> {
    let mut notes = Vec::new();
    let band = |(s, r, _): &&(&Section, usize, &KpiPlan)| {
        let row = &s.table[*r];
        Band::of(row.band, row.position)
    };
    let neutral_ranked = rows
        .iter()
        .any(|(_, _, k)| k.direction == Direction::Neutral && k.scale.ranked());
    if neutral_ranked {
        notes.push(words.note_neutral_ranks.to_string());
    }
    if rows.iter().any(|row| band(&row) == Band::Few) {
        notes.push(words.note_few.to_string());
    }
    let mut small: Vec<&KpiPlan> = Vec::new();
    for (section, row, kpi) in rows {
        let flagged = section.table[*row].small_numbers == Some(true);
        if flagged && !small.iter().any(|k| k.id == kpi.id) {
            small.push(kpi);
        }
    }
    for kpi in small {
        if let Some((count, below, title)) = &kpi.small {
            notes.push(
                words
                    .note_small
                    .replace("{kpi}", &kpi.id)
                    .replace("{below}", &below.to_string())
                    .replace("{count}", &format!("{count} {title}")),
            );
        }
    }
    // A mark that rests on another year's count says so.
    for (section, row, kpi) in rows {
        let compared = &section.table[*row];
        if let (Some(true), Some(from), Some((count, ..))) =
            (compared.small_numbers, compared.count_from, &kpi.small)
        {
            notes.push(
                words
                    .note_small_from
                    .replace("{kpi}", &kpi.id)
                    .replace("{name}", &compared.municipality)
                    .replace("{year}", &compared.year.to_string())
                    .replace("{count}", count)
                    .replace("{from}", &from.to_string()),
            );
        }
    }
    if rows.iter().any(|(_, _, k)| k.rolling.is_some()) {
        notes.push(words.note_rolling.to_string());
    }
    if rows.iter().any(|(_, _, k)| k.unit.contains("kr")) {
        notes.push(words.note_prices.to_string());
    }
    let mut years: Vec<i32> = rows
        .iter()
        .filter(|(s, _, _)| !s.is_network())
        .map(|(s, r, _)| s.table[*r].year)
        .collect();
    years.sort_unstable();
    years.dedup();
    if years.len() > 1 {
        notes.push(words.note_latest_year.to_string());
    }
    notes
}

/// KPIs Kolada has published a later year of (by its catalogue) than the
/// figures shown: one note per (published, last) pair.
fn newer_notes(sections: &[&Section], words: &Words) -> Vec<String> {
    let mut found: Vec<(i32, i32, Vec<String>)> = Vec::new();
    for section in sections {
        for kpi in section.shown_kpis() {
            let last = section.latest_year(&kpi.id).map(|y| y as i32);
            let (Some(published), Some(last)) = (kpi.latest_published, last) else {
                continue;
            };
            if published <= last {
                continue;
            }
            match found
                .iter_mut()
                .find(|(p, l, _)| (*p, *l) == (published, last))
            {
                Some((_, _, kpis)) if !kpis.contains(&kpi.id) => kpis.push(kpi.id.clone()),
                Some(_) => {}
                None => found.push((published, last, vec![kpi.id.clone()])),
            }
        }
    }
    found
        .into_iter()
        .map(|(published, last, kpis)| {
            words
                .note_newer
                .replace("{kpis}", &kpis.join(", "))
                .replace("{published}", &published.to_string())
                .replace("{last}", &last.to_string())
        })
        .collect()
}

/// Survey figures whose comparison mixes Liv & Hälsa counties with the
/// rest of the country (two surveys, other ages and years): one note per
/// section and KPI, naming who answers which.
fn survey_notes(sections: &[&Section], words: &Words) -> Vec<String> {
    let mut found: Vec<(Vec<String>, Sources)> = Vec::new();
    for section in sections {
        for kpi in section.shown_kpis() {
            let Some(split) = section.mixed_sources(kpi) else {
                continue;
            };
            match found.iter_mut().find(|(_, s)| *s == split) {
                Some((kpis, _)) if !kpis.contains(&kpi.id) => kpis.push(kpi.id.clone()),
                Some(_) => {}
                None => found.push((vec![kpi.id.clone()], split)),
            }
        }
    }
    found
        .into_iter()
        .map(|(kpis, (lh, hlv))| {
            words
                .note_sources
                .replace("{kpi}", &kpis.join(", "))
                .replace("{lh}", &lh.join(", "))
                .replace("{hlv}", &hlv.join(", "))
        })
        .collect()
}

/// ‡ per row whose change is far beyond the municipality's own history.
fn volatile_notes(
    rows: &[(&Section, usize, &KpiPlan)],
    words: &Words,
    style: NumberStyle,
) -> Vec<String> {
    let mut notes = Vec::new();
    for (section, row, kpi) in rows {
        let compared = &section.table[*row];
        let Some(volatile) = compared.volatile else {
            continue;
        };
        let (now, typical) = (volatile.change, volatile.typical);
        // In the unit the rule judged it in: percent, or points of a share.
        let unit = if volatile.percent {
            format!("{}%", style.unit_space)
        } else {
            format!("{}{}", style.unit_space, words.points)
        };
        notes.push(
            words
                .note_volatile
                .replace("{kpi}", &kpi.id)
                .replace("{name}", &compared.municipality)
                .replace("{year}", &compared.year.to_string())
                .replace(
                    "{change}",
                    &format!("{}{unit}", format_number(now, 1, style, true)),
                )
                .replace(
                    "{typical}",
                    &format!("{}{unit}", format_number(typical, 1, style, false)),
                ),
        );
    }
    notes
}

/// "10 av 13 breddinfört, 1 av 13 testverksamhet, 2 av 13 nej": a category counted
/// over rows (a network's members in one year).
pub(crate) fn level_counts(
    section: &Section,
    kpi: &KpiPlan,
    rows: &[usize],
    words: &Words,
) -> Option<String> {
    let mut counts = vec![0usize; kpi.levels.len()];
    let mut with_value = 0;
    for &r in rows {
        if let Some(code) = section.table[r]
            .value
            .and_then(|v| kpi.level_label(v).map(|_| v as usize))
        {
            counts[code] += 1;
            with_value += 1;
        }
    }
    if with_value == 0 {
        return None;
    }
    let parts: Vec<String> = counts
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, n)| **n > 0)
        .map(|(code, n)| {
            format!(
                "{n} {} {with_value} {}",
                words.of,
                kpi.levels[code].to_lowercase()
            )
        })
        .collect();
    Some(parts.join(", "))
}

//! A review as the documents show it (report.html, the report's and
//! `compare`'s workbooks): comparison tables per set and peer group, charts
//! and the provenance, in one language.

use chrono::{DateTime, NaiveDate, Utc};
use polars::prelude::DataFrame;

use crate::analysis::KpiPlan;
use crate::i18n::{Lang, Words};
use crate::reading::{self, Reading};
use crate::view::Cells;

/// One comparison table: a set against one peer group, or every member of a network.
pub struct Section {
    pub set_name: String,
    pub set_title: String,
    /// What Kolada does not measure for the set's area.
    pub not_measured: Option<String>,
    /// The peer group's name for people (no ids).
    pub peers_title: String,
    pub peer_names: Vec<String>,
    pub kpis: Vec<KpiPlan>,
    /// `analysis::COLUMNS`; several municipalities for a network.
    pub table: DataFrame,
    pub network: bool,
}

impl Section {
    /// The rows of one KPI, in table order.
    pub fn rows(&self, kpi: &str) -> Vec<usize> {
        let cells = Cells(&self.table);
        (0..self.table.height())
            .filter(|&r| cells.text("kpi", r) == kpi)
            .collect()
    }

    /// Decimals for one KPI, the same in every row of it.
    pub fn decimals(&self, kpi: &str) -> usize {
        crate::view::row_decimals(&Cells(&self.table), &self.rows(kpi))
    }

    /// The latest year of a KPI with a row, per municipality the last row.
    pub fn latest_year(&self, kpi: &str) -> Option<i64> {
        let cells = Cells(&self.table);
        self.rows(kpi)
            .into_iter()
            .filter_map(|r| cells.int("year", r))
            .max()
    }

    /// The KPIs the tables show: those with a figure somewhere in the country.
    pub fn shown_kpis(&self) -> Vec<&KpiPlan> {
        let absent = crate::analysis::kpis_without_figures(&self.table);
        self.kpis
            .iter()
            .filter(|k| !absent.contains(&k.id))
            .collect()
    }

    /// The years of the table, as "2013–2022".
    pub fn years_text(&self) -> String {
        let cells = Cells(&self.table);
        let mut years: Vec<i32> = (0..self.table.height())
            .filter_map(|r| cells.int("year", r).map(|y| y as i32))
            .collect();
        years.sort_unstable();
        years.dedup();
        crate::resolve::format_years(&years).replace('-', "–")
    }

    /// A row read for people. In a network's table a category's counts
    /// stand once above the table, not in every member's row.
    pub fn reading(&self, row: usize, kpi: &KpiPlan, words: &Words) -> Reading {
        let mut reading = Reading::of(&Cells(&self.table), row, kpi, self.decimals(&kpi.id), words);
        if self.network && kpi.scale == crate::refdata::Scale::Category {
            reading.peers = crate::reading::Shown::Missing;
        }
        reading
    }

    /// For a network: the members' rows of a KPI in its latest year, best
    /// rank among the peers first (then by value, then by name).
    pub fn ranked_rows(&self, kpi: &KpiPlan) -> Vec<usize> {
        crate::view::best_first(
            &Cells(&self.table),
            &self.rows(&kpi.id),
            kpi,
            "rank_in_peers",
        )
    }

    /// KPIs with a break inside the years shown: (id, first year of the new method).
    pub fn breaks_shown(&self) -> Vec<(String, i32)> {
        let cells = Cells(&self.table);
        let mut out = Vec::new();
        for kpi in &self.kpis {
            for &year in &kpi.breaks {
                let shown = self
                    .rows(&kpi.id)
                    .iter()
                    .any(|&r| cells.int("year", r) == Some(i64::from(year)));
                if shown && !out.contains(&(kpi.id.clone(), year)) {
                    out.push((kpi.id.clone(), year));
                }
            }
        }
        out
    }
}

pub struct Figure {
    pub set_name: String,
    pub caption: String,
    pub svg: String,
}

/// Where the figures come from, for the documents: no local paths.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// "Kolada API (api.kolada.se)", "snapshot meeting-2026".
    pub source: String,
    /// Per KPI: when its figures were fetched from Kolada, if known.
    pub fetched: Vec<(String, Option<DateTime<Utc>>)>,
    /// Whether group means were computed by nyckeltal (from a snapshot).
    pub computed_groups: bool,
    pub made: NaiveDate,
    /// The spec file's name, without its folder.
    pub spec: Option<String>,
}

impl Provenance {
    /// "2026-09-01", "2026-09-01 – 2026-11-20", or that it is unknown.
    pub fn fetched_text(&self, words: &Words) -> String {
        let dates: Vec<NaiveDate> = self
            .fetched
            .iter()
            .filter_map(|(_, d)| d.map(|d| d.date_naive()))
            .collect();
        let unknown = self.fetched.iter().filter(|(_, d)| d.is_none()).count();
        let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
            return words.fetch_unknown.to_string();
        };
        let range = if first == last {
            first.to_string()
        } else {
            format!("{first} – {last}")
        };
        if unknown > 0 {
            format!(
                "{range} ({unknown} {}: {})",
                words.kpi.to_lowercase(),
                words.fetch_unknown
            )
        } else {
            range
        }
    }

    /// The lines under every document.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let words = lang.words();
        let mut lines = vec![words.attribution.to_string(), words.processing.to_string()];
        if self.computed_groups {
            lines.push(words.computed_groups.to_string());
        }
        lines.push(format!(
            "Data: {}. {}: {}.",
            self.source,
            words.fetched,
            self.fetched_text(words)
        ));
        lines.push(format!(
            "{} {} · nyckeltal {}{}",
            words.made,
            self.made,
            env!("CARGO_PKG_VERSION"),
            self.spec
                .as_ref()
                .map(|s| format!(" · {s}"))
                .unwrap_or_default()
        ));
        lines
    }
}

pub struct Review {
    pub title: String,
    pub subtitle: String,
    pub sections: Vec<Section>,
    pub figures: Vec<Figure>,
    pub cost_quality: Option<Figure>,
    pub provenance: Provenance,
    pub lang: Lang,
}

impl Review {
    /// The sets in order of appearance: (name, title).
    pub fn sets(&self) -> Vec<(&str, &str)> {
        let mut sets: Vec<(&str, &str)> = Vec::new();
        for s in &self.sections {
            if !sets.iter().any(|(n, _)| *n == s.set_name) {
                sets.push((&s.set_name, &s.set_title));
            }
        }
        sets
    }

    /// A note per KPI the tables leave out because the source has no figure for it.
    pub fn absent_notes(&self, sections: &[&Section]) -> Vec<String> {
        let words = self.lang.words();
        let mut absent: Vec<(String, String)> = Vec::new();
        for section in sections {
            for kpi in crate::analysis::kpis_without_figures(&section.table) {
                if !absent.iter().any(|(k, _)| *k == kpi) {
                    absent.push((kpi, section.years_text()));
                }
            }
        }
        absent
            .into_iter()
            .map(|(kpi, years)| {
                words
                    .note_absent
                    .replace("{kpis}", &kpi)
                    .replace("{source}", &self.provenance.source)
                    .replace("{years}", &years)
            })
            .collect()
    }

    /// The notes a reader needs for these tables: preliminary figures,
    /// breaks, bands and scales.
    pub fn notes(&self, sections: &[&Section]) -> Vec<String> {
        let words = self.lang.words();
        let mut notes = Vec::new();
        let preliminary = sections.iter().any(|s| {
            let cells = Cells(&s.table);
            (0..s.table.height()).any(|r| cells.flag("preliminary", r))
        });
        if preliminary {
            notes.push(words.note_preliminary.to_string());
        }
        let mut seen = Vec::new();
        for section in sections {
            for (kpi, year) in section.breaks_shown() {
                if !seen.contains(&(kpi.clone(), year)) {
                    notes.push(
                        words
                            .note_break
                            .replace("{kpi}", &kpi)
                            .replace("{year}", &year.to_string()),
                    );
                    seen.push((kpi, year));
                }
            }
        }
        notes.extend(self.absent_notes(sections));
        notes.push(words.note_bands.to_string());
        notes.push(words.note_scales.to_string());
        notes
    }
}

/// "10 av 13 breddinfört, 1 av 13 testverksamhet, 2 av 13 nej": a category counted
/// over rows (a network's members in one year).
pub fn level_counts(
    section: &Section,
    kpi: &KpiPlan,
    rows: &[usize],
    words: &Words,
) -> Option<String> {
    let cells = Cells(&section.table);
    let mut counts = vec![0usize; kpi.levels.len()];
    let mut with_value = 0;
    for &r in rows {
        if let Some(code) = cells
            .f64("value", r)
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

pub use reading::rank_text;

//! A review as the documents show it (report.html, the report's and
//! `compare`'s workbooks): comparison tables per set and peer group, charts
//! and the provenance, in one language.

use polars::prelude::DataFrame;

use super::provenance::Provenance;
use super::reading::{Reading, Shown};
use super::terminal::{best_first, row_decimals};
use super::words::Words;
use crate::analysis::cells::Cells;
use crate::analysis::compare::kpis_without_figures;
use crate::analysis::kpi::KpiPlan;
use crate::model::lang::Lang;
use crate::model::scale::Scale;
use crate::model::years::format_years;

/// One comparison table: a set against one peer group, or every member of a network.
pub(crate) struct Section {
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
    pub(crate) fn rows(&self, kpi: &str) -> Vec<usize> {
        let cells = Cells(&self.table);
        (0..self.table.height())
            .filter(|&r| cells.text("kpi", r) == kpi)
            .collect()
    }

    /// Decimals for one KPI, the same in every row of it.
    pub(crate) fn decimals(&self, kpi: &str) -> usize {
        row_decimals(&Cells(&self.table), &self.rows(kpi))
    }

    /// The latest year of a KPI with a row, per municipality the last row.
    pub(crate) fn latest_year(&self, kpi: &str) -> Option<i64> {
        let cells = Cells(&self.table);
        self.rows(kpi)
            .into_iter()
            .filter_map(|r| cells.int("year", r))
            .max()
    }

    /// The KPIs the tables show: those with a figure somewhere in the country.
    pub(crate) fn shown_kpis(&self) -> Vec<&KpiPlan> {
        let absent = kpis_without_figures(&self.table);
        self.kpis
            .iter()
            .filter(|k| !absent.contains(&k.id))
            .collect()
    }

    /// The years of the table, as "2013–2022".
    pub(crate) fn years_text(&self) -> String {
        let cells = Cells(&self.table);
        let mut years: Vec<i32> = (0..self.table.height())
            .filter_map(|r| cells.int("year", r).map(|y| y as i32))
            .collect();
        years.sort_unstable();
        years.dedup();
        format_years(&years).replace('-', "–")
    }

    /// A row read for people. In a network's table a category's counts
    /// stand once above the table, not in every member's row.
    pub(crate) fn reading(&self, row: usize, kpi: &KpiPlan, words: &Words) -> Reading {
        let mut reading = Reading::of(&Cells(&self.table), row, kpi, self.decimals(&kpi.id), words);
        if self.network && kpi.scale == Scale::Category {
            reading.peers = Shown::Missing;
        }
        reading
    }

    /// For a network: the members' rows of a KPI in its latest year, best
    /// rank among the peers first (then by value, then by name).
    pub(crate) fn ranked_rows(&self, kpi: &KpiPlan) -> Vec<usize> {
        best_first(
            &Cells(&self.table),
            &self.rows(&kpi.id),
            kpi,
            "rank_in_peers",
        )
    }

    /// KPIs with a break inside the years shown: (id, first year of the new method).
    pub(crate) fn breaks_shown(&self) -> Vec<(String, i32)> {
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

pub(crate) struct Figure {
    pub set_name: String,
    pub caption: String,
    pub svg: String,
}

pub(crate) struct Review {
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
    pub(crate) fn sets(&self) -> Vec<(&str, &str)> {
        let mut sets: Vec<(&str, &str)> = Vec::new();
        for s in &self.sections {
            if !sets.iter().any(|(n, _)| *n == s.set_name) {
                sets.push((&s.set_name, &s.set_title));
            }
        }
        sets
    }

    /// A note per KPI the tables leave out because the source has no figure for it.
    pub(crate) fn absent_notes(&self, sections: &[&Section]) -> Vec<String> {
        let words = self.lang.words();
        let mut absent: Vec<(String, String)> = Vec::new();
        for section in sections {
            for kpi in kpis_without_figures(&section.table) {
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
    pub(crate) fn notes(&self, sections: &[&Section]) -> Vec<String> {
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
pub(crate) fn level_counts(
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

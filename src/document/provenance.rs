//! Where figures come from, said the same way under every table and in
//! every document: Kolada's terms ask for "Källa: Kolada", and that our
//! own processing (group means from a snapshot, ranks, deviations) is not
//! presented as Kolada's. No line names a local path.

use chrono::{DateTime, NaiveDate, Utc};

use super::words::{kolada_source, Words, ATTRIBUTION};
use crate::model::ids::is_group_id;
use crate::model::lang::Lang;
use crate::source::{DataSource, Described};

/// The attribution every table of figures carries; with the processing
/// named when the table holds group means nyckeltal computed.
pub(crate) fn source_lines(source: &dyn DataSource, entities: &[String]) -> Vec<String> {
    let mut lines = vec![format!(
        concat!(kolada_source!(), " ({})"),
        source.describe()
    )];
    let groups: Vec<&str> = entities
        .iter()
        .filter(|id| is_group_id(id))
        .map(String::as_str)
        .collect();
    if !groups.is_empty() && source.computes_group_means() {
        lines[0] = format!(
            concat!(kolada_source!(), " ({}). Bearbetning: nyckeltal"),
            source.describe()
        );
        lines.push(format!(
            "{}: the unweighted mean of the members with a value, computed by nyckeltal from the snapshot, not Kolada's own figure",
            groups.join(", ")
        ));
    }
    lines
}

/// The lines under a table of figures nyckeltal processed (ranks,
/// deviations): the attribution, the source and when it was fetched.
pub(crate) fn processed_lines(source: &dyn DataSource) -> Vec<String> {
    let fetched = source
        .fetched_at()
        .map(|t| {
            format!(
                "fetched {}",
                t.with_timezone(&chrono::Local).format("%Y-%m-%d")
            )
        })
        .unwrap_or_else(|| "fetch date unknown".to_string());
    vec![
        ATTRIBUTION.to_string(),
        format!("Data: {}, {fetched}", source.describe()),
    ]
}

/// Where the figures come from, for the documents: no local paths.
#[derive(Debug, Clone)]
pub(crate) struct Provenance {
    /// The Kolada API, the cache, or a snapshot by its folder's name.
    pub source: Described,
    /// Per KPI (id, Kolada's title): when its figures were fetched from
    /// Kolada, if known.
    pub fetched: Vec<(String, String, Option<DateTime<Utc>>)>,
    /// Whether group means were computed by nyckeltal (from a snapshot).
    pub computed_groups: bool,
    pub made: NaiveDate,
    /// The spec file's name, without its folder.
    pub spec: Option<String>,
}

impl Provenance {
    /// Where the figures come from, in the documents' language.
    pub(crate) fn source_in(&self, lang: Lang) -> String {
        let words = lang.words();
        match &self.source {
            Described::Snapshot { name } => format!("{} '{name}'", words.snapshot),
            Described::Cache { host, offline } => {
                let api = format!("Kolada API ({host})");
                let text = if *offline {
                    words.offline_cache
                } else {
                    words.through_cache
                };
                text.replace("{api}", &api)
            }
            other => other.english(),
        }
    }

    /// "2026-09-01", "2026-09-01 – 2026-11-20", or that it is unknown.
    pub(crate) fn fetched_text(&self, words: &Words) -> String {
        let dates: Vec<NaiveDate> = self
            .fetched
            .iter()
            .filter_map(|(_, _, d)| d.map(|d| d.date_naive()))
            .collect();
        let unknown = self.fetched.iter().filter(|(_, _, d)| d.is_none()).count();
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
    pub(crate) fn lines(&self, lang: Lang) -> Vec<String> {
        let words = lang.words();
        let mut lines = vec![words.attribution.to_string(), words.processing.to_string()];
        if self.computed_groups {
            lines.push(words.computed_groups.to_string());
        }
        lines.push(format!(
            "Data: {}. {}: {}.",
            self.source_in(lang),
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

/// Where the figures of a review come from, for documents people share:
/// the source without local paths, when each KPI (id, title) was fetched,
/// whether group values were computed here, the spec's file name.
pub(crate) fn review_provenance(
    source: &dyn DataSource,
    kpis: &[(String, String)],
    computed_groups: bool,
    spec: Option<&std::path::Path>,
) -> Provenance {
    let mut fetched: Vec<(String, String, Option<DateTime<Utc>>)> = Vec::new();
    for (kpi, title) in kpis {
        if !fetched.iter().any(|(k, _, _)| k == kpi) {
            fetched.push((kpi.clone(), title.clone(), source.fetched_for(kpi)));
        }
    }
    Provenance {
        source: source.described(),
        fetched,
        computed_groups,
        made: chrono::Local::now().date_naive(),
        spec: spec
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned()),
    }
}

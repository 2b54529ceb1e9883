//! A snapshot directory (`--source PATH`): Kolada's metadata as JSON and the
//! values in the DDF CSV layout, read without any network.
//!
//! ```text
//! meta/kpi.json  meta/municipality.json  meta/municipality_groups.json
//! ddf/datapoints--by--geo--year/ddf--datapoints--<kpi>--by--geo--year.csv
//! ddf/datapoints--by--geo--gender--year/ddf--datapoints--<kpi>--by--geo--gender--year.csv
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result};
use indicatif::ProgressBar;
use serde::de::DeserializeOwned;

use super::{sort_observations, DataSource, FetchStats, ValueQuery};
use crate::error;
use crate::kolada::is_group_id;
use crate::model::{Gender, Group, Kpi, Municipality, Observation};

pub const META_FILES: [&str; 3] = [
    "meta/kpi.json",
    "meta/municipality.json",
    "meta/municipality_groups.json",
];
pub const TOTALS_DIR: &str = "ddf/datapoints--by--geo--year";
pub const GENDER_DIR: &str = "ddf/datapoints--by--geo--gender--year";

pub struct Snapshot {
    root: PathBuf,
    groups: OnceLock<Vec<Group>>,
}

impl Snapshot {
    /// Open a snapshot directory, checking that its parts are there.
    pub fn open(root: &Path) -> Result<Snapshot> {
        if !root.is_dir() {
            return Err(error::source(format!(
                "snapshot directory {} does not exist; --source takes a folder with meta/ and ddf/ (e.g. ../shared/kolada)",
                root.display()
            )));
        }
        for part in META_FILES.iter().chain(&[TOTALS_DIR]) {
            if !root.join(part).exists() {
                return Err(error::source(format!(
                    "snapshot {} is missing {part}; a snapshot needs {} and {TOTALS_DIR}/ (see README, 'Snapshots')",
                    root.display(),
                    META_FILES.join(", ")
                )));
            }
        }
        Ok(Snapshot {
            root: root.to_path_buf(),
            groups: OnceLock::new(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn read_meta<T: DeserializeOwned>(&self, part: &str) -> Result<Vec<T>> {
        let path = self.root.join(part);
        let bytes =
            crate::files::read_limited(&path, MAX_SNAPSHOT_FILE, "the snapshot file", |m| {
                error::source(m)
            })?;
        serde_json::from_slice(&bytes).map_err(|e| {
            error::source(format!(
                "{} is not a Kolada v3 list ({e}); re-create the snapshot",
                path.display()
            ))
        })
    }

    fn groups_cached(&self) -> Result<&Vec<Group>> {
        if self.groups.get().is_none() {
            let groups: Vec<Group> = self.read_meta(META_FILES[2])?;
            check_ids(
                &self.root,
                META_FILES[2],
                groups.iter().flat_map(|g| {
                    std::iter::once(g.id.as_str())
                        .chain(g.members.iter().map(|m| m.member_id.as_str()))
                }),
            )?;
            let _ = self.groups.set(groups);
        }
        Ok(self.groups.get().expect("set above"))
    }

    /// Every value of one KPI: totals for all entities and years, plus the
    /// women/men split where the snapshot has it. Empty when the KPI has no data.
    pub fn kpi_observations(&self, kpi: &str) -> Result<Vec<Observation>> {
        if !crate::kolada::is_kolada_id(kpi) {
            return Err(error::source(format!(
                "'{kpi}' is not a Kolada KPI id (letters and digits only); the snapshot's catalogue is damaged"
            )));
        }
        let lower = kpi.to_lowercase();
        let mut out = Vec::new();
        let totals = self
            .root
            .join(TOTALS_DIR)
            .join(format!("ddf--datapoints--{lower}--by--geo--year.csv"));
        if totals.exists() {
            read_ddf(&totals, kpi, false, &mut out)?;
        }
        let split = self.root.join(GENDER_DIR).join(format!(
            "ddf--datapoints--{lower}--by--geo--gender--year.csv"
        ));
        if split.exists() {
            read_ddf(&split, kpi, true, &mut out)?;
        }
        Ok(out)
    }
}

/// Kolada ids from DDF geo codes: `1419` stays, `14` → `0014`, `0` → `0000`.
pub fn kolada_id(geo: &str) -> String {
    if geo.len() >= 4 {
        geo.to_string()
    } else {
        format!("{geo:0>4}")
    }
}

/// DDF geo codes from Kolada ids (the inverse of [`kolada_id`]).
pub fn ddf_geo(id: &str) -> String {
    match id {
        "0000" => "0".to_string(),
        _ if id.starts_with("00") => id[2..].to_string(),
        _ => id.to_string(),
    }
}

/// The largest snapshot file read (the catalogue is ~5 MB, a KPI's values
/// ~0.2 MB): a bound, so a wrong or hostile folder cannot exhaust memory.
pub const MAX_SNAPSHOT_FILE: u64 = 256 * 1024 * 1024;

/// One DDF datapoints file, read strictly: every row must be whole and
/// valid, or the file is reported with its line (exit 6). A damaged file
/// must never yield fewer figures silently.
fn read_ddf(path: &Path, kpi: &str, by_gender: bool, out: &mut Vec<Observation>) -> Result<()> {
    let at = |line: u64, what: String| {
        error::source(format!(
            "{} line {line}: {what}; the snapshot is damaged: re-create it (nyckeltal snapshot save) or copy it again",
            path.display()
        ))
    };
    let bytes = crate::files::read_limited(path, MAX_SNAPSHOT_FILE, "the snapshot file", |m| {
        error::source(m)
    })?;
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
    if !bytes.is_empty() && !bytes.ends_with(b"\n") {
        return Err(at(lines + 1, "the file ends in the middle of a row".into()));
    }
    // A carriage return is only allowed as part of a \r\n line end.
    if let Some(i) = bytes
        .windows(2)
        .position(|w| w[0] == b'\r' && w[1] != b'\n')
    {
        let line = bytes[..i].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        return Err(at(
            line,
            "a stray carriage return (\\r) inside a line".into(),
        ));
    }
    let lower = kpi.to_lowercase();
    let expected: Vec<&str> = if by_gender {
        vec!["geo", "gender", "year", &lower]
    } else {
        vec!["geo", "year", &lower]
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes.as_slice());
    let header = reader
        .headers()
        .map_err(|e| at(1, format!("unreadable header ({e})")))?
        .clone();
    if header.iter().collect::<Vec<_>>() != expected {
        return Err(at(
            1,
            format!(
                "the header is '{}', expected '{}'",
                header.iter().collect::<Vec<_>>().join(","),
                expected.join(",")
            ),
        ));
    }
    let mut seen: HashSet<(String, i32, Gender)> = HashSet::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            match e.kind() {
                csv::ErrorKind::UnequalLengths { len, .. } => {
                    at(line, format!("{len} fields, expected {}", expected.len()))
                }
                _ => at(line, format!("not CSV ({e})")),
            }
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let geo = &record[0];
        if geo.is_empty() || geo.len() > 4 || !geo.bytes().all(|b| b.is_ascii_digit()) {
            return Err(at(
                line,
                format!("'{geo}' is not a municipality or region code"),
            ));
        }
        let gender = if by_gender {
            match record[1].trim() {
                "k" | "K" => Gender::K,
                "m" | "M" => Gender::M,
                other => return Err(at(line, format!("gender '{other}' is not k or m"))),
            }
        } else {
            Gender::T
        };
        let year_text = &record[expected.len() - 2];
        let year: i32 = match year_text.parse() {
            Ok(year) if (1900..=2100).contains(&year) => year,
            _ => return Err(at(line, format!("'{year_text}' is not a year"))),
        };
        let value_text = &record[expected.len() - 1];
        let value: f64 = match value_text.parse::<f64>() {
            Ok(value) if value.is_finite() => value,
            _ => {
                return Err(at(
                    line,
                    format!("'{value_text}' is not a number (a decimal point, no NaN or inf)"),
                ))
            }
        };
        let entity = kolada_id(geo);
        if !seen.insert((entity.clone(), year, gender)) {
            return Err(at(line, format!("a second value for {geo} in {year}")));
        }
        out.push(Observation {
            kpi: kpi.to_string(),
            entity,
            year,
            gender,
            value: Some(value),
            count: Some(1),
            status: String::new(),
        });
    }
    Ok(())
}

/// A group's value the way Kolada computes it: per year and gender, the
/// unweighted mean of the members that have a value, with their count.
pub fn group_means(
    kpi: &str,
    group: &Group,
    observations: &[Observation],
    years: &HashSet<i32>,
) -> Vec<Observation> {
    let members: HashSet<&str> = group.members.iter().map(|m| m.member_id.as_str()).collect();
    let mut sums: BTreeMap<(i32, Gender), (f64, u32)> = BTreeMap::new();
    for o in observations {
        if o.kpi == kpi && years.contains(&o.year) && members.contains(o.entity.as_str()) {
            if let Some(v) = o.value {
                let slot = sums.entry((o.year, o.gender)).or_insert((0.0, 0));
                slot.0 += v;
                slot.1 += 1;
            }
        }
    }
    sums.into_iter()
        .map(|((year, gender), (sum, n))| Observation {
            kpi: kpi.to_string(),
            entity: group.id.clone(),
            year,
            gender,
            value: Some(sum / n as f64),
            count: Some(n),
            status: String::new(),
        })
        .collect()
}

/// A snapshot's list must hold Kolada ids only: they become file names.
fn check_ids<'a>(root: &Path, part: &str, ids: impl IntoIterator<Item = &'a str>) -> Result<()> {
    match crate::kolada::first_invalid_id(ids) {
        None => Ok(()),
        Some(id) => Err(error::source(format!(
            "{} holds the id '{}', which is not a Kolada id (letters and digits only); the snapshot is damaged: re-create it",
            root.join(part).display(),
            id.escape_debug()
        ))),
    }
}

impl DataSource for Snapshot {
    fn kpis(&self) -> Result<Vec<Kpi>> {
        let kpis: Vec<Kpi> = self.read_meta(META_FILES[0])?;
        check_ids(
            &self.root,
            META_FILES[0],
            kpis.iter().map(|k| k.id.as_str()),
        )?;
        Ok(kpis)
    }

    fn municipalities(&self) -> Result<Vec<Municipality>> {
        let list: Vec<Municipality> = self.read_meta(META_FILES[1])?;
        check_ids(
            &self.root,
            META_FILES[1],
            list.iter().map(|m| m.id.as_str()),
        )?;
        Ok(list)
    }

    fn groups(&self) -> Result<Vec<Group>> {
        Ok(self.groups_cached()?.clone())
    }

    fn values(
        &self,
        query: &ValueQuery,
        progress: Option<&ProgressBar>,
    ) -> Result<Vec<Observation>> {
        let years: HashSet<i32> = query.years.iter().copied().collect();
        let group_ids: Vec<&String> = query.entities.iter().filter(|e| is_group_id(e)).collect();
        let groups: HashMap<&str, &Group> = if group_ids.is_empty() {
            HashMap::new()
        } else {
            self.groups_cached()?
                .iter()
                .map(|g| (g.id.as_str(), g))
                .collect()
        };
        crate::progress::add_work(progress, query.kpis.len() as u64, "KPIs");
        let mut observations = Vec::new();
        for kpi in &query.kpis {
            let all = self
                .kpi_observations(kpi)
                .with_context(|| format!("reading {kpi} from the snapshot"))?;
            for id in &group_ids {
                if let Some(group) = groups.get(id.as_str()) {
                    observations.extend(group_means(kpi, group, &all, &years));
                }
            }
            observations.extend(all);
            if let Some(bar) = progress {
                bar.inc(1);
            }
        }
        query.retain_asked(&mut observations);
        sort_observations(&mut observations);
        Ok(observations)
    }

    fn stats(&self) -> FetchStats {
        FetchStats::default()
    }

    /// When the snapshot's figures were fetched, if its `snapshot.json`
    /// says so (a copied folder's file dates say nothing about the figures).
    fn fetched_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.stamp()
            .and_then(|stamp| stamp.fetched.values().min().copied().or(stamp.fetched_at))
    }

    fn fetched_for(&self, kpi: &str) -> Option<chrono::DateTime<chrono::Utc>> {
        let stamp = self.stamp()?;
        stamp.fetched.get(kpi).copied().or(stamp.fetched_at)
    }

    /// The folder by its name only: a document never shows a local path.
    fn describe(&self) -> String {
        let name = self
            .root
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "snapshot".to_string());
        format!("snapshot '{name}'")
    }

    fn computes_group_means(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geo_codes_map_both_ways() {
        for (geo, id) in [
            ("1419", "1419"),
            ("0114", "0114"),
            ("14", "0014"),
            ("01", "0001"),
            ("0", "0000"),
        ] {
            assert_eq!(kolada_id(geo), id);
            assert_eq!(ddf_geo(id), geo);
        }
    }
}

/// What a snapshot holds and when it was taken (`snapshot.json`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    /// When the oldest of the figures was fetched from Kolada; absent when
    /// the source did not know (never the day the snapshot was saved).
    #[serde(default)]
    pub fetched_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Per KPI: when its figures were fetched from Kolada, where known.
    #[serde(default)]
    pub fetched: BTreeMap<String, chrono::DateTime<chrono::Utc>>,
    /// Where the figures came from.
    pub source: String,
    pub kpis: Vec<String>,
    pub municipalities: Vec<String>,
    pub years: Vec<i32>,
}

impl Snapshot {
    /// The scope recorded by `snapshot save`, if any.
    pub fn stamp(&self) -> Option<Stamp> {
        let path = self.root.join("snapshot.json");
        let bytes = crate::files::read_limited(
            &path,
            MAX_SNAPSHOT_FILE,
            "the snapshot file",
            error::source,
        )
        .ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

/// Write a snapshot directory that `--source` reads back: the metadata, the
/// values in the DDF layout and `snapshot.json`. Written next to `path` and
/// renamed into place; an existing snapshot is replaced only with `replace`.
pub fn write(
    path: &Path,
    replace: bool,
    meta: (&[Kpi], &[Municipality], &[Group]),
    observations: &[Observation],
    stamp: &Stamp,
) -> Result<()> {
    if path.exists() && !replace {
        return Err(error::output(format!(
            "{} exists; choose another folder or add --force to replace it",
            path.display()
        )));
    }
    // --force replaces a snapshot (or an empty folder), never other files.
    let replaceable =
        |dir: &Path| dir.join("snapshot.json").exists() || crate::render::holds_only(dir, &[]);
    crate::render::write_dir(path, replaceable, |root| {
        write_contents(root, meta, observations, stamp)
    })
}

fn write_contents(
    root: &Path,
    meta: (&[Kpi], &[Municipality], &[Group]),
    observations: &[Observation],
    stamp: &Stamp,
) -> Result<()> {
    use crate::render::write_file;
    write_file(root, META_FILES[0], &serde_json::to_vec(meta.0)?)?;
    write_file(root, META_FILES[1], &serde_json::to_vec(meta.1)?)?;
    write_file(root, META_FILES[2], &serde_json::to_vec(meta.2)?)?;
    std::fs::create_dir_all(root.join(TOTALS_DIR))?;

    let mut by_kpi: BTreeMap<&str, Vec<&Observation>> = BTreeMap::new();
    for o in observations
        .iter()
        .filter(|o| o.value.is_some() && !is_group_id(&o.entity))
    {
        by_kpi.entry(o.kpi.as_str()).or_default().push(o);
    }
    for (kpi, rows) in by_kpi {
        let lower = kpi.to_lowercase();
        let mut totals = format!("geo,year,{lower}\n");
        let mut split = format!("geo,gender,year,{lower}\n");
        let mut has_split = false;
        for o in rows {
            // f64's Display is the shortest text that reads back as the same number.
            let value = o.value.expect("filtered above");
            match o.gender {
                Gender::T => {
                    totals.push_str(&format!("{},{},{value}\n", ddf_geo(&o.entity), o.year))
                }
                g => {
                    has_split = true;
                    split.push_str(&format!(
                        "{},{},{},{value}\n",
                        ddf_geo(&o.entity),
                        g.code().to_lowercase(),
                        o.year
                    ));
                }
            }
        }
        write_file(
            root,
            &format!("{TOTALS_DIR}/ddf--datapoints--{lower}--by--geo--year.csv"),
            totals.as_bytes(),
        )?;
        if has_split {
            write_file(
                root,
                &format!("{GENDER_DIR}/ddf--datapoints--{lower}--by--geo--gender--year.csv"),
                split.as_bytes(),
            )?;
        }
    }
    write_file(root, "snapshot.json", &serde_json::to_vec_pretty(stamp)?)?;
    Ok(())
}

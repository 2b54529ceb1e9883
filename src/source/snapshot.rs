//! A snapshot directory (`--source PATH`): Kolada's metadata as JSON and the
//! values in the DDF CSV layout, read without any network.
//!
//! ```text
//! meta/kpi.json  meta/municipality.json  meta/municipality_groups.json
//! ddf/datapoints--by--geo--year/ddf--datapoints--<kpi>--by--geo--year.csv
//! ddf/datapoints--by--geo--gender--year/ddf--datapoints--<kpi>--by--geo--gender--year.csv
//! ```

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::OnceLock;

use anyhow::{Context, Result};
use serde::de::DeserializeOwned;

use super::{DataSource, Described, FetchStats, ValueQuery};
use crate::base::error;
use crate::base::manifest::{self, FileMark, Manifest};
use crate::base::progress::Progress;
use crate::base::read::read_limited;
use crate::model::ids::{first_invalid_id, is_group_id, is_kolada_id};
use crate::model::values::plausible_figure;
use crate::model::{sort_observations, Gender, Group, Kpi, Municipality, Observation};

pub(crate) const META_FILES: [&str; 3] = [
    "meta/kpi.json",
    "meta/municipality.json",
    "meta/municipality_groups.json",
];
pub(crate) const TOTALS_DIR: &str = "ddf/datapoints--by--geo--year";
pub(crate) const GENDER_DIR: &str = "ddf/datapoints--by--geo--gender--year";

pub(crate) struct Snapshot {
    root: PathBuf,
    /// What `snapshot save` wrote, when it did: the files are checked against it.
    manifest: Option<Manifest>,
    groups: OnceLock<Vec<Group>>,
    /// The KPIs read so far in this run, the latest last: a run that asks
    /// for a KPI again (a report's sets, its cost-vs-quality pair) reads its
    /// files once. At most [`KEPT_KPIS`], so memory stays bounded.
    kept: RefCell<VecDeque<(String, Rc<Vec<Observation>>)>>,
}

/// How many KPIs' figures a snapshot keeps in memory once read.
const KEPT_KPIS: usize = 64;

impl Snapshot {
    /// Open a snapshot directory, checking that its parts are there.
    pub(crate) fn open(root: &Path) -> Result<Snapshot> {
        if !root.is_dir() {
            return Err(error::source(format!(
                "snapshot directory {} does not exist; --source takes a folder with meta/ and ddf/ (e.g. ../shared/kolada)",
                root.display()
            )));
        }
        for part in META_FILES.iter().chain(&[TOTALS_DIR]) {
            if !root.join(part).exists() {
                return Err(error::source(format!(
                    "snapshot {} is missing {part}; a snapshot needs {} and {TOTALS_DIR}/ (see docs/cache-and-snapshots.md, 'Snapshots')",
                    root.display(),
                    META_FILES.join(", ")
                )));
            }
        }
        Ok(Snapshot {
            root: root.to_path_buf(),
            manifest: manifest::read(root, error::source)?,
            groups: OnceLock::new(),
            kept: RefCell::new(VecDeque::new()),
        })
    }

    fn read_meta<T: DeserializeOwned>(&self, part: &str) -> Result<Vec<T>> {
        let path = self.root.join(part);
        let bytes = self
            .read_checked(part)?
            .ok_or_else(|| damaged(&path, 0, "the file is missing"))?;
        serde_json::from_slice(&bytes).map_err(|e| {
            error::source(format!(
                "{} is not a Kolada v3 list ({e}); re-create the snapshot",
                path.display()
            ))
        })
    }

    fn groups_cached(&self) -> Result<&Vec<Group>> {
        if let Some(groups) = self.groups.get() {
            return Ok(groups);
        }
        let groups: Vec<Group> = self.read_meta(META_FILES[2])?;
        check_ids(
            &self.root,
            META_FILES[2],
            groups.iter().flat_map(|g| {
                std::iter::once(g.id.as_str()).chain(g.members.iter().map(|m| m.member_id.as_str()))
            }),
        )?;
        Ok(self.groups.get_or_init(|| groups))
    }

    /// Every value of one KPI: totals for all entities and years, plus the
    /// women/men split where the snapshot has it. Empty when the KPI has no data.
    pub(crate) fn kpi_observations(&self, kpi: &str) -> Result<Vec<Observation>> {
        if !is_kolada_id(kpi) {
            return Err(error::source(format!(
                "'{kpi}' is not a Kolada KPI id (letters and digits only); the snapshot's catalogue is damaged"
            )));
        }
        let lower = kpi.to_lowercase();
        let mut out = Vec::new();
        let totals = format!("{TOTALS_DIR}/ddf--datapoints--{lower}--by--geo--year.csv");
        let split = format!("{GENDER_DIR}/ddf--datapoints--{lower}--by--geo--gender--year.csv");
        for (relative, by_gender) in [(totals, false), (split, true)] {
            if let Some(bytes) = self.read_checked(&relative)? {
                read_ddf(&self.root.join(&relative), &bytes, kpi, by_gender, &mut out)?;
            }
        }
        Ok(out)
    }

    /// A values file's bytes, `None` when the snapshot has no such file.
    /// A link to nothing, a loop, or (in a folder `snapshot save` wrote) a
    /// file its manifest lists but that is missing, cut or changed is
    /// damage (exit 6), never "no values".
    fn read_checked(&self, relative: &str) -> Result<Option<Vec<u8>>> {
        let path = self.root.join(relative);
        let listed = self.manifest.as_ref().map(|m| m.files.get(relative));
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return match listed {
                    Some(Some(_)) => Err(damaged(&path, 0, "the file is missing")),
                    _ => Ok(None),
                };
            }
            Err(e) => return Err(damaged(&path, 0, &format!("unreadable ({e})"))),
            Ok(meta) if meta.file_type().is_symlink() && std::fs::metadata(&path).is_err() => {
                return Err(damaged(&path, 0, "a link to nothing (or a loop of links)"));
            }
            Ok(_) => {}
        }
        let bytes = read_limited(&path, MAX_SNAPSHOT_FILE, "the snapshot file", error::source)?;
        match listed {
            Some(None) => Err(damaged(&path, 0, "a file snapshot save did not write")),
            Some(Some(mark)) if FileMark::of(&bytes) != *mark => Err(damaged(
                &path,
                0,
                "the file was cut or changed after snapshot save wrote it",
            )),
            _ => Ok(Some(bytes)),
        }
    }
}

impl Snapshot {
    /// A KPI's figures, read once in a run (see [`Snapshot::kept`]).
    fn kept_observations(&self, kpi: &str) -> Result<Rc<Vec<Observation>>> {
        if let Some((_, kept)) = self.kept.borrow().iter().find(|(k, _)| k == kpi) {
            return Ok(Rc::clone(kept));
        }
        let read = Rc::new(self.kpi_observations(kpi)?);
        let mut kept = self.kept.borrow_mut();
        if kept.len() >= KEPT_KPIS {
            kept.pop_front();
        }
        kept.push_back((kpi.to_string(), Rc::clone(&read)));
        Ok(read)
    }
}

/// Kolada ids from DDF geo codes: `1419` stays, `14` → `0014`, `0` → `0000`.
/// The KPIs of a folder of datapoints files
/// (`ddf--datapoints--<kpi><suffix>`); a name that is not a Kolada id is
/// not a KPI's file. A missing folder holds none.
fn kpis_in(dir: &Path, suffix: &str) -> Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(error::source(format!(
                "cannot list {} ({e}); check the snapshot folder",
                dir.display()
            )))
        }
    };
    let mut ids = Vec::new();
    for entry in entries {
        let name = entry
            .map_err(|e| error::source(format!("cannot list {} ({e})", dir.display())))?
            .file_name();
        let id = name
            .to_str()
            .and_then(|n| n.strip_prefix("ddf--datapoints--"))
            .and_then(|n| n.strip_suffix(suffix))
            .map(str::to_uppercase);
        ids.extend(id.filter(|id| is_kolada_id(id)));
    }
    Ok(ids)
}

pub(crate) fn kolada_id(geo: &str) -> String {
    if geo.len() >= 4 {
        geo.to_string()
    } else {
        format!("{geo:0>4}")
    }
}

/// DDF geo codes from Kolada ids (the inverse of [`kolada_id`]).
pub(crate) fn ddf_geo(id: &str) -> String {
    match id {
        "0000" => "0".to_string(),
        _ if id.starts_with("00") => id[2..].to_string(),
        _ => id.to_string(),
    }
}

/// The largest snapshot file read (the catalogue is ~5 MB, a KPI's values
/// ~0.2 MB): a bound, so a wrong or hostile folder cannot exhaust memory.
pub(crate) const MAX_SNAPSHOT_FILE: u64 = 256 * 1024 * 1024;

/// An error naming a damaged snapshot file and line (exit 6).
/// A damaged file, with the line where that is known (0: the whole file).
fn damaged(path: &Path, line: u64, what: &str) -> anyhow::Error {
    let place = match line {
        0 => String::new(),
        n => format!(" line {n}"),
    };
    error::source(format!(
        "{}{place}: {what}; the snapshot is damaged: re-create it (nyckeltal snapshot save) or copy it again",
        path.display()
    ))
}

/// The line (from 1) that a byte offset falls on, counting \n line ends
/// as the file has them (\r\n counts once).
fn line_at(bytes: &[u8], offset: u64) -> u64 {
    let mut start = (offset as usize).min(bytes.len());
    // The csv reader may place a row after a \r\n at its \n (or \r).
    while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
        start += 1;
    }
    bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// One DDF datapoints file, read strictly: every row must be whole and
/// valid, or the file is reported with its line (exit 6). A damaged file
/// must never yield fewer figures silently.
fn read_ddf(
    path: &Path,
    bytes: &[u8],
    kpi: &str,
    by_gender: bool,
    out: &mut Vec<Observation>,
) -> Result<()> {
    check_line_ends(path, bytes)?;
    let lower = kpi.to_lowercase();
    let expected: Vec<&str> = if by_gender {
        vec!["geo", "gender", "year", &lower]
    } else {
        vec!["geo", "year", &lower]
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| damaged(path, 1, &format!("unreadable header ({e})")))?
        .clone();
    if header.iter().collect::<Vec<_>>() != expected {
        return Err(damaged(
            path,
            1,
            &format!(
                "the header is '{}', expected '{}'",
                header.iter().collect::<Vec<_>>().join(","),
                expected.join(",")
            ),
        ));
    }
    let mut seen: HashSet<(String, i32, Gender)> = HashSet::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| line_at(bytes, p.byte()));
            match e.kind() {
                csv::ErrorKind::UnequalLengths { len, .. } => damaged(
                    path,
                    line,
                    &format!("{len} fields, expected {}", expected.len()),
                ),
                _ => damaged(path, line, &format!("not CSV ({e})")),
            }
        })?;
        // Counted only for a message: counting for every row is quadratic.
        let line = || record.position().map_or(0, |p| line_at(bytes, p.byte()));
        let (entity, year, gender, value) =
            parse_record(&record, by_gender).map_err(|what| damaged(path, line(), &what))?;
        if !seen.insert((entity.clone(), year, gender)) {
            return Err(damaged(
                path,
                line(),
                &format!("a second value for {} in {year}", &record[0]),
            ));
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

/// A file must end with a line end, and a carriage return is only allowed
/// as part of a \r\n line end.
fn check_line_ends(path: &Path, bytes: &[u8]) -> Result<()> {
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
    if !bytes.is_empty() && !bytes.ends_with(b"\n") {
        return Err(damaged(
            path,
            lines + 1,
            "the file ends in the middle of a row",
        ));
    }
    if let Some(i) = bytes
        .windows(2)
        .position(|w| w[0] == b'\r' && w[1] != b'\n')
    {
        let line = bytes[..i].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        return Err(damaged(
            path,
            line,
            "a stray carriage return (\\r) inside a line",
        ));
    }
    Ok(())
}

/// One row: (Kolada id, year, gender, value), or what is wrong with it.
fn parse_record(
    record: &csv::StringRecord,
    by_gender: bool,
) -> Result<(String, i32, Gender, f64), String> {
    let geo = &record[0];
    if geo.is_empty() || geo.len() > 4 || !geo.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("'{geo}' is not a municipality or region code"));
    }
    let gender = if by_gender {
        match record[1].trim() {
            "k" | "K" => Gender::K,
            "m" | "M" => Gender::M,
            other => return Err(format!("gender '{other}' is not k or m")),
        }
    } else {
        Gender::T
    };
    let columns = record.len();
    let year_text = &record[columns - 2];
    let year: i32 = match year_text.parse() {
        Ok(year) if (1900..=2100).contains(&year) => year,
        _ => return Err(format!("'{year_text}' is not a year")),
    };
    let value_text = &record[columns - 1];
    let value: f64 = match value_text.parse::<f64>() {
        Ok(value) if plausible_figure(value) => value,
        _ => {
            return Err(format!(
                "'{value_text}' is not a number of a sane size (a decimal point, no NaN or inf, at most 1e15)"
            ))
        }
    };
    Ok((kolada_id(geo), year, gender, value))
}

/// A group's value the way Kolada computes it: per year and gender, the
/// unweighted mean of the members that have a value, with their count.
pub(crate) fn group_means(
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
    match first_invalid_id(ids) {
        None => Ok(()),
        Some(id) => Err(error::source(format!(
            "{} holds the id '{}', which is not a Kolada id (letters and digits only); the snapshot is damaged: re-create it",
            root.join(part).display(),
            id.escape_debug()
        ))),
    }
}

/// A catalogue list names each id once: a second entry would give one
/// code two names (1419 shown as another municipality).
fn check_unique<'a>(root: &Path, part: &str, ids: impl IntoIterator<Item = &'a str>) -> Result<()> {
    let mut seen = HashSet::new();
    match ids.into_iter().find(|id| !seen.insert(*id)) {
        None => Ok(()),
        Some(id) => Err(error::source(format!(
            "{} lists the id '{id}' twice; the snapshot is damaged: re-create it",
            root.join(part).display()
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
        check_unique(
            &self.root,
            META_FILES[0],
            kpis.iter().map(|k| k.id.as_str()),
        )?;
        Ok(kpis)
    }

    fn kpis_with_figures(&self) -> Result<Option<Vec<String>>> {
        let mut ids = Vec::new();
        for (dir, suffix) in [
            (TOTALS_DIR, "--by--geo--year.csv"),
            (GENDER_DIR, "--by--geo--gender--year.csv"),
        ] {
            ids.extend(kpis_in(&self.root.join(dir), suffix)?);
        }
        ids.sort();
        ids.dedup();
        Ok(Some(ids))
    }

    fn municipalities(&self) -> Result<Vec<Municipality>> {
        let list: Vec<Municipality> = self.read_meta(META_FILES[1])?;
        check_ids(
            &self.root,
            META_FILES[1],
            list.iter().map(|m| m.id.as_str()),
        )?;
        check_unique(
            &self.root,
            META_FILES[1],
            list.iter().map(|m| m.id.as_str()),
        )?;
        Ok(list)
    }

    fn groups(&self) -> Result<Vec<Group>> {
        Ok(self.groups_cached()?.clone())
    }

    fn values(&self, query: &ValueQuery, progress: &dyn Progress) -> Result<Vec<Observation>> {
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
        progress.add_work(query.kpis.len() as u64, "KPIs");
        let entities: HashSet<&str> = query.entities.iter().map(String::as_str).collect();
        let mut observations = Vec::new();
        for kpi in &query.kpis {
            let all = self
                .kept_observations(kpi)
                .with_context(|| format!("reading {kpi} from the snapshot"))?;
            for id in &group_ids {
                if let Some(group) = groups.get(id.as_str()) {
                    observations.extend(group_means(kpi, group, &all, &years));
                }
            }
            let asked =
                |o: &&Observation| entities.contains(o.entity.as_str()) && years.contains(&o.year);
            observations.extend(all.iter().filter(asked).cloned());
            progress.advance(1);
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
    fn described(&self) -> Described {
        let name = self
            .root
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "snapshot".to_string());
        Described::Snapshot { name }
    }

    fn computes_group_means(&self) -> bool {
        true
    }
}

/// What a snapshot holds and when it was taken (`snapshot.json`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Stamp {
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
    pub(crate) fn stamp(&self) -> Option<Stamp> {
        let path = self.root.join("snapshot.json");
        let bytes =
            read_limited(&path, MAX_SNAPSHOT_FILE, "the snapshot file", error::source).ok()?;
        serde_json::from_slice(&bytes).ok()
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

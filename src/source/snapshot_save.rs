//! Writing a snapshot folder that `--source` reads back: the metadata,
//! the values in the DDF layout and `snapshot.json` (what it holds and
//! when its figures were fetched).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;

use super::snapshot::{ddf_geo, Stamp, GENDER_DIR, META_FILES, TOTALS_DIR};
use crate::base::error;
use crate::base::manifest::FolderKind;
use crate::base::write::{write_dir, write_file};
use crate::model::ids::is_group_id;
use crate::model::{Gender, Group, Kpi, Municipality, Observation};

/// Write a snapshot directory that `--source` reads back: the metadata, the
/// values in the DDF layout and `snapshot.json`. Written next to `path` and
/// renamed into place; an existing snapshot is replaced only with `replace`.
pub(crate) fn write(
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
    // --force replaces a snapshot nyckeltal wrote (or an empty folder),
    // never a user's files beside it.
    write_dir(path, FolderKind::Snapshot, |root| {
        write_contents(root, meta, observations, stamp)
    })
}

fn write_contents(
    root: &Path,
    meta: (&[Kpi], &[Municipality], &[Group]),
    observations: &[Observation],
    stamp: &Stamp,
) -> Result<()> {
    write_file(root, META_FILES[0], &serde_json::to_vec(meta.0)?)?;
    write_file(root, META_FILES[1], &serde_json::to_vec(meta.1)?)?;
    write_file(root, META_FILES[2], &serde_json::to_vec(meta.2)?)?;
    std::fs::create_dir_all(root.join(TOTALS_DIR))?;

    // Figures only (a snapshot has no empty cells), of places (a group's
    // mean is computed again when read).
    let mut by_kpi: BTreeMap<&str, Vec<(&Observation, f64)>> = BTreeMap::new();
    for o in observations.iter().filter(|o| !is_group_id(&o.entity)) {
        if let Some(value) = o.value {
            by_kpi.entry(o.kpi.as_str()).or_default().push((o, value));
        }
    }
    for (kpi, rows) in by_kpi {
        let lower = kpi.to_lowercase();
        let mut totals = format!("geo,year,{lower}\n");
        let mut split = format!("geo,gender,year,{lower}\n");
        let mut has_split = false;
        for (o, value) in rows {
            // f64's Display is the shortest text that reads back as the same number.
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

//! What nyckeltal wrote into a folder (a report pack, a snapshot): every
//! file's size and CRC-32, in `.nyckeltal.json`. A folder is replaced only
//! when it holds exactly what its manifest lists, unchanged, so a user's own
//! files beside a pack are never deleted; a snapshot's reader checks the
//! files it reads against it, so a deleted, cut or swapped file is found.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::base::error;
use crate::base::read::read_limited;

/// The manifest's name inside the folder it describes.
pub(crate) const MANIFEST: &str = ".nyckeltal.json";

/// A manifest larger than this is not one nyckeltal wrote.
const MAX_MANIFEST: u64 = 16 << 20;

/// How many entries a refusal names before "and N more".
const NAMED: usize = 4;

#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Manifest {
    /// Which tool wrote the folder (a person reading the file sees why it is there).
    pub(crate) written_by: String,
    /// Path inside the folder (with `/`) → what the file held when written.
    pub(crate) files: BTreeMap<String, FileMark>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileMark {
    pub(crate) bytes: u64,
    pub(crate) crc32: String,
}

impl FileMark {
    pub(crate) fn of(content: &[u8]) -> FileMark {
        FileMark {
            bytes: content.len() as u64,
            crc32: format!("{:08x}", crc32fast::hash(content)),
        }
    }
}

/// Record every file under `dir` in its manifest.
pub(crate) fn write(dir: &Path) -> Result<()> {
    let mut files = BTreeMap::new();
    for (relative, kind) in entries(dir)? {
        if kind == Kind::File {
            let content = std::fs::read(dir.join(&relative))?;
            files.insert(relative, FileMark::of(&content));
        }
    }
    let manifest = Manifest {
        written_by: format!("nyckeltal {}", env!("CARGO_PKG_VERSION")),
        files,
    };
    std::fs::write(dir.join(MANIFEST), serde_json::to_vec_pretty(&manifest)?)?;
    Ok(())
}

/// The manifest of `dir`, if it has one; a damaged manifest is an error
/// made by `damaged`.
pub(crate) fn read(dir: &Path, damaged: fn(String) -> anyhow::Error) -> Result<Option<Manifest>> {
    let path = dir.join(MANIFEST);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let bytes = read_limited(&path, MAX_MANIFEST, "the folder's manifest", damaged)?;
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| damaged(format!("{} is damaged ({e})", path.display())))
}

/// What in `dir` nyckeltal did not write, or what changed since: empty
/// when the folder may be replaced whole. A folder without a manifest may
/// be replaced only when it is empty.
pub(crate) fn foreign_entries(dir: &Path) -> Result<Vec<String>> {
    let manifest = read(dir, error::output)?.unwrap_or_default();
    let mut foreign = Vec::new();
    for (relative, kind) in entries(dir)? {
        let described = match kind {
            Kind::Folder if manifest.lists_under(&relative) => continue,
            Kind::Folder => format!("{relative}/"),
            Kind::File if relative == MANIFEST => continue,
            Kind::File => match manifest.files.get(&relative) {
                None => relative,
                Some(mark) => {
                    let content = std::fs::read(dir.join(&relative))?;
                    if FileMark::of(&content) == *mark {
                        continue;
                    }
                    format!("{relative} (changed since nyckeltal wrote it)")
                }
            },
            Kind::Other => format!("{relative} (a link or special file)"),
        };
        foreign.push(described);
    }
    Ok(foreign)
}

/// "a, b, c and 2 more": the first few of a list, for one line.
pub(crate) fn name_some(names: &[String]) -> String {
    let shown = names[..names.len().min(NAMED)].join(", ");
    match names.len().saturating_sub(NAMED) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

impl Manifest {
    fn lists_under(&self, folder: &str) -> bool {
        let prefix = format!("{folder}/");
        self.files.keys().any(|f| f.starts_with(&prefix))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Folder,
    Other,
}

/// Every entry under `dir` (links not followed), as a path with `/`, parents first.
fn entries(dir: &Path) -> Result<Vec<(String, Kind)>> {
    let mut out = Vec::new();
    let mut pending = vec![String::new()];
    while let Some(folder) = pending.pop() {
        let mut names = Vec::new();
        for entry in std::fs::read_dir(dir.join(&folder))? {
            names.push(entry?.file_name().to_string_lossy().into_owned());
        }
        names.sort();
        for name in names {
            let relative = if folder.is_empty() {
                name
            } else {
                format!("{folder}/{name}")
            };
            let meta = std::fs::symlink_metadata(dir.join(&relative))?;
            let kind = if meta.is_dir() {
                pending.push(relative.clone());
                Kind::Folder
            } else if meta.is_file() {
                Kind::File
            } else {
                Kind::Other
            };
            out.push((relative, kind));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_the_manifest_lists_unchanged_may_be_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert!(foreign_entries(root).unwrap().is_empty(), "empty folder");
        std::fs::create_dir(root.join("ddf")).unwrap();
        std::fs::write(root.join("ddf/a.csv"), "x\n").unwrap();
        std::fs::write(root.join("report.html"), "<p>").unwrap();
        write(root).unwrap();
        assert!(foreign_entries(root).unwrap().is_empty());
        std::fs::write(root.join("notes.docx"), "mine").unwrap();
        std::fs::create_dir(root.join("photos")).unwrap();
        std::fs::write(root.join("report.html"), "<p>edited").unwrap();
        assert_eq!(
            foreign_entries(root).unwrap(),
            [
                "notes.docx",
                "photos/",
                "report.html (changed since nyckeltal wrote it)"
            ]
        );
    }

    #[test]
    fn without_a_manifest_only_an_empty_folder_may_be_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("data.csv"), "mine").unwrap();
        assert_eq!(foreign_entries(dir.path()).unwrap(), ["data.csv"]);
    }
}

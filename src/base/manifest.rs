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

/// What a folder nyckeltal wrote is: `report -o` replaces only a review
/// pack, `snapshot save --force` only a snapshot, so a slip of the folder
/// name never turns a frozen snapshot into a pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FolderKind {
    Report,
    Snapshot,
}

impl FolderKind {
    /// What a person calls it, in a message.
    pub(crate) fn described(self) -> &'static str {
        match self {
            FolderKind::Report => "a review pack (report -o)",
            FolderKind::Snapshot => "a snapshot (snapshot save)",
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Manifest {
    /// Which tool wrote the folder (a person reading the file sees why it is there).
    pub(crate) written_by: String,
    /// What the folder is; missing in manifests written before it was
    /// recorded (see [`Manifest::folder_kind`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) kind: Option<FolderKind>,
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

    /// Whether the file at `path` is still what this mark says: the size
    /// first, then the CRC read in pieces (a listed file swapped for a
    /// huge one is never read whole).
    pub(crate) fn matches_file(&self, path: &Path) -> std::io::Result<bool> {
        if std::fs::symlink_metadata(path)?.len() != self.bytes {
            return Ok(false);
        }
        let mut file = std::fs::File::open(path)?;
        let mut hasher = crc32fast::Hasher::new();
        let mut buffer = vec![0u8; 64 << 10];
        loop {
            let read = std::io::Read::read(&mut file, &mut buffer)?;
            if read == 0 {
                break;
            }
            hasher.update(&buffer[..read]);
        }
        Ok(format!("{:08x}", hasher.finalize()) == self.crc32)
    }
}

/// Record every file under `dir`, and what the folder is, in its manifest.
pub(crate) fn write(dir: &Path, kind: FolderKind) -> Result<()> {
    let mut files = BTreeMap::new();
    for (relative, kind) in entries(dir, |_| true)? {
        if kind == Kind::File {
            let content = std::fs::read(dir.join(&relative))?;
            files.insert(relative, FileMark::of(&content));
        }
    }
    let manifest = Manifest {
        written_by: format!("nyckeltal {}", env!("CARGO_PKG_VERSION")),
        kind: Some(kind),
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
    // A few are enough to say no: a home folder is never walked whole.
    for (relative, kind) in entries(dir, |folder| manifest.lists_under(folder))? {
        if foreign.len() > NAMED {
            break;
        }
        let described = match kind {
            Kind::Folder if manifest.lists_under(&relative) => continue,
            Kind::Folder => format!("{relative}/"),
            Kind::File if relative == MANIFEST => continue,
            Kind::File => match manifest.files.get(&relative) {
                None => relative,
                Some(mark) => {
                    if mark.matches_file(&dir.join(&relative))? {
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

/// Delete what nyckeltal wrote in `dir`, unchanged, and `dir` itself when
/// nothing else is left. An error means something else is there (kept).
pub(crate) fn remove_written(dir: &Path) -> Result<()> {
    let manifest = read(dir, error::output)?.unwrap_or_default();
    let all = entries(dir, |folder| manifest.lists_under(folder))?;
    for (relative, kind) in &all {
        let listed = manifest.files.get(relative);
        if *kind == Kind::File && listed.is_some() {
            let path = dir.join(relative);
            if listed.is_some_and(|mark| mark.matches_file(&path).unwrap_or(false)) {
                std::fs::remove_file(path)?;
            }
        }
    }
    match std::fs::remove_file(dir.join(MANIFEST)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
        _ => {}
    }
    // Children come after their parents in `entries`: remove deepest first.
    for (relative, kind) in all.iter().rev() {
        if *kind == Kind::Folder {
            let _ = std::fs::remove_dir(dir.join(relative));
        }
    }
    std::fs::remove_dir(dir)?;
    Ok(())
}

/// "a, b, c, d and more": the first few of a list, for one line (the list
/// of [`foreign_entries`] stops after one more than are named).
pub(crate) fn name_some(names: &[String]) -> String {
    let shown = names[..names.len().min(NAMED)].join(", ");
    if names.len() > NAMED {
        format!("{shown} and more")
    } else {
        shown
    }
}

impl Manifest {
    /// What the folder is: as recorded, or, in a manifest from before the
    /// kind was recorded, told by the file only that kind writes.
    pub(crate) fn folder_kind(&self) -> Option<FolderKind> {
        self.kind.or_else(|| {
            if self.files.contains_key("snapshot.json") {
                Some(FolderKind::Snapshot)
            } else if self.files.contains_key("report.html") {
                Some(FolderKind::Report)
            } else {
                None
            }
        })
    }

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

/// Every entry under `dir` (links not followed), as a path with `/`,
/// parents first; only the folders `descend` names are looked into.
fn entries(dir: &Path, descend: impl Fn(&str) -> bool) -> Result<Vec<(String, Kind)>> {
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
                if descend(&relative) {
                    pending.push(relative.clone());
                }
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
        write(root, FolderKind::Report).unwrap();
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
    fn the_kind_is_recorded_and_told_from_old_manifests() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("snapshot.json"), "{}").unwrap();
        write(dir.path(), FolderKind::Snapshot).unwrap();
        let read_back = read(dir.path(), error::output).unwrap().unwrap();
        assert_eq!(read_back.kind, Some(FolderKind::Snapshot));
        let old: Manifest = serde_json::from_str(
            r#"{"written_by":"nyckeltal 0.1.0","files":{"report.html":{"bytes":3,"crc32":"00000000"}}}"#,
        )
        .unwrap();
        assert_eq!(old.folder_kind(), Some(FolderKind::Report));
    }

    #[test]
    fn without_a_manifest_only_an_empty_folder_may_be_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("data.csv"), "mine").unwrap();
        assert_eq!(foreign_entries(dir.path()).unwrap(), ["data.csv"]);
    }
}

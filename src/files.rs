//! Files from outside and files we write, handled so that nothing odd at a
//! path can hurt: inputs must be regular files of a bounded size; outputs
//! follow a symlink to the file it names (the link stays), write into a
//! FIFO or character device as it is (`-o /dev/null`), refuse anything else
//! that is not a regular file, and replace a regular file atomically. Our
//! temporary files carry the writing process's id, so the next write to the
//! same folder can clear what a killed run left behind.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::Result;

use crate::error;

/// The size limit for files people write by hand: specs, sets, peer lists.
pub const MAX_HAND_WRITTEN: u64 = 1024 * 1024;

/// The name prefix of every temporary file and folder nyckeltal makes.
const TEMP_PREFIX: &str = ".nyckeltal-";

/// How many symlinks in a row are followed before giving up (as Linux does).
const MAX_LINKS: usize = 40;

/// The bytes of a regular file of at most `limit` bytes. `what` names the
/// file for the message ("the spec", "the snapshot file"); `kind` makes
/// the error (usage for hand-written files, source for snapshots).
pub fn read_limited(
    path: &Path,
    limit: u64,
    what: &str,
    kind: fn(String) -> anyhow::Error,
) -> Result<Vec<u8>> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| {
        kind(format!(
            "cannot read {what} {} ({e}); check the path",
            path.display()
        ))
    })?;
    if !meta.is_file() {
        return Err(kind(format!(
            "{what} {} is not a regular file; give the path of a file",
            path.display()
        )));
    }
    if meta.len() > limit {
        return Err(kind(format!(
            "{what} {} is {} bytes, more than the {} allowed; is it the right file?",
            path.display(),
            meta.len(),
            limit
        )));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| kind(format!("cannot read {what} {} ({e})", path.display())))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow between the check and the read: never read past the limit.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| kind(format!("cannot read {what} {} ({e})", path.display())))?;
    if bytes.len() as u64 > limit {
        return Err(kind(format!(
            "{what} {} is larger than the {limit} bytes allowed",
            path.display()
        )));
    }
    Ok(bytes)
}

/// A hand-written text file (spec, set, peer list): regular, at most 1 MiB, UTF-8.
pub fn read_hand_written(path: &Path, what: &str) -> Result<String> {
    let bytes = read_limited(path, MAX_HAND_WRITTEN, what, |m| error::usage(m))?;
    String::from_utf8(bytes).map_err(|_| {
        error::usage(format!(
            "{what} {} is not UTF-8 text; save it as UTF-8",
            path.display()
        ))
    })
}

/// The path a chain of symlinks ends at (the path itself when it is none).
/// A link that points nowhere yet ends at the file it names.
pub fn follow_links(path: &Path) -> Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&current).map_err(|e| {
                    error::output(format!("cannot read the link {} ({e})", current.display()))
                })?;
                current = if target.is_absolute() {
                    target
                } else {
                    current
                        .parent()
                        .unwrap_or_else(|| Path::new("."))
                        .join(target)
                };
            }
            _ => return Ok(current),
        }
    }
    Err(error::output(format!(
        "{} is a chain of more than {MAX_LINKS} links; give the file itself",
        path.display()
    )))
}

/// Where the bytes for `-o PATH` go.
#[derive(Debug, PartialEq, Eq)]
pub enum Destination {
    /// A regular file, or nothing yet: written beside it and renamed over it.
    Replace(PathBuf),
    /// A FIFO or character device (`/dev/null`, a named pipe): written into as it is.
    Stream(PathBuf),
}

/// What to do with `-o PATH`: see [`Destination`]. A folder, socket or
/// block device is refused (exit 7).
pub fn destination(path: &Path) -> Result<Destination> {
    let resolved = follow_links(path)?;
    let meta = match std::fs::metadata(&resolved) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Destination::Replace(resolved))
        }
        Err(e) => {
            return Err(error::output(format!(
                "cannot write {} ({e}); check the path",
                path.display()
            )))
        }
    };
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(Destination::Replace(resolved));
    }
    if kind.is_dir() {
        return Err(error::output(format!(
            "{} is a folder; give a file name (e.g. {}/out.csv)",
            path.display(),
            path.display()
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() || kind.is_char_device() {
            return Ok(Destination::Stream(resolved));
        }
    }
    Err(error::output(format!(
        "{} is not a regular file (a socket or device); give a file name",
        path.display()
    )))
}

/// The prefix of this process's temporary names: `.nyckeltal-PID-`.
pub fn temp_prefix() -> String {
    format!("{TEMP_PREFIX}{}-", std::process::id())
}

/// The old copy of `name` kept while a folder is replaced: `.nyckeltal-PID-old-NAME`.
pub fn old_copy_name(name: &str) -> String {
    format!("{}old-{name}", temp_prefix())
}

/// Clear what killed runs of nyckeltal left in `dir`: temporary files and
/// half-built folders of processes that are gone. A folder set aside while
/// a report was replaced is put back when its place is empty, so nothing
/// that was there is lost. Done once per folder and process.
pub fn clean_stale_temps(dir: &Path) {
    static CLEANED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
    {
        let mut cleaned = CLEANED.lock().unwrap_or_else(|e| e.into_inner());
        let set = cleaned.get_or_insert_with(HashSet::new);
        if !set.insert(dir.to_path_buf()) {
            return;
        }
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name.strip_prefix(TEMP_PREFIX) else {
            continue;
        };
        let Some((pid, tail)) = rest.split_once('-') else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if !writer_is_gone(pid, &entry.path()) {
            continue;
        }
        let path = entry.path();
        if let Some(original) = tail.strip_prefix("old-") {
            let original = dir.join(original);
            if std::fs::symlink_metadata(&original).is_err() {
                let _ = std::fs::rename(&path, &original);
                continue;
            }
        }
        if path.is_dir() {
            let _ = std::fs::remove_dir_all(&path);
        } else {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Whether the process that made a temporary file can no longer be writing
/// it: it is not running (Linux: no /proc entry), or, where that cannot be
/// told, the file has not changed for a day.
fn writer_is_gone(pid: u32, path: &Path) -> bool {
    if pid == std::process::id() {
        return false;
    }
    if Path::new("/proc/self").exists() {
        return !Path::new("/proc").join(pid.to_string()).exists();
    }
    std::fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > Duration::from_secs(24 * 3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_followed_to_the_file_they_name() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.csv");
        std::fs::write(&target, "old").unwrap();
        #[cfg(unix)]
        {
            let link = dir.path().join("link.csv");
            std::os::unix::fs::symlink("real.csv", &link).unwrap();
            assert_eq!(
                destination(&link).unwrap(),
                Destination::Replace(dir.path().join("real.csv"))
            );
            let looped = dir.path().join("loop");
            std::os::unix::fs::symlink("loop", &looped).unwrap();
            assert!(destination(&looped).is_err());
        }
        assert!(destination(dir.path()).is_err(), "a folder is refused");
    }

    #[test]
    fn a_stale_temp_file_is_cleared_and_a_set_aside_folder_put_back() {
        let dir = tempfile::tempdir().unwrap();
        // No process has this id on Linux (pid_max is at most 2^22).
        let stale = dir.path().join(".nyckeltal-4294967-abc.tmp");
        std::fs::write(&stale, "half").unwrap();
        let aside = dir.path().join(".nyckeltal-4294967-old-report");
        std::fs::create_dir(&aside).unwrap();
        std::fs::write(aside.join("report.html"), "kept").unwrap();
        let mine = dir.path().join(format!("{}x.tmp", temp_prefix()));
        std::fs::write(&mine, "in progress").unwrap();
        let other = dir.path().join("notes.txt");
        std::fs::write(&other, "theirs").unwrap();
        clean_stale_temps(dir.path());
        if Path::new("/proc/self").exists() {
            assert!(!stale.exists());
            assert_eq!(
                std::fs::read_to_string(dir.path().join("report/report.html")).unwrap(),
                "kept"
            );
        }
        assert!(mine.exists(), "this process's own file stays");
        assert!(other.exists());
    }
}

//! Files nyckeltal writes, so that nothing is lost or half-written: `-o`
//! follows a symlink to the file it names (the link stays), writes into a
//! FIFO or character device as it is (`-o /dev/null`), refuses anything
//! else that is not a regular file, and replaces a regular file
//! atomically; folders (reports, snapshots) are built aside and put in
//! place whole. Temporary files carry the writing process's id, so the
//! next write to the same folder can clear what a killed run left behind.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::Result;

use crate::base::manifest::FolderKind;
use crate::base::{error, manifest};

/// The name prefix of every temporary file and folder nyckeltal makes.
const TEMP_PREFIX: &str = ".nyckeltal-";

/// How many symlinks in a row are followed before giving up (as Linux does).
const MAX_LINKS: usize = 40;

/// The path a chain of symlinks ends at (the path itself when it is none).
/// A link that points nowhere yet ends at the file it names.
pub(crate) fn follow_links(path: &Path) -> Result<PathBuf> {
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

/// Whether `path`, or a link on the way from it, names a descriptor this
/// process already has open (`/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`).
fn names_an_open_descriptor(path: &Path) -> Result<bool> {
    let is_descriptor = |p: &Path| {
        let parent = p.parent().unwrap_or(Path::new(""));
        ["/dev/stdout", "/dev/stderr"]
            .iter()
            .any(|d| p == Path::new(d))
            || [Path::new("/dev/fd"), Path::new("/proc/self/fd")].contains(&parent)
            || (parent.file_name() == Some("fd".as_ref())
                && parent.parent().and_then(Path::parent) == Some(Path::new("/proc")))
    };
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        if is_descriptor(&current) {
            return Ok(true);
        }
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let Ok(target) = std::fs::read_link(&current) else {
                    return Ok(false);
                };
                current = current.parent().unwrap_or(Path::new(".")).join(target);
            }
            _ => return Ok(false),
        }
    }
    Ok(false)
}

/// Where the bytes for `-o PATH` go.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Destination {
    /// A regular file, or nothing yet: written beside it and renamed over it.
    Replace(PathBuf),
    /// A FIFO or character device (`/dev/null`, a named pipe): written into as it is.
    Stream(PathBuf),
}

/// What to do with `-o PATH`: see [`Destination`]. A folder, socket or
/// block device is refused (exit 7).
pub(crate) fn destination(path: &Path) -> Result<Destination> {
    if names_an_open_descriptor(path)? {
        // `-o /dev/stdout >> log.txt`, `-o /dev/fd/63`: the stream the shell
        // opened, never the file behind it replaced.
        return Ok(Destination::Stream(path.to_path_buf()));
    }
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
pub(crate) fn temp_prefix() -> String {
    format!("{TEMP_PREFIX}{}-", std::process::id())
}

/// The old copy of `name` kept while a folder is replaced: `.nyckeltal-PID-old-NAME`.
pub(crate) fn old_copy_name(name: &str) -> String {
    format!("{}old-{name}", temp_prefix())
}

/// Clear what killed runs of nyckeltal left in `dir`: temporary files and
/// half-built folders of processes that are gone. A folder set aside while
/// a report was replaced is put back when its place is empty, so nothing
/// that was there is lost. Done once per folder and process.
pub(crate) fn clean_stale_temps(dir: &Path) {
    static CLEANED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
    {
        let mut cleaned = crate::base::lock(&CLEANED);
        let set = cleaned.get_or_insert_with(HashSet::new);
        if !set.insert(dir.to_path_buf()) {
            return;
        }
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        // Only files and folders are ever ours: a FIFO, socket, device or
        // link named like ours is never opened (opening a FIFO waits for
        // ever) nor followed.
        if !entry.file_type().is_ok_and(|t| t.is_file() || t.is_dir()) {
            continue;
        }
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
/// it: nobody holds its lock (a writer in another PID namespace has its
/// own process ids), and it is not running (Linux: no /proc entry), or,
/// where that cannot be told, the file has not changed for a day.
fn writer_is_gone(pid: u32, path: &Path) -> bool {
    if pid == std::process::id() || is_locked(path) {
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

/// Run `write` against a file (atomically) or standard output.
pub(crate) fn write_to(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match path {
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            match write(&mut out).and_then(|_| Ok(out.flush()?)) {
                Err(e) if is_broken_pipe(&e) => Ok(()),
                Err(e) if e.downcast_ref::<std::io::Error>().is_some() => Err(error::output(
                    format!("cannot write to standard output ({e}); check the disk or the pipe it goes to"),
                )),
                other => other,
            }
        }
        Some(asked) => {
            let fail = |e: &dyn std::fmt::Display| {
                error::output(format!(
                    "cannot write {} ({e}); check that the folder exists and is writable",
                    asked.display()
                ))
            };
            let keep_user_errors = |e: anyhow::Error| match e.downcast::<error::UserError>() {
                Ok(user) => user.into(),
                Err(other) => fail(&format!("{other:#}")),
            };
            let path = match destination(asked)? {
                Destination::Stream(path) => {
                    // A pipe, device or open descriptor takes the bytes as
                    // they come, appended (`>> log.txt` keeps its lines);
                    // there is no file to replace.
                    let file = std::fs::OpenOptions::new()
                        .append(true)
                        .open(&path)
                        .map_err(|e| fail(&e))?;
                    let mut out = std::io::BufWriter::new(file);
                    return match write(&mut out).and_then(|_| Ok(out.flush()?)) {
                        Err(e) if is_broken_pipe(&e) => Ok(()),
                        Err(e) => Err(keep_user_errors(e)),
                        Ok(()) => Ok(()),
                    };
                }
                Destination::Replace(path) => path,
            };
            let parent = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            clean_stale_temps(parent);
            let mut builder = tempfile::Builder::new();
            let prefix = temp_prefix();
            builder.prefix(&prefix).suffix(".tmp");
            // A new file is for sharing: the usual rw-r--r--, not a temp
            // file's rw-------; a file replaced keeps its own mode (a 0600
            // file stays private).
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode =
                    std::fs::metadata(&path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
                builder.permissions(std::fs::Permissions::from_mode(mode));
            }
            let mut file = builder.tempfile_in(parent).map_err(|e| fail(&e))?;
            // Held while the file is written (see `writer_is_gone`).
            let _ = file.as_file().try_lock();
            {
                let mut out = std::io::BufWriter::new(file.as_file_mut());
                write(&mut out).map_err(keep_user_errors)?;
                out.flush().map_err(|e| fail(&e))?;
            }
            file.as_file().sync_all().map_err(|e| fail(&e))?;
            file.persist(&path).map_err(|e| fail(&e.error))?;
            Ok(())
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Build a folder with `fill` in a temporary folder beside `path`, then put
/// it in place with its manifest: a failure leaves no half-written folder.
/// An existing folder is replaced only when it is the same `kind` and holds
/// nothing but what nyckeltal wrote there, unchanged (so a mistyped `-o .`,
/// a user's notes beside a pack or a snapshot named by a slip are never
/// deleted); the new folder keeps the old one's mode and group (a shared
/// 2770 folder stays shared).
pub(crate) fn write_dir(
    asked: &Path,
    kind: FolderKind,
    fill: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    let (resolved, existing) = folder_target(asked, kind)?;
    let path = resolved.as_path();
    let fail = |e: &dyn std::fmt::Display| {
        error::output(format!(
            "cannot write {} ({e}); check that the folder above it is writable",
            asked.display()
        ))
    };
    let parent = parent_of(path);
    let prefix = temp_prefix();
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    #[cfg(unix)]
    {
        // A new folder is for sharing (umask applies), not a temp folder's rwx------.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o777));
    }
    let staging = builder.tempdir_in(parent).map_err(|e| fail(&e))?;
    // Held while the folder is built, so no other run takes it for a killed one's.
    let _in_use = hold_lock(staging.path());
    if let Some(meta) = &existing {
        keep_mode_and_group(staging.path(), meta);
    }
    fill(staging.path())?;
    manifest::write(staging.path(), kind).map_err(|e| fail(&e))?;
    let staged = staging.keep();
    if existing.is_some() {
        replace_folder(asked, &staged, path)
    } else {
        std::fs::rename(&staged, path).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staged);
            fail(&e)
        })
    }
}

/// Whether `asked` can take a folder of `kind`, looked at before any work
/// (and again by [`write_dir`] when it puts the folder in place): the
/// folder a link names, and what is there now, if anything.
pub(crate) fn folder_target(
    asked: &Path,
    kind: FolderKind,
) -> Result<(PathBuf, Option<std::fs::Metadata>)> {
    // "/", "." and "..": no folder nyckeltal may build and put in place.
    if asked.file_name().is_none() {
        return Err(error::output(format!(
            "-o {} names no new folder; give one, such as out/tjorn",
            asked.display()
        )));
    }
    // A link to a folder: the folder it names is replaced, the link stays.
    let resolved = follow_links(asked)?;
    let parent = parent_of(&resolved);
    std::fs::create_dir_all(parent).map_err(|e| {
        error::output(format!(
            "cannot write {} ({e}); check that the folder above it is writable",
            asked.display()
        ))
    })?;
    // Before anything is decided: a folder a killed run set aside is put
    // back here, so the decision below sees it.
    clean_stale_temps(parent);
    let existing = match std::fs::symlink_metadata(&resolved) {
        Ok(meta) if !meta.is_dir() => {
            return Err(error::output(format!(
                "{} is a file, not a folder; choose another name",
                asked.display()
            )))
        }
        Ok(meta) => Some(meta),
        Err(_) => None,
    };
    if existing.is_some() {
        check_replaceable(asked, &resolved, kind)?;
    }
    Ok((resolved, existing))
}

/// The folder a path is in ("." for a bare name).
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Refuse to replace a folder of another kind, or one holding anything
/// nyckeltal did not write (exit 7).
fn check_replaceable(asked: &Path, path: &Path, kind: FolderKind) -> Result<()> {
    let found = manifest::read(path, error::output)?.and_then(|m| m.folder_kind());
    if let Some(found) = found.filter(|found| *found != kind) {
        return Err(error::output(format!(
            "{} is {}, not {}; nothing was replaced: choose another folder",
            asked.display(),
            found.described(),
            kind.described()
        )));
    }
    let foreign = manifest::foreign_entries(path)
        .map_err(|e| error::output(format!("cannot read {} ({e})", asked.display())))?;
    if !foreign.is_empty() {
        return Err(error::output(format!(
            "{} holds files nyckeltal did not write: {}; nothing was replaced: move them away or choose a new or empty folder",
            asked.display(),
            manifest::name_some(&foreign)
        )));
    }
    Ok(())
}

/// Rename the built folder over `path`. The old folder is set aside first
/// and looked at again there: anything saved into it while the new one was
/// built puts it back (exit 7). Only what nyckeltal wrote is then deleted;
/// a file that arrives even later is kept in a folder beside it.
fn replace_folder(asked: &Path, staged: &Path, path: &Path) -> Result<()> {
    let fail = |e: &dyn std::fmt::Display| {
        error::output(format!(
            "cannot replace {} ({e}); nothing was replaced",
            asked.display()
        ))
    };
    let parent = path.parent().unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let old = parent.join(old_copy_name(&name));
    let _old_in_use = hold_lock(path);
    std::fs::rename(path, &old).map_err(|e| {
        let _ = std::fs::remove_dir_all(staged);
        fail(&e)
    })?;
    let arrived = manifest::foreign_entries(&old).unwrap_or_else(|e| vec![e.to_string()]);
    if !arrived.is_empty() {
        let _ = std::fs::rename(&old, path);
        let _ = std::fs::remove_dir_all(staged);
        return Err(error::output(format!(
            "{} changed while it was being replaced ({}); nothing was replaced: run again when nobody is saving into it",
            asked.display(),
            manifest::name_some(&arrived)
        )));
    }
    if let Err(e) = std::fs::rename(staged, path) {
        let _ = std::fs::rename(&old, path);
        let _ = std::fs::remove_dir_all(staged);
        return Err(fail(&e));
    }
    if manifest::remove_written(&old).is_ok() {
        return Ok(());
    }
    let kept = parent.join(format!("{name}.kept-{}", std::process::id()));
    let _ = std::fs::rename(&old, &kept);
    Err(error::output(format!(
        "{} was replaced, but files were saved into the old one meanwhile; they are kept in {}",
        asked.display(),
        kept.display()
    )))
}

/// Give a new folder the mode (setgid included) and group of the folder it
/// replaces, before anything is written in it, so its files get the group.
/// Best effort: a group the user is not in stays the user's own.
fn keep_mode_and_group(dir: &Path, old: &std::fs::Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let _ = std::os::unix::fs::chown(dir, None, Some(old.gid()));
        let _ = std::fs::set_permissions(
            dir,
            std::fs::Permissions::from_mode(old.permissions().mode() & 0o7777),
        );
    }
    #[cfg(not(unix))]
    let _ = (dir, old);
}

/// An advisory lock on a file or folder, held while the returned handle
/// lives; `None` where the system has none. Locks are seen across PID
/// namespaces (containers sharing a folder), where process ids are not.
fn hold_lock(path: &Path) -> Option<std::fs::File> {
    let file = std::fs::File::open(path).ok()?;
    file.try_lock().ok()?;
    Some(file)
}

/// Whether someone holds the lock of [`hold_lock`] on `path`.
fn is_locked(path: &Path) -> bool {
    std::fs::File::open(path)
        .is_ok_and(|file| matches!(file.try_lock(), Err(std::fs::TryLockError::WouldBlock)))
}

/// Write `bytes` to `relative` inside `dir`, making folders as needed.
pub(crate) fn write_file(dir: &Path, relative: &str, bytes: &[u8]) -> Result<()> {
    let file = dir.join(relative);
    if let Some(folder) = file.parent() {
        std::fs::create_dir_all(folder)?;
    }
    std::fs::write(&file, bytes)
        .map_err(|e| error::output(format!("cannot write {} ({e})", file.display())))
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

    fn exit_code(err: &anyhow::Error) -> Option<i32> {
        err.downcast_ref::<error::UserError>()
            .map(|e| e.exit_code())
    }

    fn a_pack(dir: &Path, page: &str) {
        write_dir(dir, FolderKind::Report, |f| {
            write_file(f, "report.html", page.as_bytes())
        })
        .unwrap();
    }

    #[test]
    fn a_file_saved_while_a_folder_is_rebuilt_puts_the_old_folder_back() {
        let dir = tempfile::tempdir().unwrap();
        let pack = dir.path().join("rep");
        a_pack(&pack, "old");
        // The save happens while the new folder is built (between the
        // check and the rename): the deterministic form of the race.
        let err = write_dir(&pack, FolderKind::Report, |f| {
            std::fs::write(pack.join("notes.txt"), "mine")?;
            write_file(f, "report.html", b"new")
        })
        .unwrap_err();
        assert_eq!(exit_code(&err), Some(error::exit::OUTPUT), "{err}");
        assert!(err.to_string().contains("notes.txt"), "{err}");
        assert_eq!(
            std::fs::read_to_string(pack.join("notes.txt")).unwrap(),
            "mine"
        );
        assert_eq!(
            std::fs::read_to_string(pack.join("report.html")).unwrap(),
            "old"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "no staging or set-aside folder is left");
    }

    #[test]
    fn only_what_nyckeltal_wrote_is_deleted_with_the_old_folder() {
        let dir = tempfile::tempdir().unwrap();
        let pack = dir.path().join("rep");
        a_pack(&pack, "old");
        let old = dir.path().join("aside");
        std::fs::rename(&pack, &old).unwrap();
        std::fs::write(old.join("late.txt"), "mine").unwrap();
        assert!(manifest::remove_written(&old).is_err());
        assert!(!old.join("report.html").exists());
        assert_eq!(
            std::fs::read_to_string(old.join("late.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn a_folder_of_another_kind_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let snapshot = dir.path().join("net");
        write_dir(&snapshot, FolderKind::Snapshot, |f| {
            write_file(f, "snapshot.json", b"{}")
        })
        .unwrap();
        let err = write_dir(&snapshot, FolderKind::Report, |f| {
            write_file(f, "report.html", b"pack")
        })
        .unwrap_err();
        assert_eq!(exit_code(&err), Some(error::exit::OUTPUT));
        assert!(err.to_string().contains("is a snapshot"), "{err}");
        assert!(snapshot.join("snapshot.json").exists());
        assert!(!snapshot.join("report.html").exists());
        // And the other way round.
        let pack = dir.path().join("rep");
        a_pack(&pack, "old");
        let err = write_dir(&pack, FolderKind::Snapshot, |_| Ok(())).unwrap_err();
        assert!(err.to_string().contains("is a review pack"), "{err}");
        a_pack(&pack, "new");
        assert_eq!(
            std::fs::read_to_string(pack.join("report.html")).unwrap(),
            "new"
        );
    }

    #[test]
    fn a_folder_set_aside_by_a_killed_run_is_back_before_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        // Killed between the two renames: the pack is only in its old copy.
        let aside = dir.path().join(".nyckeltal-4294967-old-rep");
        std::fs::create_dir(&aside).unwrap();
        std::fs::write(aside.join("report.html"), "old").unwrap();
        manifest::write(&aside, FolderKind::Report).unwrap();
        if !Path::new("/proc/self").exists() {
            return;
        }
        let pack = dir.path().join("rep");
        a_pack(&pack, "new");
        assert_eq!(
            std::fs::read_to_string(pack.join("report.html")).unwrap(),
            "new"
        );
        assert!(!aside.exists());
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

//! The cache's files: one folder per API base URL, every file
//! `nyckeltal-cache 1 crc32=XXXXXXXX` on its first line and JSON after it.
//! A file that fails the check is reported, removed and fetched again;
//! writes go to a temporary file that is renamed into place, under the
//! folder's lock where runs may meet.

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::base::write::{clean_stale_temps, temp_prefix};

const MAGIC: &str = "nyckeltal-cache 1";
/// The file whose lock orders the writes of runs sharing a cache folder.
const LOCK_FILE: &str = ".lock";

/// The cache directory of one API base URL (the live API and an emulator
/// never share figures).
pub(crate) struct Cache {
    dir: PathBuf,
    api_url: url::Url,
    /// What went wrong with files along the way, for people (see
    /// [`super::DataSource::take_notes`]).
    notes: RefCell<Vec<String>>,
    /// Another run held the folder's lock past [`LOCK_WAIT`]: nothing more
    /// is stored in this run.
    locked_out: Cell<bool>,
}

/// How long a write waits while another run holds the cache folder's lock
/// (a run stopped with Ctrl-Z holds it for ever; a working one, for the
/// milliseconds of one write).
const LOCK_WAIT: Duration = Duration::from_secs(5);

/// The cache folder's lock, as a write finds it.
enum Lock {
    /// Held by this run while the file lives.
    Held(#[allow(dead_code)] std::fs::File),
    /// It cannot be taken (a read-only cache: nothing is kept anyway).
    Unavailable,
    /// Another run holds it.
    Busy,
}

impl Cache {
    pub(crate) fn new(root: &Path, api_url: &url::Url) -> Cache {
        Cache {
            dir: root.join(folder_name(api_url)),
            api_url: api_url.clone(),
            notes: RefCell::new(Vec::new()),
            locked_out: Cell::new(false),
        }
    }

    /// The API whose answers this folder keeps.
    pub(crate) fn api_url(&self) -> &url::Url {
        &self.api_url
    }

    /// The platform's cache directory, e.g. `~/.cache/nyckeltal` on Linux.
    pub(crate) fn default_root() -> Option<PathBuf> {
        directories::ProjectDirs::from("se", "nyckeltal", "nyckeltal")
            .map(|d| d.cache_dir().to_path_buf())
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The stored item, or `None` when it is absent or corrupt (then removed, with a warning).
    pub(crate) fn load<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        let path = self.dir.join(name);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                self.note(format!(
                    "warning: cannot read cache file {} ({e}); fetching it again",
                    path.display()
                ));
                return None;
            }
        };
        match decode(&bytes) {
            Ok(value) => Some(value),
            Err(reason) => {
                self.note(format!(
                    "warning: discarded corrupt cache file {} ({reason}); fetching it again",
                    path.display()
                ));
                let _ = std::fs::remove_file(&path);
                None
            }
        }
    }

    pub(crate) fn note(&self, text: String) {
        self.notes.borrow_mut().push(text);
    }

    /// The notes so far, each given once.
    pub(crate) fn take_notes(&self) -> Vec<String> {
        std::mem::take(&mut *self.notes.borrow_mut())
    }

    /// Store an item; when that fails, a note says it is used but not kept.
    pub(crate) fn keep<T: Serialize>(&self, name: &str, value: &T, what: &str) {
        if self.locked_out.get() {
            return;
        }
        if let Err(e) = self.store(name, value) {
            self.note(format!("warning: {e:#}; {what} used but not kept"));
        }
    }

    /// Store what `merge` makes of the item as it is on disk now, under the
    /// cache's lock: two runs fetching the same KPI at once each add their
    /// cells, and neither loses the other's (the last rename no longer wins).
    /// Returns the merged item, also when it could not be kept (with a note).
    pub(crate) fn keep_merged<T: Serialize + DeserializeOwned>(
        &self,
        name: &str,
        what: &str,
        merge: impl FnOnce(Option<T>) -> T,
    ) -> T {
        let held = self.lock();
        let merged = merge(self.load(name));
        if !matches!(held, Lock::Busy) {
            self.keep(name, &merged, what);
        }
        merged
    }

    /// The cache folder's lock, waited for at most [`LOCK_WAIT`] once in a
    /// run; after that the run goes on without storing, with a note.
    fn lock(&self) -> Lock {
        if self.locked_out.get() {
            return Lock::Busy;
        }
        let Some(file) = std::fs::create_dir_all(&self.dir).ok().and_then(|_| {
            std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(self.dir.join(LOCK_FILE))
                .ok()
        }) else {
            return Lock::Unavailable;
        };
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Lock::Held(file),
                Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(std::fs::TryLockError::WouldBlock) => break,
                Err(_) => return Lock::Unavailable,
            }
        }
        self.locked_out.set(true);
        self.note(format!(
            "warning: another nyckeltal has held the cache folder {} for over {} s (one stopped with Ctrl-Z?); the figures are used but not kept in this run",
            self.dir.display(),
            LOCK_WAIT.as_secs()
        ));
        Lock::Busy
    }

    pub(crate) fn store<T: Serialize>(&self, name: &str, value: &T) -> Result<()> {
        let path = self.dir.join(name);
        let parent = path.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create cache directory {}", parent.display()))?;
        let body = serde_json::to_vec(value)?;
        clean_stale_temps(parent);
        let mut file = tempfile::Builder::new()
            .prefix(&temp_prefix())
            .suffix(".tmp")
            .tempfile_in(parent)?;
        writeln!(file, "{MAGIC} crc32={:08x}", crc32fast::hash(&body))?;
        file.write_all(&body)?;
        file.as_file().sync_all()?;
        file.persist(&path)
            .with_context(|| format!("cannot write cache file {}", path.display()))?;
        Ok(())
    }
}

/// The cache folder's name for an API URL, one per URL and never shared:
/// letters, digits and dots as they are, `/` as `-`, the port after `_`,
/// anything else as `%XX` (so `…/test/v3` and `…/test-v3` differ). The
/// live API's folder is `api.kolada.se-v3`.
fn folder_name(api_url: &url::Url) -> String {
    fn escaped(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match c {
                c if c.is_ascii_alphanumeric() || c == '.' => out.push(c),
                '/' => out.push('-'),
                c => {
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        out.push_str(&format!("%{b:02x}"));
                    }
                }
            }
        }
        out
    }
    let port = api_url.port().map(|p| format!("_{p}")).unwrap_or_default();
    let name = format!(
        "{}{port}{}",
        escaped(api_url.host_str().unwrap_or("local")),
        escaped(api_url.path())
    );
    name.trim_end_matches('-').to_string()
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let newline = bytes
        .iter()
        .position(|&b| b == b'\n')
        .ok_or("no header line")?;
    let header = std::str::from_utf8(&bytes[..newline]).map_err(|_| "header is not text")?;
    let expected = header
        .strip_prefix(MAGIC)
        .and_then(|rest| rest.trim().strip_prefix("crc32="))
        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
        .ok_or("not a nyckeltal cache file of this version")?;
    let body = &bytes[newline + 1..];
    if crc32fast::hash(body) != expected {
        return Err("checksum mismatch".into());
    }
    serde_json::from_slice(body).map_err(|e| format!("invalid content: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_api_url_has_its_own_folder() {
        let name = |url: &str| folder_name(&url::Url::parse(url).unwrap());
        assert_eq!(name("https://api.kolada.se/v3"), "api.kolada.se-v3");
        assert_eq!(name("https://api.kolada.se/v3/"), "api.kolada.se-v3");
        assert_eq!(name("http://127.0.0.1:8080/v3"), "127.0.0.1_8080-v3");
        assert_ne!(name("http://m.se/test/v3"), name("http://m.se/test-v3"));
        assert_ne!(name("http://m.se/a_1/v3"), name("http://m.se:1/a/v3"));
    }

    #[test]
    fn corrupt_files_are_detected() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(
            dir.path(),
            &url::Url::parse("http://127.0.0.1/v3/").unwrap(),
        );
        cache.store("x.json", &vec![1.5f64, 2.25]).unwrap();
        assert_eq!(cache.load::<Vec<f64>>("x.json"), Some(vec![1.5, 2.25]));
        let path = cache.dir().join("x.json");
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 3;
        bytes[last] = b'9'; // 2.25 → 2.95: still valid JSON, wrong number
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(cache.load::<Vec<f64>>("x.json"), None);
        assert!(!path.exists(), "a corrupt file is removed");
    }
}

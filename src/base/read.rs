//! Files from outside, read so that nothing odd at a path can hurt: they
//! must be regular files of a bounded size (specs, sets and peer lists are
//! written by hand; snapshot files come from anywhere).

use std::path::Path;

use anyhow::Result;

use crate::base::error;

/// The size limit for files people write by hand: specs, sets, peer lists.
pub(crate) const MAX_HAND_WRITTEN: u64 = 1024 * 1024;

/// The bytes of a regular file of at most `limit` bytes. `what` names the
/// file for the message ("the spec", "the snapshot file"); `kind` makes
/// the error (usage for hand-written files, source for snapshots).
pub(crate) fn read_limited(
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
pub(crate) fn read_hand_written(path: &Path, what: &str) -> Result<String> {
    let bytes = read_limited(path, MAX_HAND_WRITTEN, what, error::usage)?;
    String::from_utf8(bytes).map_err(|_| {
        error::usage(format!(
            "{what} {} is not UTF-8 text; save it as UTF-8",
            path.display()
        ))
    })
}

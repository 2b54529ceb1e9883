//! Where reference files come from and how they are read: the files built
//! into the binary, the user's data directory and paths; TOML parsed with
//! the file and line of any error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::base::error;
use crate::base::read::read_hand_written;
use crate::base::text::{closest, did_you_mean};

// BUILTIN_SETS, BUILTIN_PEERS, BUILTIN_SIMILARITY, BUILTIN_EXPLAIN: (name,
// text) of every file in data/sets, data/peers, data/similarity and
// data/explain (see build.rs).
include!(concat!(env!("OUT_DIR"), "/builtin_data.rs"));

/// Where a reference file came from, for messages that say where to fix it.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    pub path: String,
    pub builtin: bool,
}

impl Origin {
    /// The file for listings: "data/sets/x.toml (built in)" or the user's path.
    pub(crate) fn shown(&self) -> String {
        if self.builtin {
            format!("{} (built in)", self.path)
        } else {
            self.path.clone()
        }
    }

    pub(crate) fn at_line(&self, line: usize) -> String {
        format!("{} line {line}", self.path)
    }
}

/// The reference data: built-in files plus the user's data directory.
pub(crate) struct RefData {
    pub(super) user_dir: Option<PathBuf>,
}

impl RefData {
    pub(crate) fn new(user_dir: Option<PathBuf>) -> RefData {
        let user_dir = user_dir.or_else(|| {
            directories::ProjectDirs::from("se", "nyckeltal", "nyckeltal")
                .map(|d| d.config_dir().to_path_buf())
        });
        RefData { user_dir }
    }

    pub(crate) fn user_dir(&self) -> Option<&Path> {
        self.user_dir.as_deref()
    }

    /// All set names with where each comes from, sorted.
    pub(crate) fn set_names(&self) -> Vec<(String, Origin)> {
        self.names("sets", BUILTIN_SETS)
    }

    pub(crate) fn peer_names(&self) -> Vec<(String, Origin)> {
        self.names("peers", BUILTIN_PEERS)
    }

    /// The error for a set name that is none (exit 3), with the closest name.
    pub(crate) fn unknown_set(&self, typed: &str) -> anyhow::Error {
        let names: Vec<String> = self.set_names().into_iter().map(|(n, _)| n).collect();
        unknown("indicator set", typed, &names, "sets", "set list")
    }

    /// The error for a peer list name that is none (exit 3), with the closest name.
    pub(crate) fn unknown_peer_list(&self, typed: &str) -> anyhow::Error {
        let names: Vec<String> = self.peer_names().into_iter().map(|(n, _)| n).collect();
        unknown("peer list", typed, &names, "lists", "peers list")
    }

    pub(crate) fn names(&self, kind: &str, builtin: &[(&str, &str)]) -> Vec<(String, Origin)> {
        let mut names: BTreeMap<String, Origin> = builtin
            .iter()
            .map(|(name, _)| {
                (
                    name.to_string(),
                    Origin {
                        path: format!("data/{kind}/{name}.toml"),
                        builtin: true,
                    },
                )
            })
            .collect();
        if let Some(dir) = &self.user_dir {
            if let Ok(entries) = std::fs::read_dir(dir.join(kind)) {
                for entry in entries.flatten() {
                    let path = entry.path();
                    if path.extension().is_some_and(|e| e == "toml") {
                        if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
                            names.insert(
                                stem.to_string(),
                                Origin {
                                    path: path.display().to_string(),
                                    builtin: false,
                                },
                            );
                        }
                    }
                }
            }
        }
        names.into_iter().collect()
    }

    /// The text of a named file or a path, with its origin; `None` when there is none.
    pub(crate) fn read(
        &self,
        kind: &str,
        builtin: &[(&str, &str)],
        name_or_path: &str,
    ) -> Result<Option<(String, String, Origin)>> {
        let as_path = Path::new(name_or_path);
        let what = match kind {
            "sets" => "the indicator set",
            "peers" => "the peer list",
            "explain" => "the cost chains",
            _ => "the factor set",
        };
        if name_or_path.ends_with(".toml") {
            if !as_path.exists() {
                return Err(error::not_found(format!(
                    "cannot read {name_or_path} (no such file); check the path"
                )));
            }
            let text = read_hand_written(as_path, what)?;
            let name = as_path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or(name_or_path)
                .to_string();
            return Ok(Some((
                name,
                text,
                Origin {
                    path: name_or_path.to_string(),
                    builtin: false,
                },
            )));
        }
        if let Some((_, origin)) = self
            .names(kind, builtin)
            .into_iter()
            .find(|(n, _)| n == name_or_path)
        {
            let text = if origin.builtin {
                builtin
                    .iter()
                    .find(|(n, _)| *n == name_or_path)
                    .map(|(_, t)| t.to_string())
                    .unwrap_or_default()
            } else {
                read_hand_written(Path::new(&origin.path), what)?
            };
            return Ok(Some((name_or_path.to_string(), text, origin)));
        }
        Ok(None)
    }
}

/// "unknown peer list 'x'; did you mean y? the lists are a, b (`nyckeltal peers list`)"
fn unknown(
    what: &str,
    typed: &str,
    names: &[String],
    plural: &str,
    command: &str,
) -> anyhow::Error {
    let near: Vec<String> = closest(typed, names.iter().map(String::as_str), 1)
        .into_iter()
        .map(str::to_string)
        .collect();
    error::not_found(format!(
        "unknown {what} '{typed}'; {}the {plural} are {} (`nyckeltal {command}`)",
        did_you_mean(&near),
        names.join(", ")
    ))
}

pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(text: &str, origin: &Origin) -> Result<T> {
    let text = &without_control_characters(text);
    toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
        let message = e
            .message()
            .lines()
            .next()
            .unwrap_or("invalid TOML")
            .trim()
            .to_string();
        error::usage(format!(
            "{}: {message}; fix the file (the layout is in docs/peers-and-sets.md)",
            origin.at_line(line)
        ))
    })
}

/// A hand-written file's text without the characters that would reach a
/// terminal or an XML file as commands rather than text: bidirectional
/// overrides anywhere, and the escapes (`\u001b`, `\e`, `\b`, `\f`, …)
/// that put control characters or overrides into a string. TOML itself
/// refuses control characters written as they are; newlines and tabs stay.
fn without_control_characters(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_override(c) {
            continue;
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let rest = &text[i + 1..];
        let escape = match rest.chars().next() {
            Some('u') => hex_escape(rest, 4),
            Some('U') => hex_escape(rest, 8),
            Some('b' | 'f' | 'e') => Some((1, '\u{1}')),
            _ => None,
        };
        match escape {
            Some((length, decoded))
                if decoded.is_control() && !matches!(decoded, '\n' | '\t')
                    || is_override(decoded) =>
            {
                for _ in 0..length {
                    chars.next();
                }
            }
            _ => {
                // Any other escape, `\\` among them, is kept whole.
                out.push(c);
                if let Some((_, next)) = chars.next() {
                    out.push(next);
                }
            }
        }
    }
    out
}

/// A `\uXXXX` (`digits` 4) or `\UXXXXXXXX` (8) escape after the
/// backslash: its length and the character it stands for.
fn hex_escape(rest: &str, digits: usize) -> Option<(usize, char)> {
    let hex = rest.get(1..=digits)?;
    let code = u32::from_str_radix(hex, 16).ok()?;
    Some((digits + 1, char::from_u32(code)?))
}

/// Bidirectional embeddings, overrides and isolates.
fn is_override(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_of_control_characters_go_and_the_rest_stays() {
        let clean = without_control_characters;
        assert_eq!(clean(r#"a = "x\u001b[2Jy""#), r#"a = "x[2Jy""#);
        assert_eq!(clean(r#"a = "\e]0;t\u0007\U0000202E""#), r#"a = "]0;t""#);
        assert_eq!(clean("a = \"x\u{202e}y\""), "a = \"xy\"");
        // An escaped backslash, a newline, a tab and å stay.
        assert_eq!(
            clean(r#"a = "\\u001b \n \t \u00e5""#),
            r#"a = "\\u001b \n \t \u00e5""#
        );
    }

    #[test]
    fn builtin_sets_parse_with_lines() {
        let data = RefData { user_dir: None };
        let set = data.set("aldreomsorg-kostnad").unwrap();
        assert_eq!(
            set.entries
                .iter()
                .map(|e| e.kpi.as_str())
                .collect::<Vec<_>>(),
            ["N20900", "N20029", "N20007", "N20048", "N21006", "N23009"]
        );
        assert_eq!(set.entries[0].area.as_deref(), Some("äldreomsorg"));
        let text = BUILTIN_SETS[0].1;
        assert!(text
            .lines()
            .nth(set.entries[0].line - 1)
            .unwrap()
            .contains("N20900"));
        for (name, _) in BUILTIN_PEERS {
            assert!(!data.peer_list(name).unwrap().unwrap().members.is_empty());
        }
    }

    #[test]
    fn syntax_errors_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(
            &path,
            "title = \"x\"\n\n[[kpi]]\nid = \"N1\nlabel = \"y\"\n",
        )
        .unwrap();
        let err = RefData { user_dir: None }
            .set(path.to_str().unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains("bad.toml line 4"), "{err}");
    }
}

//! Peer lists and networks: municipalities a controller or a network chose
//! to compare with, with where the list comes from and its region.

use anyhow::Result;
use serde::Deserialize;
use toml::Spanned;

use super::files::{line_of, parse_toml, Origin, RefData, BUILTIN_PEERS};

#[derive(Debug, Clone)]
pub(crate) struct PeerList {
    pub name: String,
    pub title: String,
    /// Where the membership comes from.
    pub source: Option<String>,
    /// The region that belongs with a county network (as written).
    pub region: Option<String>,
    /// Members as written (names or codes), with their line.
    pub members: Vec<(String, usize)>,
    pub origin: Origin,
}

impl PeerList {
    pub(crate) fn at_line(&self, line: usize) -> String {
        self.origin.at_line(line)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeerFile {
    title: String,
    #[serde(default)]
    municipality: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    region: Option<String>,
    members: Vec<Spanned<String>>,
}

impl RefData {
    /// A peer list by name or path; `None` when there is no such file.
    pub(crate) fn peer_list(&self, name_or_path: &str) -> Result<Option<PeerList>> {
        let Some((name, text, origin)) = self.read("peers", BUILTIN_PEERS, name_or_path)? else {
            return Ok(None);
        };
        let file: PeerFile = parse_toml(&text, &origin)?;
        let _ = file.municipality;
        let (source, region) = (file.source, file.region);
        let members = file
            .members
            .into_iter()
            .map(|m| (line_of(&text, m.span().start), m.into_inner()))
            .map(|(l, m)| (m, l))
            .collect();
        Ok(Some(PeerList {
            name,
            title: file.title,
            source,
            region,
            members,
            origin,
        }))
    }
}

//! `nyckeltal municipality search TEXT` — municipalities and regions by name.
//! `nyckeltal municipality list [--type K|L]` — all of them.

use anyhow::Result;

use super::open_source;
use crate::catalogue::Catalogue;
use crate::flags::{GlobalArgs, MunicipalityCommand, MunicipalityType};
use crate::frame::{table_frame, Cell, Kind};
use crate::model::Municipality;
use crate::render::{emit, Target};
use crate::text::{closest, fold};

pub fn run(command: &MunicipalityCommand, global: &GlobalArgs) -> Result<()> {
    let source = open_source(global)?;
    let catalogue = Catalogue::new(source.as_ref());
    let all = catalogue.municipalities()?;
    let (listed, output): (Vec<&Municipality>, _) = match command {
        MunicipalityCommand::Search { text, output } => (search(all, text), output),
        MunicipalityCommand::List { kind, output } => {
            let code = kind.map(|k| match k {
                MunicipalityType::K => "K",
                MunicipalityType::L => "L",
            });
            let mut listed: Vec<&Municipality> = all
                .iter()
                .filter(|m| code.is_none() || m.kind.as_deref() == code)
                .collect();
            listed.sort_by(|a, b| a.id.cmp(&b.id));
            (listed, output)
        }
    };
    let target = Target::from_flags(output)?;
    let rows = listed
        .iter()
        .map(|m| {
            vec![
                Cell::from(&m.id),
                Cell::from(&m.title),
                Cell::from(m.kind.clone()),
            ]
        })
        .collect();
    let mut frame = table_frame(
        &[
            ("id", Kind::Text),
            ("title", Kind::Text),
            ("type", Kind::Text),
        ],
        rows,
    )?;
    let footer = if listed.is_empty() {
        vec!["no municipality matches".to_string()]
    } else {
        Vec::new()
    };
    emit(&mut frame, &target, &footer)
}

/// Exact names first, then names starting with the text, then containing it;
/// when nothing matches, the closest names (typos).
pub fn search<'m>(all: &'m [Municipality], text: &str) -> Vec<&'m Municipality> {
    let query = fold(text);
    let digits = text.trim();
    let mut ranked: Vec<(u8, &Municipality)> = all
        .iter()
        .filter_map(|m| {
            let name = fold(&m.title);
            let rank = if m.id == digits || name == query {
                0
            } else if name.starts_with(&query) {
                1
            } else if name.contains(&query) {
                2
            } else {
                return None;
            };
            Some((rank, m))
        })
        .collect();
    if ranked.is_empty() {
        let near = closest(text, all.iter().map(|m| m.title.as_str()), 5);
        return near
            .into_iter()
            .filter_map(|t| all.iter().find(|m| m.title == t))
            .collect();
    }
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.title.cmp(&b.1.title)));
    ranked.into_iter().map(|(_, m)| m).collect()
}

//! `nyckeltal peers list` — every peer list and network, built in and your own.
//! `nyckeltal peers show NAME` — one list's members, with codes, its region and source.

use anyhow::Result;

use super::open_source;
use crate::catalogue::Catalogue;
use crate::error;
use crate::flags::{GlobalArgs, PeersCommand};
use crate::frame::{table_frame, Cell, Kind};
use crate::refdata::RefData;
use crate::render::{emit, Target};
use crate::resolve;

pub fn run(command: &PeersCommand, global: &GlobalArgs) -> Result<()> {
    let refdata = RefData::new(global.data_dir.clone());
    match command {
        PeersCommand::List { output } => {
            let target = Target::from_flags(output)?;
            let mut rows = Vec::new();
            for (name, origin) in refdata.peer_names() {
                let Some(list) = refdata.peer_list(&name)? else {
                    continue;
                };
                let file = origin.shown();
                rows.push(vec![
                    Cell::from(name),
                    Cell::from(list.title),
                    Cell::from(list.members.len()),
                    Cell::from(list.region),
                    Cell::from(list.source),
                    Cell::from(file),
                ]);
            }
            let mut frame = table_frame(
                &[
                    ("name", Kind::Text),
                    ("title", Kind::Text),
                    ("members", Kind::Int),
                    ("region", Kind::Text),
                    ("source", Kind::Text),
                    ("file", Kind::Text),
                ],
                rows,
            )?;
            let own = refdata
                .user_dir()
                .map(|d| format!("Your own lists go in {}", d.join("peers").display()))
                .unwrap_or_default();
            emit(&mut frame, &target, &[own])
        }
        PeersCommand::Show { name, output } => {
            let target = Target::from_flags(output)?;
            let list = refdata.peer_list(name)?.ok_or_else(|| {
                let names: Vec<String> = refdata.peer_names().into_iter().map(|(n, _)| n).collect();
                let near = crate::text::closest(name, names.iter().map(String::as_str), 1);
                let hint = near
                    .first()
                    .map(|n| format!("did you mean {n}? "))
                    .unwrap_or_default();
                error::not_found(format!(
                    "unknown peer list '{name}'; {hint}the lists are {} (`nyckeltal peers list`)",
                    names.join(", ")
                ))
            })?;
            let source = open_source(global)?;
            let catalogue = Catalogue::new(source.as_ref());
            let mut rows = Vec::new();
            for (member, line) in &list.members {
                let found = resolve::municipality(member, &catalogue)
                    .map_err(|e| error::at(&list.at_line(*line), e))?;
                rows.push(vec![Cell::from(&found.id), Cell::from(&found.title)]);
            }
            let mut frame = table_frame(
                &[
                    ("municipality_id", Kind::Text),
                    ("municipality", Kind::Text),
                ],
                rows,
            )?;
            let mut footer = vec![format!(
                "{} — {} ({} members, {})",
                list.name,
                list.title,
                list.members.len(),
                list.origin.path
            )];
            if let Some(region) = &list.region {
                footer.push(format!("Region: {region}"));
            }
            if let Some(source) = &list.source {
                footer.push(format!("Source: {source}"));
            }
            emit(&mut frame, &target, &footer)
        }
    }
}

//! `nyckeltal group list [--search TEXT]` — municipality groups.
//! `nyckeltal group show ID|TITLE` — one group's members.
//! `nyckeltal group peers MUNICIPALITY --area AREA` — the current
//! "Liknande kommuner AREA, KOMMUN" group of RKA and its members.

use anyhow::Result;

use super::open_source;
use crate::catalogue::Catalogue;
use crate::flags::{GlobalArgs, GroupCommand};
use crate::frame::{table_frame, Cell, Kind};
use crate::model::Group;
use crate::render::{emit, Target};
use crate::resolve;
use crate::text::fold;

pub fn run(command: &GroupCommand, global: &GlobalArgs) -> Result<()> {
    let source = open_source(global)?;
    let catalogue = Catalogue::new(source.as_ref());
    match command {
        GroupCommand::List { search, output } => {
            let target = Target::from_flags(output)?;
            let needle = search.as_deref().map(fold).unwrap_or_default();
            let mut groups: Vec<&Group> = catalogue
                .groups()?
                .iter()
                .filter(|g| fold(&g.title).contains(&needle))
                .collect();
            groups.sort_by(|a, b| a.title.cmp(&b.title));
            let rows = groups
                .iter()
                .map(|g| {
                    vec![
                        Cell::from(&g.id),
                        Cell::from(&g.title),
                        Cell::from(g.members.len()),
                    ]
                })
                .collect();
            let mut frame = table_frame(
                &[
                    ("id", Kind::Text),
                    ("title", Kind::Text),
                    ("members", Kind::Int),
                ],
                rows,
            )?;
            emit(&mut frame, &target, &[format!("{} groups", groups.len())])
        }
        GroupCommand::Show { group, output } => {
            let group = resolve::group(group, &catalogue)?;
            show_members(group, &Target::from_flags(output)?)
        }
        GroupCommand::Peers {
            municipality,
            area,
            output,
        } => {
            let target = Target::from_flags(output)?;
            let municipality = resolve::municipality(municipality, &catalogue)?;
            let group = resolve::similar_group(municipality, area, &catalogue)?;
            show_members(group, &target)
        }
    }
}

fn show_members(group: &Group, target: &Target) -> Result<()> {
    let rows = group
        .members
        .iter()
        .map(|m| vec![Cell::from(&m.member_id), Cell::from(&m.member_title)])
        .collect();
    let mut frame = table_frame(
        &[("member_id", Kind::Text), ("member_title", Kind::Text)],
        rows,
    )?;
    let footer = [format!(
        "{} — {} ({} members)",
        group.id,
        group.title,
        group.members.len()
    )];
    emit(&mut frame, target, &footer)
}

//! `nyckeltal group list [--search TEXT]` — municipality groups.
//! `nyckeltal group show ID|TITLE` — one group's members.
//! `nyckeltal group peers MUNICIPALITY --area AREA` — the current
//! "Liknande kommuner AREA, KOMMUN" group of RKA and its members.

use anyhow::Result;

use crate::cli::flags::{GlobalArgs, GroupCommand};
use crate::cli::session::with_context;
use crate::ops::lookup::{list_groups, show_group, similar_peers};
use crate::render::exports::emit;

pub(crate) fn run(command: &GroupCommand, global: &GlobalArgs) -> Result<()> {
    with_context(global, |cx| {
        let ((table, footer), output) = match command {
            GroupCommand::List { search, output } => {
                let target = output.target()?;
                (list_groups(search.as_deref(), cx)?, target)
            }
            GroupCommand::Show { group, output } => (show_group(group, cx)?, output.target()?),
            GroupCommand::Peers {
                municipality,
                area,
                output,
            } => {
                let target = output.target()?;
                (similar_peers(municipality, area, cx)?, target)
            }
        };
        emit(&table, &output, &footer)
    })
}

//! `nyckeltal peers list` — every peer list and network, built in and your own.
//! `nyckeltal peers show NAME` — one list's members, with codes, its region and source.

use anyhow::Result;

use crate::cli::flags::{GlobalArgs, PeersCommand};
use crate::cli::session::{refdata, with_context};
use crate::ops::lookup::{list_peer_lists, show_peer_list};
use crate::render::exports::emit;

pub(crate) fn run(command: &PeersCommand, global: &GlobalArgs) -> Result<()> {
    match command {
        PeersCommand::List { output } => {
            let target = output.target()?;
            let (table, footer) = list_peer_lists(&refdata(global))?;
            emit(&table, &target, &footer)
        }
        PeersCommand::Show { name, output } => {
            let target = output.target()?;
            // The list is read before the source is opened: a typo in its name is said first.
            let data = refdata(global);
            if data.peer_list(name)?.is_none() {
                return Err(data.unknown_peer_list(name));
            }
            let (table, footer) = with_context(global, |cx| show_peer_list(name, cx))?;
            emit(&table, &target, &footer)
        }
    }
}

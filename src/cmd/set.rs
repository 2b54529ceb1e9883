//! `nyckeltal set list` — the indicator sets and where their files are.
//! `nyckeltal set show NAME` — the KPIs of one set, checked against Kolada's catalogue.

use anyhow::Result;

use crate::cli::flags::{GlobalArgs, SetCommand};
use crate::cli::session::{refdata, with_context};
use crate::ops::lookup::{list_sets, show_set};
use crate::render::exports::emit;

pub(crate) fn run(command: &SetCommand, global: &GlobalArgs) -> Result<()> {
    match command {
        SetCommand::List { output } => {
            let target = output.target()?;
            let (table, footer) = list_sets(&refdata(global))?;
            emit(&table, &target, &footer)
        }
        SetCommand::Show { name, output } => {
            let target = output.target()?;
            // The set is read before the source is opened: a typo in its name is said first.
            refdata(global).set(name)?;
            let (table, footer) = with_context(global, |cx| show_set(name, cx))?;
            emit(&table, &target, &footer)
        }
    }
}

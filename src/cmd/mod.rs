//! Layer 10, one thin file per subcommand: each `run` reads like its help,
//! turning flags into an operation of `ops` and showing the result.

pub(crate) mod calendar;
pub(crate) mod changes;
pub(crate) mod compare;
pub(crate) mod completions;
pub(crate) mod explain;
pub(crate) mod fetch;
pub(crate) mod group;
pub(crate) mod kpi;
pub(crate) mod man;
pub(crate) mod municipality;
pub(crate) mod paths;
pub(crate) mod peers;
pub(crate) mod report;
pub(crate) mod set;
pub(crate) mod similar;
pub(crate) mod snapshot;
pub(crate) mod trend;
pub(crate) mod values;

use anyhow::Result;

use crate::base::error;
use crate::cli::flags::{Cli, Command};

pub(crate) fn dispatch(cli: Cli) -> Result<()> {
    let global = &cli.global;
    // Checked here, before any command, so a bad value never reaches a Duration.
    if !(global.max_rate == 0.0 || (0.01..=1000.0).contains(&global.max_rate)) {
        return Err(error::usage(
            "--max-rate takes requests per second from 0.01 to 1000, or 0 for no limit",
        ));
    }
    match &cli.command {
        Command::Kpi(command) => kpi::run(command, global),
        Command::Municipality(command) => municipality::run(command, global),
        Command::Group(command) => group::run(command, global),
        Command::Fetch(args) => fetch::run(args, global),
        Command::Values(args) => values::run(args, global),
        Command::Set(command) => set::run(command, global),
        Command::Peers(command) => peers::run(command, global),
        Command::Compare(args) => compare::run(args, global),
        Command::Trend(args) => trend::run(args, global),
        Command::Explain(args) => explain::run(args, global),
        Command::Similar(args) => similar::run(args, global),
        Command::Calendar(args) => calendar::run(args, global),
        Command::Snapshot(command) => snapshot::run(command, global),
        Command::Changes(args) => changes::run(args, global),
        Command::Report(args) => report::run(args, global),
        Command::Completions(args) => completions::run(args, global),
        Command::Man => man::run(),
        Command::Paths => paths::run(global),
    }
}

//! `nyckeltal completions SHELL`
//!
//! A completion script for bash, zsh, fish or PowerShell on standard
//! output. It completes commands and flags, and offers the names of the
//! indicator sets, peer lists and areas there are when it is generated
//! (built in and in your data directory, `--data-dir` honoured):
//! generate it again after adding your own.

use anyhow::Result;
use clap::CommandFactory;

use crate::base::write::write_to;
use crate::cli::flags::{Cli, CompletionsArgs, GlobalArgs};
use crate::cli::hints::with_hints;
use crate::cli::session::refdata;

pub(crate) fn run(args: &CompletionsArgs, global: &GlobalArgs) -> Result<()> {
    let mut command = with_hints(Cli::command(), &refdata(global));
    // Generated into memory first: clap_complete panics when its writer
    // fails (a closed pipe, a full disk); our writer reports it.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "nyckeltal", &mut script);
    write_to(None, |out| Ok(out.write_all(&script)?))
}

//! `nyckeltal completions SHELL`
//!
//! A completion script for bash, zsh, fish or PowerShell on standard
//! output. It completes commands and flags, and offers the names of the
//! indicator sets, peer lists and areas there are when it is generated
//! (built in and in your data directory): generate it again after adding
//! your own.

use anyhow::Result;
use clap::CommandFactory;

use crate::flags::{Cli, CompletionsArgs};
use crate::render::write_to;

pub fn run(args: &CompletionsArgs) -> Result<()> {
    let mut command = Cli::command();
    write_to(None, |out| {
        clap_complete::generate(args.shell, &mut command, "nyckeltal", out);
        Ok(())
    })
}

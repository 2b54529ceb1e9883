//! `nyckeltal man`
//!
//! One manual page (roff) for nyckeltal and every subcommand: the main
//! page as clap_mangen writes it, then a section per subcommand with its
//! synopsis, options and examples.

use anyhow::Result;
use clap::CommandFactory;
use clap_mangen::roff::{bold, italic, roman, Roff};

use crate::base::write::write_to;
use crate::cli::flags::Cli;

pub(crate) fn run() -> Result<()> {
    let command = Cli::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut page)?;
    let mut roff = Roff::new();
    for sub in command.get_subcommands() {
        describe(&mut roff, &["nyckeltal"], sub);
    }
    roff.to_writer(&mut page)?;
    let page = String::from_utf8(page)?;
    // The title line first, as man pages begin (clap_mangen puts its
    // apostrophe definitions before it).
    let (title, rest): (Vec<&str>, Vec<&str>) = page.lines().partition(|l| l.starts_with(".TH "));
    write_to(None, |out| {
        for line in title.iter().chain(&rest) {
            writeln!(out, "{line}")?;
        }
        Ok(())
    })
}

/// One subcommand (and those below it): a section with its synopsis, what
/// it does, its own options (the global ones are on the main page) and examples.
fn describe(roff: &mut Roff, parents: &[&str], command: &clap::Command) {
    let mut path: Vec<&str> = parents.to_vec();
    path.push(command.get_name());
    let name = path.join(" ");
    roff.control("SH", [name.to_uppercase().as_str()]);
    if let Some(about) = command.get_long_about().or(command.get_about()) {
        roff.text([roman(about.to_string())]);
    }
    let mut synopsis = vec![bold(name.clone())];
    for arg in command.get_positionals() {
        let value = arg
            .get_value_names()
            .and_then(|v| v.first())
            .map(|v| v.to_string())
            .unwrap_or_else(|| arg.get_id().to_string().to_uppercase());
        synopsis.push(roman(" "));
        synopsis.push(italic(value));
    }
    if command
        .get_arguments()
        .any(|a| !a.is_positional() && !a.is_global_set())
    {
        synopsis.push(roman(" [OPTIONS]"));
    }
    if command.has_subcommands() {
        synopsis.push(roman(" COMMAND"));
    }
    roff.control("PP", []);
    roff.text(synopsis);
    for arg in command
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !a.is_global_set())
    {
        let mut flag = Vec::new();
        if let Some(short) = arg.get_short() {
            flag.push(bold(format!("-{short}")));
            flag.push(roman(", "));
        }
        match arg.get_long() {
            Some(long) => flag.push(bold(format!("--{long}"))),
            None => flag.push(bold(arg.get_id().to_string().to_uppercase())),
        }
        if let (Some(names), Some(_)) = (arg.get_value_names(), arg.get_long()) {
            for value in names {
                flag.push(roman(" "));
                flag.push(italic(value.to_string()));
            }
        }
        roff.control("TP", []);
        roff.text(flag);
        if let Some(help) = arg.get_long_help().or(arg.get_help()) {
            roff.text([roman(help.to_string())]);
        }
    }
    if let Some(after) = command.get_after_help() {
        roff.control("PP", []);
        for line in after.to_string().lines() {
            roff.text([roman(line.trim().to_string())]);
            roff.control("br", []);
        }
    }
    for sub in command.get_subcommands() {
        describe(roff, &path, sub);
    }
}

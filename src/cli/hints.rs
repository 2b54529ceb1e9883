//! The names shell completion offers: the indicator sets, peer lists and
//! areas there are. Read from the data folder (`--data-dir` honoured) only
//! when a completion script is made, never while flags are parsed.

use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::Command;

use crate::refdata::RefData;
use crate::resolve::areas::SIMILAR_AREAS;

/// What an argument is offered.
#[derive(Clone, Copy)]
enum Hint {
    Sets,
    Peers,
    Areas,
}

/// (parent command, command, argument id) → the names it is offered.
const HINTED: [(&str, &str, &str, Hint); 11] = [
    ("nyckeltal", "compare", "set", Hint::Sets),
    ("nyckeltal", "compare", "peers", Hint::Peers),
    ("nyckeltal", "trend", "peers", Hint::Peers),
    ("nyckeltal", "calendar", "sets", Hint::Sets),
    ("nyckeltal", "changes", "sets", Hint::Sets),
    ("snapshot", "save", "sets", Hint::Sets),
    ("nyckeltal", "similar", "area", Hint::Areas),
    ("nyckeltal", "similar", "check_peers", Hint::Peers),
    ("set", "show", "name", Hint::Sets),
    ("peers", "show", "name", Hint::Peers),
    ("group", "peers", "area", Hint::Areas),
];

/// The names of each kind of hint.
struct Names {
    sets: Vec<String>,
    peers: Vec<String>,
    areas: Vec<String>,
}

/// `command` with the names offered for completion.
pub(crate) fn with_hints(command: Command, refdata: &RefData) -> Command {
    let areas: Vec<String> = SIMILAR_AREAS.iter().map(|a| a.to_string()).collect();
    let mut peers = vec!["auto".to_string()];
    peers.extend(areas.iter().map(|a| format!("auto:{a}")));
    peers.extend(["similar:äldreomsorg", "similar:LSS", "similar:övergripande"].map(String::from));
    peers.extend(refdata.peer_names().into_iter().map(|(n, _)| n));
    let names = Names {
        sets: refdata.set_names().into_iter().map(|(n, _)| n).collect(),
        peers,
        areas,
    };
    hint(command, "", &names)
}

fn hint(mut command: Command, parent: &str, names: &Names) -> Command {
    let name = command.get_name().to_string();
    for (p, c, id, kind) in HINTED {
        if p == parent && c == name && command.get_arguments().any(|a| a.get_id() == id) {
            let values = match kind {
                Hint::Sets => &names.sets,
                Hint::Peers => &names.peers,
                Hint::Areas => &names.areas,
            };
            let parser =
                PossibleValuesParser::new(values.iter().map(|v| PossibleValue::new(v.clone())));
            command = command.mut_arg(id, |arg| {
                arg.value_parser(parser).hide_possible_values(true)
            });
        }
    }
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for sub in subcommands {
        command = command.mut_subcommand(&sub, |c| hint(c, &name, names));
    }
    command
}

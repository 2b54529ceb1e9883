//! nyckeltal: Swedish municipal key figures from Kolada.
//!
//! The code is in layers, each a folder, and a module uses only the layers
//! below it (`tests/architecture.rs` keeps it so):
//!
//! | layer | folder | what |
//! |---|---|---|
//! | 0 | `base` | errors and exit codes, text and numbers, bounded reads, safe writes, the progress trait |
//! | 1 | `model` | Kolada's ids, KPIs, municipalities, groups, values; scales, directions, years, languages, a resolved peer group |
//! | 2 | `kolada` | the API v3 client: planner, transport, pacing, parallel queries, wire format |
//! | 3 | `source` | where figures come from: the API, the cache, a snapshot (read and saved) |
//! | 4 | `catalogue`, `refdata` | Kolada's metadata loaded as needed; sets, peer lists, factors, cost chains and specs as written |
//! | 5 | `resolve` | what people type → ids; sets, factors and specs checked against the catalogue |
//! | 6 | `analysis` | national ranks, comparisons, categories, trends, similarity, cost chains split; the cell and table types |
//! | 7 | `document` | what a document says: readings, the review model and its notes, the summary, the years, explain's sentences and tidy table, provenance, words |
//! | 8 | `render` | how it is drawn: terminal tables, exports (the only place a polars frame is made), HTML, workbook, charts |
//! | 9 | `ops` | what the commands do: plan once and fetch once, compare, explain, report, similar, changes, snapshots, lookups |
//! | 10 | `cli` | flags, the progress bar, the session (source, notes on stderr), completion hints |
//! | 11 | `cmd` | one thin file per subcommand |
//! | 12 | `bench` | entry points for the benchmark examples |

mod analysis;
mod base;
#[doc(hidden)]
pub mod bench;
mod catalogue;
mod cli;
mod cmd;
mod document;
mod kolada;
mod model;
mod ops;
mod refdata;
mod render;
mod resolve;
mod source;

use clap::{CommandFactory, Parser};

use crate::base::error;

/// Run the command line and return the process exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match cli::flags::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                error::exit::USAGE
            } else {
                error::exit::OK
            };
        }
    };
    match cmd::dispatch(cli) {
        Ok(()) => error::exit::OK,
        Err(err) => {
            let (code, message) = error::report(&err);
            cli::session::to_stderr(&format!("error: {message}"));
            code
        }
    }
}

/// The command line as clap defines it, for tests of its help, man page
/// and completions.
pub fn command() -> clap::Command {
    cli::flags::Cli::command()
}

//! nyckeltal: Swedish municipal key figures from Kolada.
//!
//! Data flows one way:
//! CLI args ([`flags`]) → resolve ids ([`resolve`], [`catalogue`]) → fetch
//! ([`source`]: cache ↔ [`kolada`] client, or a snapshot) → one long frame
//! ([`frame`]) → render ([`render`]).

pub mod analysis;
pub mod catalogue;
pub mod chart;
pub mod cmd;
pub mod error;
pub mod files;
pub mod flags;
pub mod frame;
pub mod i18n;
pub mod kolada;
pub mod model;
pub mod peers;
pub mod plan;
pub mod progress;
pub mod reading;
pub mod refdata;
pub mod render;
pub mod report;
pub mod resolve;
pub mod review;
pub mod similar;
pub mod source;
pub mod spec;
pub mod text;
pub mod view;
pub mod workbook;

use clap::Parser;

/// Run the command line and return the process exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match flags::Cli::try_parse_from(args) {
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
            eprintln!("error: {message}");
            code
        }
    }
}

//! `nyckeltal municipality search TEXT` — municipalities and regions by name.
//! `nyckeltal municipality list [--type K|L]` — all of them.

use anyhow::Result;

use crate::cli::flags::{GlobalArgs, MunicipalityCommand, MunicipalityType};
use crate::cli::session::with_context;
use crate::ops::lookup::{list_municipalities, municipalities, search_municipalities};
use crate::render::exports::emit;

pub(crate) fn run(command: &MunicipalityCommand, global: &GlobalArgs) -> Result<()> {
    with_context(global, |cx| {
        let (listing, output) = match command {
            MunicipalityCommand::Search { text, output } => {
                let all = cx.catalogue.municipalities()?;
                (municipalities(&search_municipalities(all, text))?, output)
            }
            MunicipalityCommand::List { kind, output } => {
                let code = kind.map(|k| match k {
                    MunicipalityType::K => "K",
                    MunicipalityType::L => "L",
                });
                (list_municipalities(code, cx)?, output)
            }
        };
        let (table, footer) = listing;
        emit(&table, &output.target()?, &footer)
    })
}

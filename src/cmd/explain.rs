//! `nyckeltal explain MUNICIPALITY --area äldreomsorg|lss [--peers P] [--year Y | --years A-B] [--against peers|riket]`
//!
//! Why a cost differs: each of the area's cost chains (Kolada's own
//! identities, `data/explain/`) split into coverage, cost per user, age
//! structure and the rest, year by year; on a terminal top-down with one
//! sentence per chain, exported as a tidy table whose contributions add up
//! to each gap.

use anyhow::Result;

use crate::base::write::write_to;
use crate::cli::flags::{AgainstChoice, ExplainArgs, GlobalArgs};
use crate::cli::session::with_context;
use crate::document::explain::tidy;
use crate::document::provenance::processed_lines;
use crate::model::years::parse_years;
use crate::ops::explain::{explain_costs, Asked};
use crate::render::exports::{emit, Format};
use crate::render::terminal_explain::explain_lines;

pub(crate) fn run(args: &ExplainArgs, global: &GlobalArgs) -> Result<()> {
    let target = args.output.target()?;
    let years = (args.year.as_deref().or(args.years.as_deref()))
        .map(parse_years)
        .transpose()?;
    let asked = Asked {
        municipality: &args.municipality,
        area: &args.area,
        peers: &args.peers.peers,
        years,
        country: args.against == AgainstChoice::Riket,
    };
    with_context(global, |cx| {
        let explained = explain_costs(&asked, cx)?;
        let mut footer = vec![comparison_line(&explained, cx)];
        footer.push("Costs in current prices. Method: docs/why-a-cost-differs.md.".to_string());
        footer.extend(processed_lines(cx.catalogue.source()));
        if target.format == Format::Table {
            let title = format!(
                "{} — {}",
                explained.municipality.title,
                explained
                    .set
                    .title_en
                    .as_deref()
                    .unwrap_or(&explained.set.title)
            );
            let lines = explain_lines(&explained);
            return write_to(target.path.as_deref(), |out| {
                writeln!(out, "{title}")?;
                for line in lines.iter().chain(&footer) {
                    writeln!(out, "{line}")?;
                }
                Ok(())
            });
        }
        emit(&tidy(&explained)?, &target, &footer)
    })
}

/// "Compared with tjorn-aldreomsorg (…): Hallstahammar, Hörby, …", or the country.
fn comparison_line(
    explained: &crate::analysis::explain::Explained,
    cx: &crate::ops::Context,
) -> String {
    match &explained.peers {
        Some(peers) => {
            let names: Vec<String> = peers
                .members
                .iter()
                .map(|id| cx.catalogue.name(id))
                .collect();
            format!("Compared with {}: {}", peers.label, names.join(", "))
        }
        None => {
            "Compared with Riket: the country's own figures as Kolada publishes them".to_string()
        }
    }
}

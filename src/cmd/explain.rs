//! `nyckeltal explain MUNICIPALITY --area äldreomsorg|lss [--peers P] [--year Y | --years A-B] [--against peers|riket]`
//!
//! Why a cost differs: each of the area's cost chains (Kolada's own
//! identities, `data/explain/`) split into coverage, cost per user, age
//! structure and the rest, year by year; on a terminal top-down with one
//! sentence per chain, exported as a tidy table whose contributions add up
//! to each gap.

use anyhow::Result;

use crate::analysis::explain::Explained;
use crate::base::write::write_to;
use crate::cli::flags::{AgainstChoice, ExplainArgs, GlobalArgs};
use crate::cli::session::with_context;
use crate::document::explain::tidy;
use crate::document::provenance::processed_lines;
use crate::document::words::TermWords;
use crate::model::lang::Lang;
use crate::model::years::parse_years;
use crate::ops::explain::{explain_costs, Asked};
use crate::ops::Context;
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
        if target.format != Format::Table {
            // Exports keep English words, like their column names.
            let footer = footer(&explained, Lang::En, cx);
            return emit(&tidy(&explained)?, &target, &footer);
        }
        let lang = global.terminal_lang();
        let footer = footer(&explained, lang, cx);
        let set_title = match lang {
            Lang::En => explained.set.title_en.as_deref(),
            Lang::Sv => None,
        };
        let title = format!(
            "{} — {}",
            explained.municipality.title,
            set_title.unwrap_or(&explained.set.title)
        );
        let lines = explain_lines(&explained, lang);
        write_to(target.path.as_deref(), |out| {
            writeln!(out, "{title}")?;
            for line in lines.iter().chain(&footer) {
                writeln!(out, "{line}")?;
            }
            Ok(())
        })
    })
}

/// Who the municipality is compared with, the prices and the source.
fn footer(explained: &Explained, lang: Lang, cx: &Context) -> Vec<String> {
    let words = &lang.words().term;
    let mut footer = vec![comparison_line(explained, words, cx)];
    footer.push(words.prices.to_string());
    footer.extend(processed_lines(cx.catalogue.source()));
    footer
}

/// "Compared with tjorn-aldreomsorg (…): Hallstahammar, Hörby, …", or the country.
fn comparison_line(explained: &Explained, words: &TermWords, cx: &Context) -> String {
    match &explained.peers {
        Some(peers) => {
            let names: Vec<String> = peers
                .members
                .iter()
                .map(|id| cx.catalogue.name(id))
                .collect();
            words
                .compared_line
                .replace("{label}", &peers.label)
                .replace("{names}", &names.join(", "))
        }
        None => words.compared_riket.to_string(),
    }
}

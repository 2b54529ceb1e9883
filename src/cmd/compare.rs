//! `nyckeltal compare MUNICIPALITY (--set NAME | --kpi IDS) [--peers P] [--year Y | --years A-B]`
//!
//! How a municipality stands against comparable municipalities and the
//! whole country, KPI by KPI and year by year: its value; the peers' n,
//! mean, median, min and max; its rank among the peers and in Sweden, its
//! national percentile; its deviation from the peer mean; the change from
//! the year before; the band; whether the year is still preliminary. A
//! terminal shows the latest year per KPI; exports (csv, json, parquet,
//! xlsx) hold every year in the tidy long table. Several municipalities
//! (`Arvika,Eda,Säffle` or a network) are each compared with the chosen
//! peers; a region is ranked among the 21 regions.

use anyhow::Result;

use crate::analysis::row::compared_table;

use crate::base::write::write_to;
use crate::cli::flags::{CompareArgs, GlobalArgs};
use crate::cli::session::with_context;
use crate::document::provenance::processed_lines;
use crate::document::review::Review;
use crate::document::summary::summary_lines;
use crate::model::lang::Lang;
use crate::model::years::parse_years;
use crate::ops::compare::{names_several, one, review, several, Asked, Compared};
use crate::ops::plan::Request;
use crate::ops::Context;
use crate::render::exports::{emit, Format, Target};
use crate::render::terminal;
use crate::render::workbook::review_workbook;

pub(crate) fn run(args: &CompareArgs, global: &GlobalArgs) -> Result<()> {
    let target = args.output.target()?;
    let years = (args.year.as_deref().or(args.years.as_deref()))
        .map(parse_years)
        .transpose()?;
    // The terminal reads in the locale's language; a document in its own.
    let lang = match target.format {
        Format::Table => global.terminal_lang(),
        _ => global.lang().unwrap_or_default(),
    };
    let asked = Asked {
        municipality: &args.municipality,
        peers: &args.peers.peers,
        request: Request {
            set: args.set.as_deref(),
            kpis: args.kpi.as_deref(),
            years,
            default_years: 5,
            gender: args.gender.gender(),
        },
        bands: args.bands.bands(),
        lang,
    };
    with_context(global, |cx| {
        let many = names_several(&args.municipality, cx)?;
        let compared = if many {
            several(&asked, cx)?
        } else {
            one(&asked, cx)?
        };
        match target.format {
            Format::Table => {
                let review = review(&compared, lang, cx)?;
                show(&compared, &review, &target, args.summary, cx)
            }
            Format::Xlsx if !many => {
                let review = review(&compared, lang, cx)?;
                let bytes = review_workbook(&review, &compared_table(&compared.table))?;
                write_to(target.path.as_deref(), |out| Ok(out.write_all(&bytes)?))
            }
            _ => {
                let mut footer = compared.peer_lines.clone();
                footer.extend(processed_lines(cx.catalogue.source()));
                emit(&compared_table(&compared.table), &target, &footer)
            }
        }
    })
}

/// The title line: the municipality (or network) and the set.
fn title(compared: &Compared, lang: Lang) -> String {
    match &compared.set {
        Some(set) => format!("{} — {} ({})", compared.label, set.title_in(lang), set.name),
        None => compared.label.clone(),
    }
}

/// The tables (per peer group for one municipality, per KPI for several),
/// then the notes on their rows, the peers and where the figures come from.
fn show(
    compared: &Compared,
    review: &Review,
    target: &Target,
    summary: bool,
    cx: &Context,
) -> Result<()> {
    let section = &review.sections[0];
    let lang = review.lang;
    let term = &lang.words().term;
    let views = if compared.single.is_some() {
        terminal::compare(section, lang)
    } else {
        terminal::compare_many(section, lang)
    };
    let mut footer = Vec::new();
    // With one table the peers stand below it; with several, above each.
    if views.iter().all(|v| v.heading.is_none()) || compared.single.is_none() {
        footer.extend(compared.peer_lines.iter().cloned());
    }
    footer.extend(review.table_notes(&[section]));
    footer.push(term.bands_line.to_string());
    footer.extend(processed_lines(cx.catalogue.source()));
    let title = title(compared, lang);
    let summary = if summary {
        summary_lines(review)
    } else {
        Vec::new()
    };
    write_to(target.path.as_deref(), |out| {
        writeln!(out, "{title}")?;
        if !summary.is_empty() {
            writeln!(out, "\n{}", term.summary)?;
            for line in &summary {
                writeln!(out, "- {line}")?;
            }
        }
        for view in &views {
            if let Some(heading) = &view.heading {
                writeln!(out, "\n{heading}")?;
            }
            writeln!(out, "{}", view.table)?;
            for line in &view.below {
                writeln!(out, "{line}")?;
            }
        }
        for line in &footer {
            writeln!(out, "{line}")?;
        }
        Ok(())
    })
}

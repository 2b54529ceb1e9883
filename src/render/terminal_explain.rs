//! `explain` on a terminal: per chain, its identity, the latest year's
//! split top-down (total → pieces), the gap and its parts over the years,
//! the sentence, and any doubts or reasons.

use comfy_table::{presets, Cell as TableCell, CellAlignment, Table};

use super::terminal::fit_to_terminal;
use crate::analysis::explain::{Decomposition, Explained, Split, Term, TermKind};
use crate::document::explain::{
    figure, flags_text, percent, sentence, shares_mean_something, signed_percent, term_kpis,
    term_name, term_values, unsplit_text,
};
use crate::document::reading::decimals;
use crate::document::words::{format_number, TermWords};
use crate::model::lang::Lang;
use crate::refdata::{Chain, Form};

/// The terminal: per chain, its identity, the latest year's split top-down
/// (total, pieces, rest, spread), the gap and its parts over the years,
/// the sentence, and any doubts or reasons.
pub(crate) fn explain_lines(explained: &Explained, lang: Lang) -> Vec<String> {
    let (words, style) = (lang.words(), lang.terminal_numbers());
    let mut out = Vec::new();
    for (chain, splits) in &explained.chains {
        out.push(String::new());
        out.push(format!(
            "{} ({}) — {}",
            chain.label.get(lang),
            chain.unit,
            chain.identity(words.term.other)
        ));
        let Some(latest) = splits.last() else {
            out.push(
                words
                    .term
                    .no_chain_figure
                    .replace("{kpi}", &chain.total)
                    .replace("{years}", &years_text(&explained.years)),
            );
            continue;
        };
        match &latest.kr {
            Ok(kr) => out.push(latest_table(explained, chain, latest, kr, lang).to_string()),
            Err(why) => out.push(format!(
                "  {}: {}",
                latest.year,
                unsplit_text(why, chain, lang)
            )),
        }
        if splits.len() > 1 {
            out.push(years_table(chain, splits, lang).to_string());
        }
        out.push(sentence(explained, chain, latest, lang, style));
        for split in splits.iter().filter(|s| !s.flags.is_empty()) {
            out.push(format!(
                "  {}: {}",
                split.year,
                flags_text(&split.flags, lang, style)
            ));
        }
        if !latest.left_out.is_empty() {
            let names: Vec<String> = latest
                .left_out
                .iter()
                .map(|id| explained.name(id))
                .collect();
            out.push(
                words
                    .term
                    .compared_of
                    .replace("{year}", &latest.year.to_string())
                    .replace("{compared}", &latest.compared.to_string())
                    .replace("{asked}", &latest.asked.to_string())
                    .replace("{names}", &names.join(", ")),
            );
        }
    }
    out
}

fn years_text(years: &[i32]) -> String {
    match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}

fn right(text: String) -> TableCell {
    TableCell::new(text).set_alignment(CellAlignment::Right)
}

fn new_table() -> Table {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    fit_to_terminal(&mut table);
    table
}

/// The latest year's split: the total, then each piece with the
/// municipality's value, the comparison's, its part of the gap and share.
fn latest_table(
    explained: &Explained,
    chain: &Chain,
    split: &Split,
    kr: &Decomposition,
    lang: Lang,
) -> Table {
    let (words, style) = (&lang.words().term, lang.terminal_numbers());
    let gap = kr.gap(split.own);
    // One number of decimals for every amount in the chain's unit.
    let d = decimals([split.own]);
    let comparison = if explained.peers.is_some() {
        words.peers_mean
    } else {
        words.riket
    };
    let mut table = new_table();
    table.set_header(vec![
        split.year.to_string(),
        explained.municipality.title.clone(),
        comparison.to_string(),
        words.difference.to_string(),
        words.share.to_string(),
    ]);
    // Shares only where they mean something: kronor alone when pieces nearly cancel.
    let meaningful = shares_mean_something(chain, kr, gap);
    let share = |c: f64| {
        if meaningful {
            percent(100.0 * c / gap, style)
        } else {
            "–".to_string()
        }
    };
    let pct = if kr.comparison != 0.0 {
        format!(" ({})", signed_percent(100.0 * gap / kr.comparison, style))
    } else {
        String::new()
    };
    table.add_row(vec![
        TableCell::new(format!("{} ({})", chain.label.get(lang), chain.total)),
        right(format_number(split.own, d, style, false)),
        right(format_number(kr.comparison, d, style, false)),
        right(format!("{}{pct}", format_number(gap, d, style, true))),
        right(share(gap)),
    ]);
    for term in &kr.terms {
        table.add_row(term_row(chain, term, d, &share, lang));
    }
    table
}

fn term_row(
    chain: &Chain,
    term: &Term,
    d: usize,
    share: &dyn Fn(f64) -> String,
    lang: Lang,
) -> Vec<TableCell> {
    let style = lang.terminal_numbers();
    let kpis = term_kpis(chain, term.kind);
    let name = match (term.kind, kpis.is_empty()) {
        (TermKind::Rest | TermKind::Spread, _) | (_, true) => term_name(chain, term.kind, lang),
        _ => format!("{} ({kpis})", term_name(chain, term.kind, lang)),
    };
    let shown = |v: Option<f64>| match (v, term.kind) {
        (Some(v), TermKind::Rest) if matches!(chain.form, Form::Product { .. }) => {
            format_number(v, 4, style, false)
        }
        (Some(v), _) => figure(v, style, false),
        (None, _) => String::new(),
    };
    let (own, comparison) = term_values(chain, term);
    vec![
        TableCell::new(format!("  {name}")),
        right(shown(own)),
        right(shown(comparison)),
        right(format_number(term.contribution, d, style, true)),
        right(share(term.contribution)),
    ]
}

/// The gap and its parts in each year.
fn years_table(chain: &Chain, splits: &[Split], lang: Lang) -> Table {
    let (words, style) = (&lang.words().term, lang.terminal_numbers());
    let mut table = new_table();
    let d = decimals(splits.iter().map(|s| s.own));
    let kinds: Vec<TermKind> = splits
        .iter()
        .find_map(|s| s.kr.as_ref().ok())
        .map(|d| d.terms.iter().map(|t| t.kind).collect())
        .unwrap_or_default();
    let mut header: Vec<String> = [words.year, words.value, words.comparison, words.gap]
        .map(str::to_string)
        .to_vec();
    header.extend(kinds.iter().map(|k| short_label(chain, *k, words)));
    table.set_header(header);
    let number = |v: f64, plus: bool| right(format_number(v, d, style, plus));
    for split in splits {
        let mut row = vec![
            TableCell::new(format!(
                "{}{}",
                split.year,
                if split.series_break { " ¦" } else { "" }
            )),
            number(split.own, false),
        ];
        match &split.kr {
            Ok(kr) => {
                row.push(number(kr.comparison, false));
                row.push(number(kr.gap(split.own), true));
                row.extend(kr.terms.iter().map(|t| number(t.contribution, true)));
            }
            Err(why) => {
                let blank = || right(String::new());
                row.push(split.comparison.map_or_else(blank, |c| number(c, false)));
                row.push(
                    split
                        .comparison
                        .map_or_else(blank, |c| number(split.own - c, true)),
                );
                row.push(TableCell::new(unsplit_text(why, chain, lang)));
            }
        }
        table.add_row(row);
    }
    table
}

/// A term's column heading in the years table.
fn short_label(chain: &Chain, kind: TermKind, words: &TermWords) -> String {
    match (kind, &chain.form) {
        (TermKind::Factor(i), Form::Product { factors, .. }) => {
            words.kinds[factors[i].kind as usize].to_string()
        }
        (TermKind::Part(i), Form::Sum { parts }) => parts[i].kpi.clone(),
        // One word per meaning: a sum's rest is a part, a product's is rounding.
        (TermKind::Rest, Form::Sum { .. }) => words.other.to_string(),
        (TermKind::Rest, _) => words.rounding.to_string(),
        (TermKind::Spread, _) => words.spread.to_string(),
        _ => String::new(),
    }
}

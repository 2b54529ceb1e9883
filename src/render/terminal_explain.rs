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
use crate::document::words::{format_number, TERMINAL};
use crate::model::lang::Lang;
use crate::refdata::{Chain, Form};

/// The terminal: per chain, its identity, the latest year's split top-down
/// (total, pieces, rest, spread), the gap and its parts over the years,
/// the sentence, and any doubts or reasons.
pub(crate) fn explain_lines(explained: &Explained) -> Vec<String> {
    let mut out = Vec::new();
    for (chain, splits) in &explained.chains {
        out.push(String::new());
        out.push(format!(
            "{} ({}) — {}",
            chain.label.get(Lang::En),
            chain.unit,
            chain.identity("other")
        ));
        let Some(latest) = splits.last() else {
            out.push(format!(
                "  no figure for {} in {}",
                chain.total,
                years_text(&explained.years)
            ));
            continue;
        };
        match &latest.kr {
            Ok(kr) => out.push(latest_table(explained, chain, latest, kr).to_string()),
            Err(why) => out.push(format!(
                "  {}: {}",
                latest.year,
                unsplit_text(why, chain, Lang::En)
            )),
        }
        if splits.len() > 1 {
            out.push(years_table(chain, splits).to_string());
        }
        out.push(sentence(explained, chain, latest, Lang::En, TERMINAL));
        for split in splits.iter().filter(|s| !s.flags.is_empty()) {
            out.push(format!(
                "  {}: {}",
                split.year,
                flags_text(&split.flags, Lang::En, TERMINAL)
            ));
        }
        if !latest.left_out.is_empty() {
            let names: Vec<String> = latest
                .left_out
                .iter()
                .map(|id| explained.name(id))
                .collect();
            out.push(format!(
                "  {}: compared with {} of {} (without every piece: {})",
                latest.year,
                latest.compared,
                latest.asked,
                names.join(", ")
            ));
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
fn latest_table(explained: &Explained, chain: &Chain, split: &Split, kr: &Decomposition) -> Table {
    let gap = kr.gap(split.own);
    // One number of decimals for every amount in the chain's unit.
    let d = decimals([split.own]);
    let comparison = if explained.peers.is_some() {
        "peers' mean"
    } else {
        "Riket"
    };
    let mut table = new_table();
    table.set_header(vec![
        split.year.to_string(),
        explained.municipality.title.clone(),
        comparison.to_string(),
        "difference".to_string(),
        "share".to_string(),
    ]);
    // Shares only where they mean something: kronor alone when pieces nearly cancel.
    let meaningful = shares_mean_something(chain, kr, gap);
    let share = |c: f64| {
        if meaningful {
            percent(100.0 * c / gap, TERMINAL)
        } else {
            "–".to_string()
        }
    };
    let pct = if kr.comparison != 0.0 {
        format!(
            " ({})",
            signed_percent(100.0 * gap / kr.comparison, TERMINAL)
        )
    } else {
        String::new()
    };
    table.add_row(vec![
        TableCell::new(format!("{} ({})", chain.label.get(Lang::En), chain.total)),
        right(format_number(split.own, d, TERMINAL, false)),
        right(format_number(kr.comparison, d, TERMINAL, false)),
        right(format!("{}{pct}", format_number(gap, d, TERMINAL, true))),
        right(share(gap)),
    ]);
    for term in &kr.terms {
        table.add_row(term_row(chain, term, d, &share));
    }
    table
}

fn term_row(chain: &Chain, term: &Term, d: usize, share: &dyn Fn(f64) -> String) -> Vec<TableCell> {
    let kpis = term_kpis(chain, term.kind);
    let name = match (term.kind, kpis.is_empty()) {
        (TermKind::Rest | TermKind::Spread, _) | (_, true) => term_name(chain, term.kind, Lang::En),
        _ => format!("{} ({kpis})", term_name(chain, term.kind, Lang::En)),
    };
    let shown = |v: Option<f64>| match (v, term.kind) {
        (Some(v), TermKind::Rest) if matches!(chain.form, Form::Product { .. }) => {
            format!("{v:.4}")
        }
        (Some(v), _) => figure(v, TERMINAL, false),
        (None, _) => String::new(),
    };
    let (own, comparison) = term_values(chain, term);
    vec![
        TableCell::new(format!("  {name}")),
        right(shown(own)),
        right(shown(comparison)),
        right(format_number(term.contribution, d, TERMINAL, true)),
        right(share(term.contribution)),
    ]
}

/// The gap and its parts in each year.
fn years_table(chain: &Chain, splits: &[Split]) -> Table {
    let mut table = new_table();
    let d = decimals(splits.iter().map(|s| s.own));
    let kinds: Vec<TermKind> = splits
        .iter()
        .find_map(|s| s.kr.as_ref().ok())
        .map(|d| d.terms.iter().map(|t| t.kind).collect())
        .unwrap_or_default();
    let mut header = vec![
        "year".to_string(),
        "value".to_string(),
        "comparison".to_string(),
        "gap".to_string(),
    ];
    header.extend(kinds.iter().map(|k| short_label(chain, *k)));
    table.set_header(header);
    for split in splits {
        let mut row = vec![
            TableCell::new(format!(
                "{}{}",
                split.year,
                if split.series_break { " ¦" } else { "" }
            )),
            right(format_number(split.own, d, TERMINAL, false)),
        ];
        match &split.kr {
            Ok(kr) => {
                row.push(right(format_number(kr.comparison, d, TERMINAL, false)));
                row.push(right(format_number(kr.gap(split.own), d, TERMINAL, true)));
                row.extend(
                    kr.terms
                        .iter()
                        .map(|t| right(format_number(t.contribution, d, TERMINAL, true))),
                );
            }
            Err(why) => {
                row.push(right(
                    split
                        .comparison
                        .map(|c| format_number(c, d, TERMINAL, false))
                        .unwrap_or_default(),
                ));
                row.push(right(
                    split
                        .comparison
                        .map(|c| format_number(split.own - c, d, TERMINAL, true))
                        .unwrap_or_default(),
                ));
                row.push(TableCell::new(unsplit_text(why, chain, Lang::En)));
            }
        }
        table.add_row(row);
    }
    table
}

/// A term's column heading in the years table.
fn short_label(chain: &Chain, kind: TermKind) -> String {
    match (kind, &chain.form) {
        (TermKind::Factor(i), Form::Product { factors, .. }) => {
            factors[i].kind.code().replace('_', " ")
        }
        (TermKind::Part(i), Form::Sum { parts }) => parts[i].kpi.clone(),
        // One word per meaning: a sum's rest is a part, a product's is rounding.
        (TermKind::Rest, Form::Sum { .. }) => "other".to_string(),
        (TermKind::Rest, _) => "rounding".to_string(),
        (TermKind::Spread, _) => "spread".to_string(),
        _ => String::new(),
    }
}

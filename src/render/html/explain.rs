//! "Varför skiljer sig kostnaden?" in the review pack: per area, each cost
//! chain's plain sentence, a waterfall from the comparison's level to the
//! municipality's, the latest year's split and the gap over the years.

use anyhow::Result;
use maud::{html, Markup, PreEscaped};

use crate::analysis::explain::{Decomposition, Explained, Split, TermKind};
use crate::document::explain::{
    figure, flags_text, percent, sentence, shares_mean_something, signed_percent, term_label,
    term_name, term_values, unsplit_text, Explanation,
};
use crate::document::reading::decimals;
use crate::document::review::peers_title;
use crate::document::words::format_number;
use crate::model::lang::Lang;
use crate::refdata::{Chain, Form};
use crate::render::charts::{waterfall_svg, Step, Waterfall};

/// Per chain, in order: a waterfall of the latest year's split, when it is split.
pub(crate) fn waterfalls(explained: &Explained, lang: Lang) -> Result<Vec<Option<String>>> {
    explained
        .chains
        .iter()
        .map(|(chain, splits)| match splits.last() {
            Some(split) => waterfall(explained, chain, splits, split, lang),
            None => Ok(None),
        })
        .collect()
}

/// What the chains are compared with, for people.
fn comparison_name(explained: &Explained, lang: Lang) -> String {
    let words = lang.words();
    match &explained.peers {
        Some(peers) => format!("{}: {}", words.mean_of, peers_title(peers, words)),
        None => words.explain_riket.to_string(),
    }
}

/// The latest year's split as a waterfall, when it is split.
fn waterfall(
    explained: &Explained,
    chain: &Chain,
    splits: &[Split],
    split: &Split,
    lang: Lang,
) -> Result<Option<String>> {
    let Ok(kr) = &split.kr else {
        return Ok(None);
    };
    let product = matches!(chain.form, Form::Product { .. });
    let steps: Vec<Step> = kr
        .terms
        .iter()
        .filter(|t| !hidden(chain, t.kind, splits))
        .map(|t| Step {
            label: term_label(chain, t.kind, lang),
            contribution: t.contribution,
            // A sum's rest is a real part (short-term care, …); a
            // product's rest and the peers' spread are not pieces.
            muted: t.kind == TermKind::Spread || (t.kind == TermKind::Rest && product),
        })
        .collect();
    let comparison = comparison_name(explained, lang);
    let subtitle = format!("{} · {}", chain.unit, split.year);
    let svg = waterfall_svg(&Waterfall {
        title: chain.label.get(lang),
        subtitle: &subtitle,
        comparison: (&comparison, kr.comparison),
        country: explained.peers.is_none(),
        steps: &steps,
        own: (&explained.municipality.title, split.own),
        lang,
    })?;
    Ok(Some(svg))
}

/// A product's rounding rest that is below half a krona in every year:
/// shown in the exports, left out of the pack's tables and chart.
fn hidden(chain: &Chain, kind: TermKind, splits: &[Split]) -> bool {
    kind == TermKind::Rest
        && matches!(chain.form, Form::Product { .. })
        && splits
            .iter()
            .filter_map(|s| s.kr.as_ref().ok())
            .flat_map(|d| d.terms.iter())
            .filter(|t| t.kind == TermKind::Rest)
            .all(|t| t.contribution.abs() < 0.5)
}

/// The section: each area's chains, and how the split is made.
pub(crate) fn explain_section(explanations: &[Explanation], lang: Lang) -> Markup {
    let words = lang.words();
    html! {
        section id="explain" {
            h2 { (words.explain_title) }
            @for explanation in explanations {
                (area(explanation, lang))
            }
            p.note { (words.explain_method) }
            p.note { (words.note_prices) }
        }
    }
}

fn area(explanation: &Explanation, lang: Lang) -> Markup {
    let words = lang.words();
    let explained = &explanation.explained;
    let set = &explained.set;
    let title = match lang {
        Lang::En => set.title_en.as_deref().unwrap_or(&set.title),
        Lang::Sv => &set.title,
    };
    html! {
        h3 { (title) }
        @if let Some(peers) = &explained.peers {
            p.members {
                (words.compared_with) " " (peers_title(peers, words)) ": "
                (peers.members.iter().map(|id| explained.name(id)).collect::<Vec<_>>().join(", "))
            }
        } @else {
            p.members { (words.compared_with) " " (words.explain_riket) }
        }
        @for ((chain, splits), chart) in explained.chains.iter().zip(&explanation.charts) {
            (chain_block(explained, chain, splits, chart.as_deref(), lang))
        }
    }
}

/// One chain: its sentence and identity, the waterfall, the latest year's
/// split, the years, and any doubts.
fn chain_block(
    explained: &Explained,
    chain: &Chain,
    splits: &[Split],
    chart: Option<&str>,
    lang: Lang,
) -> Markup {
    let words = lang.words();
    let Some(latest) = splits.last() else {
        return html! {
            h4 { (chain.label.get(lang)) }
            p.note { (words.explain_no_figure.replace("{kpi}", &chain.total)) }
        };
    };
    html! {
        div.chain {
            div.top {
                div.head {
                    h4 { (chain.label.get(lang)) ", " (chain.unit) }
                    p.sentence { (sentence(explained, chain, latest, lang, lang.numbers())) }
                    p.kpi-meta { (words.explain_identity_label) ": " (chain.identity(words.explain_rest_word)) }
                }
                div.split {
                    div {
                        @if let Some(svg) = chart {
                            figure.waterfall { (PreEscaped(svg)) }
                        }
                    }
                    div {
                        @if let Ok(kr) = &latest.kr {
                            (latest_table(explained, chain, splits, kr, lang))
                        }
                    }
                }
            }
            div.years {
                @if splits.len() > 1 {
                    h5 { (chain.label.get(lang)) " · " (words.years_title) }
                    (years_table(chain, splits, lang))
                }
                @for split in splits {
                    @if !split.flags.is_empty() {
                        p.note { (split.year) ": " (flags_text(&split.flags, lang, lang.numbers())) }
                    }
                }
                @if !latest.left_out.is_empty() {
                    p.note { (left_out(explained, latest, lang)) }
                }
            }
        }
    }
}

fn left_out(explained: &Explained, split: &Split, lang: Lang) -> String {
    let names: Vec<String> = split.left_out.iter().map(|id| explained.name(id)).collect();
    lang.words()
        .explain_left_out
        .replace("{year}", &split.year.to_string())
        .replace("{compared}", &split.compared.to_string())
        .replace("{asked}", &split.asked.to_string())
        .replace("{names}", &names.join(", "))
}

/// The latest year top-down: the total, each piece with both values, its
/// part of the gap and its share.
fn latest_table(
    explained: &Explained,
    chain: &Chain,
    splits: &[Split],
    kr: &Decomposition,
    lang: Lang,
) -> Markup {
    let Some(split) = splits.last() else {
        return html! {};
    };
    let words = lang.words();
    let style = lang.numbers();
    let gap = kr.gap(split.own);
    // One number of decimals for every amount in the chain's unit.
    let d = decimals(splits.iter().map(|s| s.own));
    // Shares only where they mean something: kronor alone when pieces nearly cancel.
    let meaningful = shares_mean_something(chain, kr, gap);
    let share = |c: f64| {
        if meaningful {
            percent(100.0 * c / gap, style)
        } else {
            "–".to_string()
        }
    };
    let pct = if kr.comparison == 0.0 {
        String::new()
    } else {
        format!(" ({})", signed_percent(100.0 * gap / kr.comparison, style))
    };
    let shown = |v: Option<f64>, kind: TermKind| match (v, kind) {
        // The identity's rounding is a ratio near 1.
        (Some(v), TermKind::Rest) if matches!(chain.form, Form::Product { .. }) => {
            format!("{v:.4}").replace('.', &style.decimal.to_string())
        }
        (Some(v), _) => figure(v, style, false),
        (None, _) => String::new(),
    };
    let comparison = if explained.peers.is_some() {
        words.peer_mean
    } else {
        words.explain_riket
    };
    html! {
        table.explain {
            thead { tr {
                th.text { (split.year) } th { (explained.municipality.title) } th { (comparison) }
                th { (words.explain_difference) } th { (words.explain_share) }
            } }
            tbody {
                tr.total {
                    td.text { b { (chain.label.get(lang)) } " (" (chain.total) ")" }
                    td { (format_number(split.own, d, style, false)) } td { (format_number(kr.comparison, d, style, false)) }
                    td { (format_number(gap, d, style, true)) (pct) } td { (share(gap)) }
                }
                @for term in kr.terms.iter().filter(|t| !hidden(chain, t.kind, splits)) {
                    @let (own, other) = term_values(chain, term);
                    tr {
                        td.text { (term_name(chain, term.kind, lang)) }
                        td { (shown(own, term.kind)) } td { (shown(other, term.kind)) }
                        td { (format_number(term.contribution, d, style, true)) } td { (share(term.contribution)) }
                    }
                }
            }
        }
    }
}

/// A piece's column heading: its name, the spread's short.
fn column_label(chain: &Chain, kind: TermKind, lang: Lang) -> String {
    match kind {
        TermKind::Spread => lang.words().explain_spread_short.to_string(),
        _ => term_label(chain, kind, lang),
    }
}

/// The gap and each piece's part of it, year by year; a year that starts
/// a new method is marked, and no one should read across it.
fn years_table(chain: &Chain, splits: &[Split], lang: Lang) -> Markup {
    let words = lang.words();
    let style = lang.numbers();
    let kinds: Vec<TermKind> = splits
        .iter()
        .rev()
        .find_map(|s| s.kr.as_ref().ok())
        .map(|d| d.terms.iter().map(|t| t.kind).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|&k| !hidden(chain, k, splits))
        .collect();
    let breaks = splits.iter().any(|s| s.series_break);
    let d = decimals(splits.iter().map(|s| s.own));
    html! {
        table.explain-years {
            thead { tr {
                th.text { (words.year) } th { (words.value) } th { (words.explain_comparison) }
                th { (words.explain_difference) }
                @for kind in &kinds { th { (column_label(chain, *kind, lang)) } }
            } }
            tbody {
                @for split in splits {
                    tr {
                        td.text { (split.year) @if split.series_break { "\u{a0}¦" } }
                        td { (format_number(split.own, d, style, false)) }
                        @match &split.kr {
                            Ok(kr) => {
                                td { (format_number(kr.comparison, d, style, false)) }
                                td { (format_number(kr.gap(split.own), d, style, true)) }
                                @for kind in &kinds {
                                    td { (kr.terms.iter().find(|t| t.kind == *kind).map(|t| format_number(t.contribution, d, style, true)).unwrap_or_default()) }
                                }
                            }
                            Err(why) => {
                                td { (split.comparison.map(|c| format_number(c, d, style, false)).unwrap_or_default()) }
                                td { (split.comparison.map(|c| format_number(split.own - c, d, style, true)).unwrap_or_default()) }
                                td.text colspan=(kinds.len().max(1)) { (unsplit_text(why, chain, lang)) }
                            }
                        }
                    }
                }
            }
        }
        @if breaks {
            p.note { (words.explain_break) }
        }
    }
}

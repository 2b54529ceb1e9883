//! `explain` as people and programs read it: the tidy table whose
//! contributions add up to each gap, the names of its pieces, and one
//! plain sentence per chain, in Swedish or English; and an area's chains
//! split for the review pack.

use anyhow::Result;

use super::reading::decimals;
use super::words::{and_list, format_number, NumberStyle, TERMINAL};
use crate::analysis::explain::{Decomposition, Explained, Flag, Split, Term, TermKind, Unsplit};
use crate::analysis::table::{table_of, Cell, Kind, Table};
use crate::base::text::without_noise;
use crate::model::lang::Lang;
use crate::refdata::{Chain, Form};

/// An area's chains split for the pack, with each chain's waterfall.
pub(crate) struct Explanation {
    pub explained: Explained,
    /// Per chain, in order: the latest year's waterfall (SVG), when split.
    pub charts: Vec<Option<String>>,
}

/// The tidy table's columns (new ones only ever at the end).
const COLUMNS: [(&str, Kind); 26] = [
    ("municipality_id", Kind::Text),
    ("municipality", Kind::Text),
    ("year", Kind::Int),
    ("area", Kind::Text),
    ("chain", Kind::Text),
    ("chain_label", Kind::Text),
    ("identity", Kind::Text),
    ("unit", Kind::Text),
    ("comparison", Kind::Text),
    ("method", Kind::Text),
    ("term", Kind::Text),
    ("term_kind", Kind::Text),
    ("term_label", Kind::Text),
    ("term_kpis", Kind::Text),
    ("value", Kind::Float),
    ("comparison_value", Kind::Float),
    ("contribution", Kind::Float),
    ("share_of_gap", Kind::Float),
    ("gap", Kind::Float),
    ("gap_pct", Kind::Float),
    ("compared", Kind::Int),
    ("asked", Kind::Int),
    ("status", Kind::Text),
    ("reason", Kind::Text),
    ("flags", Kind::Text),
    ("series_break", Kind::Bool),
];

/// Every chain and year as tidy rows: per split a `total` row and a row per
/// term, in kronor against the arithmetic mean (`method` kr) and in logs
/// against the geometric mean (`log`); an unsplit gap as its total row
/// with the reason.
pub(crate) fn tidy(explained: &Explained) -> Result<Table> {
    table_of(&COLUMNS, rows(explained, Lang::En))
}

/// The split as the pack's workbook shows it, a sheet per method (`kr`
/// or `log`), so a pivot counts each gap once: the tidy table's columns
/// without `method` and `term`, headed, labelled and explained in `lang`.
pub(crate) fn sheet(explained: &Explained, method: &str, lang: Lang) -> Result<Table> {
    let words = lang.words();
    let at = |name: &str| COLUMNS.iter().position(|(n, _)| *n == name);
    let (Some(method_at), Some(term_at), Some(kind_at), Some(status_at)) =
        (at("method"), at("term"), at("term_kind"), at("status"))
    else {
        anyhow::bail!("the split's table lacks a column");
    };
    let word = |cell: &Cell, codes: &[&str], words: &[&'static str]| -> Cell {
        let code = cell.text();
        let found = codes.iter().position(|c| *c == code);
        found.map_or(code, |i| words[i].to_string()).into()
    };
    let rows: Vec<Vec<Cell>> = rows(explained, lang)
        .into_iter()
        .filter(|row| row[method_at].text() == method)
        .map(|mut row| {
            row[kind_at] = word(&row[kind_at], &KIND_CODES, &words.explain_kinds);
            row[status_at] = word(&row[status_at], &STATUS_CODES, &words.explain_statuses);
            // The later column first, so the earlier keeps its place.
            row.remove(term_at.max(method_at));
            row.remove(term_at.min(method_at));
            row
        })
        .collect();
    let columns: Vec<(&str, Kind)> = COLUMNS
        .iter()
        .filter(|(name, _)| !matches!(*name, "method" | "term"))
        .zip(words.explain_columns)
        .map(|((_, kind), heading)| (heading, *kind))
        .collect();
    table_of(&columns, rows)
}

/// The codes of `term_kind` and of `status`, in the order of their words
/// (`Words::explain_kinds`, `Words::explain_statuses`).
const KIND_CODES: [&str; 10] = [
    "total",
    "coverage",
    "cost_per_user",
    "age_structure",
    "structure",
    "above_reference",
    "part",
    "rest",
    "spread",
    "factor",
];
const STATUS_CODES: [&str; 3] = ["split", "unsplit", "no_comparison"];

/// The tidy table's rows, their labels, reasons and doubts in `lang`.
fn rows(explained: &Explained, lang: Lang) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for (chain, splits) in &explained.chains {
        for split in splits {
            let row = RowStart {
                explained,
                chain,
                split,
                lang,
            };
            match &split.kr {
                Ok(kr) => {
                    rows.extend(row.decomposition("kr", kr));
                    if let Some(log) = &split.log {
                        rows.extend(row.decomposition("log", log));
                    }
                }
                Err(why) => rows.push(row.unsplit(why)),
            }
        }
    }
    rows
}

/// What every row of one split begins and ends with.
struct RowStart<'a> {
    explained: &'a Explained,
    chain: &'a Chain,
    split: &'a Split,
    /// The language of the labels: English in the tidy table.
    lang: Lang,
}

impl RowStart<'_> {
    fn row(
        &self,
        method: &str,
        term: Vec<Cell>,
        figures: [Option<f64>; 6],
        status: &str,
        reason: String,
    ) -> Vec<Cell> {
        let e = self.explained;
        let mut cells: Vec<Cell> = vec![
            e.municipality.id.clone().into(),
            e.municipality.title.clone().into(),
            self.split.year.into(),
            e.set.area.clone().into(),
            self.chain.id.clone().into(),
            self.chain.label.get(self.lang).into(),
            self.chain
                .identity(self.lang.words().explain_rest_word)
                .into(),
            self.chain.unit.clone().into(),
            e.comparison_label().into(),
            method.into(),
        ];
        cells.extend(term);
        // value, comparison_value, contribution, share_of_gap, gap, gap_pct:
        // the contributions and the gap at full precision, so they add up.
        let [value, comparison, contribution, share, gap, pct] = figures;
        let clean = |f: Option<f64>| Cell::from(f.map(without_noise));
        cells.extend([
            clean(value),
            clean(comparison),
            Cell::from(contribution),
            clean(share),
            Cell::from(gap),
            clean(pct),
        ]);
        cells.extend([
            Cell::from(self.split.compared),
            Cell::from(self.split.asked),
            status.into(),
            Cell::from((!reason.is_empty()).then_some(reason)),
            Cell::from(flags_text(
                &self.split.flags,
                self.lang,
                plain_style(self.lang),
            )),
            Cell::from(self.split.series_break),
        ]);
        cells
    }

    fn decomposition(&self, method: &str, d: &Decomposition) -> Vec<Vec<Cell>> {
        let own = self.split.own;
        let gap = d.gap(own);
        let pct = (d.comparison != 0.0).then(|| 100.0 * gap / d.comparison);
        let share = |c: f64| (gap != 0.0).then(|| c / gap);
        let total = vec![
            "total".into(),
            "total".into(),
            self.chain.label.get(self.lang).into(),
            self.chain.total.clone().into(),
        ];
        let mut rows = vec![self.row(
            method,
            total,
            [
                Some(own),
                Some(d.comparison),
                Some(gap),
                share(gap),
                Some(gap),
                pct,
            ],
            "split",
            String::new(),
        )];
        for term in &d.terms {
            let (code, kind) = term_codes(self.chain, term.kind);
            let cells = vec![
                code.into(),
                kind.into(),
                term_name(self.chain, term.kind, self.lang).into(),
                term_kpis(self.chain, term.kind).into(),
            ];
            let (own, comparison) = term_values(self.chain, term);
            let figures = [
                own,
                comparison,
                Some(term.contribution),
                share(term.contribution),
                Some(gap),
                pct,
            ];
            rows.push(self.row(method, cells, figures, "split", String::new()));
        }
        rows
    }

    fn unsplit(&self, why: &Unsplit) -> Vec<Cell> {
        let own = self.split.own;
        let comparison = self.split.comparison;
        let gap = comparison.map(|c| own - c);
        let pct = comparison
            .zip(gap)
            .filter(|(c, _)| *c != 0.0)
            .map(|(c, g)| 100.0 * g / c);
        let total = vec![
            "total".into(),
            "total".into(),
            self.chain.label.get(self.lang).into(),
            self.chain.total.clone().into(),
        ];
        let status = if *why == Unsplit::NoComparison {
            "no_comparison"
        } else {
            "unsplit"
        };
        let reason = unsplit_text(why, self.chain, self.lang);
        self.row(
            "kr",
            total,
            [Some(own), comparison, gap, gap.map(|_| 1.0), gap, pct],
            status,
            reason,
        )
    }
}

/// (`term`, `term_kind`) of a term in the tidy table.
fn term_codes(chain: &Chain, kind: TermKind) -> (&'static str, &'static str) {
    match (kind, &chain.form) {
        (TermKind::Factor(i), Form::Product { factors, .. }) => ("factor", factors[i].kind.code()),
        (TermKind::Part(_), _) => ("part", "part"),
        (TermKind::Rest, _) => ("rest", "rest"),
        (TermKind::Spread, _) => ("spread", "spread"),
        (TermKind::Factor(_), _) => ("factor", "factor"),
    }
}

/// A term's name in a table, with what the chain file says beside it.
pub(crate) fn term_name(chain: &Chain, kind: TermKind, lang: Lang) -> String {
    let label = term_label(chain, kind, lang);
    match (kind, &chain.form) {
        (TermKind::Part(i), Form::Sum { parts }) => match &parts[i].note {
            Some(note) => format!("{label} ({})", note.get(lang)),
            None => label,
        },
        _ => label,
    }
}

/// A term's name in a language.
pub(crate) fn term_label(chain: &Chain, kind: TermKind, lang: Lang) -> String {
    let words = lang.words();
    match (kind, &chain.form) {
        (TermKind::Factor(i), Form::Product { factors, .. }) => {
            factors[i].shown_label().get(lang).to_string()
        }
        (TermKind::Part(i), Form::Sum { parts }) => parts[i].label.get(lang).to_string(),
        // A sum's rest is a part of its own (övrig äldreomsorg); a
        // product's is the identity's rounding.
        (TermKind::Rest, Form::Sum { .. }) => chain
            .rest
            .as_ref()
            .map(|r| r.get(lang).to_string())
            .unwrap_or_else(|| words.explain_rest_word.to_string()),
        (TermKind::Rest, _) => words.explain_rest.to_string(),
        (TermKind::Spread, _) => words.explain_spread.to_string(),
        _ => String::new(),
    }
}

/// The KPIs a term is made of.
pub(crate) fn term_kpis(chain: &Chain, kind: TermKind) -> String {
    match (kind, &chain.form) {
        (TermKind::Factor(i), Form::Product { factors, .. }) => factors[i].shown_formula(),
        (TermKind::Part(i), Form::Sum { parts }) => parts[i].kpi.clone(),
        (TermKind::Rest, _) => format!("{} / pieces", chain.total),
        _ => String::new(),
    }
}

/// Why a gap is not split, for people.
pub(crate) fn unsplit_text(why: &Unsplit, chain: &Chain, lang: Lang) -> String {
    let words = lang.words();
    let style = plain_style(lang);
    match why {
        Unsplit::Missing(ids) => words.explain_missing.replace("{kpis}", &ids.join(", ")),
        Unsplit::Identity(off) => words
            .explain_identity
            .replace("{off}", &percent(off * 100.0, style))
            .replace(
                "{tolerance}",
                &percent(chain.tolerance.unwrap_or(0.0) * 100.0, style),
            ),
        Unsplit::NoComparison => words.explain_no_comparison.to_string(),
        Unsplit::NotFinite => words.explain_not_finite.to_string(),
    }
}

/// Numbers in plain text: the terminal's style in English, the documents' in Swedish.
fn plain_style(lang: Lang) -> NumberStyle {
    if lang == Lang::En {
        TERMINAL
    } else {
        lang.numbers()
    }
}

/// The doubts about a year's user count, one text ("" for none).
pub(crate) fn flags_text(flags: &[Flag], lang: Lang, style: NumberStyle) -> String {
    let words = lang.words();
    flags
        .iter()
        .map(|flag| match flag {
            Flag::UsersJump { kpi, before, now } => words
                .explain_users_jump
                .replace("{kpi}", kpi)
                .replace("{before}", &format_number(*before, 0, style, false))
                .replace("{now}", &format_number(*now, 0, style, false))
                .replace(
                    "{change}",
                    &signed_percent(100.0 * (now / before - 1.0), style),
                ),
            Flag::FewTimed { kpi, timed, users } => words
                .explain_few_timed
                .replace("{kpi}", kpi)
                .replace("{timed}", &format_number(*timed, 0, style, false))
                .replace("{users}", &format_number(*users, 0, style, false))
                .replace("{share}", &percent(100.0 * timed / users, style)),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// "12,3 %", one decimal.
pub(crate) fn percent(value: f64, style: NumberStyle) -> String {
    format!(
        "{}{}%",
        format_number(value, 1, style, false),
        style.unit_space
    )
}

/// "+12,3 %": a change or a difference.
pub(crate) fn signed_percent(value: f64, style: NumberStyle) -> String {
    format!(
        "{}{}%",
        format_number(value, 1, style, true),
        style.unit_space
    )
}

/// A figure for reading: decimals by its size.
pub(crate) fn figure(value: f64, style: NumberStyle, plus: bool) -> String {
    format_number(value, decimals([value]), style, plus)
}

/// Shares of a gap are shown only while its pieces together move at most
/// this many times the gap: beyond it two large pieces nearly cancel, and
/// a share of what is left (1 032 % of −28 kr) says nothing.
pub(crate) const SHARES_MEAN_SOMETHING: f64 = 4.0;

/// A sentence names every piece that makes at least this share of the
/// gap, either way.
pub(crate) const NAMED_SHARE: f64 = 0.25;

/// Where shares say nothing, a sentence names every piece of at least
/// this share of the largest, in kronor.
pub(crate) const NAMED_OF_LARGEST: f64 = 0.25;

/// The pieces of a split: factors, parts and a sum's rest (a part of its
/// own); not a product's rounding or the peers' spread.
pub(crate) fn pieces<'d>(chain: &Chain, kr: &'d Decomposition) -> Vec<&'d Term> {
    let sum = matches!(chain.form, Form::Sum { .. });
    kr.terms
        .iter()
        .filter(|t| match t.kind {
            TermKind::Factor(_) | TermKind::Part(_) => true,
            TermKind::Rest => sum,
            TermKind::Spread => false,
        })
        .collect()
}

/// Whether shares of the gap mean something (see [`SHARES_MEAN_SOMETHING`]).
pub(crate) fn shares_mean_something(chain: &Chain, kr: &Decomposition, gap: f64) -> bool {
    let moved: f64 = pieces(chain, kr).iter().map(|t| t.contribution.abs()).sum();
    gap != 0.0 && moved <= SHARES_MEAN_SOMETHING * gap.abs()
}

/// A term's own and comparison values as people read them (a factor shown
/// as its inverse where the chain file says so).
pub(crate) fn term_values(chain: &Chain, term: &Term) -> (Option<f64>, Option<f64>) {
    match (term.kind, &chain.form) {
        (TermKind::Factor(i), Form::Product { factors, .. }) => (
            term.own.map(|v| factors[i].shown_value(v)),
            term.comparison.map(|v| factors[i].shown_value(v)),
        ),
        _ => (term.own, term.comparison),
    }
}

/// A short plain text for a chain's split: how far the municipality is
/// from the comparison, then every piece that makes a quarter of the gap
/// or more with its share, and those that pull the other way; where the
/// pieces nearly cancel, the large ones in kronor.
pub(crate) fn sentence(
    explained: &Explained,
    chain: &Chain,
    split: &Split,
    lang: Lang,
    style: NumberStyle,
) -> String {
    let words = lang.words();
    let whose = if explained.peers.is_some() {
        words.explain_peers
    } else {
        words.explain_country
    };
    let label = chain.label.get(lang);
    let Ok(kr) = &split.kr else {
        let why = split
            .kr
            .as_ref()
            .err()
            .map(|w| unsplit_text(w, chain, lang))
            .unwrap_or_default();
        return words
            .explain_not_split
            .replace("{label}", label)
            .replace("{year}", &split.year.to_string())
            .replace("{why}", &why);
    };
    let gap = kr.gap(split.own);
    let pct = if kr.comparison != 0.0 {
        100.0 * gap / kr.comparison
    } else {
        0.0
    };
    let cancel = !shares_mean_something(chain, kr, gap);
    let tail = if cancel {
        cancelling(chain, kr, lang, style)
    } else {
        ".".to_string()
    };
    if pct.abs() < 2.0 {
        let level = words
            .explain_level
            .replace("{label}", label)
            .replace("{whose}", whose)
            .replace("{pct}", &percent(pct.abs(), style));
        return format!("{level}{tail}");
    }
    let head = words
        .explain_head
        .replace("{label}", label)
        .replace("{pct}", &percent(pct.abs(), style))
        .replace(
            "{direction}",
            if gap < 0.0 {
                words.explain_lower
            } else {
                words.explain_higher
            },
        )
        .replace("{whose}", whose);
    if cancel {
        return format!("{head}{tail}");
    }
    format!("{head}.{}", reasons(chain, kr, gap, lang, style))
}

/// " Det beror på att … (…; 116 % av skillnaden) och att … Det motverkas
/// av att …": every piece of at least [`NAMED_SHARE`] of the gap, the
/// largest first (the largest at least, when none is that large), then
/// those that pull the other way.
fn reasons(chain: &Chain, kr: &Decomposition, gap: f64, lang: Lang, style: NumberStyle) -> String {
    let words = lang.words();
    let mut pieces = pieces(chain, kr);
    pieces.sort_by(|a, b| (b.contribution / gap).total_cmp(&(a.contribution / gap)));
    let share_of = |t: &Term| {
        words.explain_share_of_gap.replace(
            "{share}",
            &percent(100.0 * (t.contribution / gap).abs(), style),
        )
    };
    let named = |t: &&&Term| because(chain, t, lang, style, &share_of(t));
    let mut causes: Vec<String> = pieces
        .iter()
        .filter(|t| t.contribution / gap >= NAMED_SHARE)
        .map(|t| named(&t))
        .collect();
    if causes.is_empty() {
        causes.extend(pieces.first().map(|t| named(&t)));
    }
    let offsets: Vec<String> = pieces
        .iter()
        .rev()
        .filter(|t| t.contribution / gap <= -NAMED_SHARE)
        .map(|t| named(&t))
        .collect();
    let mut text = String::new();
    if !causes.is_empty() {
        text.push(' ');
        text.push_str(
            &words
                .explain_because
                .replace("{pieces}", &and_list(&causes, lang)),
        );
    }
    if !offsets.is_empty() {
        text.push(' ');
        text.push_str(
            &words
                .explain_offset
                .replace("{pieces}", &and_list(&offsets, lang)),
        );
    }
    text
}

/// ", men skillnaden döljer delar som nästan tar ut varandra: att … (…;
/// −2 345 kr/inv) och att … (…; +2 317 kr/inv).": where the pieces nearly
/// cancel, each large one in kronor.
fn cancelling(chain: &Chain, kr: &Decomposition, lang: Lang, style: NumberStyle) -> String {
    let words = lang.words();
    let pieces = pieces(chain, kr);
    let largest = pieces
        .iter()
        .map(|t| t.contribution.abs())
        .fold(0.0, f64::max);
    let d = decimals([largest]);
    let named: Vec<String> = pieces
        .iter()
        .filter(|t| largest > 0.0 && t.contribution.abs() >= NAMED_OF_LARGEST * largest)
        .map(|t| {
            let kronor = format_number(t.contribution, d, style, true);
            let amount = format!("{kronor}{}{}", style.unit_space, chain.unit);
            because(chain, t, lang, style, &amount)
        })
        .collect();
    words
        .explain_cancel
        .replace("{pieces}", &and_list(&named, lang))
}

/// "personlig assistans minus ersättning från FK": a label inside a
/// sentence, its abbreviations kept.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "att färre har hemtjänst (4,5 % mot 6,9 %; {tail})", by the piece's
/// direction: the factor's own words, or a part that costs more or less.
fn because(chain: &Chain, term: &Term, lang: Lang, style: NumberStyle, tail: &str) -> String {
    let words = lang.words();
    let (raw_own, raw_other) = (term.own, term.comparison);
    let (Some(own), Some(other)) = term_values(chain, term) else {
        return String::new();
    };
    // Which phrase: by the factor as it is multiplied, whatever is shown.
    let higher = raw_own > raw_other;
    let (phrase, unit) = match (term.kind, &chain.form) {
        (TermKind::Factor(i), Form::Product { factors, .. }) => {
            let f = &factors[i];
            (
                (if higher { &f.more } else { &f.less })
                    .get(lang)
                    .to_string(),
                f.shown_unit().to_string(),
            )
        }
        (TermKind::Part(_) | TermKind::Rest, Form::Sum { .. }) => (
            words
                .explain_part_costs
                .replace("{part}", &lower_first(&term_label(chain, term.kind, lang)))
                .replace(
                    "{direction}",
                    if higher {
                        words.explain_more
                    } else {
                        words.explain_less
                    },
                ),
            chain.unit.clone(),
        ),
        _ => return String::new(),
    };
    let with_unit = |v: f64| {
        // A share reads with one decimal (4,5 % mot 6,9 %).
        let number = if unit == "%" {
            format_number(v, 1, style, false)
        } else {
            figure(v, style, false)
        };
        if unit.is_empty() {
            number
        } else {
            format!("{number}{}{unit}", style.unit_space)
        }
    };
    format!(
        "{}{phrase} ({} {} {}; {tail})",
        words.explain_that,
        with_unit(own),
        words.explain_against,
        with_unit(other)
    )
}

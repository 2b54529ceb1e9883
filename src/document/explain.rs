//! `explain` as people and programs read it: the tidy table whose
//! contributions add up to each gap, the names of its pieces, and one
//! plain sentence per chain, in Swedish or English; and an area's chains
//! split for the review pack.

use anyhow::Result;

use super::reading::decimals;
use super::words::{format_number, NumberStyle, TERMINAL};
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
    let mut rows = Vec::new();
    for (chain, splits) in &explained.chains {
        for split in splits {
            let row = RowStart {
                explained,
                chain,
                split,
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
    table_of(&COLUMNS, rows)
}

/// What every row of one split begins and ends with.
struct RowStart<'a> {
    explained: &'a Explained,
    chain: &'a Chain,
    split: &'a Split,
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
            self.chain.label.get(Lang::En).into(),
            self.chain.identity("rest").into(),
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
            Cell::from(flags_text(&self.split.flags, Lang::En, TERMINAL)),
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
            self.chain.label.get(Lang::En).into(),
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
                term_name(self.chain, term.kind, Lang::En).into(),
                term_kpis(self.chain, term.kind).into(),
            ];
            let figures = [
                term.own,
                term.comparison,
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
            self.chain.label.get(Lang::En).into(),
            self.chain.total.clone().into(),
        ];
        let status = if *why == Unsplit::NoComparison {
            "no_comparison"
        } else {
            "unsplit"
        };
        let reason = unsplit_text(why, self.chain, Lang::En);
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
            factors[i].label.get(lang).to_string()
        }
        (TermKind::Part(i), Form::Sum { parts }) => parts[i].label.get(lang).to_string(),
        (TermKind::Rest, _) => chain
            .rest
            .as_ref()
            .map(|r| r.get(lang).to_string())
            .unwrap_or_else(|| words.explain_rest.to_string()),
        (TermKind::Spread, _) => words.explain_spread.to_string(),
        _ => String::new(),
    }
}

/// The KPIs a term is made of.
pub(crate) fn term_kpis(chain: &Chain, kind: TermKind) -> String {
    match (kind, &chain.form) {
        (TermKind::Factor(i), Form::Product { factors, .. }) => factors[i].formula(),
        (TermKind::Part(i), Form::Sum { parts }) => parts[i].kpi.clone(),
        (TermKind::Rest, _) => format!("{} / pieces", chain.total),
        _ => String::new(),
    }
}

/// Why a gap is not split, for people.
pub(crate) fn unsplit_text(why: &Unsplit, chain: &Chain, lang: Lang) -> String {
    let words = lang.words();
    // Numbers in plain text: the terminal's style in English, the documents' in Swedish.
    let style = if lang == Lang::En {
        TERMINAL
    } else {
        lang.numbers()
    };
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

/// One plain sentence for a chain's split: how far the municipality is
/// from the comparison, and which piece makes most of it (and what pulls
/// the other way).
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
    if pct.abs() < 2.0 {
        return words
            .explain_level
            .replace("{label}", label)
            .replace("{whose}", whose)
            .replace("{pct}", &percent(pct.abs(), style));
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
    format!("{head}{}.", pieces_clause(chain, kr, gap, lang, style))
}

/// "; nästan hela skillnaden beror på att färre har hemtjänst (…), delvis
/// motverkat av att …": the piece that makes most of the gap, and the one
/// that pulls most the other way (a seventh of the gap or more).
fn pieces_clause(
    chain: &Chain,
    kr: &Decomposition,
    gap: f64,
    lang: Lang,
    style: NumberStyle,
) -> String {
    let words = lang.words();
    let pieces: Vec<&Term> = kr
        .terms
        .iter()
        .filter(|t| matches!(t.kind, TermKind::Factor(_) | TermKind::Part(_)))
        .collect();
    let Some(main) = pieces
        .iter()
        .max_by(|a, b| (a.contribution / gap).total_cmp(&(b.contribution / gap)))
    else {
        return String::new();
    };
    let quantity = match main.contribution / gap {
        s if s > 1.1 => words.explain_more_than_all,
        s if s >= 0.9 => words.explain_almost_all,
        s if s >= 0.6 => words.explain_most,
        s if s >= 0.4 => words.explain_half,
        _ => words.explain_part,
    };
    let mut text = format!("; {quantity} {}", because(chain, main, lang, style));
    let against = pieces
        .iter()
        .filter(|t| t.contribution / gap <= -0.15)
        .max_by(|a, b| a.contribution.abs().total_cmp(&b.contribution.abs()));
    if let Some(other) = against {
        text.push_str(&format!(
            ", {} {}",
            words.explain_offset,
            because(chain, other, lang, style)
        ));
    }
    text
}

/// "färre har hemtjänst (4,5 % mot 6,9 %)", by the piece's direction.
fn because(chain: &Chain, term: &Term, lang: Lang, style: NumberStyle) -> String {
    let words = lang.words();
    let (Some(own), Some(other)) = (term.own, term.comparison) else {
        return String::new();
    };
    let higher = own > other;
    let (phrase, unit) = match (term.kind, &chain.form) {
        (TermKind::Factor(i), Form::Product { factors, .. }) => {
            let f = &factors[i];
            (
                (if higher { &f.more } else { &f.less })
                    .get(lang)
                    .to_string(),
                f.unit.clone(),
            )
        }
        (TermKind::Part(i), Form::Sum { parts }) => (
            words
                .explain_part_costs
                .replace("{part}", &parts[i].label.get(lang).to_lowercase())
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
        "{phrase} ({} {} {})",
        with_unit(own),
        words.explain_against,
        with_unit(other)
    )
}

//! How municipalities stand against comparable municipalities and the
//! whole country, KPI by KPI and year by year: one municipality, or several
//! (`Arvika,Eda,Säffle`, a network such as `varmland-vastra`, a group id),
//! each against its own peers and ranked in the same national ranks. A
//! region is ranked among the 21 regions.

use anyhow::Result;
use polars::prelude::DataFrame;

use super::plan::{
    comparable, fetch, plan_set, subject_peers, union_query, Figures, Request, SetInfo, SetPlan,
    SubjectPeers,
};
use super::Context;
use crate::analysis::kpi::{Bands, KpiPlan};
use crate::base::error;
use crate::model::ids::is_group_id;
use crate::model::lang::Lang;
use crate::model::years::format_years;
use crate::model::Municipality;
use crate::output::provenance::review_provenance;
use crate::output::review::{Review, Section};
use crate::resolve::peers::network_members;

/// A comparison of one or more municipalities, ready to show.
pub(crate) struct Compared {
    /// The municipality's name, or the network's (a list by its members' names).
    pub label: String,
    pub set: Option<SetInfo>,
    /// The KPIs with the first municipality's peers (for the views' headings).
    pub kpis: Vec<KpiPlan>,
    pub years: Vec<i32>,
    /// `analysis::compare::COLUMNS`, every municipality one after the other.
    pub table: DataFrame,
    /// "Peers (label): A, B, C" per distinct peer group (per municipality
    /// when there are several).
    pub peer_lines: Vec<String>,
    /// For people: coverage, and a municipality left out of its own peers.
    pub notes: Vec<String>,
    /// The first municipality and its first peer group, for a single
    /// comparison's workbook.
    pub first: Option<(Municipality, crate::model::peers::Peers)>,
}

/// What to compare, as asked.
pub(crate) struct Asked<'a> {
    pub municipality: &'a str,
    pub peers: &'a str,
    pub request: Request<'a>,
    pub bands: Bands,
}

/// Whether the municipality argument names several: a list, a group id or
/// a peer list.
pub(crate) fn names_several(text: &str, cx: &Context) -> Result<bool> {
    let text = text.trim();
    Ok(text.contains(',') || is_group_id(text) || cx.refdata.peer_list(text)?.is_some())
}

/// Compare one municipality (or region).
pub(crate) fn one(asked: &Asked, cx: &Context) -> Result<Compared> {
    let municipality = comparable(asked.municipality, cx)?;
    let plan = plan_set(&asked.request, municipality.is_region(), cx)?;
    let peers = subject_peers(&municipality, asked.peers, &plan, cx)?;
    let observations = fetch(cx.catalogue.source(), &plan.query, cx.progress)?;
    let figures = Figures::settle(plan, &observations, asked.bands)?;
    let (kpis, table) = figures.compare(&peers)?;
    let mut notes = peers.notes.clone();
    notes.extend(figures.notes.iter().cloned());
    Ok(Compared {
        label: municipality.title.clone(),
        peer_lines: peer_lines(&peers, cx),
        first: peers.first().map(|p| (municipality.clone(), p.clone())),
        set: figures.set,
        kpis,
        years: figures.years,
        table,
        notes,
    })
}

/// Compare several municipalities, each against the chosen peers, in one
/// table: every set planned and ranked once for all of them.
pub(crate) fn several(asked: &Asked, cx: &Context) -> Result<Compared> {
    let catalogue = cx.catalogue;
    let (label, ids) = network_members(asked.municipality.trim(), catalogue, cx.refdata)?;
    if ids.is_empty() {
        return Err(error::usage(format!(
            "'{}' names no municipalities; give names or codes, comma-separated",
            asked.municipality
        )));
    }
    // A typed list is named by its members' names.
    let label = if label.contains(',') {
        ids.iter()
            .map(|id| catalogue.name(id))
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        label
    };
    let members = ids
        .iter()
        .map(|id| comparable(id, cx))
        .collect::<Result<Vec<_>>>()?;
    // A set is planned once for the municipalities and once for regions, when both are asked.
    let mut plans: Vec<SetPlan> = Vec::new();
    for region in [false, true] {
        if members.iter().any(|m| m.is_region() == region) {
            plans.push(plan_set(&asked.request, region, cx)?);
        }
    }
    let plan_of = |m: &Municipality| plans.iter().position(|p| p.region == m.is_region());
    let mut subjects = Vec::new();
    for member in &members {
        let plan = plan_of(member).map(|i| &plans[i]);
        let plan = plan.ok_or_else(|| error::usage("no plan for a member"))?;
        subjects.push(subject_peers(member, asked.peers, plan, cx)?);
    }
    let query = union_query(&plans.iter().collect::<Vec<_>>(), &[], &[]);
    let observations = fetch(catalogue.source(), &query, cx.progress)?;
    let regions: Vec<bool> = plans.iter().map(|p| p.region).collect();
    let figures = plans
        .into_iter()
        .map(|plan| Figures::settle(plan, &observations, asked.bands))
        .collect::<Result<Vec<_>>>()?;
    combine(label, &subjects, &figures, &regions, cx)
}

/// The members' tables one after the other, with their peer lines; the
/// notes of the first member, as for one.
fn combine(
    label: String,
    subjects: &[SubjectPeers],
    figures: &[Figures],
    regions: &[bool],
    cx: &Context,
) -> Result<Compared> {
    let mut table: Option<DataFrame> = None;
    let mut kpis = Vec::new();
    let mut peer_lines_all = Vec::new();
    for subject in subjects {
        let index = regions
            .iter()
            .position(|r| *r == subject.municipality.is_region())
            .unwrap_or(0);
        let (subject_kpis, part) = figures[index].compare(subject)?;
        for line in peer_lines(subject, cx) {
            peer_lines_all.push(format!("{}: {line}", subject.municipality.title));
        }
        match &mut table {
            Some(all) => {
                all.vstack_mut(&part)?;
            }
            None => table = Some(part),
        }
        kpis = subject_kpis;
    }
    let table = table.ok_or_else(|| error::usage("no municipality to compare"))?;
    let last = figures.last();
    let mut notes: Vec<String> = subjects
        .first()
        .map(|s| s.notes.clone())
        .unwrap_or_default();
    notes.extend(figures.first().map(|f| f.notes.clone()).unwrap_or_default());
    Ok(Compared {
        label,
        set: last.and_then(|f| f.set.clone()),
        kpis,
        years: last.map(|f| f.years.clone()).unwrap_or_default(),
        table,
        peer_lines: peer_lines_all,
        notes,
        first: None,
    })
}

/// "Peers (label): A, B, C" once per distinct peer group.
fn peer_lines(peers: &SubjectPeers, cx: &Context) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for group in peers.groups() {
        let names: Vec<String> = group
            .members
            .iter()
            .map(|id| cx.catalogue.name(id))
            .collect();
        let line = format!("Peers ({}): {}", group.label, names.join(", "));
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    lines
}

/// The review of one comparison, for its print-ready workbook: one section
/// like the report's table, in the documents' language.
pub(crate) fn review(compared: &Compared, lang: Lang, cx: &Context) -> Result<Review> {
    let words = lang.words();
    let (municipality, peers) = compared
        .first
        .clone()
        .ok_or_else(|| error::usage("a workbook of several municipalities has no review sheet"))?;
    let (set_name, set_title, not_measured) = match &compared.set {
        Some(set) => (
            set.name.clone(),
            set.title.clone(),
            set.not_measured.clone(),
        ),
        None => ("compare".to_string(), words.kpi.to_string(), None),
    };
    let ids: Vec<String> = compared.kpis.iter().map(|k| k.id.clone()).collect();
    let source = cx.catalogue.source();
    Ok(Review {
        title: format!("{} – {set_title}", municipality.title),
        subtitle: format!(
            "{} · {} {}",
            municipality.title,
            words.years,
            format_years(&compared.years).replace('-', "–")
        ),
        sections: vec![Section {
            set_name,
            set_title,
            not_measured,
            peers_title: peers.title.clone(),
            peer_names: peers
                .members
                .iter()
                .map(|id| cx.catalogue.name(id))
                .collect(),
            kpis: compared.kpis.clone(),
            table: compared.table.clone(),
            network: false,
        }],
        figures: Vec::new(),
        cost_quality: None,
        provenance: review_provenance(source, &ids, None),
        lang,
    })
}

//! How municipalities stand against comparable municipalities and the
//! whole country, KPI by KPI and year by year: one municipality, or several
//! (`Arvika,Eda,Säffle`, a network such as `varmland-vastra`, a group id),
//! each against its own peers and ranked in the same national ranks. A
//! region is ranked among the 21 regions.

use anyhow::Result;
use polars::prelude::DataFrame;

use super::plan::{
    comparable, fetch_and_settle, plan_members, plan_set, subject_peers, Figures, Request, SetInfo,
    SubjectPeers,
};
use super::Context;
use crate::analysis::kpi::{Bands, KpiPlan};
use crate::base::error;
use crate::model::ids::is_group_id;
use crate::model::lang::Lang;
use crate::model::peers::Peers;
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
    /// The KPIs (with the last municipality's peers: the views need only
    /// their names, units and scales).
    pub kpis: Vec<KpiPlan>,
    pub years: Vec<i32>,
    /// `analysis::compare::COLUMNS`, every municipality one after the other.
    pub table: DataFrame,
    /// "Peers (label): A, B, C" per distinct peer group (per municipality
    /// when there are several).
    pub peer_lines: Vec<String>,
    /// The first municipality and its first peer group, for a single
    /// comparison's workbook.
    pub first: Option<(Municipality, Peers)>,
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
    cx.notes.note(peers.note());
    let figures = fetch_and_settle(plan, asked.bands, true, cx)?;
    let (kpis, table) = figures.compare(&peers)?;
    Ok(Compared {
        label: municipality.title.clone(),
        peer_lines: peer_lines(&peers, cx),
        first: peers.first().map(|p| (municipality.clone(), p.clone())),
        set: figures.set,
        kpis,
        years: figures.years,
        table,
    })
}

/// Compare several municipalities, each against the chosen peers, in one
/// table: the set planned, fetched and ranked once for all of them (once
/// more for regions among them). The notes are the first member's, as for one.
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
    let (plans, plan_of) = plan_members(&asked.request, &members, cx)?;
    let mut subjects = Vec::new();
    for (member, &plan) in members.iter().zip(&plan_of) {
        subjects.push(subject_peers(member, asked.peers, &plans[plan], cx)?);
    }
    cx.notes.note(subjects.first().and_then(SubjectPeers::note));
    let first_plan = plan_of.first().copied();
    let figures = plans
        .into_iter()
        .enumerate()
        .map(|(i, plan)| fetch_and_settle(plan, asked.bands, Some(i) == first_plan, cx))
        .collect::<Result<Vec<_>>>()?;
    combine(label, &subjects, &plan_of, &figures, cx)
}

/// The members' tables one after the other, with their peer lines.
fn combine(
    label: String,
    subjects: &[SubjectPeers],
    plan_of: &[usize],
    figures: &[Figures],
    cx: &Context,
) -> Result<Compared> {
    let mut table: Option<DataFrame> = None;
    let mut kpis = Vec::new();
    let mut peer_lines_all = Vec::new();
    for (subject, &plan) in subjects.iter().zip(plan_of) {
        let (subject_kpis, part) = figures[plan].compare(subject)?;
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
    let last = plan_of.last().map(|&plan| &figures[plan]);
    Ok(Compared {
        label,
        set: last.and_then(|f| f.set.clone()),
        kpis,
        years: last.map(|f| f.years.clone()).unwrap_or_default(),
        table,
        peer_lines: peer_lines_all,
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

/// A comparison as the documents show it: a set's table against one peer
/// group, named for people.
pub(crate) fn section(
    set: &SetInfo,
    peers: &Peers,
    kpis: Vec<KpiPlan>,
    table: DataFrame,
    cx: &Context,
) -> Section {
    Section {
        set_name: set.name.clone(),
        set_title: set.title.clone(),
        not_measured: set.not_measured.clone(),
        peers_title: peers.title.clone(),
        peer_names: peers
            .members
            .iter()
            .map(|id| cx.catalogue.name(id))
            .collect(),
        kpis,
        table,
        network: false,
    }
}

/// The review of one comparison, for its print-ready workbook: one section
/// like the report's table, in the documents' language.
pub(crate) fn review(compared: &Compared, lang: Lang, cx: &Context) -> Result<Review> {
    let words = lang.words();
    let (municipality, peers) = compared
        .first
        .clone()
        .ok_or_else(|| error::usage("a workbook of several municipalities has no review sheet"))?;
    let set = compared.set.clone().unwrap_or_else(|| SetInfo {
        name: "compare".to_string(),
        title: words.kpi.to_string(),
        not_measured: None,
    });
    let ids: Vec<String> = compared.kpis.iter().map(|k| k.id.clone()).collect();
    let source = cx.catalogue.source();
    Ok(Review {
        title: format!("{} – {}", municipality.title, set.title),
        subtitle: format!(
            "{} · {} {}",
            municipality.title,
            words.years,
            format_years(&compared.years).replace('-', "–")
        ),
        sections: vec![section(
            &set,
            &peers,
            compared.kpis.clone(),
            compared.table.clone(),
            cx,
        )],
        figures: Vec::new(),
        cost_quality: None,
        provenance: review_provenance(source, &ids, None),
        lang,
    })
}

//! How municipalities stand against comparable municipalities and the
//! whole country, KPI by KPI and year by year: one municipality, or several
//! (`Arvika,Eda,Säffle`, a network such as `varmland-vastra`, a group id),
//! each against its own peers and ranked in the same national ranks. A
//! region is ranked among the 21 regions.

use anyhow::Result;

use super::peer_values::{peer_values, Asked as PeersAsked};
use super::plan::{
    comparable, fetch_and_settle, plan_members, plan_set, subject_peers, Figures, Request,
    SubjectPeers,
};
use super::Context;
use crate::analysis::kpi::{Bands, KpiPlan};
use crate::analysis::row::ComparedRow;
use crate::analysis::summary::{spreads, Spreads};
use crate::base::error;
use crate::document::peer_values::PeerValues;
use crate::document::provenance::review_provenance;
use crate::document::review::{Kind, PeerGroup, Review, Section};
use crate::model::ids::is_group_id;
use crate::model::lang::Lang;
use crate::model::set::SetInfo;
use crate::model::years::format_years;
use crate::model::Municipality;
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
    /// The comparison's rows, every municipality one after the other.
    pub table: Vec<ComparedRow>,
    /// "Peers (label): A, B, C" per distinct peer group (per municipality
    /// when there are several).
    pub peer_lines: Vec<String>,
    /// The municipality of a single comparison, for its workbook.
    pub single: Option<Municipality>,
    /// The national spread per KPI and year, for the summary.
    pub spreads: Spreads,
    /// The peer spec as asked (`auto`, a list, a group).
    pub peer_spec: String,
    /// One municipality's: per KPI each peer's own figures.
    pub peer_values: Vec<PeerValues>,
}

/// The name of a comparison of KPIs asked one by one, not a set.
const UNTITLED: &str = "compare";

/// What to compare, as asked.
pub(crate) struct Asked<'a> {
    pub municipality: &'a str,
    pub peers: &'a str,
    pub request: Request<'a>,
    pub bands: Bands,
    /// The language of the lines that name the peers.
    pub lang: Lang,
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
    let mut plan = plan_set(&asked.request, municipality.is_region(), cx)?;
    let peers = subject_peers(&municipality, asked.peers, &mut plan, cx)?;
    cx.notes.note(peers.note());
    let figures = fetch_and_settle(plan, asked.bands, true, cx)?;
    let (kpis, table) = figures.compare(&peers)?;
    let set = figures.set.as_ref().map_or(UNTITLED, |s| s.name.as_str());
    let peers_asked = PeersAsked {
        set,
        kpis: &kpis,
        own: Some(&municipality),
        groups: &|kpi| vec![kpi.peers.clone()],
        figures: std::slice::from_ref(&figures),
    };
    let peer_values = peer_values(&peers_asked, cx);
    Ok(Compared {
        peer_values,
        spreads: spreads(&figures.national.values),
        label: municipality.title.clone(),
        peer_lines: peer_lines(&peers, asked.lang, cx),
        single: Some(municipality.clone()),
        set: figures.set,
        kpis,
        years: figures.years,
        table,
        peer_spec: asked.peers.to_string(),
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
    let (mut plans, plan_of) = plan_members(&asked.request, &members, cx)?;
    let mut subjects = Vec::new();
    for (member, &plan) in members.iter().zip(&plan_of) {
        subjects.push(subject_peers(member, asked.peers, &mut plans[plan], cx)?);
    }
    cx.notes.note(subjects.first().and_then(SubjectPeers::note));
    let first_plan = plan_of.first().copied();
    let figures = plans
        .into_iter()
        .enumerate()
        .map(|(i, plan)| fetch_and_settle(plan, asked.bands, Some(i) == first_plan, cx))
        .collect::<Result<Vec<_>>>()?;
    combine(label, &subjects, &plan_of, &figures, asked.lang, cx)
}

/// The members' tables one after the other, with their peer lines.
fn combine(
    label: String,
    subjects: &[SubjectPeers],
    plan_of: &[usize],
    figures: &[Figures],
    lang: Lang,
    cx: &Context,
) -> Result<Compared> {
    let mut table: Vec<ComparedRow> = Vec::new();
    let mut kpis = Vec::new();
    let mut peer_lines_all = Vec::new();
    for (subject, &plan) in subjects.iter().zip(plan_of) {
        let (subject_kpis, part) = figures[plan].compare(subject)?;
        for line in peer_lines(subject, lang, cx) {
            peer_lines_all.push(format!("{}: {line}", subject.municipality.title));
        }
        table.extend(part);
        kpis = subject_kpis;
    }
    if subjects.is_empty() {
        return Err(error::usage("no municipality to compare"));
    }
    let last = plan_of.last().map(|&plan| &figures[plan]);
    let mut all_spreads = Spreads::new();
    for f in figures.iter().rev() {
        all_spreads.extend(spreads(&f.national.values));
    }
    Ok(Compared {
        spreads: all_spreads,
        label,
        set: last.and_then(|f| f.set.clone()),
        kpis,
        years: last.map(|f| f.years.clone()).unwrap_or_default(),
        table,
        peer_lines: peer_lines_all,
        single: None,
        peer_values: Vec::new(),
        peer_spec: subjects.first().map(|s| s.spec.clone()).unwrap_or_default(),
    })
}

/// "Peers (label): A, B, C" once per distinct peer group.
fn peer_lines(peers: &SubjectPeers, lang: Lang, cx: &Context) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for group in peers.groups() {
        let names: Vec<String> = group
            .members
            .iter()
            .map(|id| cx.catalogue.name(id))
            .collect();
        let line = lang
            .words()
            .term
            .peers_line
            .replace("{label}", &group.label)
            .replace("{names}", &names.join(", "));
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    lines
}

/// A comparison as the documents show it: a set's table against the peer
/// groups of its KPIs, each named for people.
pub(crate) fn section(
    set: &SetInfo,
    municipality: &Municipality,
    kpis: Vec<KpiPlan>,
    table: Vec<ComparedRow>,
    peer_spec: &str,
    cx: &Context,
) -> Section {
    let mut groups: Vec<PeerGroup> = Vec::new();
    for kpi in &kpis {
        if !groups.iter().any(|g| g.peers.label == kpi.peers.label) {
            groups.push(PeerGroup {
                peers: kpi.peers.clone(),
                names: kpi
                    .peers
                    .members
                    .iter()
                    .map(|id| cx.catalogue.name(id))
                    .collect(),
            });
        }
    }
    Section {
        set: set.clone(),
        subject: municipality.title.clone(),
        region: municipality.is_region(),
        groups,
        kpis,
        table,
        kind: Kind::Single,
        peer_spec: peer_spec.to_string(),
    }
}

/// Whether a comparison shows group values nyckeltal computed (from a
/// snapshot), which the provenance must say.
pub(crate) fn computes_group_values(tables: &[&[ComparedRow]], cx: &Context) -> bool {
    cx.catalogue.source().computes_group_means()
        && tables
            .iter()
            .any(|t| t.iter().any(|r| r.group_value.is_some()))
}

/// The KPIs of a review, with their titles, for its provenance.
pub(crate) fn kpi_titles(kpis: &[KpiPlan]) -> Vec<(String, String)> {
    kpis.iter()
        .map(|k| (k.id.clone(), k.title.clone()))
        .collect()
}

/// A comparison as the documents and the terminal show it: one section,
/// in `lang`, with the notes a reader needs.
pub(crate) fn review(compared: &Compared, lang: Lang, cx: &Context) -> Result<Review> {
    let words = lang.words();
    let set = compared
        .set
        .clone()
        .unwrap_or_else(|| SetInfo::untitled(UNTITLED, words.kpi));
    let source = cx.catalogue.source();
    let computed = computes_group_values(&[&compared.table], cx);
    let section = match &compared.single {
        Some(municipality) => section(
            &set,
            municipality,
            compared.kpis.clone(),
            compared.table.clone(),
            &compared.peer_spec,
            cx,
        ),
        None => Section {
            set: set.clone(),
            subject: compared.label.clone(),
            region: false,
            groups: Vec::new(),
            kpis: compared.kpis.clone(),
            table: compared.table.clone(),
            kind: Kind::Several,
            peer_spec: compared.peer_spec.clone(),
        },
    };
    let title = format!("{} – {}", compared.label, section.set.title_in(lang));
    Ok(Review {
        title,
        subtitle: format!(
            "{} · {} {}",
            compared.label,
            words.years,
            format_years(&compared.years).replace('-', "–")
        ),
        sections: vec![section],
        figures: Vec::new(),
        cost_quality: None,
        explanations: Vec::new(),
        spreads: compared.spreads.clone(),
        kpi_pages: Vec::new(),
        provenance: review_provenance(source, &kpi_titles(&compared.kpis), computed, None),
        lang,
        brief_peers: Vec::new(),
        populations: Vec::new(),
        peer_values: compared.peer_values.clone(),
    })
}

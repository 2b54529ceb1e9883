//! Plan once, fetch once: what a comparison of a set needs, in three steps.
//!
//! 1. [`plan_set`] — the KPIs with labels, directions, scales and breaks,
//!    the years, and the one query for the figures of every municipality
//!    (or region) a comparison ranks among; nothing fetched yet;
//! 2. [`Figures::settle`] — the fetched figures read once: scales guessed
//!    from titles are checked against the values, the years settled, and
//!    the country ranked once for the whole set;
//! 3. [`Figures::compare`] — each municipality against its own peers
//!    ([`subject_peers`]), reading the same ranks.
//!
//! So a network's report fetches and ranks each set once for all its
//! members (and a snapshot keeps what it read for the run, so each KPI
//! file is opened once).

use std::collections::HashMap;

use chrono::NaiveDate;

use anyhow::Result;

use super::fetch::fetch;
use super::peers::{other_regions, resolve_peers};
use super::Context;
use crate::analysis::compare::compare;
use crate::analysis::kpi::{Bands, BaseCount, ByKpiYear, Comparison, KpiPlan, KpiSpec};
use crate::analysis::national::{few_values, NationalRanks};
use crate::analysis::row::ComparedRow;
use crate::base::error;
use crate::model::ids::is_group_id;
use crate::model::peers::Peers;
use crate::model::scale::{Direction, Level, Scale};
use crate::model::set::SetInfo;
use crate::model::years::format_years;
use crate::model::{Gender, Municipality, Observation};
use crate::refdata::SetEntry;
use crate::resolve::kpis::{check_set, entries_for_ids, kpi_ids};
use crate::resolve::peers::PeerSpec;
use crate::source::ValueQuery;

/// What was asked for.
pub(crate) struct Request<'a> {
    /// An indicator set by name or path…
    pub set: Option<&'a str>,
    /// …or KPI ids.
    pub kpis: Option<&'a str>,
    /// Years to report; `None` for the latest `default_years` with figures.
    pub years: Option<Vec<i32>>,
    pub default_years: usize,
    pub gender: Gender,
}

/// A set planned: its KPIs and the one query for their figures.
pub(crate) struct SetPlan {
    pub set: Option<SetInfo>,
    pub kpis: Vec<KpiSpec>,
    /// Ranked among the 21 regions rather than the 290 municipalities.
    pub region: bool,
    /// The years asked to report (`None`: the latest with figures).
    asked_years: Option<Vec<i32>>,
    default_years: usize,
    gender: Gender,
    /// Every municipality (or region) for the years and the year before each.
    pub query: ValueQuery,
}

/// Plan a comparison of `request`'s set (or KPIs) among the municipalities,
/// or among the regions with `region`.
pub(crate) fn plan_set(request: &Request, region: bool, cx: &Context) -> Result<SetPlan> {
    let catalogue = cx.catalogue;
    let (set, entries) = match (request.set, request.kpis) {
        (Some(name), _) => {
            let set = cx.refdata.set(name)?;
            check_set(&set, catalogue)?;
            if set.level == Level::Region && !region {
                return Err(error::usage(format!(
                    "the set {} holds figures Kolada publishes for regions: compare a region, e.g. compare \"Region Värmland\" --set {}",
                    set.name, set.name
                )));
            }
            (Some(set.info()), set.entries)
        }
        (None, Some(ids)) => (
            None,
            entries_for_ids(&kpi_ids(ids, catalogue)?, catalogue, cx.refdata)?,
        ),
        (None, None) => return Err(error::usage("give --set NAME or --kpi IDS")),
    };
    let kpis = entries
        .iter()
        .map(|entry| kpi_spec(entry, region, cx))
        .collect::<Result<Vec<_>>>()?;
    let ids: Vec<String> = kpis.iter().map(|k| k.id.clone()).collect();
    let years = fetch_years(request.years.as_deref(), &ids, request.default_years, cx);
    // The counts that flag small numbers come in the same query.
    let mut ids = ids;
    for (count, ..) in kpis.iter().filter_map(|k| k.small.as_ref()) {
        if !ids.contains(count) {
            ids.push(count.clone());
        }
    }
    let everybody: Vec<String> = if region {
        catalogue.regions()?.iter().map(|m| m.id.clone()).collect()
    } else {
        catalogue.kommuner()?.iter().map(|m| m.id.clone()).collect()
    };
    Ok(SetPlan {
        set,
        kpis,
        region,
        asked_years: request.years.clone(),
        default_years: request.default_years,
        gender: request.gender,
        query: ValueQuery {
            kpis: ids,
            entities: everybody,
            years,
        },
    })
}

/// A set entry with Kolada's metadata: checked to be published for the
/// level compared, its scale decided.
fn kpi_spec(entry: &SetEntry, region: bool, cx: &Context) -> Result<KpiSpec> {
    let kpi = cx.catalogue.kpi(&entry.kpi)?.ok_or_else(|| {
        error::not_found(format!(
            "unknown KPI id '{}'; find ids with `nyckeltal kpi search WORDS`",
            entry.kpi
        ))
    })?;
    if !region && !kpi.for_municipalities() {
        return Err(error::usage(format!(
            "{} ({}) is published for regions only, not for municipalities; leave it out, or compare a region (\"Region Värmland\")",
            kpi.id, kpi.title
        )));
    }
    if region && !kpi.for_regions() {
        return Err(error::usage(format!(
            "{} ({}) is published for municipalities only, not for regions; leave it out, or compare a municipality",
            kpi.id, kpi.title
        )));
    }
    let (scale, levels) = match entry.scale {
        Some(scale) if !(scale == Scale::Category && entry.levels.is_empty()) => {
            (scale, entry.levels.clone())
        }
        Some(Scale::Category) => match Scale::infer(&kpi.title) {
            (Scale::Category, levels) => (Scale::Category, levels),
            _ => {
                return Err(error::usage(format!(
                    "{} is a category but has no levels; add levels = [\"Nej\", \"Ja\"] (the label of code 0, 1, …) to its entry",
                    kpi.id
                )))
            }
        },
        _ => Scale::infer(&kpi.title),
    };
    let rolling = kpi.rolling_years();
    // A moving mean says so in its label, in every language.
    let with_rolling = |label: &str, mark: &str| match rolling {
        Some(n) if !label.contains("årsm") && !label.contains("year mean") => {
            format!("{label}, {n}-{mark}")
        }
        _ => label.to_string(),
    };
    Ok(KpiSpec {
        id: kpi.id.clone(),
        title: kpi.title.clone(),
        description: kpi.description.clone().unwrap_or_default(),
        label: with_rolling(&entry.label, "årsm"),
        label_en: entry
            .label_en
            .as_deref()
            .map(|l| with_rolling(l, "year mean")),
        unit: entry.unit.clone(),
        direction: entry.direction,
        scale,
        inferred: entry.scale.is_none(),
        breaks: entry.breaks.clone(),
        levels,
        area: entry.area.clone(),
        latest_published: kpi.latest_year(),
        final_publication: kpi.final_publication(),
        // Settled with the day the figures were fetched.
        preliminary_year: None,
        fetch_unknown: false,
        rolling,
        relative: entry.relative.clone(),
        small: small_numbers(entry, cx)?,
    })
}

/// An entry's count of people, with the count under which its figure is
/// flagged and the count's title; the count must be a KPI Kolada has.
fn small_numbers(entry: &SetEntry, cx: &Context) -> Result<Option<(String, f64, String)>> {
    let Some(small) = &entry.small else {
        return Ok(None);
    };
    let count = cx.catalogue.kpi(&small.count)?.ok_or_else(|| {
        error::not_found(format!(
            "{}: its count {} is not a KPI in Kolada's catalogue; find one with `nyckeltal kpi search antal`",
            entry.kpi, small.count
        ))
    })?;
    Ok(Some((count.id, small.below, count.title)))
}

/// The years to fetch: each asked year and the one before it (for the
/// change on last year); without years, a window up to the latest
/// published year, cut later to the latest years that have figures.
pub(crate) fn fetch_years(
    asked: Option<&[i32]>,
    kpis: &[String],
    default: usize,
    cx: &Context,
) -> Vec<i32> {
    match asked {
        Some(years) => {
            let mut wanted: Vec<i32> = years.iter().flat_map(|&y| [y - 1, y]).collect();
            wanted.sort_unstable();
            wanted.dedup();
            wanted
        }
        None => {
            let latest = cx.catalogue.latest_year_or_last(kpis);
            let span = default as i32 + 10;
            ((latest - span)..=latest).collect()
        }
    }
}

/// A set's figures, read once: its KPIs with settled scales, the years to
/// report, and the country ranked once.
pub(crate) struct Figures {
    pub set: Option<SetInfo>,
    pub kpis: Vec<KpiSpec>,
    pub years: Vec<i32>,
    pub national: NationalRanks,
    /// How many places are ranked among: 290 municipalities or 21 regions.
    pub total: usize,
    /// Kolada groups' own values: (kpi, group, year) → value.
    group_values: HashMap<(String, String, i32), f64>,
    /// The counts that flag small numbers: (count kpi, municipality, year) → count.
    counts: HashMap<(String, String, i32), f64>,
}

impl Figures {
    /// Read the figures fetched for `plan`; `fetched` says when each KPI's
    /// figures were fetched, which decides whether its latest year was
    /// still preliminary.
    pub(crate) fn settle(
        plan: SetPlan,
        observations: Vec<Observation>,
        bands: Bands,
        fetched: &dyn Fn(&str) -> Option<NaiveDate>,
    ) -> Result<Figures> {
        // A group's own value is no place to rank.
        let (groups, observations): (Vec<Observation>, Vec<Observation>) = observations
            .into_iter()
            .partition(|o| is_group_id(&o.entity));
        let group_values = by_cell(groups, plan.gender);
        // A count asked only to flag small numbers is not ranked.
        let (counts, observations): (Vec<Observation>, Vec<Observation>) = observations
            .into_iter()
            .partition(|o| !plan.kpis.iter().any(|k| k.id == o.kpi));
        let set_counts: Vec<Observation> = observations
            .iter()
            .filter(|o| {
                plan.kpis
                    .iter()
                    .any(|k| k.small.as_ref().is_some_and(|s| s.0 == o.kpi))
            })
            .cloned()
            .collect();
        let counts = by_cell(counts.into_iter().chain(set_counts), plan.gender);
        let total = plan
            .query
            .entities
            .iter()
            .filter(|e| !is_group_id(e))
            .count();
        let mut kpis = plan.kpis;
        for kpi in kpis.iter_mut() {
            let date = fetched(&kpi.id);
            kpi.fetch_unknown = date.is_none();
            kpi.preliminary_year = match (date, kpi.final_publication) {
                (Some(date), Some(last)) if date < last => kpi.latest_published,
                _ => None,
            };
        }
        // A scale read from a title is a guess: a figure with negative values
        // is a deviation or balance, whatever its title says.
        for kpi in kpis.iter_mut().filter(|k| k.inferred) {
            let negative = observations
                .iter()
                .any(|o| o.kpi == kpi.id && o.value.is_some_and(|v| v < 0.0));
            if negative && matches!(kpi.scale, Scale::Amount | Scale::Percent) {
                kpi.scale = Scale::Signed;
            }
        }
        let years = match plan.asked_years {
            Some(years) => years,
            None => latest_years(&observations, &plan.query, plan.gender, plan.default_years)?,
        };
        let directions: Vec<(String, Direction)> =
            kpis.iter().map(|k| (k.id.clone(), k.direction)).collect();
        let national = NationalRanks::new(&observations, plan.gender, &directions, bands)?;
        Ok(Figures {
            set: plan.set,
            kpis,
            years,
            national,
            total,
            group_values,
            counts,
        })
    }

    /// A note naming the KPIs and years in which too few places have a
    /// figure for a band ([`few_values`]), with how many have one.
    pub(crate) fn few_values_note(&self) -> Option<String> {
        let mut counts: HashMap<(&str, i32), usize> = HashMap::new();
        for value in &self.national.values {
            *counts.entry((&value.kpi, value.year)).or_default() += 1;
        }
        let mut few = Vec::new();
        for kpi in self.kpis.iter().filter(|k| k.scale.ranked()) {
            let years: Vec<String> = self
                .years
                .iter()
                .map(|&y| (y, counts.get(&(kpi.id.as_str(), y)).copied().unwrap_or(0)))
                .filter(|&(_, n)| n > 0 && few_values(n, self.total))
                .map(|(y, n)| format!("{y}: {n} of {}", self.total))
                .collect();
            if !years.is_empty() {
                few.push(format!("{} ({})", kpi.id, years.join(", ")));
            }
        }
        (!few.is_empty()).then(|| {
            format!(
                "note: few have a figure, so no band (under two thirds of the {}, or under 10): {}",
                self.total,
                few.join("; ")
            )
        })
    }

    /// The KPIs as a comparison of this municipality takes them: each with
    /// the peers of its area.
    pub(crate) fn kpis_for(&self, peers: &SubjectPeers) -> Result<Vec<KpiPlan>> {
        self.kpis
            .iter()
            .map(|k| {
                Ok(KpiPlan {
                    spec: k.clone(),
                    peers: peers.for_area(k.area.as_deref())?,
                })
            })
            .collect()
    }

    /// One municipality against its peers: its KPIs and the comparison's rows.
    pub(crate) fn compare(&self, peers: &SubjectPeers) -> Result<(Vec<KpiPlan>, Vec<ComparedRow>)> {
        let kpis = self.kpis_for(peers)?;
        let comparison = self.comparison(&peers.municipality, &kpis);
        let rows = compare(&comparison, &self.national);
        Ok((kpis, rows))
    }

    /// The comparison of a municipality with its KPIs' peers.
    pub(crate) fn comparison<'a>(
        &'a self,
        municipality: &'a Municipality,
        kpis: &'a [KpiPlan],
    ) -> Comparison<'a> {
        Comparison {
            municipality,
            years: &self.years,
            kpis,
            total: self.total,
            group_values: self.group_values_for(kpis),
            counts: self.counts_for(&municipality.id, kpis),
        }
    }

    /// The count each KPI's figure rests on for the municipality, where the
    /// set names one; where Kolada has no count for a year, the nearest
    /// year's (the earlier one on a tie), so a missing count never hides
    /// the mark.
    fn counts_for(&self, municipality: &str, kpis: &[KpiPlan]) -> ByKpiYear<BaseCount> {
        let mut out = ByKpiYear::new();
        for kpi in kpis {
            let Some((count, threshold, _)) = &kpi.small else {
                continue;
            };
            let known: Vec<(i32, f64)> = self
                .counts
                .iter()
                .filter(|((k, m, _), _)| k == count && m == municipality)
                .map(|((_, _, year), value)| (*year, *value))
                .collect();
            for &year in &self.years {
                let nearest = known
                    .iter()
                    .min_by_key(|(y, _)| ((y - year).abs(), *y))
                    .copied();
                if let Some((found, value)) = nearest {
                    out.insert(
                        (kpi.id.clone(), year),
                        BaseCount {
                            count: value,
                            below: *threshold,
                            year: found,
                        },
                    );
                }
            }
        }
        out
    }

    /// Kolada's own value of each KPI's peer group, where the peers are a
    /// Kolada group the municipality was left out of.
    fn group_values_for(&self, kpis: &[KpiPlan]) -> ByKpiYear<f64> {
        let mut out = ByKpiYear::new();
        for kpi in kpis {
            let Some(group) = kpi
                .peers
                .group
                .as_ref()
                .filter(|_| kpi.peers.left_out.is_some())
            else {
                continue;
            };
            for &year in &self.years {
                if let Some(value) = self
                    .group_values
                    .get(&(kpi.id.clone(), group.clone(), year))
                {
                    out.insert((kpi.id.clone(), year), *value);
                }
            }
        }
        out
    }
}

/// Figures by (kpi, place, year), in one gender.
fn by_cell(
    observations: impl IntoIterator<Item = Observation>,
    gender: Gender,
) -> HashMap<(String, String, i32), f64> {
    observations
        .into_iter()
        .filter(|o| o.gender == gender)
        .filter_map(|o| Some(((o.kpi, o.entity, o.year), o.value?)))
        .collect()
}

/// Fetch a plan's figures and settle them; with `note`, the coverage note
/// goes to the notes (before anything can fail on the figures).
pub(crate) fn fetch_and_settle(
    plan: SetPlan,
    bands: Bands,
    note: bool,
    cx: &Context,
) -> Result<Figures> {
    let source = cx.catalogue.source();
    let observations = fetch(source, &plan.query, cx.progress)?;
    let fetched = |kpi: &str| source.fetched_for(kpi).map(|at| at.date_naive());
    let figures = Figures::settle(plan, observations, bands, &fetched)?;
    if note {
        cx.notes.note(figures.few_values_note());
    }
    Ok(figures)
}

/// The latest `n` years up to the latest year with a figure.
fn latest_years(
    observations: &[Observation],
    query: &ValueQuery,
    gender: Gender,
    n: usize,
) -> Result<Vec<i32>> {
    let latest = observations
        .iter()
        .filter(|o| o.gender == gender && o.value.is_some())
        .map(|o| o.year)
        .max()
        .ok_or_else(|| {
            error::not_found(format!(
                "Kolada has no figures for {} in {}; give --years",
                query.kpis.join(", "),
                format_years(&query.years)
            ))
        })?;
    Ok(((latest + 1 - n as i32)..=latest).collect())
}

/// A municipality (or region) and its peers for each area of a set.
pub(crate) struct SubjectPeers {
    pub municipality: Municipality,
    /// The peer spec as written (`auto`, `tjorn-aldreomsorg`).
    pub spec: String,
    by_area: Vec<(Option<String>, Peers)>,
}

impl SubjectPeers {
    /// The peers of the KPIs of `area` (every area of the set was resolved).
    fn for_area(&self, area: Option<&str>) -> Result<Peers> {
        self.by_area
            .iter()
            .find(|(a, _)| a.as_deref() == area)
            .map(|(_, peers)| peers.clone())
            .ok_or_else(|| {
                error::usage(format!(
                    "no peers were resolved for the area {}",
                    area.unwrap_or("of the set")
                ))
            })
    }

    /// A note when the municipality was left out of its (first) peer group.
    pub(crate) fn note(&self) -> Option<String> {
        let (_, peers) = self.by_area.first()?;
        peers.left_out.is_some().then(|| {
            format!(
                "note: {} is left out of its own peer group ({}): the peer mean is nyckeltal's, \
                 not the group's value in Kolada (the column group_value)",
                self.municipality.title, peers.label
            )
        })
    }

    /// The first peer group (the one documents name for the whole set).
    pub(crate) fn first(&self) -> Option<&Peers> {
        self.by_area.first().map(|(_, peers)| peers)
    }

    /// Each distinct peer group, in the order of the set's KPIs.
    pub(crate) fn groups(&self) -> impl Iterator<Item = &Peers> {
        self.by_area.iter().map(|(_, peers)| peers)
    }
}

/// The peers of `municipality` for every area of the plan's KPIs: a
/// region with `auto` is compared with the other regions (Kolada has no
/// groups of similar regions). A Kolada group the municipality is left out
/// of is added to the plan's query, for Kolada's own value of the group.
pub(crate) fn subject_peers(
    municipality: &Municipality,
    spec: &str,
    plan: &mut SetPlan,
    cx: &Context,
) -> Result<SubjectPeers> {
    let mut by_area: Vec<(Option<String>, Peers)> = Vec::new();
    for kpi in &plan.kpis {
        if by_area.iter().any(|(area, _)| *area == kpi.area) {
            continue;
        }
        let peers =
            if plan.region && matches!(PeerSpec::parse(spec, cx.refdata)?, PeerSpec::Auto(None)) {
                other_regions(municipality, cx.catalogue)?
            } else {
                resolve_peers(spec, municipality, kpi.area.as_deref(), cx)?
            };
        by_area.push((kpi.area.clone(), peers));
    }
    for (_, peers) in &by_area {
        if let Some(group) = peers.group.as_ref().filter(|_| peers.left_out.is_some()) {
            if !plan.query.entities.contains(group) {
                plan.query.entities.push(group.clone());
            }
        }
    }
    Ok(SubjectPeers {
        municipality: municipality.clone(),
        spec: spec.to_string(),
        by_area,
    })
}

/// A municipality or region, checked to be one a comparison can rank.
pub(crate) fn comparable(text: &str, cx: &Context) -> Result<Municipality> {
    let municipality = crate::resolve::places::municipality(text, cx.catalogue)?.clone();
    check_comparable(&municipality)?;
    Ok(municipality)
}

/// Comparisons rank the 290 municipalities or the 21 regions: nothing else.
pub(crate) fn check_comparable(municipality: &Municipality) -> Result<()> {
    if !municipality.is_kommun() && !municipality.is_region() {
        return Err(error::usage(format!(
            "{} ({}) is neither a municipality nor a region; comparisons rank the 290 municipalities or the 21 regions, so give one of them",
            municipality.title, municipality.id
        )));
    }
    Ok(())
}

/// A set planned for several municipalities: once for the municipalities
/// and once for the regions among them, when there are both; with each
/// member's plan (an index into the plans).
pub(crate) fn plan_members(
    request: &Request,
    members: &[Municipality],
    cx: &Context,
) -> Result<(Vec<SetPlan>, Vec<usize>)> {
    let mut plans: Vec<SetPlan> = Vec::new();
    let mut of_member = Vec::new();
    for member in members {
        check_comparable(member)?;
        let region = member.is_region();
        let index = match plans.iter().position(|p| p.region == region) {
            Some(index) => index,
            None => {
                plans.push(plan_set(request, region, cx)?);
                plans.len() - 1
            }
        };
        of_member.push(index);
    }
    Ok((plans, of_member))
}

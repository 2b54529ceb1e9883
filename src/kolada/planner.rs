//! What to ask Kolada for: requests (KPIs × entities × years) cut into the
//! fewest queries that fit Kolada's limits. Each query asks for as much as
//! one may hold (at most 25 ids in each path slot); one larger than a page
//! is paged through: Kolada's data are sparse, so full pages are the
//! fewest requests (every page but a query's last is full).

use crate::model::ids::is_group_id;

/// Kolada answers HTTP 422 for more ids than this in one path slot.
pub(crate) const MAX_IDS_PER_SLOT: usize = 25;
/// Kolada's largest (and default) page size.
pub(crate) const PER_PAGE: usize = 5000;
/// Above this many municipalities, one query for everybody and a local filter
/// costs fewer requests than listing them 25 at a time.
const BULK_THRESHOLD: usize = 3 * MAX_IDS_PER_SLOT;

/// Whether asking for this many places goes best as one query for
/// everybody, filtered here.
pub(crate) fn asks_everybody(places: usize) -> bool {
    places > BULK_THRESHOLD
}

/// Which entities a value request covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Entities {
    /// Every municipality, region and Riket (no municipality slot).
    All,
    /// These municipality, region or group ids.
    Ids(Vec<String>),
}

impl Entities {
    /// Whether a row for `entity` belongs to what was asked (`All` holds
    /// every place, but no group: a group's mean is asked by its id).
    pub(crate) fn covers(&self, entity: &str) -> bool {
        match self {
            Entities::All => !is_group_id(entity),
            Entities::Ids(ids) => ids.iter().any(|id| id == entity),
        }
    }
}

/// Values wanted for every combination of `kpis`, `entities` and `years`.
#[derive(Debug, Clone)]
pub(crate) struct ValueRequest {
    pub kpis: Vec<String>,
    pub entities: Entities,
    pub years: Vec<i32>,
}

impl ValueRequest {
    /// Use one query for everybody when that is cheaper than listing ids.
    /// Group ids always go in the municipality slot: only there does Kolada
    /// compute the group mean.
    pub(crate) fn split_for_bulk(
        kpis: Vec<String>,
        ids: Vec<String>,
        years: Vec<i32>,
    ) -> Vec<ValueRequest> {
        let (groups, places): (Vec<String>, Vec<String>) =
            ids.into_iter().partition(|id| is_group_id(id));
        let mut out = Vec::new();
        if asks_everybody(places.len()) {
            out.push(ValueRequest {
                kpis: kpis.clone(),
                entities: Entities::All,
                years: years.clone(),
            });
        } else if !places.is_empty() {
            out.push(ValueRequest {
                kpis: kpis.clone(),
                entities: Entities::Ids(places),
                years: years.clone(),
            });
        }
        if !groups.is_empty() {
            out.push(ValueRequest {
                kpis,
                entities: Entities::Ids(groups),
                years,
            });
        }
        out
    }
}

/// One data query: its path and the cells it covers.
pub(crate) struct Query {
    pub path: String,
    pub scope: ValueRequest,
}

/// The queries for one request: ids, KPIs and years each in the fewest
/// slots of at most 25.
pub(crate) fn plan_queries(request: &ValueRequest) -> Vec<Query> {
    let entity_chunks: Vec<Option<Vec<String>>> = match &request.entities {
        Entities::All => vec![None],
        Entities::Ids(ids) => even_chunks(ids, MAX_IDS_PER_SLOT)
            .into_iter()
            .map(Some)
            .collect(),
    };
    let mut queries = Vec::new();
    for entities in entity_chunks {
        // KPIs in runs of 25 in the asked order, not evenly: a repeat of a
        // stopped fetch asks for the same queries less the answered ones
        // (whole runs of 25), so it finds the pages it kept.
        for kpis in request
            .kpis
            .chunks(MAX_IDS_PER_SLOT)
            .map(<[String]>::to_vec)
        {
            for years in even_chunks(&request.years, MAX_IDS_PER_SLOT) {
                let year_text: Vec<String> = years.iter().map(i32::to_string).collect();
                let path = match &entities {
                    Some(ids) => format!(
                        "data/kpi/{}/municipality/{}/year/{}",
                        kpis.join(","),
                        ids.join(","),
                        year_text.join(",")
                    ),
                    None => format!("data/kpi/{}/year/{}", kpis.join(","), year_text.join(",")),
                };
                queries.push(Query {
                    path,
                    scope: ValueRequest {
                        kpis: kpis.clone(),
                        entities: entities.clone().map_or(Entities::All, Entities::Ids),
                        years,
                    },
                });
            }
        }
    }
    queries
}

/// Split into the fewest chunks of at most `max` items, as even as possible.
pub(crate) fn even_chunks<T: Clone>(items: &[T], max: usize) -> Vec<Vec<T>> {
    if items.is_empty() {
        return Vec::new();
    }
    let n = items.len().div_ceil(max.max(1));
    let base = items.len() / n;
    let extra = items.len() % n;
    let mut out = Vec::with_capacity(n);
    let mut start = 0;
    for i in 0..n {
        let len = base + usize::from(i < extra);
        out.push(items[start..start + len].to_vec());
        start += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(kpis: usize, entities: Entities, years: usize) -> ValueRequest {
        ValueRequest {
            kpis: (0..kpis).map(|i| format!("N{i:05}")).collect(),
            entities,
            years: (1998..1998 + years as i32).collect(),
        }
    }

    #[test]
    fn every_slot_holds_at_most_25_ids() {
        let ids = (0..290).map(|i| format!("{i:04}")).collect();
        let paths: Vec<String> = plan_queries(&request(30, Entities::Ids(ids), 25))
            .into_iter()
            .map(|q| q.path)
            .collect();
        for path in &paths {
            let parts: Vec<&str> = path.split('/').collect();
            for slot in [2, 4, 6] {
                assert!(parts[slot].split(',').count() <= MAX_IDS_PER_SLOT, "{path}");
            }
        }
    }

    #[test]
    fn queries_hold_as_much_as_a_query_may() {
        let one = plan_queries(&request(10, Entities::All, 25));
        assert_eq!(
            one.len(),
            1,
            "10 KPIs × 25 years for everybody: one query, paged"
        );
        assert_eq!(one[0].scope.kpis.len(), 10);
        let four = plan_queries(&request(100, Entities::All, 25));
        assert_eq!(four.len(), 4, "100 KPIs: four slots of 25");
        let split = plan_queries(&request(10, Entities::All, 28));
        assert_eq!(split.len(), 2, "28 years: two year slots");
        assert!(split.iter().all(|q| q.scope.years.len() == 14));
    }

    #[test]
    fn even_chunks_balance_sizes() {
        let items: Vec<i32> = (0..26).collect();
        let sizes: Vec<usize> = even_chunks(&items, 25).iter().map(Vec::len).collect();
        assert_eq!(sizes, vec![13, 13]);
    }
}

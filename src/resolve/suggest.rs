//! "Did you mean …?": the closest names or ids to what was typed, as the
//! errors show them.

use crate::base::text::{closest, closest_ids, did_you_mean};
use crate::model::Kpi;

/// "did you mean A (1), B (2)? " for the items whose `name` is closest to
/// what was typed, or nothing when none is close.
pub(crate) fn did_you_mean_among<T>(
    typed: &str,
    items: &[T],
    name: impl Fn(&T) -> &str,
    label: impl Fn(&T) -> String,
) -> String {
    suggest(
        closest(typed, items.iter().map(&name), 3),
        items,
        name,
        label,
    )
}

/// The same for KPI ids, where typos are digits and look-alike letters.
pub(crate) fn did_you_mean_kpi(typed: &str, kpis: &[Kpi]) -> String {
    suggest(
        closest_ids(typed, kpis.iter().map(|k| k.id.as_str()), 3),
        kpis,
        |k| &k.id,
        |k| format!("{} ({})", k.id, k.title),
    )
}

fn suggest<T>(
    hits: Vec<&str>,
    items: &[T],
    name: impl Fn(&T) -> &str,
    label: impl Fn(&T) -> String,
) -> String {
    let guesses: Vec<String> = hits
        .into_iter()
        .filter_map(|hit| items.iter().find(|item| name(item) == hit))
        .map(label)
        .collect();
    did_you_mean(&guesses)
}

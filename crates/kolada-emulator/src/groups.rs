//! A group's value as KOLADA_V3.md defines it: for a group id in the
//! municipality slot, the row is the unweighted mean of the members that
//! have a value, and `count` says how many contributed. Written here from
//! that definition, apart from nyckeltal's own group means, so the tests
//! that set one against the other check something.

use std::collections::{BTreeMap, HashSet};

use crate::data::KpiTable;

/// Per year: the group's mean and member count for T, K and M (`None`
/// where no member has a value for that gender).
pub fn group_rows(
    table: &KpiTable,
    members: &[String],
    years: Option<&HashSet<i32>>,
) -> BTreeMap<i32, [Option<(f64, u32)>; 3]> {
    let members: HashSet<&str> = members.iter().map(String::as_str).collect();
    let mut sums: BTreeMap<i32, [(f64, u32); 3]> = BTreeMap::new();
    for ((id, year), values) in table {
        if !members.contains(id.as_str()) || years.is_some_and(|ys| !ys.contains(year)) {
            continue;
        }
        let slot = sums.entry(*year).or_insert([(0.0, 0); 3]);
        for (sum, value) in slot.iter_mut().zip(values) {
            if let Some(v) = value {
                sum.0 += v;
                sum.1 += 1;
            }
        }
    }
    sums.into_iter()
        .map(|(year, slots)| {
            let means = slots.map(|(sum, n)| (n > 0).then(|| (sum / f64::from(n), n)));
            (year, means)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mean_is_over_the_members_with_a_value() {
        let mut table = KpiTable::new();
        table.insert(("1".into(), 2022), [Some(1.0), None, None]);
        table.insert(("2".into(), 2022), [Some(4.0), Some(2.0), None]);
        table.insert(("3".into(), 2022), [None, None, None]);
        table.insert(("9".into(), 2022), [Some(100.0), None, None]);
        let members = vec!["1".to_string(), "2".to_string(), "3".to_string()];
        let rows = group_rows(&table, &members, None);
        assert_eq!(rows[&2022], [Some((2.5, 2)), Some((2.0, 1)), None]);
    }
}

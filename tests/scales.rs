//! KPI-aware arithmetic: every figure of `compare` recomputed from the dump
//! by the rules of each KPI's scale (docs/readings-and-scales.md, "Definitions"), reading the
//! set files directly, not through nyckeltal.

mod common;

use std::collections::{HashMap, HashSet};

use common::*;

pub struct Entry {
    id: String,
    direction: String,
    scale: String,
    breaks: Vec<i64>,
    levels: Vec<String>,
}

fn set_entries(name: &str) -> Vec<Entry> {
    let path = format!("{}/data/sets/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    let file: toml::Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    file["kpi"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| Entry {
            id: k["id"].as_str().unwrap().to_string(),
            direction: k["direction"].as_str().unwrap().to_string(),
            scale: k
                .get("scale")
                .and_then(|s| s.as_str())
                .unwrap_or_else(|| panic!("{name}: {} declares no scale", k["id"]))
                .to_string(),
            breaks: k
                .get("breaks")
                .and_then(|b| b.as_array())
                .map(|b| b.iter().map(|y| y.as_integer().unwrap()).collect())
                .unwrap_or_default(),
            levels: k
                .get("levels")
                .and_then(|b| b.as_array())
                .map(|b| b.iter().map(|l| l.as_str().unwrap().to_string()).collect())
                .unwrap_or_default(),
        })
        .collect()
}

fn group_members(id: &str) -> Vec<String> {
    let text =
        std::fs::read_to_string(shared_data().join("meta/municipality_groups.json")).unwrap();
    let groups: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let group = groups.iter().find(|g| g["id"] == id).unwrap();
    group["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["member_id"].as_str().unwrap().to_string())
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn number(row: &HashMap<String, String>, column: &str) -> Option<f64> {
    let text = &row[column];
    (!text.is_empty()).then(|| text.parse().unwrap())
}

fn assert_number(row: &HashMap<String, String>, column: &str, expected: Option<f64>, what: &str) {
    match (number(row, column), expected) {
        (Some(ours), Some(theirs)) => {
            assert!(close(ours, theirs), "{what} {column}: {ours} vs {theirs}")
        }
        (None, None) => {}
        (ours, theirs) => panic!("{what} {column}: {ours:?} vs {theirs:?}"),
    }
}

/// "Breddinfört 6; Testverksamhet 4; Nej 3": the counts per level, highest code first.
fn level_text(levels: &[String], values: &[f64]) -> String {
    let mut parts = Vec::new();
    for code in (0..levels.len()).rev() {
        let n = values.iter().filter(|v| **v == code as f64).count();
        if n > 0 {
            parts.push(format!("{} {n}", levels[code]));
        }
    }
    parts.join("; ")
}

fn check_set(set: &str, peer_group: &str) -> usize {
    let entries = set_entries(set);
    let out = ok(nyckeltal_offline_snapshot().args([
        "compare",
        "Tjörn",
        "--set",
        set,
        "--peers",
        peer_group,
        "--years",
        "2016-2022",
        "--format",
        "csv",
    ]));
    let kommuner: Vec<String> = kommuner().into_iter().collect();
    let peers: Vec<String> = group_members(peer_group)
        .into_iter()
        .filter(|p| p != "1419")
        .collect();
    let rows = csv_rows(&out);
    assert_eq!(
        rows.len(),
        entries.len() * 7,
        "{set}: a row per KPI and year"
    );
    check_rows(set, &entries, &rows, "1419", &peers, &kommuner);
    rows.len()
}

/// Every figure of `rows` (one municipality's or region's) recomputed from
/// the dump: against `peers`, ranked among `national`.
pub fn check_rows(
    set: &str,
    entries: &[Entry],
    rows: &[HashMap<String, String>],
    own_id: &str,
    peers: &[String],
    national_ids: &[String],
) {
    for row in rows {
        let entry = entries.iter().find(|e| e.id == row["kpi"]).unwrap();
        let year: i32 = row["year"].parse().unwrap();
        let what = format!("{set} {own_id} {} {year}", entry.id);
        assert_eq!(row["scale"], entry.scale, "{what}");
        let dump = dump_values(&entry.id);
        let at = |id: &str, year: i32| dump.get(&(id.to_string(), year, "T".to_string())).copied();
        let own = at(own_id, year);
        let peer_values: Vec<f64> = peers.iter().filter_map(|p| at(p, year)).collect();
        let national: Vec<f64> = national_ids.iter().filter_map(|id| at(id, year)).collect();
        let ranked = ["amount", "percent", "signed"].contains(&entry.scale.as_str());
        let category = entry.scale == "category";
        assert_eq!(row["peer_n"], peer_values.len().to_string(), "{what}");
        assert_eq!(row["national_n"], national.len().to_string(), "{what}");

        // Ranks and bands: only for figures that do not grow with size and are no category.
        let better = |v: f64, than: f64| match entry.direction.as_str() {
            "lower_is_better" => v < than,
            _ => v > than,
        };
        match (own, ranked) {
            (Some(own), true) => {
                let above = national.iter().filter(|v| better(**v, own)).count();
                let below = national.iter().filter(|v| better(own, **v)).count();
                let n = national.len();
                assert_eq!(row["rank_national"], (above + 1).to_string(), "{what}");
                assert_number(
                    row,
                    "national_percentile",
                    Some(100.0 * below as f64 / (n - 1) as f64),
                    &what,
                );
                let in_peers = peer_values.iter().filter(|v| better(**v, own)).count() + 1;
                assert_eq!(row["rank_in_peers"], in_peers.to_string(), "{what}");
                let rank = (above + 1) as f64;
                // Too few with a figure: under ten, or under two thirds of the country.
                let few = n < 10 || n * 3 < national_ids.len() * 2;
                let band = if few {
                    "few"
                } else if entry.direction == "neutral" {
                    "none"
                } else if rank <= 0.25 * n as f64 {
                    "green"
                } else if rank > 0.75 * n as f64 {
                    "red"
                } else {
                    "yellow"
                };
                assert_eq!(row["band"], band, "{what}");
                // The position is by value, whatever the direction: no judgement.
                let higher = national.iter().filter(|v| **v > own).count() as f64 + 1.0;
                let position = if few {
                    ""
                } else if higher <= 0.25 * n as f64 {
                    "high"
                } else if higher > 0.75 * n as f64 {
                    "low"
                } else {
                    "middle"
                };
                assert_eq!(row["position"], position, "{what}");
                assert_eq!(row["few_values"], few.to_string(), "{what}");
            }
            (own, _) => {
                for column in ["rank_national", "rank_in_peers", "national_percentile"] {
                    assert_eq!(row[column], "", "{what}: no {column} for a {}", entry.scale);
                }
                assert_eq!(
                    row["band"],
                    if own.is_some() { "none" } else { "grey" },
                    "{what}"
                );
            }
        }
        assert_number(row, "value", own, &what);

        // Peer statistics and the deviation: never an average of category codes.
        let mean = (!peer_values.is_empty())
            .then(|| peer_values.iter().sum::<f64>() / peer_values.len() as f64);
        if category {
            for column in [
                "peer_mean",
                "peer_median",
                "peer_min",
                "peer_max",
                "deviation_from_peer_mean",
            ] {
                assert_eq!(row[column], "", "{what}: no {column} for a category");
            }
            assert_eq!(
                row["value_label"],
                own.map(|v| entry.levels[v as usize].clone())
                    .unwrap_or_default(),
                "{what}"
            );
            assert_eq!(
                row["peer_levels"],
                level_text(&entry.levels, &peer_values),
                "{what}"
            );
            assert_eq!(
                row["national_levels"],
                level_text(&entry.levels, &national),
                "{what}"
            );
        } else if !ranked {
            // A total grows with size: a mean of it compares sizes, so none.
            for column in ["peer_mean", "peer_median", "deviation_from_peer_mean"] {
                assert_eq!(row[column], "", "{what}: no {column} for a total");
            }
        } else {
            assert_number(row, "peer_mean", mean, &what);
            assert_number(
                row,
                "deviation_from_peer_mean",
                own.zip(mean).map(|(o, m)| o - m),
                &what,
            );
            assert_eq!(row["value_label"], "", "{what}");
        }
        // Relative differences only for amounts, and only from a base above zero.
        let relative = |value: Option<f64>, base: Option<f64>| match (value, base) {
            (Some(v), Some(b)) if entry.scale == "amount" && b > 0.0 => Some(100.0 * (v - b) / b),
            _ => None,
        };
        assert_number(
            row,
            "deviation_from_peer_mean_pct",
            relative(own, mean),
            &what,
        );

        // No change across a break in the series, nor for a category.
        let starts_new_method = entry.breaks.contains(&i64::from(year));
        assert_eq!(row["series_break"], starts_new_method.to_string(), "{what}");
        let previous = if starts_new_method {
            None
        } else {
            at(own_id, year - 1)
        };
        // A moving mean overlaps the year before: no change on it.
        let rolling = row["kpi_title"].contains("-årsm");
        assert_eq!(row["rolling_mean"], rolling.to_string(), "{what}");
        let change = if category || rolling {
            None
        } else {
            own.zip(previous).map(|(o, p)| o - p)
        };
        assert_number(row, "change_from_previous_year", change, &what);
        assert_number(
            row,
            "change_from_previous_year_pct",
            relative(own, previous).filter(|_| !rolling),
            &what,
        );
    }
}

#[test]
fn every_figure_follows_its_kpis_scale() {
    let mut checked = 0;
    let mut scales = HashSet::new();
    for set in [
        "aldreomsorg-kostnad",
        "funktionshinder-kostnad",
        "aldreomsorg-kvalitet",
        "nara-vard",
    ] {
        checked += check_set(set, "G176709");
        scales.extend(set_entries(set).into_iter().map(|e| e.scale));
    }
    for scale in ["amount", "percent", "signed", "total", "category"] {
        assert!(
            scales.contains(scale),
            "the sets exercise the {scale} scale"
        );
    }
    assert!(checked > 200, "{checked} rows");
}

#[test]
fn readings_say_percentage_points_and_rank_no_totals() {
    let out = ok(nyckeltal_offline_snapshot().args([
        "compare",
        "Tjörn",
        "--set",
        "aldreomsorg-kostnad",
        "--peers",
        "G176709",
        "--years",
        "2022",
    ]));
    // Cells of a KPI's row: KPI, year, value, peer mean, vs peers, rank in
    // peers, rank in Sweden, with figure, band, better, trend.
    let cells = |id: &str| -> Vec<String> {
        let line = out.lines().find(|l| l.contains(id)).unwrap();
        line.trim_matches(|c| c == '│' || c == ' ')
            .split('┆')
            .map(|c| c.trim().to_string())
            .collect()
    };
    assert!(cells("N20900")[4].ends_with(" pp"), "{:?}", cells("N20900"));
    // An amount: the difference in percent, and in its unit beside it.
    assert!(
        cells("N20007")[4].starts_with("-15.6 % (") && cells("N20007")[4].ends_with(" kr/inv 65+)"),
        "{:?}",
        cells("N20007")
    );
    // A total: no mean, no difference, no rank, no band; the set's per-inhabitant figure named.
    assert_eq!(
        cells("N20029")[3],
        "compared by N20900",
        "{:?}",
        cells("N20029")
    );
    assert_eq!(cells("N20029")[4], "–", "no mean of sizes to differ from");
    assert_eq!(cells("N20029")[6], "–", "a total is not ranked in Sweden");
    assert_eq!(cells("N20029")[8], "–", "nor banded");
    assert_eq!(cells("N20007")[6], "276/290", "{:?}", cells("N20007"));
    assert_eq!(cells("N20007")[7], "290/290", "how many have a figure");
    // A cost is neutral in the built-in set: a position, not green or red.
    assert_eq!(cells("N20007")[8], "low", "{:?}", cells("N20007"));
    assert_eq!(cells("N20007")[9], "–", "no direction judged");
    assert!(
        out.contains("ranked by size: rank 1 = the highest value"),
        "{out}"
    );
    assert!(out.contains("nyckeltal's own reading"), "{out}");
    assert!(out.contains("current prices"), "{out}");
}

#[test]
fn a_series_break_is_never_differenced_and_is_marked() {
    let entry = set_entries("aldreomsorg-kostnad")
        .into_iter()
        .find(|e| e.id == "N20900")
        .unwrap();
    assert_eq!(
        entry.breaks,
        [2019],
        "Kolada: from 2019 computed in a new way"
    );
    let rows = csv_rows(&ok(nyckeltal_offline_snapshot().args([
        "compare",
        "Tjörn",
        "--kpi",
        "N20900",
        "--peers",
        "G176709",
        "--years",
        "2017-2022",
        "--format",
        "csv",
    ])));
    let at = |year: &str| rows.iter().find(|r| r["year"] == year).unwrap();
    assert_eq!(at("2019")["change_from_previous_year"], "");
    assert_eq!(at("2019")["series_break"], "true");
    assert_ne!(at("2020")["change_from_previous_year"], "");
    // The terminal's sparkline, and the chart: a dashed line named, the series cut.
    let table = ok(nyckeltal_offline_snapshot().args([
        "compare",
        "Tjörn",
        "--kpi",
        "N20900",
        "--peers",
        "G176709",
        "--years",
        "2017-2022",
    ]));
    assert!(table.contains('¦'), "{table}");
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("t.svg");
    ok(nyckeltal_offline_snapshot()
        .args([
            "trend",
            "Tjörn",
            "--kpi",
            "N20900",
            "--peers",
            "G176709",
            "--years",
            "2015-2022",
            "-o",
        ])
        .arg(&svg));
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(svg.contains("metodbyte"), "the break is named");
    let tjorn_lines = svg.matches("stroke=\"#005EB8\" stroke-width=\"3\"").count();
    assert_eq!(tjorn_lines, 2, "Tjörn's line is cut at the break");
}

/// Id and name of every municipality and region, from the shared metadata.
fn places() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(shared_data().join("meta/municipality.json")).unwrap();
    let all: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    all.iter()
        .map(|m| {
            (
                m["id"].as_str().unwrap().to_string(),
                m["title"].as_str().unwrap().to_string(),
                m["type"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn several_municipalities_are_each_compared_by_the_same_rules() {
    let members = peer_list_ids("varmland-vastra");
    assert_eq!(members.len(), 4);
    let entries = set_entries("fallprevention");
    let rows = csv_rows(&ok(nyckeltal_offline_snapshot().args([
        "compare",
        "varmland-vastra",
        "--set",
        "fallprevention",
        "--peers",
        "varmland-vastra",
        "--years",
        "2016-2022",
        "--format",
        "csv",
    ])));
    let kommuner: Vec<String> = kommuner().into_iter().collect();
    assert_eq!(rows.len(), members.len() * entries.len() * 7);
    for id in &members {
        let own: Vec<_> = rows
            .iter()
            .filter(|r| &r["municipality_id"] == id)
            .cloned()
            .collect();
        assert_eq!(own.len(), entries.len() * 7, "{id}");
        let others: Vec<String> = members.iter().filter(|m| *m != id).cloned().collect();
        check_rows("fallprevention", &entries, &own, id, &others, &kommuner);
    }
    // The same by names, comma-separated.
    let by_names = ok(nyckeltal_offline_snapshot().args([
        "compare",
        "Arvika,Eda,Säffle,Årjäng",
        "--set",
        "fallprevention",
        "--peers",
        "varmland-vastra",
        "--years",
        "2016-2022",
        "--format",
        "csv",
    ]));
    assert_eq!(csv_rows(&by_names).len(), rows.len());
}

#[test]
fn a_region_is_ranked_among_the_21_regions() {
    let regions: Vec<String> = places()
        .into_iter()
        .filter(|(id, _, kind)| kind == "L" && id != "0000")
        .map(|(id, _, _)| id)
        .collect();
    assert_eq!(regions.len(), 21);
    let entries = set_entries("nara-vard-region");
    let rows = csv_rows(&ok(nyckeltal_offline_snapshot().args([
        "compare",
        "Region Värmland",
        "--set",
        "nara-vard-region",
        "--years",
        "2016-2022",
        "--format",
        "csv",
    ])));
    assert_eq!(rows.len(), entries.len() * 7);
    for row in &rows {
        let n: usize = row["national_n"].parse().unwrap();
        assert!(n <= 21, "{row:?}");
    }
    assert!(
        rows.iter().any(|r| r["national_n"] != "0"),
        "the region KPIs have figures"
    );
    let others: Vec<String> = regions.iter().filter(|r| *r != "0017").cloned().collect();
    check_rows(
        "nara-vard-region",
        &entries,
        &rows,
        "0017",
        &others,
        &regions,
    );
    // A municipality-level set for a municipality only, and the other way round.
    let out =
        run(nyckeltal_offline_snapshot().args(["compare", "Tjörn", "--set", "nara-vard-region"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("compare a region"),
        "{}",
        stderr(&out)
    );
}

//! `similar`: deterministic, the same through the API and the snapshot, and
//! the distance as docs/readings-and-scales.md defines it.

mod common;

use std::collections::HashMap;

use common::*;

const ARGS: [&str; 6] = [
    "similar",
    "Tjörn",
    "--area",
    "aldreomsorg",
    "--format",
    "csv",
];

#[test]
fn the_same_answer_offline_online_and_every_time() {
    let first = ok(nyckeltal_offline_snapshot().args(ARGS));
    let again = ok(nyckeltal_offline_snapshot().args(ARGS));
    assert_eq!(first, again, "deterministic");
    let emulator = emulator();
    let cache = tempfile::tempdir().unwrap();
    let online = ok(nyckeltal(&emulator.url(), cache.path()).args(ARGS));
    assert_eq!(first, online, "API path and snapshot agree");
    let rows = csv_rows(&first);
    assert_eq!(rows.len(), 7);
    assert!(
        rows.iter().all(|r| r["municipality_id"] != "1419"),
        "never itself"
    );
    let distances: Vec<f64> = rows
        .iter()
        .map(|r| r["distance"].parse().unwrap())
        .collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "nearest first");
}

#[test]
fn distances_follow_the_documented_method() {
    // Recompute Tjörn's distance to every other municipality from the dump
    // and the factor file, independently of the tool.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/similarity/aldreomsorg.toml"
    ))
    .unwrap();
    let file: toml::Value = toml::from_str(&text).unwrap();
    let factors: Vec<(String, f64, bool)> = file["factor"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f.get("weight").and_then(|w| w.as_float()).unwrap_or(1.0),
                f.get("transform").and_then(|t| t.as_str()) == Some("log"),
            )
        })
        .collect();
    let kommuner: Vec<String> = {
        let all: Vec<serde_json::Value> = serde_json::from_str(
            &std::fs::read_to_string(shared_data().join("meta/municipality.json")).unwrap(),
        )
        .unwrap();
        all.iter()
            .filter(|m| m["type"] == "K")
            .map(|m| m["id"].as_str().unwrap().to_string())
            .collect()
    };
    let mut z: HashMap<(usize, String), f64> = HashMap::new();
    for (f, (kpi, _, log)) in factors.iter().enumerate() {
        let dump = dump_values(kpi);
        let raw: Vec<(String, f64)> = kommuner
            .iter()
            .filter_map(|id| {
                dump.get(&(id.clone(), 2022, "T".to_string()))
                    .map(|v| (id.clone(), if *log { v.ln() } else { *v }))
            })
            .collect();
        let n = raw.len() as f64;
        let mean = raw.iter().map(|(_, v)| v).sum::<f64>() / n;
        let sd = (raw.iter().map(|(_, v)| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
        for (id, v) in raw {
            z.insert((f, id), (v - mean) / sd);
        }
    }
    let total: f64 = factors.iter().map(|f| f.1).sum();
    let distance = |a: &str, b: &str| {
        let (mut sum, mut used) = (0.0, 0.0);
        for (f, (_, w, _)) in factors.iter().enumerate() {
            if let (Some(za), Some(zb)) = (z.get(&(f, a.to_string())), z.get(&(f, b.to_string()))) {
                sum += w * (za - zb).powi(2);
                used += w;
            }
        }
        (sum * total / used).sqrt()
    };
    let mut expected: Vec<(f64, &String)> = kommuner
        .iter()
        .filter(|id| *id != "1419")
        .map(|id| (distance("1419", id), id))
        .collect();
    expected.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
    let rows = csv_rows(&ok(nyckeltal_offline_snapshot()
        .args(ARGS)
        .args(["--year", "2022"])));
    for (row, (d, id)) in rows.iter().zip(&expected) {
        assert_eq!(&row["municipality_id"], *id);
        assert_eq!(row["distance"], format!("{d:.3}"));
    }
}

#[test]
fn peers_can_be_checked_and_used_in_compare() {
    let out = ok(nyckeltal_offline_snapshot().args([
        "similar",
        "Tjörn",
        "--area",
        "aldreomsorg",
        "--check-peers",
        "tjorn-aldreomsorg",
        "--format",
        "csv",
    ]));
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 7);
    let ranks: Vec<usize> = rows.iter().map(|r| r["rank"].parse().unwrap()).collect();
    assert!(ranks.iter().all(|r| (1..=289).contains(r)), "{ranks:?}");
    let similar = csv_rows(&ok(nyckeltal_offline_snapshot().args(ARGS)));
    let compare = ok(nyckeltal_offline_snapshot().args([
        "compare",
        "Tjörn",
        "--kpi",
        "N20900",
        "--peers",
        "similar:aldreomsorg",
        "--years",
        "2022",
        "--format",
        "csv",
    ]));
    let row = &csv_rows(&compare)[0];
    assert!(
        row["peer_group"].starts_with("similar:aldreomsorg"),
        "{row:?}"
    );
    assert_eq!(row["peer_n"], "7");
    let dump = dump_values("N20900");
    let mean: f64 = similar
        .iter()
        .map(|r| dump[&(r["municipality_id"].clone(), 2022, "T".to_string())])
        .sum::<f64>()
        / 7.0;
    assert!((row["peer_mean"].parse::<f64>().unwrap() - mean).abs() < 1e-9);
}

#[test]
fn bad_input_is_explained() {
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            vec!["similar", "Tjörn", "--factors", "N0181"],
            3,
            "unknown KPI id 'N0181'",
        ),
        (
            vec!["similar", "Tjörn", "--factors", "N01813:heavy"],
            2,
            "not a positive number",
        ),
        (
            vec![
                "similar",
                "Tjörn",
                "--area",
                "aldreomsorg",
                "--year",
                "1999",
            ],
            3,
            "has no figures for 1999",
        ),
        (vec!["similar", "Tjörn", "-k", "0"], 2, "out of range"),
        (vec!["similar", "Tjörn", "-k", "290"], 2, "give 1 to 289"),
        (
            vec!["similar", "Tjörn", "--area", "skola"],
            3,
            "no similarity factors",
        ),
    ];
    for (args, code, needle) in cases {
        fails_offline(&args, code, needle);
    }
}

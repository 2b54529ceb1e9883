//! The emulator speaks the API as KOLADA_V3.md describes it.

mod common;

use common::*;
use serde_json::Value;

fn get(url: &str) -> (u16, Value) {
    let response = reqwest::blocking::get(url).expect("emulator answers");
    let status = response.status().as_u16();
    let body = response.bytes().unwrap_or_default();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

#[test]
fn limits_and_retired_versions() {
    let emulator = emulator();
    let base = emulator.url();
    let ids: Vec<String> = (0..26).map(|i| format!("{}", 1400 + i)).collect();
    let (status, _) = get(&format!(
        "{base}/data/kpi/N20900/municipality/{}/year/2022",
        ids.join(",")
    ));
    assert_eq!(status, 422, "26 ids in a slot");
    let (status, _) = get(&format!("{base}/kpi?per_page=5001"));
    assert_eq!(status, 422);
    let (status, body) = get(&format!("http://{}/v2/kpi", emulator.addr()));
    assert_eq!(status, 410);
    assert!(body["error"].as_str().unwrap().contains("/v3"));
    let (status, body) = get(&format!("{base}/data?kpi=N20900"));
    assert_eq!(
        (status, body["count"].as_u64()),
        (200, Some(0)),
        "query-string data filters answer nothing"
    );
}

#[test]
fn group_ids_give_the_unweighted_mean_with_count() {
    let emulator = emulator();
    let (status, body) = get(&format!(
        "{}/data/kpi/N20900/municipality/G96190/year/2022",
        emulator.url()
    ));
    assert_eq!(status, 200);
    let entry = &body["values"][0]["values"][0];
    let dump = dump_values("N20900");
    let members = [
        "1384", "1401", "1402", "1407", "1415", "1419", "1440", "1441", "1462", "1480", "1481",
        "1482", "1489",
    ];
    let present: Vec<f64> = members
        .iter()
        .filter_map(|m| dump.get(&(m.to_string(), 2022, "T".to_string())))
        .copied()
        .collect();
    let mean = present.iter().sum::<f64>() / present.len() as f64;
    assert_eq!(entry["count"].as_u64(), Some(present.len() as u64));
    assert!((entry["value"].as_f64().unwrap() - mean).abs() <= 1e-9 * mean.abs());
}

#[test]
fn paging_follows_next_url_and_genders_come_in_varying_order() {
    let emulator = emulator();
    let (_, first) = get(&format!("{}/kpi?per_page=5000", emulator.url()));
    assert_eq!(first["count"].as_u64(), Some(5000));
    let (_, second) = get(first["next_url"].as_str().expect("a next page"));
    assert_eq!(second["count"].as_u64(), Some(6099 - 5000));
    assert!(second["next_url"].is_null());

    let (_, data) = get(&format!(
        "{}/data/kpi/U21468/municipality/1419,1407,1480/year/2019,2020,2021",
        emulator.url()
    ));
    let firsts: std::collections::HashSet<String> = data["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["values"][0]["gender"].as_str().unwrap().to_string())
        .collect();
    assert!(
        firsts.len() > 1,
        "the first gender entry is not always the same: {firsts:?}"
    );
}

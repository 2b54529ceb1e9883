//! The networks' own agenda: every built-in set and peer list is checked
//! against Kolada's catalogue and the municipality list (read directly,
//! not through nyckeltal), and the networks' example specs render.

mod common;

use std::collections::HashMap;

use common::*;

fn data_files(folder: &str) -> Vec<(String, toml::Value)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(folder);
    let mut files: Vec<(String, toml::Value)> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
            )
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn catalogue() -> HashMap<String, serde_json::Value> {
    let text = std::fs::read_to_string(shared_data().join("meta/kpi.json")).unwrap();
    let all: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    all.into_iter()
        .map(|k| (k["id"].as_str().unwrap().to_string(), k))
        .collect()
}

#[test]
fn every_set_is_checked_against_the_catalogue() {
    let catalogue = catalogue();
    let sets = data_files("sets");
    for wanted in [
        "fallprevention",
        "levnadsvanor",
        "psykisk-halsa-unga",
        "forflyttningar",
        "valfardsteknik",
        "kompetensforsorjning",
        "forebyggande",
        "kvalitetsregister",
        "nara-vard-region",
    ] {
        assert!(sets.iter().any(|(n, _)| n == wanted), "set {wanted}");
    }
    for (name, set) in &sets {
        let region_level = set.get("level").and_then(|l| l.as_str()) == Some("region");
        let text = std::fs::read_to_string(format!(
            "{}/data/sets/{name}.toml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        assert!(
            set.get("not_measured")
                .and_then(|n| n.as_str())
                .is_some_and(|n| n.len() > 40),
            "{name} says what Kolada does not measure"
        );
        let kpis = set["kpi"].as_array().unwrap();
        assert!(kpis.len() >= 4, "{name}: at least 4 KPIs");
        let mut with_figures = 0;
        for kpi in kpis {
            let id = kpi["id"].as_str().unwrap();
            let known = catalogue
                .get(id)
                .unwrap_or_else(|| panic!("{name}: {id} is in Kolada's catalogue"));
            let published = known["municipality_type"].as_str().unwrap_or("");
            if region_level {
                assert!(
                    ["L", "A"].contains(&published),
                    "{name}: {id} is published for regions"
                );
            } else {
                assert!(
                    ["K", "A"].contains(&published),
                    "{name}: {id} is published for municipalities"
                );
            }
            for field in ["label", "direction", "scale"] {
                assert!(kpi.get(field).is_some(), "{name}: {id} has a {field}");
            }
            let scale = kpi["scale"].as_str().unwrap();
            assert!(
                ["amount", "percent", "signed", "total", "category"].contains(&scale),
                "{name}: {id}"
            );
            assert!(
                ["lower_is_better", "higher_is_better", "neutral"]
                    .contains(&kpi["direction"].as_str().unwrap()),
                "{name}: {id}"
            );
            assert_eq!(
                kpi.get("levels").is_some(),
                scale == "category",
                "{name}: {id}: levels go with a category"
            );
            if [
                "kvalitetsregister",
                "fallprevention",
                "levnadsvanor",
                "psykisk-halsa-unga",
                "forflyttningar",
                "valfardsteknik",
                "kompetensforsorjning",
                "forebyggande",
                "nara-vard-region",
            ]
            .contains(&name.as_str())
            {
                assert!(kpi.get("why").is_some(), "{name}: {id} says why it is in");
            }
            let dump = dump_values(id);
            let has = dump.keys().any(|(geo, year, _)| {
                (2018..=2022).contains(year) && (geo.starts_with("00") == region_level)
            });
            if has {
                with_figures += 1;
            } else {
                // A KPI the snapshot lacks is named in the file's header.
                let header: String = text
                    .lines()
                    .take_while(|l| !l.starts_with("title"))
                    .collect();
                assert!(
                    header.contains(id),
                    "{name}: {id} has no figures in the shared snapshot; the file must say so"
                );
            }
        }
        assert!(
            with_figures >= 4 || name == "funktionshinder-kostnad",
            "{name}: {with_figures} KPIs with figures in the snapshot"
        );
    }
}

#[test]
fn every_peer_list_names_exact_municipalities_and_its_region() {
    let text = std::fs::read_to_string(shared_data().join("meta/municipality.json")).unwrap();
    let places: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let code_of = |name: &str, kind: &str| -> Option<String> {
        places
            .iter()
            .find(|p| p["title"] == name && p["type"] == kind)
            .map(|p| p["id"].as_str().unwrap().to_string())
    };
    let expected = [
        ("varmland-vastra", vec!["Arvika", "Eda", "Säffle", "Årjäng"]),
        (
            "varmland-norra",
            vec!["Torsby", "Sunne", "Hagfors", "Munkfors"],
        ),
        (
            "varmland-sodra",
            vec!["Karlstad", "Forshaga", "Kil", "Grums", "Hammarö"],
        ),
        (
            "varmland-ostra",
            vec!["Kristinehamn", "Storfors", "Filipstad"],
        ),
        (
            "orebro-lan",
            vec![
                "Lekeberg",
                "Laxå",
                "Hallsberg",
                "Degerfors",
                "Hällefors",
                "Ljusnarsberg",
                "Örebro",
                "Kumla",
                "Askersund",
                "Karlskoga",
                "Nora",
                "Lindesberg",
            ],
        ),
    ];
    let lists = data_files("peers");
    for (name, members) in &expected {
        let (_, list) = lists
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name}"));
        let written: Vec<&str> = list["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap())
            .collect();
        let mut sorted = written.clone();
        sorted.sort();
        let mut wanted = members.clone();
        wanted.sort();
        assert_eq!(sorted, wanted, "{name}");
        assert!(list.get("source").is_some(), "{name} has its source");
        let region = list["region"].as_str().unwrap();
        assert!(
            code_of(region, "L").is_some(),
            "{name}: {region} is a region"
        );
        // nyckeltal shows the same codes.
        let shown = csv_rows(&ok(
            nyckeltal_offline_snapshot().args(["peers", "show", name, "--format", "csv"])
        ));
        let codes: Vec<String> = shown.iter().map(|r| r["municipality_id"].clone()).collect();
        let expected_codes: Vec<String> =
            written.iter().map(|m| code_of(m, "K").unwrap()).collect();
        assert_eq!(codes, expected_codes, "{name}");
    }
    for (name, list) in &lists {
        for member in list["members"].as_array().unwrap() {
            assert!(
                code_of(member.as_str().unwrap(), "K").is_some(),
                "{name}: {member}"
            );
        }
    }
    let listed = csv_rows(&ok(
        nyckeltal_offline_snapshot().args(["peers", "list", "--format", "csv"])
    ));
    assert_eq!(listed.len(), lists.len());
    let orebro = listed.iter().find(|r| r["name"] == "orebro-lan").unwrap();
    assert_eq!(orebro["members"], "12");
    assert_eq!(orebro["region"], "Region Örebro län");
}

#[test]
fn the_networks_example_specs_render_with_their_region() {
    for (spec, region, member) in [
        ("varmland-vastra.toml", "Region Värmland", "Årjäng"),
        ("orebro-lan.toml", "Region Örebro län", "Ljusnarsberg"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        ok(nyckeltal_offline_snapshot()
            .arg("report")
            .arg(format!("{}/examples/{spec}", env!("CARGO_MANIFEST_DIR")))
            .arg("-o")
            .arg(&out));
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        assert!(html.contains(member), "{spec}: {member}");
        assert!(
            html.contains(&format!("<td class=\"text\">{member}")),
            "{spec}: {member} has rows in the network tables"
        );
        assert!(
            html.contains("Jämfört med Övriga regioner"),
            "{spec}: the region's table"
        );
        assert!(html.contains(region), "{spec}: {region}");
        let data = csv_rows(&std::fs::read_to_string(out.join("data.csv")).unwrap());
        let region_rows: Vec<_> = data
            .iter()
            .filter(|r| r["set"] == "nara-vard-region")
            .collect();
        assert!(!region_rows.is_empty());
        assert!(region_rows.iter().all(|r| r["municipality"] == region));
        assert!(region_rows
            .iter()
            .all(|r| r["national_n"].parse::<usize>().unwrap() <= 21));
    }
}

//! `report`, `snapshot save`, `changes` and `calendar`.

mod common;

use std::path::Path;

use common::*;

fn spec(dir: &Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("spec.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn example(name: &str) -> String {
    format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_tjorn_autumn_report_is_complete_and_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    ok(nyckeltal_offline_snapshot()
        .args(["report", &example("tjorn-hosten.toml"), "-o"])
        .arg(&out));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for needle in [
        "Äldreomsorg – kostnader",
        "Funktionshinder – kostnader",
        "Äldreomsorg – kvalitet",
        "Jämfört med Liknande kommuner äldreomsorg, Tjörn, 2024",
        "Jämfört med Tjörn – egna jämförelsekommuner, äldreomsorg",
        "Jämfört med Tjörn – egna jämförelsekommuner, funktionshinder",
        "Hallstahammar",
        "Kostnad och kvalitet",
        "Källa: Kolada. Bearbetning: nyckeltal",
    ] {
        assert!(html.contains(needle), "{needle} in the report");
    }
    assert!(
        html.matches("<svg").count() >= 15,
        "trend charts and the cost-quality view"
    );
    for outside in ["<script", "<link", " src=\"http", "url("] {
        assert!(!html.contains(outside), "self-contained: no {outside}");
    }
    // data.csv holds exactly what compare gives for the same set, peers and years.
    let data = csv_rows(&std::fs::read_to_string(out.join("data.csv")).unwrap());
    let compare = csv_rows(&ok(nyckeltal_offline_snapshot().args([
        "compare",
        "Tjörn",
        "--set",
        "aldreomsorg-kostnad",
        "--peers",
        "tjorn-aldreomsorg",
        "--years",
        "2013-2022",
        "--format",
        "csv",
    ])));
    let from_report: Vec<_> = data
        .iter()
        .filter(|r| {
            r["set"] == "aldreomsorg-kostnad" && r["peer_group"].starts_with("tjorn-aldreomsorg")
        })
        .map(|r| {
            let mut r = r.clone();
            r.remove("set");
            r
        })
        .collect();
    assert_eq!(from_report, compare);
    let workbook = zip_text(&out.join("report.xlsx"), "xl/workbook.xml");
    for sheet in [
        "Äldreomsorg – kostnader",
        "Funktionshinder – kostnader",
        "Äldreomsorg – kvalitet",
        "Data",
        "Källa",
    ] {
        assert!(
            workbook.contains(&format!("name=\"{sheet}\"")),
            "{sheet} sheet"
        );
    }
    // Each set against its own list: LSS costs with Tjörn's disability peers.
    assert!(data.iter().any(|r| r["set"] == "funktionshinder-kostnad"
        && r["peer_group"].starts_with("tjorn-funktionshinder")));
    assert!(!data.iter().any(|r| r["set"] == "funktionshinder-kostnad"
        && r["peer_group"].starts_with("tjorn-aldreomsorg")));
}

#[test]
fn the_network_report_has_every_member_in_one_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gr");
    ok(nyckeltal_offline_snapshot()
        .args(["report", &example("gr-natverk.toml"), "-o"])
        .arg(&out));
    let data = csv_rows(&std::fs::read_to_string(out.join("data.csv")).unwrap());
    let members: std::collections::HashSet<&str> =
        data.iter().map(|r| r["municipality_id"].as_str()).collect();
    assert_eq!(members.len(), 13);
    let sets: std::collections::HashSet<&str> = data.iter().map(|r| r["set"].as_str()).collect();
    assert_eq!(
        sets,
        [
            "aldreomsorg-kostnad",
            "funktionshinder-kostnad",
            "nara-vard"
        ]
        .into_iter()
        .collect()
    );
    // Each member against the other twelve.
    assert!(data
        .iter()
        .all(|r| r["peer_n"].parse::<usize>().unwrap() <= 12));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Alla medlemmar i Göteborgsregionen") && html.contains("Lilla Edet"));
}

#[test]
fn the_report_renders_in_headless_chromium() {
    if !tool_available("chromium") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    ok(nyckeltal_offline_snapshot()
        .args(["report", &example("tjorn-hosten.toml"), "-o"])
        .arg(&out));
    let png = dir.path().join("shot.png");
    let status = std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,2000",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", out.join("report.html").display()))
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // A rendered page with tables, colours and charts compresses far worse than a blank one.
    assert!(
        bytes.len() > 100_000,
        "the screenshot has content ({} bytes)",
        bytes.len()
    );
}

#[test]
fn bad_specs_name_file_line_and_fix_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let cases = [
        (
            "municipality = \"Tjörn\"\nsets = [\"aldreomsorg-kostnd\"]\n",
            3,
            "spec.toml line 2",
            "did you mean aldreomsorg-kostnad",
        ),
        (
            "sets = [\"nara-vard\"]\nmunicipality = \"Tjörnn\"\n",
            3,
            "spec.toml line 2",
            "did you mean Tjörn",
        ),
        (
            "municipality = \"Tjörn\"\nsets = [\"nara-vard\"]\nyears = \"2022-2018\"\n",
            2,
            "spec.toml line 3",
            "reversed",
        ),
        (
            "municipality = \"Tjörn\"\nsets = [\"nara-vard\"\n",
            2,
            "spec.toml line",
            "fix the file",
        ),
        (
            "municipality = \"Tjörn\"\nsets = [\"nara-vard\"]\npeers = [\"Hörbyy\"]\n",
            3,
            "spec.toml line 3",
            "Hörby",
        ),
        ("sets = [\"nara-vard\"]\n", 2, "spec.toml", "municipality"),
    ];
    for (text, code, location, fix) in cases {
        let path = spec(dir.path(), text);
        let output = run(nyckeltal_offline_snapshot()
            .arg("report")
            .arg(&path)
            .arg("-o")
            .arg(&out));
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(code), "{text}: {err}");
        assert!(err.contains(location) && err.contains(fix), "{text}: {err}");
        assert!(!out.exists());
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name() != "spec.toml")
        .collect();
    assert!(
        leftovers.is_empty(),
        "no half-written folder: {leftovers:?}"
    );
}

#[test]
fn changes_finds_exactly_the_altered_added_and_removed_cells() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    ok(nyckeltal_offline_snapshot()
        .args(["snapshot", "save"])
        .arg(&old)
        .args([
            "--kpi",
            "N20900,N20007,N25022",
            "--municipality",
            "G96190",
            "--years",
            "2020-2022",
        ]));
    // The snapshot reads back with the same figures.
    let args = [
        "values",
        "--kpi",
        "N20900,N20007",
        "--municipality",
        "G96190",
        "--years",
        "2020-2022",
        "--format",
        "csv",
    ];
    let mut from_old = std::process::Command::new(env!("CARGO_BIN_EXE_nyckeltal"));
    from_old.arg("--source").arg(&old).args(args);
    assert_eq!(
        ok(&mut from_old),
        ok(nyckeltal_offline_snapshot().args(args))
    );

    // Alter one value, remove one, add one the current data does not have.
    let totals = old.join("ddf/datapoints--by--geo--year");
    let n20900 = totals.join("ddf--datapoints--n20900--by--geo--year.csv");
    let text = std::fs::read_to_string(&n20900).unwrap();
    let dump = dump_values("N20900");
    let tjorn_2021 = dump[&("1419".to_string(), 2021, "T".to_string())];
    let altered = text.replace(&format!("1419,2021,{tjorn_2021}\n"), "1419,2021,1.5\n");
    assert_ne!(altered, text, "the row to alter is there");
    std::fs::write(&n20900, altered).unwrap();
    let n20007 = totals.join("ddf--datapoints--n20007--by--geo--year.csv");
    let text = std::fs::read_to_string(&n20007).unwrap();
    let removed: String = text
        .lines()
        .filter(|l| !l.starts_with("1480,2022,"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(removed, text);
    std::fs::write(&n20007, removed).unwrap();
    std::fs::write(
        totals.join("ddf--datapoints--n25022--by--geo--year.csv"),
        "geo,year,n25022\n1419,2021,12345\n",
    )
    .unwrap();
    edited_by_hand(&old);

    let out = ok(nyckeltal_offline_snapshot()
        .args(["changes", "--since"])
        .arg(&old)
        .args(["--format", "csv"]));
    let rows = csv_rows(&out);
    let found: Vec<(String, String, String, String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["change"].clone(),
                r["kpi"].clone(),
                r["municipality_id"].clone(),
                r["year"].clone(),
                r["old_value"].clone(),
                r["new_value"].clone(),
            )
        })
        .collect();
    let gbg_2022 = dump_values("N20007")[&("1480".to_string(), 2022, "T".to_string())];
    assert_eq!(
        found,
        vec![
            (
                "new".into(),
                "N20007".into(),
                "1480".into(),
                "2022".into(),
                "".into(),
                gbg_2022.to_string()
            ),
            (
                "revised".into(),
                "N20900".into(),
                "1419".into(),
                "2021".into(),
                "1.5".into(),
                tjorn_2021.to_string()
            ),
            (
                "deleted".into(),
                "N25022".into(),
                "1419".into(),
                "2021".into(),
                // A number in a float column: CSV writes it as one.
                "12345.0".into(),
                "".into()
            ),
        ]
    );
}

#[test]
fn snapshot_save_refuses_to_overwrite_and_changes_needs_a_folder_or_date() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snap");
    std::fs::create_dir(&path).unwrap();
    let output = run(nyckeltal_offline_snapshot()
        .args(["snapshot", "save"])
        .arg(&path)
        .args(["--kpi", "N20900", "--years", "2022"]));
    assert_eq!(output.status.code(), Some(7));
    assert!(stderr(&output).contains("--force"));
    let output = run(nyckeltal_offline_snapshot().args(["changes", "--since", "yesterday"]));
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("YYYY-MM-DD"));
    let output = run(nyckeltal_offline_snapshot().args([
        "changes",
        "--since",
        "2026-01-01",
        "--kpi",
        "N20900",
    ]));
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("needs the API"));
}

#[test]
fn changes_since_a_date_lists_nothing_the_cache_already_has() {
    // The emulator knows no change dates and answers every value as changed;
    // what matches the cache is neither new nor revised, so nothing is listed.
    let emulator = emulator();
    let cache = tempfile::tempdir().unwrap();
    ok(nyckeltal(&emulator.url(), cache.path()).args([
        "fetch",
        "--kpi",
        "N20900",
        "--municipality",
        "all",
        "--years",
        "2001-2025",
    ]));
    let output = run(nyckeltal(&emulator.url(), cache.path()).args([
        "changes",
        "--since",
        "2026-01-01",
        "--kpi",
        "N20900",
        "--format",
        "csv",
    ]));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(csv_rows(&stdout(&output)).len(), 0, "{}", stdout(&output));
    assert!(stderr(&output)
        .contains("0 new, 0 revised, 0 deleted — changed in Kolada since 2026-01-01"));
    // Without the cache, the same answer lists every value as new.
    let empty = tempfile::tempdir().unwrap();
    let fresh = ok(nyckeltal(&emulator.url(), empty.path()).args([
        "changes",
        "--since",
        "2026-01-01",
        "--kpi",
        "N20900",
        "--format",
        "csv",
    ]));
    let rows = csv_rows(&fresh);
    assert!(
        rows.len() > 290 * 20 && rows.iter().all(|r| r["change"] == "new"),
        "{}",
        rows.len()
    );
}

#[test]
fn the_calendar_says_what_is_preliminary_and_due() {
    let out = ok(nyckeltal_offline_snapshot().args([
        "calendar",
        "--set",
        "aldreomsorg-kostnad",
        "--format",
        "csv",
    ]));
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 6);
    let kpis: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(shared_data().join("meta/kpi.json")).unwrap(),
    )
    .unwrap();
    let today = chrono::Local::now().date_naive();
    for row in rows {
        let kpi = kpis
            .iter()
            .find(|k| k["id"] == row["kpi"].as_str())
            .unwrap();
        let latest: i32 = kpi["publ_period"].as_str().unwrap().parse().unwrap();
        assert_eq!(row["latest_year"], latest.to_string());
        assert_eq!(row["next_year"], (latest + 1).to_string());
        let final_date = chrono::NaiveDate::parse_from_str(
            kpi["publication_date"].as_str().unwrap(),
            "%Y-%m-%d",
        )
        .unwrap();
        assert_eq!(
            row["status"].starts_with("preliminary"),
            today < final_date,
            "{row:?}"
        );
        let first = kpi["prel_publication_date"]
            .as_str()
            .or(kpi["publication_date"].as_str())
            .unwrap();
        let next =
            chrono::NaiveDate::parse_from_str(first, "%Y-%m-%d").unwrap() + chrono::Months::new(12);
        assert_eq!(row["next_expected"], next.to_string());
        assert_eq!(row["next_due"], (next <= today).to_string());
    }
}

#[test]
fn a_report_never_replaces_a_folder_with_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("documents");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("budget.xlsx"), "precious").unwrap();
    let output = run(nyckeltal_offline_snapshot()
        .args(["report", &example("gr-natverk.toml"), "-o"])
        .arg(&out));
    assert_eq!(output.status.code(), Some(7), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(out.join("budget.xlsx")).unwrap(),
        "precious"
    );
    // A previous report is replaced.
    let previous = dir.path().join("previous");
    ok(nyckeltal_offline_snapshot()
        .args(["report", &example("gr-natverk.toml"), "-o"])
        .arg(&previous));
    ok(nyckeltal_offline_snapshot()
        .args(["report", &example("gr-natverk.toml"), "-o"])
        .arg(&previous));
}

#[test]
fn odd_specs_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let cases = [
        ("municipality = \"Tjörn\"\nsets = [\"aldreomsorg-kostnad\"]\ncost_quality = [\"N20900\", \"N20900\"]\nyears = \"2022\"\n", 0),
        ("network = \"Tjörn\"\nsets = [\"aldreomsorg-kostnad\"]\n", 2),
        ("municipality = \"Tjörn\"\nsets = [\"funktionshinder-kostnad\"]\npeers = [\"auto\"]\nyears = \"2022\"\n", 0),
    ];
    for (text, code) in cases {
        let path = spec(dir.path(), text);
        let output = run(nyckeltal_offline_snapshot()
            .arg("report")
            .arg(&path)
            .arg("-o")
            .arg(&out));
        assert_eq!(
            output.status.code(),
            Some(code),
            "{text}: {}",
            stderr(&output)
        );
        assert!(!stderr(&output).contains("panicked"));
    }
}

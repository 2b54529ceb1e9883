//! `compare`, `trend` and `set`: figures checked against Kolada's group
//! values and an independent computation from the dump.

mod common;

use common::*;

const SET_ARGS: [&str; 9] = [
    "compare",
    "Tjörn",
    "--set",
    "aldreomsorg-kostnad",
    "--peers",
    "G176709",
    "--years",
    "2018-2022",
    "--format",
];

/// Tjörn's elderly-care costs against its own list.
const TJORN_ELDERLY_COSTS: [&str; 6] = [
    "compare",
    "tjorn",
    "--set",
    "aldreomsorg-kostnad",
    "--peers",
    "tjorn-aldreomsorg",
];

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn peer_means_equal_kolada_group_values_and_the_snapshot_agrees() {
    let emulator = emulator();
    let cache = tempfile::tempdir().unwrap();
    let via_api = ok(nyckeltal(&emulator.url(), cache.path())
        .args(SET_ARGS)
        .arg("csv"));
    let via_snapshot = ok(nyckeltal_offline_snapshot().args(SET_ARGS).arg("csv"));
    assert_eq!(
        via_api, via_snapshot,
        "offline from the snapshot: identical numbers"
    );

    let rows = csv_rows(&via_api);
    assert_eq!(rows.len(), 6 * 5, "six KPIs × five years");
    let mut checked = 0;
    for row in &rows {
        let url = format!(
            "{}/data/kpi/{}/municipality/G176709/year/{}",
            emulator.url(),
            row["kpi"],
            row["year"]
        );
        let body: serde_json::Value =
            serde_json::from_slice(&reqwest::blocking::get(url).unwrap().bytes().unwrap()).unwrap();
        let group = body["values"].as_array().unwrap().first().and_then(|r| {
            r["values"]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["gender"] == "T")
                .and_then(|v| v["value"].as_f64())
        });
        if row["scale"] == "total" {
            // A total grows with size: no mean of it, though Kolada has one.
            assert_eq!(row["peer_mean"], "", "{} has no peer mean", row["kpi"]);
            assert_eq!(row["deviation_from_peer_mean"], "");
            continue;
        }
        match group {
            Some(kolada) => {
                let ours: f64 = row["peer_mean"].parse().unwrap();
                assert!(
                    close(ours, kolada),
                    "{} {}: {ours} vs Kolada's {kolada}",
                    row["kpi"],
                    row["year"]
                );
                checked += 1;
            }
            None => assert_eq!(row["peer_mean"], "", "no group value, no peer mean"),
        }
    }
    assert!(checked >= 20, "{checked}");
}

#[test]
fn excel_sv_csv_has_semicolons_decimal_commas_and_a_bom() {
    let plain = ok(nyckeltal_offline_snapshot().args(SET_ARGS).arg("csv"));
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("tjorn.csv");
    ok(nyckeltal_offline_snapshot()
        .args(&SET_ARGS[..SET_ARGS.len() - 1])
        .arg("-o")
        .arg(&path)
        .args(["--csv-dialect", "excel-sv"]));
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(';').collect();
    assert_eq!(header.len(), 37);
    let value_at = header.iter().position(|h| *h == "value").unwrap();
    let plain_rows = csv_rows(&plain);
    for (line, plain_row) in text.lines().skip(1).zip(&plain_rows) {
        let fields = split_quoted(line, ';');
        let swedish = &fields[value_at];
        assert!(!swedish.contains('.'), "decimal comma: {swedish}");
        assert_eq!(
            swedish.replace(',', ".").parse::<f64>().unwrap(),
            plain_row["value"].parse::<f64>().unwrap()
        );
    }
}

#[test]
fn xlsx_holds_numbers_as_numbers_with_a_source_sheet() {
    use std::io::Read;
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("tjorn.xlsx");
    ok(nyckeltal_offline_snapshot()
        .args(&SET_ARGS[..SET_ARGS.len() - 1])
        .arg("-o")
        .arg(&path));
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let workbook = read("xl/workbook.xml");
    for sheet in ["Äldreomsorg – kostnader", "Data", "Källa"] {
        assert!(
            workbook.contains(&format!("name=\"{sheet}\"")),
            "{sheet}: {workbook}"
        );
    }
    // The review sheet: figures as numbers with a format, the header frozen.
    let review = read("xl/worksheets/sheet1.xml");
    assert!(review.contains("<pane ySplit="), "frozen header");
    assert!(
        review.contains("<v>-4.5628</v>"),
        "Tjörn's 2022 N20900 as a number"
    );
    // The years sheet holds the same figure as a number, every year.
    let years = read("xl/worksheets/sheet2.xml");
    assert!(years.contains("<v>-4.4413</v>") && years.contains("<v>-4.5628</v>"));
    // The tidy table (after the peers' sheet): Tjörn's N20900 for 2018
    // (-4.4413) is a number cell in column H.
    assert!(
        workbook.contains("<sheet name=\"Data\" sheetId=\"4\""),
        "{workbook}"
    );
    let data = read("xl/worksheets/sheet4.xml");
    assert!(
        data.contains("<c r=\"H2\"><v>-4.4413</v></c>"),
        "value as a number"
    );
    let strings = read("xl/sharedStrings.xml");
    assert!(strings.contains("Källa: Kolada. Bearbetning: nyckeltal"));
}

#[test]
fn the_terminal_view_shows_the_latest_year_per_kpi_with_peers_and_source() {
    let out = ok(nyckeltal_offline_snapshot().args(TJORN_ELDERLY_COSTS));
    assert!(
        out.contains("N20900 Nettokostnadsavvikelse äldreomsorg, %"),
        "{out}"
    );
    assert!(
        out.contains("2022"),
        "the latest year with figures by default"
    );
    assert!(out.contains("Peers tjorn-aldreomsorg (Tjörn"), "{out}");
    for name in [
        "Hallstahammar",
        "Hörby",
        "Kiruna",
        "Mörbylånga",
        "Strömstad",
        "Svenljunga",
        "Vara",
    ] {
        assert!(out.contains(name), "{name} listed");
    }
    assert!(out.contains("Källa: Kolada. Bearbetning: nyckeltal"));
    assert!(
        !out.contains('\u{1b}'),
        "no colour codes when not on a terminal"
    );
}

#[test]
fn auto_peers_use_the_sets_area() {
    let out = ok(nyckeltal_offline_snapshot().args([
        "compare",
        "Tjörn",
        "--set",
        "funktionshinder-kostnad",
        "--years",
        "2022",
        "--format",
        "csv",
    ]));
    assert!(
        out.contains("G39722 Liknande kommuner LSS, Tjörn, 2024"),
        "{out}"
    );
    let lss = ok(nyckeltal_offline_snapshot().args([
        "compare", "Tjörn", "--kpi", "N20900", "--peers", "auto:LSS", "--years", "2022",
        "--format", "csv",
    ]));
    assert!(lss.contains("G39722"), "{lss}");
}

#[test]
fn missing_figures_are_marked_not_invented() {
    // N25022 has no figures in the dump: every cell grey, no ranks.
    let out = ok(nyckeltal_offline_snapshot().args([
        "compare",
        "Tjörn",
        "--kpi",
        "N25022,N20900",
        "--peers",
        "tjorn-aldreomsorg",
        "--years",
        "2022",
        "--format",
        "csv",
    ]));
    let rows = csv_rows(&out);
    let missing = rows.iter().find(|r| r["kpi"] == "N25022").unwrap();
    assert_eq!(
        (
            missing["band"].as_str(),
            missing["value"].as_str(),
            missing["peer_n"].as_str(),
            missing["rank_national"].as_str()
        ),
        ("grey", "", "0", "")
    );
    assert_eq!(missing["national_n"], "0");
}

#[test]
fn bad_input_is_explained() {
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            vec!["compare", "Tjörn", "--set", "aldreomsorg-kostnd"],
            3,
            "did you mean aldreomsorg-kostnad",
        ),
        (
            vec!["compare", "Tjörn", "--kpi", "N20900", "--peers", "Tjörn"],
            2,
            "no members besides Tjörn",
        ),
        (
            vec!["compare", "Tjörn", "--kpi", "N20900", "--peers", "Hörbyy"],
            3,
            "did you mean Hörby",
        ),
        // The area comes from the KPI (övergripande), but the dump has no figures for it.
        (
            vec!["compare", "Tjörn", "--kpi", "N00003"],
            3,
            "has no figures for N00003",
        ),
        (
            vec![
                "compare",
                "Region Stockholm",
                "--kpi",
                "N20900",
                "--peers",
                "Vara",
            ],
            2,
            "published for municipalities only, not for regions",
        ),
        (
            vec!["compare", "Riket", "--kpi", "N20900"],
            2,
            "neither a municipality nor a region",
        ),
        (
            vec![
                "compare",
                "Tjörn",
                "--kpi",
                "N20900",
                "--peers",
                "Vara",
                "--years",
                "2022-2018",
            ],
            2,
            "reversed",
        ),
        (
            vec![
                "compare", "Tjörn", "--kpi", "N20900", "--peers", "Vara", "--format", "xlsx",
            ],
            2,
            "-o FILE.xlsx",
        ),
        (
            vec![
                "trend",
                "Tjörn",
                "--kpi",
                "N20900,N20007",
                "--peers",
                "Vara",
            ],
            2,
            "one KPI",
        ),
    ];
    for (args, code, needle) in cases {
        fails_offline(&args, code, needle);
    }
    let regional = kpi_for_regions_only();
    let output = run(nyckeltal_offline_snapshot()
        .args(["compare", "Tjörn", "--kpi", &regional, "--peers", "Vara"]));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("regions only"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_set_file_with_a_typo_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(&path, "title = \"Mine\"\narea = \"LSS\"\n\n[[kpi]]\nid = \"N2O900\"\nlabel = \"x\"\ndirection = \"lower_is_better\"\n").unwrap();
    let output = run(nyckeltal_offline_snapshot()
        .args(["compare", "Tjörn", "--set"])
        .arg(&path));
    assert_eq!(output.status.code(), Some(3));
    let err = stderr(&output);
    assert!(
        err.contains("mine.toml line 5") && err.contains("N2O900") && err.contains("N20900"),
        "{err}"
    );
    std::fs::write(&path, "title = \"Mine\"\n[[kpi]]\nid = \"N20900\"\nlabel = \"x\"\ndirection = \"lower_is_worse\"\n").unwrap();
    let output = run(nyckeltal_offline_snapshot()
        .args(["set", "show"])
        .arg(&path));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("mine.toml line 5"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn own_peer_lists_from_the_data_dir_and_self_exclusion() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("peers")).unwrap();
    std::fs::write(
        dir.path().join("peers/mine.toml"),
        "title = \"Mine\"\nmembers = [\"Tjörn\", \"Vara\", \"1407\"]\n",
    )
    .unwrap();
    let output = run(nyckeltal_offline_snapshot()
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "compare", "Tjörn", "--kpi", "N20900", "--peers", "mine", "--years", "2022",
            "--format", "csv",
        ]));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("left out of its own peer group"));
    let rows = csv_rows(&stdout(&output));
    assert_eq!(rows[0]["peer_n"], "2", "Vara and Öckerö, not Tjörn");
}

#[test]
fn trend_writes_numbers_and_charts() {
    let out = ok(nyckeltal_offline_snapshot().args([
        "trend",
        "Tjörn",
        "--kpi",
        "N20900",
        "--peers",
        "G176709",
        "--years",
        "2015-2022",
        "--format",
        "csv",
    ]));
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 8);
    let dump = dump_values("N20900");
    let kommuner = kommuner();
    for row in &rows {
        let year: i32 = row["year"].parse().unwrap();
        let mut all: Vec<f64> = kommuner
            .iter()
            .filter_map(|id| dump.get(&(id.clone(), year, "T".to_string())).copied())
            .collect();
        all.sort_by(f64::total_cmp);
        let median = if all.len() % 2 == 1 {
            all[all.len() / 2]
        } else {
            (all[all.len() / 2 - 1] + all[all.len() / 2]) / 2.0
        };
        assert!(
            close(row["national_median"].parse().unwrap(), median),
            "{year}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("t.svg");
    let png = dir.path().join("t.png");
    ok(nyckeltal_offline_snapshot()
        .args([
            "trend", "Tjörn", "--kpi", "N20900", "--peers", "G176709", "-o",
        ])
        .arg(&svg));
    ok(nyckeltal_offline_snapshot()
        .args([
            "trend", "Tjörn", "--kpi", "N20900", "--peers", "G176709", "-o",
        ])
        .arg(&png));
    let svg_text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        svg_text.starts_with("<svg")
            && svg_text.contains("Tjörn")
            && svg_text.contains("Median, alla kommuner")
    );
    assert_eq!(&std::fs::read(&png).unwrap()[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn set_list_and_show() {
    let list = ok(nyckeltal_offline_snapshot().args(["set", "list", "--format", "csv"]));
    for name in [
        "aldreomsorg-kostnad",
        "funktionshinder-kostnad",
        "aldreomsorg-kvalitet",
        "nara-vard",
    ] {
        assert!(list.contains(name), "{list}");
    }
    let show = ok(nyckeltal_offline_snapshot().args([
        "set",
        "show",
        "aldreomsorg-kvalitet",
        "--format",
        "csv",
    ]));
    let rows = csv_rows(&show);
    assert!(
        rows.len() >= 6 && rows.iter().all(|r| r["kpi"].starts_with('U')),
        "{show}"
    );
    // Every KPI of the cost and quality sets has figures in the dump
    // (tests/networks.rs checks every set against the file's own list of
    // KPIs the snapshot lacks).
    for name in [
        "aldreomsorg-kostnad",
        "funktionshinder-kostnad",
        "aldreomsorg-kvalitet",
        "nara-vard",
    ] {
        let show = ok(nyckeltal_offline_snapshot().args(["set", "show", name, "--format", "csv"]));
        for row in csv_rows(&show) {
            if row["kpi"] != "N25022" {
                assert!(
                    !dump_values(&row["kpi"]).is_empty(),
                    "{name}: {} has figures",
                    row["kpi"]
                );
            }
        }
    }
}

/// A KPI Kolada publishes for regions only.
fn kpi_for_regions_only() -> String {
    let text = std::fs::read_to_string(shared_data().join("meta/kpi.json")).unwrap();
    let all: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    all.iter().find(|k| k["municipality_type"] == "L").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn changes_on_last_year_are_there_for_years_with_gaps() {
    let out = ok(nyckeltal_offline_snapshot().args([
        "compare",
        "Tjörn",
        "--kpi",
        "N20007",
        "--peers",
        "Vara",
        "--years",
        "2015,2018-2019",
        "--format",
        "csv",
    ]));
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .all(|r| !r["change_from_previous_year"].is_empty()
                && !r["change_from_previous_year_pct"].is_empty()),
        "{out}"
    );
}

/// A Swedish controller reads Swedish on the terminal: by --lang, by
/// NYCKELTAL_LANG, or by a sv_* locale, with decimal commas; scripts still
/// get English CSV columns and decimal points.
#[test]
fn the_terminal_speaks_swedish_to_a_swedish_user() {
    let args = [&TJORN_ELDERLY_COSTS[..], &["--summary"]].concat();
    let swedish = |out: &str| {
        for words in [
            "Sammanfattning",
            "gruppens medel",
            "rang i riket",
            "-20,9 % (-15 005 kr/inv 65+)",
            "-11,91 p.e.",
            "lägre än medlet för Tjörn – egna jämförelsekommuner",
            "Jämförelsegrupp tjorn-aldreomsorg (Tjörn",
        ] {
            assert!(out.contains(words), "{words:?} in {out}");
        }
        assert!(
            !out.contains("peer mean") && !out.contains("Summary"),
            "{out}"
        );
    };
    swedish(&ok(nyckeltal_offline_snapshot()
        .args(&args)
        .args(["--lang", "sv"])));
    swedish(&ok(nyckeltal_offline_snapshot()
        .env("NYCKELTAL_LANG", "sv")
        .args(&args)));
    swedish(&ok(nyckeltal_offline_snapshot()
        .env("LANG", "sv_SE.UTF-8")
        .args(&args)));
    // The flag wins over the locale; no locale means English.
    let english = ok(nyckeltal_offline_snapshot()
        .env("LANG", "sv_SE.UTF-8")
        .args(&args)
        .args(["--lang", "en"]));
    assert!(
        english.contains("peer mean") && english.contains("-20.9 %"),
        "{english}"
    );
    let plain = ok(nyckeltal_offline_snapshot().args(&args));
    assert!(
        plain.contains("Summary") && !plain.contains("Sammanfattning"),
        "{plain}"
    );

    let csv = ok(nyckeltal_offline_snapshot()
        .env("LANG", "sv_SE.UTF-8")
        .args(TJORN_ELDERLY_COSTS)
        .args(["--format", "csv"]));
    let header = csv.lines().next().unwrap();
    assert!(
        header.starts_with("kpi,kpi_title,municipality_id"),
        "{header}"
    );
    assert!(csv.contains(",-4.4413,"), "decimal points in CSV: {csv}");
}

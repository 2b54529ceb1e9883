//! Golden exports: the CSVs of seven commands, byte for byte as the
//! binary wrote them when they were committed (tests/golden/). A change
//! that moves code around must leave every one of them identical; a change
//! that means to alter a figure or a column updates the file in the same
//! commit, so the difference is reviewed (`NYCKELTAL_BLESS=1 cargo test
//! --test golden` rewrites them).

mod common;

use common::*;

/// (golden file, arguments after `--source ../shared/kolada`)
const CASES: [(&str, &[&str]); 6] = [
    (
        "compare-tjorn-aldreomsorg.csv",
        &[
            "compare",
            "Tjörn",
            "--set",
            "aldreomsorg-kostnad",
            "--peers",
            "tjorn-aldreomsorg",
            "--years",
            "2015-2022",
            "--format",
            "csv",
        ],
    ),
    (
        "compare-tjorn-funktionshinder.csv",
        &[
            "compare",
            "Tjörn",
            "--set",
            "funktionshinder-kostnad",
            "--peers",
            "tjorn-funktionshinder",
            "--years",
            "2015-2022",
            "--format",
            "csv",
        ],
    ),
    (
        "compare-varmland-vastra.csv",
        &[
            "compare",
            "Arvika,Eda,Säffle,Årjäng",
            "--set",
            "aldreomsorg-kostnad",
            "--peers",
            "varmland-vastra",
            "--years",
            "2018-2022",
            "--format",
            "csv",
        ],
    ),
    (
        "compare-region-varmland.csv",
        &[
            "compare",
            "Region Värmland",
            "--set",
            "nara-vard-region",
            "--years",
            "2018-2022",
            "--format",
            "csv",
        ],
    ),
    (
        "similar-tjorn.csv",
        &[
            "similar",
            "Tjörn",
            "--area",
            "äldreomsorg",
            "--format",
            "csv",
        ],
    ),
    (
        "values-eight.csv",
        &[
            "values",
            "--kpi",
            "N20900,N20007,N21006,N23009",
            "--municipality",
            "Tjörn,Öckerö,Orust,Stenungsund,Lysekil,Sotenäs,Strömstad,Kungälv",
            "--years",
            "2015-2022",
            "--format",
            "csv",
        ],
    ),
];

fn golden(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// The output equals the golden file byte for byte, or the test names the
/// first line that differs.
fn assert_golden(name: &str, actual: &[u8]) {
    let path = golden(name);
    if std::env::var_os("NYCKELTAL_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap();
    if expected == actual {
        return;
    }
    let (expected, actual) = (
        String::from_utf8_lossy(&expected),
        String::from_utf8_lossy(actual),
    );
    let line = expected
        .lines()
        .zip(actual.lines())
        .position(|(e, a)| e != a)
        .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
    panic!(
        "{name} differs from the golden file at line {}:\nexpected: {}\nactual:   {}\n({} and {} lines)",
        line + 1,
        expected.lines().nth(line).unwrap_or("<end>"),
        actual.lines().nth(line).unwrap_or("<end>"),
        expected.lines().count(),
        actual.lines().count()
    );
}

#[test]
fn exports_equal_the_golden_files() {
    for (name, args) in CASES {
        let output = run(nyckeltal_offline_snapshot().args(args));
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert_golden(name, &output.stdout);
    }
}

#[test]
fn the_network_reports_data_csv_equals_the_golden_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gr");
    let spec = format!("{}/examples/gr-natverk.toml", env!("CARGO_MANIFEST_DIR"));
    ok(nyckeltal_offline_snapshot()
        .args(["report", &spec, "-o"])
        .arg(&out)
        .arg("--quiet"));
    assert_golden(
        "report-gr-data.csv",
        &std::fs::read(out.join("data.csv")).unwrap(),
    );
}

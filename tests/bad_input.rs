//! Every bad input gets a one-line error naming the problem and the fix, its
//! documented exit code, no panic, and no output file.

mod common;

use std::path::Path;

use common::*;

/// Run, expect exit `code`, a one-line error containing every `needle`, and no `-o` file.
fn fails(command: &mut std::process::Command, code: i32, needles: &[&str], output_file: &Path) {
    let output = run(command);
    let err = stderr(&output);
    assert_eq!(
        output.status.code(),
        Some(code),
        "exit code for {command:?}; stderr: {err}"
    );
    let error_lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(error_lines.len(), 1, "one error line: {err}");
    for needle in needles {
        assert!(
            error_lines[0].contains(needle),
            "'{needle}' missing from: {}",
            error_lines[0]
        );
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(!output_file.exists(), "nothing written on failure");
    let dir = output_file.parent().unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    assert!(
        leftovers.is_empty(),
        "no temporary files left: {leftovers:?}"
    );
}

fn values(kpi: &str, municipality: &str, years: &str, out: &Path) -> Vec<String> {
    [
        "values",
        "--kpi",
        kpi,
        "--municipality",
        municipality,
        "--years",
        years,
        "-o",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([out.display().to_string()])
    .collect()
}

#[test]
fn unknown_municipality_suggests_the_closest_name() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("x.csv");
    fails(
        nyckeltal_offline_snapshot().args(values("N20900", "Tjörnn", "2022", &file)),
        3,
        &["Tjörnn", "did you mean Tjörn (1419)"],
        &file,
    );
}

#[test]
fn unknown_kpi_suggests_the_closest_ids() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("x.csv");
    fails(
        nyckeltal_offline_snapshot().args(values("N2090", "Tjörn", "2022", &file)),
        3,
        &["unknown KPI id 'N2090'", "N20900", "kpi search"],
        &file,
    );
}

#[test]
fn malformed_and_reversed_years_are_usage_errors() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("x.csv");
    fails(
        nyckeltal_offline_snapshot().args(values("N20900", "Tjörn", "20x2", &file)),
        2,
        &["'20x2'", "2018-2022"],
        &file,
    );
    fails(
        nyckeltal_offline_snapshot().args(values("N20900", "Tjörn", "2022-2018", &file)),
        2,
        &["reversed", "2018-2022"],
        &file,
    );
}

#[test]
fn offline_with_an_empty_cache_says_what_is_missing() {
    let cache = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("x.csv");
    let mut command = nyckeltal("http://127.0.0.1:9/v3", cache.path());
    fails(
        command
            .arg("--offline")
            .args(values("N20900", "Tjörn", "2022", &file)),
        4,
        &["--offline", "not in the cache"],
        &file,
    );
}

#[test]
fn offline_with_part_of_the_data_cached_names_the_missing_cells() {
    let emulator = emulator();
    let cache = tempfile::tempdir().unwrap();
    ok(nyckeltal(&emulator.url(), cache.path()).args([
        "fetch",
        "--kpi",
        "N20900",
        "--municipality",
        "Tjörn",
        "--years",
        "2018-2020",
    ]));
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("x.csv");
    let mut command = nyckeltal(&emulator.url(), cache.path());
    fails(
        command
            .arg("--offline")
            .args(values("N20900", "Tjörn", "2018-2022", &file)),
        4,
        &["N20900 for 1419 in 2021-2022", "nyckeltal fetch"],
        &file,
    );
}

#[test]
fn an_unreachable_api_points_at_offline_and_source() {
    // Nothing listens on a port we just bound and released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cache = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("x.csv");
    let mut command = nyckeltal(&format!("http://127.0.0.1:{port}/v3"), cache.path());
    fails(
        command
            .args(["--tries", "2"])
            .args(values("N20900", "Tjörn", "2022", &file)),
        5,
        &["cannot reach Kolada", "--offline", "--source"],
        &file,
    );
}

#[test]
fn a_snapshot_missing_files_is_named() {
    let snapshot = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(snapshot.path().join("meta")).unwrap();
    std::fs::copy(
        shared_data().join("meta/kpi.json"),
        snapshot.path().join("meta/kpi.json"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("x.csv");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_nyckeltal"));
    command.arg("--source").arg(snapshot.path());
    fails(
        command.args(values("N20900", "Tjörn", "2022", &file)),
        6,
        &["missing meta/municipality.json"],
        &file,
    );
}

#[test]
fn a_malformed_answer_after_all_retries_is_a_clear_error() {
    let emulator = emulator_with(|c| c.truncate_rate = 1.0);
    let cache = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("x.csv");
    let mut command = nyckeltal(&emulator.url(), cache.path());
    fails(
        command
            .args(["--tries", "3"])
            .args(values("N20900", "Tjörn", "2022", &file)),
        5,
        &["malformed answer", "3 times"],
        &file,
    );
}

#[test]
fn an_unwritable_output_is_an_output_error() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("no/such/dir/x.csv");
    let output = run(nyckeltal_offline_snapshot().args(values("N20900", "Tjörn", "2022", &file)));
    assert_eq!(output.status.code(), Some(7), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cannot write"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_unknown_output_extension_is_refused_before_any_work() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("x.xls");
    fails(
        nyckeltal_offline_snapshot().args(values("N20900", "Tjörn", "2022", &file)),
        2,
        &["extension", "--format"],
        &file,
    );
}

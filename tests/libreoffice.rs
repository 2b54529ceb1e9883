//! The workbook opens in LibreOffice (headless) with numbers as numbers.
//! CI installs LibreOffice (.ci/run); elsewhere the test says it skipped.

mod common;

use common::*;

#[test]
fn xlsx_opens_in_libreoffice_with_numbers_as_numbers() {
    if !tool_available("soffice") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("tjorn.xlsx");
    ok(nyckeltal_offline_snapshot()
        .args([
            "compare",
            "Tjörn",
            "--set",
            "aldreomsorg-kostnad",
            "--peers",
            "G176709",
            "--years",
            "2018-2022",
            "-o",
        ])
        .arg(&xlsx));
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.path().join("profile").display()
    );
    let status = std::process::Command::new("soffice")
        .args(["--headless", &profile, "--convert-to", "fods", "--outdir"])
        .arg(dir.path())
        .arg(&xlsx)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let fods = std::fs::read_to_string(dir.path().join("tjorn.fods")).unwrap();
    assert!(
        fods.contains("table:name=\"Äldreomsorg – kostnader\"")
            && fods.contains("table:name=\"Data\"")
            && fods.contains("table:name=\"Källa\"")
    );
    assert!(
        fods.contains("office:value-type=\"float\" office:value=\"-4.4413\""),
        "Tjörn's 2018 N20900 is a number"
    );
    // 30 rows × 15 numeric columns, less the empty cells.
    let numbers = fods.matches("office:value-type=\"float\"").count();
    assert!(numbers > 400, "{numbers} number cells");
}

#[test]
fn the_report_workbook_opens_in_libreoffice() {
    if !tool_available("soffice") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let spec = format!("{}/examples/tjorn-hosten.toml", env!("CARGO_MANIFEST_DIR"));
    ok(nyckeltal_offline_snapshot()
        .args(["report", &spec, "-o"])
        .arg(&out));
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.path().join("profile").display()
    );
    let converted = std::process::Command::new("soffice")
        .args(["--headless", &profile, "--convert-to", "fods", "--outdir"])
        .arg(dir.path())
        .arg(out.join("report.xlsx"))
        .output()
        .unwrap();
    assert!(
        converted.status.success(),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    let fods = std::fs::read_to_string(dir.path().join("report.fods")).unwrap();
    for sheet in [
        "Äldreomsorg – kostnader",
        "Funktionshinder – kostnader",
        "Äldreomsorg – kvalitet",
        "Data",
        "Källa",
    ] {
        assert!(fods.contains(&format!("table:name=\"{sheet}\"")), "{sheet}");
    }
    assert!(
        fods.matches("office:value-type=\"float\"").count() > 1000,
        "numbers as numbers"
    );
}

//! `report --pdf`: report.pdf printed on A4 by a browser the system has,
//! listed in the folder's manifest; exit 2 without a browser, exit 7 when
//! the browser fails, and no half-written folder either way.

mod common;

use std::path::Path;

use common::*;

fn example() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/varmland-vastra.toml")
}

#[test]
fn report_pdf_prints_a4_and_lists_it_in_the_manifest() {
    if !tool_available("chromium") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    ok(nyckeltal_offline_snapshot()
        .arg("report")
        .arg(example())
        .args(["--pdf", "-o"])
        .arg(&out));
    let pdf = std::fs::read(out.join("report.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // A4 landscape, in points, as the page's print stylesheet asks.
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("/MediaBox [0 0 841.91998 594.95996]"),
        "A4 landscape"
    );
    let pages = pdf.windows(11).filter(|w| w == b"/Type /Page").count()
        - pdf.windows(12).filter(|w| w == b"/Type /Pages").count();
    assert!(pages > 5, "{pages} pages");
    let manifest = std::fs::read_to_string(out.join(".nyckeltal.json")).unwrap();
    assert!(manifest.contains("\"report.pdf\""), "{manifest}");
    // The folder with its PDF is nyckeltal's, so it is written again.
    ok(nyckeltal_offline_snapshot()
        .arg("report")
        .arg(example())
        .arg("-o")
        .arg(&out));
    assert!(!out.join("report.pdf").exists());
}

#[test]
fn report_pdf_without_a_browser_says_how_to_get_one_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    let output = run(nyckeltal_offline_snapshot()
        .env("PATH", dir.path().join("nowhere"))
        .env_remove("NYCKELTAL_BROWSER")
        .arg("report")
        .arg(example())
        .args(["--pdf", "-o"])
        .arg(&out));
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains("Chromium, Google Chrome or Microsoft Edge")
            && message.contains("--browser"),
        "{message}"
    );
    assert!(!out.exists());
    // A browser that fails: exit 7, nothing half-written.
    let output = run(nyckeltal_offline_snapshot()
        .arg("report")
        .arg(example())
        .args(["--pdf", "--browser", "/bin/false", "-o"])
        .arg(&out));
    assert_eq!(output.status.code(), Some(7), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("could not print the PDF"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists());
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert!(left.is_empty(), "no staging folder left: {left:?}");
}

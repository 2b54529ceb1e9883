//! The pack as printed: fewer pages than before with nothing left out
//! (each KPI once, the sets flowing on without near-empty pages), level
//! charts from zero.

mod common;

use std::path::Path;

use common::*;

fn pack(dir: &Path, example: &str) -> std::path::PathBuf {
    let out = dir.join(example);
    ok(nyckeltal_offline_snapshot()
        .arg("report")
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("examples")
                .join(example),
        )
        .arg("-o")
        .arg(&out));
    out
}

#[test]
fn tjorns_pack_prints_on_fewer_pages_than_before_with_every_kpi_once() {
    if !tool_available("chromium") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = pack(dir.path(), "tjorn-hosten.toml");
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    // Each KPI's trend chart once, on its own page (the sets' sections no
    // longer repeat them), and every KPI with a figure has its page.
    for kpi in ["N20007", "N28015", "U21468"] {
        let caption = format!("<figcaption>{kpi} — ");
        assert_eq!(
            page.matches(&caption).count(),
            0,
            "{kpi}: no chart grid in the sets"
        );
        assert_eq!(
            page.matches(&format!("id=\"kpi-{kpi}\"")).count(),
            1,
            "{kpi}'s page"
        );
    }
    // Before: 46 A4 pages.
    let pages = printed_pages(dir.path(), &out.join("report.html"));
    assert!(pages < 46, "{pages} pages");
}

#[test]
fn a_kpi_in_two_sets_is_shown_once_for_its_subject() {
    // Örebro's network reviews nara-vard and forflyttningar, which both
    // hold N20403.
    let dir = tempfile::tempdir().unwrap();
    let out = pack(dir.path(), "orebro-lan.toml");
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    let section = |id: &str| {
        let start = page.find(&format!("<section id=\"{id}\"")).unwrap();
        page[start..start + page[start..].find("</section>").unwrap()].to_string()
    };
    let heading = "<h4><b>N20403</b>";
    assert_eq!(section("nara-vard").matches(heading).count(), 1);
    let second = section("forflyttningar");
    assert_eq!(second.matches(heading).count(), 0, "not again");
    assert!(second.contains("N20403 finns också i den här uppsättningen men visas en gång, under"));
}

#[test]
fn a_level_chart_starts_at_zero() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("n20007.svg");
    ok(nyckeltal_offline_snapshot()
        .args([
            "trend",
            "Tjörn",
            "--kpi",
            "N20007",
            "--peers",
            "tjorn-aldreomsorg",
            "-o",
        ])
        .arg(&svg));
    let text = std::fs::read_to_string(&svg).unwrap();
    // The y axis's labels: the lowest is 0, not 49 000.
    let labels: Vec<f64> = text
        .split("</text>")
        .filter_map(|t| t.rsplit('>').next())
        .map(|t| t.trim().replace(['\u{a0}', ' '], ""))
        .filter_map(|t| t.parse::<f64>().ok())
        .filter(|v| *v > 1000.0 || *v == 0.0)
        .collect();
    assert!(labels.contains(&0.0), "{labels:?}");
    // A deviation that can be negative keeps its own range.
    let signed = dir.path().join("n20900.svg");
    ok(nyckeltal_offline_snapshot()
        .args(["trend", "Tjörn", "--kpi", "N20900", "-o"])
        .arg(&signed));
    assert!(std::fs::read_to_string(&signed).unwrap().contains("<svg"));
}

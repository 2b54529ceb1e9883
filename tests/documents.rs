//! The review documents as their readers get them: Swedish by default and
//! English on request, charts whose legends leave the data visible, a
//! print-ready workbook, and provenance without local paths.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn example(name: &str) -> String {
    format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn report(spec: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    ok(nyckeltal_offline_snapshot()
        .args(extra)
        .args(["report", &example(spec), "-o"])
        .arg(&out));
    (dir, out)
}

/// The `<svg>…</svg>` charts of a page.
/// The line, bar and scatter charts of a page (the waterfalls of
/// "Varför skiljer sig kostnaden?" label their rows in the plot: `tests/explain.rs`).
fn svgs(html: &str) -> Vec<&str> {
    // Not the waterfalls of "Varför skiljer sig kostnaden?": other charts.
    let explain = html.find("<section id=\"explain\">").unwrap_or(html.len());
    let after = html[explain..]
        .find("<section id=\"kpis\">")
        .map_or(html.len(), |at| explain + at);
    html.match_indices("<svg")
        .filter(|(start, _)| *start < explain || *start >= after)
        .map(|(start, _)| {
            let end = html[start..].find("</svg>").unwrap() + start + 6;
            &html[start..end]
        })
        .collect()
}

/// Text elements of an SVG written by plotters: (x, y, content).
fn svg_texts(svg: &str) -> Vec<(f64, f64, String)> {
    let mut out = Vec::new();
    for piece in svg.split("<text ").skip(1) {
        let attr = |name: &str| -> f64 {
            let at = piece.find(&format!(" {name}=\"")).or_else(|| {
                piece
                    .starts_with(&format!("{name}=\""))
                    .then_some(0)
                    .map(|_| 0)
            });
            let at = at.unwrap();
            let rest = &piece[at..];
            let rest = &rest[rest.find('"').unwrap() + 1..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        };
        let body = &piece[piece.find('>').unwrap() + 1..piece.find("</text>").unwrap()];
        out.push((attr("x"), attr("y"), body.trim().to_string()));
    }
    out
}

/// The lowest y of everything drawn as a line (the plot: axes, grid, series).
fn plot_bottom(svg: &str) -> f64 {
    let mut bottom = f64::MIN;
    for piece in svg.split("<line ").skip(1) {
        for name in ["y1", "y2"] {
            let at = piece.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            let value: f64 = piece[at..at + piece[at..].find('"').unwrap()]
                .parse()
                .unwrap();
            bottom = bottom.max(value);
        }
    }
    for piece in svg.split("<polyline ").skip(1) {
        let at = piece.find("points=\"").unwrap() + 8;
        let points = &piece[at..at + piece[at..].find('"').unwrap()];
        for pair in points.split_whitespace() {
            let y: f64 = pair.split(',').nth(1).unwrap().parse().unwrap();
            bottom = bottom.max(y);
        }
    }
    bottom
}

#[test]
fn the_report_is_swedish_by_default_and_english_on_request() {
    let (_dir, sv) = report("tjorn-hosten.toml", &[]);
    let html = std::fs::read_to_string(sv.join("report.html")).unwrap();
    assert!(html.contains("<html lang=\"sv\">"));
    for needle in [
        "Jämfört med",
        "Jämförelsekommuner",
        "Rang i riket",
        "Förändring mot året före",
        ">grön<",
        "p.e.",
        "Kostnad och kvalitet",
        "Så läses tabellerna",
        "Källa: Kolada. Bearbetning: nyckeltal",
    ] {
        assert!(html.contains(needle), "{needle} in the Swedish report");
    }
    for english in [
        "Compared with",
        "Rank in Sweden",
        ">green<",
        "Cost and quality",
        "\u{a0}pp<",
    ] {
        assert!(!html.contains(english), "no English '{english}'");
    }
    // Tjörn's N20007 for 2022 is 56 958.6…: grouped by a space, no decimal point.
    assert!(html.contains("56\u{a0}959"), "space between thousands");
    let n20900 = dump_values("N20900")[&("1419".to_string(), 2022, "T".to_string())];
    let swedish = format!("{n20900:.2}").replace('.', ",");
    assert!(html.contains(&swedish), "decimal comma: {swedish}");

    let (_dir, en) = report("tjorn-hosten.toml", &["--lang", "en"]);
    let html = std::fs::read_to_string(en.join("report.html")).unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    for needle in [
        "Compared with",
        "Rank in Sweden",
        ">green<",
        "\u{a0}pp<",
        "Cost and quality",
    ] {
        assert!(html.contains(needle), "{needle} in the English report");
    }
    assert!(html.contains(&format!("{n20900:.2}")), "decimal point");
    assert!(html.contains("56,959"), "comma between thousands");
    // The CSV keeps its English column names in either language.
    let sv_csv = std::fs::read_to_string(sv.join("data.csv")).unwrap();
    let en_csv = std::fs::read_to_string(en.join("data.csv")).unwrap();
    assert_eq!(sv_csv, en_csv);
    assert!(sv_csv.starts_with("set,kpi,kpi_title,municipality_id"));
}

#[test]
fn chart_legends_and_source_lines_lie_below_the_plot() {
    let (_dir, out) = report("tjorn-hosten.toml", &[]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let charts = svgs(&html);
    assert!(charts.len() >= 15, "{} charts", charts.len());
    let mut legends = 0;
    for svg in charts {
        let bottom = plot_bottom(svg);
        let texts = svg_texts(svg);
        let below: Vec<&(f64, f64, String)> = texts.iter().filter(|t| t.1 > bottom).collect();
        // The source line and every legend entry sit below the plot; the
        // legend names carry no ids or gender codes.
        assert!(
            below
                .iter()
                .any(|t| t.2 == "Källa: Kolada. Bearbetning: nyckeltal"),
            "source line below the plot"
        );
        for (_, _, name) in texts
            .iter()
            .filter(|t| t.2.starts_with("Medel: ") || t.2 == "Tjörn" || t.2.starts_with("Median"))
        {
            assert!(
                below.iter().any(|t| &t.2 == name),
                "'{name}' in the legend below the plot (bottom {bottom})"
            );
            let group_id = name.split_whitespace().any(|w| {
                w.len() > 3 && w.starts_with('G') && w[1..].chars().all(|c| c.is_ascii_digit())
            });
            assert!(
                !name.ends_with(", T") && !group_id,
                "no internals in '{name}'"
            );
            legends += 1;
        }
    }
    assert!(legends >= 40, "{legends} legend entries checked");
}

#[test]
fn the_cost_quality_labels_do_not_collide() {
    let (_dir, out) = report("tjorn-hosten.toml", &[]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let charts = svgs(&html);
    let scatter = charts
        .iter()
        .find(|svg| svg.contains("Median i jämförelsegruppen"))
        .expect("the cost-quality chart");
    let names = [
        "Tjörn",
        "Eksjö",
        "Tranås",
        "Markaryd",
        "Tomelilla",
        "Öckerö",
        "Töreboda",
        "Fagersta",
    ];
    let bottom = plot_bottom(scatter);
    let labels: Vec<(f64, f64, String)> = svg_texts(scatter)
        .into_iter()
        .filter(|t| names.contains(&t.2.as_str()) && t.1 < bottom)
        .collect();
    assert!(labels.len() >= 7, "{labels:?}");
    // Boxes as wide as DejaVu Sans draws them at the label's size (≤ 0.65 em a letter).
    let size = 14.0 / 1.24;
    let boxes: Vec<(f64, f64, f64, f64)> = labels
        .iter()
        .map(|(x, y, t)| (*x, *y, x + 0.65 * size * t.chars().count() as f64, y + size))
        .collect();
    for i in 0..boxes.len() {
        for j in i + 1..boxes.len() {
            let (a, b) = (boxes[i], boxes[j]);
            let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1;
            assert!(apart, "{} and {} overlap", labels[i].2, labels[j].2);
        }
    }
}

#[test]
fn documents_name_no_local_paths() {
    let (dir, out) = report("tjorn-hosten.toml", &[]);
    let shared = shared_data();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let local: Vec<String> = vec![
        shared.display().to_string(),
        "../shared".to_string(),
        dir.path().display().to_string(),
        env!("CARGO_MANIFEST_DIR").to_string(),
    ];
    let mut xlsx =
        zip::ZipArchive::new(std::fs::File::open(out.join("report.xlsx")).unwrap()).unwrap();
    let mut strings = String::new();
    std::io::Read::read_to_string(
        &mut xlsx.by_name("xl/sharedStrings.xml").unwrap(),
        &mut strings,
    )
    .unwrap();
    for path in &local {
        assert!(!html.contains(path.as_str()), "{path} in report.html");
        assert!(!strings.contains(path.as_str()), "{path} in report.xlsx");
    }
    assert!(
        html.contains("tjorn-hosten.toml"),
        "the spec by its file name"
    );
    assert!(strings.contains("Källa: Kolada. Bearbetning: nyckeltal"));
}

/// The report's workbook converted by LibreOffice: the review sheets look
/// like the HTML tables and print on A4 landscape, one page wide.
#[test]
fn the_workbook_is_print_ready() {
    if !tool_available("soffice") {
        return;
    }
    let (dir, out) = report("tjorn-hosten.toml", &[]);
    let fods = to_fods(dir.path(), &out.join("report.xlsx"));
    for sheet in [
        "Äldreomsorg – kostnader",
        "Funktionshinder – kostnader",
        "Äldreomsorg – kvalitet",
        "Data",
        "Källa",
    ] {
        assert!(fods.contains(&format!("table:name=\"{sheet}\"")), "{sheet}");
    }
    assert!(fods.contains("style:print-orientation=\"landscape\""));
    assert!(
        fods.contains("fo:page-width=\"11.6929in\"") || fods.contains("fo:page-width=\"29.7"),
        "A4 landscape"
    );
    assert!(fods.contains("style:scale-to-X=\"1\""), "one page wide");
    assert!(
        fods.contains("table:table-header-rows"),
        "the header row repeats"
    );
    assert!(
        fods.contains("<number:text> p.e.</number:text>"),
        "percentage points"
    );
    for (band, fill) in [("grön", "#c8e6c9"), ("gul", "#fff3c4"), ("röd", "#ffcdd2")] {
        assert!(fods.contains(fill), "{band} fill");
        assert!(fods.contains(&format!(">{band}<")), "{band} named");
    }
    assert!(fods.contains(">Rang i riket<") && fods.contains(">Gruppens medel<"));
    assert!(
        fods.contains("office:value=\"-4.5628\""),
        "a figure stays a number, as published"
    );
}

fn to_fods(dir: &Path, xlsx: &Path) -> String {
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    let converted = std::process::Command::new("soffice")
        .args(["--headless", &profile, "--convert-to", "fods", "--outdir"])
        .arg(dir)
        .arg(xlsx)
        .output()
        .unwrap();
    assert!(
        converted.status.success(),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    let name = xlsx.file_stem().unwrap().to_string_lossy().into_owned();
    std::fs::read_to_string(dir.join(format!("{name}.fods"))).unwrap()
}

#[test]
fn a_group_mean_computed_here_is_labelled_as_processing() {
    let args = [
        "values",
        "--kpi",
        "N20900",
        "--municipality",
        "mean:G96190",
        "--years",
        "2022",
    ];
    let from_snapshot = ok(nyckeltal_offline_snapshot().args(args));
    assert!(
        from_snapshot.contains("Bearbetning: nyckeltal"),
        "{from_snapshot}"
    );
    assert!(
        from_snapshot.contains("computed by nyckeltal"),
        "{from_snapshot}"
    );
    // From the API the group value is Kolada's own: only the source.
    let emulator = emulator();
    let cache = tempfile::tempdir().unwrap();
    let from_api = ok(nyckeltal(&emulator.url(), cache.path()).args(args));
    assert!(from_api.contains("Källa: Kolada"), "{from_api}");
    assert!(!from_api.contains("Bearbetning"), "{from_api}");
    for output in [&from_snapshot, &from_api] {
        assert!(!output.contains(&cache.path().display().to_string()));
        assert!(!output.contains("../shared"), "no local path: {output}");
    }
}

#[test]
fn fetch_dates_are_kept_per_kpi_never_stamped_today() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    // The shared dump says nothing of when it was fetched: neither may its copy.
    ok(nyckeltal_offline_snapshot()
        .args(["snapshot", "save"])
        .arg(&first)
        .args([
            "--kpi",
            "N20900,N20007",
            "--municipality",
            "all",
            "--years",
            "2021-2022",
        ]));
    let stamp: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(first.join("snapshot.json")).unwrap())
            .unwrap();
    assert!(stamp["fetched_at"].is_null(), "{stamp}");
    assert_eq!(stamp["fetched"], serde_json::json!({}), "{stamp}");
    let unknown = ok(std::process::Command::new(env!("CARGO_BIN_EXE_nyckeltal"))
        .arg("--source")
        .arg(&first)
        .args([
            "compare", "Tjörn", "--kpi", "N20900", "--peers", "G96190", "--years", "2022",
        ]));
    assert!(unknown.contains("fetch date unknown"), "{unknown}");

    // A snapshot that knows its dates passes them on, KPI by KPI.
    let mut known = stamp.clone();
    known["fetched"] =
        serde_json::json!({"N20900": "2025-09-01T06:00:00Z", "N20007": "2026-03-02T06:00:00Z"});
    known["fetched_at"] = serde_json::json!("2025-09-01T06:00:00Z");
    std::fs::write(first.join("snapshot.json"), known.to_string()).unwrap();
    let second = dir.path().join("second");
    ok(std::process::Command::new(env!("CARGO_BIN_EXE_nyckeltal"))
        .arg("--source")
        .arg(&first)
        .args(["snapshot", "save"])
        .arg(&second)
        .args(["--kpi", "N20900,N20007", "--years", "2021-2022"]));
    let stamp: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(second.join("snapshot.json")).unwrap())
            .unwrap();
    assert_eq!(stamp["fetched"]["N20900"], "2025-09-01T06:00:00Z");
    assert_eq!(stamp["fetched"]["N20007"], "2026-03-02T06:00:00Z");
    // The workbook's source sheet dates each KPI.
    let xlsx = dir.path().join("t.xlsx");
    ok(std::process::Command::new(env!("CARGO_BIN_EXE_nyckeltal"))
        .arg("--source")
        .arg(&second)
        .args([
            "compare",
            "Tjörn",
            "--kpi",
            "N20900,N20007",
            "--peers",
            "G96190",
            "--years",
            "2022",
            "-o",
        ])
        .arg(&xlsx));
    let strings = zip_text(&xlsx, "xl/sharedStrings.xml");
    assert!(
        strings.contains("2025-09-01") && strings.contains("2026-03-02"),
        "{strings}"
    );
    assert!(
        strings.contains("2025-09-01 – 2026-03-02"),
        "the range of fetch dates"
    );
}

#[test]
fn a_kpi_the_source_has_no_figures_for_is_named_not_shown_as_blanks() {
    // The shared snapshot has no figures for N25022 (Kolada publishes it live).
    assert!(dump_values("N25022").is_empty());
    let (_dir, out) = report("tjorn-hosten.toml", &[]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let rows_of = |id: &str| {
        html.matches(&format!("<td class=\"text name\"><b>{id}</b>"))
            .count()
    };
    assert_eq!(
        rows_of("N28013"),
        2,
        "one row per peer group for a KPI with figures"
    );
    assert_eq!(rows_of("N25022"), 0, "no row of blanks");
    assert!(
        html.matches("N25022: källan (ögonblicksbild 'kolada') har inga värden för år 2013–2022")
            .count()
            == 1,
        "the reader is told why the KPI is missing"
    );
    let data = csv_rows(&std::fs::read_to_string(out.join("data.csv")).unwrap());
    let empty: Vec<_> = data.iter().filter(|r| r["kpi"] == "N25022").collect();
    assert!(!empty.is_empty() && empty.iter().all(|r| r["value"].is_empty()));

    let table = ok(nyckeltal_offline_snapshot().args([
        "compare",
        "Tjörn",
        "--set",
        "funktionshinder-kostnad",
        "--peers",
        "tjorn-funktionshinder",
    ]));
    assert!(!table.lines().any(|l| l.starts_with("│ N25022")), "{table}");
    assert!(table.lines().any(|l| l.starts_with("│ N28013")), "{table}");
    assert!(
        table.contains("N25022: the source (snapshot 'kolada') has no figures for 2018–2022"),
        "{table}"
    );
}

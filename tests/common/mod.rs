//! Shared helpers: the real Kolada data in ../shared/kolada, the project's
//! emulator on 127.0.0.1, and the nyckeltal binary pointed at it.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kolada_emulator::{Config, Emulator};

pub fn shared_data() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/kolada");
    assert!(
        path.join("meta/kpi.json").exists(),
        "the Kolada data must be at {} (see README, 'Tests')",
        path.display()
    );
    path
}

pub fn emulator() -> Emulator {
    emulator_with(|_| {})
}

pub fn emulator_with(tweak: impl FnOnce(&mut Config)) -> Emulator {
    let mut config = Config::new(shared_data());
    tweak(&mut config);
    Emulator::start(config).expect("emulator starts")
}

/// nyckeltal with a private cache, talking only to `api_url`, unpaced.
pub fn nyckeltal(api_url: &str, cache: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_nyckeltal"));
    for proxy in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        command.env_remove(proxy);
    }
    without_locale(&mut command);
    command
        .env("NYCKELTAL_API_URL", api_url)
        .env("NYCKELTAL_CACHE_DIR", cache)
        .env("NO_COLOR", "1")
        .args(["--max-rate", "0"]);
    command
}

/// nyckeltal reading the shared snapshot.
pub fn nyckeltal_offline_snapshot() -> Command {
    nyckeltal_on_snapshot(&shared_data())
}

/// nyckeltal reading a snapshot folder.
pub fn nyckeltal_on_snapshot(root: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_nyckeltal"));
    without_locale(&mut command);
    command
        .env_remove("NYCKELTAL_API_URL")
        .env("NO_COLOR", "1")
        .arg("--source")
        .arg(root);
    command
}

/// The terminal's language follows the locale; tests pick it with --lang
/// or LANG themselves, so a Swedish machine runs the same tests.
fn without_locale(command: &mut Command) {
    for name in ["LC_ALL", "LC_MESSAGES", "LANG", "NYCKELTAL_LANG"] {
        command.env_remove(name);
    }
}

pub fn run(command: &mut Command) -> Output {
    command.output().expect("nyckeltal runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Run and insist on success, returning stdout.
pub fn ok(command: &mut Command) -> String {
    let output = run(command);
    assert!(
        output.status.success(),
        "failed: {command:?}\nstderr: {}",
        stderr(&output)
    );
    stdout(&output)
}

/// The dump's values for one KPI, read straight from its CSV files (not
/// through nyckeltal): (kolada id, year, gender) → value.
pub fn dump_values(kpi: &str) -> HashMap<(String, i32, String), f64> {
    let lower = kpi.to_lowercase();
    let mut values = HashMap::new();
    let data = shared_data().join("ddf");
    let totals = data.join(format!(
        "datapoints--by--geo--year/ddf--datapoints--{lower}--by--geo--year.csv"
    ));
    let split = data.join(format!(
        "datapoints--by--geo--gender--year/ddf--datapoints--{lower}--by--geo--gender--year.csv"
    ));
    let id = |geo: &str| format!("{geo:0>4}");
    if let Ok(text) = std::fs::read_to_string(&totals) {
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            values.insert(
                (id(f[0]), f[1].parse().unwrap(), "T".to_string()),
                f[2].parse().unwrap(),
            );
        }
    }
    if let Ok(text) = std::fs::read_to_string(&split) {
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            values.insert(
                (id(f[0]), f[2].parse().unwrap(), f[1].to_uppercase()),
                f[3].parse().unwrap(),
            );
        }
    }
    values
}

/// The 290 municipalities' ids, read from the shared metadata.
pub fn kommuner() -> std::collections::HashSet<String> {
    let text = std::fs::read_to_string(shared_data().join("meta/municipality.json")).unwrap();
    let all: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    all.iter()
        .filter(|m| m["type"] == "K")
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect()
}

/// Rows of a CSV with a header, as maps from column name to text (fields
/// may be quoted: titles contain commas).
pub fn csv_rows(text: &str) -> Vec<HashMap<String, String>> {
    let mut lines = text.lines();
    let header = split_quoted(lines.next().unwrap_or(""), ',');
    lines
        .filter(|l| !l.is_empty())
        .map(|line| {
            header
                .iter()
                .cloned()
                .zip(split_quoted(line, ','))
                .collect()
        })
        .collect()
}

pub fn split_quoted(line: &str, separator: char) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c == separator && !quoted => fields.push(String::new()),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

/// Whether an outside program the test needs is installed; in CI it must be
/// (.ci/run installs it), elsewhere the caller skips with a note.
pub fn tool_available(program: &str) -> bool {
    let found = std::process::Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have {program}: .ci/run installs it"
        );
        // Straight to the real stderr (not the test harness's capture), so
        // a skipped check is seen, not passed off as "ok".
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: {program} is not installed, so this check did not run (CI installs it; see README, 'Tests')"
        );
    }
    found
}

/// Run against the shared snapshot; insist on exit `code`, `needle` in the
/// error and no panic.
pub fn fails_offline(args: &[&str], code: i32, needle: &str) {
    let output = run(nyckeltal_offline_snapshot().args(args));
    assert_eq!(
        output.status.code(),
        Some(code),
        "{args:?}: {}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains(needle),
        "{args:?}: {}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("panicked"), "{args:?}");
}

/// One part of a zip file (a workbook's `xl/sharedStrings.xml`), as text.
#[allow(dead_code)]
pub fn zip_text(path: &Path, part: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(part).unwrap(), &mut text).unwrap();
    text
}

/// A Kolada group's member ids, from the snapshot's metadata.
pub fn group_member_ids(id: &str) -> Vec<String> {
    let text =
        std::fs::read_to_string(shared_data().join("meta/municipality_groups.json")).unwrap();
    let groups: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let group = groups.iter().find(|g| g["id"] == id).unwrap();
    group["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["member_id"].as_str().unwrap().to_string())
        .collect()
}

/// A peer list's member ids, from its file and the metadata.
pub fn peer_list_ids(name: &str) -> Vec<String> {
    let path = format!("{}/data/peers/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    let file: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let text = std::fs::read_to_string(shared_data().join("meta/municipality.json")).unwrap();
    let places: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    file["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let name = m.as_str().unwrap();
            let found = places
                .iter()
                .find(|p| p["title"] == name && p["type"] == "K")
                .unwrap();
            found["id"].as_str().unwrap().to_string()
        })
        .collect()
}

/// A snapshot saved by nyckeltal, then edited on purpose: its manifest
/// goes, so it reads as a folder of one's own (otherwise it is damaged).
pub fn edited_by_hand(snapshot: &Path) {
    std::fs::remove_file(snapshot.join(".nyckeltal.json")).unwrap();
}

/// A page printed to A4 by headless Chromium (as a reader prints the
/// pack), and how many pages it takes.
pub fn printed_pages(dir: &Path, html: &Path) -> usize {
    let pdf = dir.join("print.pdf");
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bytes = std::fs::read(&pdf).unwrap();
    bytes.windows(11).filter(|w| w == b"/Type /Page").count()
        - bytes.windows(12).filter(|w| w == b"/Type /Pages").count()
}

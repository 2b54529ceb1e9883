//! The brief ("Sammanfattning för nämnden"): first in the pack, at most two
//! A4 pages, every group the spec names with its own gap, the gap in
//! kronor for the whole municipality recomputed here from the dump, the
//! change from the year before split so that its parts add up.

mod common;

use std::path::Path;

use common::*;

/// Tjörn's pack from `spec` (a spec file's text, or None for the example).
fn tjorn_pack(dir: &Path, spec: Option<&str>) -> String {
    let out = dir.join("pack");
    let spec_path = match spec {
        Some(text) => {
            let path = dir.join("spec.toml");
            std::fs::write(&path, text).unwrap();
            path
        }
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/tjorn-hosten.toml"),
    };
    ok(nyckeltal_offline_snapshot()
        .arg("report")
        .arg(&spec_path)
        .arg("-o")
        .arg(&out));
    std::fs::read_to_string(out.join("report.html")).unwrap()
}

/// The brief's section, as text (tags gone, no-break spaces as spaces).
fn brief_text(page: &str) -> String {
    let start = page.find("<section class=\"brief\"").expect("the brief");
    let end = start + page[start..].find("</section>").unwrap();
    let mut text = String::new();
    let mut in_tag = false;
    for c in page[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace('\u{a0}', " ").replace("&quot;", "\"")
}

/// One area's paragraphs: from its heading to the next area's.
fn area<'t>(text: &'t str, title: &str, next: &str) -> &'t str {
    let start = text
        .find(&format!(" {title} "))
        .unwrap_or_else(|| panic!("{title}: {text}"));
    let end = text[start..].find(next).map_or(text.len(), |e| start + e);
    &text[start..end]
}

/// Tjörn's figure and the mean of `peers` for a KPI in a year, from the dump.
fn tjorn_and_mean(kpi: &str, peers: &[String], year: i32) -> (f64, f64) {
    let values = dump_values(kpi);
    let at = |id: &str| {
        values
            .get(&(id.to_string(), year, "T".to_string()))
            .copied()
    };
    let found: Vec<f64> = peers.iter().filter_map(|id| at(id)).collect();
    (
        at("1419").unwrap(),
        found.iter().sum::<f64>() / found.len() as f64,
    )
}

fn g176709_without_tjorn() -> Vec<String> {
    let text =
        std::fs::read_to_string(shared_data().join("meta/municipality_groups.json")).unwrap();
    let groups: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let group = groups.iter().find(|g| g["id"] == "G176709").unwrap();
    group["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["member_id"].as_str().unwrap().to_string())
        .filter(|id| id != "1419")
        .collect()
}

#[test]
fn the_brief_names_each_group_with_its_gap_and_kronor_for_the_whole_municipality() {
    let dir = tempfile::tempdir().unwrap();
    let page = tjorn_pack(dir.path(), None);
    // First in the pack, before any set's tables.
    assert!(
        page.find("<section class=\"brief\"").unwrap()
            < page.find("<section id=\"aldreomsorg-kostnad\"").unwrap()
    );
    let text = brief_text(&page);
    let elderly = area(&text, "Äldreomsorg", " LSS ");
    // N20007 2022 against both groups, each with its own kronor for the
    // whole municipality: the gap per inhabitant 65+ × inhabitants 65+.
    let inhabitants: f64 = ["N01956", "N01957"]
        .iter()
        .map(|k| dump_values(k)[&("1419".to_string(), 2022, "T".to_string())])
        .sum();
    let format_mnkr = |gap: f64| format!("≈ {} mnkr", (gap.abs() * inhabitants / 1e6).round());
    for (peers, pct) in [
        (g176709_without_tjorn(), "15,6 %"),
        (peer_list_ids("tjorn-aldreomsorg"), "20,9 %"),
    ] {
        let (own, mean) = tjorn_and_mean("N20007", &peers, 2022);
        assert_eq!(
            format!("{:.1} %", 100.0 * (mean - own) / mean).replace('.', ","),
            pct
        );
        assert!(elderly.contains(pct), "{pct}: {elderly}");
        assert!(
            elderly.contains(&format_mnkr(own - mean)),
            "{}: {elderly}",
            format_mnkr(own - mean)
        );
    }
    assert!(
        elderly.contains("≈ 50 mnkr") && elderly.contains("≈ 71 mnkr"),
        "{elderly}"
    );
    assert!(
        elderly.contains(&format!(
            "skillnaden per invånare 65+ × {} invånare 65+ 2022 (N01956 + N01957)",
            format!("{inhabitants}")
                .chars()
                .rev()
                .collect::<Vec<_>>()
                .chunks(3)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join(" ")
                .chars()
                .rev()
                .collect::<String>()
        )),
        "{elderly}"
    );
    // Both groups are named, and each sentence says which group it is about.
    assert!(
        elderly.contains("Liknande kommuner äldreomsorg")
            && elderly.contains("egna jämförelsekommuner")
    );
    assert!(
        elderly.contains("Mot Tjörn – egna jämförelsekommuner, äldreomsorg:"),
        "{elderly}"
    );
    // The how-to-read box is on the brief's first page, not the last.
    assert!(text.find("Så läses sammanfattningen").unwrap() < text.find("Äldreomsorg").unwrap());
    assert!(text.contains("Koladas API anger ingen riktning"));
}

#[test]
fn the_change_from_the_year_before_is_split_and_its_parts_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let text = brief_text(&tjorn_pack(dir.path(), None));
    let elderly = area(&text, "Äldreomsorg", " LSS ");
    let values = dump_values("N20007");
    let at = |year: i32| values[&("1419".to_string(), year, "T".to_string())];
    let delta = at(2022) - at(2021);
    let start = elderly.find("Från 2021 till 2022").expect("the change");
    let sentence = &elderly[start..start + elderly[start..].find('.').unwrap()];
    assert!(
        sentence.contains(&format!("ökat med {}", format_thousands(delta.round()))),
        "{delta}: {sentence}"
    );
    // The parts: "+4 709 kr/inv 65+ för att …", "-1 792 kr/inv 65+ för att …", "+420 … övrigt".
    let parts: f64 = sentence
        .split(": ")
        .nth(1)
        .unwrap()
        .split([',', '–'])
        .flat_map(|p| p.split(" och "))
        .filter_map(|p| {
            let number: String = p.trim().split(" kr").next()?.replace(' ', "");
            number.parse::<f64>().ok()
        })
        .sum();
    assert!(
        (parts - delta).abs() <= 2.0,
        "the parts {parts} add up to {delta}: {sentence}"
    );
    assert!(
        sentence.contains("för att färre får insatsen")
            && sentence.contains("för att varje brukare kostar mer"),
        "{sentence}"
    );
}

/// 3338 → "3 338".
fn format_thousands(value: f64) -> String {
    let digits = format!("{}", value.abs() as i64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[test]
fn brief_peers_limits_the_brief_to_its_group_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let spec = "municipality = \"Tjörn\"\nsets = [\"aldreomsorg-kostnad\"]\nyears = \"2018-2022\"\nbrief_peers = \"tjorn-aldreomsorg\"\n\n[peers]\naldreomsorg-kostnad = [\"auto\", \"tjorn-aldreomsorg\"]\n";
    let text = brief_text(&tjorn_pack(dir.path(), Some(spec)));
    let elderly = area(&text, "Äldreomsorg", "Det som sticker ut");
    assert!(
        elderly.contains("20,9 %") && elderly.contains("egna jämförelsekommuner"),
        "{elderly}"
    );
    assert!(
        !elderly.contains("15,6 %") && !elderly.contains("Liknande kommuner"),
        "{elderly}"
    );
    // A group the spec's peers do not name is refused, with its line.
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        spec.replace(
            "brief_peers = \"tjorn-aldreomsorg\"",
            "brief_peers = \"tjorn-funktionshinder\"",
        ),
    )
    .unwrap();
    let out = run(nyckeltal_offline_snapshot()
        .arg("report")
        .arg(&bad)
        .arg("-o")
        .arg(dir.path().join("bad")));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("bad.toml line 4") && stderr(&out).contains("brief_peers"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_brief_fits_two_a4_pages() {
    if !tool_available("chromium") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = tjorn_pack(dir.path(), None);
    // The page up to the end of the brief, printed as the pack is.
    let end = page.find("<section id=\"how\"").unwrap();
    let cut = dir.path().join("brief.html");
    std::fs::write(&cut, format!("{}</body></html>", &page[..end])).unwrap();
    let pages = printed_pages(dir.path(), &cut);
    assert!((1..=2).contains(&pages), "the brief takes {pages} A4 pages");
}

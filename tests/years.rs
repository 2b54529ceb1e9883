//! Gaps over the years: the network packs show, per KPI, every member over
//! the asked years (a table and a chart of small multiples), and a
//! municipality's pack a table per set and peer group with the value, the
//! group's mean and the gap in every year.

mod common;

use common::*;

/// The pack of an example spec, in a temporary folder.
fn pack(spec: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    ok(nyckeltal_offline_snapshot()
        .args(["report", &format!("examples/{spec}"), "-o"])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR")));
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    (dir, page)
}

/// The years a table's header names.
fn header_years(table: &str) -> Vec<i32> {
    let head = &table[..table.find("</thead>").unwrap()];
    head.split("<th>")
        .skip(1)
        .filter_map(|cell| {
            let text = &cell[..cell.find("</th>").unwrap()];
            text.trim_start_matches("¦\u{a0}").parse().ok()
        })
        .collect()
}

/// Every KPI of the network's set tables has a years table over the asked
/// years and a chart of its members (categories have their counts instead).
fn check_network(page: &str, first: i32, last: i32, at_least: usize) {
    // Every table within the asked years; most of them all of them (a
    // survey run in fewer years has fewer columns).
    let mut full = 0;
    for piece in page.split("<h5>").skip(1) {
        let id = &piece[..6];
        let table = &piece[piece.find("<table class=\"years\">").unwrap()..];
        let years = header_years(table);
        assert!(!years.is_empty(), "{id}");
        assert!(
            years.iter().all(|y| (first..=last).contains(y)),
            "{id}: {years:?}"
        );
        if years == (first..=last).collect::<Vec<_>>() {
            full += 1;
        }
    }
    assert!(full >= at_least, "{full} years tables over {first}–{last}");
    let charts = page.matches("<figure class=\"wide\">").count();
    assert!(charts >= at_least, "{charts} member charts");
}

#[test]
fn the_network_packs_show_every_member_over_the_years() {
    let (_dir, gr) = pack("gr-natverk.toml");
    check_network(&gr, 2013, 2022, 15);
    // Each chart names all 13 members.
    let chart = &gr[gr.find("<figure class=\"wide\">").unwrap()..];
    let chart = &chart[..chart.find("</figure>").unwrap()];
    for member in ["Ale", "Göteborg", "Tjörn", "Öckerö", "Kungsbacka"] {
        assert!(chart.contains(&format!(">\n{member}\n<")), "{member}");
    }
    // A part per member, with its own sentences, and a table of contents.
    let members = &gr[gr
        .find("<section id=\"members\">")
        .expect("a part per member")..];
    let members = &members[..members.find("</section>").unwrap()];
    assert_eq!(members.matches("<h3>").count(), 13);
    assert!(members.contains("<h3>Ale</h3>") && members.contains("<h3>Öckerö</h3>"));
    assert!(
        members.matches("<li>").count() >= 13 * 3,
        "sentences per member"
    );
    assert!(
        !members.contains("Ale: "),
        "a member's part does not repeat its name"
    );
    assert!(gr.contains("<h2 class=\"toc\">Innehåll</h2>"));
    assert!(gr.contains("counter(page)"), "page numbers in print");
    let (_dir, vastra) = pack("varmland-vastra.toml");
    check_network(&vastra, 2018, 2022, 15);
}

#[test]
fn a_municipalitys_pack_gives_value_mean_and_gap_per_year() {
    let (dir, page) = pack("tjorn-hosten.toml");
    let start = page.find("<div class=\"years\">").expect("a years table");
    let table = &page[start..start + page[start..].find("</table>").unwrap()];
    assert_eq!(header_years(table), (2013..=2022).collect::<Vec<_>>());
    // N20900 2022 against Liknande kommuner: Tjörn -4,56, the gap in
    // points recomputed from the dump.
    let dump = dump_values("N20900");
    let groups =
        std::fs::read_to_string(shared_data().join("meta/municipality_groups.json")).unwrap();
    let groups: Vec<serde_json::Value> = serde_json::from_str(&groups).unwrap();
    let group = groups.iter().find(|g| g["id"] == "G176709").unwrap();
    let peers: Vec<String> = group["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["member_id"].as_str().unwrap().to_string())
        .collect();
    let at = |id: &str| dump[&(id.to_string(), 2022, "T".to_string())];
    let mean = peers.iter().map(|p| at(p)).sum::<f64>() / peers.len() as f64;
    let gap = format!("{:+.2}", at("1419") - mean).replace('.', ",");
    // The workbook has the same years, a sheet per set.
    let sheets = zip_text(&dir.path().join("pack/report.xlsx"), "xl/workbook.xml");
    for set in [
        "Äldreomsorg – kostnader",
        "Funktionshinder – kostnader",
        "Äldreomsorg – kvalitet",
    ] {
        assert!(sheets.contains(&format!("\"År {set}\"")), "{sheets}");
    }
    let row = &table[table.find("N20900").unwrap()..];
    let row = &row[..row.find("N20029").unwrap()];
    assert!(row.contains(&format!("{gap}\u{a0}p.e.")), "{gap}: {row}");
}

#[test]
fn a_kpi_page_gives_koladas_definition_charts_and_years() {
    let (_dir, page) = pack("tjorn-hosten.toml");
    let start = page
        .find("<div class=\"kpi-page\" id=\"kpi-N20900\">")
        .expect("N20900's page");
    let end = start + 1 + page[start + 1..].find("<div class=\"kpi-page\"").unwrap();
    let kpi_page = &page[start..end];
    // Kolada's definition, read here from the catalogue.
    let catalogue = std::fs::read_to_string(shared_data().join("meta/kpi.json")).unwrap();
    let all: Vec<serde_json::Value> = serde_json::from_str(&catalogue).unwrap();
    let n20900 = all.iter().find(|k| k["id"] == "N20900").unwrap();
    let definition = n20900["description"].as_str().unwrap();
    let opening: String = definition.chars().take(80).collect();
    assert!(kpi_page.contains(&opening), "{opening}");
    assert!(kpi_page.contains(n20900["title"].as_str().unwrap()));
    // A link people can open (kolada.se), not the API's JSON.
    assert!(kpi_page.contains("href=\"https://www.kolada.se/verktyg/fri-sokning/?kpis=N20900\""));
    assert!(!kpi_page.contains("api.kolada.se"));
    // Its chart over time and each peer's own value (Tjörn and its 7 + 7 peers).
    assert_eq!(kpi_page.matches("<svg").count(), 2);
    let bars = &kpi_page[kpi_page.rfind("<svg").unwrap()..];
    for peer in ["Eksjö", "Hallstahammar", "Tjörn"] {
        assert!(bars.contains(&format!(">\n{peer}\n<")), "{peer}");
    }
    // Both groups told apart, each with its own mean, never one mean for both.
    for group in [
        "Medel: Liknande kommuner äldreomsorg, Tjörn, 2024",
        "Medel: Tjörn – egna jämförelsekommuner, äldreomsorg",
    ] {
        assert!(bars.contains(group), "{group}");
    }
    assert!(
        !bars.contains("Jämförelsekommunerna"),
        "no single mean for two groups"
    );
    // The reading notes and the years against both groups.
    assert!(kpi_page.contains("metodbyte 2019"));
    assert!(kpi_page.contains("Med värde 290 av 290 (2022)"));
    assert_eq!(kpi_page.matches("<table class=\"years\">").count(), 2);
    assert!(kpi_page.contains("Källa: Kolada. Bearbetning: nyckeltal"));
    // A signed figure in kronor differs in kronor, not in points (N28008).
    let start = page.find("id=\"kpi-N28008\"").expect("N28008's page");
    let n28008 = &page[start..start + page[start..].find("</p>").unwrap() + 400];
    assert!(
        n28008.contains("skillnader i kr/inv") && !n28008.contains("procentenheter"),
        "{n28008}"
    );
}

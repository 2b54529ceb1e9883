//! The review workbook with typed cells: a controller sorts and filters
//! it. Years, marks, ranks, what a rank is out of and differences each in
//! a column of their own, as numbers; the cost split in the book's
//! language, one method per sheet; and each peer's own figures on a sheet
//! and in the pack's peers.csv, read from the figures already fetched.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use common::*;

/// A cell read back from a sheet's XML.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    /// A number cell: no `t` attribute (or `t="n"`) and a `<v>`.
    Number(f64),
    Text(String),
    Bool(bool),
    Blank,
}

impl Value {
    fn number(&self) -> f64 {
        match self {
            Value::Number(n) => *n,
            other => panic!("not a number cell: {other:?}"),
        }
    }

    fn text(&self) -> &str {
        match self {
            Value::Text(t) => t,
            Value::Blank => "",
            other => panic!("not a text cell: {other:?}"),
        }
    }
}

/// A sheet's cells by (row from 1, column from 0).
struct Sheet {
    cells: BTreeMap<(u32, u32), Value>,
}

impl Sheet {
    fn at(&self, row: u32, column: u32) -> Value {
        self.cells
            .get(&(row, column))
            .cloned()
            .unwrap_or(Value::Blank)
    }

    fn rows(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = self.cells.keys().map(|(r, _)| *r).collect();
        rows.dedup();
        rows
    }

    /// The header row: the first whose first two cells are these.
    fn header(&self, first: &str, second: &str) -> u32 {
        let text = |t: &str| Value::Text(t.to_string());
        self.rows()
            .into_iter()
            .find(|r| self.at(*r, 0) == text(first) && self.at(*r, 1) == text(second))
            .unwrap_or_else(|| panic!("no row starts with {first}, {second}"))
    }

    /// The column headed `heading` in `row`.
    fn column(&self, row: u32, heading: &str) -> u32 {
        self.cells
            .iter()
            .find(|((r, _), v)| *r == row && **v == Value::Text(heading.to_string()))
            .map(|((_, c), _)| *c)
            .unwrap_or_else(|| panic!("no column {heading} in row {row}"))
    }

    /// The rows below `header` whose cells in the columns headed by the
    /// keys are those texts.
    fn rows_where(&self, header: u32, wanted: &[(&str, &str)]) -> Vec<u32> {
        let columns: Vec<(u32, &str)> = wanted
            .iter()
            .map(|(heading, text)| (self.column(header, heading), *text))
            .collect();
        self.rows()
            .into_iter()
            .filter(|r| *r > header)
            .filter(|r| {
                columns
                    .iter()
                    .all(|(c, text)| self.at(*r, *c) == Value::Text(text.to_string()))
            })
            .collect()
    }
}

/// A workbook's sheet names in order.
fn sheet_names(book: &Path) -> Vec<String> {
    let workbook = zip_text(book, "xl/workbook.xml");
    workbook
        .split("<sheet name=\"")
        .skip(1)
        .map(|s| unescape(&s[..s.find('"').unwrap()]))
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text between `<tag …>` and `</tag>` of each element, in order.
fn elements<'x>(xml: &'x str, tag: &str) -> Vec<(&'x str, &'x str)> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        rest = &rest[start..];
        let head_end = rest.find('>').unwrap();
        let head = &rest[..head_end];
        // Not a longer tag that starts alike (<c> against <col>).
        let after = head[open.len()..].chars().next();
        if !matches!(after, Some(' ') | Some('/') | None) {
            rest = &rest[open.len()..];
            continue;
        }
        if head.ends_with('/') {
            out.push((head, ""));
            rest = &rest[head_end + 1..];
            continue;
        }
        let end = rest.find(&close).unwrap();
        out.push((head, &rest[head_end + 1..end]));
        rest = &rest[end + close.len()..];
    }
    out
}

fn attribute<'x>(head: &'x str, name: &str) -> Option<&'x str> {
    let key = format!(" {name}=\"");
    let start = head.find(&key)? + key.len();
    Some(&head[start..start + head[start..].find('"')?])
}

/// "AB12" → (12, 27).
fn position(reference: &str) -> (u32, u32) {
    let letters: String = reference
        .chars()
        .take_while(char::is_ascii_uppercase)
        .collect();
    let column = letters
        .chars()
        .fold(0u32, |n, c| n * 26 + (c as u32 - 'A' as u32 + 1));
    (reference[letters.len()..].parse().unwrap(), column - 1)
}

/// A sheet of a workbook by its name, its cells typed as Excel reads them.
fn sheet(book: &Path, name: &str) -> Sheet {
    let names = sheet_names(book);
    let index = names
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no sheet {name}: {names:?}"));
    let strings: Vec<String> = elements(&zip_text(book, "xl/sharedStrings.xml"), "si")
        .into_iter()
        .map(|(_, inner)| {
            let texts: Vec<String> = elements(inner, "t")
                .into_iter()
                .map(|(_, t)| unescape(t))
                .collect();
            texts.concat()
        })
        .collect();
    let xml = zip_text(book, &format!("xl/worksheets/sheet{}.xml", index + 1));
    let mut cells = BTreeMap::new();
    for (head, inner) in elements(&xml, "c") {
        let at = position(attribute(head, "r").unwrap());
        let v = elements(inner, "v").first().map(|(_, v)| *v);
        let value = match (attribute(head, "t"), v) {
            (_, None) => Value::Blank,
            (None | Some("n"), Some(v)) => Value::Number(v.parse().unwrap()),
            (Some("s"), Some(v)) => Value::Text(strings[v.parse::<usize>().unwrap()].clone()),
            (Some("b"), Some(v)) => Value::Bool(v == "1"),
            (Some(t), Some(v)) => panic!("a cell of type {t}: {v}"),
        };
        cells.insert(at, value);
    }
    Sheet { cells }
}

/// The pack of an example spec (with more arguments), in a temporary folder.
fn pack(spec: &str, args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    ok(nyckeltal_offline_snapshot()
        .args(args)
        .args(["report", &format!("examples/{spec}"), "-o"])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR")));
    (dir, out)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// Tjörn's 2022 figure of a KPI and the mean of a group's, from the dump.
fn own_and_mean(kpi: &str, members: &[String]) -> (f64, f64) {
    let dump = dump_values(kpi);
    let at = |id: &str| dump[&(id.to_string(), 2022, "T".to_string())];
    let mean = members.iter().map(|m| at(m)).sum::<f64>() / members.len() as f64;
    (at("1419"), mean)
}

#[test]
fn the_set_sheet_holds_years_ranks_and_differences_as_numbers() {
    let (_dir, out) = pack("tjorn-hosten.toml", &[]);
    let book = out.join("report.xlsx");
    let costs = sheet(&book, "Äldreomsorg – kostnader");
    let header = costs.header("Nyckeltal", "År");
    let own = "Tjörn – egna jämförelsekommuner, äldreomsorg";
    let rows = costs.rows_where(
        header,
        &[
            (
                "Nyckeltal",
                "N20007 Kostnad äldreomsorg per invånare 65+, kr/inv 65+",
            ),
            ("Jämförelsegrupp", own),
        ],
    );
    assert_eq!(rows.len(), 1, "one row for the KPI against the group");
    let row = rows[0];
    let cell = |heading: &str| costs.at(row, costs.column(header, heading));
    assert_eq!(cell("År"), Value::Number(2022.0));
    assert_eq!(cell("Anm."), Value::Blank, "no mark on Tjörn's 2022");
    // Last of eight (Tjörn and its seven), 276th of the 290 with a figure.
    assert_eq!(cell("Rang i gruppen"), Value::Number(8.0));
    assert_eq!(cell("Antal i gruppen"), Value::Number(8.0));
    assert_eq!(cell("Rang i riket"), Value::Number(276.0));
    assert_eq!(cell("Med värde"), Value::Number(290.0));
    assert_eq!(cell("Antal i riket"), Value::Number(290.0));
    // The difference in kronor and in percent, each a number, as the dump gives them.
    let (value, mean) = own_and_mean("N20007", &peer_list_ids("tjorn-aldreomsorg"));
    assert!((cell("Skillnad mot gruppen").number() - (value - mean)).abs() < 1e-6);
    let pct = 100.0 * (value - mean) / mean;
    assert!((cell("Skillnad mot gruppen, %").number() - pct).abs() < 1e-6);
    assert!(pct < -20.0 && pct > -21.0, "{pct}");
    // A share's difference in points: a number, no percent beside it.
    let share = costs.rows_where(
        header,
        &[
            ("Nyckeltal", "N20900 Nettokostnadsavvikelse äldreomsorg, %"),
            ("Jämförelsegrupp", own),
        ],
    )[0];
    let points = costs.at(share, costs.column(header, "Skillnad mot gruppen"));
    assert!(matches!(points, Value::Number(_)), "{points:?}");
    let none = costs.at(share, costs.column(header, "Skillnad mot gruppen, %"));
    assert_eq!(none, Value::Blank);
    // The unit is in the number format, not in the cell.
    let styles = zip_text(&book, "xl/styles.xml");
    assert!(styles.contains("&quot;kr/inv 65+&quot;"), "kronor format");
    assert!(styles.contains("&quot;p.e.&quot;"), "points format");
    // No figure left as text in the table: no "8/8", "2022‡", "-15,6 % (…)"
    // or "290 av 290".
    let year = costs.column(header, "År");
    let table: Vec<u32> = costs
        .rows()
        .into_iter()
        .filter(|r| *r > header && matches!(costs.at(*r, year), Value::Number(_)))
        .collect();
    assert_eq!(table.len(), 12, "six KPIs against two groups");
    for ((_, _), value) in costs.cells.iter().filter(|((r, _), _)| table.contains(r)) {
        if let Value::Text(text) = value {
            let digits = text.chars().filter(char::is_ascii_digit).count();
            let words = text.chars().filter(|c| c.is_alphabetic()).count();
            assert!(
                digits == 0 || words > 0 && !text.contains(" av ") && !text.contains(" ("),
                "a figure as text: {text}"
            );
        }
    }
}

#[test]
fn marks_stand_in_a_column_of_their_own() {
    // Årjäng's N21006 in 2019: a change far beyond its usual (‡) on few users (†).
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("arjang.xlsx");
    ok(nyckeltal_offline_snapshot()
        .args([
            "compare",
            "Årjäng",
            "--kpi",
            "N21006",
            "--years",
            "2015-2019",
            "-o",
        ])
        .arg(&book));
    let names = sheet_names(&book);
    let first = sheet(&book, &names[0]);
    let header = first.header("Nyckeltal", "År");
    let row = header + 1;
    assert_eq!(
        first.at(row, first.column(header, "År")),
        Value::Number(2019.0)
    );
    let marks = first.at(row, first.column(header, "Anm."));
    assert!(marks.text().contains('‡'), "{marks:?}");
    assert!(marks.text().chars().all(|c| "*†‡".contains(c)), "{marks:?}");
    let change = first.at(row, first.column(header, "Förändring mot året före, %"));
    let dump = dump_values("N21006");
    let at = |y: i32| dump[&("1765".to_string(), y, "T".to_string())];
    assert!((change.number() - 100.0 * (at(2019) / at(2018) - 1.0)).abs() < 1e-3);
}

#[test]
fn the_cost_split_is_in_the_books_language_one_method_a_sheet() {
    let (dir, out) = pack("tjorn-hosten.toml", &[]);
    let book = out.join("report.xlsx");
    let names = sheet_names(&book);
    assert!(
        names.contains(&"Kostnadsförklaring".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"Kostnadsförklaring geom. medel".to_string()),
        "{names:?}"
    );
    let kr = sheet(&book, "Kostnadsförklaring");
    let headings: Vec<Value> = (0..24).map(|c| kr.at(1, c)).collect();
    for heading in [
        "Kommunkod",
        "Kostnad",
        "Slag av del",
        "Bidrag till skillnaden",
        "Skäl",
    ] {
        assert!(
            headings.contains(&Value::Text(heading.to_string())),
            "{heading}: {headings:?}"
        );
    }
    for english in ["method", "municipality_id", "contribution"] {
        assert!(!headings.contains(&Value::Text(english.to_string())));
    }
    // The kr rows of the same split as `explain` writes it, no more: each
    // chain and year once, its pieces adding up to its gap.
    let csv = dir.path().join("split.csv");
    ok(nyckeltal_offline_snapshot().args([
        "explain",
        "Tjörn",
        "--area",
        "aldreomsorg",
        "--peers",
        "tjorn-aldreomsorg",
        "--years",
        "2013-2022",
        "-o",
        csv.to_str().unwrap(),
    ]));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("municipality_id,municipality,year,area,chain,chain_label"));
    let split = csv_rows(&text);
    let area = kr.column(1, "Område");
    let elderly: Vec<u32> = kr
        .rows()
        .into_iter()
        .filter(|r| kr.at(*r, area) == Value::Text("äldreomsorg".to_string()))
        .collect();
    let kr_rows = split.iter().filter(|r| r["method"] == "kr").count();
    assert_eq!(elderly.len(), kr_rows);
    assert!(
        split.iter().any(|r| r["method"] == "log"),
        "the CSV has both"
    );
    let (kind, chain, year) = (
        kr.column(1, "Slag av del"),
        kr.column(1, "Kedja"),
        kr.column(1, "År"),
    );
    let (contribution, gap) = (
        kr.column(1, "Bidrag till skillnaden"),
        kr.column(1, "Skillnad"),
    );
    let mut sums: HashMap<(String, i64), (usize, f64, f64)> = HashMap::new();
    for r in kr.rows().into_iter().skip(1) {
        let key = (
            kr.at(r, chain).text().to_string(),
            kr.at(r, year).number() as i64,
        );
        let entry = sums.entry(key).or_insert((0, 0.0, 0.0));
        match kr.at(r, kind).text() {
            "total" => {
                entry.0 += 1;
                entry.2 = match kr.at(r, gap) {
                    Value::Number(g) => g,
                    _ => f64::NAN,
                };
            }
            "spridning"
            | "rest"
            | "täckning"
            | "kostnad per brukare"
            | "åldersstruktur"
            | "struktur"
            | "över referensen"
            | "del" => {
                entry.1 += kr.at(r, contribution).number();
            }
            other => panic!("a kind not in Swedish: {other}"),
        }
    }
    for ((chain, year), (totals, pieces, gap)) in &sums {
        assert_eq!(*totals, 1, "{chain} {year}: one total row");
        if gap.is_finite() && *pieces != 0.0 {
            assert!(
                (pieces - gap).abs() < 1e-6 * gap.abs().max(1.0),
                "{chain} {year}"
            );
        }
    }
    let status = kr.column(1, "Status");
    for r in kr.rows().into_iter().skip(1) {
        let s = kr.at(r, status);
        assert!(
            ["uppdelad", "inte uppdelad", "ingen jämförelse"].contains(&s.text()),
            "{s:?}"
        );
    }
}

#[test]
fn an_english_book_names_its_sheets_and_the_split_in_english() {
    let (_dir, out) = pack("tjorn-hosten.toml", &["--lang", "en"]);
    let book = out.join("report.xlsx");
    let names = sheet_names(&book);
    for name in [
        "Peers",
        "Data",
        "Cost explained",
        "Cost explained, geometric",
        "Source",
    ] {
        assert!(names.contains(&name.to_string()), "{name}: {names:?}");
    }
    let split = sheet(&book, "Cost explained");
    assert_eq!(split.at(1, 0), Value::Text("Municipality code".to_string()));
    let status = split.column(1, "Status");
    assert!(split
        .rows()
        .into_iter()
        .skip(1)
        .all(|r| ["split", "not split", "no comparison"].contains(&split.at(r, status).text())));
    let costs = sheet(&book, "Elderly care – costs");
    let header = costs.header("KPI", "Year");
    for heading in [
        "Year",
        "Marks",
        "Rank among peers",
        "Ranked among peers",
        "Difference from peers, %",
    ] {
        costs.column(header, heading);
    }
    // The CSV keeps its English columns in either language.
    let peers = std::fs::read_to_string(out.join("peers.csv")).unwrap();
    assert!(peers.starts_with("set,kpi,municipality_id,municipality,group,year,value\n"));
}

#[test]
fn peers_csv_holds_every_member_of_both_groups_with_its_own_value() {
    let (_dir, out) = pack("tjorn-hosten.toml", &[]);
    let text = std::fs::read_to_string(out.join("peers.csv")).unwrap();
    assert!(text.starts_with("set,kpi,municipality_id,municipality,group,year,value\n"));
    let manifest = std::fs::read_to_string(out.join(".nyckeltal.json")).unwrap();
    assert!(manifest.contains("\"peers.csv\""), "{manifest}");
    let rows = csv_rows(&text);
    let dump = dump_values("N20007");
    let n20007: Vec<&HashMap<String, String>> = rows
        .iter()
        .filter(|r| {
            r["set"] == "aldreomsorg-kostnad" && r["kpi"] == "N20007" && r["year"] == "2022"
        })
        .collect();
    for r in &n20007 {
        let value: f64 = r["value"].parse().unwrap();
        let id = r["municipality_id"].clone();
        assert!(close(value, dump[&(id, 2022, "T".to_string())]), "{r:?}");
    }
    let in_group = |prefix: &str| -> Vec<String> {
        n20007
            .iter()
            .filter(|r| r["group"].starts_with(prefix))
            .map(|r| r["municipality_id"].clone())
            .collect()
    };
    assert_eq!(in_group("G176709 "), group_member_ids("G176709"));
    assert_eq!(
        in_group("tjorn-aldreomsorg"),
        peer_list_ids("tjorn-aldreomsorg")
    );
    // Tjörn itself once, in no group; nobody else.
    let own: Vec<_> = n20007.iter().filter(|r| r["group"].is_empty()).collect();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0]["municipality"], "Tjörn");
    assert_eq!(n20007.len(), 1 + 7 + 7);
    // A group's rows average to the peers' mean of data.csv.
    let data = csv_rows(&std::fs::read_to_string(out.join("data.csv")).unwrap());
    for group in data.iter().filter(|r| {
        r["set"] == "aldreomsorg-kostnad" && r["kpi"] == "N20007" && r["year"] == "2022"
    }) {
        let values: Vec<f64> = n20007
            .iter()
            .filter(|r| r["group"] == group["peer_group"])
            .map(|r| r["value"].parse().unwrap())
            .collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let peer_mean: f64 = group["peer_mean"].parse().unwrap();
        assert!((mean - peer_mean).abs() < 1e-6, "{}", group["peer_group"]);
    }
    // Every year of the spec with a figure, every KPI of the sets with one.
    let years: std::collections::BTreeSet<&str> = rows.iter().map(|r| r["year"].as_str()).collect();
    assert_eq!(years.first(), Some(&"2013"));
    assert_eq!(years.last(), Some(&"2022"));
    assert!(rows.iter().any(|r| r["set"] == "aldreomsorg-kvalitet"));
    assert!(rows.iter().any(|r| r["set"] == "funktionshinder-kostnad"
        && r["group"].starts_with("tjorn-funktionshinder")));
}

#[test]
fn the_peers_sheet_has_a_row_per_place_and_a_number_per_year() {
    let (_dir, out) = pack("tjorn-hosten.toml", &[]);
    let book = out.join("report.xlsx");
    let names = sheet_names(&book);
    let at = names
        .iter()
        .position(|n| n == "Jämförelsekommuner")
        .unwrap();
    assert_eq!(names[at + 1], "Data", "before the tidy sheets: {names:?}");
    let peers = sheet(&book, "Jämförelsekommuner");
    let header = peers.header("Uppsättning", "Nyckeltal");
    let year_2013 = peers.column(header, "Kommun") + 2;
    let years: Vec<f64> = (0..10)
        .map(|i| peers.at(header, year_2013 + i).number())
        .collect();
    assert_eq!(years, (2013..=2022).map(f64::from).collect::<Vec<_>>());
    let kpi = "N20007 Kostnad äldreomsorg per invånare 65+, kr/inv 65+";
    let rows = peers.rows_where(
        header,
        &[
            ("Uppsättning", "Äldreomsorg – kostnader"),
            ("Nyckeltal", kpi),
        ],
    );
    assert_eq!(rows.len(), 15, "Tjörn and the seven of each group");
    let place = peers.column(header, "Kommun");
    let group = peers.column(header, "Jämförelsegrupp");
    assert_eq!(peers.at(rows[0], place), Value::Text("Tjörn".to_string()));
    assert_eq!(
        peers.at(rows[0], group),
        Value::Text("kommunen som granskas".to_string())
    );
    let dump = dump_values("N20007");
    let names_by_id: HashMap<String, String> = {
        let text = std::fs::read_to_string(shared_data().join("meta/municipality.json")).unwrap();
        let places: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        places
            .iter()
            .filter(|p| p["type"] == "K")
            .map(|p| {
                (
                    p["title"].as_str().unwrap().to_string(),
                    p["id"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    for r in rows {
        let name = peers.at(r, place);
        let id = &names_by_id[name.text()];
        let value = peers.at(r, year_2013 + 9).number();
        assert!(
            close(value, dump[&(id.clone(), 2022, "T".to_string())]),
            "{name:?}"
        );
    }
}

#[test]
fn a_networks_peers_are_its_members_with_the_figures_of_its_tables() {
    let (_dir, out) = pack("gr-natverk.toml", &[]);
    let peers = csv_rows(&std::fs::read_to_string(out.join("peers.csv")).unwrap());
    let data = csv_rows(&std::fs::read_to_string(out.join("data.csv")).unwrap());
    let key = |r: &HashMap<String, String>| {
        (
            r["set"].clone(),
            r["kpi"].clone(),
            r["municipality_id"].clone(),
            r["year"].clone(),
        )
    };
    let tables: HashMap<_, f64> = data
        .iter()
        .filter(|r| !r["value"].is_empty())
        .map(|r| (key(r), r["value"].parse().unwrap()))
        .collect();
    assert!(!peers.is_empty());
    for r in &peers {
        assert_eq!(r["group"], "Göteborgsregionen", "the network is the group");
        let value: f64 = r["value"].parse().unwrap();
        assert!(close(value, tables[&key(r)]), "{r:?}");
    }
    assert_eq!(peers.len(), tables.len(), "every member's figure, once");
    let sheets = sheet_names(&out.join("report.xlsx"));
    assert!(
        sheets.contains(&"Jämförelsekommuner".to_string()),
        "{sheets:?}"
    );
}

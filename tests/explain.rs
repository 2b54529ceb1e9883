//! `explain`: a cost gap split into coverage, cost per user and age
//! structure, recomputed here from the dump with an independent
//! computation (means by hand, Shapley values over every order of the
//! factors), the identities checked, a missing count and an implausible
//! user count reported.

mod common;

use std::collections::HashMap;

use common::*;

/// Tjörn's elderly care explained against its own list.
const TJORN_ELDERLY: [&str; 6] = [
    "explain",
    "Tjörn",
    "--area",
    "äldreomsorg",
    "--peers",
    "tjorn-aldreomsorg",
];

/// Figures of the dump by KPI, for (place, year).
struct Dump(HashMap<String, HashMap<(String, i32, String), f64>>);

impl Dump {
    fn new(kpis: &[&str]) -> Dump {
        Dump(
            kpis.iter()
                .map(|k| (k.to_string(), dump_values(k)))
                .collect(),
        )
    }

    fn get(&self, kpi: &str, place: &str, year: i32) -> f64 {
        self.0[kpi][&(place.to_string(), year, "T".to_string())]
    }
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Shapley values of a product's factors, averaged over every order in
/// which the factors change from the comparison's to the municipality's.
fn shapley_by_orders(constant: f64, own: &[f64], other: &[f64]) -> Vec<f64> {
    fn orders(n: usize) -> Vec<Vec<usize>> {
        if n == 0 {
            return vec![vec![]];
        }
        let mut out = Vec::new();
        for order in orders(n - 1) {
            for at in 0..=order.len() {
                let mut next = order.clone();
                next.insert(at, n - 1);
                out.push(next);
            }
        }
        out
    }
    let n = own.len();
    let all = orders(n);
    let mut shares = vec![0.0; n];
    for order in &all {
        let mut current: Vec<f64> = other.to_vec();
        for &i in order {
            let before = constant * current.iter().product::<f64>();
            current[i] = own[i];
            shares[i] += constant * current.iter().product::<f64>() - before;
        }
    }
    shares.iter().map(|s| s / all.len() as f64).collect()
}

fn explain_csv(args: &[&str]) -> Vec<HashMap<String, String>> {
    let mut all = vec!["explain"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "csv"]);
    csv_rows(&ok(nyckeltal_offline_snapshot().args(&all)))
}

fn number(row: &HashMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column}: {row:?}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The rows of one chain, year and method, by term kind.
fn rows_of<'a>(
    rows: &'a [HashMap<String, String>],
    chain: &str,
    year: &str,
    method: &str,
) -> HashMap<String, &'a HashMap<String, String>> {
    rows.iter()
        .filter(|r| r["chain"] == chain && r["year"] == year && r["method"] == method)
        .map(|r| (r["term_kind"].clone(), r))
        .collect()
}

/// A chain of two factors: total = constant × coverage × cost per user.
struct TwoFactors<'a> {
    chain: &'a str,
    total: &'a str,
    coverage: &'a dyn Fn(&str) -> f64,
    cost: &'a str,
    constant: f64,
}

/// Checks a two-factor chain for Tjörn in 2022 against a peer list, from the dump.
fn check_two_factors(
    rows: &[HashMap<String, String>],
    two: TwoFactors,
    peers: &[String],
    dump: &Dump,
) {
    let TwoFactors {
        chain,
        total,
        coverage,
        cost,
        constant,
    } = two;
    let year = 2022;
    let terms = rows_of(rows, chain, "2022", "kr");
    let own_total = dump.get(total, "1419", year);
    let peer_totals: Vec<f64> = peers.iter().map(|p| dump.get(total, p, year)).collect();
    let (u, c) = (coverage("1419"), dump.get(cost, "1419", year));
    let um = mean(&peers.iter().map(|p| coverage(p)).collect::<Vec<_>>());
    let cm = mean(
        &peers
            .iter()
            .map(|p| dump.get(cost, p, year))
            .collect::<Vec<_>>(),
    );
    let gap = own_total - mean(&peer_totals);
    assert!(close(number(terms["total"], "gap"), gap), "{chain}");
    let expected_coverage = constant * (u - um) * (c + cm) / 2.0;
    let expected_cost = constant * (c - cm) * (u + um) / 2.0;
    // The identity's own rounding is tiny: within a krona of the midpoint split.
    assert!(
        (number(terms["coverage"], "contribution") - expected_coverage).abs() < 1.0,
        "{chain}"
    );
    assert!(
        (number(terms["cost_per_user"], "contribution") - expected_cost).abs() < 1.0,
        "{chain}"
    );
    let spread = constant * um * cm - mean(&peer_totals);
    assert!(
        (number(terms["spread"], "contribution") - spread).abs() < 1.0,
        "{chain}"
    );
    assert!(close(number(terms["coverage"], "value"), u), "{chain}");
    assert!(
        close(number(terms["coverage"], "comparison_value"), um),
        "{chain}"
    );
}

#[test]
fn tjorns_gaps_split_as_recomputed_from_the_dump() {
    let dump = Dump::new(&[
        "N21009", "N21006", "N21701", "N23005", "N23009", "N23805", "N01956", "N01957", "N21024",
        "N28012", "N28013", "N28820",
    ]);
    let elderly = peer_list_ids("tjorn-aldreomsorg");
    let rows = explain_csv(&[
        "Tjörn",
        "--area",
        "äldreomsorg",
        "--peers",
        "tjorn-aldreomsorg",
        "--year",
        "2022",
    ]);
    let share = |p: &str| dump.get("N21701", p, 2022);
    check_two_factors(
        &rows,
        TwoFactors {
            chain: "hemtjanst-65",
            total: "N21009",
            coverage: &share,
            cost: "N21006",
            constant: 0.01,
        },
        &elderly,
        &dump,
    );
    // The worked example: −9 792 = −9 914 − 188 + 310.
    let home = rows_of(&rows, "hemtjanst-65", "2022", "kr");
    for (kind, expected) in [
        ("total", -9792.0),
        ("coverage", -9914.0),
        ("cost_per_user", -188.0),
        ("spread", 310.0),
    ] {
        assert_eq!(
            number(home[kind], "contribution").round(),
            expected,
            "{kind}"
        );
    }
    let residents = |p: &str| {
        100.0 * dump.get("N23805", p, 2022)
            / (dump.get("N01956", p, 2022) + dump.get("N01957", p, 2022))
    };
    check_two_factors(
        &rows,
        TwoFactors {
            chain: "sarskilt-boende-65",
            total: "N23005",
            coverage: &residents,
            cost: "N23009",
            constant: 0.01,
        },
        &elderly,
        &dump,
    );

    // Three factors and the rest: Shapley values over every order, by hand.
    let terms = rows_of(&rows, "hemtjanst-80", "2022", "kr");
    let factors = |p: &str| {
        let pop65 = dump.get("N01956", p, 2022) + dump.get("N01957", p, 2022);
        let f = [
            dump.get("N21701", p, 2022),
            dump.get("N21006", p, 2022),
            pop65 / dump.get("N01957", p, 2022),
        ];
        let rest = dump.get("N21024", p, 2022) / (0.01 * f.iter().product::<f64>());
        [f[0], f[1], f[2], rest]
    };
    let own = factors("1419");
    let means: Vec<f64> = (0..4)
        .map(|i| mean(&elderly.iter().map(|p| factors(p)[i]).collect::<Vec<_>>()))
        .collect();
    let expected = shapley_by_orders(0.01, &own, &means);
    for (kind, value) in ["coverage", "cost_per_user", "age_structure", "rest"]
        .iter()
        .zip(&expected)
    {
        assert!(
            close(number(terms[*kind], "contribution"), *value),
            "{kind}"
        );
    }

    let disability = peer_list_ids("tjorn-funktionshinder");
    let rows = explain_csv(&[
        "Tjörn",
        "--area",
        "lss",
        "--peers",
        "tjorn-funktionshinder",
        "--year",
        "2022",
    ]);
    let housing = |p: &str| dump.get("N28820", p, 2022);
    check_two_factors(
        &rows,
        TwoFactors {
            chain: "lss-boende",
            total: "N28012",
            coverage: &housing,
            cost: "N28013",
            constant: 1e-4,
        },
        &disability,
        &dump,
    );
}

#[test]
fn contributions_add_up_to_each_gap() {
    let mut rows = explain_csv(&["Tjörn", "--area", "äldreomsorg", "--years", "2018-2022"]);
    rows.extend(explain_csv(&[
        "Tjörn",
        "--area",
        "lss",
        "--years",
        "2018-2022",
    ]));
    rows.extend(explain_csv(&[
        "Vara",
        "--area",
        "äldreomsorg",
        "--against",
        "riket",
    ]));
    type Key = (String, String, String, String);
    let mut groups: HashMap<Key, Vec<&HashMap<String, String>>> = HashMap::new();
    for row in rows.iter().filter(|r| r["status"] == "split") {
        let key = (
            row["municipality"].clone(),
            row["chain"].clone(),
            row["year"].clone(),
            row["method"].clone(),
        );
        groups.entry(key).or_default().push(row);
    }
    assert!(groups.len() > 50, "{}", groups.len());
    for (key, group) in &groups {
        let total = group.iter().find(|r| r["term"] == "total").unwrap();
        let gap = number(total, "gap");
        let sum: f64 = group
            .iter()
            .filter(|r| r["term"] != "total")
            .map(|r| number(r, "contribution"))
            .sum();
        let largest = group
            .iter()
            .map(|r| number(r, "contribution").abs())
            .fold(gap.abs(), f64::max);
        assert!(
            (sum - gap).abs() <= 1e-9 * largest,
            "{key:?}: {sum} vs {gap}"
        );
        assert!(
            close(
                gap,
                number(total, "value") - number(total, "comparison_value")
            ),
            "{key:?}"
        );
    }
    // Against the country: Kolada's own Riket figures, no spread among peers.
    let riket: Vec<_> = rows
        .iter()
        .filter(|r| r["municipality"] == "Vara")
        .collect();
    assert!(riket.iter().all(|r| r["term"] != "spread"));
    let dump = dump_values("N21009");
    let total = riket
        .iter()
        .find(|r| {
            r["chain"] == "hemtjanst-65"
                && r["term"] == "total"
                && r["method"] == "kr"
                && r["year"] == "2022"
        })
        .unwrap();
    assert!(close(
        number(total, "comparison_value"),
        dump[&("0000".to_string(), 2022, "T".to_string())]
    ));
}

#[test]
fn the_log_split_is_exact_against_geometric_means() {
    let dump = Dump::new(&["N21009", "N21006", "N21701"]);
    let peers = peer_list_ids("tjorn-aldreomsorg");
    let rows = explain_csv(&[
        "Tjörn",
        "--area",
        "äldreomsorg",
        "--peers",
        "tjorn-aldreomsorg",
        "--year",
        "2022",
    ]);
    let terms = rows_of(&rows, "hemtjanst-65", "2022", "log");
    let geometric = |kpi: &str| {
        (peers
            .iter()
            .map(|p| dump.get(kpi, p, 2022).ln())
            .sum::<f64>()
            / peers.len() as f64)
            .exp()
    };
    let own = dump.get("N21009", "1419", 2022);
    let level = geometric("N21009");
    assert!(close(number(terms["total"], "comparison_value"), level));
    let weight = (own - level) / (own / level).ln();
    let coverage = weight * (dump.get("N21701", "1419", 2022) / geometric("N21701")).ln();
    assert!(close(number(terms["coverage"], "contribution"), coverage));
    assert!(!terms.contains_key("spread"), "exact: no spread");
}

#[test]
fn a_missing_count_leaves_the_gap_unsplit_and_says_why() {
    assert!(!dump_values("N23805").contains_key(&("0380".to_string(), 2022, "T".to_string())));
    let rows = explain_csv(&["Uppsala", "--area", "äldreomsorg", "--year", "2022"]);
    let housing: Vec<_> = rows
        .iter()
        .filter(|r| r["chain"] == "sarskilt-boende-65")
        .collect();
    assert_eq!(housing.len(), 1, "the total alone: {housing:?}");
    assert_eq!(housing[0]["status"], "unsplit");
    assert!(housing[0]["reason"].contains("N23805"), "{:?}", housing[0]);
    assert_ne!(housing[0]["gap"], "", "the gap is still given");
    let table = ok(nyckeltal_offline_snapshot().args([
        "explain",
        "Uppsala",
        "--area",
        "äldreomsorg",
        "--year",
        "2022",
    ]));
    assert!(
        table.contains("the gap is not split in 2022: no figure for N23805"),
        "{table}"
    );
}

#[test]
fn an_implausible_user_count_is_flagged() {
    let rows = explain_csv(&["Vara", "--area", "äldreomsorg", "--years", "2018-2021"]);
    let flags = |year: &str| {
        rows.iter()
            .find(|r| r["chain"] == "hemtjanst-65" && r["year"] == year && r["term"] == "total")
            .unwrap()["flags"]
            .clone()
    };
    // 338 → 505 users in 2018, 499 → 316 in 2021; few time-registered users in 2018–2020.
    assert!(
        flags("2018").contains("N21702 went from 338 to 505 (+49.4 %)"),
        "{}",
        flags("2018")
    );
    assert!(
        flags("2018").contains("only 323 of 505 users"),
        "{}",
        flags("2018")
    );
    assert!(
        flags("2021").contains("from 499 to 316"),
        "{}",
        flags("2021")
    );
    let table = ok(nyckeltal_offline_snapshot().args([
        "explain",
        "Vara",
        "--area",
        "äldreomsorg",
        "--years",
        "2018-2021",
    ]));
    assert!(
        table.contains("2018: N21702 went from 338 to 505"),
        "{table}"
    );
}

#[test]
fn the_terminal_reads_top_down_with_a_sentence() {
    let table = ok(nyckeltal_offline_snapshot().args(TJORN_ELDERLY));
    assert!(table.contains("N21009 = N21701 × N21006 / 100"), "{table}");
    assert!(
        table.contains("Home care, cost per inhabitant 65+ is 35.0 % lower than the peers'. This is because fewer people have home care (4.5 % against 6.9 %; 101.2 % of the gap)."),
        "{table}"
    );
    assert!(table.contains("Spread among the peers"), "{table}");
    assert!(table.contains("2021 ¦"), "the break is marked: {table}");
    assert!(table.contains("current prices"), "{table}");
    // One word per meaning: a product's rest is its rounding, a sum's rest
    // is a part of its own ("other").
    assert!(table.contains("Rounding in the identity"), "{table}");
    assert!(
        table.contains("N20007 = N21009 + N23005 + other"),
        "{table}"
    );
    assert!(
        table.contains("┆ rounding ┆") && table.contains("┆ other "),
        "{table}"
    );
    // 65+ per 80+ reads backwards: the share of 80+ among 65+ instead.
    assert!(
        table.contains("Share of 80+ among inhabitants 65+ (N01957 / (N01956 + N01957) × 100)"),
        "{table}"
    );
    assert!(table.contains("(24.8 % against 26.6 %"), "{table}");
}

#[test]
fn sentences_name_every_large_piece_and_no_share_where_pieces_cancel() {
    let elderly = ok(nyckeltal_offline_snapshot().args(TJORN_ELDERLY));
    // Special housing 80+: the coverage piece (56 % of the gap) is named
    // beside the cost per resident, and the age structure that pulls the
    // other way, as shares.
    assert!(
        elderly.contains("Special housing, cost per inhabitant 80+ is 13.1 % lower than the peers'. This is because each resident costs less (1 001 828 kr against 1 176 993 kr; 116.4 % of the gap) and fewer people live in special housing (2.9 % against 3.2 %; 55.8 % of the gap). It is partly offset because fewer of the old are 80 or older (24.8 % against 26.6 %; 50.8 % of the gap)."),
        "{elderly}"
    );
    let lss = ok(nyckeltal_offline_snapshot().args([
        "explain",
        "Tjörn",
        "--area",
        "lss",
        "--peers",
        "tjorn-funktionshinder",
        "--year",
        "2022",
    ]));
    // The LSS total names other support (69 % of the gap).
    assert!(
        lss.contains("and other support costs less per inhabitant (387 kr/inv against 615 kr/inv; 68.7 % of the gap)"),
        "{lss}"
    );
    // Daily activity: a −28 kr gap of two pieces of −287 and +209 kr. No
    // share of so small a gap is shown (it would be 1 032 % and −751 %),
    // and the sentence says the pieces nearly cancel, in kronor.
    assert!(
        lss.contains("Daily activity (LSS), cost per inhabitant is 2.9 % lower than the peers', but the gap hides pieces that nearly cancel: fewer people have daily activity (30.7 per 10 000 inv against 41.4 per 10 000 inv; -287 kr/inv) and each user costs more (298 540 kr against 240 598 kr; +209 kr/inv)."),
        "{lss}"
    );
    assert!(!lss.contains("1032") && !lss.contains("1 032"), "{lss}");
    // The reference identity that holds, not one true of any number.
    assert!(
        lss.contains("N28016 = N28026 × (1 + N28018 / 100)"),
        "{lss}"
    );
}

#[test]
fn bad_input_is_explained() {
    fails_offline(
        &["explain", "Tjörn", "--area", "skola"],
        3,
        "no cost chains for 'skola'",
    );
    fails_offline(
        &["explain", "Region Värmland", "--area", "lss"],
        2,
        "not a municipality",
    );
}

/// A spec for Tjörn's review with "Varför skiljer sig kostnaden?".
fn explain_spec(dir: &std::path::Path, extra: &str) -> std::path::PathBuf {
    let spec = dir.join("spec.toml");
    std::fs::write(
        &spec,
        format!(
            "municipality = \"Tjörn\"\nsets = [\"aldreomsorg-kostnad\"]\nyears = \"2018-2022\"\n{extra}"
        ),
    )
    .unwrap();
    spec
}

#[test]
fn the_pack_explains_each_chain_in_swedish_with_a_waterfall() {
    let dir = tempfile::tempdir().unwrap();
    let spec = explain_spec(
        dir.path(),
        "[explain]\naldreomsorg = \"tjorn-aldreomsorg\"\nlss = \"tjorn-funktionshinder\"\n",
    );
    let out = dir.path().join("pack");
    ok(nyckeltal_offline_snapshot()
        .args(["report"])
        .arg(&spec)
        .arg("-o")
        .arg(&out));
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    let section = &page[page.find("<section id=\"explain\">").expect("the section")..];
    assert!(section.contains("Varför skiljer sig kostnaden?"));
    // The sentence the issue asks for, from the numbers (Swedish style).
    let plain = section.replace('\u{a0}', " ");
    assert!(
        plain.contains("Hemtjänst, kostnad per invånare 65+ är 35,0 % lägre än jämförelsekommunernas. Det beror på att färre har hemtjänst (4,5 % mot 6,9 %; 101,2 % av skillnaden)."),
        "{}",
        &section[..3000.min(section.len())]
    );
    // Special housing is the other way round: mostly cost per resident
    // (a resident, not a place).
    assert!(section.contains("Särskilt boende, kostnad per invånare 65+ är 20,2"));
    assert!(plain.contains("Det beror på att varje brukare i särskilt boende kostar mindre"));
    assert!(!section.contains("varje plats"));
    assert!(plain.contains(
        "Det motverkas av att en mindre del av de äldre är 80 år eller äldre (24,8 % mot 26,6 %"
    ));
    // A waterfall per chain split in 2022: 5 elderly-care and 4 disability chains.
    assert_eq!(section.matches("<figure class=\"waterfall\">").count(), 9);
    assert!(section.contains("Delarnas bidrag till skillnaden (neutral färg"));
    assert!(
        section
            .matches("Källa: Kolada. Bearbetning: nyckeltal")
            .count()
            >= 9
    );
    // The gap in the table and its pieces, as the issue works them out.
    for figure in ["-9\u{a0}792", "-9\u{a0}914", "-188", "+310"] {
        let plain = figure.replace('\u{a0}', " ");
        assert!(
            section.contains(figure) || section.contains(&plain),
            "{figure}"
        );
    }
    assert!(section.contains("LSS-boende, kostnad per invånare"));
    // The workbook carries the split as a sheet.
    let workbook = zip_text(&out.join("report.xlsx"), "xl/workbook.xml");
    assert!(workbook.contains("Kostnadsförklaring"), "{workbook}");
}

#[test]
fn the_pack_explains_in_english_and_checks_its_spec() {
    let dir = tempfile::tempdir().unwrap();
    let spec = explain_spec(dir.path(), "explain = [\"äldreomsorg\"]\n");
    let out = dir.path().join("pack");
    ok(nyckeltal_offline_snapshot()
        .args(["report", "--lang", "en"])
        .arg(&spec)
        .arg("-o")
        .arg(&out));
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(page.contains("Why does the cost differ?"));
    // A list of areas is split against RKA's similar municipalities.
    assert!(page.contains("Liknande kommuner"), "auto peers named");
    // An area without chains, and explain in a network's review, are
    // named with their line.
    let bad = explain_spec(dir.path(), "explain = [\"skola\"]\n");
    let output = run(nyckeltal_offline_snapshot()
        .args(["report"])
        .arg(&bad)
        .arg("-o")
        .arg(dir.path().join("bad")));
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("spec.toml line 4"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("bad").exists(), "no half-written pack");
    let network = dir.path().join("network.toml");
    std::fs::write(
        &network,
        "network = \"goteborgsregionen\"\nsets = [\"aldreomsorg-kostnad\"]\nexplain = [\"lss\"]\n",
    )
    .unwrap();
    let output = run(nyckeltal_offline_snapshot()
        .args(["report"])
        .arg(&network)
        .arg("-o")
        .arg(dir.path().join("net")));
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("network.toml line 3")
            && stderr(&output).contains("explain is for a municipality's review"),
        "{}",
        stderr(&output)
    );
}

/// explain in Swedish: headings, term names, the sentence and the footer,
/// with decimal commas; its CSV keeps English columns.
#[test]
fn explain_speaks_swedish_with_lang_sv() {
    let args = TJORN_ELDERLY;
    let out = ok(nyckeltal_offline_snapshot()
        .args(args)
        .args(["--lang", "sv"]));
    for words in [
        "Tjörn — Äldreomsorg",
        "Hemtjänst, kostnad per invånare 65+ (kr/inv 65+) — N21009 = N21701 × N21006 / 100",
        "gruppens medel",
        "-9 792 (-35,0 %)",
        "Andel 65+ med hemtjänst (N21701)",
        "4,49",
        "täckning",
        "kostnad per brukare",
        "åldersstruktur",
        "är 35,0 % lägre än jämförelsekommunernas. Det beror på att färre har hemtjänst",
        "Jämfört med tjorn-aldreomsorg",
        "Kostnader i löpande priser.",
    ] {
        assert!(out.contains(words), "{words:?} in {out}");
    }
    for english in [
        "peers' mean",
        "coverage",
        "Compared with",
        "This is because",
    ] {
        assert!(!out.contains(english), "{english:?} in {out}");
    }
    let csv = ok(nyckeltal_offline_snapshot()
        .args(args)
        .args(["--lang", "sv", "--format", "csv"]));
    assert!(
        csv.starts_with("municipality_id,municipality,year,area,chain,chain_label"),
        "{csv}"
    );
}

/// A chain file with a factor block repeated `factors` times and
/// `extra` lines in its chain (constants, scales).
fn chain_file(dir: &std::path::Path, factors: usize, extra: &str, factor_extra: &str) -> String {
    let mut text = format!(
        "title = \"Test\"\narea = \"äldreomsorg\"\n\n[[chain]]\nid = \"hemtjanst\"\ntotal = \"N21009\"\nlabel = \"Hemtjänst\"\nunit = \"kr\"\n{extra}\n"
    );
    for _ in 0..factors {
        text.push_str(&format!(
            "\n[[chain.factor]]\nkind = \"coverage\"\nnumerator = [\"N21701\"]\nlabel = \"Andel\"\nmore = \"fler\"\nless = \"färre\"\n{factor_extra}\n"
        ));
    }
    let path = dir.join("chain.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Chain files are bounded where they are read: few factors (a product's
/// split goes over every order of them), numbers within range; exit 2
/// naming the file and line, never a panic, minutes of work or "NaN".
#[test]
fn chain_files_out_of_bounds_are_refused_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (63, "", "", "at most 6 factors"),
        (20, "", "", "at most 6 factors"),
        (
            2,
            "constant = 1e300",
            "",
            "constant = 1e300 is not a positive number between",
        ),
        (
            2,
            "",
            "scale = 5e-324",
            "scale = 5e-324 is not a positive number between",
        ),
        (
            2,
            "",
            "offset = -1e200",
            "offset = -1e200 is not a number between",
        ),
        (
            2,
            "tolerance = 3.0",
            "",
            "tolerance = 3 is not a share between 0 and 1",
        ),
    ];
    let explain = |path: &str| {
        [
            "explain",
            "Tjörn",
            "--area",
            path,
            "--peers",
            "tjorn-aldreomsorg",
        ]
        .map(str::to_string)
    };
    for (factors, extra, factor_extra, needle) in cases {
        let path = chain_file(dir.path(), factors, extra, factor_extra);
        let args = explain(&path);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        fails_offline(&args, 2, needle);
        fails_offline(&args, 2, &format!("{path} line 5"));
    }
    // Within bounds, the same file explains.
    let path = chain_file(dir.path(), 2, "constant = 0.01", "");
    ok(nyckeltal_offline_snapshot().args(explain(&path)));
}

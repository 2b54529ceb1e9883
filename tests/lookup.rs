//! Looking things up: KPI search, municipality names, groups and peers.

mod common;

use common::*;

#[test]
fn kpi_search_finds_net_cost_deviation_first() {
    let out = ok(nyckeltal_offline_snapshot().args([
        "kpi",
        "search",
        "aldreomsorg",
        "nettokostnadsavvikelse",
        "--format",
        "csv",
    ]));
    assert_eq!(
        out.lines().nth(1).unwrap().split(',').next(),
        Some("N20900"),
        "{out}"
    );
    let area = ok(nyckeltal_offline_snapshot().args([
        "kpi",
        "search",
        "hemtjänst",
        "--area",
        "Äldre",
        "--format",
        "csv",
    ]));
    assert!(area.lines().skip(1).all(|l| l.contains("Äldre")), "{area}");
}

#[test]
fn kpi_show_tells_publication_and_gender_split() {
    let out = ok(nyckeltal_offline_snapshot().args(["kpi", "show", "u21468", "--format", "csv"]));
    for needle in [
        "divided by gender,yes",
        "latest year,2026",
        "final publication,2026-10-04",
        "operating area,Äldre och funktionshinder",
    ] {
        assert!(out.contains(needle), "{needle} in {out}");
    }
}

#[test]
fn municipalities_are_found_by_code_name_and_genitive() {
    for typed in ["1419", "Tjörn", "tjorn", "Tjörns kommun", "TJÖRN"] {
        let out = ok(nyckeltal_offline_snapshot().args([
            "values",
            "--kpi",
            "N20900",
            "--municipality",
            typed,
            "--years",
            "2022",
            "--format",
            "csv",
        ]));
        assert!(out.contains("N20900,1419,Tjörn,2022,T,"), "{typed}: {out}");
    }
    let search = ok(nyckeltal_offline_snapshot().args([
        "municipality",
        "search",
        "göte",
        "--format",
        "csv",
    ]));
    assert!(search.contains("1480,Göteborg,K"), "{search}");
    let regions = ok(nyckeltal_offline_snapshot().args([
        "municipality",
        "list",
        "--type",
        "L",
        "--format",
        "csv",
    ]));
    assert_eq!(
        regions.lines().count(),
        1 + 22,
        "21 regions and Riket: {regions}"
    );
    let kommuner = ok(nyckeltal_offline_snapshot().args([
        "municipality",
        "list",
        "--type",
        "K",
        "--format",
        "csv",
    ]));
    assert_eq!(kommuner.lines().count(), 1 + 290);
}

#[test]
fn group_ids_select_their_members_and_all_selects_290() {
    let gr = ok(nyckeltal_offline_snapshot().args([
        "values",
        "--kpi",
        "N20900",
        "--municipality",
        "G96190",
        "--years",
        "2022",
        "--format",
        "csv",
    ]));
    assert_eq!(gr.lines().count(), 1 + 13, "{gr}");
    let all = ok(nyckeltal_offline_snapshot().args([
        "values",
        "--kpi",
        "N20900",
        "--municipality",
        "all",
        "--years",
        "2022",
        "--format",
        "csv",
    ]));
    let ids: std::collections::HashSet<&str> = all
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(ids.len(), 290, "every municipality has N20900 for 2022");
    assert!(
        !ids.contains("0000") && !ids.contains("0014"),
        "no regions or Riket"
    );
}

#[test]
fn group_peers_gives_the_current_similar_municipalities() {
    for area in ["äldreomsorg", "aldreomsorg", "Äldreomsorg"] {
        let out =
            ok(nyckeltal_offline_snapshot().args(["group", "peers", "Tjörn", "--area", area]));
        assert!(
            out.contains("G176709") && out.contains("Liknande kommuner äldreomsorg, Tjörn, 2024"),
            "{out}"
        );
    }
    let lss = ok(nyckeltal_offline_snapshot()
        .args(["group", "peers", "1419", "--area", "lss", "--format", "csv"]));
    assert_eq!(lss.lines().count(), 1 + 7);
    let overall = ok(nyckeltal_offline_snapshot().args([
        "group",
        "peers",
        "Tjörn",
        "--area",
        "övergripande",
    ]));
    assert!(
        overall.contains("Liknande kommuner, övergripande, Tjörn, 2025"),
        "{overall}"
    );
    let bad =
        run(nyckeltal_offline_snapshot().args(["group", "peers", "Tjörn", "--area", "aldre"]));
    assert_eq!(bad.status.code(), Some(3));
    assert!(
        stderr(&bad).contains("äldreomsorg, LSS"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn group_show_and_list() {
    let show = ok(nyckeltal_offline_snapshot().args([
        "group",
        "show",
        "Göteborgsregionen (ovägt medel)",
        "--format",
        "csv",
    ]));
    assert_eq!(show.lines().count(), 1 + 13);
    assert!(show.contains("1419,Tjörn"));
    let list = ok(nyckeltal_offline_snapshot().args([
        "group",
        "list",
        "--search",
        "liknande kommuner aldreomsorg, tjorn",
        "--format",
        "csv",
    ]));
    assert!(list.contains("G176709"), "{list}");
}

#[test]
fn names_that_fold_alike_stay_apart() {
    let out = ok(nyckeltal_offline_snapshot().args([
        "values",
        "--kpi",
        "N20900",
        "--municipality",
        "Habo,Håbo",
        "--years",
        "2022",
        "--format",
        "csv",
    ]));
    assert!(
        out.contains(",0643,Habo,") && out.contains(",0305,Håbo,"),
        "{out}"
    );
    let habo =
        ok(nyckeltal_offline_snapshot().args(["group", "peers", "Habo", "--area", "äldreomsorg"]));
    assert!(
        habo.contains("Liknande kommuner äldreomsorg, Habo,"),
        "{habo}"
    );
    let hobo =
        ok(nyckeltal_offline_snapshot().args(["group", "peers", "Håbo", "--area", "äldreomsorg"]));
    assert!(
        hobo.contains("Liknande kommuner äldreomsorg, Håbo,"),
        "{hobo}"
    );
}

#[test]
fn out_of_range_numbers_are_refused_not_panicked_on() {
    for args in [
        vec!["--max-rate", "1e-20", "kpi", "search", "x"],
        vec!["--timeout", "0", "kpi", "search", "x"],
    ] {
        let output = run(nyckeltal_offline_snapshot().args(&args));
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

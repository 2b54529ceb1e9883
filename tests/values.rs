//! `values` and `fetch` against the emulator and the snapshot: exact figures,
//! request counts, the cache, and faults that must not change the output.

mod common;

use common::*;

const TEN_KPIS: &str = "N20900,N20029,N20007,N20048,N21006,N23009,N28018,N28021,N28013,N28015";

#[test]
fn values_equal_the_dump_through_the_api_and_the_snapshot() {
    let emulator = emulator();
    let cache = tempfile::tempdir().unwrap();
    // U21468 is divided by gender; N20900 is not; G96190 is Göteborgsregionen's 13.
    let args = [
        "values",
        "--kpi",
        "N20900,U21468,N28013",
        "--municipality",
        "Tjörn,G96190,0180",
        "--years",
        "2010-2022",
        "--gender",
        "all",
        "--format",
        "csv",
    ];
    let via_api = ok(nyckeltal(&emulator.url(), cache.path()).args(args));
    let via_snapshot = ok(nyckeltal_offline_snapshot().args(args));
    assert_eq!(
        via_api, via_snapshot,
        "API and snapshot give the same table"
    );

    let rows = csv_rows(&via_api);
    let municipalities: std::collections::HashSet<&str> =
        rows.iter().map(|r| r["municipality_id"].as_str()).collect();
    assert_eq!(
        municipalities.len(),
        14,
        "the 13 GR members (Tjörn among them) and Stockholm: {municipalities:?}"
    );
    let mut expected = 0;
    for kpi in ["N20900", "U21468", "N28013"] {
        let dump = dump_values(kpi);
        for ((id, year, _), _) in dump.iter() {
            if municipalities.contains(id.as_str()) && (2010..=2022).contains(year) {
                expected += 1;
            }
        }
        for row in rows.iter().filter(|r| r["kpi"] == kpi) {
            let key = (
                row["municipality_id"].clone(),
                row["year"].parse().unwrap(),
                row["gender"].clone(),
            );
            let printed: f64 = row["value"].parse().unwrap();
            assert_eq!(
                Some(&printed),
                dump.get(&key),
                "{kpi} {key:?} must equal the dump to the last digit"
            );
        }
    }
    assert_eq!(
        rows.len(),
        expected,
        "one row per value in the dump, none missing, none invented"
    );
    assert!(rows.iter().any(|r| r["gender"] == "K") && rows.iter().any(|r| r["gender"] == "M"));
}

/// Rows Kolada sends for these KPIs for everybody in 1998–2022: one per
/// entity and year with a value, counted in the dump.
fn rows_in_dump(kpis: &[String]) -> usize {
    kpis.iter()
        .map(|kpi| {
            dump_values(kpi)
                .keys()
                .filter(|(_, year, _)| (1998..=2022).contains(year))
                .map(|(id, year, _)| (id.clone(), *year))
                .collect::<std::collections::HashSet<_>>()
                .len()
        })
        .sum()
}

/// The first `n` KPIs of the dump (by id) that Kolada publishes for municipalities.
fn first_municipal_kpis(n: usize) -> Vec<String> {
    let text = std::fs::read_to_string(shared_data().join("meta/kpi.json")).unwrap();
    let catalogue: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let mut ids: Vec<String> =
        std::fs::read_dir(shared_data().join("ddf/datapoints--by--geo--year"))
            .unwrap()
            .flatten()
            .map(|e| {
                e.file_name()
                    .to_string_lossy()
                    .split("--")
                    .nth(2)
                    .unwrap()
                    .to_uppercase()
            })
            .filter(|id| {
                catalogue
                    .iter()
                    .any(|k| k["id"] == *id && k["municipality_type"] != "L")
            })
            .collect();
    ids.sort();
    ids.truncate(n);
    ids
}

#[test]
fn cold_fetches_take_the_fewest_requests_metadata_included() {
    let emulator = emulator();
    let asked = |cache: &std::path::Path, args: &[&str]| {
        let (all, data) = (
            emulator.requests(),
            emulator
                .counters()
                .data_requests
                .load(std::sync::atomic::Ordering::SeqCst),
        );
        ok(nyckeltal(&emulator.url(), cache).args(args));
        (
            emulator.requests() - all,
            emulator
                .counters()
                .data_requests
                .load(std::sync::atomic::Ordering::SeqCst)
                - data,
        )
    };
    let fetch = |kpis: &str, who: &str, years: &str| {
        vec![
            "fetch",
            "--kpi",
            kpis,
            "--municipality",
            who,
            "--years",
            years,
        ]
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<String>>()
    };

    // W1: 10 KPIs × 290 × 1998–2022: the data in full pages, one request
    // for the KPIs' metadata and one for the municipality list.
    let ten: Vec<String> = TEN_KPIS.split(',').map(str::to_string).collect();
    let minimum = rows_in_dump(&ten).div_ceil(5000);
    let cache = tempfile::tempdir().unwrap();
    let w1 = fetch(TEN_KPIS, "all", "1998-2022");
    let w1: Vec<&str> = w1.iter().map(String::as_str).collect();
    let (all, data) = asked(cache.path(), &w1);
    assert_eq!(data, minimum, "W1: the fewest data requests there can be");
    assert!(all <= 12 && all == data + 2, "W1: {all} requests");
    // W4: W1 again: nothing at all.
    assert_eq!(asked(cache.path(), &w1), (0, 0), "W4");

    // W2: 10 KPIs × 8 municipalities × 2018–2022: one data request.
    let cache = tempfile::tempdir().unwrap();
    let w2 = fetch(
        TEN_KPIS,
        "Tjörn,Eksjö,Tranås,Markaryd,Tomelilla,Öckerö,Töreboda,Fagersta",
        "2018-2022",
    );
    let w2: Vec<&str> = w2.iter().map(String::as_str).collect();
    let (all, data) = asked(cache.path(), &w2);
    assert_eq!((all, data), (3, 1), "W2");

    // W3: 100 KPIs × 290 × 1998–2022: four queries of 25 KPIs, each paged
    // (at most one page short of full per query); the whole catalogue (two
    // pages) is cheaper than four requests by id.
    let hundred = first_municipal_kpis(100);
    let minimum = rows_in_dump(&hundred).div_ceil(5000);
    let cache = tempfile::tempdir().unwrap();
    let joined = hundred.join(",");
    let w3 = fetch(&joined, "all", "1998-2022");
    let w3: Vec<&str> = w3.iter().map(String::as_str).collect();
    let (all, data) = asked(cache.path(), &w3);
    assert!(
        data >= minimum && data <= minimum + 3,
        "W3: {data} data requests, minimum {minimum}"
    );
    assert!(all <= 45 && all == data + 3, "W3: {all} requests");
}

#[test]
fn a_bulk_fetch_needs_at_most_12_requests_and_its_repeat_none() {
    let emulator = emulator();
    let cache = tempfile::tempdir().unwrap();
    let args = [
        "fetch",
        "--kpi",
        TEN_KPIS,
        "--municipality",
        "all",
        "--years",
        "1998-2022",
    ];
    let first = ok(nyckeltal(&emulator.url(), cache.path()).args(args));
    let requests = emulator.requests();
    assert!(
        requests <= 12,
        "{requests} requests for 10 KPIs × 290 × 25 years: {first}"
    );
    assert!(
        first.contains(&format!("{requests} request(s) to Kolada")),
        "{first}"
    );

    let repeat = ok(nyckeltal(&emulator.url(), cache.path()).args(args));
    assert_eq!(
        emulator.requests(),
        requests,
        "the repeat asks Kolada nothing"
    );
    assert!(repeat.contains("0 request(s) to Kolada"), "{repeat}");
    let served: usize = repeat.split_whitespace().next().unwrap().parse().unwrap();
    assert!(
        served > 30_000 && repeat.contains(&format!("{served} value(s) served from the cache")),
        "{repeat}"
    );

    // A subset of what was fetched is answered from the cache too, offline.
    let subset = ok(nyckeltal(&emulator.url(), cache.path()).args([
        "--offline",
        "values",
        "--kpi",
        "N20900",
        "--municipality",
        "Tjörn",
        "--years",
        "2020",
        "--format",
        "csv",
    ]));
    let dump = dump_values("N20900");
    assert_eq!(
        subset.lines().nth(1).unwrap(),
        format!(
            "N20900,1419,Tjörn,2020,T,{}",
            dump[&("1419".to_string(), 2020, "T".to_string())]
        )
    );
    assert_eq!(emulator.requests(), requests);
}

#[test]
fn faults_on_the_server_do_not_change_the_output() {
    let args = [
        "values",
        "--kpi",
        "N20900,N20007,U21468",
        "--municipality",
        "all",
        "--years",
        "2012-2022",
        "--gender",
        "all",
        "--format",
        "csv",
    ];
    let clean = emulator();
    let clean_cache = tempfile::tempdir().unwrap();
    let expected = ok(nyckeltal(&clean.url(), clean_cache.path()).args(args));

    let faulty = emulator_with(|c| {
        c.fail_rate = 0.2;
        c.rate_limit = 5.0;
        c.truncate_rate = 0.05;
        c.seed = 7;
    });
    let faulty_cache = tempfile::tempdir().unwrap();
    let got = ok(nyckeltal(&faulty.url(), faulty_cache.path())
        .args(["--tries", "10", "--jobs", "4"])
        .args(args));
    assert!(
        faulty
            .counters()
            .faults
            .load(std::sync::atomic::Ordering::SeqCst)
            > 0,
        "faults were injected"
    );
    assert_eq!(
        got, expected,
        "byte-identical despite 5xx, 429 and truncated bodies"
    );
}

#[test]
fn relative_next_urls_are_followed_across_pages() {
    let emulator = emulator_with(|c| c.relative_next_url = true);
    let cache = tempfile::tempdir().unwrap();
    // The catalogue has 6,099 KPIs: two pages of 5,000. U85421 is the last one.
    let shown =
        ok(nyckeltal(&emulator.url(), cache.path())
            .args(["kpi", "show", "U85421", "--format", "csv"]));
    assert!(shown.contains("id,U85421"), "{shown}");
}

#[test]
fn a_corrupt_cache_file_is_discarded_and_fetched_again() {
    let emulator = emulator();
    let cache = tempfile::tempdir().unwrap();
    let args = [
        "values",
        "--kpi",
        "N20900",
        "--municipality",
        "Tjörn,Öckerö",
        "--years",
        "2015-2022",
        "--format",
        "csv",
    ];
    let good = ok(nyckeltal(&emulator.url(), cache.path()).args(args));
    let file = walk(cache.path())
        .into_iter()
        .find(|p| p.ends_with("values/N20900.json"))
        .expect("cached values file");
    let text = std::fs::read_to_string(&file).unwrap();
    // Change one digit of a value: still valid JSON, but a wrong number.
    let digit = text.rfind(|c: char| c.is_ascii_digit()).unwrap();
    let mut bytes = text.into_bytes();
    bytes[digit] = if bytes[digit] == b'1' { b'2' } else { b'1' };
    std::fs::write(&file, bytes).unwrap();

    let before = emulator.requests();
    let output = run(nyckeltal(&emulator.url(), cache.path()).args(args));
    assert!(output.status.success());
    assert!(
        stderr(&output).contains("corrupt cache file"),
        "{}",
        stderr(&output)
    );
    assert_eq!(stdout(&output), good, "never a wrong number");
    assert!(emulator.requests() > before, "refetched");
}

#[test]
fn exports_pick_the_format_from_the_extension() {
    let emulator = emulator();
    let cache = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let base = [
        "values",
        "--kpi",
        "N20900",
        "--municipality",
        "Tjörn",
        "--years",
        "2018-2022",
    ];
    let csv = ok(nyckeltal(&emulator.url(), cache.path())
        .args(base)
        .args(["--format", "csv"]));
    let json_path = out.path().join("t.json");
    let parquet_path = out.path().join("t.parquet");
    ok(nyckeltal(&emulator.url(), cache.path())
        .args(base)
        .arg("-o")
        .arg(&json_path));
    ok(nyckeltal(&emulator.url(), cache.path())
        .args(base)
        .arg("-o")
        .arg(&parquet_path));

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    let rows = json.as_array().unwrap();
    let dump = dump_values("N20900");
    assert_eq!(rows.len(), 5);
    for row in rows {
        let key = (
            "1419".to_string(),
            row["year"].as_i64().unwrap() as i32,
            "T".to_string(),
        );
        assert_eq!(row["value"].as_f64(), dump.get(&key).copied());
        assert_eq!(row["municipality"], "Tjörn");
    }
    let (height, values) = parquet_f64_column(&parquet_path, "value");
    assert_eq!(height, 5);
    let from_csv: Vec<Option<f64>> = csv_rows(&csv)
        .iter()
        .map(|r| r["value"].parse().ok())
        .collect();
    assert_eq!(values, from_csv);
}

/// A Parquet file's row count and one f64 column, decoded with polars' own
/// Parquet reader (the crate the export is written with).
fn parquet_f64_column(path: &std::path::Path, name: &str) -> (usize, Vec<Option<f64>>) {
    use polars_core::prelude::{DataType, Series};
    use polars_parquet::read::{
        column_iter_to_arrays, get_page_iterator, infer_schema, read_metadata, BasicDecompressor,
    };
    let bytes = std::fs::read(path).unwrap();
    let metadata = read_metadata(&mut std::io::Cursor::new(&bytes)).unwrap();
    let field = infer_schema(&metadata).unwrap().get(name).unwrap().clone();
    let mut values = Vec::new();
    for group in &metadata.row_groups {
        let chunk = group.columns_under_root_iter(name).unwrap().next().unwrap();
        let reader = std::io::Cursor::new(bytes.clone().into());
        let pages = get_page_iterator(chunk, reader, Vec::new(), usize::MAX).unwrap();
        let columns = vec![BasicDecompressor::new(pages, Vec::new())];
        let types = vec![&chunk.descriptor().descriptor.primitive_type];
        let (arrays, _) = column_iter_to_arrays(columns, types, field.clone(), None).unwrap();
        let series = Series::try_from((&field, arrays)).unwrap();
        assert_eq!(series.dtype(), &DataType::Float64);
        values.extend(series.f64().unwrap().iter());
    }
    (metadata.num_rows, values)
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn requests_go_through_the_proxy_from_the_environment() {
    // The emulator answers absolute-form requests, as a proxy would. The API
    // host does not exist: only a client that uses HTTP_PROXY gets an answer.
    let proxy = emulator();
    let cache = tempfile::tempdir().unwrap();
    let out = ok(nyckeltal("http://kolada.invalid/v3", cache.path())
        .env("HTTP_PROXY", format!("http://{}", proxy.addr()))
        .args([
            "values",
            "--kpi",
            "N20900",
            "--municipality",
            "1419",
            "--years",
            "2022",
            "--format",
            "csv",
        ]));
    assert!(out.contains("N20900,1419,Tjörn,2022,T,"), "{out}");
    assert!(proxy.requests() > 0);
}

#[test]
fn refresh_asks_kolada_again() {
    let emulator = emulator();
    let cache = tempfile::tempdir().unwrap();
    let args = [
        "fetch",
        "--kpi",
        "N20900",
        "--municipality",
        "Tjörn",
        "--years",
        "2020-2022",
    ];
    ok(nyckeltal(&emulator.url(), cache.path()).args(args));
    let first = emulator.requests();
    ok(nyckeltal(&emulator.url(), cache.path()).args(args));
    assert_eq!(emulator.requests(), first);
    let refreshed = ok(nyckeltal(&emulator.url(), cache.path())
        .arg("--refresh")
        .args(args));
    assert!(
        emulator.requests() >= 2 * first,
        "metadata and values fetched again"
    );
    assert!(
        refreshed.contains("0 value(s) served from the cache"),
        "{refreshed}"
    );
}

#[test]
fn refresh_keeps_what_it_was_not_asked_to_refresh() {
    let emulator = emulator();
    let cache = tempfile::tempdir().unwrap();
    ok(nyckeltal(&emulator.url(), cache.path()).args([
        "fetch",
        "--kpi",
        "N20900",
        "--municipality",
        "Tjörn",
        "--years",
        "2018-2020",
    ]));
    ok(nyckeltal(&emulator.url(), cache.path()).args([
        "--refresh",
        "fetch",
        "--kpi",
        "N20900",
        "--municipality",
        "Tjörn",
        "--years",
        "2021-2022",
    ]));
    let out = ok(nyckeltal(&emulator.url(), cache.path()).args([
        "--offline",
        "values",
        "--kpi",
        "N20900",
        "--municipality",
        "Tjörn",
        "--years",
        "2018-2022",
        "--format",
        "csv",
    ]));
    assert_eq!(csv_rows(&out).len(), 5, "{out}");
}

#[test]
fn a_groups_own_value_is_koladas_mean_through_api_and_snapshot() {
    let emulator = emulator();
    let cache = tempfile::tempdir().unwrap();
    let args = [
        "values",
        "--kpi",
        "N20900,U21468",
        "--municipality",
        "mean:G96190",
        "--years",
        "2020-2022",
        "--gender",
        "all",
        "--format",
        "csv",
    ];
    let via_api = ok(nyckeltal(&emulator.url(), cache.path()).args(args));
    let via_snapshot = ok(nyckeltal_offline_snapshot().args(args));
    let (api, snapshot) = (csv_rows(&via_api), csv_rows(&via_snapshot));
    assert_eq!(api.len(), snapshot.len());
    assert!(
        api.len() >= 9,
        "T for N20900, T/K/M for U21468 (no survey figures for 2021): {via_api}"
    );
    for (a, s) in api.iter().zip(&snapshot) {
        assert_eq!(
            (&a["kpi"], &a["year"], &a["gender"]),
            (&s["kpi"], &s["year"], &s["gender"])
        );
        let (x, y): (f64, f64) = (a["value"].parse().unwrap(), s["value"].parse().unwrap());
        assert!((x - y).abs() <= 1e-9 * x.abs().max(1.0));
        assert_eq!(a["municipality"], "Göteborgsregionen (ovägt medel)");
    }
}

/// The distinct KPIs of a `values --format csv` table, in order of first row.
fn kpis_of(csv: &str) -> Vec<String> {
    let mut kpis: Vec<String> = Vec::new();
    for row in csv_rows(csv) {
        if !kpis.contains(&row["kpi"]) {
            kpis.push(row["kpi"].clone());
        }
    }
    kpis
}

/// KPIs named by a file of ids, by `all` (what the source holds) and by a
/// set give the same figures as the ids typed out.
#[test]
fn kpis_by_file_all_and_set() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("kpis.txt");
    std::fs::write(&list, "N28018\n# elderly care\nN20900  # the headline\n\n").unwrap();
    let small = dir.path().join("small");
    let at_list = format!("@{}", list.display());
    ok(nyckeltal_offline_snapshot()
        .args(["snapshot", "save"])
        .arg(&small)
        .args(["--kpi", &at_list, "--years", "2021-2022"]));
    let table = [
        "--municipality",
        "all",
        "--years",
        "2021-2022",
        "--format",
        "csv",
    ];

    let typed = ok(nyckeltal_offline_snapshot()
        .args(["values", "--kpi", "N20900,N28018"])
        .args(table));
    let from_file = ok(nyckeltal_offline_snapshot()
        .args(["values", "--kpi", &at_list])
        .args(table));
    assert_eq!(kpis_of(&from_file), ["N20900", "N28018"]);
    assert_eq!(from_file, typed, "a file of ids is the ids typed out");
    let every = ok(nyckeltal_on_snapshot(&small)
        .args(["values", "--kpi", "all"])
        .args(table));
    assert_eq!(every, typed, "all: every KPI the snapshot holds, no more");

    let set = ok(nyckeltal_offline_snapshot().args([
        "set",
        "show",
        "aldreomsorg-kostnad",
        "--format",
        "csv",
    ]));
    let set_ids: Vec<String> = csv_rows(&set).iter().map(|r| r["kpi"].clone()).collect();
    let by_set = ok(nyckeltal_offline_snapshot()
        .args(["values", "--set", "aldreomsorg-kostnad"])
        .args(table));
    let by_ids = ok(nyckeltal_offline_snapshot()
        .args(["values", "--kpi", &set_ids.join(",")])
        .args(table));
    assert_eq!(by_set, by_ids, "--set is its KPIs typed out");
    assert_eq!(kpis_of(&by_set).len(), set_ids.len(), "{by_set}");
}

/// Offline, `--kpi all` is what the cache holds.
#[test]
fn kpi_all_offline_is_what_the_cache_holds() {
    let emulator = emulator();
    let cache = tempfile::tempdir().unwrap();
    let selection = ["--municipality", "Tjörn", "--years", "2022"];
    ok(nyckeltal(&emulator.url(), cache.path())
        .args(["fetch", "--kpi", "N20007,U21468"])
        .args(selection));
    let held = ok(nyckeltal(&emulator.url(), cache.path())
        .args(["--offline", "values", "--kpi", "all", "--format", "csv"])
        .args(selection));
    assert_eq!(kpis_of(&held), ["N20007", "U21468"]);
}

#[test]
fn kpi_lists_that_cannot_be_read_are_refused() {
    let selection = ["--municipality", "Tjörn", "--years", "2022"];
    let missing = ["values", "--kpi", "@/nonexistent/kpis.txt"];
    fails_offline(
        &[&missing[..], &selection[..]].concat(),
        2,
        "cannot read the KPI list",
    );
    let folder = ["values", "--kpi", "@/"];
    fails_offline(
        &[&folder[..], &selection[..]].concat(),
        2,
        "not a regular file",
    );
    fails_offline(&[&["values"][..], &selection[..]].concat(), 2, "--kpi");
    fails_offline(
        &["compare", "Tjörn", "--kpi", "all"],
        2,
        "--kpi all is for values",
    );
}

/// `n` KPIs (by id, from the `skip`th on) that the shared dump has
/// figures for and the catalogue knows, one per line.
fn dump_kpis(skip: usize, n: usize) -> String {
    let catalogue = std::fs::read_to_string(shared_data().join("meta/kpi.json")).unwrap();
    let mut ids: Vec<String> =
        std::fs::read_dir(shared_data().join("ddf/datapoints--by--geo--year"))
            .unwrap()
            .filter_map(|f| {
                let name = f.ok()?.file_name().into_string().ok()?;
                let id = name
                    .strip_prefix("ddf--datapoints--")?
                    .strip_suffix("--by--geo--year.csv")?;
                Some(id.to_uppercase())
            })
            .filter(|id| catalogue.contains(&format!("\"{id}\"")))
            .collect();
    ids.sort();
    ids[skip..skip + n].join("\n")
}

/// A fetch stopped half-way (Ctrl-C) and run again asks at most 10 % more
/// than one that runs through, and the cache ends with the same figures.
#[test]
#[cfg(unix)]
fn a_stopped_fetch_resumes_where_it_stopped() {
    use std::sync::atomic::Ordering;
    let emulator = emulator_with(|c| c.latency = std::time::Duration::from_millis(5));
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("kpis.txt");
    // Two queries of 25 KPIs, about 40 pages in all. One at a time: a stop
    // loses at most three pages (one in flight, one waiting to be taken
    // in, one being kept).
    std::fs::write(&list, dump_kpis(150, 50)).unwrap();
    let at_list = format!("@{}", list.display());
    let selection = [
        "--kpi",
        &at_list,
        "--municipality",
        "all",
        "--years",
        "1998-2022",
    ];
    let fetch = [&["--jobs", "1", "fetch"][..], &selection[..]].concat();
    let data_requests = || emulator.counters().data_requests.load(Ordering::SeqCst);

    let whole = dir.path().join("whole");
    let mark = data_requests();
    ok(nyckeltal(&emulator.url(), &whole).args(&fetch));
    let uninterrupted = data_requests() - mark;

    let stopped = dir.path().join("stopped");
    let mark = data_requests();
    let mut child = nyckeltal(&emulator.url(), &stopped)
        .args(&fetch)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while data_requests() - mark < uninterrupted / 2 && start.elapsed().as_secs() < 300 {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let interrupt = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupt.success());
    let status = child.wait().unwrap();
    assert!(!status.success(), "stopped half-way, not finished");
    let before = data_requests() - mark;

    let mark = data_requests();
    let rerun = run(nyckeltal(&emulator.url(), &stopped).args(&fetch));
    assert!(rerun.status.success(), "{}", stderr(&rerun));
    let after = data_requests() - mark;
    assert!(
        stderr(&rerun).contains("KPIs already in the cache"),
        "{}",
        stderr(&rerun)
    );
    eprintln!("{before} requests before the stop, {after} after, {uninterrupted} in one run");
    assert!(
        (before + after) * 10 <= uninterrupted * 11,
        "{before} before the stop + {after} after it, against {uninterrupted} in one run"
    );

    let figures = |cache: &std::path::Path| {
        ok(nyckeltal(&emulator.url(), cache)
            .args(["--offline", "values"])
            .args(selection)
            .args(["--format", "csv"]))
    };
    assert!(figures(&stopped) == figures(&whole), "the same figures");
}

//! Hostile mirrors, odd output targets, damaged snapshots, formula
//! injection, partial progress and unbounded inputs: each case fails
//! safely, with its documented exit code, and loses nothing.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::*;

/// What a fake server sends for one request.
enum Reply {
    Json(String),
    /// A 302 to this absolute URL.
    Redirect(String),
    /// `{"values":[` and then spaces for ever, chunked.
    Endless,
    /// Headers that announce this many bytes, and a short body.
    Announced(u64),
}

/// A server on 127.0.0.1 that answers as `reply` says and logs every path.
struct FakeServer {
    url: String,
    paths: Arc<Mutex<Vec<String>>>,
}

fn fake_server(reply: impl Fn(&str) -> Reply + Send + Sync + 'static) -> FakeServer {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v3", listener.local_addr().unwrap());
    let paths = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&paths);
    let reply = Arc::new(reply);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (log, reply) = (Arc::clone(&log), Arc::clone(&reply));
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                        break;
                    }
                }
                log.lock().unwrap().push(path.clone());
                let mut stream = stream;
                let _ = match reply(&path) {
                    Reply::Json(body) => write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    ),
                    Reply::Redirect(to) => write!(
                        stream,
                        "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    ),
                    Reply::Announced(bytes) => write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {bytes}\r\nConnection: close\r\n\r\n{{\"values\":["
                    ),
                    Reply::Endless => {
                        let _ = write!(
                            stream,
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                        );
                        let chunk = vec![b' '; 1 << 16];
                        let _ = write!(stream, "b\r\n{{\"values\":[\r\n");
                        loop {
                            if write!(stream, "{:x}\r\n", chunk.len()).is_err()
                                || stream.write_all(&chunk).is_err()
                                || stream.write_all(b"\r\n").is_err()
                            {
                                break;
                            }
                        }
                        Ok(())
                    }
                };
            });
        }
    });
    FakeServer { url, paths }
}

fn page(values: &str, next: Option<&str>) -> String {
    match next {
        Some(next) => format!(r#"{{"values":[{values}],"next_url":"{next}"}}"#),
        None => format!(r#"{{"values":[{values}]}}"#),
    }
}

const KPI: &str =
    r#"{"id":"N1","title":"Test","municipality_type":"K","is_divided_by_gender":false}"#;

fn code(output: &std::process::Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

/// A tiny snapshot of hand-written files: KPI N00001 for two municipalities.
fn tiny_snapshot(dir: &Path, kpi_title: &str, names: [&str; 2], totals: &str) -> PathBuf {
    let root = dir.join("snap");
    std::fs::create_dir_all(root.join("meta")).unwrap();
    std::fs::create_dir_all(root.join("ddf/datapoints--by--geo--year")).unwrap();
    let kpi = serde_json::json!([{ "id": "N00001", "title": kpi_title, "municipality_type": "K",
        "is_divided_by_gender": false, "operating_area": "Test" }]);
    std::fs::write(root.join("meta/kpi.json"), kpi.to_string()).unwrap();
    let places = serde_json::json!([
        { "id": "1419", "title": names[0], "type": "K" },
        { "id": "1407", "title": names[1], "type": "K" },
    ]);
    std::fs::write(root.join("meta/municipality.json"), places.to_string()).unwrap();
    std::fs::write(root.join("meta/municipality_groups.json"), "[]").unwrap();
    std::fs::write(
        root.join("ddf/datapoints--by--geo--year/ddf--datapoints--n00001--by--geo--year.csv"),
        totals,
    )
    .unwrap();
    root
}

fn on_snapshot(root: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_nyckeltal"));
    command
        .env_remove("NYCKELTAL_API_URL")
        .env("NO_COLOR", "1")
        .arg("--source")
        .arg(root);
    command
}

/// `values` of the tiny snapshot's KPI.
fn tiny_values(root: &Path, municipality: &str, years: &str) -> std::process::Command {
    let mut command = on_snapshot(root);
    command.args([
        "values",
        "--kpi",
        "N00001",
        "--municipality",
        municipality,
        "--years",
        years,
    ]);
    command
}

const GOOD: &str = "geo,year,n00001\n1419,2021,-4.5\n1419,2022,3.25\n1407,2022,7\n";

// 1. Output targets.

#[test]
#[cfg(unix)]
fn output_follows_a_symlink_writes_into_a_fifo_and_refuses_a_socket() {
    let dir = tempfile::tempdir().unwrap();
    let root = tiny_snapshot(dir.path(), "Test", ["Tjörn", "Öckerö"], GOOD);
    let values = |target: &Path| run(tiny_values(&root, "1419", "2022").args(["-o"]).arg(target));

    // A symlink: its target gets the file, the link stays a link.
    let real = dir.path().join("real.csv");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    assert_eq!(code(&values(&link)), 0);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&real).unwrap().contains("1419"));

    // A link to /dev/null: written into, and /dev/null stays a device.
    let null = dir.path().join("null.csv");
    std::os::unix::fs::symlink("/dev/null", &null).unwrap();
    assert_eq!(code(&values(&null)), 0);
    {
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
    }

    // A FIFO: a reader gets the CSV, the FIFO stays a FIFO.
    let fifo = dir.path().join("pipe.csv");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    assert_eq!(code(&values(&fifo)), 0);
    assert!(reader.join().unwrap().contains("1419,Tjörn,2022"));
    {
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo());
    }

    // A socket or a folder: refused with exit 7, left as it was.
    let socket = dir.path().join("sock.csv");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let refused = values(&socket);
    assert_eq!(code(&refused), 7, "{}", stderr(&refused));
    let folder = dir.path().join("folder.csv");
    std::fs::create_dir(&folder).unwrap();
    let refused = values(&folder);
    assert_eq!(code(&refused), 7, "{}", stderr(&refused));
    assert!(folder.is_dir());
}

#[test]
#[cfg(unix)]
fn report_and_snapshot_folders_behind_a_symlink_keep_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.toml");
    std::fs::write(
        &spec,
        "municipality = \"Tjörn\"\nsets = [\"aldreomsorg-kostnad\"]\npeers = [\"G176709\"]\nyears = \"2021-2022\"\n",
    )
    .unwrap();
    let real = dir.path().join("real-report");
    std::fs::create_dir(&real).unwrap();
    let link = dir.path().join("report");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    ok(nyckeltal_offline_snapshot()
        .arg("report")
        .arg(&spec)
        .arg("-o")
        .arg(&link));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(
        real.join("report.html").exists(),
        "the folder it names has the report"
    );

    let real = dir.path().join("real-snap");
    std::fs::create_dir(&real).unwrap();
    let link = dir.path().join("snap");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    ok(nyckeltal_offline_snapshot()
        .args(["snapshot", "save"])
        .arg(&link)
        .args(["--kpi", "N20900", "--years", "2022", "--force"]));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(real.join("snapshot.json").exists());
}

// 2, 6, 7. Answers that never end, loop, or lead elsewhere.

fn against(server: &FakeServer, args: &[&str]) -> std::process::Output {
    let cache = tempfile::tempdir().unwrap();
    run(nyckeltal(&server.url, cache.path())
        .args(["--tries", "1"])
        .args(args))
}

#[test]
fn an_endless_or_oversized_answer_stops_at_the_bound() {
    let endless = fake_server(|_| Reply::Endless);
    let out = against(&endless, &["kpi", "search", "kostnad"]);
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("larger than 64 MiB"),
        "{}",
        stderr(&out)
    );

    let announced = fake_server(|_| Reply::Announced(600 * 1024 * 1024));
    let out = against(&announced, &["kpi", "search", "kostnad"]);
    assert_eq!(code(&out), 5);
    assert!(
        stderr(&out).contains("larger than 64 MiB"),
        "{}",
        stderr(&out)
    );
}

/// A mirror that knows one KPI (N20900) and Tjörn, and answers its data
/// requests with `rows`; what `values` for Tjörn 2022 makes of it.
fn values_from_mirror(rows: String) -> std::process::Output {
    let mirror = fake_server(move |path| {
        if path.contains("/data/") {
            Reply::Json(page(&rows, None))
        } else if path.contains("/municipality") {
            Reply::Json(page(r#"{"id":"1419","title":"Tjörn","type":"K"}"#, None))
        } else {
            Reply::Json(page(
                r#"{"id":"N20900","title":"Test","municipality_type":"K","is_divided_by_gender":false}"#,
                None,
            ))
        }
    });
    against(
        &mirror,
        &[
            "values",
            "--kpi",
            "N20900",
            "--municipality",
            "1419",
            "--years",
            "2022",
        ],
    )
}

/// Tjörn's N20900 cell in 2022 with `value`, as the API writes a row.
fn tjorn_cell(value: &str) -> String {
    format!(
        r#"{{"kpi":"N20900","municipality":"1419","period":2022,"values":[{{"gender":"T","status":"","value":{value}}}]}}"#
    )
}

#[test]
fn an_absurd_figure_from_a_mirror_is_refused_not_charted() {
    let out = values_from_mirror(tjorn_cell("1.797e308"));
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("beyond any Kolada figure"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_cell_answered_twice_is_refused_not_counted() {
    let cell = tjorn_cell("1.5");
    let out = values_from_mirror(format!("{cell},{cell}"));
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(stderr(&out).contains("twice"), "{}", stderr(&out));
}

#[test]
fn a_next_url_that_loops_or_adds_nothing_stops() {
    let looping = fake_server(|path| {
        if path.contains("page=2") {
            Reply::Json(page(KPI, Some("http://127.0.0.1/v3/kpi?page=2")))
        } else {
            Reply::Json(page(KPI, Some("/v3/kpi?page=2")))
        }
    });
    let out = against(&looping, &["kpi", "search", "test"]);
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(stderr(&out).contains("leads back to a page already read"));
    assert!(looping.paths.lock().unwrap().len() <= 3);

    let empty = fake_server(|path| {
        let n: usize = path
            .split("page=")
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        Reply::Json(page("", Some(&format!("/v3/kpi?page={}", n + 1))))
    });
    let out = against(&empty, &["kpi", "search", "test"]);
    assert_eq!(code(&out), 5);
    assert!(stderr(&out).contains("empty page with a next_url"));
    assert_eq!(empty.paths.lock().unwrap().len(), 1);
}

#[test]
fn redirects_to_another_host_are_not_followed() {
    let elsewhere = Arc::new(fake_server(|_| Reply::Json(page(KPI, None))));
    let port = elsewhere.url.rsplit(':').next().unwrap().to_string();
    let redirecting = fake_server(move |path| {
        // "localhost" is another host name than 127.0.0.1.
        Reply::Redirect(format!("http://localhost:{port}{path}"))
    });
    let out = against(&redirecting, &["kpi", "search", "test"]);
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(stderr(&out).contains("another host"), "{}", stderr(&out));
    assert!(elsewhere.paths.lock().unwrap().is_empty());

    // A redirect on the same host is followed.
    let same = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&same);
    let local = fake_server(move |path| {
        if path.starts_with("/v3/moved") {
            counter.fetch_add(1, Ordering::SeqCst);
            Reply::Json(page(KPI, None))
        } else {
            Reply::Redirect(path.replacen("/v3/", "/v3/moved/", 1))
        }
    });
    let out = against(&local, &["kpi", "search", "test"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(same.load(Ordering::SeqCst), 1);
}

// 3. Ids from outside.

#[test]
fn ids_that_are_no_kolada_ids_never_reach_a_url_or_a_file_name() {
    let catalogue = page(
        &[
            r#"{"id":"N9/../../../escaped","title":"Escape","municipality_type":"K"}"#,
            r#"{"id":"N2?x=1","title":"Query","municipality_type":"K"}"#,
            r#"{"id":"N3#frag","title":"Fragment","municipality_type":"K"}"#,
        ]
        .join(","),
        None,
    );
    let mirror = fake_server(move |path| {
        if path.starts_with("/v3/municipality") {
            Reply::Json(page(r#"{"id":"1419","title":"Tjörn","type":"K"}"#, None))
        } else {
            Reply::Json(catalogue.clone())
        }
    });
    let cache = tempfile::tempdir().unwrap();
    for id in ["N9/../../../escaped", "N2?x=1", "N3#frag"] {
        let out = run(nyckeltal(&mirror.url, &cache.path().join("c")).args([
            "values",
            "--kpi",
            id,
            "--municipality",
            "1419",
            "--years",
            "2022",
        ]));
        assert_eq!(code(&out), 5, "{id}: {}", stderr(&out));
        assert!(stderr(&out).contains("not a Kolada id"), "{}", stderr(&out));
    }
    for path in mirror.paths.lock().unwrap().iter() {
        assert!(
            !path.contains("/data/") && !path.contains("escaped"),
            "{path}"
        );
    }
    assert!(!cache.path().join("escaped.json").exists());
    assert!(std::fs::read_dir(cache.path()).unwrap().count() <= 1);

    // The same through a snapshot's catalogue: exit 6, nothing read outside it.
    let dir = tempfile::tempdir().unwrap();
    let root = tiny_snapshot(dir.path(), "Test", ["Tjörn", "Öckerö"], GOOD);
    let kpis =
        serde_json::json!([{ "id": "N9/../../escaped", "title": "x", "municipality_type": "K" }]);
    std::fs::write(root.join("meta/kpi.json"), kpis.to_string()).unwrap();
    let out = run(on_snapshot(&root).args([
        "values",
        "--kpi",
        "N9/../../escaped",
        "--municipality",
        "1419",
        "--years",
        "2022",
    ]));
    assert_eq!(code(&out), 6, "{}", stderr(&out));
}

// 4. Damaged snapshots.

#[test]
fn a_damaged_snapshot_file_is_an_error_naming_file_and_line() {
    let header = "geo,year,n00001\n";
    let cases = [
        ("cut mid-row", format!("{header}1419,2021,-4.5\n1419,20"), 3),
        (
            "\\r\\r\\n line ends",
            "geo,year,n00001\r\r\n1419,2021,-4.5\r\r\n".to_string(),
            1,
        ),
        ("a word for a number", format!("{header}1419,2021,abc\n"), 2),
        (
            "a short row",
            format!("{header}1419,2021,-4.5\n1407,2022\n"),
            3,
        ),
        ("a bad year", format!("{header}1419,20x1,-4.5\n"), 2),
        (
            "a decimal comma",
            format!("{header}1419,2021,\"-4,5\"\n"),
            2,
        ),
        (
            "a row twice",
            format!("{header}1419,2021,-4.5\n1419,2021,-4.6\n"),
            3,
        ),
        ("NaN", format!("{header}1419,2021,NaN\n"), 2),
        ("inf", format!("{header}1419,2021,inf\n"), 2),
        // Beyond any Kolada figure: it would overflow a chart's axis.
        (
            "the largest double",
            format!("{header}1419,2021,1.797e308\n"),
            2,
        ),
        ("-1e16", format!("{header}1419,2021,-1e16\n"), 2),
        ("a bad code", format!("{header}14x9,2021,1\n"), 2),
    ];
    for (what, text, line) in cases {
        let dir = tempfile::tempdir().unwrap();
        let root = tiny_snapshot(dir.path(), "Test", ["Tjörn", "Öckerö"], &text);
        let out = run(&mut tiny_values(&root, "all", "2021-2022"));
        assert_eq!(code(&out), 6, "{what}: {}", stderr(&out));
        let message = stderr(&out);
        assert!(
            message.contains("ddf--datapoints--n00001--by--geo--year.csv")
                && message.contains(&format!("line {line}")),
            "{what}: {message}"
        );
        assert!(stdout(&out).is_empty(), "{what}: no figures printed");
    }
    // A bad gender in the split file.
    let dir = tempfile::tempdir().unwrap();
    let root = tiny_snapshot(dir.path(), "Test", ["Tjörn", "Öckerö"], GOOD);
    let split = root.join("ddf/datapoints--by--geo--gender--year");
    std::fs::create_dir_all(&split).unwrap();
    std::fs::write(
        split.join("ddf--datapoints--n00001--by--geo--gender--year.csv"),
        "geo,gender,year,n00001\n1419,x,2021,1\n",
    )
    .unwrap();
    let out = run(tiny_values(&root, "1419", "2021").args(["--gender", "all"]));
    assert_eq!(code(&out), 6, "{}", stderr(&out));
    assert!(stderr(&out).contains("line 2"));

    // The well-formed file reads, every row.
    let dir = tempfile::tempdir().unwrap();
    let root = tiny_snapshot(dir.path(), "Test", ["Tjörn", "Öckerö"], GOOD);
    let rows = csv_rows(&ok(
        tiny_values(&root, "all", "2021-2022").args(["--format", "csv"])
    ));
    assert_eq!(rows.len(), 3);
}

// 5. Formula injection.

#[test]
fn csv_text_cells_cannot_start_a_formula_and_numbers_stay_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let root = tiny_snapshot(
        dir.path(),
        "=HYPERLINK(\"http://x\";\"klick\")",
        ["@SUM(A1)", "+46 kommun"],
        GOOD,
    );
    for dialect in [&[][..], &["--csv-dialect", "excel-sv"][..]] {
        let out = ok(tiny_values(&root, "all", "2021-2022")
            .args(["--format", "csv"])
            .args(dialect));
        let separator = if dialect.is_empty() { ',' } else { ';' };
        let text = out.trim_start_matches('\u{feff}');
        for line in text.lines().skip(1) {
            let cells = split_quoted(line, separator);
            assert!(cells[2].starts_with('\''), "{line}");
            assert!(
                !cells[5].starts_with('\''),
                "a number stays a number: {line}"
            );
        }
        assert!(text.contains("-4"), "negative figures untouched: {text}");
    }
    let search = ok(on_snapshot(&root).args(["kpi", "search", "hyperlink", "--format", "csv"]));
    assert!(search.contains("'=HYPERLINK"), "{search}");
    assert!(!search
        .lines()
        .skip(1)
        .any(|l| l.starts_with('=') || l.contains(",=")));
}

// 8. Partial progress.

const TEN_KPIS: &str = "N20900,N20007,N20048,N21006,N23009,N20029,N28018,N28013,N28015,N28008";

/// Ten KPIs for all municipalities in `years`.
fn ten_for_everybody(years: &str) -> [&str; 6] {
    ["--kpi", TEN_KPIS, "--municipality", "all", "--years", years]
}

/// The data requests in an emulator log whose path holds `needle`.
fn logged(log: &Path, needle: &str) -> usize {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("/data/") && l.contains(needle))
        .count()
}

#[test]
fn answered_queries_are_kept_when_a_fetch_fails_part_way() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("requests.jsonl");
    let emulator = emulator_with(|c| c.log = Some(log.clone()));
    // 33 years: two queries, 1990–2006 and 2007–2022, each paged.
    let fetch = |cache: &Path, tries: &str| {
        run(nyckeltal(&emulator.url(), cache).args([
            "--jobs",
            "1",
            "--tries",
            tries,
            "fetch",
            "--kpi",
            TEN_KPIS,
            "--municipality",
            "all",
            "--years",
            "1990-2022",
        ]))
    };
    let reference = dir.path().join("reference");
    assert_eq!(code(&fetch(&reference, "1")), 0);
    let first_pages = logged(&log, "/year/1990,");
    let second_pages = logged(&log, "/year/2007,");
    assert!(
        first_pages >= 1 && second_pages >= 2,
        "{first_pages} + {second_pages} pages"
    );

    // An outage after the first query and the second query's first page.
    let cache = dir.path().join("cache");
    ok(nyckeltal(&emulator.url(), &cache).args(["kpi", "show", "N20900"]));
    ok(nyckeltal(&emulator.url(), &cache).args(["municipality", "list"]));
    let before = emulator.counters().data_requests.load(Ordering::SeqCst);
    emulator.fail_data_requests_after(before + first_pages + 1);
    let failed = fetch(&cache, "1");
    assert_eq!(code(&failed), 5, "{}", stderr(&failed));

    // --offline serves the answered query and names exactly what is missing.
    let values = |cache: &Path, years: &str, extra: &[&str]| {
        run(nyckeltal(&emulator.url(), cache)
            .args(extra)
            .args(["values"])
            .args(ten_for_everybody(years))
            .args(["--format", "csv"]))
    };
    let answered = values(&cache, "1990-2006", &["--offline"]);
    assert_eq!(code(&answered), 0, "{}", stderr(&answered));
    assert_eq!(
        stdout(&answered),
        stdout(&values(&reference, "1990-2006", &["--offline"]))
    );
    let missing = values(&cache, "1990-2022", &["--offline"]);
    assert_eq!(code(&missing), 4);
    assert!(
        stderr(&missing).contains("in 2007-2022") && !stderr(&missing).contains("1990"),
        "{}",
        stderr(&missing)
    );

    // The repeat asks only for the missing query, and ends where a clean run ends.
    emulator.heal();
    let mark = emulator.counters().data_requests.load(Ordering::SeqCst);
    assert_eq!(code(&fetch(&cache, "8")), 0);
    let asked_again = emulator.counters().data_requests.load(Ordering::SeqCst) - mark;
    assert_eq!(asked_again, second_pages);
    assert_eq!(
        stdout(&values(&cache, "1990-2022", &["--offline"])),
        stdout(&values(&reference, "1990-2022", &["--offline"]))
    );
}

#[test]
#[cfg(unix)]
fn a_fetch_killed_part_way_keeps_what_was_answered() {
    let emulator = emulator_with(|c| c.latency = std::time::Duration::from_millis(150));
    let cache = tempfile::tempdir().unwrap();
    // Metadata first, so the kill falls among the data requests.
    ok(nyckeltal(&emulator.url(), cache.path()).args(["kpi", "show", "N20900"]));
    ok(nyckeltal(&emulator.url(), cache.path()).args(["municipality", "list"]));
    let values_dir = std::fs::read_dir(cache.path())
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path()
        .join("values");
    // Two queries (1990–2006, 2007–2022), one after the other.
    let mut child = nyckeltal(&emulator.url(), cache.path())
        .args(["--jobs", "1", "fetch"])
        .args(ten_for_everybody("1990-2022"))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed once the first query's ten KPIs are stored, during the second.
    let start = std::time::Instant::now();
    // Finished files only: a temporary file (".nyckeltal-…tmp") is one
    // still being written, and a kill then loses it (under load, often).
    let stored = || {
        std::fs::read_dir(&values_dir).map_or(0, |d| {
            d.flatten()
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .count()
        })
    };
    while stored() < 10 && start.elapsed() < std::time::Duration::from_secs(120) {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.kill().unwrap();
    let _ = child.wait();
    let offline = |years: &str| {
        run(nyckeltal(&emulator.url(), cache.path())
            .args(["--offline", "values"])
            .args(ten_for_everybody(years)))
    };
    let kept = offline("1990-2006");
    assert_eq!(
        code(&kept),
        0,
        "the answered query is kept: {}",
        stderr(&kept)
    );
    assert!(!stderr(&kept).contains("corrupt"), "{}", stderr(&kept));
    let missing = offline("1990-2022");
    assert_eq!(
        code(&missing),
        4,
        "the rest is missing: {}",
        stderr(&missing)
    );
}

// 9. Temporary files of killed runs.

#[test]
fn temp_files_of_a_killed_run_are_cleared_on_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    // A process id no Linux system hands out (pid_max is at most 2^22).
    let stale = dir.path().join(".nyckeltal-4294967-x1Yz.tmp");
    std::fs::write(&stale, "half a workbook").unwrap();
    let out = dir.path().join("out.csv");
    std::fs::write(&out, "the old file").unwrap();
    ok(nyckeltal_offline_snapshot()
        .args([
            "values",
            "--kpi",
            "N20900",
            "--municipality",
            "Tjörn",
            "--years",
            "2022",
            "-o",
        ])
        .arg(&out));
    if Path::new("/proc/self").exists() {
        assert!(!stale.exists(), "the killed run's temp file is gone");
    }
    assert!(std::fs::read_to_string(&out).unwrap().contains("N20900"));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".nyckeltal-"))
        .collect();
    assert!(leftovers.is_empty() || !Path::new("/proc/self").exists());
}

// 10. Unbounded inputs.

#[test]
fn specs_and_sets_must_be_small_regular_files_and_repeats_count_once() {
    let dir = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    {
        let zero = dir.path().join("zero.toml");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let zero = zero.to_str().unwrap().to_string();
        for args in [
            vec!["report", zero.as_str(), "-o", "x"],
            vec!["compare", "Tjörn", "--set", zero.as_str()],
            vec![
                "compare",
                "Tjörn",
                "--set",
                "aldreomsorg-kostnad",
                "--peers",
                zero.as_str(),
            ],
        ] {
            let out = run(nyckeltal_offline_snapshot()
                .current_dir(dir.path())
                .args(&args));
            assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
            assert!(
                stderr(&out).contains("not a regular file"),
                "{}",
                stderr(&out)
            );
        }
    }
    let huge = dir.path().join("huge.toml");
    std::fs::write(
        &huge,
        format!("title = \"{}\"\n", "x".repeat(2 * 1024 * 1024)),
    )
    .unwrap();
    let out = run(nyckeltal_offline_snapshot()
        .arg("report")
        .arg(&huge)
        .arg("-o")
        .arg(dir.path().join("r")));
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("allowed"), "{}", stderr(&out));

    let repeated = dir.path().join("repeated.toml");
    let sets = vec!["\"aldreomsorg-kostnad\""; 2000].join(", ");
    std::fs::write(
        &repeated,
        format!(
            "municipality = \"Tjörn\"\nsets = [{sets}]\npeers = [\"G176709\"]\nyears = \"2022\"\n"
        ),
    )
    .unwrap();
    let report = dir.path().join("report");
    ok(nyckeltal_offline_snapshot()
        .arg("report")
        .arg(&repeated)
        .arg("-o")
        .arg(&report));
    let data = csv_rows(&std::fs::read_to_string(report.join("data.csv")).unwrap());
    assert_eq!(data.len(), 6, "one row per KPI of the set, once");
}

#[test]
#[cfg(target_os = "linux")]
fn a_full_disk_or_closed_stream_is_an_exit_code_never_a_panic() {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    // Standard output on a full disk: exit 7, said on stderr.
    for args in [&["completions", "bash"][..], &["kpi", "show", "N20900"][..]] {
        let out = nyckeltal_offline_snapshot()
            .args(args)
            .stdout(full())
            .output()
            .unwrap();
        assert_eq!(code(&out), 7, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("cannot write to standard output"));
        assert!(!stderr(&out).contains("panicked"));
    }
    // Standard error that cannot be written: the error's own exit code.
    let out = nyckeltal_offline_snapshot()
        .args(["kpi", "show", "NOPE"])
        .stderr(full())
        .output()
        .unwrap();
    assert_eq!(code(&out), 3);
    // A reader that stops early (`| head -c 100`): a clean exit.
    let mut child = nyckeltal_offline_snapshot()
        .args(["completions", "bash"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 100];
    use std::io::Read;
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn a_name_in_decomposed_form_or_with_invisible_characters_is_found() {
    for typed in ["Ha\u{30a}bo", "Hå\u{200b}bo", "\u{feff}Håbo"] {
        let out = ok(nyckeltal_offline_snapshot().args([
            "compare", typed, "--kpi", "N20900", "--year", "2022", "--format", "csv",
        ]));
        let rows = csv_rows(&out);
        assert_eq!(rows[0]["municipality_id"], "0305", "{typed:?}");
    }
}

#[test]
#[cfg(unix)]
fn a_file_replaced_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let private = dir.path().join("private.csv");
    std::fs::write(&private, "old").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    ok(nyckeltal_offline_snapshot()
        .args(["kpi", "show", "N20900", "-o"])
        .arg(&private));
    let mode = std::fs::metadata(&private).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a private file stays private");
    assert!(std::fs::read_to_string(&private)
        .unwrap()
        .contains("N20900"));
}

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
    /// A page begun, then one byte a second for ever.
    Drip,
    /// The request read, then nothing for a minute.
    Silent,
    /// 429 Too Many Requests with `Retry-After: 1000`.
    RateLimited,
    /// 400 Bad Request with this body.
    Rejected(String),
    /// 400 Bad Request with a body that never ends.
    EndlessRejection,
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
                    Reply::Drip => {
                        let _ = write!(
                            stream,
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{{\"values\":["
                        );
                        while stream.write_all(b" ").and_then(|_| stream.flush()).is_ok() {
                            std::thread::sleep(std::time::Duration::from_secs(1));
                        }
                        Ok(())
                    }
                    Reply::Silent => {
                        std::thread::sleep(std::time::Duration::from_secs(60));
                        Ok(())
                    }
                    Reply::Rejected(body) => write!(
                        stream,
                        "HTTP/1.1 400 Bad Request\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    ),
                    Reply::RateLimited => write!(
                        stream,
                        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1000\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    ),
                    Reply::Endless | Reply::EndlessRejection => {
                        let status = match reply(&path) {
                            Reply::Endless => "200 OK",
                            _ => "400 Bad Request",
                        };
                        let _ = write!(
                            stream,
                            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
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

/// `values` of the tiny snapshot's KPI.
fn tiny_values(root: &Path, municipality: &str, years: &str) -> std::process::Command {
    let mut command = nyckeltal_on_snapshot(root);
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

/// Tjörn's N20900 in 2022: a small, quick selection.
const TJORN_N20900_2022: [&str; 7] = [
    "values",
    "--kpi",
    "N20900",
    "--municipality",
    "Tjörn",
    "--years",
    "2022",
];

/// Tjörn's N20900 in 2022 from the shared dump: a small, quick run.
fn tjorn_n20900_2022() -> std::process::Command {
    let mut command = nyckeltal_offline_snapshot();
    command.args(TJORN_N20900_2022);
    command
}

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

#[test]
fn an_endless_error_page_is_read_only_as_far_as_its_first_lines() {
    let server = fake_server(|_| Reply::EndlessRejection);
    let cache = tempfile::tempdir().unwrap();
    let mut command = nyckeltal(&server.url, cache.path());
    // Without the bound, the body would be read until the timeout, gigabytes in.
    command.args([
        "--tries",
        "1",
        "--timeout",
        "120",
        "kpi",
        "search",
        "kostnad",
    ]);
    let out = ends_within(command, std::time::Duration::from_secs(20));
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(stderr(&out).contains("HTTP 400"), "{}", stderr(&out));
}

#[test]
fn a_mirror_listing_an_id_twice_is_refused() {
    let twice = |path: &str| {
        let listed = if path.contains("/municipality") {
            r#"{"id":"1419","title":"Tjörn","type":"K"},{"id":"1419","title":"Orust","type":"K"}"#
        } else {
            r#"{"id":"N20900","title":"Kostnad"},{"id":"N20900","title":"Annan"}"#
        };
        Reply::Json(page(listed, None))
    };
    for args in [
        &["municipality", "list"][..],
        &["kpi", "search", "kostnad"][..],
    ] {
        let out = against(&fake_server(twice), args);
        assert_eq!(code(&out), 5, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("twice"), "{}", stderr(&out));
    }
}

/// A mirror that knows one KPI (N20900) and Tjörn, and answers its data
/// requests with `rows`; what `values` for Tjörn 2022 makes of it.
fn values_from_mirror(rows: String) -> std::process::Output {
    mirror_answers_values(page(&rows, None))
}

/// The same, with the data requests answered by `body` as it is.
fn mirror_answers_values(body: String) -> std::process::Output {
    let mirror = fake_server(move |path| {
        if path.contains("/data/") {
            Reply::Json(body.clone())
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
    let out = run(nyckeltal_on_snapshot(&root).args([
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
        // The dump's own line ends: lines counted as an editor shows them.
        (
            "CRLF",
            "geo,year,n00001\r\n1419,2021,-4.5\r\n1407,2021,abc\r\n".to_string(),
            3,
        ),
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
    let search =
        ok(nyckeltal_on_snapshot(&root).args(["kpi", "search", "hyperlink", "--format", "csv"]));
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

    // The repeat asks only for the rest of the missing query: from its
    // second page, the first kept as it arrived. It ends where a clean run ends.
    emulator.heal();
    let mark = emulator.counters().data_requests.load(Ordering::SeqCst);
    assert_eq!(code(&fetch(&cache, "8")), 0);
    let asked_again = emulator.counters().data_requests.load(Ordering::SeqCst) - mark;
    assert_eq!(asked_again, second_pages - 1);
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
    ok(tjorn_n20900_2022().arg("-o").arg(&out));
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

/// A child that must end within `limit`; killed and failed otherwise.
fn ends_within(
    mut command: std::process::Command,
    limit: std::time::Duration,
) -> std::process::Output {
    let child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let id = child.id();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(child.wait_with_output());
    });
    match receiver.recv_timeout(limit) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .args(["-9", &id.to_string()])
                .status();
            panic!("still running after {limit:?}: {command:?}");
        }
    }
}

#[test]
#[cfg(unix)]
fn a_fifo_named_like_a_temporary_file_blocks_no_write() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join(".nyckeltal-99999-x.tmp");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let out = dir.path().join("out.csv");
    let mut command = tjorn_n20900_2022();
    command.arg("-o").arg(&out);
    let output = ends_within(command, std::time::Duration::from_secs(60));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(std::fs::read_to_string(&out).unwrap().contains("N20900"));
    assert!(fifo.exists(), "what is not ours is left alone");
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

// 1, 2, 11. A folder is replaced only when it holds what nyckeltal wrote.

fn save_snapshot(path: &Path, force: bool) -> std::process::Output {
    let mut command = nyckeltal_offline_snapshot();
    command
        .args(["snapshot", "save"])
        .arg(path)
        .args(["--kpi", "N20900", "--years", "2021-2022"]);
    if force {
        command.arg("--force");
    }
    run(&mut command)
}

#[test]
fn snapshot_save_force_never_deletes_a_users_files() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("snap");
    ok(nyckeltal_offline_snapshot()
        .args(["snapshot", "save"])
        .arg(&snap)
        .args(["--kpi", "N20900", "--years", "2021-2022"]));
    std::fs::write(snap.join("notes.docx"), "mine").unwrap();
    std::fs::create_dir(snap.join("photos")).unwrap();
    std::fs::write(snap.join("photos/a.jpg"), "mine").unwrap();
    let out = save_snapshot(&snap, true);
    assert_eq!(code(&out), 7, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("notes.docx") && stderr(&out).contains("photos/"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(snap.join("notes.docx")).unwrap(),
        "mine"
    );
    assert!(snap.join("photos/a.jpg").exists() && snap.join("snapshot.json").exists());
    std::fs::remove_file(snap.join("notes.docx")).unwrap();
    std::fs::remove_dir_all(snap.join("photos")).unwrap();
    let out = save_snapshot(&snap, true);
    assert_eq!(
        code(&out),
        0,
        "its own snapshot is replaced: {}",
        stderr(&out)
    );
}

#[test]
fn a_report_by_a_slip_into_a_snapshot_folder_keeps_the_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let net = dir.path().join("net");
    assert_eq!(code(&save_snapshot(&net, false)), 0);
    let frozen = std::fs::read(net.join("snapshot.json")).unwrap();
    let out = run(nyckeltal_offline_snapshot()
        .args(["report", "../examples/tjorn-hosten.toml", "-o"])
        .arg(&net)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests")));
    assert_eq!(code(&out), 7, "{}", stderr(&out));
    assert!(stderr(&out).contains("is a snapshot"), "{}", stderr(&out));
    assert_eq!(std::fs::read(net.join("snapshot.json")).unwrap(), frozen);
    assert!(!net.join("report.html").exists());
    assert_eq!(
        code(&save_snapshot(&net, true)),
        0,
        "a snapshot replaces a snapshot"
    );
}

#[test]
fn report_replaces_only_a_pack_it_wrote_and_keeps_the_folders_mode() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.toml");
    std::fs::write(
        &spec,
        "municipality = \"Tjörn\"\nsets = [\"aldreomsorg-kostnad\"]\npeers = [\"G176709\"]\nyears = \"2021-2022\"\n",
    )
    .unwrap();
    let report = |out: &Path| {
        run(nyckeltal_offline_snapshot()
            .arg("report")
            .arg(&spec)
            .arg("-o")
            .arg(out))
    };

    // A user's own data.csv, alone in the folder.
    let theirs = dir.path().join("theirs");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("data.csv"), "mine").unwrap();
    let out = report(&theirs);
    assert_eq!(code(&out), 7, "{}", stderr(&out));
    assert!(stderr(&out).contains("data.csv"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(theirs.join("data.csv")).unwrap(),
        "mine"
    );

    // A folder named like a pack's file, with files inside.
    let odd = dir.path().join("odd");
    std::fs::create_dir_all(odd.join("report.html")).unwrap();
    std::fs::write(odd.join("report.html/index.txt"), "mine").unwrap();
    assert_eq!(code(&report(&odd)), 7);
    assert!(odd.join("report.html/index.txt").exists());

    // Its own pack is replaced, keeping a shared folder's mode and group;
    // a pack file edited since is the user's work and is kept.
    let pack = dir.path().join("pack");
    assert_eq!(code(&report(&pack)), 0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        std::fs::set_permissions(&pack, std::fs::Permissions::from_mode(0o2770)).unwrap();
        let as_root = std::fs::metadata(&spec).unwrap().uid() == 0;
        if as_root {
            std::os::unix::fs::chown(&pack, None, Some(4242)).unwrap();
        }
        let out = report(&pack);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let meta = std::fs::metadata(&pack).unwrap();
        assert_eq!(meta.permissions().mode() & 0o7777, 0o2770);
        if as_root {
            assert_eq!(meta.gid(), 4242);
            assert_eq!(
                std::fs::metadata(pack.join("report.html")).unwrap().gid(),
                4242
            );
        }
    }
    std::fs::write(pack.join("report.xlsx"), "edited in Excel").unwrap();
    let out = report(&pack);
    assert_eq!(code(&out), 7);
    assert!(
        stderr(&out).contains("report.xlsx (changed"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(pack.join("report.xlsx")).unwrap(),
        "edited in Excel"
    );
}

// 9. A saved snapshot is checked against the files it listed.

#[test]
#[cfg(unix)]
fn a_saved_snapshot_missing_a_file_or_cut_short_is_damaged() {
    let totals = "ddf/datapoints--by--geo--year/ddf--datapoints--n20900--by--geo--year.csv";
    type Damage = fn(&Path);
    let damages: [(&str, Damage); 4] = [
        ("deleted", |file| std::fs::remove_file(file).unwrap()),
        ("a dangling link", |file| {
            std::fs::remove_file(file).unwrap();
            std::os::unix::fs::symlink("nowhere.csv", file).unwrap();
        }),
        ("a loop of links", |file| {
            std::fs::remove_file(file).unwrap();
            std::os::unix::fs::symlink(file.file_name().unwrap(), file).unwrap();
        }),
        ("cut at a line end", |file| {
            let text = std::fs::read_to_string(file).unwrap();
            let kept: Vec<&str> = text.lines().collect();
            std::fs::write(file, kept[..kept.len() - 1].join("\n") + "\n").unwrap();
        }),
    ];
    for (what, damage) in damages {
        let dir = tempfile::tempdir().unwrap();
        let snap = dir.path().join("snap");
        assert_eq!(code(&save_snapshot(&snap, false)), 0);
        damage(&snap.join(totals));
        let out = run(nyckeltal_on_snapshot(&snap).args([
            "values",
            "--kpi",
            "N20900",
            "--municipality",
            "Tjörn",
            "--years",
            "2022",
        ]));
        assert_eq!(code(&out), 6, "{what}: {}", stderr(&out));
        assert!(stderr(&out).contains("n20900"), "{what}: {}", stderr(&out));
        let out = run(nyckeltal_offline_snapshot()
            .args(["changes", "--since"])
            .arg(&snap)
            .args(["--kpi", "N20900"]));
        assert_eq!(code(&out), 6, "changes --since, {what}: {}", stderr(&out));
    }
    // A folder without a manifest (the dump's layout): a dangling link is
    // still damage, never "no values".
    let dir = tempfile::tempdir().unwrap();
    let root = tiny_snapshot(dir.path(), "Test", ["Tjörn", "Öckerö"], GOOD);
    let file =
        root.join("ddf/datapoints--by--geo--year/ddf--datapoints--n00001--by--geo--year.csv");
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink("gone.csv", &file).unwrap();
    assert_eq!(code(&run(&mut tiny_values(&root, "all", "2022"))), 6);
}

// 14. A municipality listed twice in a snapshot.

#[test]
fn a_snapshot_listing_a_municipality_twice_is_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let root = tiny_snapshot(dir.path(), "Test", ["Tjörn", "Öckerö"], GOOD);
    let places = serde_json::json!([
        { "id": "1419", "title": "Tjörn", "type": "K" },
        { "id": "1419", "title": "Orust", "type": "K" },
    ]);
    std::fs::write(root.join("meta/municipality.json"), places.to_string()).unwrap();
    let out = run(&mut tiny_values(&root, "1419", "2022"));
    assert_eq!(code(&out), 6, "{}", stderr(&out));
    assert!(stderr(&out).contains("'1419' twice"), "{}", stderr(&out));
}

// 14. A temp file whose writer holds its lock (another PID namespace) stays.

#[test]
fn a_locked_temp_file_of_an_unseen_process_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let busy = dir.path().join(".nyckeltal-4294967-busy.tmp");
    std::fs::write(&busy, "being written").unwrap();
    let held = std::fs::File::open(&busy).unwrap();
    held.try_lock().unwrap();
    ok(tjorn_n20900_2022()
        .arg("-o")
        .arg(dir.path().join("out.csv")));
    assert!(busy.exists(), "a writer holding its lock keeps its file");
    drop(held);
}

// 3. `-o /dev/stdout` is the stream the shell opened.

#[test]
#[cfg(target_os = "linux")]
fn output_to_dev_stdout_appends_to_a_log_and_flows_into_a_pipe() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.txt");
    std::fs::write(&log, "earlier line\n").unwrap();
    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o600)).unwrap();
    let inode = std::fs::metadata(&log).unwrap().ino();
    let appending = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    let args = [
        "values",
        "--kpi",
        "N20900",
        "--municipality",
        "Tjörn",
        "--years",
        "2022",
        "--format",
        "csv",
        "-o",
        "/dev/stdout",
    ];
    let out = run(nyckeltal_offline_snapshot().args(args).stdout(appending));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.starts_with("earlier line\n") && text.contains("N20900"),
        "{text}"
    );
    let meta = std::fs::metadata(&log).unwrap();
    assert_eq!(
        (meta.ino(), meta.permissions().mode() & 0o777),
        (inode, 0o600)
    );

    // `| cat`: a pipe.
    let out = run(nyckeltal_offline_snapshot().args(args));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("N20900"));
}

// 4. Two runs fetching the same KPI at once keep each other's cells.

#[test]
fn two_fetches_of_one_kpi_at_once_keep_both_runs_cells() {
    let emulator = emulator_with(|c| c.latency = std::time::Duration::from_millis(300));
    let cache = tempfile::tempdir().unwrap();
    let fetch = |place: &str| {
        nyckeltal(&emulator.url(), cache.path())
            .args([
                "values",
                "--kpi",
                "N20900",
                "--years",
                "2018-2022",
                "--municipality",
                place,
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    for round in 0..3 {
        let _ = std::fs::remove_dir_all(cache.path());
        let runs = [fetch("Tjörn"), fetch("Orust")];
        for child in runs {
            let out = child.wait_with_output().unwrap();
            assert_eq!(code(&out), 0, "round {round}: {}", stderr(&out));
        }
        for place in ["Tjörn", "Orust"] {
            let out = run(nyckeltal(&emulator.url(), cache.path()).args([
                "--offline",
                "values",
                "--kpi",
                "N20900",
                "--years",
                "2018-2022",
                "--municipality",
                place,
            ]));
            assert_eq!(code(&out), 0, "round {round}, {place}: {}", stderr(&out));
        }
    }
}

// 5. A query's pages are bounded.

#[test]
fn a_next_url_that_always_leads_to_a_new_page_stops_at_the_bound() {
    let endless = fake_server(|path| {
        let n: usize = path
            .split("page=")
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        Reply::Json(page(KPI, Some(&format!("/v3/kpi?page={}", n + 1))))
    });
    let out = against(&endless, &["kpi", "search", "test"]);
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("goes past 400 pages"),
        "{}",
        stderr(&out)
    );
    assert_eq!(endless.paths.lock().unwrap().len(), 400);
}

// 6. Every wait is bounded by --timeout × --tries, and shown.

#[test]
fn slow_silent_and_rate_limiting_servers_end_within_timeout_times_tries() {
    for (what, tries) in [("a byte a second", 1), ("silent", 2), ("429 for ever", 3)] {
        let server = fake_server(move |_| match what {
            "a byte a second" => Reply::Drip,
            "silent" => Reply::Silent,
            _ => Reply::RateLimited,
        });
        let cache = tempfile::tempdir().unwrap();
        let started = std::time::Instant::now();
        let out = run(nyckeltal(&server.url, cache.path())
            .args(["--timeout", "2", "--tries", &tries.to_string()])
            .args(["kpi", "search", "kostnad"]));
        let took = started.elapsed().as_secs_f64();
        assert_eq!(code(&out), 5, "{what}: {}", stderr(&out));
        // Each try at most --timeout (+1 s for the last byte), plus backoff.
        assert!(took < 2.0 * tries as f64 + 4.0, "{what}: {took:.1} s");
        if tries > 1 {
            assert!(
                stderr(&out).contains("waiting for Kolada") && stderr(&out).contains("try 1 of"),
                "{what}: {}",
                stderr(&out)
            );
        }
    }
}

// 12. Text from a mirror never reaches the terminal as escape sequences.

#[test]
fn terminal_escapes_from_a_mirror_are_stripped() {
    let hostile = "Kostnad \u{1b}]0;pwned\u{7}\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J\u{202e}hemtjänst";
    let title = serde_json::to_string(hostile).unwrap();
    let kpi = format!(
        r#"{{"id":"N1","title":{title},"description":{title},"municipality_type":"K","is_divided_by_gender":false}}"#
    );
    let mirror = fake_server(move |path| {
        if path.contains("/kpi") {
            Reply::Json(page(&kpi, None))
        } else {
            Reply::Json(page("", None))
        }
    });
    let out = against(&mirror, &["kpi", "search", "kostnad"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let shown = stdout(&out);
    assert!(
        shown.contains("Kostnad") && shown.contains("hemtjänst"),
        "{shown}"
    );
    assert!(!shown.contains('\u{1b}') && !shown.contains('\u{7}') && !shown.contains('\u{202e}'));

    // An error page with escapes in its body.
    let rejecting =
        fake_server(|_| Reply::Rejected("\u{1b}]0;pwned\u{7}\u{1b}[2Jbad request".into()));
    let out = against(&rejecting, &["kpi", "search", "kostnad"]);
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(stderr(&out).contains("bad request"), "{}", stderr(&out));
    assert!(!stderr(&out).contains('\u{1b}') && !stderr(&out).contains('\u{7}'));
}

// The fuzz: seeded (a failure runs again the same way), built from pieces
// that matter (ids, names, years, flags, odd bytes). Every run ends with a
// documented exit code (0–7), never a panic.

const FUZZ_SEED: u64 = 19;

fn documented(what: &str, out: &std::process::Output) {
    let c = code(out);
    // 1 is "a bug": documented, but never what bad input should give.
    assert!(
        (0..=7).contains(&c) && c != 1,
        "{what}: exit {c}: {}",
        stderr(out)
    );
    assert!(!stderr(out).contains("panicked"), "{what}: {}", stderr(out));
}

fn pick<'a>(rng: &mut fastrand::Rng, from: &[&'a str]) -> &'a str {
    from[rng.usize(..from.len())]
}

/// A snapshot of two KPIs for four municipalities and a group, with a data
/// folder holding a set of both KPIs, a peer list and a network list.
fn fuzz_world(dir: &Path) -> (PathBuf, PathBuf) {
    let root = dir.join("world");
    let totals = root.join("ddf/datapoints--by--geo--year");
    std::fs::create_dir_all(root.join("meta")).unwrap();
    std::fs::create_dir_all(&totals).unwrap();
    let kpis = serde_json::json!([
        { "id": "N00001", "title": "Kostnad", "municipality_type": "K", "is_divided_by_gender": false, "operating_area": "Test" },
        { "id": "N00002", "title": "Andel", "municipality_type": "K", "is_divided_by_gender": false, "operating_area": "Test" },
    ]);
    std::fs::write(root.join("meta/kpi.json"), kpis.to_string()).unwrap();
    let places = [
        ("1419", "Tjörn"),
        ("1407", "Öckerö"),
        ("1415", "Stenungsund"),
        ("1421", "Orust"),
    ];
    let list: Vec<_> = places
        .iter()
        .map(|(id, title)| serde_json::json!({ "id": id, "title": title, "type": "K" }))
        .collect();
    std::fs::write(
        root.join("meta/municipality.json"),
        serde_json::Value::from(list).to_string(),
    )
    .unwrap();
    let members: Vec<_> = places[1..]
        .iter()
        .map(|(id, title)| serde_json::json!({ "member_id": id, "member_title": title }))
        .collect();
    let groups = serde_json::json!([{ "id": "G1", "title": "Grannar", "members": members }]);
    std::fs::write(
        root.join("meta/municipality_groups.json"),
        groups.to_string(),
    )
    .unwrap();
    for (n, kpi) in ["n00001", "n00002"].iter().enumerate() {
        let mut text = format!("geo,year,{kpi}\n");
        for (i, (id, _)) in places.iter().enumerate() {
            for year in 2018..=2022 {
                text.push_str(&format!(
                    "{id},{year},{}\n",
                    10 * (n + 1) + i + year as usize % 7
                ));
            }
        }
        std::fs::write(
            totals.join(format!("ddf--datapoints--{kpi}--by--geo--year.csv")),
            text,
        )
        .unwrap();
    }
    let data = dir.join("data");
    std::fs::create_dir_all(data.join("sets")).unwrap();
    std::fs::create_dir_all(data.join("peers")).unwrap();
    std::fs::write(
        data.join("sets/tiny.toml"),
        "title = \"Tiny\"\narea = \"test\"\n\n[[kpi]]\nid = \"N00001\"\nlabel = \"Kostnad\"\nunit = \"kr\"\ndirection = \"neutral\"\nscale = \"amount\"\n\n[[kpi]]\nid = \"N00002\"\nlabel = \"Andel\"\nunit = \"%\"\ndirection = \"higher_is_better\"\nscale = \"percent\"\n",
    )
    .unwrap();
    std::fs::write(
        data.join("peers/grannar.toml"),
        "title = \"Grannar\"\nmembers = [\"Öckerö\", \"Stenungsund\", \"Orust\"]\n",
    )
    .unwrap();
    std::fs::write(
        data.join("peers/natverk.toml"),
        "title = \"Nätverket\"\nmembers = [\"Tjörn\", \"Öckerö\", \"Stenungsund\", \"Orust\", \"Tjörn\"]\n",
    )
    .unwrap();
    (root, data)
}

fn in_world(root: &Path, data: &Path, cwd: &Path) -> std::process::Command {
    let mut command = nyckeltal_on_snapshot(root);
    command.arg("--data-dir").arg(data).current_dir(cwd);
    command
}

#[test]
fn fuzzed_argument_vectors_end_with_a_documented_code() {
    let dir = tempfile::tempdir().unwrap();
    let (root, data) = fuzz_world(dir.path());
    let commands: &[&[&str]] = &[
        &["values"],
        &["compare"],
        &["trend"],
        &["kpi", "search"],
        &["kpi", "show"],
        &["municipality", "search"],
        &["group", "show"],
        &["set", "list"],
        &["set", "show"],
        &["peers"],
        &["explain"],
        &["calendar"],
        &["similar"],
        &["changes"],
        &["snapshot", "save"],
        &["report"],
        &["paths"],
    ];
    let pieces = [
        "--kpi",
        "N00001",
        "N00002,N00001",
        "N9",
        "x;rm -rf",
        "--municipality",
        "Tjörn",
        "1419",
        "all",
        "G1",
        "Ha\u{30a}bo",
        "\u{200b}Tjörn",
        "--years",
        "2022",
        "2018-2022",
        "2022-2018",
        "99999999999",
        "-1",
        "--year",
        "--format",
        "csv",
        "json",
        "xlsx",
        "parquet",
        "table",
        "-o",
        "/dev/null",
        "/dev/full",
        "out.csv",
        "out.xlsx",
        "pack",
        ".",
        "--gender",
        "all",
        "--peers",
        "auto",
        "grannar",
        "--against",
        "riket",
        "--area",
        "äldreomsorg",
        "tiny",
        "--since",
        "2020-01-01",
        "world",
        "--force",
        "--lang",
        "en",
        "",
        "-",
        "--",
        "💥",
        "=HYPERLINK(\"x\")",
        "--csv-dialect",
        "excel-sv",
        "--quiet",
        "--jobs",
        "0",
    ];
    let mut rng = fastrand::Rng::with_seed(FUZZ_SEED);
    for _ in 0..160 {
        let mut args: Vec<String> = commands[rng.usize(..commands.len())]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for _ in 0..rng.usize(0..7) {
            args.push(pick(&mut rng, &pieces).to_string());
        }
        let out = run(in_world(&root, &data, dir.path()).args(&args));
        documented(&format!("{args:?}"), &out);
    }
}

#[test]
fn fuzzed_specs_end_with_a_documented_code() {
    let dir = tempfile::tempdir().unwrap();
    let (root, data) = fuzz_world(dir.path());
    let long_title = format!("title = \"{}\"", "x".repeat(40_000));
    let parts: [&[&str]; 5] = [
        &[
            "municipality = \"Tjörn\"",
            "municipality = \"1419\"",
            "network = \"natverk\"",
            "municipality = \"Nowhere\"",
            "network = \"grannar\"",
            "network = \"G1\"",
            "",
            "municipality = \"Tjörn\"\nnetwork = \"natverk\"",
        ],
        &[
            "sets = [\"tiny\"]",
            "sets = []",
            "sets = [\"tiny\", \"tiny\"]",
            "sets = \"tiny\"",
            "sets = [\"nope\"]",
            "sets = [\"../../etc/passwd\"]",
        ],
        &[
            "peers = [\"grannar\"]",
            "peers = [\"auto\"]",
            "peers = [\"G1\"]",
            "peers = []",
            "peers = [\"grannar\", \"G1\"]",
            "",
        ],
        &[
            "years = \"2018-2022\"",
            "years = \"2022\"",
            "years = \"2022-2018\"",
            "years = 5",
            "years = \"1900-2100\"",
            "years = \"0-99999999999\"",
            "",
        ],
        &[
            "lang = \"en\"",
            "lang = \"xx\"",
            "title = \"<script>alert(1)</script>\"",
            &long_title,
            "cost_quality = [\"N00001\", \"N00002\"]",
            "explain = [\"äldreomsorg\"]",
            "[[[",
            "\u{feff}",
            "unknown = 1",
            "[peers]\ntiny = [\"grannar\"]",
            "",
        ],
    ];
    let mut rng = fastrand::Rng::with_seed(FUZZ_SEED);
    for i in 0..60 {
        let mut lines: Vec<String> = parts
            .iter()
            .map(|p| pick(&mut rng, p).to_string())
            .collect();
        // Tables last (TOML keys after a table header belong to it), or shuffled.
        if rng.bool() {
            rng.shuffle(&mut lines);
        }
        let mut text = lines.join("\n") + "\n";
        if rng.u8(..4) == 0 {
            text = text.replace('\n', "\r\n");
        }
        if rng.u8(..4) == 0 && !text.is_empty() {
            let at = text
                .char_indices()
                .nth(rng.usize(..text.chars().count()))
                .unwrap()
                .0;
            text.remove(at);
        }
        let spec = dir.path().join(format!("spec{i}.toml"));
        std::fs::write(&spec, &text).unwrap();
        let out = run(in_world(&root, &data, dir.path())
            .arg("report")
            .arg(&spec)
            .arg("-o")
            .arg(dir.path().join(format!("pack{i}"))));
        documented(&format!("{text:?}"), &out);
    }
}

#[test]
fn fuzzed_mirror_answers_end_with_a_documented_code() {
    let values = [
        "12.5",
        "null",
        "1e400",
        "-0",
        "\"12\"",
        "true",
        "[]",
        "{}",
        "1.797e308",
        "\"NaN\"",
        "-4.5",
    ];
    let periods = [
        "2022",
        "\"2022\"",
        "4294969316",
        "-1",
        "null",
        "2022.5",
        "\"20x2\"",
    ];
    let ids = [
        "\"1419\"",
        "\"../etc\"",
        "\"0000\"",
        "\"G1\"",
        "\"\"",
        "1419",
        "null",
    ];
    let nexts = [
        "",
        r#","next_url":"/v3/data/kpi/N20900?page=2""#,
        r#","next_url":"http://evil.example/""#,
        r#","next_url":null"#,
        r#","next_url":5"#,
    ];
    let noise = [
        '"', '{', '}', '[', ']', ',', ':', '\\', '0', '-', 'e', '\u{1b}', 'é',
    ];
    let mut rng = fastrand::Rng::with_seed(FUZZ_SEED);
    for _ in 0..50 {
        let row = format!(
            r#"{{"kpi":"N20900","municipality":{},"period":{},"values":[{{"gender":"T","status":"","value":{}}}]}}"#,
            pick(&mut rng, &ids),
            pick(&mut rng, &periods),
            pick(&mut rng, &values)
        );
        let mut body = format!(r#"{{"values":[{row}]{}}}"#, pick(&mut rng, &nexts));
        match rng.u8(..4) {
            0 => body.truncate(rng.usize(..body.len())),
            1 => {
                let at = rng.usize(..body.len());
                if body.is_char_boundary(at) {
                    body.insert(at, noise[rng.usize(..noise.len())]);
                }
            }
            _ => {}
        }
        let out = mirror_answers_values(body.clone());
        documented(&body, &out);
    }
}

// 13. Excel's limits and the workbook's own sheet names.

#[test]
fn a_set_named_like_a_sheet_and_text_past_excels_limit() {
    let dir = tempfile::tempdir().unwrap();
    let (root, data) = fuzz_world(dir.path());
    let set = std::fs::read_to_string(data.join("sets/tiny.toml")).unwrap();
    std::fs::write(
        data.join("sets/tiny.toml"),
        set.replace("title = \"Tiny\"", "title = \"Källa\""),
    )
    .unwrap();
    let spec = dir.path().join("spec.toml");
    std::fs::write(&spec, "municipality = \"Tjörn\"\nsets = [\"tiny\"]\npeers = [\"grannar\"]\nyears = \"2020-2022\"\n").unwrap();
    let pack = dir.path().join("pack");
    let out = run(in_world(&root, &data, dir.path())
        .arg("report")
        .arg(&spec)
        .arg("-o")
        .arg(&pack));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let book = zip_text(&pack.join("report.xlsx"), "xl/workbook.xml");
    assert!(
        book.contains("name=\"Källa 2\"") && book.contains("name=\"Källa\""),
        "{book}"
    );

    // A label past what an Excel cell holds.
    let set = std::fs::read_to_string(data.join("sets/tiny.toml")).unwrap();
    let long = set.replacen(
        "label = \"Kostnad\"",
        &format!("label = \"{}\"", "x".repeat(40_000)),
        1,
    );
    assert_ne!(set, long);
    std::fs::write(data.join("sets/tiny.toml"), long).unwrap();
    let out = run(in_world(&root, &data, dir.path())
        .arg("report")
        .arg(&spec)
        .arg("-o")
        .arg(dir.path().join("long")));
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("use CSV or Parquet"),
        "{}",
        stderr(&out)
    );
}

#[test]
#[cfg(unix)]
fn a_file_size_limit_is_an_output_error_and_the_old_file_stays() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("out.csv");
    std::fs::write(&out_file, "the old file\n").unwrap();
    let binary = env!("CARGO_BIN_EXE_nyckeltal");
    let out = run(std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -f 4; exec \"{binary}\" --source \"$1\" values --kpi N20900 --municipality all --years 2010-2022 -o \"$2\""
        ))
        .arg("sh")
        .arg(shared_data())
        .arg(&out_file));
    assert_eq!(code(&out), 7, "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&out_file).unwrap(),
        "the old file\n"
    );
}

// 14. A member named twice is one member; a password in --api-url is never shown.

#[test]
fn a_network_names_each_member_once() {
    let dir = tempfile::tempdir().unwrap();
    let (root, data) = fuzz_world(dir.path());
    let spec = dir.path().join("spec.toml");
    // natverk lists Tjörn twice, and "1419" is Tjörn again.
    let list = std::fs::read_to_string(data.join("peers/natverk.toml")).unwrap();
    std::fs::write(
        data.join("peers/natverk.toml"),
        list.replace("\"Orust\", ", "\"Orust\", \"1419\", "),
    )
    .unwrap();
    std::fs::write(
        &spec,
        "network = \"natverk\"\nsets = [\"tiny\"]\nyears = \"2022\"\n",
    )
    .unwrap();
    let pack = dir.path().join("pack");
    let out = run(in_world(&root, &data, dir.path())
        .arg("report")
        .arg(&spec)
        .arg("-o")
        .arg(&pack));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let rows = csv_rows(&std::fs::read_to_string(pack.join("data.csv")).unwrap());
    let tjorn = rows
        .iter()
        .filter(|r| {
            r.get("municipality_id").map(String::as_str) == Some("1419") && r["kpi"] == "N00001"
        })
        .count();
    assert_eq!(tjorn, 1, "{rows:?}");
}

#[test]
fn credentials_in_the_api_url_are_never_printed() {
    let cache = tempfile::tempdir().unwrap();
    let out = run(nyckeltal("http://ann:s3cret@127.0.0.1:9/v3", cache.path())
        .args(["--tries", "1", "kpi", "search", "kostnad"]));
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("s3cret") && !stderr(&out).contains("ann:"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("***@127.0.0.1"), "{}", stderr(&out));
}

// 7. Control characters in hand-written files.

/// No byte that a terminal takes as a command or XML refuses: control
/// characters other than tab and line breaks, bidirectional overrides.
fn commandless(text: &str) -> bool {
    !text.chars().any(|c| {
        (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

#[test]
fn control_characters_in_own_files_never_reach_a_terminal_or_xml() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("sets")).unwrap();
    std::fs::create_dir_all(data.join("peers")).unwrap();
    std::fs::write(
        data.join("sets/ond.toml"),
        "title = \"Ond \\u001b]0;pwned\\u0007 \u{202e}uppsättning\"\narea = \"äldreomsorg\"\n\n\
         [[kpi]]\nid = \"N20007\"\nlabel = \"Kostnad \\u001b[2J\\e]52;c;aGk=\\u0007 65+ \\u202E\"\n\
         unit = \"kr\\b/inv\"\ndirection = \"neutral\"\nscale = \"amount\"\nwhy = \"x\\fy\"\n",
    )
    .unwrap();
    std::fs::write(
        data.join("peers/onda.toml"),
        "title = \"Grannar \\U0000001B[31m\"\nmunicipality = \"Tjörn\"\nmembers = [\"Orust\", \"Stenungsund\"]\n",
    )
    .unwrap();
    let with_data = || {
        let mut command = nyckeltal_offline_snapshot();
        command.env("NYCKELTAL_DATA_DIR", &data);
        command
    };
    let compare = [
        "compare",
        "Tjörn",
        "--set",
        "ond",
        "--peers",
        "onda",
        "--summary",
    ];
    let out = ok(with_data().args(compare));
    assert!(
        out.contains("Kostnad") && out.contains("uppsättning"),
        "{out}"
    );
    assert!(commandless(&out), "{out:?}");

    let book = dir.path().join("ond.xlsx");
    ok(with_data().args(compare).arg("-o").arg(&book));
    for part in [
        "xl/styles.xml",
        "xl/sharedStrings.xml",
        "xl/worksheets/sheet1.xml",
    ] {
        let xml = zip_text(&book, part);
        assert!(commandless(&xml), "{part}: {xml:?}");
    }
    let spec = dir.path().join("spec.toml");
    std::fs::write(
        &spec,
        "title = \"Ond \\u001b]0;x\\u0007\"\nmunicipality = \"Tjörn\"\nsets = [\"ond\"]\nyears = \"2018-2022\"\n\n[peers]\nond = [\"onda\"]\n",
    )
    .unwrap();
    let pack = dir.path().join("pack");
    ok(with_data().arg("report").arg(&spec).arg("-o").arg(&pack));
    let page = std::fs::read_to_string(pack.join("report.html")).unwrap();
    assert!(page.contains("uppsättning"));
    assert!(commandless(&page), "report.html");
}

#[test]
fn a_cache_held_by_a_stopped_run_delays_a_fetch_only_briefly() {
    let emulator = emulator();
    let cache = tempfile::tempdir().unwrap();
    let folder = cache
        .path()
        .join(format!("127.0.0.1_{}-v3", emulator.addr().port()));
    std::fs::create_dir_all(&folder).unwrap();
    // Another run, stopped with Ctrl-Z while it held the lock.
    let held = std::fs::File::create(folder.join(".lock")).unwrap();
    held.lock().unwrap();
    let mut command = nyckeltal(&emulator.url(), cache.path());
    command.args(TJORN_N20900_2022);
    let output = ends_within(command, std::time::Duration::from_secs(60));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("-4.5628"));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("held the cache folder") && said.contains("not kept"),
        "{said}"
    );
    drop(held);
    let offline = run(nyckeltal(&emulator.url(), cache.path())
        .arg("--offline")
        .args(TJORN_N20900_2022));
    assert_eq!(
        code(&offline),
        4,
        "nothing was stored: {}",
        stderr(&offline)
    );
}

#[test]
fn a_pack_folder_that_names_no_folder_or_holds_a_home_is_refused_at_once() {
    for folder in [".", "/", ".."] {
        fails_offline(
            &["report", "examples/tjorn-hosten.toml", "-o", folder],
            7,
            "names no new folder",
        );
    }
    // A folder full of someone's files: refused before the pack is built,
    // naming a few of them, without walking all of it.
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    for i in 0..50 {
        std::fs::create_dir_all(home.join(format!("d{i:02}/deep/deeper"))).unwrap();
        std::fs::write(home.join(format!("d{i:02}/deep/deeper/f.txt")), "x").unwrap();
    }
    let out = run(nyckeltal_offline_snapshot()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["report", "examples/tjorn-hosten.toml", "-o"])
        .arg(&home));
    assert_eq!(code(&out), 7, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("d00/, d01/, d02/, d03/ and more"),
        "{}",
        stderr(&out)
    );
}

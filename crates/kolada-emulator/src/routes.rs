//! Answering one request: faults first, then the v3 routes, paging and gzip.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Value};
use tiny_http::{Header, Response};

use crate::data::{lock, GENDERS};
use crate::groups::group_rows;
use crate::{State, MAX_IDS_PER_SLOT, PER_PAGE};

/// (entity, year) → per gender (value, count): the cells of a data answer.
type Cells = BTreeMap<(String, i32), [(Option<f64>, u32); 3]>;

struct Answer {
    status: u16,
    body: Vec<u8>,
    retry_after: Option<u64>,
    fault: Option<&'static str>,
}

impl Answer {
    fn json(status: u16, value: &Value) -> Answer {
        Answer {
            status,
            body: value.to_string().into_bytes(),
            retry_after: None,
            fault: None,
        }
    }

    fn error(status: u16, message: &str) -> Answer {
        Answer::json(status, &json!({ "error": message }))
    }

    fn fault(status: u16, message: &str, fault: &'static str) -> Answer {
        Answer {
            fault: Some(fault),
            ..Answer::error(status, message)
        }
    }
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name, value).ok()
}

impl State {
    pub(crate) fn answer(&self, request: tiny_http::Request, addr: SocketAddr) {
        let started = Instant::now();
        self.counters.requests.fetch_add(1, Ordering::SeqCst);
        let target = request.url().to_string();
        let gzip = request
            .headers()
            .iter()
            .any(|h| h.field.equiv("Accept-Encoding") && h.value.as_str().contains("gzip"));
        if !self.config.latency.is_zero() {
            std::thread::sleep(self.config.latency);
        }
        let is_data = target.contains("/data/");
        let outage = is_data
            && self.counters.data_requests.load(Ordering::SeqCst)
                >= self.outage_after.load(Ordering::SeqCst);
        let mut answer = if outage {
            Answer::fault(503, "Service unavailable", "outage")
        } else {
            self.fault().unwrap_or_else(|| self.route(&target, addr))
        };
        let mut headers: Vec<Header> = header("Content-Type", "application/json")
            .into_iter()
            .collect();
        if let Some(seconds) = answer.retry_after {
            headers.extend(header("Retry-After", &seconds.to_string()));
        }
        if gzip && answer.status == 200 {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let _ = encoder.write_all(&answer.body);
            answer.body = encoder.finish().unwrap_or_default();
            headers.extend(header("Content-Encoding", "gzip"));
        }
        if answer.status == 200 && answer.body.len() > 1 && self.chance(self.config.truncate_rate) {
            let cut = 1 + lock(&self.rng).usize(..answer.body.len() - 1);
            answer.body.truncate(cut);
            answer.fault = Some("truncated");
        }
        if answer.fault.is_some() {
            self.counters.faults.fetch_add(1, Ordering::SeqCst);
        }
        if is_data {
            self.counters.data_requests.fetch_add(1, Ordering::SeqCst);
        }
        let (status, bytes, fault) = (answer.status, answer.body.len(), answer.fault);
        let mut response = Response::from_data(answer.body).with_status_code(status);
        for header in headers {
            response.add_header(header);
        }
        let _ = request.respond(response);
        if let Some(log) = &self.log {
            let line = json!({
                "time": chrono::Utc::now().to_rfc3339(),
                "method": "GET",
                "url": target,
                "status": status,
                "bytes": bytes,
                "ms": started.elapsed().as_secs_f64() * 1000.0,
                "fault": fault,
            });
            let _ = writeln!(lock(log), "{line}");
        }
    }

    fn chance(&self, rate: f64) -> bool {
        rate > 0.0 && lock(&self.rng).f64() < rate
    }

    /// A rate-limit or server-error answer, when the dice say so.
    fn fault(&self) -> Option<Answer> {
        if self.config.rate_limit > 0.0 {
            let mut bucket = lock(&self.bucket);
            let now = Instant::now();
            let capacity = self.config.rate_limit.max(1.0);
            bucket.0 = (bucket.0
                + now.duration_since(bucket.1).as_secs_f64() * self.config.rate_limit)
                .min(capacity);
            bucket.1 = now;
            if bucket.0 < 1.0 {
                let mut answer = Answer::fault(429, "Too many requests", "rate_limited");
                answer.retry_after = Some(1);
                return Some(answer);
            }
            bucket.0 -= 1.0;
        }
        if self.chance(self.config.fail_rate) {
            let status = if lock(&self.rng).bool() { 500 } else { 503 };
            return Some(Answer::fault(
                status,
                "Internal server error",
                "server_error",
            ));
        }
        None
    }

    fn route(&self, target: &str, addr: SocketAddr) -> Answer {
        // A client behind a proxy sends the absolute URL: then the emulator
        // stands in for the proxy too, which lets tests check proxy support.
        let absolute = if target.starts_with("http://") {
            target.to_string()
        } else {
            format!("http://{addr}{target}")
        };
        let Ok(url) = url::Url::parse(&absolute) else {
            return Answer::error(400, "Bad request");
        };
        let segments: Vec<String> = url
            .path_segments()
            .map(|s| {
                s.filter(|p| !p.is_empty())
                    .map(|p| {
                        percent_encoding::percent_decode_str(p)
                            .decode_utf8_lossy()
                            .into_owned()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
        match segments.as_slice() {
            ["v2", ..] => {
                Answer::error(410, "This endpoint is deprecated. Please use /v3 instead.")
            }
            ["v3", rest @ ..] => self.route_v3(rest, &query, &url),
            _ => Answer::error(404, "Not found"),
        }
    }

    fn route_v3(&self, path: &[&str], query: &HashMap<String, String>, url: &url::Url) -> Answer {
        let title = query.get("title").map(|t| fold(t));
        let kind = query.get("region_type").or_else(|| query.get("type"));
        let snapshot = &self.snapshot;
        let listed = match path {
            ["kpi", rest @ ..] => listing(&snapshot.kpis, rest.first(), title.as_deref(), |_| true),
            ["municipality", rest @ ..] => listing(
                &snapshot.municipalities,
                rest.first(),
                title.as_deref(),
                |m| kind.is_none_or(|k| m["type"].as_str() == Some(k.as_str())),
            ),
            ["municipality_groups", rest @ ..] => {
                listing(&snapshot.groups, rest.first(), title.as_deref(), |_| true)
            }
            ["kpi_groups", ..] | ["ou", ..] | ["oudata", ..] => Ok(Vec::new()),
            ["data", rest @ ..] => {
                return match self.data_rows_cached(url.path(), rest) {
                    Ok(rows) => self.page(&rows, query, url),
                    Err(answer) => answer,
                }
            }
            _ => Err(Answer::error(404, "Not found")),
        };
        match listed {
            Ok(items) => self.page(&items, query, url),
            Err(answer) => answer,
        }
    }

    /// The rows of a data query, kept for the last few queries so that
    /// paging through a large one builds its rows once, not once per page.
    fn data_rows_cached(&self, key: &str, path: &[&str]) -> Result<Arc<Vec<Value>>, Answer> {
        const KEPT: usize = 4;
        if let Some((_, rows)) = lock(&self.recent).iter().find(|(k, _)| k == key) {
            return Ok(Arc::clone(rows));
        }
        let rows = Arc::new(self.data_rows(path)?);
        let mut recent = lock(&self.recent);
        recent.push((key.to_string(), Arc::clone(&rows)));
        if recent.len() > KEPT {
            recent.remove(0);
        }
        Ok(rows)
    }

    fn data_rows(&self, path: &[&str]) -> Result<Vec<Value>, Answer> {
        // The query-string form (`/v3/data?kpi=`) answers an empty list, as Kolada does.
        if path.is_empty() {
            return Ok(Vec::new());
        }
        let slots = slots(path)?;
        let years: Option<HashSet<i32>> = match slots.get("year") {
            Some(list) => Some(
                list.iter()
                    .map(|y| y.parse::<i32>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| Answer::error(422, "year must be a list of years"))?,
            ),
            None => None,
        };
        let kpis: Vec<String> = match slots.get("kpi") {
            Some(list) => list.iter().map(|k| k.to_uppercase()).collect(),
            None => self
                .snapshot
                .kpis
                .iter()
                .filter_map(|k| k["id"].as_str().map(str::to_string))
                .collect(),
        };
        let mut rows = Vec::new();
        for kpi in &kpis {
            rows.extend(self.kpi_rows(kpi, slots.get("municipality"), years.as_ref())?);
        }
        Ok(rows)
    }

    /// One KPI's rows: the asked places' values, and each asked group's mean.
    fn kpi_rows(
        &self,
        kpi: &str,
        entities: Option<&Vec<String>>,
        years: Option<&HashSet<i32>>,
    ) -> Result<Vec<Value>, Answer> {
        let table = self
            .snapshot
            .table(kpi)
            .map_err(|e| Answer::error(500, &e.to_string()))?;
        let mut cells = Cells::new();
        for ((entity, year), values) in table.iter() {
            let year_ok = years.is_none_or(|y| y.contains(year));
            let entity_ok = entities.is_none_or(|e| e.contains(entity));
            if year_ok && entity_ok {
                let cell = values.map(|v| (v, u32::from(v.is_some())));
                cells.insert((entity.clone(), *year), cell);
            }
        }
        for group in entities.into_iter().flatten().filter(|e| is_group_id(e)) {
            let Some(members) = self.snapshot.group_members(group) else {
                continue;
            };
            for (year, means) in group_rows(&table, &members, years) {
                let cell = cells.entry((group.clone(), year)).or_insert([(None, 0); 3]);
                for (slot, mean) in cell.iter_mut().zip(means) {
                    if let Some((value, count)) = mean {
                        *slot = (Some(value), count);
                    }
                }
            }
        }
        let genders = if self.snapshot.divided.contains(kpi) {
            3
        } else {
            1
        };
        Ok(cells
            .into_iter()
            .map(|((entity, year), cell)| {
                let mut entries: Vec<Value> = (0..genders)
                    .map(|g| {
                        json!({"gender": GENDERS[g], "count": cell[g].1, "status": "", "value": cell[g].0, "isdeleted": false})
                    })
                    .collect();
                // Kolada does not keep the gender entries in a fixed order.
                let turn = (year as usize + entity.bytes().map(usize::from).sum::<usize>())
                    % entries.len();
                entries.rotate_left(turn);
                json!({"kpi": kpi, "municipality": entity, "period": year, "values": entries})
            })
            .collect())
    }

    fn page(&self, items: &[Value], query: &HashMap<String, String>, url: &url::Url) -> Answer {
        let number = |name: &str, default: usize| -> Result<usize, Answer> {
            match query.get(name) {
                None => Ok(default),
                Some(text) => text
                    .parse()
                    .map_err(|_| Answer::error(422, &format!("{name} must be a whole number"))),
            }
        };
        let (per_page, page) = match (number("per_page", PER_PAGE), number("page", 1)) {
            (Ok(per_page), Ok(page)) => (per_page, page),
            (Err(answer), _) | (_, Err(answer)) => return answer,
        };
        if per_page == 0 || per_page > PER_PAGE {
            return Answer::error(422, &format!("per_page must be between 1 and {PER_PAGE}"));
        }
        if page == 0 {
            return Answer::error(422, "page must be 1 or more");
        }
        let start = (page - 1).saturating_mul(per_page).min(items.len());
        let end = (start + per_page).min(items.len());
        let link = |to: usize| -> Value {
            let mut next = url.clone();
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .into_owned()
                .filter(|(k, _)| k != "page")
                .collect();
            next.query_pairs_mut()
                .clear()
                .extend_pairs(pairs)
                .append_pair("page", &to.to_string());
            if self.config.relative_next_url {
                Value::String(format!("{}?{}", next.path(), next.query().unwrap_or("")))
            } else {
                Value::String(next.to_string())
            }
        };
        let next_url = if end < items.len() {
            link(page + 1)
        } else {
            Value::Null
        };
        let previous_url = if page > 1 {
            link(page - 1)
        } else {
            Value::Null
        };
        let values = &items[start..end];
        Answer::json(
            200,
            &json!({"values": values, "count": values.len(), "next_url": next_url, "previous_url": previous_url}),
        )
    }
}

/// The slots of a data path (`kpi/…/municipality/…/year/…`): at least two,
/// each a list of at most 25 values.
fn slots<'p>(path: &[&'p str]) -> Result<HashMap<&'p str, Vec<String>>, Answer> {
    if path.len() % 2 != 0 {
        return Err(Answer::error(404, "Not found"));
    }
    let mut slots = HashMap::new();
    for pair in path.chunks(2) {
        if !matches!(pair[0], "kpi" | "municipality" | "year") {
            return Err(Answer::error(404, "Not found"));
        }
        let list: Vec<String> = pair[1]
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if list.len() > MAX_IDS_PER_SLOT {
            return Err(too_many());
        }
        slots.insert(pair[0], list);
    }
    if slots.len() < 2 {
        return Err(Answer::error(404, "Not found"));
    }
    Ok(slots)
}

/// A metadata list, filtered by ids in the path (at most 25), `?title=` and `keep`.
fn listing(
    items: &[Value],
    id_slot: Option<&&str>,
    title: Option<&str>,
    keep: impl Fn(&Value) -> bool,
) -> Result<Vec<Value>, Answer> {
    let wanted: Option<Vec<&str>> = id_slot.map(|slot| slot.split(',').collect());
    if wanted.as_ref().is_some_and(|w| w.len() > MAX_IDS_PER_SLOT) {
        return Err(too_many());
    }
    Ok(items
        .iter()
        .filter(|item| {
            let id = item["id"].as_str().unwrap_or("");
            let item_title = item["title"].as_str().unwrap_or("");
            wanted.as_ref().is_none_or(|w| w.contains(&id))
                && title.is_none_or(|t| fold(item_title).contains(t))
                && keep(item)
        })
        .cloned()
        .collect())
}

fn too_many() -> Answer {
    Answer::error(
        422,
        &format!("At most {MAX_IDS_PER_SLOT} ids per parameter"),
    )
}

/// A group id as Kolada writes them: G and digits.
fn is_group_id(id: &str) -> bool {
    id.len() > 1 && id.starts_with(['G', 'g']) && id[1..].bytes().all(|b| b.is_ascii_digit())
}

/// Lower case without diacritics, runs of other characters as one space,
/// for `?title=` ("Tjörns  kommun" finds "tjorns kommun").
fn fold(text: &str) -> String {
    deunicode::deunicode(text)
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

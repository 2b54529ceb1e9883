//! The snapshot folder the emulator serves, read on its own terms (it
//! shares no code with nyckeltal, so a test that compares the two compares
//! two readings of the data, not one with itself):
//!
//! ```text
//! meta/kpi.json  meta/municipality.json  meta/municipality_groups.json   (the v3 `values` arrays)
//! ddf/datapoints--by--geo--year/ddf--datapoints--<kpi>--by--geo--year.csv
//! ddf/datapoints--by--geo--gender--year/ddf--datapoints--<kpi>--by--geo--gender--year.csv
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;

/// Kolada's gender split, in the order of a value's slots: total, women, men.
pub const GENDERS: [&str; 3] = ["T", "K", "M"];

/// One KPI's values: (Kolada id, year) → the T, K and M values.
pub type KpiTable = BTreeMap<(String, i32), [Option<f64>; 3]>;

/// The metadata lists as Kolada's v3 endpoints send them, and the values,
/// read per KPI on first use.
pub struct Snapshot {
    root: PathBuf,
    pub kpis: Vec<Value>,
    pub municipalities: Vec<Value>,
    pub groups: Vec<Value>,
    /// KPIs Kolada divides by gender (they get K and M entries).
    pub divided: HashSet<String>,
    tables: Mutex<HashMap<String, Arc<KpiTable>>>,
}

impl Snapshot {
    pub fn open(root: &Path) -> Result<Snapshot> {
        let list = |name: &str| -> Result<Vec<Value>> {
            let path = root.join("meta").join(name);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            match serde_json::from_str(&text)
                .with_context(|| format!("{} is not JSON", path.display()))?
            {
                Value::Array(items) => Ok(items),
                _ => bail!("{} is not a list", path.display()),
            }
        };
        let kpis = list("kpi.json")?;
        let divided = kpis
            .iter()
            .filter(|k| k["is_divided_by_gender"] == Value::Bool(true))
            .filter_map(|k| k["id"].as_str().map(str::to_string))
            .collect();
        Ok(Snapshot {
            root: root.to_path_buf(),
            municipalities: list("municipality.json")?,
            groups: list("municipality_groups.json")?,
            kpis,
            divided,
            tables: Mutex::new(HashMap::new()),
        })
    }

    /// The member ids of a group, `None` for an unknown group.
    pub fn group_members(&self, id: &str) -> Option<Vec<String>> {
        let group = self.groups.iter().find(|g| g["id"].as_str() == Some(id))?;
        Some(
            group["members"]
                .as_array()
                .map(|members| {
                    members
                        .iter()
                        .filter_map(|m| m["member_id"].as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
        )
    }

    /// Every value of one KPI (an empty table when the dump has none).
    pub fn table(&self, kpi: &str) -> Result<Arc<KpiTable>> {
        if let Some(table) = lock(&self.tables).get(kpi) {
            return Ok(Arc::clone(table));
        }
        if !kpi.bytes().all(|b| b.is_ascii_alphanumeric()) {
            bail!("'{kpi}' is not a KPI id");
        }
        let lower = kpi.to_lowercase();
        let mut table = KpiTable::new();
        let totals = self.root.join(format!(
            "ddf/datapoints--by--geo--year/ddf--datapoints--{lower}--by--geo--year.csv"
        ));
        read_csv(&totals, false, &mut table)?;
        let split = self.root.join(format!(
            "ddf/datapoints--by--geo--gender--year/ddf--datapoints--{lower}--by--geo--gender--year.csv"
        ));
        read_csv(&split, true, &mut table)?;
        let table = Arc::new(table);
        lock(&self.tables).insert(kpi.to_string(), Arc::clone(&table));
        Ok(table)
    }
}

/// A mutex's content, also after another thread panicked holding it.
pub fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// One DDF datapoints file into `table`; nothing when the file is absent.
fn read_csv(path: &Path, by_gender: bool, table: &mut KpiTable) -> Result<()> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(anyhow!("reading {}: {e}", path.display())),
    };
    for (n, line) in text.lines().enumerate().skip(1) {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').collect();
        let bad = || anyhow!("{} line {}: '{line}'", path.display(), n + 1);
        let (geo, gender, year, value) = match (by_gender, fields.as_slice()) {
            (false, [geo, year, value]) => (*geo, 0, *year, *value),
            (true, [geo, gender, year, value]) => {
                let slot = match *gender {
                    "k" | "K" => 1,
                    "m" | "M" => 2,
                    _ => return Err(bad()),
                };
                (*geo, slot, *year, *value)
            }
            _ => return Err(bad()),
        };
        let year: i32 = year.parse().map_err(|_| bad())?;
        let value: f64 = value.parse().map_err(|_| bad())?;
        // A code of up to four digits and a finite number, or the file is damaged.
        let code = !geo.is_empty() && geo.len() <= 4 && geo.bytes().all(|b| b.is_ascii_digit());
        if !code || !value.is_finite() {
            return Err(bad());
        }
        // The dump's geo codes: 1419 stays, a region's 14 is 0014, Riket's 0 is 0000.
        let id = format!("{geo:0>4}");
        table.entry((id, year)).or_insert([None; 3])[gender] = Some(value);
    }
    Ok(())
}

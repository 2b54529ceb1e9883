//! `nyckeltal set list` — the indicator sets and where their files are.
//! `nyckeltal set show NAME` — the KPIs of one set, checked against Kolada's catalogue.

use anyhow::Result;

use super::open_source;
use crate::catalogue::Catalogue;
use crate::flags::{GlobalArgs, SetCommand};
use crate::frame::{table_frame, Cell, Kind};
use crate::refdata::RefData;
use crate::render::{emit, Target};

pub fn run(command: &SetCommand, global: &GlobalArgs) -> Result<()> {
    let refdata = RefData::new(global.data_dir.clone());
    match command {
        SetCommand::List { output } => {
            let target = Target::from_flags(output)?;
            let mut rows = Vec::new();
            for (name, origin) in refdata.set_names() {
                let set = refdata.set(&name)?;
                let where_ = origin.shown();
                rows.push(vec![
                    Cell::from(name),
                    Cell::from(set.title),
                    Cell::from(set.entries.len()),
                    Cell::from(where_),
                ]);
            }
            let mut frame = table_frame(
                &[
                    ("name", Kind::Text),
                    ("title", Kind::Text),
                    ("kpis", Kind::Int),
                    ("file", Kind::Text),
                ],
                rows,
            )?;
            let own = refdata
                .user_dir()
                .map(|d| format!("Your own sets go in {}", d.join("sets").display()))
                .unwrap_or_default();
            emit(&mut frame, &target, &[own])
        }
        SetCommand::Show { name, output } => {
            let target = Target::from_flags(output)?;
            let set = refdata.set(name)?;
            let source = open_source(global)?;
            let catalogue = Catalogue::new(source.as_ref());
            set.check(&catalogue)?;
            let mut rows = Vec::new();
            for entry in &set.entries {
                let title = catalogue
                    .kpi(&entry.kpi)?
                    .map(|k| k.title.clone())
                    .unwrap_or_default();
                rows.push(vec![
                    Cell::from(&entry.kpi),
                    Cell::from(&entry.label),
                    Cell::from(&entry.unit),
                    Cell::from(entry.direction.name()),
                    Cell::from(entry.area.clone()),
                    Cell::from(title),
                    Cell::from(entry.scale.map(|s| s.name()).unwrap_or("(from the title)")),
                    Cell::from(
                        entry
                            .breaks
                            .iter()
                            .map(i32::to_string)
                            .collect::<Vec<_>>()
                            .join(","),
                    ),
                    Cell::from(entry.why.clone()),
                ]);
            }
            let columns = [
                "kpi",
                "label",
                "unit",
                "direction",
                "area",
                "kolada_title",
                "scale",
                "breaks",
                "why",
            ]
            .map(|c| (c, Kind::Text));
            let mut frame = table_frame(&columns, rows)?;
            let mut footer = vec![format!(
                "{} — {} ({})",
                set.name, set.title, set.origin.path
            )];
            if let Some(text) = &set.not_measured {
                footer.push(format!("Not measured by Kolada: {text}"));
            }
            emit(&mut frame, &target, &footer)
        }
    }
}

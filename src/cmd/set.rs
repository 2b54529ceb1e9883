//! `nyckeltal set list` — the indicator sets and where their files are.
//! `nyckeltal set show NAME` — the KPIs of one set, checked against Kolada's catalogue.

use anyhow::Result;

use super::open_source;
use crate::catalogue::Catalogue;
use crate::flags::{GlobalArgs, SetCommand};
use crate::frame::text_frame;
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
                let where_ = if origin.builtin {
                    format!("{} (built in)", origin.path)
                } else {
                    origin.path
                };
                rows.push(vec![name, set.title, set.entries.len().to_string(), where_]);
            }
            let mut frame = text_frame(&["name", "title", "kpis", "file"], rows)?;
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
                    entry.kpi.clone(),
                    entry.label.clone(),
                    entry.unit.clone(),
                    entry.direction.name().to_string(),
                    entry.area.clone().unwrap_or_default(),
                    title,
                    entry
                        .scale
                        .map(|s| s.name().to_string())
                        .unwrap_or_else(|| "(from the title)".to_string()),
                    entry
                        .breaks
                        .iter()
                        .map(i32::to_string)
                        .collect::<Vec<_>>()
                        .join(","),
                    entry.why.clone().unwrap_or_default(),
                ]);
            }
            let mut frame = text_frame(
                &[
                    "kpi",
                    "label",
                    "unit",
                    "direction",
                    "area",
                    "kolada_title",
                    "scale",
                    "breaks",
                    "why",
                ],
                rows,
            )?;
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

//! `nyckeltal paths`
//!
//! Where nyckeltal keeps things on this system, as the code decides it
//! (the `directories` crate's conventions, or the flags and environment
//! variables that override them): the cache, and the data directory where
//! your own indicator sets and peer lists go.

use anyhow::Result;

use crate::analysis::table::{table_of, Cell, Kind};
use crate::cli::flags::GlobalArgs;
use crate::cli::session::refdata;
use crate::render::exports::{emit, Target};
use crate::source::cache::Cache;

pub(crate) fn run(global: &GlobalArgs) -> Result<()> {
    let show = |p: Option<std::path::PathBuf>| {
        Cell::from(
            p.map(|p| p.display().to_string())
                .unwrap_or_else(|| "(none on this system)".into()),
        )
    };
    let cache = global.cache_dir().or_else(Cache::default_root);
    let data = refdata(global).user_dir().map(|d| d.to_path_buf());
    let rows = vec![
        vec![
            Cell::from("cache"),
            show(cache),
            Cell::from("--cache-dir, NYCKELTAL_CACHE_DIR"),
        ],
        vec![
            Cell::from("own sets"),
            show(data.as_ref().map(|d| d.join("sets"))),
            Cell::from("--data-dir, NYCKELTAL_DATA_DIR"),
        ],
        vec![
            Cell::from("own peer lists"),
            show(data.as_ref().map(|d| d.join("peers"))),
            Cell::from("--data-dir, NYCKELTAL_DATA_DIR"),
        ],
    ];
    let table = table_of(
        &[
            ("what", Kind::Text),
            ("path", Kind::Text),
            ("set by", Kind::Text),
        ],
        rows,
    )?;
    emit(&table, &Target::terminal(), &[])
}

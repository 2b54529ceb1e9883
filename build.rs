//! Builds the files in `data/` into the binary: every `data/sets/*.toml`,
//! `data/peers/*.toml`, `data/similarity/*.toml`, `data/explain/*.toml` and `data/bases/*.toml`, so a file added there
//! is built in without touching the code.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut out = String::new();
    for (constant, folder) in [
        ("BUILTIN_SETS", "sets"),
        ("BUILTIN_PEERS", "peers"),
        ("BUILTIN_SIMILARITY", "similarity"),
        ("BUILTIN_EXPLAIN", "explain"),
        ("BUILTIN_BASES", "bases"),
    ] {
        let dir = root.join(folder);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        writeln!(out, "pub(crate) const {constant}: &[(&str, &str)] = &[").unwrap();
        for path in files {
            println!("cargo:rerun-if-changed={}", path.display());
            let name = path.file_stem().unwrap().to_str().unwrap();
            writeln!(
                out,
                "    ({name:?}, include_str!({:?})),",
                path.display().to_string()
            )
            .unwrap();
        }
        writeln!(out, "];").unwrap();
    }
    let target = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_data.rs");
    std::fs::write(target, out).unwrap();
}

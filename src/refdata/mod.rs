//! Layer 4, project-owned reference data a controller can read and edit:
//! indicator sets (`data/sets/*.toml`), peer lists (`data/peers/*.toml`),
//! similarity factors (`data/similarity/*.toml`), cost chains
//! (`data/explain/*.toml`) and report specs. Parsing
//! only: whether the ids in them exist is checked in `resolve`.
//!
//! The files in the repository's `data/` are built into the binary. Files
//! in the user's data directory (`--data-dir`, `NYCKELTAL_DATA_DIR`, or the
//! platform config dir, e.g. `~/.config/nyckeltal`) with `sets/` and
//! `peers/` inside add to them and win over a built-in file of the same
//! name. `--set` and `--peers` also take a path to a `.toml` file.

mod bases;
mod chains;
mod factors;
mod files;
mod peer_lists;
mod sets;
pub(crate) mod spec;

pub(crate) use bases::PopulationBase;
pub(crate) use chains::{Chain, ChainFactor, ChainSet, FactorKind, Form};
pub(crate) use factors::{Factor, FactorSet};
pub(crate) use files::{Origin, RefData};
pub(crate) use peer_lists::PeerList;
pub(crate) use sets::{IndicatorSet, SetEntry};

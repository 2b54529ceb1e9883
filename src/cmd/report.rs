//! `nyckeltal report SPEC.toml -o DIR`
//!
//! The autumn review pack from a saved spec: `DIR/report.html`,
//! `DIR/report.xlsx`, `DIR/data.csv` and `DIR/peers.csv`, in Swedish unless
//! `--lang en` or the spec's `lang`. The folder is built aside and put in
//! place whole.

use anyhow::Result;

use crate::cli::flags::{GlobalArgs, ReportArgs};
use crate::cli::session::{notes, with_context};
use crate::ops::report::{build, write};

pub(crate) fn run(args: &ReportArgs, global: &GlobalArgs) -> Result<()> {
    let pack = with_context(global, |cx| build(&args.spec, global.lang(), cx))?;
    write(&pack, &args.output)?;
    notes(
        global,
        &[format!(
            "wrote {}/report.html, report.xlsx, data.csv ({} rows) and peers.csv ({} rows)",
            args.output.display(),
            pack.tidy.height(),
            pack.peers.height()
        )],
    );
    Ok(())
}

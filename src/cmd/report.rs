//! `nyckeltal report SPEC.toml -o DIR [--pdf]`
//!
//! The autumn review pack from a saved spec: `DIR/report.html`,
//! `DIR/report.xlsx`, `DIR/data.csv` and `DIR/peers.csv` (and
//! `DIR/report.pdf` with `--pdf`), in Swedish unless `--lang en` or the
//! spec's `lang`. The folder is built aside and put in place whole.

use anyhow::Result;

use crate::cli::flags::{GlobalArgs, ReportArgs};
use crate::cli::session::{notes, with_context};
use crate::ops::report::{build, check_target, write};
use crate::render::pdf::find_browser;

pub(crate) fn run(args: &ReportArgs, global: &GlobalArgs) -> Result<()> {
    // The browser is found before the work, so a missing one costs nothing.
    let browser = args
        .pdf
        .then(|| find_browser(args.browser.as_deref()))
        .transpose()?;
    // So is a folder that cannot take the pack.
    check_target(&args.output)?;
    let pack = with_context(global, |cx| build(&args.spec, global.lang(), cx))?;
    write(&pack, &args.output, browser.as_ref())?;
    let pdf = if browser.is_some() {
        "report.pdf, "
    } else {
        ""
    };
    notes(
        global,
        &[format!(
            "wrote {}/report.html, {pdf}report.xlsx, data.csv ({} rows) and peers.csv ({} rows)",
            args.output.display(),
            pack.tidy.height(),
            pack.peers.height()
        )],
    );
    Ok(())
}

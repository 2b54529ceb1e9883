//! Progress on a terminal: a bar per piece of work the lower layers
//! report through `base::progress::Progress`; nothing when piped or
//! `--quiet`.

use std::cell::RefCell;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::flags::GlobalArgs;
use crate::base::progress::Progress;

/// The bar of the piece of work under way, if a terminal shows one.
pub(crate) struct Bar {
    shown: bool,
    bar: RefCell<Option<ProgressBar>>,
}

impl Bar {
    pub(crate) fn new(global: &GlobalArgs) -> Bar {
        Bar {
            shown: !global.quiet && std::io::stderr().is_terminal(),
            bar: RefCell::new(None),
        }
    }
}

impl Progress for Bar {
    /// A bar that shows only once there is work to count: never an empty "0/0".
    fn begin(&self, what: &str) {
        self.end();
        if !self.shown {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template(
            "{spinner} {prefix} [{bar:30}] {pos}/{len} {msg} ({elapsed}, ETA {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(what.to_string());
        *self.bar.borrow_mut() = Some(bar);
    }

    fn end(&self) {
        if let Some(bar) = self.bar.borrow_mut().take() {
            bar.finish_and_clear();
        }
    }

    fn add_work(&self, n: u64, unit: &str) {
        let bar = self.bar.borrow();
        let Some(bar) = bar.as_ref() else { return };
        if n == 0 {
            return;
        }
        bar.inc_length(n);
        bar.set_message(unit.to_string());
        if bar.is_hidden() {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
        }
    }

    fn advance(&self, n: u64) {
        if let Some(bar) = self.bar.borrow().as_ref() {
            bar.inc(n);
        }
    }

    fn message(&self, text: &str) {
        if let Some(bar) = self.bar.borrow().as_ref() {
            bar.set_message(text.to_string());
        }
    }
}

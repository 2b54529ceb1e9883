//! Layer 8, what the commands do, without the command line: plan a
//! comparison once and fetch its figures once ([`plan`]), compare one
//! municipality or several, build the review pack, find similar
//! municipalities, list changes, save snapshots; and the lookups behind the
//! listing commands. The CLI wraps each in a thin command.

pub(crate) mod calendar;
pub(crate) mod changes;
pub(crate) mod compare;
pub(crate) mod explain;
pub(crate) mod factors;
pub(crate) mod fetch;
pub(crate) mod lookup;
pub(crate) mod peer_values;
pub(crate) mod peers;
pub(crate) mod plan;
pub(crate) mod report;
pub(crate) mod similar;
pub(crate) mod snapshot;
pub(crate) mod trend;
pub(crate) mod values;

use std::cell::RefCell;

use crate::base::progress::Progress;
use crate::catalogue::Catalogue;
use crate::refdata::RefData;

/// What every operation works with: the catalogue (and through it the
/// source of figures), the reference data, where progress goes, and where
/// notes for people go.
pub(crate) struct Context<'a> {
    pub catalogue: &'a Catalogue<'a>,
    pub refdata: &'a RefData,
    pub progress: &'a dyn Progress,
    pub notes: &'a Notes,
}

/// Notes for people, collected as they arise (so that none is lost when
/// the work fails later) and shown by the command line after the work:
/// notes ("note: Tjörn is left out of its own peer group") unless
/// `--quiet`, warnings (a damaged cache file) always.
#[derive(Default)]
pub(crate) struct Notes {
    notes: RefCell<Vec<String>>,
    warnings: RefCell<Vec<String>>,
}

impl Notes {
    pub(crate) fn note(&self, note: Option<String>) {
        self.notes.borrow_mut().extend(note);
    }

    pub(crate) fn warn(&self, warnings: Vec<String>) {
        self.warnings.borrow_mut().extend(warnings);
    }

    /// The notes and the warnings so far, each given once.
    pub(crate) fn take(&self) -> (Vec<String>, Vec<String>) {
        (
            std::mem::take(&mut *self.notes.borrow_mut()),
            std::mem::take(&mut *self.warnings.borrow_mut()),
        )
    }
}

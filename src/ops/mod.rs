//! Layer 8, what the commands do, without the command line: plan a
//! comparison once and fetch its figures once ([`plan`]), compare one
//! municipality or several, build the review pack, find similar
//! municipalities, list changes, save snapshots; and the lookups behind the
//! listing commands. The CLI wraps each in a thin command.

pub(crate) mod calendar;
pub(crate) mod changes;
pub(crate) mod compare;
pub(crate) mod lookup;
pub(crate) mod peers;
pub(crate) mod plan;
pub(crate) mod report;
pub(crate) mod similar;
pub(crate) mod snapshot;
pub(crate) mod trend;
pub(crate) mod values;

use crate::base::progress::Progress;
use crate::catalogue::Catalogue;
use crate::refdata::RefData;

/// What every operation works with: the catalogue (and through it the
/// source of figures), the reference data, and where progress goes.
pub(crate) struct Context<'a> {
    pub catalogue: &'a Catalogue<'a>,
    pub refdata: &'a RefData,
    pub progress: &'a dyn Progress,
}

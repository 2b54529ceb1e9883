//! How work in a lower layer is reported while it runs (requests answered,
//! KPIs read, comparisons made), without knowing who shows it: the command
//! line draws a progress bar, a script or a test sees nothing. Notes for
//! people are not sent here: they are returned as values.

/// Progress of pieces of work, each counted in items of some unit.
pub(crate) trait Progress {
    /// A piece of work begins ("fetching", "computing").
    fn begin(&self, _what: &str) {}
    /// The piece of work is over; what showed it goes.
    fn end(&self) {}
    /// `n` more items of `unit` ("KPIs", "comparisons") are to be done.
    fn add_work(&self, n: u64, unit: &str);
    /// `n` items are done.
    fn advance(&self, n: u64);
    /// What the count stands for now ("KPIs, 4 512 values").
    fn message(&self, text: &str);
}

/// Progress nobody watches.
pub(crate) struct Silent;

impl Progress for Silent {
    fn add_work(&self, _n: u64, _unit: &str) {}
    fn advance(&self, _n: u64) {}
    fn message(&self, _text: &str) {}
}

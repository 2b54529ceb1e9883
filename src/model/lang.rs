//! The language of the review documents (report.html, workbooks, charts):
//! Swedish by default, English on request. Terminal tables, CSV column
//! names and the docs stay English: scripts depend on them. What each
//! language says is in `document::words`.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Lang {
    /// Svenska: decimal comma, space between thousands.
    #[default]
    Sv,
    /// English: decimal point, comma between thousands.
    En,
}

impl Lang {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }
}

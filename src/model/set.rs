//! A set of KPIs as the documents name it: its name, its title and what
//! Kolada does not measure for its area, in Swedish and English.

use super::lang::Lang;

#[derive(Debug, Clone)]
pub(crate) struct SetInfo {
    pub name: String,
    pub title: String,
    pub title_en: Option<String>,
    pub not_measured: Option<String>,
    pub not_measured_en: Option<String>,
    /// The set's area ("äldreomsorg", "LSS"), when it has one.
    pub area: Option<String>,
    /// The cost the brief leads the area's paragraph with.
    pub headline: Option<String>,
}

impl SetInfo {
    /// A comparison of KPIs asked one by one: named by a word, not a set.
    pub(crate) fn untitled(name: &str, title: &str) -> SetInfo {
        SetInfo {
            name: name.to_string(),
            title: title.to_string(),
            title_en: None,
            not_measured: None,
            not_measured_en: None,
            area: None,
            headline: None,
        }
    }

    /// The title in `lang`; Swedish where the set has no English title.
    pub(crate) fn title_in(&self, lang: Lang) -> &str {
        match (lang, &self.title_en) {
            (Lang::En, Some(title)) => title,
            _ => &self.title,
        }
    }

    pub(crate) fn not_measured_in(&self, lang: Lang) -> Option<&str> {
        match (lang, &self.not_measured_en) {
            (Lang::En, Some(text)) => Some(text),
            _ => self.not_measured.as_deref(),
        }
    }
}

//! The words and number formats of the review documents (report.html,
//! report.xlsx, charts, `compare`'s workbook) in each [`Lang`]: Swedish by
//! default, English with `--lang en`. Terminal tables and CSV column names
//! stay English, as scripts depend on them.

use crate::model::lang::Lang;
use crate::output::provenance::attribution;

/// How numbers are written: digit groups and the decimal sign.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NumberStyle {
    pub group: char,
    pub decimal: char,
    /// Between a number and its unit.
    pub unit_space: char,
}

/// The terminal: plain spaces between thousands, a decimal point.
pub(crate) const TERMINAL: NumberStyle = NumberStyle {
    group: ' ',
    decimal: '.',
    unit_space: ' ',
};

impl Lang {
    pub(crate) fn words(self) -> &'static Words {
        match self {
            Lang::Sv => &SV,
            Lang::En => &EN,
        }
    }

    /// Numbers in documents; the Swedish space does not break a number.
    pub(crate) fn numbers(self) -> NumberStyle {
        match self {
            Lang::Sv => NumberStyle {
                group: '\u{a0}',
                decimal: ',',
                unit_space: '\u{a0}',
            },
            Lang::En => NumberStyle {
                group: ',',
                decimal: '.',
                unit_space: '\u{a0}',
            },
        }
    }
}

/// `value` with `decimals` decimals, digits grouped by threes; `plus`
/// writes a + before positive numbers (for differences).
pub(crate) fn format_number(value: f64, decimals: usize, style: NumberStyle, plus: bool) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(style.group);
        }
        grouped.push(digit);
    }
    // A value that rounds to zero is written without a sign.
    let nonzero = text.chars().any(|c| c.is_ascii_digit() && c != '0');
    let sign = match (value < 0.0, nonzero, plus) {
        (true, true, _) => "-",
        (false, true, true) => "+",
        _ => "",
    };
    match fraction {
        Some(f) => format!("{sign}{grouped}{}{f}", style.decimal),
        None => format!("{sign}{grouped}"),
    }
}

/// Everything the documents say, in one language.
pub(crate) struct Words {
    pub kpi: &'static str,
    pub year: &'static str,
    pub value: &'static str,
    pub peer_mean: &'static str,
    pub vs_peers: &'static str,
    pub rank_in_peers: &'static str,
    pub rank_national: &'static str,
    pub band: &'static str,
    pub change: &'static str,
    pub municipality: &'static str,
    pub mean_of_others: &'static str,
    pub vs_others: &'static str,
    pub rank_in_network: &'static str,
    pub peer_group: &'static str,
    /// green, yellow, red, no value, not banded
    pub bands: [&'static str; 5],
    /// The suffix of a difference in percentage points.
    pub points: &'static str,
    /// A change not computed across a break in the series.
    pub method_change: &'static str,
    pub compared_with: &'static str,
    pub every_member_of: &'static str,
    pub peers_are: &'static str,
    pub years: &'static str,
    pub municipalities: &'static str,
    pub cost_quality: &'static str,
    pub not_measured: &'static str,
    pub how_to_read: &'static str,
    pub note_preliminary: &'static str,
    pub note_bands: &'static str,
    pub note_scales: &'static str,
    /// "{kpi}", "{year}"
    pub note_break: &'static str,
    /// "{kpis}", "{source}", "{years}"
    pub note_absent: &'static str,
    pub of: &'static str,
    pub mean_of: &'static str,
    pub median_all: &'static str,
    pub median_regions: &'static str,
    pub peer_median: &'static str,
    pub break_mark: &'static str,
    pub cost_quality_title: &'static str,
    pub others: &'static str,
    /// "{n}", "{year}", "{cost}", "{quality}"
    pub cost_quality_caption: &'static str,
    /// Lower cost, higher cost, better quality, worse quality (in the KPI's direction).
    pub quadrants: [&'static str; 4],
    pub attribution: &'static str,
    pub processing: &'static str,
    pub computed_groups: &'static str,
    pub fetched: &'static str,
    pub fetch_unknown: &'static str,
    pub made: &'static str,
    pub source_sheet: &'static str,
    pub data_sheet: &'static str,
    pub definitions: &'static [&'static str],
    pub page: &'static str,
}

pub(crate) static SV: Words = Words {
    kpi: "Nyckeltal",
    year: "År",
    value: "Värde",
    peer_mean: "Gruppens medel",
    vs_peers: "Skillnad mot gruppen",
    rank_in_peers: "Rang i gruppen",
    rank_national: "Rang i riket",
    band: "Färg",
    change: "Förändring mot året före",
    municipality: "Kommun",
    mean_of_others: "Medel för övriga",
    vs_others: "Skillnad mot övriga",
    rank_in_network: "Rang i nätverket",
    peer_group: "Jämförelsegrupp",
    bands: ["grön", "gul", "röd", "inget värde", "–"],
    points: "p.e.",
    method_change: "metodbyte",
    compared_with: "Jämfört med",
    every_member_of: "Alla medlemmar i",
    peers_are: "Jämförelsekommuner",
    years: "år",
    municipalities: "kommuner",
    cost_quality: "Kostnad och kvalitet",
    not_measured: "Det här mäter Kolada inte",
    how_to_read: "Så läses tabellerna",
    note_preliminary: "* Preliminärt värde: Kolada publicerar de slutliga värdena senare.",
    note_bands: "Färg: grön = bland de 25 % bästa av landets kommuner i nyckeltalets riktning, röd = bland de 25 % sämsta, gul = däremellan, inget värde = kommunen saknar värde. Nyckeltal utan riktning, totaler och kategorier får ingen färg.",
    note_scales: "Skillnader i andelar anges i procentenheter (p.e.), skillnader i belopp per invånare eller brukare i procent av jämförelsevärdet. Totaler (t.ex. mnkr) växer med kommunens storlek: de jämförs i sin enhet men rangordnas inte. Kategorier (t.ex. Nej/test/breddinfört) räknas, de medelvärdesbildas inte. Jämförelsegruppens värden räknas aldrig med kommunen själv.",
    note_break: "{kpi}: Kolada beräknar nyckeltalet på ett nytt sätt från {year}, vilket påverkar jämförbarheten med tidigare år. Ingen förändring beräknas över brottet; i diagrammen markeras det med en streckad linje.",
    note_absent: "{kpis}: källan ({source}) har inga värden för år {years}; nyckeltalet står därför inte i tabellerna.",
    of: "av",
    mean_of: "Medel",
    median_all: "Median, alla kommuner",
    median_regions: "Median, alla regioner",
    peer_median: "Median i jämförelsegruppen",
    break_mark: "metodbyte",
    cost_quality_title: "Kostnad och kvalitet",
    others: "Övriga kommuner",
    cost_quality_caption: "Varje punkt är en kommun ({n} med båda värdena {year}): {cost} mot {quality}. De granskade kommunerna är namngivna; de streckade linjerna är jämförelsegruppens median och delar diagrammet i fyra fält.",
    quadrants: ["lägre kostnad", "högre kostnad", "bättre kvalitet", "sämre kvalitet"],
    attribution: attribution!(),
    processing: "Jämförelsegruppernas medel, rangordningar, avvikelser och förändringar är beräknade av nyckeltal, inte av Kolada.",
    computed_groups: "Gruppmedel är beräknade av nyckeltal ur ögonblicksbilden (ovägt medel av medlemmarna med värde), inte hämtade från Kolada.",
    fetched: "Värdena hämtade från Kolada",
    fetch_unknown: "hämtningsdatum okänt",
    made: "Skapad",
    source_sheet: "Källa",
    data_sheet: "Data",
    definitions: &[
        "Jämförelsegruppens statistik (antal, medel, median, min, max) avser jämförelsekommunerna med värde, aldrig kommunen själv; medlet är ovägt, som Koladas gruppmedel.",
        "Rang: 1 = bäst i nyckeltalets riktning (för nyckeltal utan riktning: högst värde); lika värden delar den bättre rangen. Rang i riket räknas bland landets 290 kommuner med värde.",
        "Percentil i riket = 100 × (kommuner med strikt sämre värde) / (antal med värde − 1).",
        "Färg: grön när rangen i riket ligger bland de 25 % bästa, röd bland de 25 % sämsta, gul däremellan.",
        "Skillnad mot gruppen = värde − gruppens medel; för belopp även i procent av medlet (bara när medlet är större än noll). För andelar och avvikelser i procent anges skillnaden i procentenheter.",
        "Förändring = värde − föregående års värde; i procent bara för belopp med föregående värde större än noll; aldrig över ett metodbyte.",
        "Totaler (som växer med kommunens storlek) rangordnas och färgas inte. Kategorier redovisas med sin beteckning och räknas.",
    ],
    page: "Sida &P av &N",
};

pub(crate) static EN: Words = Words {
    kpi: "KPI",
    year: "Year",
    value: "Value",
    peer_mean: "Peer mean",
    vs_peers: "Difference from peers",
    rank_in_peers: "Rank among peers",
    rank_national: "Rank in Sweden",
    band: "Band",
    change: "Change on the year before",
    municipality: "Municipality",
    mean_of_others: "Mean of the others",
    vs_others: "Difference from the others",
    rank_in_network: "Rank in the network",
    peer_group: "Peer group",
    bands: ["green", "yellow", "red", "no value", "–"],
    points: "pp",
    method_change: "method change",
    compared_with: "Compared with",
    every_member_of: "Every member of",
    peers_are: "Peers",
    years: "years",
    municipalities: "municipalities",
    cost_quality: "Cost and quality",
    not_measured: "What Kolada does not measure here",
    how_to_read: "How to read the tables",
    note_preliminary: "* Preliminary: Kolada publishes the final figures later.",
    note_bands: "Band: green = among the best 25% of the country's municipalities in the KPI's direction, red = among the worst 25%, yellow = between, no value = the municipality has no figure. KPIs without a direction, totals and categories get no band.",
    note_scales: "Differences of shares are in percentage points (pp); differences of amounts per inhabitant or user in percent of the figure compared with. Totals (e.g. mnkr) grow with a municipality's size: they are compared in their unit but not ranked. Categories (e.g. no/test/in full use) are counted, never averaged. Peer figures never include the municipality itself.",
    note_break: "{kpi}: Kolada computes this KPI in a new way from {year}, which affects comparisons with earlier years. No change is computed across the break; charts mark it with a dashed line.",
    note_absent: "{kpis}: the source ({source}) has no figures for {years}, so the KPI is left out of the tables.",
    of: "of",
    mean_of: "Mean",
    median_all: "Median, all municipalities",
    median_regions: "Median, all regions",
    peer_median: "Peers' median",
    break_mark: "method change",
    cost_quality_title: "Cost and quality",
    others: "Other municipalities",
    cost_quality_caption: "Each dot is a municipality ({n} with both figures in {year}): {cost} against {quality}. The reviewed municipalities are named; the dashed lines are the peers' medians and divide the chart into four quadrants.",
    quadrants: ["lower cost", "higher cost", "better quality", "worse quality"],
    attribution: concat!(
        attribution!(),
        " (source: Kolada; processed by nyckeltal)"
    ),
    processing: "Peer means, ranks, deviations and changes are computed by nyckeltal, not by Kolada.",
    computed_groups: "Group means are computed by nyckeltal from the snapshot (unweighted mean of the members with a figure), not fetched from Kolada.",
    fetched: "Figures fetched from Kolada",
    fetch_unknown: "fetch date unknown",
    made: "Made",
    source_sheet: "Source",
    data_sheet: "Data",
    definitions: &[
        "Peer statistics (n, mean, median, min, max) use the peers with a figure, never the municipality itself; the mean is unweighted, as Kolada's group means are.",
        "Rank: 1 = best in the KPI's direction (KPIs without a direction: the highest value); ties share the better rank. The rank in Sweden is among the 290 municipalities with a figure.",
        "National percentile = 100 × (municipalities with a strictly worse figure) / (number with a figure − 1).",
        "Band: green when the rank in Sweden is among the best 25%, red among the worst 25%, yellow between.",
        "Difference from peers = value − peer mean; for amounts also in percent of the mean (only when the mean is above zero). For shares and deviations in percent the difference is in percentage points.",
        "Change = value − the year before's value; in percent only for amounts with a previous value above zero; never across a method change.",
        "Totals (which grow with a municipality's size) are not ranked or banded. Categories are shown by their label and counted.",
    ],
    page: "Page &P of &N",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(
            format_number(1045117.647, 0, Lang::Sv.numbers(), false),
            "1\u{a0}045\u{a0}118"
        );
        assert_eq!(
            format_number(-4.4413, 2, Lang::Sv.numbers(), false),
            "-4,44"
        );
        assert_eq!(format_number(2.35, 1, Lang::Sv.numbers(), true), "+2,4");
        assert_eq!(
            format_number(1234.5, 1, Lang::En.numbers(), false),
            "1,234.5"
        );
        assert_eq!(format_number(-0.001, 2, TERMINAL, true), "0.00");
        assert_eq!(format_number(1234567.4, 0, TERMINAL, false), "1 234 567");
    }
}

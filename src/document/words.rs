//! The words and number formats of the review documents (report.html,
//! report.xlsx, charts, `compare`'s workbook) in each [`Lang`]: Swedish by
//! default, English with `--lang en`. Terminal tables and CSV column names
//! stay English, as scripts depend on them.

use crate::model::lang::Lang;

/// Kolada's source line, as a literal (so it can stand in `concat!`).
macro_rules! kolada_source {
    () => {
        "Källa: Kolada"
    };
}
pub(crate) use kolada_source;

/// The source line with our processing named, as a literal.
macro_rules! attribution {
    () => {
        concat!(
            $crate::document::words::kolada_source!(),
            ". Bearbetning: nyckeltal"
        )
    };
}
pub(crate) use attribution;

/// Kolada's attribution with our processing named.
pub(crate) const ATTRIBUTION: &str = attribution!();

/// "a, b och c" in the language's words.
pub(crate) fn and_list(items: &[String], lang: Lang) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [first @ .., last] => format!("{} {} {last}", first.join(", "), lang.words().and),
    }
}

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
    /// green, yellow, red (by the set's direction); low, middle, high (no
    /// direction); too few figures; no value; not placed
    pub bands: [&'static str; 9],
    /// The column of the set's judgement, and its three values.
    pub direction: &'static str,
    pub lower_better: &'static str,
    pub higher_better: &'static str,
    pub no_judgement: &'static str,
    /// The column of how many have a figure ("55 av 290").
    pub coverage: &'static str,
    /// Kolada's own value of a group the municipality was left out of.
    pub group_value: &'static str,
    /// The same, computed by nyckeltal from a snapshot.
    pub group_value_computed: &'static str,
    /// A peer group without the municipality: "{title}", "{name}".
    pub without: &'static str,
    /// A total's peer column: "{kpi}".
    pub compare_by: &'static str,
    /// What a snapshot folder is called in the documents.
    pub snapshot: &'static str,
    /// The local cache, as the provenance names it: "{api}".
    pub through_cache: &'static str,
    pub offline_cache: &'static str,
    pub peers_are_regions: &'static str,
    pub note_neutral_ranks: &'static str,
    pub note_prices: &'static str,
    pub note_few: &'static str,
    pub note_rolling: &'static str,
    /// "{kpi}", "{below}", "{count}"
    pub note_small: &'static str,
    pub note_volatile: &'static str,
    pub note_sources: &'static str,
    pub summary_sources: &'static str,
    pub years_title: &'static str,
    pub bars_peers: &'static str,
    pub scales: [&'static str; 5],
    pub kpi_pages_title: &'static str,
    pub kpi_definition: &'static str,
    pub kpi_link: &'static str,
    pub kpi_no_definition: &'static str,
    pub contents: &'static str,
    pub members_title: &'static str,
    pub years_sheet: &'static str,
    pub panels_member: &'static str,
    pub years_note: &'static str,
    /// "{kpis}"
    pub note_preliminary_unknown: &'static str,
    pub note_latest_year: &'static str,
    /// "{name}", "{kpis}", "{years}"
    pub note_no_figure: &'static str,
    /// The heading of Kolada's KPI titles on the source sheet.
    pub kolada_title: &'static str,
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
    // `explain`: its section, its terms, why a gap is not split, the
    // doubts about a user count, and the pieces of its sentences.
    pub explain_title: &'static str,
    pub explain_rest: &'static str,
    pub explain_spread: &'static str,
    pub explain_missing: &'static str,
    pub explain_identity: &'static str,
    pub explain_no_comparison: &'static str,
    pub explain_users_jump: &'static str,
    pub explain_few_timed: &'static str,
    pub explain_peers: &'static str,
    pub explain_country: &'static str,
    pub explain_not_split: &'static str,
    pub explain_level: &'static str,
    pub explain_head: &'static str,
    pub explain_lower: &'static str,
    pub explain_higher: &'static str,
    pub explain_because: &'static str,
    pub explain_offset: &'static str,
    pub explain_cancel: &'static str,
    pub explain_share_of_gap: &'static str,
    pub explain_that: &'static str,
    pub and: &'static str,
    pub explain_part_costs: &'static str,
    pub explain_more: &'static str,
    pub explain_less: &'static str,
    pub explain_against: &'static str,
    pub explain_pieces_key: &'static str,
    pub explain_muted_key: &'static str,
    pub explain_riket: &'static str,
    pub summary_title: &'static str,
    pub summary_rule: &'static str,
    pub summary_deviation: &'static str,
    pub summary_gap: &'static str,
    pub summary_mean_of: &'static str,
    pub summary_position: &'static str,
    pub summary_by_set: &'static str,
    pub summary_from_highest: &'static str,
    pub summary_change: &'static str,
    pub summary_rose: &'static str,
    pub summary_fell: &'static str,
    pub summary_note: &'static str,
    pub summary_preliminary: &'static str,
    pub summary_small: &'static str,
    pub summary_volatile: &'static str,
    pub summary_newer: &'static str,
    pub summary_newer_part: &'static str,
    pub note_newer: &'static str,
    pub summary_few: &'static str,
    pub summary_break: &'static str,
    pub summary_explained: &'static str,
    pub summary_none: &'static str,
    pub explain_sheet: &'static str,
    pub explain_rest_word: &'static str,
    pub explain_spread_short: &'static str,
    pub explain_no_figure: &'static str,
    pub explain_identity_label: &'static str,
    pub explain_method: &'static str,
    pub explain_left_out: &'static str,
    pub explain_difference: &'static str,
    pub explain_share: &'static str,
    pub explain_comparison: &'static str,
    pub explain_break: &'static str,
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
    bands: [
        "grön",
        "gul",
        "röd",
        "låg",
        "medel",
        "hög",
        "för få värden",
        "inget värde",
        "–",
    ],
    direction: "Värdering",
    lower_better: "lägre värde = bättre enligt uppsättningen",
    higher_better: "högre värde = bättre enligt uppsättningen",
    no_judgement: "ingen värdering",
    coverage: "Med värde",
    group_value: "Gruppens värde (Kolada)",
    group_value_computed: "Gruppens värde (beräknat ur ögonblicksbilden)",
    without: "{title} utom {name} (egen beräkning)",
    compare_by: "jämförs via {kpi}",
    snapshot: "ögonblicksbild",
    through_cache: "{api}, via den lokala cachen",
    offline_cache: "{api}, ur den lokala cachen",
    peers_are_regions: "Jämförelseregioner",
    note_neutral_ranks: "Nyckeltal utan värdering rangordnas efter storlek: rang 1 = högst värde, vilket inte betyder bäst. Färgen låg/medel/hög säger bara var värdet ligger bland landets.",
    note_prices: "Kostnader anges i löpande priser: de är inte justerade för pris- och löneutveckling, så en ökning över åren är delvis inflation.",
    note_few: "Färg sätts inte när för få har värde (färre än två tredjedelar av dem som jämförs, eller färre än 10): rangen i riket gäller då bara dem med värde, se kolumnen Med värde.",
    years_title: "År för år",
    bars_peers: "Jämförelsekommunerna",
    scales: [
        "belopp (per invånare eller brukare)",
        "andel (skillnader i procentenheter)",
        "avvikelse som kan vara negativ (skillnader i procentenheter)",
        "total som växer med kommunens storlek (inget medel, ingen rang)",
        "kategori (räknas, medelvärdesbildas inte)",
    ],
    kpi_pages_title: "Ett blad per nyckeltal",
    kpi_definition: "Koladas definition",
    kpi_link: "Koladas beskrivning av nyckeltalet",
    kpi_no_definition: "Kolada ger ingen beskrivning.",
    contents: "Innehåll",
    members_title: "Per kommun",
    years_sheet: "År",
    panels_member: "Kommunen",
    years_note: "Skillnaden mot gruppen varje år: för belopp i procent av gruppens medel (och i enheten), för andelar i procentenheter. Totaler jämförs inte. ¦ före ett år: Kolada räknar på ett nytt sätt från det året, så jämför inte över brytpunkten. ‡ efter ett värde: förändringen mot året före är mer än tre gånger så stor som kommunens vanliga under åren som visas (och minst 20 % för belopp, 5 procentenheter för andelar).",
    note_sources: "{kpi}: jämförelsen blandar två enkäter. {lh} svarar i Liv & Hälsa (18–84 år, ett enskilt år), {hlv} i Hälsa på lika villkor (16–84 år, medel för fyra år); skillnaden kan delvis bero på enkäten. Jämför helst inom samma län.",
    summary_sources: "jämförelsen blandar två enkäter (Liv & Hälsa och Hälsa på lika villkor)",
    note_volatile: "‡ {kpi}, {name} {year}: förändringen mot året före ({change}) är mer än tre gånger så stor som kommunens vanliga förändring under de år som visas ({typical}); kontrollera hur brukarna räknats eller om verksamheten ändrats innan den tolkas.",
    note_small: "† {kpi}: värdet vilar på få personer (färre än {below} enligt {count}) och kan svänga mycket mellan åren; läs det tillsammans med åren före.",
    note_rolling: "Treårsmedelvärden (3-årsm) överlappar året före, så ingen förändring beräknas på dem.",
    note_preliminary_unknown: "{kpis}: när värdena hämtades är okänt, så det går inte att säga om det senaste publicerade året var preliminärt då.",
    note_latest_year: "Varje nyckeltal visas för det senaste år kommunen har ett värde; ett år som skiljer sig från de övrigas står på raden.",
    note_no_figure: "{kpis}: {name} har inget värde {years}; nyckeltalet står därför inte i tabellen.",
    kolada_title: "Koladas titel",
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
    note_bands: "Färgen är nyckeltals egen läsning, inte Koladas: den visar var kommunen ligger bland landets kommuner. Där uppsättningen anger en riktning (kolumnen Värdering) är grön = bland de 25 % bästa i den riktningen, röd = bland de 25 % sämsta, gul = däremellan. Utan riktning visas bara läget i blått: låg, medel, hög (de 25 % lägsta, mitten, de 25 % högsta). Kolada anger ingen riktning; en låg kostnad är inte i sig bättre än en hög. Totaler och kategorier får ingen färg.",
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
        "Rang: 1 = bäst i den riktning uppsättningen anger (utan riktning: högst värde); lika värden delar den bättre rangen. Rang i riket räknas bland kommunerna med värde (kolumnen Med värde anger hur många av landets); rang i gruppen bara när någon i gruppen har värde.",
        "Percentil i riket = 100 × (kommuner med strikt sämre värde) / (antal med värde − 1).",
        "Färg (nyckeltals egen): med riktning grön när rangen i riket ligger bland de 25 % bästa, röd bland de 25 % sämsta, gul däremellan; utan riktning låg/medel/hög efter värde. Ingen färg när färre än två tredjedelar (eller färre än 10) har värde.",
        "Skillnad mot gruppen = värde − gruppens medel; för belopp även i procent av medlet (bara när medlet är större än noll). För andelar och avvikelser i procent anges skillnaden i procentenheter.",
        "Förändring = värde − föregående års värde; i procent bara för belopp med föregående värde större än noll; aldrig över ett metodbyte och aldrig för treårsmedelvärden.",
        "Totaler (som växer med kommunens storlek) får inget gruppmedel, ingen skillnad, rang eller färg; de jämförs via det nyckeltal uppsättningen anger. Kategorier redovisas med sin beteckning och räknas.",
        "Preliminärt (*): det senaste publicerade året, när värdena hämtades före Koladas slutliga publicering.",
    ],
    page: "Sida &P av &N",
    explain_title: "Varför skiljer sig kostnaden?",
    explain_rest: "Avrundning i identiteten",
    explain_spread: "Spridning i jämförelsegruppen (medel av produkter ≠ produkt av medel)",
    explain_missing: "uppgift saknas för {kpis}",
    explain_identity: "delarna skiljer sig {off} från det publicerade värdet (tolerans {tolerance})",
    explain_no_comparison: "ingen i jämförelsen har alla delar",
    explain_users_jump: "{kpi} ändrades från {before} till {now} ({change}) mot året före: kostnaden per brukare kan spegla hur brukarna räknas",
    explain_few_timed: "bara {timed} av {users} brukare ({share}) är timregistrerade ({kpi}): antalet kan vara räknat på annat sätt",
    explain_peers: "jämförelsekommunernas",
    explain_country: "rikets",
    explain_not_split: "{label}: skillnaden delas inte upp {year}: {why}.",
    explain_level: "{label} är i nivå med {whose} (skillnad {pct})",
    explain_head: "{label} är {pct} {direction} än {whose}",
    explain_lower: "lägre",
    explain_higher: "högre",
    explain_because: "Det beror på {pieces}.",
    explain_offset: "Det motverkas av {pieces}.",
    explain_cancel: ", men skillnaden döljer delar som nästan tar ut varandra: {pieces}.",
    explain_share_of_gap: "{share} av skillnaden",
    explain_that: "att ",
    and: "och",
    explain_part_costs: "{part} kostar {direction} per invånare",
    explain_more: "mer",
    explain_less: "mindre",
    explain_against: "mot",
    explain_pieces_key: "Delarnas bidrag till skillnaden (neutral färg: ingen bedömning av vad som är bättre)",
    explain_muted_key: "Spridning och rest (ingen del av identiteten)",
    explain_riket: "Riket (Koladas värde)",
    summary_title: "Sammanfattning",
    summary_rule: "Urvalet görs med en regel, inte för hand: de största skillnaderna mot jämförelsegruppen och de största förändringarna sedan året före, mätta i landets spridning (kvartilavståndet mellan kommunernas värden samma år) så att kronor och andelar kan ställas mot varandra. Skillnader på minst ett halvt kvartilavstånd nämns, högst fem (och de tre största även om de är mindre), förändringar på minst en fjärdedel, högst tre. Totaler och kategorier nämns inte.",
    summary_deviation: "{label} {year}: {value}, {gaps}{position}.",
    summary_gap: "{difference} {direction} än {group} ({mean})",
    summary_mean_of: "medlet för",
    summary_position: "; rang {rank} av {of} i riket{band}",
    summary_by_set: "enligt uppsättningens värdering",
    summary_from_highest: "räknat från det högsta värdet (ingen värdering)",
    summary_change: "{label} har {moved} med {change} från {before} till {year}, till {value}.",
    summary_rose: "ökat",
    summary_fell: "minskat",
    summary_note: "Obs",
    summary_preliminary: "preliminärt värde",
    summary_volatile: "förändringen är ovanligt stor för kommunen (‡)",
    summary_newer: "Obs: Kolada har publicerat senare år sedan värdena här hämtades: {parts}. Sammanfattningen gäller värdena här.",
    summary_newer_part: "{kpis} till och med {year}",
    note_newer: "{kpis}: Kolada har publicerat värden till och med {published} (enligt katalogen), men värdena här slutar {last}. Hämta på nytt för de senaste åren.",
    summary_small: "värdet vilar på få personer och kan svänga mycket mellan åren",
    summary_few: "bara {n} av {total} har värde",
    summary_break: "Kolada räknar på ett nytt sätt från {year}, så jämför inte med åren före",
    summary_explained: "skillnaden mot {group} delas upp i hur många som får insatsen och vad varje brukare kostar under \"Varför skiljer sig kostnaden?\"",
    summary_none: "Inget nyckeltal skiljer sig märkbart från jämförelsen eller från året före.",
    explain_sheet: "Kostnadsförklaring",
    explain_rest_word: "övrigt",
    explain_spread_short: "Spridning i gruppen",
    explain_no_figure: "{kpi}: inget värde de valda åren.",
    explain_identity_label: "Samband mellan Koladas nyckeltal",
    explain_method: "Uppdelningen är nyckeltals egen beräkning, inte Koladas: kostnaden är produkten (eller summan) av delar som Kolada publicerar, och identiteten kontrolleras för varje kommun och år innan skillnaden delas upp. Skillnaden i kronor mot jämförelsegruppens medel delas så att varje del får sin egen förändring vägd med medlet av de två nivåerna (Shapley); eftersom ett medel av produkter inte är produkten av medel står resten som en egen rad (spridning i jämförelsegruppen). Delarna summerar exakt till skillnaden. Uppdelningen är bara så bra som antalet brukare den vilar på.",
    explain_left_out: "{year}: medlet avser {compared} av {asked} jämförelsekommuner; {names} saknar någon del.",
    explain_difference: "Skillnad",
    explain_share: "Andel av skillnaden",
    explain_comparison: "Jämförelse",
    explain_break: "¦ Kolada räknar en del på ett nytt sätt från detta år (se nyckeltalets beskrivning): jämför inte åren över brytpunkten.",
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
    bands: [
        "green",
        "yellow",
        "red",
        "low",
        "middle",
        "high",
        "too few figures",
        "no value",
        "–",
    ],
    direction: "Direction",
    lower_better: "lower = better, as the set judges",
    higher_better: "higher = better, as the set judges",
    no_judgement: "no judgement",
    coverage: "With a figure",
    group_value: "Group's value (Kolada)",
    group_value_computed: "Group's value (computed from the snapshot)",
    without: "{title} excluding {name} (own calculation)",
    compare_by: "compared by {kpi}",
    snapshot: "snapshot",
    through_cache: "{api}, through the local cache",
    offline_cache: "{api}, from the local cache",
    peers_are_regions: "Peer regions",
    note_neutral_ranks: "KPIs without a judgement are ranked by size: rank 1 = the highest value, which does not mean the best. Their colour low/middle/high only says where the value lies in the country.",
    note_prices: "Costs are in current prices: not adjusted for price and wage growth, so part of an increase over the years is inflation.",
    note_few: "No colour where too few have a figure (under two thirds of those compared, or under 10): the rank in Sweden then covers only those with a figure, see the column With a figure.",
    years_title: "Year by year",
    bars_peers: "The peers",
    scales: [
        "an amount (per inhabitant or user)",
        "a share (differences in percentage points)",
        "a deviation that can be negative (differences in points)",
        "a total that grows with size (no mean, no rank)",
        "a category (counted, never averaged)",
    ],
    kpi_pages_title: "A page per KPI",
    kpi_definition: "Kolada's definition",
    kpi_link: "Kolada's description of the KPI",
    kpi_no_definition: "Kolada gives no description.",
    contents: "Contents",
    members_title: "Member by member",
    years_sheet: "Years",
    panels_member: "The member",
    years_note: "The difference from the group each year: for amounts in percent of the group's mean (and in the unit), for shares in percentage points. Totals are not compared. ¦ before a year: Kolada computes the KPI in a new way from that year, so do not compare across the break. ‡ after a value: the change on the year before is more than three times the municipality's usual in the years shown (and at least 20 % for amounts, 5 points for shares).",
    note_sources: "{kpi}: the comparison mixes two surveys. {lh} answer Liv & Hälsa (18–84 years, a single year), {hlv} the national Hälsa på lika villkor (16–84 years, a mean of four years); part of the difference may be the survey's. Preferably compare within one county.",
    summary_sources: "the comparison mixes two surveys (Liv & Hälsa and Hälsa på lika villkor)",
    note_volatile: "‡ {kpi}, {name} {year}: the change on the year before ({change}) is more than three times the municipality's usual change in the years shown ({typical}); check how the users were counted or whether the service changed before reading it.",
    note_small: "† {kpi}: the figure rests on few people (fewer than {below} according to {count}) and can swing much from year to year; read it with the years before.",
    note_rolling: "Three-year means (3-year mean) overlap the year before, so no change is computed on them.",
    note_preliminary_unknown: "{kpis}: when the figures were fetched is unknown, so whether the latest published year was preliminary then cannot be told.",
    note_latest_year: "Each KPI is shown for the latest year the municipality has a figure; a year that differs from the others stands on the row.",
    note_no_figure: "{kpis}: {name} has no figure in {years}, so the KPI is left out of the table.",
    kolada_title: "Kolada's title",
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
    note_bands: "The colour is nyckeltal's own reading, not Kolada's: it shows where the municipality lies among the country's municipalities. Where the set gives a direction (the column Direction), green = among the best 25% in that direction, red = among the worst 25%, yellow = between. Without a direction only the position is shown, in blue: low, middle, high (the lowest 25%, the middle, the highest 25%). Kolada gives no direction; a low cost is not better in itself than a high one. Totals and categories get no colour.",
    note_scales: "Differences of shares are in percentage points (pp); differences of amounts per inhabitant or user in percent of the figure compared with. Totals (e.g. mnkr) grow with a municipality's size: they are compared in their unit but not ranked. Categories (e.g. no/test/in full use) are counted, never averaged. Peer figures never include the municipality itself.",
    note_break: "{kpi}: Kolada computes the KPI in a new way from {year}, which affects comparisons with earlier years. No change is computed across the break; charts mark it with a dashed line.",
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
        "Rank: 1 = best in the direction the set gives (without a direction: the highest value); ties share the better rank. The rank in Sweden is among the municipalities with a figure (the column With a figure says how many of the country's); the rank among peers only when a peer has a figure.",
        "National percentile = 100 × (municipalities with a strictly worse figure) / (number with a figure − 1).",
        "Colour (nyckeltal's own): with a direction green when the rank in Sweden is among the best 25%, red among the worst 25%, yellow between; without a direction low/middle/high by value. No colour where under two thirds (or under 10) have a figure.",
        "Difference from peers = value − peer mean; for amounts also in percent of the mean (only when the mean is above zero). For shares and deviations in percent the difference is in percentage points.",
        "Change = value − the year before's value; in percent only for amounts with a previous value above zero; never across a method change and never for three-year means.",
        "Totals (which grow with a municipality's size) get no peer mean, difference, rank or colour; they are compared by the KPI the set names. Categories are shown by their label and counted.",
        "Preliminary (*): the latest published year, when the figures were fetched before Kolada's final publication.",
    ],
    page: "Page &P of &N",
    explain_title: "Why does the cost differ?",
    explain_rest: "Rounding in the identity",
    explain_spread: "Spread among the peers (mean of products ≠ product of means)",
    explain_missing: "no figure for {kpis}",
    explain_identity: "the pieces are {off} from the published figure (tolerance {tolerance})",
    explain_no_comparison: "no place compared has every piece",
    explain_users_jump: "{kpi} went from {before} to {now} ({change}) on the year before: the cost per user may reflect how users are counted",
    explain_few_timed: "only {timed} of {users} users ({share}) are time-registered ({kpi}): the users may be counted differently",
    explain_peers: "the peers'",
    explain_country: "the country's",
    explain_not_split: "{label}: the gap is not split in {year}: {why}.",
    explain_level: "{label} is level with {whose} (a difference of {pct})",
    explain_head: "{label} is {pct} {direction} than {whose}",
    explain_lower: "lower",
    explain_higher: "higher",
    explain_because: "This is because {pieces}.",
    explain_offset: "It is partly offset because {pieces}.",
    explain_cancel: ", but the gap hides pieces that nearly cancel: {pieces}.",
    explain_share_of_gap: "{share} of the gap",
    explain_that: "",
    and: "and",
    explain_part_costs: "{part} costs {direction} per inhabitant",
    explain_more: "more",
    explain_less: "less",
    explain_against: "against",
    explain_pieces_key: "Each piece's part of the gap (a neutral colour: no judgement of what is better)",
    explain_muted_key: "Spread and rest (not a piece of the identity)",
    explain_riket: "Sweden (Kolada's figure)",
    summary_title: "Summary",
    summary_rule: "Chosen by a rule, not by hand: the largest differences from the peer group and the largest changes since the year before, measured in the country's spread (the interquartile range of the municipalities' figures that year) so that kronor and shares can be set against each other. Differences of at least half an interquartile range are named, at most five (and the three largest even when smaller), changes of at least a quarter, at most three. Totals and categories are not named.",
    summary_deviation: "{label} {year}: {value}, {gaps}{position}.",
    summary_gap: "{difference} {direction} than {group} ({mean})",
    summary_mean_of: "the mean of",
    summary_position: "; rank {rank} of {of} in Sweden{band}",
    summary_by_set: "by the set's judgement",
    summary_from_highest: "counted from the highest value (no judgement)",
    summary_change: "{label} has {moved} by {change} from {before} to {year}, to {value}.",
    summary_rose: "risen",
    summary_fell: "fallen",
    summary_note: "Note",
    summary_preliminary: "a preliminary figure",
    summary_volatile: "the change is unusually large for the municipality (‡)",
    summary_newer: "Note: Kolada has published later years since the figures here were fetched: {parts}. The summary reads the figures here.",
    summary_newer_part: "{kpis} up to {year}",
    note_newer: "{kpis}: Kolada has published figures up to {published} (by its catalogue), but the figures here end in {last}. Fetch again for the latest years.",
    summary_small: "the figure rests on few people and can swing a lot between years",
    summary_few: "only {n} of {total} have a figure",
    summary_break: "Kolada computes it in a new way from {year}, so do not compare with the years before",
    summary_explained: "the gap to {group} is split into how many get the service and what each user costs under \"Why does the cost differ?\"",
    summary_none: "No KPI differs noticeably from the comparison or from the year before.",
    explain_sheet: "Cost explained",
    explain_rest_word: "other",
    explain_spread_short: "Spread among the peers",
    explain_no_figure: "{kpi}: no figure in the years chosen.",
    explain_identity_label: "Identity between Kolada's KPIs",
    explain_method: "The split is nyckeltal's own calculation, not Kolada's: the cost is the product (or sum) of pieces Kolada publishes, and the identity is checked for each municipality and year before the gap is split. The gap in kronor against the peers' mean is split so that each piece's own change is weighted by the mean of the two levels (Shapley); since a mean of products is not the product of means, the rest is a row of its own (spread among the peers). The pieces add up exactly to the gap. The split is only as good as the user count it rests on.",
    explain_left_out: "{year}: the mean is of {compared} of {asked} peers; {names} lack a piece.",
    explain_difference: "Difference",
    explain_share: "Share of the gap",
    explain_comparison: "Comparison",
    explain_break: "¦ Kolada computes a piece in a new way from this year (see the KPI's description): do not compare the years across the break.",
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

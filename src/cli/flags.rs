//! Every command-line flag of nyckeltal, defined and documented in one place.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analysis::kpi::Bands;
use crate::kolada::DEFAULT_API_URL;
use crate::model::lang::Lang;
use crate::model::Gender;
use crate::render::exports;

const AFTER_HELP: &str = concat!(
    "\
Exit codes: 0 ok, 1 unexpected failure, 2 bad arguments, 3 unknown municipality/KPI/group/area,
4 not in the cache (--offline), 5 Kolada unreachable or answering badly, 6 broken snapshot
directory (--source), 7 output file could not be written.

",
    crate::document::words::attribution!(),
    ". Group means, ranks and deviations are nyckeltal's own processing, not Kolada's figures."
);

/// Key figures (nyckeltal) for Swedish municipalities from Kolada: look up
/// KPIs, municipalities and comparison groups, fetch figures and export them.
#[derive(Debug, Parser)]
#[command(name = "nyckeltal", version, after_help = AFTER_HELP, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Where figures come from and how Kolada is asked; valid with every command.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Global options")]
pub(crate) struct GlobalArgs {
    /// Kolada API v3 base URL (a mirror or a local emulator).
    #[arg(long, global = true, env = "NYCKELTAL_API_URL", default_value = DEFAULT_API_URL, value_name = "URL")]
    pub api_url: String,

    /// Read a snapshot directory (meta/*.json + ddf/ CSVs) instead of the API; no network, no cache.
    #[arg(long, global = true, value_name = "PATH")]
    pub source: Option<PathBuf>,

    /// Cache directory [default: the platform cache dir, e.g. ~/.cache/nyckeltal].
    #[arg(long, global = true, env = "NYCKELTAL_CACHE_DIR", value_name = "DIR", value_parser = path_or_unset())]
    cache_dir: Option<PathBuf>,

    /// Answer only from the cache; say exactly what is missing instead of asking Kolada.
    #[arg(long, global = true, conflicts_with = "refresh")]
    pub offline: bool,

    /// Ask Kolada again even for what the cache holds (metadata is otherwise kept 7 days, figures until refreshed).
    #[arg(long, global = true)]
    pub refresh: bool,

    /// Ask Kolada directly, neither reading nor writing the cache.
    #[arg(long, global = true, conflicts_with = "offline")]
    pub no_cache: bool,

    /// Requests to Kolada in flight at once.
    #[arg(long, global = true, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=32))]
    pub jobs: u16,

    /// Requests per second to Kolada at most (0: no limit).
    #[arg(long, global = true, default_value_t = 5.0, value_name = "N")]
    pub max_rate: f64,

    /// Tries per request before giving up (5xx, 429, timeouts, broken connections, malformed answers).
    #[arg(long, global = true, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=20))]
    pub tries: u32,

    /// Seconds one answer from Kolada may take, its whole body included.
    #[arg(long, global = true, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,

    /// Your own indicator sets and peer lists: a folder with sets/ and peers/ inside
    /// [default: the platform config dir, e.g. ~/.config/nyckeltal].
    #[arg(long, global = true, env = "NYCKELTAL_DATA_DIR", value_name = "DIR", value_parser = path_or_unset())]
    data_dir: Option<PathBuf>,

    /// No progress bar and no summary lines on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// Language of the readings: the review documents (report.html, workbooks,
    /// charts) [default: the spec's lang, else sv] and the terminal's tables,
    /// notes and sentences of compare and explain [default: sv for a sv_* locale,
    /// else en]. CSV and JSON column names stay English.
    #[arg(
        long,
        global = true,
        env = "NYCKELTAL_LANG",
        value_enum,
        value_name = "LANG"
    )]
    pub lang: Option<LangArg>,
}

impl GlobalArgs {
    /// The documents' language the flag (or NYCKELTAL_LANG) asks for.
    pub(crate) fn lang(&self) -> Option<Lang> {
        self.lang.map(|l| match l {
            LangArg::Sv => Lang::Sv,
            LangArg::En => Lang::En,
        })
    }

    /// The cache directory asked for; an empty `NYCKELTAL_CACHE_DIR=` is unset.
    pub(crate) fn cache_dir(&self) -> Option<PathBuf> {
        self.cache_dir.clone().filter(|p| !p.as_os_str().is_empty())
    }

    /// The own-files directory asked for; an empty `NYCKELTAL_DATA_DIR=` is unset.
    pub(crate) fn data_dir(&self) -> Option<PathBuf> {
        self.data_dir.clone().filter(|p| !p.as_os_str().is_empty())
    }

    /// The terminal's language: the flag (or NYCKELTAL_LANG), else the
    /// locale (LC_ALL, LC_MESSAGES, LANG: Swedish for `sv_*`), else
    /// English.
    pub(crate) fn terminal_lang(&self) -> Lang {
        self.lang().unwrap_or_else(|| {
            let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .filter_map(|name| std::env::var(name).ok())
                .find(|value| !value.is_empty())
                .unwrap_or_default();
            if locale.to_lowercase().starts_with("sv") {
                Lang::Sv
            } else {
                Lang::En
            }
        })
    }
}

/// A path that may be given empty (`NYCKELTAL_CACHE_DIR=` in a shell
/// profile), which then counts as not given.
fn path_or_unset() -> impl clap::builder::TypedValueParser<Value = PathBuf> {
    use clap::builder::TypedValueParser;
    clap::builder::OsStringValueParser::new().map(PathBuf::from)
}

/// The documents' language on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LangArg {
    /// Svenska: decimal comma, space between thousands.
    Sv,
    /// English: decimal point, comma between thousands.
    En,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Search and describe KPIs.
    #[command(
        subcommand,
        after_help = "Examples:
  nyckeltal kpi search aldreomsorg nettokostnadsavvikelse
  nyckeltal kpi show N20900"
    )]
    Kpi(KpiCommand),
    /// Search and list municipalities and regions.
    #[command(
        subcommand,
        after_help = "Examples:
  nyckeltal municipality search tjorn
  nyckeltal municipality list --type L"
    )]
    Municipality(MunicipalityCommand),
    /// List and show municipality groups, among them RKA's "Liknande kommuner".
    #[command(
        subcommand,
        after_help = "Examples:
  nyckeltal group peers Tjörn --area äldreomsorg
  nyckeltal group show G96190"
    )]
    Group(GroupCommand),
    /// Fill the cache with figures, so later commands (and --offline) need no network.
    #[command(after_help = "Examples:
  nyckeltal fetch --kpi N20900,N20007,N21006,N23009 --municipality all --years 2015-2025
  nyckeltal fetch --kpi N20900 --municipality Tjörn,G96190 --years 2022
  nyckeltal fetch --set aldreomsorg-kostnad --set nara-vard --municipality all --years 2015-2025")]
    Fetch(FetchArgs),
    /// Figures as a tidy long table: kpi, municipality_id, municipality, year, gender, value.
    #[command(after_help = "Examples:
  nyckeltal values --kpi N20900 --municipality Tjörn --years 2018-2022
  nyckeltal values --kpi N20900,N20007 --municipality G96190 --years 2022 -o gr.csv
  nyckeltal values --kpi U21468 --municipality Tjörn --years 2022 --gender all --format json
  nyckeltal values --set aldreomsorg-kostnad --municipality all --years 2018-2022 -o costs.csv
  nyckeltal values --kpi @dashboard-kpis.txt --municipality all --years 2022 -o dashboard.parquet
  nyckeltal --source ../shared/kolada values --kpi all --municipality all --years 1998-2022 -o kolada.parquet")]
    Values(ValuesArgs),
    /// List and show peer lists and networks (data/peers/*.toml and your own).
    #[command(
        subcommand,
        after_help = "Examples:
  nyckeltal peers list
  nyckeltal peers show varmland-vastra"
    )]
    Peers(PeersCommand),
    /// List and show indicator sets (data/sets/*.toml).
    #[command(
        subcommand,
        after_help = "Examples:
  nyckeltal set list
  nyckeltal set show aldreomsorg-kostnad"
    )]
    Set(SetCommand),
    /// A municipality against its peers and the whole country, KPI by KPI: value, peer
    /// mean/median/min/max, ranks, how many have a figure, percentile, deviation, change and a
    /// band (nyckeltal's own reading, not Kolada's).
    #[command(
        after_help = "Bands: nyckeltal's own reading of the rank in Sweden; Kolada gives no direction.
  green/yellow/red  where the set says which way is better (column better): the best 25%,
                    the middle, the worst 25% in that direction (--bands thirds: thirds)
  low/middle/high   where the set passes no judgement (the built-in cost KPIs): the lowest 25%,
                    the middle, the highest 25% by value: a position, not good or bad
  too few figures   under two thirds of those ranked, or under 10, have a figure
  none (–)          totals (mnkr, which grow with size) and categories are not placed
Each KPI is shown at its latest year with a figure; the peers' group is named above its table.

Examples:
  nyckeltal compare Tjörn --set aldreomsorg-kostnad --peers tjorn-aldreomsorg
  nyckeltal compare Tjörn --set funktionshinder-kostnad --years 2018-2022 -o tjorn-lss.xlsx
  nyckeltal compare Arvika,Eda,Säffle,Årjäng --set nara-vard --peers varmland-vastra
  nyckeltal compare Tjörn --kpi N20900 --format csv"
    )]
    Compare(CompareArgs),
    /// Why a cost differs: each cost chain split into coverage (how many get the service), cost
    /// per user, age structure and the rest, against the peers or the country, year by year.
    #[command(
        after_help = "Each chain is Kolada's own identity (N21009 = N21006 × N21701 / 100: home care per
inhabitant 65+ = cost per user × share with home care), checked against the published figure
before a gap is split. Against peers the split is in kronor against their arithmetic mean
(the mean `compare` shows); what a mean of products leaves over is its own row (spread).
Exports add the exact split in logs against the geometric mean (method log).

Examples:
  nyckeltal explain Tjörn --area äldreomsorg --peers tjorn-aldreomsorg
  nyckeltal explain Tjörn --area lss --years 2018-2022
  nyckeltal explain Vara --area äldreomsorg --against riket
  nyckeltal explain Tjörn --area äldreomsorg -o tjorn-kostnad.csv"
    )]
    Explain(ExplainArgs),
    /// The municipalities most like one, by structural factors: nearest first, why, and how
    /// many RKA's "Liknande kommuner" group shares; or how far a given peer list is.
    #[command(after_help = "Examples:
  nyckeltal similar Tjörn --area äldreomsorg
  nyckeltal similar Tjörn --area äldreomsorg --check-peers tjorn-aldreomsorg
  nyckeltal similar Tjörn --factors N01813:1.5,N00954 -k 10")]
    Similar(SimilarArgs),
    /// When each KPI's figures are published: latest year, preliminary and final dates, and
    /// whether the next year is due.
    #[command(after_help = "Examples:
  nyckeltal calendar
  nyckeltal calendar --set aldreomsorg-kostnad --set aldreomsorg-kvalitet
  nyckeltal calendar --kpi N20900,U21468 --format csv")]
    Calendar(CalendarArgs),
    /// Freeze figures in a snapshot folder that --source reads back (for a meeting, for everyone).
    #[command(
        subcommand,
        after_help = "Examples:
  nyckeltal snapshot save meeting-2026 --set aldreomsorg-kostnad
  nyckeltal --source meeting-2026 compare Tjörn --set aldreomsorg-kostnad"
    )]
    Snapshot(SnapshotCommand),
    /// Values that are new, revised (old → new) or deleted since a snapshot, or changed since a date.
    #[command(after_help = "Examples:
  nyckeltal changes --since meeting-2026
  nyckeltal changes --since 2026-09-01 --set aldreomsorg-kostnad
  nyckeltal changes --since meeting-2026 --kpi N20900 -o changes.csv")]
    Changes(ChangesArgs),
    /// The autumn review pack from a spec file: report.html, report.xlsx, data.csv and peers.csv in a folder.
    #[command(after_help = "Examples:
  nyckeltal report examples/tjorn-hosten.toml -o out/tjorn
  nyckeltal --source meeting-2026 report examples/gr-natverk.toml -o out/gr
  nyckeltal report examples/tjorn-hosten.toml -o out/tjorn-en --lang en")]
    Report(ReportArgs),
    /// One KPI over the years: the municipality, its peers' mean and the national median,
    /// as a table, a CSV or a chart (.svg, .png).
    #[command(after_help = "Examples:
  nyckeltal trend Tjörn --kpi N20900 --peers tjorn-aldreomsorg
  nyckeltal trend Tjörn --kpi N20900 --years 2013-2022 -o n20900.svg
  nyckeltal trend Tjörn --kpi U21468 -o u21468.png")]
    Trend(TrendArgs),
    /// A shell completion script on standard output (bash, zsh, fish, powershell).
    #[command(after_help = "Examples:
  nyckeltal completions bash > ~/.local/share/bash-completion/completions/nyckeltal
  nyckeltal completions zsh > ~/.zfunc/_nyckeltal
  nyckeltal completions fish > ~/.config/fish/completions/nyckeltal.fish
  nyckeltal completions powershell >> $PROFILE")]
    Completions(CompletionsArgs),
    /// The manual page (roff) for every command on standard output.
    #[command(after_help = "Examples:
  nyckeltal man > ~/.local/share/man/man1/nyckeltal.1
  nyckeltal man | man -l -")]
    Man,
    /// Where nyckeltal keeps its cache and looks for your own sets and peer lists on this system.
    #[command(after_help = "Examples:
  nyckeltal paths
  nyckeltal --cache-dir /tmp/cache paths")]
    Paths,
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PeersCommand {
    /// Every peer list, built in and your own: members, region, source, file.
    #[command(after_help = "Examples:
  nyckeltal peers list
  nyckeltal peers list --format csv")]
    List {
        #[command(flatten)]
        output: Output,
    },
    /// The members of one peer list, with their codes.
    #[command(after_help = "Examples:
  nyckeltal peers show orebro-lan
  nyckeltal peers show tjorn-aldreomsorg --format json")]
    Show {
        /// Peer list name (varmland-vastra) or a path to a .toml file.
        name: String,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum SetCommand {
    /// The indicator sets, built in and your own, with where each file is.
    #[command(after_help = "Examples:
  nyckeltal set list
  nyckeltal set list --format json")]
    List {
        #[command(flatten)]
        output: Output,
    },
    /// The KPIs of one set: id, label, unit, direction, area, and Kolada's title.
    #[command(after_help = "Examples:
  nyckeltal set show aldreomsorg-kostnad
  nyckeltal set show ~/.config/nyckeltal/sets/egna.toml --format csv")]
    Show {
        /// Set name (aldreomsorg-kostnad) or a path to a .toml file.
        name: String,
        #[command(flatten)]
        output: Output,
    },
}

/// Whom to compare with and where the reference files are.
#[derive(Debug, Args, Clone)]
pub(crate) struct PeerArgs {
    /// Peers: `auto` (Kolada's current "Liknande kommuner" group for the set's area),
    /// `auto:AREA` (e.g. auto:LSS), `similar:AREA` (nyckeltal's 7 most similar by structural
    /// factors), a Kolada group id (G96190), a peer list in data/peers (tjorn-aldreomsorg) or a
    /// .toml path, or municipalities (Hörby,Vara,1470).
    #[arg(long, default_value = "auto", value_name = "PEERS")]
    pub peers: String,
}

#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    /// The municipality: code or name (1419, Tjörn).
    pub municipality: String,
    /// An indicator set by name (aldreomsorg-kostnad) or a .toml path.
    #[arg(
        long,
        value_name = "NAME",
        required_unless_present = "kpi",
        conflicts_with = "kpi"
    )]
    pub set: Option<String>,
    /// KPI ids instead of a set; their direction is taken from a built-in set that has them,
    /// else neutral.
    #[arg(long, short = 'k', value_name = "IDS")]
    pub kpi: Option<String>,
    #[command(flatten)]
    pub peers: PeerArgs,
    /// One year [default: the latest year with figures].
    #[arg(long, value_name = "YEAR", conflicts_with = "years")]
    pub year: Option<String>,
    /// Years: 2018-2022 or 2018,2020 [default: the latest five years with figures].
    #[arg(long, short = 'y', value_name = "RANGE")]
    pub years: Option<String>,
    /// T total, K women, M men.
    #[arg(long, value_enum, default_value = "T", value_name = "T|K|M")]
    pub gender: SingleGender,
    /// Bands, nyckeltal's own reading of the rank in Sweden: quartiles (green the best 25% in the
    /// set's direction, red the worst 25%; low/high without a direction) or thirds.
    #[arg(long, value_enum, default_value = "quartiles")]
    pub bands: BandChoice,
    /// Begin with a summary: the largest differences from the peers and the largest changes since
    /// the year before, in plain sentences with their caveats (chosen by a documented rule).
    #[arg(long)]
    pub summary: bool,
    #[command(flatten)]
    pub output: Output,
}

/// Which KPIs: indicator sets and/or ids.
#[derive(Debug, Args, Clone)]
pub(crate) struct KpiChoice {
    /// Indicator sets (repeat the flag for several) [default with neither: every built-in set].
    #[arg(long = "set", value_name = "NAME")]
    pub sets: Vec<String>,
    /// KPI ids, comma-separated (N20900,N20007); @FILE for a file of ids, one per line; `all`
    /// for every KPI the source has figures for.
    #[arg(long, short = 'k', value_name = "IDS|@FILE|all")]
    pub kpi: Option<String>,
}

/// Which KPIs to export: ids, a file of ids, every KPI, or sets (at least one).
#[derive(Debug, Args, Clone)]
#[group(required = true, multiple = true)]
pub(crate) struct KpiPick {
    /// KPI ids, comma-separated (N20900,N20007); @FILE for a file of ids, one per line (# starts
    /// a comment); `all` for every KPI the source has figures for (a snapshot's or an offline
    /// cache's own; from the API, every KPI Kolada publishes for the places asked).
    #[arg(long, short = 'k', value_name = "IDS|@FILE|all")]
    pub kpi: Option<String>,
    /// The KPIs of an indicator set, by name (aldreomsorg-kostnad) or .toml path; repeat the
    /// flag for several, or add --kpi.
    #[arg(long = "set", value_name = "NAME")]
    pub sets: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct CalendarArgs {
    #[command(flatten)]
    pub kpis: KpiChoice,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Subcommand)]
pub(crate) enum SnapshotCommand {
    /// Write a snapshot folder: meta/*.json, the figures as DDF CSVs, snapshot.json.
    #[command(after_help = "Examples:
  nyckeltal snapshot save meeting-2026 --set aldreomsorg-kostnad --set nara-vard
  nyckeltal snapshot save gr-2026 --kpi N20900,N20007 --municipality G96190 --years 2015-2025")]
    Save {
        /// The folder to create.
        path: PathBuf,
        #[command(flatten)]
        kpis: KpiChoice,
        /// Municipalities: codes, names, a group id or `all`.
        #[arg(long, short = 'm', value_name = "SEL", default_value = "all")]
        municipality: String,
        /// Years [default: the latest ten published].
        #[arg(long, short = 'y', value_name = "RANGE")]
        years: Option<String>,
        /// Replace the folder if it exists.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
pub(crate) struct ChangesArgs {
    /// A snapshot folder to compare with, or a date (YYYY-MM-DD: what Kolada changed since then).
    #[arg(long, value_name = "SNAPSHOT|DATE")]
    pub since: String,
    #[command(flatten)]
    pub kpis: KpiChoice,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// The spec file (TOML), e.g. examples/tjorn-hosten.toml.
    pub spec: PathBuf,
    /// The folder to write (replaced as a whole when it exists).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: PathBuf,
    /// Also write report.pdf (A4), printed by Chromium, Google Chrome or
    /// Microsoft Edge (found on PATH or where it installs itself).
    #[arg(long)]
    pub pdf: bool,
    /// The browser that prints --pdf, when it is not found by itself.
    #[arg(long, value_name = "PATH", env = "NYCKELTAL_BROWSER")]
    pub browser: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// The municipality: code or name (1419, Tjörn).
    pub municipality: String,
    /// The area's cost chains: äldreomsorg or lss (data/explain/*.toml), or a .toml path.
    #[arg(long, value_name = "AREA")]
    pub area: String,
    #[command(flatten)]
    pub peers: PeerArgs,
    /// One year [default: the latest five years with figures].
    #[arg(long, value_name = "YEAR", conflicts_with = "years")]
    pub year: Option<String>,
    /// Years: 2018-2022 or 2018,2020.
    #[arg(long, short = 'y', value_name = "RANGE")]
    pub years: Option<String>,
    /// Compare with the peers' figures, or with the country's own (Riket, as Kolada publishes it).
    #[arg(long, value_enum, default_value = "peers", value_name = "WHOM")]
    pub against: AgainstChoice,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum AgainstChoice {
    Peers,
    Riket,
}

#[derive(Debug, Args)]
pub(crate) struct SimilarArgs {
    /// The municipality: code or name.
    pub municipality: String,
    /// Factors for an area: äldreomsorg, LSS, övergripande (data/similarity/*.toml), or a
    /// .toml path [default: övergripande].
    #[arg(long, value_name = "AREA", conflicts_with = "factors")]
    pub area: Option<String>,
    /// Your own factors instead: KPI[:WEIGHT],… (e.g. N01813:1.5,N00954).
    #[arg(long, value_name = "KPIS")]
    pub factors: Option<String>,
    /// Year of the factors [default: the latest year with figures for nearly everybody].
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    /// How many similar municipalities.
    #[arg(short = 'k', long = "k", default_value_t = 7, value_name = "K")]
    pub k: usize,
    /// Instead: how far each member of this peer group is, and its rank among all 289
    /// (a peer list such as tjorn-aldreomsorg, a group id, or municipalities).
    #[arg(long, value_name = "PEERS")]
    pub check_peers: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub(crate) struct TrendArgs {
    /// The municipality: code or name.
    pub municipality: String,
    /// One KPI id.
    #[arg(long, short = 'k', value_name = "ID")]
    pub kpi: String,
    #[command(flatten)]
    pub peers: PeerArgs,
    /// Years [default: the latest ten years with figures].
    #[arg(long, short = 'y', value_name = "RANGE")]
    pub years: Option<String>,
    /// T total, K women, M men.
    #[arg(long, value_enum, default_value = "T", value_name = "T|K|M")]
    pub gender: SingleGender,
    /// Write to FILE: .svg or .png for a chart, .csv/.json/.parquet/.xlsx for the numbers.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Format of the numbers on standard output.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SingleGender {
    #[value(name = "T", alias = "t")]
    T,
    #[value(name = "K", alias = "k")]
    K,
    #[value(name = "M", alias = "m")]
    M,
}

impl SingleGender {
    pub(crate) fn gender(self) -> Gender {
        match self {
            SingleGender::T => Gender::T,
            SingleGender::K => Gender::K,
            SingleGender::M => Gender::M,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum BandChoice {
    Quartiles,
    Thirds,
}

impl BandChoice {
    pub(crate) fn bands(self) -> Bands {
        match self {
            BandChoice::Quartiles => Bands::Quartiles,
            BandChoice::Thirds => Bands::Thirds,
        }
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum KpiCommand {
    /// Rank KPIs by how well their title (and description) matches the words; case and å/ä/ö do not matter.
    #[command(after_help = "Examples:
  nyckeltal kpi search aldreomsorg nettokostnadsavvikelse
  nyckeltal kpi search fall --area Äldre --limit 10
  nyckeltal kpi search hemtjänst kontinuitet --format csv")]
    Search {
        /// Words to look for, e.g. `aldreomsorg nettokostnadsavvikelse`.
        #[arg(required = true, num_args = 1..)]
        words: Vec<String>,
        /// Only KPIs whose operating area contains this text (e.g. "Äldre").
        #[arg(long, value_name = "TEXT")]
        area: Option<String>,
        /// Show at most this many hits.
        #[arg(long, default_value_t = 20, value_name = "N")]
        limit: usize,
        #[command(flatten)]
        output: Output,
    },
    /// All metadata of one or more KPIs: description, latest year, publication dates, gender split.
    #[command(after_help = "Examples:
  nyckeltal kpi show N20900
  nyckeltal kpi show N20900,N20007,N21006
  nyckeltal kpi show U21468 --format json")]
    Show {
        /// KPI id, e.g. N20900, or several, comma-separated (then a kpi column names each).
        id: String,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum MunicipalityCommand {
    /// Municipalities and regions whose name matches TEXT (case and å/ä/ö do not matter).
    #[command(after_help = "Examples:
  nyckeltal municipality search tjorn
  nyckeltal municipality search \"Region Värmland\"")]
    Search {
        text: String,
        #[command(flatten)]
        output: Output,
    },
    /// All municipalities (K) and regions (L, with Riket 0000).
    #[command(after_help = "Examples:
  nyckeltal municipality list
  nyckeltal municipality list --type L --format csv")]
    List {
        /// Only this type: K municipalities, L regions.
        #[arg(long = "type", value_enum, value_name = "K|L")]
        kind: Option<MunicipalityType>,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum MunicipalityType {
    #[value(name = "K", alias = "k")]
    K,
    #[value(name = "L", alias = "l")]
    L,
}

#[derive(Debug, Subcommand)]
pub(crate) enum GroupCommand {
    /// Municipality groups, with how many members each has.
    #[command(after_help = "Examples:
  nyckeltal group list --search \"Liknande kommuner äldreomsorg, Tjörn\"
  nyckeltal group list --search länets --format csv")]
    List {
        /// Only groups whose title contains this text.
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        #[command(flatten)]
        output: Output,
    },
    /// The members of one group.
    #[command(after_help = "Examples:
  nyckeltal group show G96190
  nyckeltal group show \"Göteborgsregionen (ovägt medel)\"")]
    Show {
        /// Group id (G96190) or title.
        group: String,
        #[command(flatten)]
        output: Output,
    },
    /// The current "Liknande kommuner AREA, KOMMUN" group of a municipality and its members.
    #[command(after_help = "Examples:
  nyckeltal group peers Tjörn --area äldreomsorg
  nyckeltal group peers 1419 --area LSS --format json")]
    Peers {
        /// Municipality code or name.
        municipality: String,
        /// Area as Kolada names it: äldreomsorg, LSS, IFO, grundskola, gymnasieskola, förskola,
        /// fritidshem, socioekonomi, arbetsmarknad, räddningstjänst, ekonomiskt bistånd, övergripande.
        #[arg(long, value_name = "AREA")]
        area: String,
        #[command(flatten)]
        output: Output,
    },
}

/// What figures: KPIs × municipalities × years.
#[derive(Debug, Args)]
pub(crate) struct Selection {
    #[command(flatten)]
    pub kpis: KpiPick,
    /// Municipalities, comma-separated: codes or names (1419, Tjörn, "Tjörns kommun"),
    /// a group id for its members (G96190), mean:G96190 for the group's own value (the
    /// unweighted mean of its members), or `all` (the 290 municipalities).
    #[arg(long, short = 'm', value_name = "SEL")]
    pub municipality: String,
    /// Years: 2022, 2018-2022 or 2018,2020.
    #[arg(long, short = 'y', value_name = "RANGE")]
    pub years: String,
}

#[derive(Debug, Args)]
pub(crate) struct FetchArgs {
    #[command(flatten)]
    pub selection: Selection,
}

#[derive(Debug, Args)]
pub(crate) struct ValuesArgs {
    #[command(flatten)]
    pub selection: Selection,
    /// T total, K women, M men, or all three.
    #[arg(long, value_enum, default_value = "T", value_name = "T|K|M|all")]
    pub gender: GenderChoice,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum GenderChoice {
    #[value(name = "T", alias = "t")]
    T,
    #[value(name = "K", alias = "k")]
    K,
    #[value(name = "M", alias = "m")]
    M,
    #[value(name = "all")]
    All,
}

/// Output of a data command.
#[derive(Debug, Args, Clone)]
pub(crate) struct Output {
    /// Output format [default: from -o's extension, else table].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// Write to FILE (atomically) instead of standard output; .csv, .json, .parquet, .xlsx
    /// and .txt pick the format.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// CSV for Swedish Excel: `;` between fields, decimal comma, UTF-8 BOM.
    #[arg(long, value_enum, value_name = "DIALECT")]
    pub csv_dialect: Option<CsvDialect>,
}

impl Output {
    /// Where and how to write: the format flag wins, else `-o`'s extension,
    /// else a table; checked before any work, so a bad `-o` costs nothing.
    pub(crate) fn target(&self) -> anyhow::Result<exports::Target> {
        exports::Target::new(
            self.format.map(Format::export),
            self.output.clone(),
            self.csv_dialect == Some(CsvDialect::ExcelSv),
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CsvDialect {
    /// `;`, decimal comma, UTF-8 BOM: opens right in Swedish Excel.
    ExcelSv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// An aligned table for reading.
    Table,
    /// Comma-separated, UTF-8, full precision.
    Csv,
    /// An array of row objects.
    Json,
    /// Apache Parquet (needs -o).
    Parquet,
    /// Excel workbook with a provenance sheet (needs -o).
    Xlsx,
}

impl Format {
    pub(crate) fn export(self) -> exports::Format {
        match self {
            Format::Table => exports::Format::Table,
            Format::Csv => exports::Format::Csv,
            Format::Json => exports::Format::Json,
            Format::Parquet => exports::Format::Parquet,
            Format::Xlsx => exports::Format::Xlsx,
        }
    }
}

//! The command line as typed: clap structures, nothing validated beyond
//! what clap checks. `commands::Context` settles them into a
//! [`dossier::workspace::Workspace`]; the commands turn them into work.

use crate::output::{ColorWhen, Format};
use clap::builder::{EnumValueParser, PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The exit codes, as `--help` and the manual page give them (`; `
/// separates the codes).
pub const EXIT_CODES: &str = "\
Exit codes: 0 done, also when nothing is found (no rows on stdout, a note on stderr saying \
what was looked for); 1 done, but some input failed (see the messages); 2 nothing done: \
bad arguments, bad gazetteer, unknown name, database error, a query past its --max-memory or \
--timeout; 130 interrupted.";

/// Turn plain-text documents into a knowledge graph of who is who and who
/// did what, with the source of every fact.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about, long_about = None, max_term_width = 100)]
#[command(after_help = EXIT_CODES)]
pub struct Cli {
    /// The database file.
    #[arg(long, global = true, env = "DOSSIER_DB", default_value = dossier::store::DEFAULT_PATH)]
    pub db: PathBuf,

    /// A further gazetteer directory, read on top of the shipped one
    /// (repeatable).
    #[arg(long = "gazetteer", global = true, value_name = "DIR")]
    pub gazetteers: Vec<PathBuf>,

    /// Leave the shipped gazetteers out: only --gazetteer directories count.
    #[arg(long, global = true)]
    pub no_default_gazetteers: bool,

    /// Print no progress, notes or summaries on stderr (errors still).
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// When to colour the tags of messages and the headers of tables.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,

    /// Cut no table cell: show everything however wide (on a terminal,
    /// tables otherwise fit its width).
    #[arg(long, global = true)]
    pub wide: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ingest documents: files, folders (recursively: .txt, .md and files
    /// without extension), or `-` for standard input.
    Ingest(IngestArgs),
    /// Re-match the stored documents with the current gazetteers: every
    /// one, or with --changed only those a gazetteer change touches.
    Reindex(ReindexArgs),
    /// List entities with their mention counts, most mentioned first.
    Entities(EntitiesArgs),
    /// Show every mention of an entity, by name or alias.
    Mentions(MentionsArgs),
    /// List the ingested documents.
    Documents(FormatArgs),
    /// Export the graph.
    Export(ExportArgs),
    /// Ask the graph a question in the query language (README, "Queries"):
    /// `dossier query '?p signed ?d, ?p resides-in France'`.
    Query(QueryArgs),
    /// An interactive prompt for queries, with history and tab completion.
    Shell(ShellArgs),
    /// Show every piece of evidence for a relation: document, line, the
    /// sentence with both names marked, rule, confidence, date.
    Why(WhyArgs),
    /// Score the database against a gold annotation file.
    Eval(EvalArgs),
    /// Remove stored documents (path, part of a path, or id) with their
    /// mentions and evidence, and the relations left without evidence.
    Forget(ForgetArgs),
    /// Bring the database's schema up to this dossier's version (commands
    /// that only read never change the file; ingest and reindex upgrade it
    /// too).
    Migrate,
    /// Check, extend, import and locate gazetteers.
    #[command(subcommand)]
    Gazetteer(GazetteerCommand),
    /// Serve the graph and its evidence as local web pages: search, an
    /// entity's facts with their quotes, documents with their names
    /// marked, and the query language.
    Serve(ServeArgs),
    /// Print a completion script for a shell: `dossier completions bash >
    /// ~/.local/share/bash-completion/completions/dossier`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) on stdout, or write one page per
    /// command into a folder with -o DIR.
    Man(ManArgs),
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (0: any free port, printed at start).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on. Anything but 127.0.0.1 or ::1 lets other
    /// machines read the whole database (a warning says so).
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// What each query of the query page may cost.
    #[command(flatten)]
    pub budget: BudgetArgs,
    /// Rows a query page shows (downloads hold every row).
    #[arg(long, default_value_t = 500, value_name = "N")]
    pub max_rows: usize,
}

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `dossier.1` and a page per command (`dossier-ingest.1` …) into
    /// this folder instead of printing `dossier.1`.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
}

/// Arguments of `ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files and folders to ingest; `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Worker threads.
    #[command(flatten)]
    pub jobs: JobsArgs,
    /// Print where the time and memory went.
    #[arg(long)]
    pub timings: bool,
    /// Refuse documents larger than this (bytes, or with kB, MB, GB):
    /// matching one takes several times its size in memory.
    #[arg(long, value_name = "SIZE", default_value = "64MB", value_parser = parse_size)]
    pub max_document_size: u64,
}

/// Arguments of `reindex`.
#[derive(Debug, Args)]
pub struct ReindexArgs {
    /// Only the documents that name an added or changed gazetteer entry,
    /// mention one that changed or went, or were read with other relation
    /// rules; the other stale ones are marked current unread.
    #[arg(long)]
    pub changed: bool,
    /// Remove the entities no gazetteer given lists any more even when
    /// stored documents mention them (without it, reindex refuses and
    /// names the gazetteer folders used at ingest that are missing).
    #[arg(long)]
    pub force: bool,
    /// Worker threads.
    #[command(flatten)]
    pub jobs: JobsArgs,
}

/// The worker count option.
#[derive(Debug, Args)]
pub struct JobsArgs {
    /// Threads for reading and matching (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
}

/// The output format option.
#[derive(Debug, Args)]
pub struct FormatArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Arguments of `entities`.
#[derive(Debug, Args)]
pub struct EntitiesArgs {
    /// Only entities of this type (person, organisation, place, state).
    #[arg(long = "type", short = 't', value_name = "TYPE")]
    pub kind: Option<String>,
    /// Only mentions in this document (path, part of a path, or id).
    #[arg(long, short = 'd', value_name = "DOCUMENT")]
    pub document: Option<String>,
    /// At most this many entities.
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<usize>,
    /// Output format.
    #[command(flatten)]
    pub format: FormatArgs,
}

/// Arguments of `mentions`.
#[derive(Debug, Args)]
pub struct MentionsArgs {
    /// A canonical name or alias (case and accents do not matter).
    pub name: String,
    /// Output format.
    #[command(flatten)]
    pub format: FormatArgs,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Node-link JSON, the graph for scripts.
    Json,
    /// GraphML for Gephi, yEd, networkx.
    Graphml,
    /// GEXF 1.3, Gephi's own format (colours by type, a timeline by date).
    Gexf,
    /// nodes.csv and edges.csv for `neo4j-admin database import` (-o DIR).
    Csv,
    /// FollowTheMoney entities as JSON lines, for Aleph and OpenSanctions
    /// tools.
    Ftm,
    /// Graphviz DOT.
    Dot,
    /// A picture drawn by Graphviz (needs `dot`).
    Svg,
    /// A picture drawn by Graphviz (needs `dot`).
    Png,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format.
    #[arg(value_enum)]
    pub format: ExportFormat,
    /// Write here instead of standard output (a folder for `csv`).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only nodes of these types (comma-separated: person, organisation,
    /// place, state, document).
    #[arg(long, value_delimiter = ',', value_name = "TYPES")]
    pub types: Vec<String>,
    /// Only relations of these kinds (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "KINDS")]
    pub relations: Vec<String>,
    /// Only what lies around this entity (see --depth).
    #[arg(long, value_name = "NAME")]
    pub around: Option<String>,
    /// How many relations away from --around (default 1).
    #[arg(long, value_name = "N", requires = "around")]
    pub depth: Option<u64>,
    /// Only the relations a query matches (the query language).
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,
    /// Only relations with at least this many pieces of evidence.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub min_weight: u32,
    /// Only relations with evidence in this document (a path or part of it).
    #[arg(long, value_name = "PATH")]
    pub document: Option<String>,
    /// GraphML: one edge per pair of nodes, its kinds joined in the label
    /// and its weight the total evidence (Gephi merges parallel edges).
    #[arg(long)]
    pub merge_parallel: bool,
    /// svg, png: stop Graphviz after this many seconds (0: no limit).
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub layout_timeout: u64,
}

/// Arguments of `query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The query. Without it, the query is read from --file, or from
    /// standard input.
    pub query: Option<String>,
    /// A file holding the query (the saved ones are in queries/).
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    pub file: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_parser = FormatOrFile, default_value = "table")]
    pub format: Format,
    /// Add to each row the document and the quote of every relation it
    /// matched.
    #[arg(long)]
    pub evidence: bool,
    /// What the query may cost.
    #[command(flatten)]
    pub budget: BudgetArgs,
}

/// Arguments of `shell`.
#[derive(Debug, Args)]
pub struct ShellArgs {
    /// What each query may cost.
    #[command(flatten)]
    pub budget: BudgetArgs,
}

/// How much one query may cost (`query`, `shell`, `serve`); past either bound it
/// stops with an error pointing at its patterns (exit 2).
#[derive(Debug, Clone, Copy, Args)]
pub struct BudgetArgs {
    /// The memory a query may hold for its answer: bytes, or with a unit
    /// (`512M`, `2G`: K, M, G alone count in 1024s; kB, MB, GB in 1000s).
    #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = parse_size)]
    pub max_memory: u64,
    /// The seconds a query may run (`30`, `0.5`, `30s`).
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_seconds)]
    pub timeout: std::time::Duration,
}

impl BudgetArgs {
    /// The library's budget.
    pub fn budget(&self) -> dossier::query::Budget {
        dossier::query::Budget {
            max_memory: self.max_memory,
            timeout: self.timeout,
        }
    }
}

/// A size in bytes: a number (`123`, `1.5`), then optionally a unit:
/// `kB`, `MB`, `GB`, `TB` are powers of 1000, as sizes are shown; `K`,
/// `M`, `G`, `T` alone and `KiB`, `MiB`, `GiB`, `TiB` powers of 1024. Any
/// case; more than 0.
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size: write bytes, or 500kB, 64MB, 512M, 2G"))?;
    let unit = unit.trim().to_ascii_lowercase();
    let (base, letter): (f64, &str) = if let Some(letter) = unit.strip_suffix("ib") {
        (1024.0, letter)
    } else if let Some(letter) = unit.strip_suffix('b').filter(|l| !l.is_empty()) {
        (1000.0, letter)
    } else {
        (1024.0, unit.as_str())
    };
    let power = match letter {
        "" | "b" => 0,
        "k" => 1,
        "m" => 2,
        "g" => 3,
        "t" => 4,
        _ => {
            return Err(format!(
                "unknown unit in `{text}`: use kB, MB, GB (powers of 1000) or K, M, G (of 1024)"
            ));
        }
    };
    let bytes = number * base.powi(power);
    if bytes < 1.0 || bytes >= u64::MAX as f64 {
        return Err(format!("`{text}` is out of range"));
    }
    Ok(bytes as u64)
}

/// A time in seconds, more than 0: `30`, `0.5`, `30s`.
fn parse_seconds(text: &str) -> Result<std::time::Duration, String> {
    let number = text.trim();
    let number = number.strip_suffix('s').unwrap_or(number).trim();
    number
        .parse::<f64>()
        .ok()
        .filter(|s| *s > 0.0)
        .and_then(|s| std::time::Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("`{text}` is not a number of seconds above 0"))
}

/// Arguments of `why`.
#[derive(Debug, Args)]
pub struct WhyArgs {
    /// The subject: a canonical name or alias.
    pub subject: String,
    /// The relation kind (`signed`, `resides-in`, ...), several joined by
    /// `|`, or `*` for any.
    pub relation: String,
    /// The object: a name or alias, a document (path or part of it) for
    /// `signed`, or `*` for any.
    pub object: String,
    /// Output format.
    #[command(flatten)]
    pub format: FormatArgs,
}

/// Arguments of `eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The gold file (format: shared/gold/SCHEMA.md).
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    /// List every miss and false positive.
    #[arg(long, short)]
    pub verbose: bool,
    /// Also score each relation rule: the relations and evidence it gave in
    /// the scored documents, how many of them the gold confirms, its
    /// precision; and name the rules the gazetteer folders load that never
    /// fired there.
    #[arg(long)]
    pub by_rule: bool,
    /// Output format (table or json).
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The `gazetteer` subcommands.
#[derive(Debug, Subcommand)]
pub enum GazetteerCommand {
    /// Validate the gazetteers; exit code 1 when there are errors.
    Check,
    /// Add an entity at its sorted place.
    Add(AddArgs),
    /// Import a list: TSV `type<TAB>name<TAB>alias|alias`, or CSV with a
    /// header (`type`, `name`, optional `aliases`, other columns become
    /// attributes).
    Import(ImportArgs),
    /// Names in the stored documents that no gazetteer holds, with a
    /// guessed type, the cue for it, counts and an example; `-f tsv` writes
    /// what `gazetteer import` reads.
    Suggest(SuggestArgs),
    /// Print the gazetteer folders loaded, in order, and where `add` and
    /// `import` write.
    Path,
    /// Make ENTITY one entity with INTO for the graph (writes
    /// `same-as=INTO` on ENTITY's line; each keeps its names for matching).
    Merge(MergeArgs),
}

/// Arguments of `gazetteer merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The entry that joins the other: a canonical name or alias
    /// (`TYPE:NAME` when several entries bear it).
    #[arg(value_name = "ENTITY")]
    pub entity: String,
    /// The entry it is one with, whose name and type the node takes.
    #[arg(value_name = "INTO")]
    pub into_entity: String,
    /// The gazetteer directory to write (default: the last --gazetteer, or
    /// the shipped one).
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
}

/// Arguments of `forget`.
#[derive(Debug, Args)]
pub struct ForgetArgs {
    /// The documents: a path, part of one, or an id (as `documents` lists
    /// them); a pattern that matches several is refused.
    #[arg(required = true, value_name = "DOCUMENT")]
    pub documents: Vec<String>,
}

/// Arguments of `gazetteer suggest`.
#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// Output format; `tsv` is `type<TAB>name<TAB>aliases<TAB># evidence`,
    /// ready for `gazetteer import` once reviewed.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Only names seen at least this many times.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_count: usize,
    /// Only suggestions of this type (person, organisation, place, state).
    #[arg(long = "type", short = 't', value_name = "TYPE")]
    pub kind: Option<String>,
    /// Only names seen in this document (path, part of a path).
    #[arg(long, short = 'd', value_name = "DOCUMENT")]
    pub document: Option<String>,
    /// At most this many suggestions.
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<usize>,
    /// Worker threads.
    #[command(flatten)]
    pub jobs: JobsArgs,
}

/// Arguments of `gazetteer add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// person, organisation, place or state.
    #[arg(value_name = "TYPE")]
    pub kind: String,
    /// The canonical name.
    pub name: String,
    /// Another name of the entity (repeatable).
    #[arg(long = "alias", short = 'a', value_name = "ALIAS")]
    pub aliases: Vec<String>,
    /// An attribute `key=value` (repeatable).
    #[arg(long = "attr", value_name = "KEY=VALUE")]
    pub attributes: Vec<String>,
    /// The gazetteer directory to write (default: the last --gazetteer, or
    /// the shipped one).
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
}

/// Arguments of `gazetteer import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import (.csv is read as CSV, anything else as TSV).
    pub file: PathBuf,
    /// The gazetteer directory to write (default: the last --gazetteer, or
    /// the shipped one).
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
}

/// `--format` of `query`, whose `-f` once meant `--file`: a value that
/// looks like a file gets a tip saying so.
#[derive(Clone)]
struct FormatOrFile;

impl TypedValueParser for FormatOrFile {
    type Value = Format;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Format, clap::Error> {
        EnumValueParser::<Format>::new()
            .parse_ref(cmd, arg, value)
            .map_err(|mut error| {
                let text = value.to_string_lossy();
                if text.contains(['/', '.']) || std::path::Path::new(value).exists() {
                    error.insert(
                        ContextKind::Suggested,
                        ContextValue::StyledStrs(vec![
                            "-f is --format; read a query from a file with --file FILE".into(),
                        ]),
                    );
                }
                error
            })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            Format::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_read_with_their_units() {
        let cases = [
            ("123", Some(123)),
            ("500kB", Some(500_000)),
            ("64MB", Some(64_000_000)),
            ("64M", Some(64 << 20)),
            ("64MiB", Some(64 << 20)),
            ("1 GB", Some(1_000_000_000)),
            ("2gb", Some(2_000_000_000)),
            ("", None),
            ("MB", None),
            ("12 parsecs", None),
            ("-1", None),
            ("99999999999GB", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_size(text).ok(), want, "{text:?}");
        }
    }
    use clap::CommandFactory;
    use std::collections::BTreeMap;

    /// Every command of the tree, with its path (`dossier gazetteer add`).
    fn commands(command: &clap::Command, path: String, into: &mut Vec<(String, clap::Command)>) {
        into.push((path.clone(), command.clone()));
        for sub in command.get_subcommands() {
            commands(sub, format!("{path} {}", sub.get_name()), into);
        }
    }

    /// A short flag means one thing in every command: the same long flag.
    #[test]
    fn no_short_flag_means_two_things() {
        let mut root = Cli::command();
        root.build();
        let mut all = Vec::new();
        commands(&root, "dossier".into(), &mut all);
        let mut meanings: BTreeMap<char, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        for (path, command) in &all {
            for arg in command.get_arguments() {
                let shorts = arg.get_short_and_visible_aliases().unwrap_or_default();
                for short in shorts {
                    let long = arg.get_long().unwrap_or(arg.get_id().as_str()).to_string();
                    meanings
                        .entry(short)
                        .or_default()
                        .entry(long)
                        .or_default()
                        .push(path.clone());
                }
            }
        }
        // The walk sees the flags: the ones every user types are there.
        for (short, long) in [
            ('f', "format"),
            ('q', "quiet"),
            ('j', "jobs"),
            ('h', "help"),
        ] {
            assert!(
                meanings.get(&short).is_some_and(|m| m.contains_key(long)),
                "-{short} not found as --{long}: {meanings:?}"
            );
        }
        let clashes: Vec<String> = meanings
            .iter()
            .filter(|(_, longs)| longs.len() > 1)
            .map(|(short, longs)| format!("-{short}: {longs:?}"))
            .collect();
        assert!(
            clashes.is_empty(),
            "short flags with two meanings: {clashes:#?}"
        );
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn budgets_are_read_with_their_units() {
        let cases = [
            ("1G", Ok(1 << 30)),
            ("512M", Ok(512 << 20)),
            ("512MiB", Ok(512 << 20)),
            ("2gb", Ok(2_000_000_000)),
            ("2g", Ok(2 << 30)),
            ("1.5K", Ok(1536)),
            ("1000", Ok(1000)),
            ("0", Err(())),
            ("12X", Err(())),
            ("G", Err(())),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_size(text).map_err(|_| ()), expected, "{text}");
        }
        assert_eq!(parse_seconds("30"), Ok(std::time::Duration::from_secs(30)));
        assert_eq!(
            parse_seconds("0.5s"),
            Ok(std::time::Duration::from_millis(500))
        );
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("-3").is_err());
        assert!(parse_seconds("soon").is_err());
        let parsed = Cli::try_parse_from(["dossier", "shell", "--timeout", "2"]).unwrap();
        let Command::Shell(args) = parsed.command else {
            panic!("not the shell");
        };
        assert_eq!(args.budget.budget().timeout.as_secs(), 2);
        assert_eq!(
            args.budget.max_memory,
            dossier::query::budget::DEFAULT_MAX_MEMORY
        );
    }

    #[test]
    fn a_file_given_to_query_f_gets_a_tip() {
        let error = Cli::try_parse_from(["dossier", "query", "-f", "queries/who-signed-what.dq"])
            .unwrap_err()
            .to_string();
        assert!(error.contains("--file FILE"), "{error}");
        let parsed = Cli::try_parse_from(["dossier", "query", "-f", "json", "documents"]).unwrap();
        let Command::Query(args) = parsed.command else {
            panic!("not a query");
        };
        assert_eq!(args.format, Format::Json);
        let error = Cli::try_parse_from(["dossier", "query", "-f", "xml"])
            .unwrap_err()
            .to_string();
        assert!(!error.contains("--file"), "{error}");
    }
}

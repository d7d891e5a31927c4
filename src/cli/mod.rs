//! The command line (README.md, `docket --help`): argument parsing and one file per
//! command group. Prints text or `--json`; no terminal UI code here.

mod audit;
mod autonomy;
mod check;
mod demo;
mod export;
mod import;
mod init;
mod input;
mod list;
mod log;
mod memo;
mod output;
mod progress;
mod review;
mod runs;
mod search;
mod setdiff;
mod show;
mod sync;
mod triage;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "docket", version, about = "Runbooks, decision memos and eval sets for the people who keep AI agents honest", long_about = None)]
pub struct Cli {
    /// Run as if docket was started in DIR
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub directory: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Which kind of item `list` shows.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ListKind {
    Failures,
    Sets,
    Runbooks,
    Memos,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the UI on a scratch copy of the example workspace
    Demo,
    /// Create a workspace (and a git repository if there is none)
    Init {
        /// Where to create it (default: the current directory)
        dir: Option<PathBuf>,
        /// Fill it with the bundled example workspace
        #[arg(long)]
        example: bool,
        /// Commit the new files at once
        #[arg(long)]
        commit: bool,
    },
    /// Validate every file, reference and rule; exit 1 on any error
    Check {
        #[arg(long)]
        json: bool,
        /// Warnings fail too: exit 1 when any problem remains
        #[arg(long)]
        strict: bool,
    },
    /// List failures, sets, runbooks or memos
    List {
        kind: ListKind,
        /// Only items with this status
        #[arg(long)]
        status: Option<String>,
        /// Only failure cases carrying this tag
        #[arg(long)]
        tag: Option<String>,
        /// Only items of this agent (runbook id)
        #[arg(long)]
        agent: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Print one failure case, set, runbook or memo
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Fuzzy search over everything, best first
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Tag a failure case (tags must be in the taxonomy)
    Tag {
        case: String,
        #[arg(required = true)]
        tags: Vec<String>,
        /// Remove the tags instead
        #[arg(long)]
        remove: bool,
        /// Commit at once
        #[arg(long)]
        commit: bool,
    },
    /// Append a note to a failure case
    Note {
        case: String,
        text: String,
        #[arg(long)]
        commit: bool,
    },
    /// Copy a failure case into an eval set with provenance
    Promote {
        case: String,
        set: String,
        #[arg(long)]
        commit: bool,
    },
    /// Dismiss a failure case
    Dismiss {
        case: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        commit: bool,
    },
    /// The autonomy ledger: which runbooks have earned their next tier
    Autonomy {
        #[arg(long)]
        json: bool,
    },
    /// Draft a memo, or move one along its lifecycle
    Memo {
        #[command(subcommand)]
        command: MemoCommand,
    },
    /// Work with one eval set's history
    Set {
        #[command(subcommand)]
        command: SetCommand,
    },
    /// Undo the last uncommitted change
    Undo,
    /// Drop all pending docket changes, restoring docket's files (lists
    /// what it would drop and asks first)
    Discard {
        /// Do not ask (for scripts)
        #[arg(short, long)]
        yes: bool,
    },
    /// Create failure cases from a runner's failing samples (importing a
    /// file twice creates nothing new)
    Import {
        /// What wrote the files
        format: crate::interop::Tool,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The agent (runbook id) of every case, over the records' own
        #[arg(long)]
        agent: Option<String>,
        /// production | offline-eval | red-team | user-report, over the records' own
        #[arg(long)]
        source: Option<String>,
        /// Show what would be created; write nothing
        #[arg(long)]
        dry_run: bool,
        /// Import the good records even when some are malformed
        #[arg(long)]
        keep_going: bool,
        #[arg(long)]
        commit: bool,
    },
    /// Write an eval set in a format a runner loads (byte-for-byte deterministic)
    Export {
        set: String,
        #[arg(long, value_enum)]
        format: crate::interop::export::Format,
        /// Write to FILE instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Record runs of eval sets
    Run {
        #[command(subcommand)]
        command: RunCommand,
    },
    /// The eval-review meeting: alone, the UI in meeting mode (resuming a
    /// meeting in progress)
    Review {
        #[command(subcommand)]
        command: Option<ReviewCommand>,
    },
    /// One case's, set's, runbook's or memo's history from git: who
    /// changed it, when, in which commit, with which docket actions, signed
    /// by whom
    Log {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Check the commits that changed eval sets or failures against the
    /// review rules (listed reviewers, docket trailers, signatures, double
    /// review); exit 1 on any finding
    Audit {
        /// Only the commits not reachable from REV (REV..HEAD)
        #[arg(long, value_name = "REV")]
        since: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Commit the pending docket changes
    Commit {
        /// The summary line (trailers are added)
        #[arg(short, long)]
        message: Option<String>,
        /// Also commit docket files edited by hand
        #[arg(long)]
        all: bool,
    },
    /// Fetch the upstream, replay your docket commits on it as actions, push
    Sync {
        /// On a conflict over CASE, your decision stands (repeatable)
        #[arg(long, value_name = "CASE")]
        ours: Vec<String>,
        /// On a conflict over CASE, the upstream's decision stands (repeatable)
        #[arg(long, value_name = "CASE")]
        theirs: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RunCommand {
    /// Record a runner's results for an exported set; exit 1 below the set's `min_pass_rate`
    Import {
        set: String,
        /// promptfoo | inspect
        format: crate::interop::Tool,
        file: PathBuf,
        /// What ran (default: the runner's model or provider)
        #[arg(long)]
        agent_version: Option<String>,
        /// Also create a failure case for each failing result
        #[arg(long)]
        import_failures: bool,
        #[arg(long)]
        commit: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Start a meeting (or say where the one in progress stands)
    Start {
        /// An attendee: the email or name of one of docket.toml's [[reviewers]]
        #[arg(long = "attendee", value_name = "REVIEWER")]
        attendees: Vec<String>,
    },
    /// The meeting's agenda: new failures by severity then age, and split verdicts
    Agenda {
        #[arg(long)]
        json: bool,
    },
    /// Skip a case to the next meeting
    Skip { case: String },
    /// Write the minutes as a memo, commit everything, tag review/YYYY-MM-DD
    Finish,
    /// Reviewers' agreement per pair: percent and Cohen's kappa
    Stats {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum MemoCommand {
    /// Draft memos/<next NNNN>-<slug>.md from the template
    New {
        title: String,
        #[arg(long)]
        commit: bool,
    },
    /// Move a memo: draft → proposed → accepted | rejected, accepted → deprecated | superseded
    Status {
        id: String,
        status: String,
        #[arg(long)]
        commit: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SetCommand {
    /// Cases added, removed and changed between two versions of a set, and
    /// why (the commits and their Docket-Action trailers)
    Diff {
        set: String,
        /// `A..B`, `A..` or `..B`; each end a version (`5`, `v5`) or a git
        /// revision (`abc123`, `review/2026-11-20`). Default: from the last
        /// `review/*` tag (else the set's first version) to HEAD
        range: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

/// Runs a parsed command line. `Err` is bad usage or bad input (exit 2);
/// `check` returns exit 1 itself when it finds problems.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let cwd = match &cli.directory {
        Some(d) => d.clone(),
        None => std::env::current_dir()?,
    };
    let Some(command) = cli.command else {
        let store = crate::store::Store::open(&cwd)?;
        crate::ui::runtime::run(&store, false)?;
        return Ok(ExitCode::SUCCESS);
    };
    match command {
        Command::Demo => demo::run(),
        Command::Init {
            dir,
            example,
            commit,
        } => {
            let target = match dir {
                Some(d) if d.is_absolute() => d,
                Some(d) => cwd.join(d),
                None => cwd,
            };
            init::run(&target, example, commit)
        }
        Command::Check { json, strict } => check::run(&cwd, json, strict),
        Command::List {
            kind,
            status,
            tag,
            agent,
            json,
        } => list::run(&cwd, kind, &list::Filters { status, tag, agent }, json),
        Command::Show { id, json } => show::run(&cwd, &id, json),
        Command::Search { query, limit, json } => search::run(&cwd, &query, limit, json),
        Command::Tag {
            case,
            tags,
            remove,
            commit,
        } => triage::tag(&cwd, &case, &tags, remove, commit),
        Command::Note { case, text, commit } => triage::note(&cwd, &case, &text, commit),
        Command::Promote { case, set, commit } => triage::promote(&cwd, &case, &set, commit),
        Command::Dismiss {
            case,
            reason,
            commit,
        } => triage::dismiss(&cwd, &case, &reason, commit),
        Command::Commit { message, all } => triage::commit(&cwd, message, all),
        Command::Sync { ours, theirs } => sync::run(&cwd, &ours, &theirs),
        cmd @ (Command::Import { .. } | Command::Export { .. } | Command::Run { .. }) => {
            interop(&cwd, cmd)
        }
        Command::Discard { yes } => triage::discard(&cwd, yes),
        Command::Undo => triage::undo(&cwd),
        Command::Autonomy { json } => autonomy::run(&cwd, json),
        Command::Log { id, json } => log::run(&cwd, &id, json),
        Command::Audit { since, json } => audit::run(&cwd, since.as_deref(), json),
        Command::Set {
            command: SetCommand::Diff { set, range, json },
        } => setdiff::run(&cwd, &set, range.as_deref(), json),
        Command::Review { command } => review(&cwd, command),
        Command::Memo {
            command: MemoCommand::New { title, commit },
        } => memo::new(&cwd, &title, commit),
        Command::Memo {
            command: MemoCommand::Status { id, status, commit },
        } => memo::status(&cwd, &id, &status, commit),
    }
}

/// `docket review …`.
fn review(cwd: &std::path::Path, command: Option<ReviewCommand>) -> anyhow::Result<ExitCode> {
    match command {
        None => {
            let store = crate::store::Store::open(cwd)?;
            crate::ui::runtime::run(&store, true)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(ReviewCommand::Start { attendees }) => review::run_start(cwd, &attendees),
        Some(ReviewCommand::Agenda { json }) => review::agenda(cwd, json),
        Some(ReviewCommand::Skip { case }) => review::skip(cwd, &case),
        Some(ReviewCommand::Finish) => review::finish(cwd),
        Some(ReviewCommand::Stats { json }) => review::stats(cwd, json),
    }
}

/// The commands that talk to eval runners: import, export, run import.
fn interop(cwd: &std::path::Path, command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Import {
            format,
            files,
            agent,
            source,
            dry_run,
            keep_going,
            commit,
        } => import::run(
            cwd,
            &import::Options {
                tool: format,
                files,
                agent,
                source,
                dry_run,
                keep_going,
                commit,
            },
        ),
        Command::Export {
            set,
            format,
            output,
        } => export::run(cwd, &set, format, output.as_deref()),
        Command::Run {
            command:
                RunCommand::Import {
                    set,
                    format,
                    file,
                    agent_version,
                    import_failures,
                    commit,
                },
        } => runs::import(
            cwd,
            &runs::Options {
                set,
                tool: format,
                file,
                agent_version,
                import_failures,
                commit,
            },
        ),
        _ => anyhow::bail!("internal error: not an interop command"),
    }
}

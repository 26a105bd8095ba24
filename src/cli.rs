//! The command line of `mdbook-cavra`, as clap reads it: every subcommand
//! and option in one definition, which `main` parses and tests enumerate
//! (`Cli::command()`), so a new subcommand or option is covered by them
//! without editing the tests.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::preview;
use crate::report::Format;

#[derive(Parser)]
#[command(
    name = "mdbook-cavra",
    version,
    about = "Single-source CAVRA's state vocabularies and boundary lists in an mdBook, and check every page against them",
    long_about = "Without a subcommand, mdbook-cavra is an mdBook preprocessor: mdBook runs it during \
`mdbook build` and `mdbook serve` and sends the book as JSON on standard input."
)]
pub struct Cli {
    /// When to colour the output: `auto` colours a terminal unless
    /// `NO_COLOR` is set; `always` and `never` win over the environment.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "auto",
        value_name = "WHEN"
    )]
    pub color: Color,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
pub enum Command {
    /// Tell mdBook whether a renderer is supported (every renderer is).
    Supports { renderer: String },
    /// Check every page of a book; exit 1 on errors, 2 when the book cannot be read.
    Check {
        /// Book root folders (the ones with book.toml), or files inside
        /// books: for a file, the book is found by walking up to its
        /// book.toml, the whole book is read (links, orphans, boundary
        /// pages) and only that file's findings are reported. Files in no
        /// book are skipped, as pre-commit passes every changed file.
        #[arg(default_value = ".", value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Output format (`short`: one `path:line:col: level[rule]: message`
        /// line per finding, for editors' problem matchers).
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Print findings only: no summary line, nothing when the book is clean.
        #[arg(long, short = 'q')]
        quiet: bool,
        /// Exit 1 on warnings too, as on errors.
        #[arg(long)]
        deny_warnings: bool,
        /// Put this in front of every path in human, GitHub and SARIF output
        /// (default: BOOK_ROOT as given, so paths are relative to the
        /// current folder, the repository root in CI).
        #[arg(long, value_name = "PREFIX")]
        path_prefix: Option<String>,
    },
    /// Build a book to HTML in-process, with the preprocessor and its checks.
    Build {
        /// The book's root folder (the one with book.toml).
        #[arg(default_value = ".")]
        book_root: PathBuf,
        /// Where to write the HTML (default: the book's build-dir): a folder that is
        /// absent, empty, or that mdbook-cavra wrote before (it replaces only its own files).
        #[arg(long, short = 'd')]
        dest_dir: Option<PathBuf>,
    },
    /// Explain a rule: what it finds, why, an example and the fix.
    Explain {
        /// A rule id such as `undefined-state`; omit to list every rule.
        rule: Option<String>,
    },
    /// Print the whole canon (vocabularies, boundaries, retired labels, the
    /// CAVRA CLI, …) as versioned JSON or a Markdown reference, or its JSON Schema.
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
        /// Print the JSON Schema (draft 2020-12) of the JSON export instead.
        #[arg(long, conflicts_with = "format")]
        schema: bool,
        /// Print the JSON Schema of the `[preprocessor.cavra]` table of
        /// book.toml instead (for editors' TOML language servers).
        #[arg(long, conflicts_with_all = ["format", "schema"])]
        config_schema: bool,
    },
    /// Show where a book states each boundary item and uses each vocabulary,
    /// and which items are missing.
    Report {
        /// The book's root folder (the one with book.toml).
        #[arg(default_value = ".")]
        book_root: PathBuf,
        /// Output format: Markdown or HTML for reviewers, JSON for CI.
        #[arg(long, value_enum, default_value = "markdown")]
        format: ReportFormat,
    },
    /// Preview a page as readers will see it, findings in place: rendered
    /// with mdBook and the book's theme (--serve: live), or as Markdown.
    Preview(preview::Args),
    /// Run the language server on standard input and output: the checks
    /// as you type, with quick fixes, hover and completion (for editors).
    Lsp,
    /// Apply the fixes findings carry (safe ones unless --unsafe), then
    /// report what is left; exit as `check` would on it.
    Fix {
        /// The book's root folder (the one with book.toml).
        #[arg(default_value = ".")]
        book_root: PathBuf,
        /// Print a unified diff of the fixes and write nothing.
        #[arg(long)]
        diff: bool,
        /// Only fix findings of this rule (repeat for more).
        #[arg(long = "rule", value_name = "RULE")]
        rules: Vec<String>,
        /// Apply unsafe fixes too (they may drop or change what the writer
        /// wrote: review them with --diff first).
        #[arg(long = "unsafe")]
        unsafe_fixes: bool,
    },
    /// Set up an existing mdBook: add [preprocessor.cavra] to its book.toml,
    /// and optionally a GitHub workflow and a pre-commit hook.
    Init {
        /// The book's root folder (the one with book.toml).
        #[arg(default_value = ".")]
        book_root: PathBuf,
        /// Also write a CI workflow for this service (`.github/workflows/docs.yml`).
        #[arg(long, value_enum, value_name = "SERVICE")]
        ci: Option<Ci>,
        /// Also write `.pre-commit-config.yaml` with a hook that checks the book.
        #[arg(long)]
        pre_commit: bool,
    },
}

/// CI services `init --ci` writes a workflow for.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Ci {
    Github,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ReportFormat {
    Markdown,
    Json,
    Html,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    Json,
    Markdown,
}

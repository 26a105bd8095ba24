//! The `mdbook-cavra` command: a thin layer over the library. Each command
//! returns `Result<(), Error>`; `main` turns that into the exit code in one
//! place (0 ok, 1 denied findings, 2 could not run).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use mdbook_cavra::check::rules;
use mdbook_cavra::error::Error;
use mdbook_cavra::preprocessor::{self, CavraPreprocessor};
use mdbook_cavra::report::{self, Format, Paths};
use mdbook_cavra::session::{Session, Source};
use mdbook_cavra::{build, canon, coverage, export, preview, suggest};
use mdbook_preprocessor::Preprocessor;

#[derive(Parser)]
#[command(
    name = "mdbook-cavra",
    version,
    about = "Single-source CAVRA's state vocabularies and boundary lists in an mdBook, and check every page against them",
    long_about = "Without a subcommand, mdbook-cavra is an mdBook preprocessor: mdBook runs it during \
`mdbook build` and `mdbook serve` and sends the book as JSON on standard input."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Tell mdBook whether a renderer is supported (every renderer is).
    Supports { renderer: String },
    /// Check every page of a book; exit 1 on errors, 2 when the book cannot be read.
    Check {
        /// The book's root folder (the one with book.toml).
        #[arg(default_value = ".")]
        book_root: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
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
        /// Where to write the HTML (default: the book's build-dir).
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
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ReportFormat {
    Markdown,
    Json,
    Html,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
    Json,
    Markdown,
}

fn main() -> ExitCode {
    return_big_blocks_to_the_system();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // The report is printed already; its summary line says the rest.
        Err(e @ Error::Findings { .. }) => ExitCode::from(e.exit_code()),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// glibc serves a block of more than 128 KiB from its heap once blocks of
/// that size have been freed, and keeps the heap's memory when they are
/// freed again. The preprocessor frees the whole of mdBook's JSON after
/// reading it, and the page model of a long page; with this setting such
/// blocks are mapped on their own and go back to the system when freed, so
/// a book of pages of many megabytes stays within the documented memory
/// limits (87 -> 55 MiB for a 9 MB page under `mdbook build`).
fn return_big_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only changes a tuning parameter of glibc's
    // allocator; it is called before this program allocates on any other
    // thread, and the value is in the documented range.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        None => run_preprocessor(),
        Some(Command::Supports { renderer }) => {
            match CavraPreprocessor.supports_renderer(&renderer) {
                Ok(true) => Ok(()),
                _ => Err(Error::input(format!(
                    "renderer `{renderer}` is not supported"
                ))),
            }
        }
        Some(Command::Check {
            book_root,
            format,
            path_prefix,
        }) => run_check(&book_root, format, path_prefix.as_deref()),
        Some(Command::Build {
            book_root,
            dest_dir,
        }) => {
            let dir = build::build(&book_root, dest_dir.as_deref()).inspect_err(|e| {
                if let Error::Findings { .. } = e {
                    eprintln!("error: {e}");
                }
            })?;
            eprintln!(
                "mdbook-cavra: built {} into {}",
                book_root.display(),
                dir.display()
            );
            Ok(())
        }
        Some(Command::Explain { rule }) => explain(rule.as_deref()),
        Some(Command::Preview(args)) => preview::run(&args),
        Some(Command::Report { book_root, format }) => {
            let session = Session::load(&book_root)?;
            let c = coverage::coverage(&session.book, canon::canon())?;
            print_out(&match format {
                ReportFormat::Markdown => coverage::to_markdown(&c),
                ReportFormat::Json => coverage::to_json(&c),
                ReportFormat::Html => coverage::to_html(&c),
            })
        }
        Some(Command::Export { format, schema }) => print_out(&match (schema, format) {
            (true, _) => export::schema_json(),
            (false, ExportFormat::Json) => export::to_json(canon::canon()),
            (false, ExportFormat::Markdown) => export::to_markdown(canon::canon()),
        }),
    }
}

/// Write to standard output; a full or closed stdout is an error (exit 2).
fn print_out(text: &str) -> Result<(), Error> {
    let mut out = anstream::stdout();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

fn run_preprocessor() -> Result<(), Error> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!(
            "mdbook-cavra: waiting for mdBook's JSON on standard input\n  = help: mdbook runs this itself; to check a book run `mdbook-cavra check`, to build one `mdbook-cavra build`; see --help"
        );
    }
    let (ctx, book) =
        preprocessor::parse_input(stdin.lock()).map_err(|e| Error::input(format!("{e:#}")))?;
    let book = CavraPreprocessor.run(&ctx, book).map_err(|e| {
        match e.chain().find_map(|c| c.downcast_ref::<Error>()) {
            Some(Error::Findings { errors }) => {
                eprintln!("error: {e}");
                Error::Findings { errors: *errors }
            }
            _ => Error::input(format!("{e:#}")),
        }
    })?;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, &book).map_err(std::io::Error::from)?;
    out.flush()?;
    Ok(())
}

fn run_check(root: &Path, format: Format, prefix: Option<&str>) -> Result<(), Error> {
    let outcome = Session::load(root)?.run(Source::Disk)?;
    let paths = Paths::with_prefix(prefix.unwrap_or(&root.to_string_lossy()));
    print_out(&report::render(
        format,
        &outcome.findings,
        outcome.files,
        &paths,
    ))?;
    match outcome.errors() {
        0 => Ok(()),
        errors => Err(Error::Findings { errors }),
    }
}

fn explain(rule: Option<&str>) -> Result<(), Error> {
    match rule {
        None => {
            let mut text = String::new();
            for r in rules::ALL {
                text.push_str(&format!(
                    "{:<26} {:<5} {}\n",
                    r.id,
                    r.default.as_str(),
                    first_sentence(r.doc.what)
                ));
            }
            print_out(&text)
        }
        Some(id) => match rules::by_id(id) {
            Some(r) => print_out(&mdbook_cavra::secrets::redact(&r.meta().explain())),
            None => Err(Error::input_with_help(
                format!("unknown rule `{id}`"),
                suggest::hint(id, rules::ALL.iter().map(|r| r.id)),
            )),
        },
    }
}

fn first_sentence(s: &str) -> &str {
    s.find(". ").map_or(s, |i| &s[..=i])
}

//! The `mdbook-cavra` command: a thin layer over the library that parses
//! arguments and maps results to exit codes (0 ok, 1 findings, 2 could not run).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use mdbook_cavra::check::Rule;
use mdbook_cavra::preprocessor::{self, CavraPreprocessor};
use mdbook_cavra::report::{self, Format, Summary};
use mdbook_cavra::{book, build, canon, export, preview, suggest};
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
    /// Print the canon (vocabularies, boundaries, retired labels) as JSON.
    Export,
    /// Show a page with its directives expanded (findings go to stderr), or
    /// the page a boundary would get; Markdown by default, HTML with --html.
    Preview {
        /// The Markdown page to preview.
        #[arg(required_unless_present = "boundary")]
        page: Option<PathBuf>,
        /// Preview the page of this boundary instead (e.g. `billing-subscription`).
        #[arg(long, conflicts_with = "page")]
        boundary: Option<String>,
        /// Write a standalone HTML page instead of Markdown.
        #[arg(long)]
        html: bool,
        /// Write to this file instead of standard output.
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => run_preprocessor(),
        Some(Command::Supports { renderer }) => {
            match CavraPreprocessor.supports_renderer(&renderer) {
                Ok(true) => ExitCode::SUCCESS,
                _ => ExitCode::from(1),
            }
        }
        Some(Command::Check { book_root, format }) => run_check(&book_root, format),
        Some(Command::Build {
            book_root,
            dest_dir,
        }) => match build::build(&book_root, dest_dir.as_deref()) {
            Ok(dir) => {
                eprintln!(
                    "mdbook-cavra: built {} into {}",
                    book_root.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(1)
            }
        },
        Some(Command::Explain { rule }) => explain(rule.as_deref()),
        Some(Command::Preview {
            page,
            boundary,
            html,
            output,
        }) => run_preview(
            page.as_deref(),
            boundary.as_deref(),
            html,
            output.as_deref(),
        ),
        Some(Command::Export) => {
            let json = serde_json::to_string_pretty(&export::to_json(canon::canon()))
                .expect("canon serializes");
            println!("{json}");
            ExitCode::SUCCESS
        }
    }
}

fn run_preprocessor() -> ExitCode {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!(
            "mdbook-cavra: waiting for mdBook's JSON on standard input\n  = help: mdbook runs this itself; to check a book run `mdbook-cavra check`, to build one `mdbook-cavra build`; see --help"
        );
    }
    let (ctx, book) = match preprocessor::parse_input(stdin.lock()) {
        Ok(parsed) => parsed,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
    match CavraPreprocessor.run(&ctx, book) {
        Ok(book) => {
            let mut out = std::io::stdout().lock();
            if serde_json::to_writer(&mut out, &book).is_err() || out.flush().is_err() {
                eprintln!("error: could not write the book back to mdBook");
                return ExitCode::from(2);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run_check(root: &std::path::Path, format: Format) -> ExitCode {
    let outcome = match book::check_book(root) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let summary = Summary::of(&outcome.findings, outcome.files);
    let text = report::render(format, &outcome.findings, summary);
    let mut out = anstream::stdout();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the report: {e}");
        return ExitCode::from(2);
    }
    if summary.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_preview(
    page: Option<&std::path::Path>,
    boundary: Option<&str>,
    html: bool,
    output: Option<&std::path::Path>,
) -> ExitCode {
    let canon = canon::canon();
    let (title, markdown, findings) = match (page, boundary) {
        (_, Some(id)) => match preview::boundary_page(canon, id) {
            Some(text) => (id.to_string(), text, Vec::new()),
            None => {
                eprintln!(
                    "error: unknown boundary `{id}`\n  = help: {}",
                    suggest::hint(id, canon.boundaries.iter().map(|b| b.id))
                );
                return ExitCode::from(2);
            }
        },
        (Some(path), None) => {
            let src = match std::fs::read_to_string(path) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("error: cannot read {}: {e}", path.display());
                    return ExitCode::from(2);
                }
            };
            let levels = match book_levels(path) {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            let shown = path.display().to_string();
            let (text, findings) = preview::page(&shown, &src, canon, &levels);
            (shown, text, findings)
        }
        (None, None) => unreachable!("clap requires a page or --boundary"),
    };
    let text = if html {
        preview::to_html(&title, &markdown)
    } else {
        markdown
    };
    let written = match output {
        Some(path) => std::fs::write(path, text.as_bytes()),
        None => std::io::stdout().lock().write_all(text.as_bytes()),
    };
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the preview: {e}");
        return ExitCode::from(2);
    }
    if !findings.is_empty() {
        let summary = Summary::of(&findings, 1);
        let _ = anstream::stderr()
            .write_all(report::render(Format::Human, &findings, summary).as_bytes());
        if summary.errors > 0 {
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

/// The rule levels of the book a page belongs to (the nearest `book.toml`
/// above it), or the defaults.
fn book_levels(page: &std::path::Path) -> Result<mdbook_cavra::config::Levels, String> {
    let abs = std::fs::canonicalize(page).map_err(|e| format!("{}: {e}", page.display()))?;
    for dir in abs.ancestors().skip(1) {
        if dir.join("book.toml").is_file() {
            return book::Book::load(dir)
                .map(|b| b.levels)
                .map_err(|e| e.to_string());
        }
    }
    Ok(mdbook_cavra::config::Levels::default())
}

fn explain(rule: Option<&str>) -> ExitCode {
    match rule {
        None => {
            for r in Rule::ALL {
                println!(
                    "{:<26} {:<5} {}",
                    r.id(),
                    r.default_level().as_str(),
                    first_sentence(r.doc().what)
                );
            }
            ExitCode::SUCCESS
        }
        Some(id) => match Rule::from_id(id) {
            Some(r) => {
                print!("{}", r.explain());
                ExitCode::SUCCESS
            }
            None => {
                eprintln!(
                    "error: unknown rule `{id}`\n  = help: {}",
                    suggest::hint(id, Rule::ALL.iter().map(|r| r.id()))
                );
                ExitCode::from(2)
            }
        },
    }
}

fn first_sentence(s: &str) -> &str {
    s.find(". ").map_or(s, |i| &s[..=i])
}

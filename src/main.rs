//! The `mdbook-cavra` command: a thin layer over the library that parses
//! arguments and maps results to exit codes (0 ok, 1 findings, 2 could not run).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use mdbook_cavra::check::Rule;
use mdbook_cavra::preprocessor::{self, CavraPreprocessor};
use mdbook_cavra::report::{self, Format, Summary};
use mdbook_cavra::{book, build, canon, export, suggest};
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

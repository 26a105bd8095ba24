//! The `mdbook-cavra` command: a thin layer over the library. Each command
//! returns `Result<(), Error>`; `main` turns that into the exit code in one
//! place (0 ok, 1 denied findings, 2 could not run).
//!
//! A write to standard output or standard error that fails is exit 2, for
//! every command, clap's help and version included: all of them go through
//! [`out`] and [`err`], which report the failure. A stream that was closed
//! when the program started (`>&-`) is reopened on `/dev/full` before Rust's
//! runtime would put `/dev/null` there, so writes to it fail instead of
//! vanishing. Writes the library makes with `println!`/`eprintln!` panic on
//! failure; [`main`] turns that panic into exit 2 as well.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;

use mdbook_cavra::check::rules;
use mdbook_cavra::cli::{Ci, Cli, Color, Command, ExportFormat, ReportFormat};
use mdbook_cavra::diagnostic::Summary;
use mdbook_cavra::error::Error;
use mdbook_cavra::preprocessor::{self, CavraPreprocessor};
use mdbook_cavra::report::{self, Format, Paths};
use mdbook_cavra::session::{Session, Source};
use mdbook_cavra::{build, canon, coverage, export, fix, init, preview, suggest};
use mdbook_preprocessor::Preprocessor;

fn main() -> ExitCode {
    return_big_blocks_to_the_system();
    quiet_failed_print_panics();
    let code = match std::panic::catch_unwind(|| match Cli::try_parse() {
        Ok(cli) => finish(run(cli)),
        Err(e) => clap_message(&e),
    }) {
        Ok(code) => code,
        // `println!`/`eprintln!` in the library could not write.
        Err(payload) if is_failed_print(&payload) => 2,
        Err(payload) => std::panic::resume_unwind(payload),
    };
    ExitCode::from(code)
}

/// The exit code of a command's result, its error printed on stderr.
fn finish(result: Result<(), Error>) -> u8 {
    match result {
        Ok(()) => 0,
        // The report is printed already; its summary line says the rest.
        Err(e @ Error::Findings { .. }) => e.exit_code(),
        Err(e) => match err(&format!("error: {}\n", name_closed_streams(&e))) {
            Ok(()) => e.exit_code(),
            // Not even the error could be shown.
            Err(_) => 2,
        },
    }
}

/// A write error from the library (`preview` writes on its own) on a
/// stdout that was closed at the start says "no space left" (stdout is
/// `/dev/full`); say what happened too. (A message about a closed stderr
/// could not be read.)
fn name_closed_streams(e: &Error) -> String {
    let message = e.to_string();
    let said = "standard output is closed";
    if matches!(e, Error::Output(_))
        && STDOUT_CLOSED.load(Ordering::Relaxed)
        && !message.contains(said)
    {
        format!("{message} ({said})")
    } else {
        message
    }
}

/// What clap has to say instead of running a command: help and version
/// on stdout (exit 0), a usage error on stderr (exit 2); exit 2 when it
/// cannot be written.
fn clap_message(e: &clap::Error) -> u8 {
    let text = e.render().ansi().to_string();
    let written = if e.use_stderr() {
        err(&text)
    } else {
        out(&text)
    };
    match written {
        Ok(()) => u8::try_from(e.exit_code()).unwrap_or(2),
        Err(e) => finish(Err(e)),
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
    set_color(cli.color);
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
            paths,
            format,
            path_prefix,
            quiet,
            deny_warnings,
        }) => run_check(
            &paths,
            &CheckOptions {
                format,
                prefix: path_prefix.as_deref(),
                quiet,
                deny_warnings,
            },
        ),
        Some(Command::Build {
            book_root,
            dest_dir,
        }) => {
            let dir = match build::build(&book_root, dest_dir.as_deref()) {
                Ok(dir) => dir,
                Err(e @ Error::Findings { .. }) => {
                    err(&format!("error: {e}\n"))?;
                    return Err(e);
                }
                Err(e) => return Err(e),
            };
            err(&format!(
                "mdbook-cavra: built {} into {}\n",
                book_root.display(),
                dir.display()
            ))
        }
        Some(Command::Explain { rule }) => explain(rule.as_deref()),
        Some(Command::Preview(args)) => preview::run(&args),
        Some(Command::Lsp) => mdbook_cavra::lsp::run(),
        Some(Command::Report { book_root, format }) => {
            let session = Session::load(&book_root)?;
            let c = coverage::coverage(&session.book, canon::canon())?;
            let text = match format {
                ReportFormat::Markdown => coverage::to_markdown(&c),
                ReportFormat::Json => coverage::to_json(&c),
                ReportFormat::Html => coverage::to_html(&c),
            };
            // Page paths are quoted: a file named after a key is masked.
            out(&mdbook_cavra::secrets::redact(&text))
        }
        Some(Command::Fix {
            book_root,
            diff,
            rules,
            unsafe_fixes,
        }) => run_fix(
            &book_root,
            diff,
            &fix::Options {
                rules,
                unsafe_fixes,
            },
        ),
        Some(Command::Init {
            book_root,
            ci,
            pre_commit,
        }) => {
            let report = init::run(
                &book_root,
                init::Options {
                    ci_github: ci == Some(Ci::Github),
                    pre_commit,
                },
            )?;
            out(&format!("{}\n", report.lines.join("\n")))
        }
        Some(Command::Export {
            config_schema: true,
            ..
        }) => out(&mdbook_cavra::config::schema_json()),
        Some(Command::Export { format, schema, .. }) => out(&match (schema, format) {
            (true, _) => export::schema_json(),
            (false, ExportFormat::Json) => export::to_json(canon::canon()),
            (false, ExportFormat::Markdown) => export::to_markdown(canon::canon()),
        }),
    }
}

/// Whether standard output and standard error were closed when the
/// program started (set before `main`, see [`STDIO_CHECK`]).
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// Runs before Rust's runtime, which opens `/dev/null` on a closed
/// standard stream: everything written there would be lost, and the
/// command would report success. A closed stdout or stderr is opened on
/// `/dev/full` instead, so every write to it fails, and remembered for the
/// message.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static STDIO_CHECK: extern "C" fn() = mark_closed_stdio;

#[cfg(target_os = "linux")]
extern "C" fn mark_closed_stdio() {
    for (fd, closed) in [(1, &STDOUT_CLOSED), (2, &STDERR_CLOSED)] {
        // SAFETY: `fcntl(F_GETFD)` only asks whether `fd` is open.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } != -1 {
            continue;
        }
        closed.store(true, Ordering::Relaxed);
        // SAFETY: plain system calls on file descriptors this process owns;
        // `full` is closed again unless it already is `fd`.
        unsafe {
            let full = libc::open(c"/dev/full".as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
            if full >= 0 && full != fd {
                libc::dup2(full, fd);
                libc::close(full);
            }
        }
    }
}

/// Why a write to a standard stream failed, in words: a closed stream
/// shows as "no space left" (it is `/dev/full`), which would mislead.
fn write_error(e: std::io::Error, name: &str, closed: &AtomicBool) -> Error {
    if closed.load(Ordering::Relaxed) {
        Error::Output(std::io::Error::new(
            std::io::ErrorKind::BrokenPipe,
            format!("{name} is closed"),
        ))
    } else {
        Error::Output(std::io::Error::new(e.kind(), format!("{name}: {e}")))
    }
}

/// Write to standard output; a full or closed stdout, or a pipe nobody
/// reads, is an error (exit 2).
fn out(text: &str) -> Result<(), Error> {
    let mut out = anstream::stdout();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| write_error(e, "standard output", &STDOUT_CLOSED))
}

/// Write to standard error; failing to is an error (exit 2) as well.
fn err(text: &str) -> Result<(), Error> {
    let mut err = anstream::stderr();
    err.write_all(text.as_bytes())
        .and_then(|()| err.flush())
        .map_err(|e| write_error(e, "standard error", &STDERR_CLOSED))
}

/// `println!` and `eprintln!` panic when they cannot write; the panic is
/// turned into exit 2 by `main`, and its message (which could not be
/// written anyway, or would only repeat the error) is not printed.
fn quiet_failed_print_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info.payload_as_str().is_some_and(is_failed_print_message) {
            default(info);
        }
    }));
}

fn is_failed_print(payload: &(dyn std::any::Any + Send)) -> bool {
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied());
    message.is_some_and(is_failed_print_message)
}

/// The message of std's `print!` family when a write fails.
fn is_failed_print_message(m: &str) -> bool {
    m.starts_with("failed printing to stdout") || m.starts_with("failed printing to stderr")
}

fn run_preprocessor() -> Result<(), Error> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        err(
            "mdbook-cavra: waiting for mdBook's JSON on standard input\n  = help: mdbook runs this itself; to check a book run `mdbook-cavra check`, to build one `mdbook-cavra build`; see --help\n",
        )?;
    }
    let (ctx, book) =
        preprocessor::parse_input(stdin.lock()).map_err(|e| Error::input(format!("{e:#}")))?;
    let book = match CavraPreprocessor.run(&ctx, book) {
        Ok(book) => book,
        Err(e) => {
            return Err(match e.chain().find_map(|c| c.downcast_ref::<Error>()) {
                Some(Error::Findings { errors }) => {
                    err(&format!("error: {e}\n"))?;
                    Error::Findings { errors: *errors }
                }
                _ => Error::input(format!("{e:#}")),
            });
        }
    };
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer(&mut stdout, &book)
        .map_err(std::io::Error::from)
        .and_then(|()| stdout.flush())
        .map_err(|e| write_error(e, "standard output", &STDOUT_CLOSED))
}

/// `--color`: `auto` leaves the choice to anstream, which colours a
/// terminal unless `NO_COLOR` (or `CLICOLOR=0`) says otherwise; `always`
/// and `never` are the user's word on this run and win over the environment.
fn set_color(color: Color) {
    let choice = match color {
        Color::Auto => return,
        Color::Always => anstream::ColorChoice::Always,
        Color::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
}

struct CheckOptions<'a> {
    format: Format,
    prefix: Option<&'a str>,
    quiet: bool,
    deny_warnings: bool,
}

/// One book to check, and the files of it whose findings are reported
/// (`None`: all of them).
struct Target {
    root: PathBuf,
    only: Option<BTreeSet<String>>,
}

/// Group `check`'s PATH arguments by book. A folder is a book root (as it
/// always was); `book.toml` stands for its whole book; any other file
/// belongs to the book whose `book.toml` is nearest above it, by its
/// path relative to that root. A file in no book is skipped: pre-commit
/// hands over every changed file, the repository's README among them.
fn check_targets(paths: &[PathBuf]) -> Result<Vec<Target>, Error> {
    let mut targets: Vec<Target> = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| {
            Error::input_with_help(
                format!("cannot check `{}`: {e}", path.display()),
                "give a book's root folder (the one with book.toml) or a file inside a book",
            )
        })?;
        let (root, file) = if meta.is_dir() {
            (path.clone(), None)
        } else if path.file_name().is_some_and(|n| n == "book.toml") {
            (parent_or_here(path), None)
        } else {
            let Some(root) = mdbook_cavra::session::layout::book_root_above(path) else {
                continue;
            };
            let rel = mdbook_cavra::paths::normalize_path(path.strip_prefix(&root).unwrap_or(path));
            (root, Some(rel))
        };
        let key = mdbook_cavra::paths::resolve(&root);
        let existing = targets
            .iter()
            .position(|t| mdbook_cavra::paths::resolve(&t.root) == key);
        let target = match existing {
            Some(i) => &mut targets[i],
            None => {
                targets.push(Target {
                    root,
                    only: Some(BTreeSet::new()),
                });
                targets.last_mut().expect("just pushed")
            }
        };
        match (file, &mut target.only) {
            (Some(file), Some(only)) => {
                only.insert(file);
            }
            (None, only) => *only = None,
            (Some(_), None) => {}
        }
    }
    Ok(targets)
}

fn parent_or_here(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn run_check(paths: &[PathBuf], o: &CheckOptions<'_>) -> Result<(), Error> {
    let targets = check_targets(paths)?;
    if targets.len() > 1 && matches!(o.format, Format::Json | Format::Sarif) {
        return Err(Error::input_with_help(
            format!(
                "the paths belong to {} books, and one {} document holds one book",
                targets.len(),
                if o.format == Format::Json {
                    "JSON"
                } else {
                    "SARIF"
                }
            ),
            "run `check` once per book, or use --format human, short or github",
        ));
    }
    let (mut errors, mut warnings, mut files) = (0, 0, 0);
    let mut text = String::new();
    for target in &targets {
        let outcome = Session::load(&target.root)?.run(Source::Disk)?;
        let (findings, checked) = match &target.only {
            None => (outcome.findings, outcome.files),
            Some(only) => (
                outcome
                    .findings
                    .into_iter()
                    .filter(|f| only.contains(&f.at.path))
                    .collect(),
                only.len(),
            ),
        };
        let shown = match o.prefix {
            Some(p) => Paths::with_prefix(p),
            None => Paths::with_prefix(&target.root.to_string_lossy()),
        };
        // One summary for the whole run: each book's report without its own.
        let quiet = o.quiet || targets.len() > 1;
        text.push_str(&if quiet {
            report::render_quiet(o.format, &findings, checked, &shown)
        } else {
            report::render(o.format, &findings, checked, &shown)
        });
        let summary = Summary::of(&findings, checked);
        errors += summary.errors;
        warnings += summary.warnings;
        files += checked;
    }
    if targets.len() > 1 && !o.quiet {
        text.push_str(&report::summary_line(&Summary {
            errors,
            warnings,
            files,
        }));
        text.push('\n');
    }
    if targets.is_empty() && !o.quiet {
        err("mdbook-cavra: no book holds the given files; nothing to check\n")?;
    }
    out(&text)?;
    let failing = errors + if o.deny_warnings { warnings } else { 0 };
    match failing {
        0 => Ok(()),
        errors => Err(Error::Findings { errors }),
    }
}

/// `fix`: the fixes worked out in memory; with `--diff` printed, else
/// written. The findings left go to standard error (the diff, if any, is
/// standard output), and the exit code is `check`'s on them.
fn run_fix(root: &Path, diff: bool, options: &fix::Options) -> Result<(), Error> {
    let fixed = fix::plan(root, options)?;
    if diff {
        out(&fix::diff(&fixed))?;
    } else {
        fix::apply(root, &fixed)?;
    }
    let files = fixed.changed.len();
    let verb = if diff { "would fix" } else { "fixed" };
    let done = match fixed.applied {
        0 => "mdbook-cavra: nothing to fix\n".to_string(),
        n => format!(
            "mdbook-cavra: {verb} {n} finding{} in {files} file{}\n",
            if n == 1 { "" } else { "s" },
            if files == 1 { "" } else { "s" },
        ),
    };
    let left = &fixed.left;
    let paths = Paths::with_prefix(&root.to_string_lossy());
    let mut text = String::new();
    if !left.findings.is_empty() {
        text.push_str(&report::render(
            Format::Human,
            &left.findings,
            left.files,
            &paths,
        ));
    }
    text.push_str(&done);
    err(&text)?;
    match left.errors() {
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
            out(&text)
        }
        Some(id) => match rules::by_id(id) {
            Some(r) => out(&mdbook_cavra::secrets::redact(&r.meta().explain())),
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

//! A failed write to standard output or standard error is exit 2, for
//! every command. The commands come from the clap definition
//! (`Cli::command()`): every subcommand, every value of its `--format`,
//! the preprocessor (no subcommand), and the help and version forms
//! (`--help`, `-h`, `--version`, `-V`, `help`, `help SUB`, `SUB --help`,
//! `SUB -h`). A subcommand this file does not know how to run fails the
//! test, so a new one cannot go untested.
//!
//! Each invocation runs first with both streams captured (the baseline),
//! then with the stream under test broken: stdout closed (`>&-`), stdout
//! on `/dev/full`, stdout a pipe whose reader is gone, stderr on
//! `/dev/full`, stderr closed. Where the baseline wrote to that stream,
//! the exit code must be 2; where it wrote nothing, the exit code must be
//! the baseline's, and the table below says why the command writes nothing
//! there (the baseline checks that claim: a command that starts writing
//! to a stream it was said to leave alone fails the test).

use std::fs::File;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use clap::CommandFactory;
use mdbook_cavra::cli::Cli;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_mdbook-cavra")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Whether an invocation writes to a stream when nothing fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Writes {
    Yes,
    /// Writes nothing there; the reason.
    No(&'static str),
}

struct Case {
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
    stdout: Writes,
    stderr: Writes,
}

impl Case {
    fn new(args: &[&str], stdout: Writes, stderr: Writes) -> Case {
        Case {
            args: args.iter().map(|a| a.to_string()).collect(),
            stdin: None,
            stdout,
            stderr,
        }
    }

    fn label(&self) -> String {
        format!("mdbook-cavra {}", self.args.join(" "))
    }
}

const REPORT_ON_STDOUT: Writes = Writes::No("its output is on stdout; stderr is for errors");

/// What each subcommand is run as, with its output options' every value.
/// `None`: a subcommand this test does not know.
fn cases_of(sub: &clap::Command, scratch: &Path) -> Option<Vec<Case>> {
    let clean = fixture("clean").display().to_string();
    let dirty = fixture("dirty").display().to_string();
    let formats: Vec<String> = sub
        .get_arguments()
        .find(|a| a.get_id() == "format")
        .map(|a| {
            a.get_possible_values()
                .iter()
                .map(|v| v.get_name().to_string())
                .collect()
        })
        .unwrap_or_default();
    let dest = |n: usize| scratch.join(format!("dest-{}-{n}", sub.get_name()));
    let cases = match sub.get_name() {
        "supports" => vec![Case::new(
            &["supports", "html"],
            Writes::No("answers mdBook by its exit code alone"),
            Writes::No("answers mdBook by its exit code alone"),
        )],
        "check" => {
            let mut cases = Vec::new();
            for f in &formats {
                for book in [&clean, &dirty] {
                    cases.push(Case::new(
                        &["check", book, "--format", f],
                        Writes::Yes,
                        REPORT_ON_STDOUT,
                    ));
                }
            }
            cases
        }
        "build" => {
            let writes_html = Writes::No("writes HTML files, and its one line to stderr");
            vec![
                Case::new(
                    &["build", &clean, "-d", &dest(0).display().to_string()],
                    writes_html,
                    Writes::Yes,
                ),
                // Exit 1 with a report and an error line on stderr: exit 2
                // when they cannot be written.
                Case::new(
                    &["build", &dirty, "-d", &dest(1).display().to_string()],
                    writes_html,
                    Writes::Yes,
                ),
            ]
        }
        "explain" => vec![
            Case::new(&["explain"], Writes::Yes, REPORT_ON_STDOUT),
            Case::new(
                &["explain", "undefined-state"],
                Writes::Yes,
                REPORT_ON_STDOUT,
            ),
        ],
        "export" => {
            let mut cases = vec![Case::new(
                &["export", "--schema"],
                Writes::Yes,
                REPORT_ON_STDOUT,
            )];
            for f in &formats {
                cases.push(Case::new(
                    &["export", "--format", f],
                    Writes::Yes,
                    REPORT_ON_STDOUT,
                ));
            }
            cases
        }
        "report" => formats
            .iter()
            .map(|f| {
                Case::new(
                    &[
                        "report",
                        &fixture("coverage").display().to_string(),
                        "--format",
                        f,
                    ],
                    Writes::Yes,
                    REPORT_ON_STDOUT,
                )
            })
            .collect(),
        // `--serve` is not run: it serves until interrupted; its first
        // line goes through the same checked writes (tests/preview_server.rs
        // drives the server). `--open` would start a browser.
        "preview" => {
            let no_findings =
                Writes::No("the clean book has no finding, so nothing is reported on stderr");
            vec![
                Case::new(
                    &[
                        "preview",
                        "introduction.md",
                        "--book",
                        &clean,
                        "--dest-dir",
                        &dest(0).display().to_string(),
                    ],
                    Writes::Yes,
                    no_findings,
                ),
                Case::new(
                    &["preview", "introduction.md", "--book", &clean, "--markdown"],
                    Writes::Yes,
                    no_findings,
                ),
            ]
        }
        // An editor's session: initialize, shutdown, exit. Its answers
        // go to stdout; a server that cannot answer must not exit 0.
        "lsp" => {
            let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
            let stdin = [
                r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#,
                r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
                r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#,
                r#"{"jsonrpc":"2.0","method":"exit"}"#,
            ]
            .map(frame)
            .concat();
            vec![Case {
                stdin: Some(stdin.into_bytes()),
                ..Case::new(
                    &["lsp"],
                    Writes::Yes,
                    Writes::No("the server reports through the protocol, on stdout"),
                )
            }]
        }
        // `fix --diff` prints the diff on stdout and what is left on stderr,
        // writing nothing; `fix` on a copy of the clean book says on stderr
        // that there is nothing to fix.
        "fix" => {
            let copy = scratch.join("fix-book");
            copy_dir(&fixture("clean"), &copy);
            vec![
                Case::new(&["fix", &dirty, "--diff"], Writes::Yes, Writes::Yes),
                Case::new(
                    &["fix", &copy.display().to_string()],
                    Writes::No("the diff is for --diff; what fix did goes to stderr"),
                    Writes::Yes,
                ),
            ]
        }
        // `init` on a copy of the clean book: what it did, on stdout.
        "init" => {
            let copy = scratch.join("init-book");
            copy_dir(&fixture("clean"), &copy);
            vec![Case::new(
                &["init", &copy.display().to_string()],
                Writes::Yes,
                REPORT_ON_STDOUT,
            )]
        }
        _ => return None,
    };
    Some(cases)
}

/// A copy of the folder `from` at `to`.
fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// mdBook's preprocessor input for a book: `[context, book]`.
fn preprocessor_case() -> Case {
    let root = fixture("clean");
    let md = mdbook_driver::MDBook::load(&root).expect("the fixture loads");
    let mut ctx = mdbook_preprocessor::PreprocessorContext::new(
        root.clone(),
        md.config.clone(),
        "html".into(),
    );
    ctx.mdbook_version = "0.5.4".into();
    Case {
        args: vec![],
        stdin: Some(serde_json::to_vec(&(ctx, &md.book)).unwrap()),
        stdout: Writes::Yes,
        stderr: Writes::No("the book comes back on stdout; a clean book has no finding"),
    }
}

/// Help and version, in every form clap accepts: all on stdout.
fn help_cases(names: &[String]) -> Vec<Case> {
    let quiet = Writes::No("help and version go to stdout");
    let mut cases: Vec<Case> = [&["--help"][..], &["-h"], &["--version"], &["-V"], &["help"]]
        .iter()
        .map(|args| Case::new(args, Writes::Yes, quiet))
        .collect();
    for name in names {
        for args in [
            vec!["help", name.as_str()],
            vec![name.as_str(), "--help"],
            vec![name.as_str(), "-h"],
        ] {
            cases.push(Case::new(&args, Writes::Yes, quiet));
        }
    }
    cases
}

#[derive(Debug, Clone, Copy)]
enum Broken {
    StdoutClosed,
    StdoutFull,
    StdoutPipeNoReader,
    StderrFull,
    StderrClosed,
}

impl Broken {
    fn on_stdout(self) -> bool {
        matches!(
            self,
            Broken::StdoutClosed | Broken::StdoutFull | Broken::StdoutPipeNoReader
        )
    }
}

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

fn run(case: &Case, broken: Option<Broken>) -> Run {
    let mut cmd = Command::new(bin());
    cmd.args(&case.args).env("NO_COLOR", "1");
    cmd.stdin(if case.stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let full = || File::options().write(true).open("/dev/full").unwrap();
    let (mut capture_out, mut capture_err) = (true, true);
    match broken {
        None => {}
        Some(Broken::StdoutClosed) => {
            cmd.stdout(Stdio::null());
            capture_out = false;
            // SAFETY: only `close`, async-signal-safe, between fork and exec.
            unsafe {
                cmd.pre_exec(|| {
                    libc::close(1);
                    Ok(())
                });
            }
        }
        Some(Broken::StdoutFull) => {
            cmd.stdout(full());
            capture_out = false;
        }
        Some(Broken::StdoutPipeNoReader) => {
            let (reader, writer) = std::io::pipe().unwrap();
            drop(reader);
            cmd.stdout(writer);
            capture_out = false;
        }
        Some(Broken::StderrFull) => {
            cmd.stderr(full());
            capture_err = false;
        }
        Some(Broken::StderrClosed) => {
            cmd.stderr(Stdio::null());
            capture_err = false;
            // SAFETY: as above.
            unsafe {
                cmd.pre_exec(|| {
                    libc::close(2);
                    Ok(())
                });
            }
        }
    }
    if capture_out {
        cmd.stdout(Stdio::piped());
    }
    if capture_err {
        cmd.stderr(Stdio::piped());
    }
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = &case.stdin {
        let mut stdin = child.stdin.take().unwrap();
        let input = input.clone();
        // The child may stop reading once its output fails.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: out.stderr,
    }
}

#[test]
fn a_failed_write_to_stdout_or_stderr_is_exit_2_for_every_command() {
    let scratch = tempfile::tempdir().unwrap();
    let cli = Cli::command();
    let names: Vec<String> = cli
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .filter(|n| n != "help")
        .collect();
    assert!(names.len() >= 7, "{names:?}");

    let mut cases = vec![preprocessor_case()];
    let mut unknown = Vec::new();
    for sub in cli.get_subcommands().filter(|s| s.get_name() != "help") {
        match cases_of(sub, scratch.path()) {
            Some(c) => cases.extend(c),
            None => unknown.push(sub.get_name().to_string()),
        }
    }
    assert!(
        unknown.is_empty(),
        "subcommands with no case in tests/exit_codes.rs: {unknown:?}; add how to run each and \
what it writes"
    );
    cases.extend(help_cases(&names));

    let mut failures = Vec::new();
    let mut broken_runs = 0;
    for case in &cases {
        let base = run(case, None);
        let label = case.label();
        // The table's claims about each stream hold.
        for (stream, claim, written) in [
            ("stdout", case.stdout, &base.stdout),
            ("stderr", case.stderr, &base.stderr),
        ] {
            let wrote = !written.is_empty();
            if (claim == Writes::Yes) != wrote {
                failures.push(format!(
                    "{label}: said to write {claim:?} on {stream}, wrote {} bytes:\n{}",
                    written.len(),
                    String::from_utf8_lossy(&base.stderr)
                ));
            }
        }
        assert!(
            matches!(base.code, Some(0 | 1)),
            "{label}: the baseline run exited with {:?}:\n{}",
            base.code,
            String::from_utf8_lossy(&base.stderr)
        );
        for broken in [
            Broken::StdoutClosed,
            Broken::StdoutFull,
            Broken::StdoutPipeNoReader,
            Broken::StderrFull,
            Broken::StderrClosed,
        ] {
            let claim = if broken.on_stdout() {
                case.stdout
            } else {
                case.stderr
            };
            let r = run(case, Some(broken));
            broken_runs += 1;
            let expected = match claim {
                Writes::Yes => Some(2),
                Writes::No(_) => base.code,
            };
            if r.code != expected {
                failures.push(format!(
                    "{label} with {broken:?}: exit {:?}, expected {expected:?}\n{}",
                    r.code,
                    String::from_utf8_lossy(&r.stderr)
                ));
            }
            // No panic message reaches a stderr that works.
            let err = String::from_utf8_lossy(&r.stderr);
            if err.contains("panicked") {
                failures.push(format!("{label} with {broken:?}: {err}"));
            }
            // A closed stdout is named as such.
            if matches!(broken, Broken::StdoutClosed)
                && claim == Writes::Yes
                && !err.contains("standard output is closed")
            {
                failures.push(format!("{label} with {broken:?}: stderr says {err:?}"));
            }
        }
    }
    assert!(broken_runs >= 5 * 40, "{broken_runs} runs");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

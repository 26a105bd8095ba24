//! Issue 18, "one writer" and "one boundary for reading": no command
//! changes or removes a file it did not write, and nothing from outside
//! the book reaches what it writes, prints or serves.
//!
//! The commands and options come from the binary's own help (`help`, then
//! `SUBCOMMAND -h`), so a new subcommand or option is run without editing
//! this file: each value is chosen by its placeholder (`<DIR>`, `<FILE>`,
//! `[possible values: …]`, …), and a placeholder this file does not know
//! fails the test. Every option runs alone on top of the subcommand's
//! positional arguments, and each output option also with each flag of its
//! subcommand (`--serve --dest-dir DIR` among them).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_mdbook-cavra")
}

/// Text that lives only outside the book: none of it may show anywhere.
const OUTSIDE: &[&str] = &["OUTSIDE-SECRET-7f3a", "KEY-SECRET-91c2", "root:x:0:"];

/// Names of the symbolic links in `src/` that leave the book.
const LEAVING_LINKS: &[&str] = &["link-file.txt", "link-dir", "etc"];

/// Folders handed to a `<DIR>` option or argument, relative to the
/// fixture: absent, holding someone's files, behind links, the book itself.
const FOLDERS: &[&str] = &[
    "fresh",
    "dest-user",
    "dest-old",
    "dest-junk",
    "dest-file-link",
    "link-to-src",
    "link-to-book",
    "link-to-outside",
    "outside",
    "book",
    "book/src",
    "book/src/sub",
    "book/theme",
    ".",
];

/// Files handed to a `<FILE>` option.
const FILES: &[&str] = &[
    "fresh-out.md",
    "book/book.toml",
    "book/src/page.md",
    "book/notes.txt",
    "link-to-page.md",
    "link-to-book/notes.txt",
    "book",
];

/// Where a run may write: the fresh destinations, the book's build-dir,
/// the system temporary folder (`TMPDIR`) the preview defaults to, and the
/// files `init` creates in the book (never over a file of someone else:
/// tests/init.rs). (`fix` may edit pages with fixable findings; this book
/// has none, so no page may change here.)
const WRITABLE: &[&str] = &[
    "fresh",
    "fresh-out.md",
    "book/out",
    "systmp",
    "book/.github",
    "book/.pre-commit-config.yaml",
];

/// Values by placeholder, for those that are not folders or files.
fn values_of(placeholder: &str) -> Option<Vec<String>> {
    let v = |s: &[&str]| Some(s.iter().map(|s| s.to_string()).collect());
    match placeholder {
        "DIR" | "DEST_DIR" | "BOOK_ROOT" => {
            // The book first: the value the other arguments run with.
            let mut all = vec!["book"];
            all.extend(FOLDERS.iter().filter(|f| **f != "book"));
            v(&all)
        }
        // `check PATH…`: a book's folder, its book.toml or a page in it.
        "PATH" => {
            let mut all = vec!["book", "book/book.toml", "book/src/page.md"];
            all.extend(FOLDERS.iter().filter(|f| **f != "book"));
            v(&all)
        }
        "FILE" => v(FILES),
        "TARGET" => v(&["book/src/page.md", "worker-mode"]),
        "ID" => v(&["billing-subscription"]),
        "PREFIX" => v(&["x/"]),
        "PORT" => v(&["0"]),
        "RULE" => v(&["undefined-state"]),
        "RENDERER" => v(&["html"]),
        _ => None,
    }
}

/// What clap requires or forbids next to an option: (subcommand, option,
/// arguments added, whether the positional arguments are left out).
const COMPANIONS: &[(&str, &str, &[&str], bool)] = &[
    ("preview", "--boundary", &["--book", "book"], true),
    ("preview", "--output", &["--markdown"], false),
    ("preview", "--port", &["--serve"], false),
];

/// Options this test cannot run, with the reason. (None so far: `--open`
/// runs with `BROWSER=true`, `--serve` is started and stopped.)
const SKIP: &[(&str, &str, &str)] = &[];

/// An option or positional argument from the help.
#[derive(Debug, Clone)]
struct Arg {
    /// `--long` (or `-s`), or `None` for a positional argument.
    flag: Option<String>,
    /// `<NAME>` without the brackets, when it takes a value.
    value: Option<String>,
    /// `[possible values: …]`.
    possible: Vec<String>,
}

fn help(args: &[&str]) -> String {
    let out = Command::new(bin()).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The lines of a help section (`Commands:`, `Arguments:`, `Options:`),
/// each entry with its continuation lines joined.
fn section(text: &str, title: &str) -> Vec<String> {
    let mut entries: Vec<String> = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line == title {
            inside = true;
            continue;
        }
        if !inside {
            continue;
        }
        if !line.starts_with(' ') && !line.is_empty() {
            break;
        }
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if indent <= 6 && (trimmed.starts_with('-') || entries.is_empty() || indent <= 2) {
            entries.push(trimmed.to_string());
        } else if let Some(last) = entries.last_mut() {
            last.push(' ');
            last.push_str(trimmed);
        }
    }
    entries
}

fn subcommands() -> Vec<String> {
    section(&help(&["help"]), "Commands:")
        .iter()
        .map(|e| e.split_whitespace().next().unwrap().to_string())
        .filter(|c| c != "help")
        .collect()
}

fn args_of(sub: &str) -> Vec<Arg> {
    let text = help(&[sub, "-h"]);
    let mut out = Vec::new();
    for e in section(&text, "Arguments:") {
        let name = e.split_whitespace().next().unwrap();
        out.push(Arg {
            flag: None,
            value: Some(name.trim_matches(['<', '>', '[', ']', '.']).to_string()),
            possible: possible(&e),
        });
    }
    for e in section(&text, "Options:") {
        let spec = e.split("  ").next().unwrap();
        let flag = spec
            .split([',', ' '])
            .find(|t| t.starts_with("--"))
            .or_else(|| spec.split([',', ' ']).find(|t| t.starts_with('-')))
            .unwrap()
            .to_string();
        let value = spec
            .split_whitespace()
            .find(|t| t.starts_with('<'))
            .map(|t| t.trim_matches(['<', '>', '.']).to_string());
        out.push(Arg {
            flag: Some(flag),
            value,
            possible: possible(&e),
        });
    }
    out
}

fn possible(entry: &str) -> Vec<String> {
    entry
        .split_once("[possible values: ")
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(list, _)| list.split(", ").map(String::from).collect())
        .unwrap_or_default()
}

/// The values to run an argument with.
fn values(sub: &str, a: &Arg) -> Vec<String> {
    if !a.possible.is_empty() {
        return a.possible.clone();
    }
    let Some(v) = &a.value else {
        return Vec::new();
    };
    values_of(v).unwrap_or_else(|| {
        panic!(
            "`{sub}` has an argument {} <{v}> whose placeholder tests/writes.rs does not know: add it to values_of (or, with a reason, to SKIP)",
            a.flag.as_deref().unwrap_or("(positional)")
        )
    })
}

/// The fixture: a book whose `src/` links out of it, its neighbours, and
/// folders and links to write into.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path();
    let write = |rel: &str, text: &str| {
        let p = t.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("outside/secret.txt", "OUTSIDE-SECRET-7f3a\n");
    write("outside/keys/id_rsa", "KEY-SECRET-91c2\n");
    write(
        "book/book.toml",
        "[book]\ntitle = \"t\"\nsrc = \"src\"\n\n[build]\nbuild-dir = \"out\"\n\n\
         [preprocessor.cavra]\n\n[preprocessor.cavra.rules]\nunreadable-page = \"warn\"\n",
    );
    write("book/notes.txt", "notes of the book\n");
    write("book/src/SUMMARY.md", "# Summary\n\n- [Page](page.md)\n");
    write(
        "book/src/page.md",
        "# Page\n\n{{#cavra-states worker-mode}}\n\nInside: {{#include part.txt}}\n\n\
         Out: {{#include ../../outside/secret.txt}}\n\nEtc: {{#include /etc/passwd}}\n\n\
         Deep: {{#include ../../../../../../../../../../etc/passwd}}\n\n\
         Spread: {{#include\n../../outside/keys/id_rsa}}\n",
    );
    write(
        "book/src/part.txt",
        "INSIDE-PART-OK {{#include ../../outside/keys/id_rsa}}\n",
    );
    write("book/src/image.txt", "an asset of the book\n");
    write(
        "book/theme/head.hbs",
        "<meta name=\"x-theme\" content=\"own\">\n",
    );
    write("dest-user/keep.txt", "someone's file\n");
    write("dest-user/.nojekyll", "");
    write(
        "dest-old/.mdbook-cavra-build",
        "Written by `mdbook-cavra build`; it may empty and rewrite this folder.\n",
    );
    write("dest-old/keep.txt", "someone's file\n");
    write("dest-junk/.mdbook-cavra-build", "not a list\n");
    write("dest-junk/keep.txt", "someone's file\n");
    write("dest-file-link/.nojekyll", "");
    std::fs::create_dir_all(t.join("systmp")).unwrap();
    let link = |to: &str, at: &str| std::os::unix::fs::symlink(to, t.join(at)).unwrap();
    link("../../outside/secret.txt", "book/src/link-file.txt");
    link("../../outside/keys", "book/src/link-dir");
    link("/etc", "book/src/etc");
    link("image.txt", "book/src/inside-link.txt");
    link("book/src", "link-to-src");
    link("book", "link-to-book");
    link("outside", "link-to-outside");
    link("book/src/page.md", "link-to-page.md");
    // A link inside a destination, where an output file would go.
    link("../outside/secret.txt", "dest-file-link/index.html");
    dir
}

/// Every entry under `dir` (links not followed): kind and content.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, String> {
    let mut out = std::collections::BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).min_depth(1) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
        if WRITABLE.iter().any(|w| rel.starts_with(w)) {
            continue;
        }
        let ft = e.file_type();
        let what = if ft.is_symlink() {
            format!("link {}", std::fs::read_link(e.path()).unwrap().display())
        } else if ft.is_dir() {
            "folder".to_string()
        } else {
            format!(
                "file {}",
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap())
            )
        };
        out.insert(rel, what);
    }
    out
}

/// Everything written where writing is allowed: no outside text, no link
/// that leaves the book; then cleared for the next run.
fn check_and_clear_writable(t: &Path, run: &str, wrote: &mut Vec<String>) {
    for w in WRITABLE {
        let p = t.join(w);
        if !p.exists() {
            continue;
        }
        for e in walkdir::WalkDir::new(&p) {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(t).unwrap().display().to_string();
            for name in LEAVING_LINKS {
                assert!(
                    e.file_name() != *name,
                    "{run}: {rel} comes from a link that leaves the book"
                );
            }
            if e.file_type().is_file() {
                let text = String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).to_string();
                for secret in OUTSIDE {
                    assert!(!text.contains(secret), "{run}: {rel} holds `{secret}`");
                }
                wrote.push(rel);
            }
        }
        if *w == "systmp" {
            for e in std::fs::read_dir(&p).unwrap() {
                let e = e.unwrap().path();
                match e.is_dir() {
                    true => std::fs::remove_dir_all(e).unwrap(),
                    false => std::fs::remove_file(e).unwrap(),
                }
            }
        } else if p.is_dir() {
            std::fs::remove_dir_all(&p).unwrap();
        } else {
            std::fs::remove_file(&p).unwrap();
        }
    }
}

fn command(t: &Path, args: &[String]) -> Command {
    let mut c = Command::new(bin());
    c.args(args)
        .current_dir(t)
        .env("NO_COLOR", "1")
        .env("TMPDIR", t.join("systmp"))
        .env("BROWSER", "true")
        .stdin(Stdio::null());
    c
}

/// Start `preview --serve`, fetch a few paths once it says where it
/// serves, stop it with SIGTERM. Gives its output (stdout, and what was
/// served, as one text) and whether it served.
fn serve(t: &Path, args: &[String]) -> (String, bool) {
    let mut child = command(t, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut text = String::new();
    let mut url = None;
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(line) => {
                text.push_str(&line);
                text.push('\n');
                if let Some(u) = line.strip_prefix("mdbook-cavra: serving ") {
                    url = Some(u.to_string());
                    break;
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            Err(_) => {}
        }
    }
    if let Some(url) = &url {
        let addr = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        for path in [
            "/page.html",
            "/link-file.txt",
            "/link-dir/id_rsa",
            "/etc/passwd",
            "/inside-link.txt",
            "/../outside/secret.txt",
        ] {
            text.push_str(&get(&addr, path));
        }
    }
    // SAFETY: `kill` sends a signal to the child this test started.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{args:?}: the server did not stop on SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut err = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    text.push_str(&err);
    (text, url.is_some())
}

fn get(addr: &str, path: &str) -> String {
    let Ok(mut s) = std::net::TcpStream::connect(addr) else {
        return String::new();
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    );
    let mut data = Vec::new();
    let _ = s.read_to_end(&mut data);
    String::from_utf8_lossy(&data).into_owned()
}

/// Every run: the subcommand's positional arguments (their first value),
/// then each argument with each of its values, then each output argument
/// with each flag of its subcommand. (label, args, whether clap may refuse
/// the combination).
fn runs() -> Vec<(Vec<String>, bool)> {
    let mut out = Vec::new();
    let subs = subcommands();
    assert!(subs.len() >= 7, "{subs:?}");
    for sub in &subs {
        let args = args_of(sub);
        let positionals: Vec<&Arg> = args.iter().filter(|a| a.flag.is_none()).collect();
        let base: Vec<String> = positionals
            .iter()
            .filter_map(|a| values(sub, a).into_iter().next())
            .collect();
        let skipped = |a: &Arg| {
            SKIP.iter()
                .any(|(s, f, _)| s == sub && Some(*f) == a.flag.as_deref())
        };
        let with = |a: &Arg, value: Option<&str>, extra: &[String]| -> Vec<String> {
            let flag = a.flag.as_deref().unwrap_or("");
            let (companions, drop) = COMPANIONS
                .iter()
                .find(|(s, f, _, _)| s == sub && *f == flag)
                .map_or((&[][..], false), |(_, _, c, d)| (*c, *d));
            let mut v = vec![sub.clone()];
            if a.flag.is_some() && !drop {
                v.extend(base.iter().cloned());
            }
            v.extend(extra.iter().cloned());
            v.extend(companions.iter().map(|s| s.to_string()));
            match (&a.flag, value) {
                (Some(f), Some(x)) => v.extend([f.clone(), x.to_string()]),
                (Some(f), None) => v.push(f.clone()),
                (None, Some(x)) => v.push(x.to_string()),
                (None, None) => {}
            }
            v
        };
        out.push((
            std::iter::once(sub.clone())
                .chain(base.iter().cloned())
                .collect(),
            false,
        ));
        for a in &args {
            if skipped(a) {
                continue;
            }
            let vals = values(sub, a);
            if a.flag.is_none() {
                // Each value of this positional, the others at their first.
                for x in &vals {
                    let mut v = vec![sub.clone()];
                    for p in &positionals {
                        if std::ptr::eq(*p, a) {
                            v.push(x.clone());
                        } else if let Some(first) = values(sub, p).into_iter().next() {
                            v.push(first);
                        }
                    }
                    out.push((v, false));
                }
                continue;
            }
            if vals.is_empty() {
                out.push((with(a, None, &[]), false));
                continue;
            }
            for x in &vals {
                out.push((with(a, Some(x), &[]), false));
            }
            // An output argument with each flag of the subcommand.
            if matches!(a.value.as_deref(), Some("DIR" | "DEST_DIR" | "FILE")) {
                for f in args
                    .iter()
                    .filter(|f| f.flag.is_some() && f.value.is_none())
                {
                    let flag = f.flag.clone().unwrap();
                    if flag == "--help" || flag == "-h" {
                        continue;
                    }
                    for x in &vals {
                        out.push((with(a, Some(x), std::slice::from_ref(&flag)), true));
                    }
                }
            }
        }
    }
    out
}

fn is_usage_error(out: &Output) -> bool {
    out.status.code() == Some(2) && String::from_utf8_lossy(&out.stderr).contains("\nUsage: ")
}

/// Every subcommand × every option × every destination: no file outside
/// where writing is allowed changes or vanishes, nothing from outside the
/// book is written, printed or served, and the writes that should happen
/// do.
#[test]
fn no_command_changes_a_file_it_did_not_write() {
    let started = Instant::now();
    let dir = fixture();
    let t = dir.path();
    let before = snapshot(t);
    let mut wrote_by: Vec<(String, Vec<String>)> = Vec::new();
    let mut served = 0;
    let runs = runs();
    for (args, may_conflict) in &runs {
        let label = args.join(" ");
        let printed = if args.iter().any(|a| a == "--serve") {
            let (text, ok) = serve(t, args);
            served += usize::from(ok);
            text
        } else {
            let out = command(t, args).output().unwrap();
            assert!(
                *may_conflict || !is_usage_error(&out),
                "{label}: clap refused the arguments; add what the option needs to COMPANIONS:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                !String::from_utf8_lossy(&out.stderr).contains("panicked"),
                "{label}"
            );
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        };
        for secret in OUTSIDE {
            assert!(
                !printed.contains(secret),
                "{label}: printed or served `{secret}`:\n{printed}"
            );
        }
        let now = snapshot(t);
        if now != before {
            let changed: Vec<_> = before
                .iter()
                .filter(|(k, v)| now.get(*k) != Some(v))
                .map(|(k, _)| format!("changed or gone: {}", k.display()))
                .chain(
                    now.keys()
                        .filter(|k| !before.contains_key(*k))
                        .map(|k| format!("new: {}", k.display())),
                )
                .collect();
            panic!("{label}:\n{}", changed.join("\n"));
        }
        let mut wrote = Vec::new();
        check_and_clear_writable(t, &label, &mut wrote);
        wrote_by.push((label, wrote));
    }
    // The writes that should happen did: the test is not vacuous.
    let wrote = |prefix: &str, file: &str| {
        wrote_by
            .iter()
            .any(|(label, w)| label.starts_with(prefix) && w.iter().any(|f| f == file))
    };
    assert!(wrote("build book --dest-dir fresh", "fresh/page.html"));
    assert!(wrote("build book", "book/out/page.html"));
    assert!(wrote(
        "preview book/src/page.md --dest-dir fresh",
        "fresh/page.html"
    ));
    assert!(wrote(
        "preview book/src/page.md --markdown --output fresh-out.md",
        "fresh-out.md"
    ));
    assert!(wrote(
        "init book --ci github",
        "book/.github/workflows/docs.yml"
    ));
    assert!(wrote(
        "init book --pre-commit",
        "book/.pre-commit-config.yaml"
    ));
    assert!(served >= 2, "{served} servers started");
    eprintln!(
        "{} runs in {:.1} s",
        runs.len(),
        started.elapsed().as_secs_f64()
    );
}

/// Run the binary in `t` with `args`; it must succeed.
fn run_ok(t: &Path, args: &[&str]) {
    let out = Command::new(bin())
        .args(args)
        .current_dir(t)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The HTML of a build and of a preview: what is inside the book is there
/// (an included file, a link inside the book, the book's theme), what is
/// outside is not, whether reached by a link or an include at any depth.
#[test]
fn only_the_book_is_rendered() {
    let dir = fixture();
    let t = dir.path();
    for args in [
        &["build", "book", "-d", "fresh"][..],
        &["preview", "book/src/page.md", "-d", "fresh"][..],
    ] {
        run_ok(t, args);
        let page = std::fs::read_to_string(t.join("fresh/page.html")).unwrap();
        assert!(page.contains("INSIDE-PART-OK"), "{args:?}");
        assert!(page.contains("x-theme"), "{args:?}: the book's theme");
        assert!(page.contains("an include of a file outside the book is left out"));
        assert_eq!(
            std::fs::read_to_string(t.join("fresh/inside-link.txt")).unwrap(),
            "an asset of the book\n"
        );
        let mut wrote = Vec::new();
        check_and_clear_writable(t, &args.join(" "), &mut wrote);
        assert!(wrote.len() > 10, "{args:?}: {wrote:?}");
    }
}

/// A second write into the same folder replaces the files the first wrote,
/// deletes those it no longer writes, and leaves a file someone put there;
/// `remove_written` then removes ours and keeps theirs.
#[test]
fn a_second_write_replaces_only_its_own_files() {
    let dir = fixture();
    let t = dir.path();
    let build = || run_ok(t, &["build", "book", "-d", "site"]);
    std::fs::write(
        t.join("book/src/SUMMARY.md"),
        "# Summary\n\n- [Page](page.md)\n- [Two](two.md)\n",
    )
    .unwrap();
    std::fs::write(t.join("book/src/two.md"), "# Two\n").unwrap();
    build();
    assert!(t.join("site/two.html").is_file());
    std::fs::write(t.join("site/mine.txt"), "mine").unwrap();
    std::fs::write(
        t.join("book/src/SUMMARY.md"),
        "# Summary\n\n- [Page](page.md)\n",
    )
    .unwrap();
    std::fs::remove_file(t.join("book/src/two.md")).unwrap();
    build();
    assert!(!t.join("site/two.html").exists(), "no longer written");
    assert!(t.join("site/page.html").is_file());
    assert_eq!(
        std::fs::read_to_string(t.join("site/mine.txt")).unwrap(),
        "mine"
    );
    // Someone's file where an output goes (one the last write did not
    // list): refused before anything is written.
    std::fs::write(
        t.join("book/src/SUMMARY.md"),
        "# Summary\n\n- [Page](page.md)\n- [Two](two.md)\n",
    )
    .unwrap();
    std::fs::write(t.join("book/src/two.md"), "# Two\n").unwrap();
    std::fs::write(t.join("site/two.html"), "theirs").unwrap();
    let site_before = snapshot(&t.join("site"));
    let out = Command::new(bin())
        .args(["build", "book", "-d", "site"])
        .current_dir(t)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("two.html is already there"), "{err}");
    assert_eq!(snapshot(&t.join("site")), site_before);
    std::fs::remove_file(t.join("site/two.html")).unwrap();
    std::fs::write(
        t.join("book/src/SUMMARY.md"),
        "# Summary\n\n- [Page](page.md)\n",
    )
    .unwrap();
    std::fs::remove_file(t.join("book/src/two.md")).unwrap();
    // The marker of an older version, which listed nothing: taken over
    // only while every file in the folder is one this write replaces.
    let old = "Written by `mdbook-cavra build`; it may empty and rewrite this folder.\n";
    std::fs::write(t.join("site/.mdbook-cavra-build"), old).unwrap();
    let out = Command::new(bin())
        .args(["build", "book", "-d", "site"])
        .current_dir(t)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("older mdbook-cavra"), "{err}");
    std::fs::remove_file(t.join("site/mine.txt")).unwrap();
    build();
    assert!(
        std::fs::read_to_string(t.join("site/.mdbook-cavra-build"))
            .unwrap()
            .contains("file \"page.html\"")
    );
    std::fs::write(t.join("site/mine.txt"), "mine").unwrap();
    mdbook_cavra::write::remove_written(&t.join("site")).unwrap();
    let left: Vec<_> = std::fs::read_dir(t.join("site"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, vec!["mine.txt".to_string()]);
}

/// `preview --serve --dest-dir DIR` renders into `DIR/gen-0` and `DIR/gen-1`;
/// folders of those names that someone else filled are neither written
/// nor removed.
#[test]
fn serve_leaves_generation_folders_it_did_not_write() {
    let dir = fixture();
    let t = dir.path();
    std::fs::create_dir_all(t.join("dest-user/gen-0")).unwrap();
    std::fs::create_dir_all(t.join("dest-user/gen-1")).unwrap();
    std::fs::write(t.join("dest-user/gen-0/keep.txt"), "k0").unwrap();
    std::fs::write(t.join("dest-user/gen-1/keep.txt"), "k1").unwrap();
    let before = snapshot(t);
    let args: Vec<String> = [
        "preview",
        "book/src/page.md",
        "--serve",
        "--port",
        "0",
        "-d",
        "dest-user",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let _ = serve(t, &args);
    assert_eq!(snapshot(t), before);
}

/// A `[preprocessor.NAME]` command that names a script of the book runs
/// from the book's own folder, as under `mdbook build`, though mdBook reads
/// a staged copy of the book.
#[test]
fn a_book_preprocessor_command_runs_from_the_book_folder() {
    use mdbook_preprocessor::book::{Book, BookItem, Chapter};
    let dir = fixture();
    let t = dir.path();
    let mut book = Book::new();
    book.push_item(BookItem::Chapter(Chapter::new(
        "Page",
        "# Page\n\nPREPROCESSED-BY-REL\n".to_string(),
        "page.md",
        Vec::new(),
    )));
    std::fs::write(
        t.join("book/book.json"),
        serde_json::to_string(&book).unwrap(),
    )
    .unwrap();
    std::fs::write(
        t.join("book/pp.sh"),
        "if [ \"$1\" = supports ]; then exit 0; fi\ncat > /dev/null\ncat book.json\n",
    )
    .unwrap();
    let mut toml = std::fs::read_to_string(t.join("book/book.toml")).unwrap();
    toml.push_str("\n[preprocessor.rel]\ncommand = \"sh pp.sh\"\n");
    std::fs::write(t.join("book/book.toml"), toml).unwrap();
    for args in [
        &["build", "book", "-d", "fresh"][..],
        &["preview", "book/src/page.md", "-d", "fresh"][..],
    ] {
        run_ok(t, args);
        let page = std::fs::read_to_string(t.join("fresh/page.html")).unwrap();
        assert!(page.contains("PREPROCESSED-BY-REL"), "{args:?}");
        std::fs::remove_dir_all(t.join("fresh")).unwrap();
    }
}

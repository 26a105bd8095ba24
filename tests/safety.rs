//! Safe on every book (issue 9): no command deletes or changes a file of
//! the book or writes outside its destination, no output holds a planted
//! secret, included files are checked, pathological pages finish, and every
//! line ending locates alike. One test per numbered item of the issue.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

#[path = "support/memory.rs"]
mod memory;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_mdbook-cavra")
}

/// A book in a temporary folder (`<tmp>/book`), `[preprocessor.cavra]` on,
/// a SUMMARY listing `chapters`, and each file (paths relative to the book).
fn book(chapters: &[&str], files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("book");
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\nsrc = \"src\"\n\n[preprocessor.cavra]\n",
    )
    .unwrap();
    let mut summary = String::from("# Summary\n\n");
    for c in chapters {
        summary.push_str(&format!("- [{c}]({c})\n"));
    }
    std::fs::write(root.join("src/SUMMARY.md"), summary).unwrap();
    for (path, bytes) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    dir
}

/// A book of one page `src/p.md` whose `max-page-size` is raised to
/// 32 MiB, so a pathological page larger than the default limit is checked,
/// not refused: these cases measure the work, as a book that raises the
/// limit would pay it.
fn raised_book(page: &str) -> tempfile::TempDir {
    let b = book(&["p.md"], &[("src/p.md", page.as_bytes())]);
    std::fs::write(
        b.path().join("book/book.toml"),
        "[book]\nsrc = \"src\"\n\n[preprocessor.cavra]\nmax-page-size = 33554432\n",
    )
    .unwrap();
    b
}

fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn check_json(root: &Path) -> serde_json::Value {
    let out = run(&["check", "--format", "json", "."], root);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)))
}

/// (rule, path, line, column) of every finding.
fn places(v: &serde_json::Value) -> Vec<(String, String, u64, u64)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

const PAGE: &[u8] = b"# Page\n\n{{#cavra-states worker-mode}}\n\nText.\n";

/// Item 1: `-d .`, `-d src`, `-d book` from the folder above, and a folder
/// of someone else's files are refused; the book is there byte for byte.
#[test]
fn build_never_empties_the_book_or_a_foreign_folder() {
    let b = book(&["page.md"], &[("src/page.md", PAGE)]);
    let top = b.path();
    std::fs::create_dir(top.join("mine")).unwrap();
    std::fs::write(top.join("mine/notes.txt"), "keep me").unwrap();
    let before = tree(top);
    for dest in [".", "book", "book/src", "book/src/sub", "mine"] {
        let out = run(&["build", "book", "-d", dest], top);
        assert_eq!(out.status.code(), Some(2), "-d {dest}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("refusing to build into"), "-d {dest}: {err}");
    }
    assert_eq!(tree(top), before, "nothing changed");
    // A folder of its own, relative to the current folder, twice in a row.
    for _ in 0..2 {
        let out = run(&["build", "book", "-d", "site"], top);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(top.join("site/page.html").is_file());
    assert!(!top.join("book/site").exists());
}

/// Item 2: a missing chapter is not created, in the book or outside it.
#[test]
fn build_creates_no_missing_chapter() {
    let b = book(
        &["page.md", "missing.md", "../../created_outside/page.md"],
        &[("src/page.md", PAGE)],
    );
    let out = run(&["build", ".", "-d", "../site"], &b.path().join("book"));
    assert_ne!(out.status.code(), Some(0));
    assert!(!b.path().join("book/src/missing.md").exists());
    assert!(!b.path().join("created_outside").exists());
}

const SECRETS: &[(&str, &str)] = &[
    ("sk_live_", "sk_live_51Hq8c2eZvKYlo2C0aXb9Qm3T"),
    ("AKIA", "AKIAZ7Q4MXN2P5RT8WUV"),
    ("ghp_", "ghp_k3J9xQ2mV7pL4nR8sT1wY6zB5cD0fG3hJ"),
    ("license", "CAV7R-9K2LM-Q4XZ8-T3NB6"),
    ("client_secret", "9fQ2kL7xR4mN8pV3tW6yB1"),
    ("aws secret", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYz8Q3v9Tk2L"),
    ("pem", "MIIEowIBAAKCAQEA7bq9Xk2Lm4Np8Qr3St6Uv9Wx1YzAb"),
];

/// Items 3 and 6: each kind of secret, quoted by other rules too, appears
/// in no output format, not in the preprocessor's stderr, not in `explain`.
#[test]
fn planted_secrets_appear_in_no_output() {
    let page = format!(
        "# Secrets\n\n\
         When the decision is `{0}`, stop.\n\n\
         {{{{#cavra-state decision.{2}}}}}\n\n\
         ```sh\nexport AWS_ACCESS_KEY_ID={1}\nexport LICENSE_KEY={3}\n\
         client_secret: {4}\naws_secret_access_key = {5}\n```\n\n\
         -----BEGIN RSA PRIVATE KEY----- {6} -----END RSA PRIVATE KEY-----\n",
        SECRETS[0].1,
        SECRETS[1].1,
        SECRETS[2].1,
        SECRETS[3].1,
        SECRETS[4].1,
        SECRETS[5].1,
        SECRETS[6].1,
    );
    let b = book(&["page.md"], &[("src/page.md", page.as_bytes())]);
    let root = b.path().join("book");
    let mut outputs = Vec::new();
    for format in ["human", "json", "github", "sarif"] {
        let out = run(&["check", ".", "--format", format], &root);
        assert_eq!(out.status.code(), Some(1), "{format}");
        outputs.push((format.to_string(), out));
    }
    outputs.push(("build".into(), run(&["build", ".", "-d", "../site"], &root)));
    outputs.push(("preview".into(), run(&["preview", "src/page.md"], &root)));
    for (what, out) in &outputs {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let shown = if what == "preview" {
            // The page itself is printed by preview; only its findings matter.
            String::from_utf8_lossy(&out.stderr).into_owned()
        } else {
            text
        };
        for (kind, secret) in SECRETS {
            let core = &secret[secret.len() - 12..secret.len() - 4];
            assert!(
                !shown.contains(core),
                "{what} shows the {kind} secret:\n{shown}"
            );
        }
        assert!(
            shown.contains("[redacted"),
            "{what}: nothing masked?\n{shown}"
        );
    }
    let explain = run(&["explain", "forbidden-material"], &root);
    let text = String::from_utf8_lossy(&explain.stdout);
    assert!(!text.contains("51Hq8c2eZvKYlo2C0aXb9Qm3T"), "{text}");
}

/// Item 4: a key in an included file is found at the included file's line;
/// a file that is only included is not an orphan; an include leaving the
/// book is a finding and is not read.
#[test]
fn included_files_are_checked_where_they_are() {
    let b = book(
        &["page.md"],
        &[
            (
                "src/page.md",
                b"# Page\n\n```sh\n{{#include examples/run.sh}}\n```\n\n{{#include part.md}}\n\n{{#include ../../secret.sh}}\n",
            ),
            (
                "src/examples/run.sh",
                b"#!/bin/sh\n# Bill a customer.\nexport BILLING_KEY=sk_live_51Hq8c2eZvKYlo2C0aXb9Qm3T\n",
            ),
            ("src/part.md", b"A part, only included.\n"),
        ],
    );
    std::fs::write(
        b.path().join("secret.sh"),
        "sk_live_51Hq8c2eZvKYlo2C0aXb9Qm3T\n",
    )
    .unwrap();
    let v = check_json(&b.path().join("book"));
    let found = places(&v);
    assert!(
        found.contains(&(
            "forbidden-material".into(),
            "src/examples/run.sh".into(),
            3,
            20
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&("unreadable-page".into(), "src/page.md".into(), 9, 1)),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|f| f.0 == "orphan-page"),
        "an included page is no orphan: {found:?}"
    );
    assert_eq!(found.len(), 2, "{found:?}");
}

/// Item 5: directives in a book that does not run the preprocessor fail the
/// check with the lines to add.
#[test]
fn directives_without_the_preprocessor_are_a_finding() {
    let b = book(&["page.md"], &[("src/page.md", PAGE)]);
    let root = b.path().join("book");
    std::fs::write(root.join("book.toml"), "[book]\nsrc = \"src\"\n").unwrap();
    let out = run(&["check", "."], &root);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("does not run mdbook-cavra"), "{text}");
    assert!(text.contains("[preprocessor.cavra]"), "{text}");
}

/// Item 7: pathological pages finish; a generous bound catches a return of
/// quadratic time (the benchmark prints the real figures).
#[test]
fn pathological_pages_finish_quickly() {
    let cases = memory::pathological_pages();
    for (what, page) in cases {
        let b = raised_book(&page);
        let start = Instant::now();
        let out = run(&["check", "--format", "json", "."], &b.path().join("book"));
        let took = start.elapsed();
        assert!(out.status.code().is_some_and(|c| c <= 1), "{what}");
        assert!(
            out.stdout.len() < 1 << 20,
            "{what}: report of {} bytes",
            out.stdout.len()
        );
        assert!(took < Duration::from_secs(30), "{what} took {took:?}");
    }
}

/// Peak memory of `mdbook-cavra ARGS` in KiB; `None` (and a word on
/// stderr) where it cannot be measured here.
fn peak_kib(args: &[&str], cwd: &Path, stdin: &[u8]) -> Option<u64> {
    memory::peak_rss_kib(Path::new(bin()), args, cwd, stdin)
        .inspect_err(|why| eprintln!("skipped: {why}"))
        .ok()
}

/// Item 7: pathological pages stay within a generous memory bound (the
/// benchmark prints the real figures, against the 64 MiB target of a
/// release build). 200,000 suppression comments took 188 MiB while the
/// whole page's parse tree lived beside the page model and every comment
/// kept a record; they take about 55 MiB now.
#[test]
fn pathological_pages_stay_within_memory() {
    const BOUND_MIB: u64 = 96;
    for (what, page) in memory::pathological_pages() {
        let b = raised_book(&page);
        let root = b.path().join("book");
        let Some(kib) = peak_kib(&["check", "--format", "json", "."], &root, b"") else {
            return;
        };
        assert!(
            kib < BOUND_MIB * 1024,
            "{what}: peak RSS {} MiB, over {BOUND_MIB} MiB",
            kib / 1024
        );
    }
}

/// Item 7, as the preprocessor: mdBook's JSON of the page of 200,000
/// suppression comments, piped in as `mdbook build` does. The freed JSON
/// stayed in glibc's heap and took the peak to 87 MiB until `main` set the
/// allocator to hand large blocks back (55 MiB); the bound sits between.
#[test]
fn the_preprocessor_stays_within_memory_on_a_pathological_page() {
    const BOUND_MIB: u64 = 72;
    let page = memory::pathological_pages()
        .into_iter()
        .find(|(what, _)| what.starts_with("200,000 suppression"))
        .expect("the case is in the list")
        .1;
    let b = raised_book(&page);
    let root = b.path().join("book");
    let md = mdbook_driver::MDBook::load(&root).unwrap();
    let ctx = mdbook_preprocessor::PreprocessorContext::new(
        root.clone(),
        md.config.clone(),
        "html".into(),
    );
    let json = serde_json::to_string(&(ctx, &md.book)).unwrap();
    let Some(kib) = peak_kib(&[], &root, json.as_bytes()) else {
        return;
    };
    assert!(
        kib < BOUND_MIB * 1024,
        "peak RSS {} MiB as the preprocessor, over {BOUND_MIB} MiB",
        kib / 1024
    );
}

/// Item 7: past 200 findings of one rule on a page, more are counted and not
/// kept; the 200 shown are the first the suppressions leave, so a suppressed
/// block at the top never hides the findings after it.
#[test]
fn the_cap_on_findings_counts_only_what_suppressions_leave() {
    let mut page = String::from("<!-- cavra-allow: undefined-state -->\n");
    page.push_str(&"`past-due`\n".repeat(250));
    page.push_str("\nThe rest:\n\n");
    page.push_str(&"`past-due`\n".repeat(230));
    let b = book(&["p.md"], &[("src/p.md", page.as_bytes())]);
    let root = b.path().join("book");
    let out = run(&["check", "--format", "json", "."], &root);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let shown: Vec<u64> = places(&v)
        .into_iter()
        .filter(|p| p.0 == "undefined-state")
        .map(|p| p.2)
        .collect();
    // 230 after the suppressed block: the first 200 shown, all below it.
    assert_eq!(shown.len(), 200, "{shown:?}");
    assert!(shown.iter().all(|&line| line > 252), "{shown:?}");
    assert_eq!(out.status.code(), Some(1));
    let notes = v.to_string();
    assert!(
        notes.contains("and 30 more `undefined-state` findings"),
        "{notes}"
    );
}

/// Item 7: pages over the size limit and files that are not regular are
/// findings, never read.
#[cfg(unix)]
#[test]
fn huge_and_special_files_are_not_read() {
    let b = book(&["big.md", "fifo.md"], &[]);
    let src = b.path().join("book/src");
    std::fs::File::create(src.join("big.md"))
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let status = Command::new("mkfifo").arg(src.join("fifo.md")).status();
    let v = check_json(&b.path().join("book"));
    let found = places(&v);
    assert!(
        found.contains(&("unreadable-page".into(), "src/big.md".into(), 1, 1)),
        "{found:?}"
    );
    if status.is_ok_and(|s| s.success()) {
        assert!(
            found.contains(&("unreadable-page".into(), "src/fifo.md".into(), 1, 1)),
            "{found:?}"
        );
    }
}

/// Item 13: a socket named `*.md` (which cannot even be opened) is an
/// `unreadable-page` finding like a FIFO, and never blocks the check.
#[cfg(unix)]
#[test]
fn a_socket_named_like_a_page_is_a_finding() {
    let b = book(&["sock.md"], &[]);
    let src = b.path().join("book/src");
    let Ok(_listener) = std::os::unix::net::UnixListener::bind(src.join("sock.md")) else {
        eprintln!("skipped: cannot bind a Unix socket here");
        return;
    };
    let v = check_json(&b.path().join("book"));
    let found = places(&v);
    assert!(
        found.contains(&("unreadable-page".into(), "src/sock.md".into(), 1, 1)),
        "{found:?}"
    );
    assert!(v.to_string().contains("not a regular file"), "{v}");
}

/// Item 8: a block directive that cannot stand where it is, is a finding,
/// and the page keeps the directive as written.
#[test]
fn a_block_directive_not_alone_is_a_finding_not_a_corrupted_page() {
    let cases = [
        "{{#cavra-states worker-mode}}\nA line right after.\n",
        "## {{#cavra-states worker-mode}}\n",
        "| a | b |\n|---|---|\n| {{#cavra-states worker-mode}} | x |\n",
        "<div>\n{{#cavra-states worker-mode}}\n</div>\n",
        "- [ ] {{#cavra-states worker-mode}}\n",
        "[^1]: {{#cavra-states worker-mode}}\n",
    ];
    for page in cases {
        let parsed = mdbook_cavra::markdown::Page::parse(page);
        let out = mdbook_cavra::expand::expand(&parsed, mdbook_cavra::canon::canon());
        assert_eq!(out, page, "left as written");
        let findings = mdbook_cavra::session::Session::detached().check_text("p.md", page);
        assert!(
            findings.iter().any(|f| f.rule.id == "unknown-directive"
                && f.help
                    .as_deref()
                    .is_some_and(|h| h.contains("line of its own"))),
            "{page:?}: {findings:?}"
        );
    }
    // Alone in a quote or list item, it is expanded and keeps its container.
    let quoted = "> Modes:\n>\n> {{#cavra-states worker-mode}}\n>\n> After.\n";
    let out = mdbook_cavra::expand::expand(
        &mdbook_cavra::markdown::Page::parse(quoted),
        mdbook_cavra::canon::canon(),
    );
    assert!(out.lines().all(|l| l.starts_with('>')), "{out}");
    assert!(out.contains("`dry_run`"), "{out}");
}

/// Item 9: LF, CRLF, lone CR and a BOM give the same findings at the same
/// line and column.
#[test]
fn line_endings_and_a_bom_locate_alike() {
    let lines = [
        "# States",
        "",
        "<!-- cavra-allow: retired-term -->",
        "> The decision is `deny`. <!-- cavra-allow: undefined-state -->",
        "",
        "The subscription state is `canceled`.",
        "",
        "Community Edition.",
    ];
    let mut results = Vec::new();
    for (what, eol, bom) in [
        ("LF", "\n", ""),
        ("CRLF", "\r\n", ""),
        ("CR", "\r", ""),
        ("BOM", "\n", "\u{feff}"),
    ] {
        let page = format!("{bom}{}{eol}", lines.join(eol));
        let b = book(&["p.md"], &[("src/p.md", page.as_bytes())]);
        let found = places(&check_json(&b.path().join("book")));
        results.push((what, found));
    }
    let (_, lf) = &results[0];
    let expected: Vec<(String, String, u64, u64)> = [
        // Nothing for retired-term in the quote it covers.
        ("unused-suppression", 3, 1),
        // The suppression at the end of the quote's line covers `deny`;
        // one mention of a topic is no discussion of it (no boundary-link).
        ("undefined-state", 6, 27),
        ("retired-term", 8, 1),
    ]
    .iter()
    .map(|(r, l, c)| (r.to_string(), "src/p.md".to_string(), *l, *c))
    .collect();
    assert_eq!(lf, &expected);
    for (what, found) in &results[1..] {
        assert_eq!(found, lf, "{what}");
    }
}

/// Item 10: the human report's column on a long line is the JSON column.
#[test]
fn long_lines_show_the_right_column() {
    let page = format!("{} the decision is `nope`.\n", "word ".repeat(180));
    let b = book(&["p.md"], &[("src/p.md", page.as_bytes())]);
    let root = b.path().join("book");
    let v = check_json(&root);
    let col = v["findings"][0]["column"].as_u64().unwrap();
    assert!(col > 900, "{col}");
    let human = run(&["check", "."], &root);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains(&format!("src/p.md:1:{col}")), "{text}");
}

/// Item 11: file names are escaped in every format.
#[cfg(unix)]
#[test]
fn file_names_cannot_inject_output() {
    let name = "evil\n::error file=README.md,line=1::INJECTED \u{1b}[31m #1.md";
    let b = book(&[], &[]);
    let src = b.path().join("book/src");
    std::fs::write(src.join(name), "The decision is `nope`.\n").unwrap();
    std::fs::write(src.join("My Page #1.md"), "Community Edition.\n").unwrap();
    let root = b.path().join("book");
    let github = run(&["check", ".", "--format", "github"], &root);
    let text = String::from_utf8_lossy(&github.stdout);
    assert!(
        text.lines()
            .all(|l| !l.starts_with("::error file=README.md")),
        "{text}"
    );
    let human = run(&["check", "."], &root);
    assert!(
        !human.stdout.contains(&0x1b),
        "raw ESC reached the terminal"
    );
    let sarif = run(&["check", ".", "--format", "sarif"], &root);
    let v: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let run0 = &v["runs"][0];
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let uris: Vec<&str> = run0["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"src/My%20Page%20%231.md"), "{uris:?}");
    assert!(
        uris.iter().all(|u| !u.contains(' ') && !u.contains('\n')),
        "{uris:?}"
    );
}

/// Item 12: a full or closed standard output is an error with exit 2.
#[cfg(unix)]
#[test]
fn a_full_or_closed_stdout_exits_2() {
    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
        let out = Command::new(bin())
            .arg("export")
            .stdout(full)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
    let mut child = Command::new(bin())
        .args(["explain", "undefined-state"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    assert!(matches!(out.status.code(), Some(0 | 2)), "{:?}", out.status);
}

/// Item 13: `build` names each program `book.toml` makes it run.
#[test]
fn build_names_the_programs_it_runs() {
    let b = book(&["page.md"], &[("src/page.md", PAGE)]);
    let root = b.path().join("book");
    let mut toml = std::fs::read_to_string(root.join("book.toml")).unwrap();
    toml.push_str("\n[preprocessor.shout]\ncommand = \"true\"\n");
    std::fs::write(root.join("book.toml"), toml).unwrap();
    let out = run(&["build", ".", "-d", "../site"], &root);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("[preprocessor.shout] will run `true`"),
        "{err}"
    );
    let _ = std::io::stderr().flush();
}

/// Item 5: directives in an included file are expanded where the include
/// sits (with its line range), and checked at the included file's lines.
#[test]
fn directives_in_included_files_are_expanded_and_checked() {
    let b = book(
        &["page.md"],
        &[
            (
                "src/page.md",
                b"# Page\n\n{{#include parts/modes.md:3:5}}\n\nAfter.\n",
            ),
            (
                "src/parts/modes.md",
                b"# Not taken\n\n{{#cavra-states worker-mode}}\n\nA {{#cavra-state decision.allow}} decision.\n\n{{#cavra-state decision.nope}}\n",
            ),
        ],
    );
    let root = b.path().join("book");
    let out = run(&["build", ".", "-d", "../site"], &root);
    let err = String::from_utf8_lossy(&out.stderr);
    // The included file's own mistake is reported at its own line.
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("src/parts/modes.md:7:"), "{err}");
    std::fs::write(
        root.join("src/parts/modes.md"),
        "# Not taken\n\n{{#cavra-states worker-mode}}\n\nA {{#cavra-state decision.allow}} decision.\n",
    )
    .unwrap();
    let out = run(&["build", ".", "-d", "../site"], &root);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(b.path().join("site/page.html")).unwrap();
    assert!(
        html.contains("<code>dry_run</code>"),
        "the table is rendered"
    );
    assert!(
        html.contains("<code>allow</code>"),
        "the inline term is rendered"
    );
    assert!(!html.contains("{{#cavra"), "no raw directive is published");
    assert!(!html.contains("Not taken"), "only the lines asked for");
}

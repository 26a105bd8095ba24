//! The fronts agree: for every fixture book and every bad-input case, the
//! findings of `mdbook-cavra check --format json` equal the findings the
//! preprocessor reports for the same book as mdBook hands it over (same
//! rule, path, line, column and severity), and the exit status of `check`,
//! of the preprocessor driven as mdBook drives it, and of the in-process
//! `build` is the same.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use mdbook_core::config::Config;
use mdbook_driver::MDBook;
use mdbook_preprocessor::PreprocessorContext;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_mdbook-cavra")
}

/// (rule, path, line, column, severity) of every finding.
type Key = (String, String, u64, u64, String);

fn keys_of_json(v: &serde_json::Value) -> Vec<Key> {
    let mut out: Vec<Key> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

/// What `check --format json` says: exit code and findings.
fn check(root: &Path) -> (i32, Vec<Key>) {
    let out = Command::new(bin())
        .args(["check", "--format", "json"])
        .arg(root)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    if code == 2 {
        return (code, Vec::new());
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: not JSON ({e}): {}",
            root.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, keys_of_json(&v))
}

/// mdBook's view of the book (without creating missing chapters), or why
/// mdBook cannot load it.
fn load(root: &Path) -> Result<MDBook, String> {
    let text = std::fs::read_to_string(root.join("book.toml")).map_err(|e| e.to_string())?;
    let mut config: Config = text.parse().map_err(|e| format!("{e}"))?;
    config.build.create_missing = false;
    MDBook::load_with_config(root, config).map_err(|e| format!("{e:#}"))
}

/// The preprocessor as mdBook runs it: exit code, and the findings of the
/// same code path in-process.
fn preprocessor(root: &Path) -> (i32, Vec<Key>) {
    let md =
        load(root).unwrap_or_else(|e| panic!("{}: mdBook cannot load it: {e}", root.display()));
    let mut ctx = PreprocessorContext::new(root.to_path_buf(), md.config.clone(), "html".into());
    ctx.mdbook_version = "0.5.4".into();
    let json = serde_json::to_string(&(&ctx, &md.book)).unwrap();
    let mut child = Command::new(bin())
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(json.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let code = out.status.code().unwrap();
    let keys = match mdbook_cavra::preprocessor::process(&ctx, md.book.clone()) {
        Ok((_, outcome)) => {
            let mut keys: Vec<Key> = outcome
                .findings
                .iter()
                .map(|f| {
                    (
                        f.rule.id.to_string(),
                        f.at.path.clone(),
                        f.at.line as u64,
                        f.at.column as u64,
                        match f.severity {
                            mdbook_cavra::diagnostic::Severity::Error => "error".to_string(),
                            mdbook_cavra::diagnostic::Severity::Warning => "warning".to_string(),
                        },
                    )
                })
                .collect();
            keys.sort();
            keys
        }
        Err(e) => {
            assert_eq!(e.exit_code() as i32, code, "{}: {e}", root.display());
            Vec::new()
        }
    };
    (code, keys)
}

fn build(root: &Path) -> i32 {
    let dest = tempfile::tempdir().unwrap();
    Command::new(bin())
        .arg("build")
        .arg(root)
        .arg("--dest-dir")
        .arg(dest.path().join("out"))
        .output()
        .unwrap()
        .status
        .code()
        .unwrap()
}

fn agree(root: &Path) {
    let (check_code, check_keys) = check(root);
    assert_eq!(
        build(root),
        check_code,
        "{}: build vs check",
        root.display()
    );
    if load(root).is_err() {
        // mdBook itself cannot read the book, so it never runs the
        // preprocessor; `build` then reports what `check` does.
        return;
    }
    let (pre_code, pre_keys) = preprocessor(root);
    assert_eq!(
        pre_code,
        check_code,
        "{}: preprocessor vs check",
        root.display()
    );
    assert_eq!(pre_keys, check_keys, "{}", root.display());
}

fn fixture_books() -> Vec<PathBuf> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for dir in [base.clone(), base.join("rules")] {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.path().join("book.toml").is_file() {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_fixture_book_gets_the_same_verdict_from_every_front() {
    let books = fixture_books();
    assert!(books.len() >= 12, "{books:?}");
    for root in books {
        agree(&root);
    }
}

/// A book in a temporary folder: `book.toml` with `src`, the SUMMARY as
/// given, and each file's bytes (paths relative to the book root).
fn book(summary: &str, files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("book");
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("book.toml"), "[book]\nsrc = \"src\"\n").unwrap();
    std::fs::write(root.join("src/SUMMARY.md"), summary).unwrap();
    for (path, bytes) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    dir
}

const PLAIN: &[u8] = b"# A page\n\nNothing to report.\n";

#[test]
fn bad_input_gets_the_same_verdict_from_every_front() {
    let mut cases: Vec<(&str, tempfile::TempDir)> = vec![
        (
            "not UTF-8, NUL, binary",
            book(
                "# Summary\n\n- [A](a.md)\n- [B](b.md)\n",
                &[
                    ("book/src/a.md", b"# Caf\xe9\n"),
                    ("book/src/b.md", b"# B\n\0\n"),
                    ("book/src/c.md", b"\x89PNG\r\n\x1a\n\0\0"),
                ],
            ),
        ),
        (
            "a draft in a hidden folder, an orphan, a non-Markdown chapter",
            book(
                "# Summary\n\n- [A](a.md)\n- [Notes](notes.txt)\n",
                &[
                    ("book/src/a.md", PLAIN),
                    ("book/src/.drafts/x.md", b"When the decision is `nope`.\n"),
                    ("book/src/orphan.md", b"# Orphan\n"),
                    ("book/src/notes.txt", b"The subscription is `canceled`.\n"),
                ],
            ),
        ),
        (
            "a SUMMARY entry outside the book",
            book(
                "# Summary\n\n- [A](a.md)\n- [Out](../../outside/page.md)\n",
                &[("book/src/a.md", PLAIN), ("outside/page.md", PLAIN)],
            ),
        ),
        (
            "a chapter outside the source folder but inside the book",
            book(
                "# Summary\n\n- [Readme](../README.md)\n",
                &[("book/README.md", b"The decision is `nope`.\n")],
            ),
        ),
        (
            "a chapter's own include leaving the book",
            book(
                "# Summary\n\n- [A](a.md)\n",
                &[
                    ("book/src/a.md", b"# A\n\n{{#include ../../outside/x.md}}\n"),
                    ("outside/x.md", PLAIN),
                ],
            ),
        ),
        (
            "includes leaving the book: relative, absolute, nested in an included page",
            book(
                "# Summary\n\n- [A](a.md)\n",
                &[
                    (
                        "book/src/a.md",
                        b"# A\n\n{{#include ../../outside/x.md}}\n\n{{#include /etc/hostname}}\n\n{{#include part.md}}\n",
                    ),
                    ("book/src/part.md", b"{{#include ../../outside/x.md}}\n"),
                    ("outside/x.md", PLAIN),
                ],
            ),
        ),
        (
            "src outside the root",
            book("# Summary\n", &[("book/src/a.md", PLAIN)]),
        ),
    ];
    // `src = "../outside"`.
    let outside = &cases.last().unwrap().1;
    std::fs::create_dir_all(outside.path().join("outside")).unwrap();
    std::fs::write(
        outside.path().join("outside/SUMMARY.md"),
        "# Summary\n\n- [A](a.md)\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("outside/a.md"), PLAIN).unwrap();
    std::fs::write(
        outside.path().join("book/book.toml"),
        "[book]\nsrc = \"../outside\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        let linked = book(
            "# Summary\n\n- [A](a.md)\n- [Linked](linked.md)\n",
            &[
                ("book/src/a.md", b"When the decision is `nope`.\n"),
                ("secret/keys.md", b"sk_live_abcdefghijklmnop1234\n"),
            ],
        );
        let src = linked.path().join("book/src");
        symlink("a.md", src.join("linked.md")).unwrap();
        symlink("a.md", src.join("orphan-link.md")).unwrap();
        symlink("../../secret/keys.md", src.join("leak.md")).unwrap();
        symlink("../../secret", src.join("leakdir")).unwrap();
        std::fs::create_dir(src.join("sub")).unwrap();
        symlink("..", src.join("sub/loop")).unwrap();
        cases.push(("symlinks: inside, outside, a loop", linked));
    }
    for (what, dir) in &cases {
        eprintln!("case: {what}");
        agree(&dir.path().join("book"));
    }
}

#[test]
fn a_symlink_leaving_the_book_is_reported_and_not_read() {
    #[cfg(unix)]
    {
        let b = book(
            "# Summary\n\n- [A](a.md)\n",
            &[
                ("book/src/a.md", PLAIN),
                ("secret/keys.md", b"sk_live_abcdefghijklmnop1234\n"),
            ],
        );
        std::os::unix::fs::symlink("../../secret/keys.md", b.path().join("book/src/leak.md"))
            .unwrap();
        let (code, keys) = check(&b.path().join("book"));
        assert_eq!(code, 1);
        assert_eq!(
            keys,
            [(
                "unreadable-page".to_string(),
                "src/leak.md".to_string(),
                1,
                1,
                "error".to_string()
            )],
            "the outside file is not read, so its key is not reported either"
        );
    }
}

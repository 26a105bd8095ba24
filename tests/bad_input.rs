//! Bad and pathological input: every case gives a clear message or finding
//! and the documented exit code; nothing panics, hangs or is skipped in
//! silence. (Timings of the pathological cases are in `cargo bench`.)

use std::path::Path;
use std::process::{Command, Output};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_mdbook-cavra")
}

/// A book in a temporary folder: `book.toml`, a SUMMARY listing `pages`,
/// and each page's bytes.
fn book(pages: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("book.toml"),
        "[book]\nsrc = \"src\"\n\n[preprocessor.cavra]\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    let mut summary = String::from("# Summary\n\n");
    for (name, bytes) in pages {
        summary.push_str(&format!("- [{name}]({name})\n"));
        std::fs::write(dir.path().join("src").join(name), bytes).unwrap();
    }
    std::fs::write(dir.path().join("src/SUMMARY.md"), summary).unwrap();
    dir
}

/// Raise the book's `max-page-size` to 32 MiB: the pages of the cases that
/// measure the work on a huge page are over the 256 KiB default, which
/// would refuse them unread.
fn raise_page_limit(root: &Path) {
    std::fs::write(
        root.join("book.toml"),
        "[book]\nsrc = \"src\"\n\n[preprocessor.cavra]\nmax-page-size = 33554432\n",
    )
    .unwrap();
}

fn check(root: &Path) -> Output {
    Command::new(bin())
        .args(["check", "--format", "json"])
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn findings_of(v: &serde_json::Value, rule: &str) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            format!(
                "{}:{}: {}",
                f["path"].as_str().unwrap(),
                f["line"],
                f["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn invalid_utf8_nul_bytes_and_binary_files_are_findings() {
    let b = book(&[
        ("latin1.md", b"# Caf\xe9\n\nok\n\xff\n"),
        ("nul.md", b"# Text\n\nwith a \0 byte\n"),
        ("image.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0"),
        ("fine.md", b"# Fine\n"),
    ]);
    let out = check(b.path());
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let found = findings_of(&v, "unreadable-page");
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found[0].starts_with("src/image.md:1: binary file"),
        "{found:?}"
    );
    assert!(
        found[1].starts_with("src/latin1.md:1: not valid UTF-8"),
        "{found:?}"
    );
    assert!(
        found[2].starts_with("src/nul.md:1: binary file (NUL byte"),
        "{found:?}"
    );
    assert_eq!(v["summary"]["files"], 5);
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_dangling_links_are_findings() {
    let b = book(&[("a.md", b"# A\n")]);
    let src = b.path().join("src");
    std::fs::create_dir(src.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", src.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink("nowhere.md", src.join("dangling.md")).unwrap();
    let out = check(b.path());
    assert_eq!(out.status.code(), Some(1));
    let found = findings_of(&json(&out), "unreadable-page");
    assert!(
        found.iter().any(|f| f.contains("symbolic link loop")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|f| f.contains("dangling.md") && f.contains("cannot read")),
        "{found:?}"
    );
}

#[test]
fn missing_or_invalid_book_toml_exits_2_with_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = check(dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("book.toml") && err.contains("help:"), "{err}");

    std::fs::write(dir.path().join("book.toml"), "[book\nsrc = ").unwrap();
    let out = check(dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a valid book.toml"), "{err}");

    std::fs::write(dir.path().join("book.toml"), "[book]\nsrc = \"missing\"\n").unwrap();
    let out = check(dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
}

#[test]
fn missing_summary_exits_2_and_an_empty_book_is_clean() {
    let b = book(&[]);
    let out = check(b.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["summary"]["errors"], 0);
    assert_eq!(v["summary"]["files"], 1);

    std::fs::remove_file(b.path().join("src/SUMMARY.md")).unwrap();
    let out = check(b.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SUMMARY.md"));
}

#[test]
fn a_huge_single_line_is_checked_to_the_end() {
    // 10 MB on one line, with one mistake at the very end.
    let mut page = String::from("# Huge\n\n");
    while page.len() < 10_000_000 {
        page.push_str("plain words about agents and policies, repeated to fill a very long line; ");
    }
    page.push_str("then the decision is `deny`.\n");
    let b = book(&[("huge.md", page.as_bytes())]);
    raise_page_limit(b.path());
    let out = check(b.path());
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let f = &v["findings"][0];
    assert_eq!(f["message"], "undefined decision `deny`");
    assert_eq!(f["line"], 3);
    let expected_col = page.lines().nth(2).unwrap().find("`deny`").unwrap() + 1;
    assert_eq!(f["column"], expected_col);
}

#[test]
fn deep_nesting_is_handled() {
    let lists = "- ".repeat(10_000) + "`canceled`\n";
    let quotes = ">".repeat(10_000) + " the decision is `deny`\n";
    let b = book(&[
        ("lists.md", lists.as_bytes()),
        ("quotes.md", quotes.as_bytes()),
    ]);
    let out = check(b.path());
    assert_eq!(out.status.code(), Some(1));
    let found = findings_of(&json(&out), "undefined-state");
    assert_eq!(found.len(), 2, "{found:?}");
}

#[test]
fn a_hundred_thousand_directives_in_one_page() {
    let page = "{{#cavra-state decision.allow}} ".repeat(100_000);
    let b = book(&[("many.md", page.as_bytes())]);
    raise_page_limit(b.path());
    let out = check(b.path());
    assert_eq!(out.status.code(), Some(0));

    let bad = "{{#cavra-state decision.deny}}\n\n".repeat(20_000);
    let b = book(&[("bad.md", bad.as_bytes())]);
    raise_page_limit(b.path());
    let out = check(b.path());
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    // 200 findings of one rule on one page are shown; the last says how
    // many more there are.
    assert_eq!(v["summary"]["errors"], 200);
    assert_eq!(v["findings"][199]["line"], 399);
    assert_eq!(
        v["findings"][199]["notes"][0],
        "and 19800 more `undefined-state` findings on this page, not shown"
    );
}

#[test]
fn the_preprocessor_expands_a_hundred_thousand_directives() {
    let page = "{{#cavra-state decision.allow}} ".repeat(100_000);
    let parsed = mdbook_cavra::markdown::Page::parse(&page);
    let out = mdbook_cavra::expand::expand(&parsed, mdbook_cavra::canon::canon());
    assert_eq!(out, "`allow` ".repeat(100_000));
}

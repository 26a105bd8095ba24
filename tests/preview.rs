//! The writer's preview: findings in the page (`on-finding = "show"` under
//! `mdbook serve` only, and `mdbook-cavra preview`), and the HTML structure
//! of rendered previews, as snapshots of their outline.
//!
//! Refresh the snapshots after an intended change with
//! `SNAPSHOTS=overwrite cargo test --test preview`, and read the diff.

#[path = "support/outline.rs"]
#[allow(dead_code, reason = "the browser test uses the rest")]
mod outline;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use mdbook_cavra::canon::canon;
use mdbook_cavra::preview::{html, target};
use mdbook_driver::MDBook;
use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::{Book, BookItem};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_mdbook-cavra")
}

fn guide() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture() -> PathBuf {
    guide().join("tests/fixtures/preview")
}

/// The outline of the page's `<main>`.
fn main_outline(file: &Path) -> String {
    outline::outline_of(&std::fs::read_to_string(file).unwrap(), "main")
}

#[test]
fn a_page_with_a_mistake_shows_the_finding_after_its_block() {
    let dest = tempfile::tempdir().unwrap();
    let page = target::resolve("decisions.md", Some(&fixture())).unwrap();
    let r = html::render(&fixture(), &page, dest.path()).unwrap();
    assert_eq!(r.url_path, "decisions.html");
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    let outline = main_outline(&r.page);
    snapbox::assert_data_eq!(
        outline.clone(),
        snapbox::file!["snapshots/preview-decisions.outline"]
    );
    // Next to its block: the paragraph with the mistake, then the finding,
    // then the list that follows it in the source.
    let lines: Vec<&str> = outline.lines().collect();
    let p = lines
        .iter()
        .position(|l| l.contains("When the decision is"))
        .unwrap();
    let next_sibling = lines[p + 1..]
        .iter()
        .find(|l| !l.starts_with(&" ".repeat(indent(lines[p]) + 1)))
        .unwrap();
    assert!(
        next_sibling
            .trim_start()
            .starts_with("div.cavra-preview.cavra-finding"),
        "{next_sibling}"
    );
    // The summary first, the rules' texts last.
    assert!(
        lines[1]
            .trim_start()
            .starts_with("div.cavra-preview.cavra-summary")
    );
    // Links between pages lead to the rendered pages.
    assert!(outline.contains("[href=intro.html]"), "{outline}");
    // The other page says the book has a finding elsewhere.
    let intro = main_outline(&r.dir.join("intro.html"));
    assert!(
        intro.contains("(and 1 error and 0 warnings elsewhere in the book)"),
        "{intro}"
    );
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

#[test]
fn a_boundary_preview_has_the_boundary_and_its_state_tables() {
    let dest = tempfile::tempdir().unwrap();
    let page =
        target::Resolved::generated_boundary(canon(), "billing-subscription", Some(&fixture()))
            .unwrap();
    let r = html::render(&fixture(), &page, dest.path()).unwrap();
    assert_eq!(r.url_path, "cavra-preview/billing-subscription.html");
    snapbox::assert_data_eq!(
        main_outline(&r.page),
        snapbox::file!["snapshots/preview-billing-subscription.outline"]
    );
}

#[test]
fn the_guides_billing_page_previews_clean_in_the_books_theme() {
    let dest = tempfile::tempdir().unwrap();
    let page = target::resolve("billing-subscription", Some(&guide())).unwrap();
    let r = html::render(&guide(), &page, dest.path()).unwrap();
    assert_eq!(r.url_path, "editions/billing-subscription.html");
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    let text = std::fs::read_to_string(&r.page).unwrap();
    // mdBook's page: the theme's stylesheets, the sidebar, the content.
    assert!(
        text.contains("css/chrome.css") || text.contains("chrome-"),
        "no theme CSS"
    );
    let outline = main_outline(&r.page);
    assert!(outline.contains("\"past_due\""), "{outline}");
    assert!(
        !text.contains("cavra-preview"),
        "a clean book shows no markup"
    );
}

// ---- the preprocessor: "show" only under `mdbook serve` ----------------

/// mdBook's preprocessor JSON for `root`, with `config` changes.
fn mdbook_json(root: &Path, set: &[(&str, &str)]) -> String {
    let md = MDBook::load(root).expect("fixture loads");
    let mut config = md.config.clone();
    for (k, v) in set {
        config.set(*k, *v).unwrap();
    }
    let ctx = PreprocessorContext::new(root.to_path_buf(), config, "html".into());
    serde_json::to_string(&(ctx, &md.book)).expect("serializes")
}

fn preprocess(json: &str) -> Output {
    let mut child = Command::new(bin())
        .env("NO_COLOR", "1")
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
    child.wait_with_output().unwrap()
}

fn chapter(book: &Book, path: &str) -> String {
    book.iter()
        .find_map(|i| match i {
            BookItem::Chapter(c) if c.source_path.as_deref() == Some(Path::new(path)) => {
                Some(c.content.clone())
            }
            _ => None,
        })
        .unwrap()
}

const SHOW: (&str, &str) = ("preprocessor.cavra.on-finding", "show");
const SERVE: (&str, &str) = ("output.html.live-reload-endpoint", "__livereload");

/// `mdbook serve` stops at a failing build: the failure says how to serve
/// with the findings in the pages instead; a plain build does not.
#[test]
fn a_failing_serve_says_how_to_serve_anyway() {
    let hint = "to serve the book anyway";
    let serve = preprocess(&mdbook_json(&fixture(), &[SERVE]));
    let stderr = String::from_utf8_lossy(&serve.stderr);
    assert_eq!(serve.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(hint) && stderr.contains("on-finding = \"show\""),
        "{stderr}"
    );
    let build = preprocess(&mdbook_json(&fixture(), &[]));
    assert_eq!(build.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&build.stderr).contains(hint));
}

#[test]
fn show_puts_findings_in_the_page_under_serve() {
    let out = preprocess(&mdbook_json(&fixture(), &[SHOW, SERVE]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // The terminal still gets the report.
    assert!(stderr.contains("error[undefined-state]"), "{stderr}");
    let book: Book = serde_json::from_slice(&out.stdout).unwrap();
    let shown = chapter(&book, "decisions.md");
    assert!(
        shown.contains(
            "<div class=\"cavra-preview cavra-finding cavra-error\" id=\"cavra-finding-1\""
        )
    );
    // Every byte the preprocessor was not asked to change is there: the
    // chapter without the inserted blocks is the expanded chapter.
    let plain = preprocess(&mdbook_json(&fixture(), &[]));
    assert_eq!(plain.status.code(), Some(1));
    let fail = preprocess(&mdbook_json(
        &fixture(),
        &[SERVE, ("preprocessor.cavra.rules.undefined-state", "warn")],
    ));
    assert!(fail.status.success());
    let expanded = chapter(
        &serde_json::from_slice(&fail.stdout).unwrap(),
        "decisions.md",
    );
    let stripped: String = shown
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("<div class=\"cavra-preview"))
        .collect();
    // The blocks brought their blank lines; apart from those, all equal.
    assert_eq!(
        blank_lines_collapsed(&stripped),
        blank_lines_collapsed(&expanded)
    );
}

fn blank_lines_collapsed(s: &str) -> String {
    let mut s = s.trim().to_string();
    while s.contains("\n\n\n") {
        s = s.replace("\n\n\n", "\n\n");
    }
    s
}

#[test]
fn show_is_refused_outside_serve_and_the_build_fails() {
    // `mdbook build`: no live-reload endpoint.
    let out = preprocess(&mdbook_json(&fixture(), &[SHOW]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("`on-finding = \"show\"` is ignored here"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    // Another renderer under serve.
    let md = MDBook::load(fixture()).unwrap();
    let mut config = md.config.clone();
    config.set(SHOW.0, SHOW.1).unwrap();
    config.set(SERVE.0, SERVE.1).unwrap();
    let ctx = PreprocessorContext::new(fixture(), config, "markdown".into());
    let out = preprocess(&serde_json::to_string(&(ctx, &md.book)).unwrap());
    assert_eq!(out.status.code(), Some(1));
    // A book.toml that sets the endpoint itself: this may be a publishing
    // build, so no.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    let toml = dir.path().join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        format!("{text}\n[output.html]\nlive-reload-endpoint = \"__livereload\"\n"),
    )
    .unwrap();
    let out = preprocess(&mdbook_json(dir.path(), &[SHOW]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("sets `output.html.live-reload-endpoint` itself"),
        "{stderr}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

fn real_mdbook() -> bool {
    let found = Command::new("mdbook")
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("v0.5."));
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "mdBook 0.5 is missing in CI; .ci/run installs it"
        );
        // Straight to the terminal: the harness captures eprintln! of passing tests.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: mdBook 0.5 is not installed (cargo install mdbook --version ^0.5)"
        );
    }
    found
}

#[test]
fn real_mdbook_build_fails_and_real_mdbook_serve_shows() {
    if !real_mdbook() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    let mdbook = |args: &[&str]| {
        let mut c = Command::new("mdbook");
        c.args(args)
            .arg(dir.path().to_str().unwrap())
            .env("MDBOOK_PREPROCESSOR__CAVRA__COMMAND", bin())
            .env("MDBOOK_PREPROCESSOR__CAVRA__ON_FINDING", "show");
        c
    };
    let out = mdbook(&["build"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "mdbook build must fail: {stderr}");
    assert!(stderr.contains("is ignored here"), "{stderr}");
    let decisions = dir.path().join("out/decisions.html");
    assert!(
        !std::fs::read_to_string(&decisions)
            .unwrap_or_default()
            .contains("cavra-preview"),
        "no finding markup in a built book"
    );

    // `mdbook serve` on a free port shows the finding in the page.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let served = dir.path().join("served");
    let mut serve = mdbook(&[
        "serve",
        "-p",
        &port.to_string(),
        "-d",
        served.to_str().unwrap(),
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut page = String::new();
    while Instant::now() < deadline {
        page = http_get(port, "/decisions.html").unwrap_or_default();
        if page.contains("200 OK") {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = serve.kill();
    let _ = serve.wait();
    assert!(
        page.contains("class=\"cavra-preview cavra-finding cavra-error\""),
        "{page}"
    );
}

/// A GET that reads the body by its `Content-Length` (mdBook's server keeps
/// the connection open).
fn http_get(port: u16, path: &str) -> std::io::Result<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = s.read(&mut buf)?;
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&data);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head.lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse::<usize>().ok())?
            });
            if length.is_some_and(|len| body.len() >= len) {
                break;
            }
        }
    }
    Ok(String::from_utf8_lossy(&data).into_owned())
}

/// `preview --markdown` reads a page under its book's own `max-page-size`:
/// a page over the default is refused, naming the file and the setting,
/// until the book raises the limit, and then it is expanded like any page.
#[test]
fn the_markdown_preview_holds_a_page_to_its_books_page_limit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n- [Big](big.md)\n",
    )
    .unwrap();
    let limit = usize::try_from(mdbook_cavra::config::DEFAULT_MAX_PAGE_SIZE).unwrap();
    let mut page = String::from("# Big\n\n{{#cavra-state decision.allow}}\n\n");
    while page.len() <= limit {
        page.push_str("Plain words about agents and their policies.\n\n");
    }
    std::fs::write(root.join("src/big.md"), &page).unwrap();
    let preview = |toml: &str| {
        std::fs::write(root.join("book.toml"), toml).unwrap();
        Command::new(bin())
            .args(["preview", "--markdown", "src/big.md"])
            .current_dir(root)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let refused = preview("[book]\nsrc = \"src\"\n\n[preprocessor.cavra]\n");
    let err = String::from_utf8_lossy(&refused.stderr);
    assert_ne!(refused.status.code(), Some(0), "{err}");
    assert!(
        err.contains("big.md") && err.contains("max-page-size"),
        "{err}"
    );
    let raised =
        preview("[book]\nsrc = \"src\"\n\n[preprocessor.cavra]\nmax-page-size = 1048576\n");
    let out = String::from_utf8_lossy(&raised.stdout);
    assert_eq!(
        raised.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&raised.stderr)
    );
    assert!(
        out.contains("`allow`") && !out.contains("{{#cavra-state"),
        "{}",
        &out[..200]
    );
}

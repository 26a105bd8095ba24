//! End-to-end tests: the binary driven exactly as mdBook drives it, a real
//! `mdbook build` when mdBook 0.5 is installed, the in-process `build`
//! command, and the check command's machine formats.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use mdbook_driver::MDBook;
use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::{Book, BookItem};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_mdbook-cavra")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// mdBook's preprocessor input for a fixture book: `[context, book]`.
fn mdbook_json(root: &Path, version: &str) -> String {
    let md = MDBook::load(root).expect("fixture loads");
    let mut ctx = PreprocessorContext::new(root.to_path_buf(), md.config.clone(), "html".into());
    ctx.mdbook_version = version.to_string();
    serde_json::to_string(&(ctx, &md.book)).expect("serializes")
}

fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(bin())
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn chapters(book: &Book) -> Vec<(String, String)> {
    book.iter()
        .filter_map(|i| match i {
            BookItem::Chapter(c) => Some((
                c.source_path.as_ref()?.to_string_lossy().into_owned(),
                c.content.clone(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn preprocessor_protocol_supports_then_json() {
    let status = Command::new(bin())
        .args(["supports", "html"])
        .status()
        .unwrap();
    assert!(status.success());
    let status = Command::new(bin())
        .args(["supports", "epub"])
        .status()
        .unwrap();
    assert!(
        status.success(),
        "output is plain Markdown, so every renderer is supported"
    );

    let root = fixture("directives");
    let input = mdbook_json(&root, "0.5.4");
    let out = run_with_stdin(&[], input.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let book: Book = serde_json::from_slice(&out.stdout).expect("stdout is a book");
    let before: Book = serde_json::from_str::<(serde_json::Value, Book)>(&input)
        .unwrap()
        .1;

    for ((path, new), (_, old)) in chapters(&book).iter().zip(chapters(&before)) {
        assert!(
            !new.contains("{{#cavra-states decision}}\n\nWrite"),
            "{path}"
        );
        // Every byte before the first directive is unchanged.
        let first = old.find("{{#cavra").unwrap_or(old.len());
        let first = old[..first].rfind('\n').map_or(0, |i| i + 1);
        assert_eq!(&new[..first], &old[..first], "{path}");
    }
    let all: String = chapters(&book).into_iter().map(|c| c.1).collect();
    assert!(all.contains("| `grace_period` | Renewal or payment is pending"));
    assert!(
        all.contains("> - the billing owner is missing"),
        "evidence list stays in the quote"
    );
    assert!(
        all.contains("escaped form {{#cavra-states decision}} shows"),
        "escape loses its backslash"
    );
    assert!(
        all.contains("```markdown\n{{#cavra-states decision}}\n```"),
        "code is untouched"
    );
    assert!(
        all.contains("    {{#cavra-state decision.allow}}"),
        "indented code is untouched"
    );
    assert!(
        all.contains("the worker mode is `dry_run` here.\r\n"),
        "CRLF page keeps its line endings"
    );
}

#[test]
fn malformed_json_is_a_clear_error() {
    let out = run_with_stdin(&[], b"{ not json");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not mdBook's preprocessor JSON"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let out = run_with_stdin(&[], b"[1, 2]");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("mdbook_version"));
}

#[test]
fn mdbook_04_json_names_both_versions() {
    let input = r#"[{"root":"/b","config":{},"renderer":"html","mdbook_version":"0.4.52"},{"sections":[],"__non_exhaustive":null}]"#;
    let out = run_with_stdin(&[], input.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("mdBook 0.4.52"), "{err}");
    assert!(err.contains("needs mdBook 0.5"), "{err}");
    assert!(err.contains("`sections`"), "{err}");
    assert!(!err.contains("missing field"), "{err}");
}

#[test]
fn unknown_directive_fails_the_preprocessor_at_its_line() {
    let root = fixture("rules/unknown-directive");
    let out = run_with_stdin(&[], mdbook_json(&root, "0.5.4").as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error[unknown-directive]: unknown vocabulary `subscripton`"),
        "{err}"
    );
    assert!(err.contains("src/page.md:5:17"), "{err}");
    assert!(err.contains("did you mean `subscription`?"), "{err}");
    assert!(out.stdout.is_empty(), "no book is written back on failure");
}

#[test]
fn in_process_build_renders_the_canon() {
    let dest = tempfile::tempdir().unwrap();
    let dir =
        mdbook_cavra::build::build(&fixture("directives"), Some(dest.path())).expect("builds");
    let html = std::fs::read_to_string(dir.join("billing.html")).unwrap();
    assert!(
        html.contains("<td><code>past_due</code></td>"),
        "state table rendered"
    );
    assert!(
        html.contains("<li>license keys</li>"),
        "boundary list rendered"
    );
    let decisions = std::fs::read_to_string(dir.join("decisions.html")).unwrap();
    assert!(decisions.contains("escaped form {{#cavra-states decision}} shows"));
}

#[test]
fn in_process_build_fails_on_a_dirty_book_with_locations() {
    let dest = tempfile::tempdir().unwrap();
    let out = Command::new(bin())
        .args(["build", fixture("dirty").to_str().unwrap(), "--dest-dir"])
        .arg(dest.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("src/states.md:3:22"), "{err}");
    assert!(
        err.contains("error[undefined-state]: undefined decision `deny`"),
        "{err}"
    );
    assert!(err.contains("mdbook-cavra found"), "{err}");
}

/// A real `mdbook build`, when mdBook 0.5 is on PATH (CI installs it).
#[test]
fn real_mdbook_build() {
    let Ok(version) = Command::new("mdbook").arg("--version").output() else {
        eprintln!("mdbook is not on PATH; skipping the real mdbook build");
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install mdbook 0.5"
        );
        return;
    };
    let v = String::from_utf8_lossy(&version.stdout);
    assert!(v.contains("v0.5"), "mdbook 0.5 expected, found {v}");
    let dest = tempfile::tempdir().unwrap();
    let out = Command::new("mdbook")
        .args(["build", "--dest-dir"])
        .arg(dest.path())
        .arg(fixture("directives"))
        .env("MDBOOK_PREPROCESSOR__CAVRA__COMMAND", bin())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(dest.path().join("decisions.html")).unwrap();
    assert!(html.contains("<td><code>allow_with_attestation</code></td>"));

    // The in-process `build` writes the same site, file for file, search
    // index included.
    let ours = tempfile::tempdir().unwrap();
    let status = Command::new(bin())
        .arg("build")
        .arg(fixture("directives"))
        .arg("--dest-dir")
        .arg(ours.path())
        .status()
        .unwrap();
    assert!(status.success());
    let theirs = tree(dest.path());
    assert!(
        theirs.keys().any(|k| k.starts_with("searchindex")),
        "{:?}",
        theirs.keys()
    );
    assert_eq!(tree(ours.path()), theirs, "build and mdbook build differ");
    assert!(html.contains("escaped form {{#cavra-states decision}} shows"));

    let out = Command::new("mdbook")
        .args(["build", "--dest-dir"])
        .arg(dest.path().join("dirty"))
        .arg(fixture("dirty"))
        .env("MDBOOK_PREPROCESSOR__CAVRA__COMMAND", bin())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("src/states.md:3:22"), "{err}");
}

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.file_name() != mdbook_cavra::build::MARKER)
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn json_report_has_the_documented_shape() {
    let out = Command::new(bin())
        .args([
            "check",
            fixture("dirty").to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        let keys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
        for k in ["rule", "severity", "path", "line", "column", "message"] {
            assert!(keys.contains(&k), "{k} missing in {f}");
        }
        assert!(matches!(f["severity"].as_str(), Some("error" | "warning")));
        assert!(f["line"].as_u64().unwrap() >= 1 && f["column"].as_u64().unwrap() >= 1);
        assert!(
            !f["path"].as_str().unwrap().starts_with('/'),
            "paths are relative"
        );
    }
    let s = &v["summary"];
    assert_eq!(
        s["errors"].as_u64().unwrap() + s["warnings"].as_u64().unwrap(),
        findings.len() as u64
    );
    assert_eq!(s["files"].as_u64(), Some(5));
}

fn check_book(root: &Path) -> Vec<mdbook_cavra::diagnostic::Finding> {
    mdbook_cavra::session::Session::load(root)
        .unwrap()
        .run(mdbook_cavra::session::Source::Disk)
        .unwrap()
        .findings
}

#[test]
fn one_thread_and_many_give_the_same_findings() {
    let root = fixture("dirty");
    let many = check_book(&root);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let one = pool.install(|| check_book(&root));
    assert_eq!(many, one);
}

#[test]
fn the_preprocessor_warns_about_orphan_pages_and_goes_on() {
    let root = fixture("rules/orphan-page");
    let out = run_with_stdin(&[], mdbook_json(&root, "0.5.4").as_bytes());
    assert!(out.status.success(), "a warning does not fail the build");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning[orphan-page]: `src/old-pricing.md` is not reachable from SUMMARY.md"),
        "{err}"
    );
    assert!(err.contains("src/old-pricing.md:1:1"), "{err}");
    let _: Book = serde_json::from_slice(&out.stdout).expect("the book is written back");
}

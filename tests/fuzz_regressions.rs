//! Inputs found by `cargo fuzz` (see `fuzz/`), replayed through the same code
//! paths as the three fuzz targets, so a crash once fixed stays fixed.
//!
//! Every file in `tests/fixtures/fuzz/` (minimized crashes, named
//! `<target>-<n>.bin`) and in the fuzz seed corpus `fuzz/seeds/*/` goes
//! through every target: the directive parser, the checker and expansion on
//! the bytes read as Markdown, and the preprocessor on the bytes as its
//! standard input. None may panic, and:
//!
//! - `expand` returns a page without directives (in particular, one without
//!   `{{`) byte for byte;
//! - `parse_input` on anything that is not JSON returns `Err`.

use std::fs;
use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use mdbook_cavra::preprocessor::{self, CavraPreprocessor};
use mdbook_cavra::report::{self, Format, Summary};
use mdbook_cavra::{canon, check, config, directive, markdown};
use mdbook_preprocessor::Preprocessor;

/// Same as `fuzz/fuzz_targets/directive.rs`.
fn directive_target(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let canon = canon::canon();
    let slice = |r: &Range<usize>| {
        assert!(
            r.start <= r.end && r.end <= text.len(),
            "{r:?} outside text"
        );
        &text[r.clone()]
    };
    let mut prev_end = 0;
    for c in directive::scan(text) {
        assert!(
            c.range.start >= prev_end,
            "candidates overlap or go backwards"
        );
        prev_end = c.range.end;
        assert!(slice(&c.range).starts_with("{{"));
        if c.terminated {
            assert!(slice(&c.range).ends_with("}}"));
        }
        if c.escaped {
            assert_eq!(text.as_bytes()[c.range.start - 1], b'\\');
        }
        assert!(c.range.start <= c.name.start && c.name.end <= c.range.end);
        assert!(slice(&c.name).starts_with("cavra"));
        for a in &c.args {
            assert!(c.name.end <= a.start && a.end <= c.range.end);
            assert!(!slice(a).is_empty());
        }
        if let Err(e) = directive::parse(text, &c, canon) {
            assert!(c.range.start <= e.range.start && e.range.end <= c.range.end);
            slice(&e.range);
        }
    }
}

/// Same as `fuzz/fuzz_targets/check_markdown.rs`.
fn check_markdown_target(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let canon = canon::canon();

    let facts = check::check_page("page.md", text, canon, &config::Levels::default());
    let findings = check::finish_book(vec![facts], canon, "src");
    for f in &findings {
        assert!(f.line >= 1 && f.column >= 1, "{f:?}");
        assert!(
            f.span.start <= f.span.end && f.span.end <= f.snippet.len(),
            "{f:?}"
        );
    }
    let summary = Summary::of(&findings, 1);
    for format in [Format::Human, Format::Json, Format::Github, Format::Sarif] {
        report::render(format, &findings, summary);
    }

    let page = markdown::Page::parse(text);
    let out = preprocessor::expand(&page, canon);
    if !text.contains("{{") {
        assert_eq!(out, text, "text without `{{{{` changed by expand");
    }
    if page.directives.is_empty() {
        assert_eq!(out, text, "text without directives changed by expand");
    }
}

/// Same as `fuzz/fuzz_targets/preprocessor_stdin.rs`, plus: what is not
/// JSON at all is an error.
fn preprocessor_stdin_target(data: &[u8]) {
    let parsed = preprocessor::parse_input(data);
    if serde_json::from_slice::<serde_json::Value>(data).is_err() {
        assert!(
            parsed.is_err(),
            "parse_input accepted input that is not JSON"
        );
    }
    let Ok((mut ctx, book)) = parsed else {
        return;
    };
    // Keep the orphan-page walk off the real file system.
    ctx.root = PathBuf::from("/nonexistent/mdbook-cavra-fuzz");
    if ctx.config.book.src.has_root() {
        ctx.config.book.src = PathBuf::from("src");
    }
    let _ = CavraPreprocessor.run(&ctx, book);
}

/// Every regression input and every seed, in a stable order.
fn inputs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("tests/fixtures/fuzz")];
    if let Ok(seeds) = fs::read_dir(root.join("fuzz/seeds")) {
        dirs.extend(seeds.flatten().map(|e| e.path()));
    }
    let mut files: Vec<PathBuf> = dirs
        .iter()
        .filter_map(|d| fs::read_dir(d).ok())
        .flat_map(|entries| entries.flatten().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Run `target` on every input; report every one that panics, not just the first.
fn replay(target: fn(&[u8])) {
    let files = inputs();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    assert!(
        files.iter().any(|p| p.starts_with(&fixtures)),
        "no regression inputs found in {}",
        fixtures.display()
    );
    let mut failed = Vec::new();
    for path in &files {
        let data = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if panic::catch_unwind(AssertUnwindSafe(|| target(&data))).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(failed.is_empty(), "panicked on {failed:#?}");
}

#[test]
fn directive_parser_survives_every_input() {
    replay(directive_target);
}

#[test]
fn checker_and_expand_survive_every_input() {
    replay(check_markdown_target);
}

#[test]
fn preprocessor_stdin_survives_every_input() {
    replay(preprocessor_stdin_target);
}

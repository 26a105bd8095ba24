//! The invariants the fuzz targets (`fuzz/`) and their regression test
//! (`tests/fuzz_regressions.rs`) check, written once: both include this
//! file with `#[path]`, so it ships in neither the library nor the binary.
//! Each function panics when an invariant breaks.

#![allow(dead_code, reason = "each fuzz target uses one of these")]

use std::ops::Range;
use std::path::PathBuf;

use mdbook_preprocessor::Preprocessor;

use mdbook_cavra::preprocessor::{self, CavraPreprocessor};
use mdbook_cavra::report::{self, Format, Paths};
use mdbook_cavra::session::Session;
use mdbook_cavra::{canon, directive, expand, markdown};

/// `directive::scan` + `directive::parse` on arbitrary text. Besides "never
/// panics": candidate ranges lie inside the text, come in order without
/// overlapping, and error ranges can be sliced.
pub fn directive_target(data: &[u8]) {
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

/// The checker and the expansion on arbitrary bytes read as Markdown: located
/// findings point into the page, every report format renders, and `expand`
/// returns a page without directives byte for byte.
pub fn check_markdown_target(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let canon = canon::canon();

    let findings = Session::detached().check_text("page.md", text);
    for f in &findings {
        assert!(f.at.line >= 1 && f.at.column >= 1, "{f:?}");
        assert!(
            f.at.span.start <= f.at.span.end && f.at.span.end <= f.at.snippet.len(),
            "{f:?}"
        );
    }
    for format in [Format::Human, Format::Json, Format::Github, Format::Sarif] {
        report::render(format, &findings, 1, &Paths::default());
    }

    let page = markdown::Page::parse(text);
    let out = expand::expand(&page, canon);
    if !text.contains("{{") {
        assert_eq!(out, text, "text without `{{{{` changed by expand");
    }
    if page.directives.is_empty() {
        assert_eq!(out, text, "text without directives changed by expand");
    }
}

/// The preprocessor's standard input: `parse_input`, then `run` on what it
/// accepts; neither may panic, and what is not
/// JSON at all is an error.
pub fn preprocessor_stdin_target(data: &[u8]) {
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

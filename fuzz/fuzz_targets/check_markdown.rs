//! The checker and the expansion on arbitrary bytes read as Markdown.
//!
//! Invariants: nothing panics; located findings point into the page; every
//! report format renders; `expand` returns a page without directives (in
//! particular one without `{{`) byte for byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mdbook_cavra::report::{self, Format, Summary};
use mdbook_cavra::{canon, check, config, markdown, preprocessor};

fuzz_target!(|data: &[u8]| {
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
});

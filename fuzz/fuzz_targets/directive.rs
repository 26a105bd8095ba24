//! `directive::scan` + `directive::parse` on arbitrary text.
//!
//! Besides "never panics", checks what `preprocessor::expand` relies on: every
//! candidate's ranges lie inside the text on character boundaries, candidates
//! come in order without overlapping, and error ranges can be sliced.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mdbook_cavra::{canon, directive};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let canon = canon::canon();
    let mut prev_end = 0;
    for c in directive::scan(text) {
        let slice = |r: &std::ops::Range<usize>| {
            assert!(
                r.start <= r.end && r.end <= text.len(),
                "{r:?} outside text"
            );
            &text[r.clone()]
        };
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
});

//! The checker and the expansion on arbitrary bytes read as Markdown.
//!
//! Invariants: nothing panics; located findings point into the page; every
//! report format renders; `expand` returns a page without directives (in
//! particular one without `{{`) byte for byte.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The invariants live in the library, shared with tests/fuzz_regressions.rs.
fuzz_target!(|data: &[u8]| mdbook_cavra::fuzzing::check_markdown_target(data));

//! The checker and the expansion on arbitrary bytes read as Markdown.
//!
//! Invariants: nothing panics; located findings point into the page; every
//! report format renders; `expand` returns a page without directives (in
//! particular one without `{{`) byte for byte.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The invariants are written once, shared with tests/fuzz_regressions.rs.
#[path = "../../tests/support/fuzz_invariants.rs"]
mod fuzz_invariants;

fuzz_target!(|data: &[u8]| fuzz_invariants::check_markdown_target(data));

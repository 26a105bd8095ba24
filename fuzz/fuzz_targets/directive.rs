//! `directive::scan` + `directive::parse` on arbitrary text.
//!
//! Besides "never panics", checks what `preprocessor::expand` relies on: every
//! candidate's ranges lie inside the text on character boundaries, candidates
//! come in order without overlapping, and error ranges can be sliced.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The invariants live in the library, shared with tests/fuzz_regressions.rs.
fuzz_target!(|data: &[u8]| mdbook_cavra::fuzzing::directive_target(data));

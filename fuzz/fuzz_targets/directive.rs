//! `directive::scan` + `directive::parse` on arbitrary text.
//!
//! Besides "never panics", checks what `preprocessor::expand` relies on: every
//! candidate's ranges lie inside the text on character boundaries, candidates
//! come in order without overlapping, and error ranges can be sliced.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The invariants are written once, shared with tests/fuzz_regressions.rs.
#[path = "../../tests/support/fuzz_invariants.rs"]
mod fuzz_invariants;

fuzz_target!(|data: &[u8]| fuzz_invariants::directive_target(data));

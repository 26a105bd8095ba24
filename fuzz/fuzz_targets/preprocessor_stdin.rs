//! The preprocessor's standard input: `parse_input`, then `run` on what it
//! accepts. Neither may panic; errors are fine.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The invariants live in the library, shared with tests/fuzz_regressions.rs.
fuzz_target!(|data: &[u8]| mdbook_cavra::fuzzing::preprocessor_stdin_target(data));

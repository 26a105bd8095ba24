//! The preprocessor's standard input: `parse_input`, then `run` on what it
//! accepts. Neither may panic; errors are fine.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The invariants are written once, shared with tests/fuzz_regressions.rs.
#[path = "../../tests/support/fuzz_invariants.rs"]
mod fuzz_invariants;

fuzz_target!(|data: &[u8]| fuzz_invariants::preprocessor_stdin_target(data));

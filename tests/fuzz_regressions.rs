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
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

#[path = "support/fuzz_invariants.rs"]
mod fuzz_invariants;

use fuzz_invariants::{check_markdown_target, directive_target, preprocessor_stdin_target};

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

//! The preprocessor's standard input: `parse_input`, then `run` on what it
//! accepts. Neither may panic; errors are fine.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use mdbook_cavra::preprocessor::{self, CavraPreprocessor};
use mdbook_preprocessor::Preprocessor;

fuzz_target!(|data: &[u8]| {
    let Ok((mut ctx, book)) = preprocessor::parse_input(data) else {
        return;
    };
    // The orphan-page rule walks `root/src`; keep a fuzzed root (say `/`) from
    // walking the whole file system. A missing root gives the walk nothing.
    ctx.root = PathBuf::from("/nonexistent/mdbook-cavra-fuzz");
    if ctx.config.book.src.has_root() {
        ctx.config.book.src = PathBuf::from("src");
    }
    let _ = CavraPreprocessor.run(&ctx, book);
});

//! `mdbook-cavra build`: build a book in-process with mdbook-driver (HTML
//! renderer, search included as `mdbook build` has it), with this
//! preprocessor registered before mdBook's `links`.

use std::path::{Path, PathBuf};

use mdbook_driver::MDBook;

use crate::error::Error;
use crate::preprocessor::{CavraPreprocessor, NAME};
use crate::report;
use crate::session::{Book, Session, Source};

/// Build the book at `root` into `dest` (default: the book's build-dir).
pub fn build(root: &Path, dest: Option<&Path>) -> Result<PathBuf, Error> {
    // The same configuration, with the same errors, as every other front.
    let mut config = Book::load(root)?.config;
    // mdbook-driver puts a preprocessor registered in code after all the
    // configured ones, unless book.toml names it; naming it here (with
    // `before = ["links"]`) keeps the order right either way. The in-process
    // preprocessor then replaces the command one in place.
    let key = format!("preprocessor.{NAME}");
    if !config.contains_key(&key) {
        config
            .set(format!("{key}.before"), vec!["links"])
            .map_err(|e| Error::input(format!("{e:#}")))?;
    }
    // A missing chapter is the checker's finding; the build never creates files.
    config.build.create_missing = false;
    if let Some(dest) = dest {
        config.build.build_dir = dest.to_path_buf();
    }
    let mut book = match MDBook::load_with_config(root, config) {
        Ok(book) => book,
        Err(e) => {
            // mdBook stops at the first chapter it cannot read; the checker
            // says what is wrong with every page, as `check` would.
            let outcome = Session::load(root)?.run(Source::Disk)?;
            if outcome.errors() > 0 {
                report::to_stderr(&outcome.findings, outcome.files);
                return Err(Error::Findings {
                    errors: outcome.errors(),
                });
            }
            return Err(Error::input(format!(
                "cannot load the book at {}: {e:#}",
                root.display()
            )));
        }
    };
    book.with_preprocessor(CavraPreprocessor);
    book.build().map_err(from_driver)?;
    Ok(book.build_dir_for("html"))
}

/// An error from mdBook's driver: ours when the preprocessor failed (denied
/// findings keep exit code 1), otherwise mdBook's own message.
fn from_driver(e: anyhow::Error) -> Error {
    match e.chain().find_map(|c| c.downcast_ref::<Error>()) {
        Some(Error::Findings { errors }) => Error::Findings { errors: *errors },
        _ => Error::input(format!("{e:#}")),
    }
}

//! `mdbook-cavra build`: build a book in-process with mdbook-driver (HTML
//! renderer, search included as `mdbook build` has it), with this
//! preprocessor registered before mdBook's `links`.

use std::path::{Path, PathBuf};

use mdbook_driver::MDBook;

use crate::error::Error;
use crate::paths;
use crate::preprocessor::{CavraPreprocessor, NAME};
use crate::report;
use crate::session::{Book, Session, Source};

/// The file that marks a folder as written by `build`: only such a folder
/// (or an empty one) is ever emptied and rewritten.
pub const MARKER: &str = ".mdbook-cavra-build";

/// Build the book at `root` into `dest` (default: the book's build-dir).
/// A relative `dest` is taken from the current folder, as `mdbook build
/// --dest-dir` takes it.
pub fn build(root: &Path, dest: Option<&Path>) -> Result<PathBuf, Error> {
    // The same configuration, with the same errors, as every other front.
    let loaded = Book::load(root)?;
    let mut config = loaded.config.clone();
    let dest = match dest {
        Some(d) if d.is_relative() => std::env::current_dir()?.join(d),
        Some(d) => d.to_path_buf(),
        None => root.join(&config.build.build_dir),
    };
    check_destination(&loaded, &dest)?;
    announce_commands(&config);
    // mdbook-driver puts a preprocessor registered in code after all the
    // configured ones, unless book.toml names it; naming it here (with
    // `before = ["links"]`) keeps the order right either way. The in-process
    // preprocessor then replaces the command one in place.
    let key = format!("preprocessor.{NAME}");
    if !config.contains_key(&key) {
        config
            .set(format!("{key}.before"), vec!["links"])
            .and_then(|()| {
                config.set(
                    format!("{key}.{}", crate::config::IN_PROCESS_DEFAULTS),
                    true,
                )
            })
            .map_err(|e| Error::input(format!("{e:#}")))?;
    }
    // A missing chapter is the checker's finding; the build never creates files.
    config.build.create_missing = false;
    config.build.build_dir = dest.clone();
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
    std::fs::write(
        dest.join(MARKER),
        "Written by `mdbook-cavra build`; it may empty and rewrite this folder.\n",
    )?;
    // `./target/book`, not `././target/book`.
    Ok(book.build_dir_for("html").components().collect())
}

/// mdBook's renderer empties its destination. Refuse one that is the book,
/// holds it, lies in its sources, or holds files that no earlier build wrote.
fn check_destination(book: &Book, dest: &Path) -> Result<(), Error> {
    let dest = paths::resolve(dest);
    let root = paths::resolve(&book.root);
    let src = paths::resolve(&book.src);
    let refuse = |why: &str| {
        Err(Error::input_with_help(
            format!("refusing to build into {}: {why}", dest.display()),
            "pass `--dest-dir` a folder of its own, such as `target/book`; mdBook empties it before writing",
        ))
    };
    if root.starts_with(&dest) {
        return refuse("it is the book's folder or holds it, and would be emptied");
    }
    if dest.starts_with(&src) {
        return refuse("it is inside the book's source folder");
    }
    let has_files = std::fs::read_dir(&dest).is_ok_and(|mut d| d.next().is_some());
    // Our marker, or mdBook's own `.nojekyll`: an earlier HTML build.
    let earlier_build = dest.join(MARKER).is_file() || dest.join(".nojekyll").is_file();
    if has_files && !earlier_build {
        return refuse(
            "it holds files that no earlier build wrote (no .mdbook-cavra-build or .nojekyll in it)",
        );
    }
    Ok(())
}

/// Say which programs `book.toml` makes the build run: mdBook runs every
/// `[preprocessor.NAME]` and `[output.NAME]` as a command (`command = …`, or
/// `mdbook-NAME`), except its own built-in ones and this one.
fn announce_commands(config: &mdbook_core::config::Config) {
    let preprocessors = config.preprocessors::<toml::Value>().unwrap_or_default();
    let outputs = config.outputs::<toml::Value>().unwrap_or_default();
    for (table, builtin, entries) in [
        ("preprocessor", &["links", "index", NAME][..], preprocessors),
        ("output", &["html", "markdown"][..], outputs),
    ] {
        for (name, value) in entries {
            if builtin.contains(&name.as_str()) {
                continue;
            }
            let command = value
                .get("command")
                .and_then(|c| c.as_str())
                .map_or_else(|| format!("mdbook-{name}"), str::to_string);
            eprintln!("mdbook-cavra: [{table}.{name}] will run `{command}`");
        }
    }
}

/// An error from mdBook's driver: ours when the preprocessor failed (denied
/// findings keep exit code 1), otherwise mdBook's own message.
fn from_driver(e: anyhow::Error) -> Error {
    match e.chain().find_map(|c| c.downcast_ref::<Error>()) {
        Some(Error::Findings { errors }) => Error::Findings { errors: *errors },
        _ => Error::input(format!("{e:#}")),
    }
}

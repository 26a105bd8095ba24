//! `mdbook-cavra build`: build a book in-process with mdbook-driver (HTML
//! renderer, search included as `mdbook build` has it), with this
//! preprocessor registered before mdBook's `links`. mdBook reads a copy of
//! the book and renders into a temporary folder; [`crate::write`] puts the
//! result in the destination.

use std::path::{Path, PathBuf};

use mdbook_driver::MDBook;
use mdbook_driver::builtin_preprocessors::CmdPreprocessor;

use crate::error::Error;
use crate::paths;
use crate::preprocessor::{CavraPreprocessor, NAME};
use crate::report;
use crate::session::{Book, Session, Source};
use crate::write;

/// The file that marks a folder as written by this tool, with the list of
/// what it wrote there (see [`crate::write`]).
pub const MARKER: &str = write::MARKER;

/// Build the book at `root` into `dest` (default: the book's build-dir).
/// A relative `dest` is taken from the current folder, as `mdbook build
/// --dest-dir` takes it.
///
/// mdBook renders a private copy of the book (see [`write::Stage`]) into a
/// temporary folder, which then goes into `dest` through
/// [`write::Destination`]: mdBook never empties or writes `dest` itself.
pub fn build(root: &Path, dest: Option<&Path>) -> Result<PathBuf, Error> {
    // The same configuration, with the same errors, as every other front.
    let loaded = Book::load(root)?;
    let mut config = loaded.config.clone();
    let build_dir = root.join(&config.build.build_dir);
    let dest = match dest {
        Some(d) if d.is_relative() => std::env::current_dir()?.join(d),
        Some(d) => d.to_path_buf(),
        None => build_dir.clone(),
    };
    check_destination(&loaded, &dest)?;
    let destination = write::Destination::open(&dest, root, Some(&build_dir), "build into")?;
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
    let stage = match loaded.chapters() {
        Ok(chapters) => write::Stage::new(root, &config, &chapters),
        Err(e) => Err(e),
    };
    let loaded_book = stage.and_then(|stage| {
        config.build.build_dir = stage.out.clone();
        MDBook::load_with_config(stage.root(), config)
            .map(|book| (stage, book))
            .map_err(|e| Error::input(format!("{e:#}")))
    });
    let (stage, mut book) = match loaded_book {
        Ok(loaded) => loaded,
        Err(e) => {
            // mdBook stops at the first chapter it cannot read; the checker
            // says what is wrong with every page, as `check` would.
            let outcome = Session::load(root)?.run(Source::Disk)?;
            if outcome.errors() > 0 {
                report::to_stderr(&outcome.findings, outcome.files)?;
                return Err(Error::Findings {
                    errors: outcome.errors(),
                });
            }
            return Err(Error::input(format!(
                "cannot load the book at {}: {e}",
                root.display()
            )));
        }
    };
    book.with_preprocessor(write::Bounded::new(
        CavraPreprocessor,
        root,
        &stage,
        &loaded.config.book.src,
    ));
    run_commands_from(&mut book, root);
    book.build().map_err(from_driver)?;
    let html = book.build_dir_for("html");
    let under = html
        .strip_prefix(&stage.out)
        .unwrap_or(Path::new(""))
        .to_path_buf();
    destination.install(&stage.out)?;
    // `./target/book`, not `././target/book`.
    Ok(dest.join(under).components().collect())
}

/// Refuse a destination that is the book, holds it, or lies in its
/// sources; [`write::Destination`] refuses the rest.
fn check_destination(book: &Book, dest: &Path) -> Result<(), Error> {
    let dest = paths::resolve(dest);
    let root = paths::resolve(&book.root);
    let src = paths::resolve(&book.src);
    let refuse = |why: &str| {
        Err(Error::input_with_help(
            format!("refusing to build into {}: {why}", dest.display()),
            "pass `--dest-dir` a folder of its own, such as `target/book`",
        ))
    };
    if root.starts_with(&dest) {
        return refuse("it is the book's folder or holds it");
    }
    if dest.starts_with(&src) {
        return refuse("it is inside the book's source folder");
    }
    Ok(())
}

/// mdBook runs each `[preprocessor.NAME]` command of `book.toml` in the
/// folder of the book it loaded, which is the staged copy: run them from
/// the book's own folder instead, as `mdbook build` does, so a command that
/// names a script of the book (`sh scripts/x.sh`) finds it.
pub(crate) fn run_commands_from(book: &mut MDBook, root: &Path) {
    let table = book
        .config
        .preprocessors::<toml::Value>()
        .unwrap_or_default();
    for (name, value) in table {
        if ["links", "index", NAME].contains(&name.as_str()) {
            continue;
        }
        let command = value
            .get("command")
            .and_then(|c| c.as_str())
            .map_or_else(|| format!("mdbook-{name}"), str::to_string);
        let optional = value
            .get("optional")
            .and_then(toml::Value::as_bool)
            .unwrap_or(false);
        book.with_preprocessor(CmdPreprocessor::new(
            name,
            command,
            root.to_path_buf(),
            optional,
        ));
    }
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

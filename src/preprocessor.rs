//! The mdBook preprocessor: expand directives and run the checks on every
//! chapter, in `mdbook build`, `mdbook serve` and `mdbook-cavra build`.
//!
//! A thin front over [`Session`]: the chapters mdBook hands over are the
//! session's source, and its findings fail the build when one is denied.

use std::collections::HashMap;
use std::io::Read;

use anyhow::{Context, Result, bail};
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use crate::annotate;
use crate::canon::canon;
use crate::check::facts::includes;
use crate::config::OnFinding;
use crate::diagnostic::Finding;
use crate::error::Error;
use crate::paths::normalize_path;
use crate::report;
use crate::secrets;
use crate::session::{self, Outcome, Session, Source};

/// The name mdBook knows this preprocessor by (`[preprocessor.cavra]`).
pub const NAME: &str = "cavra";

/// The mdBook versions whose JSON this preprocessor reads.
pub const SUPPORTED_MDBOOK: &str = ">=0.5.0, <0.6.0";

/// The preprocessor, for mdBook's JSON protocol and for in-process builds.
#[derive(Debug, Default, Clone, Copy)]
pub struct CavraPreprocessor;

impl Preprocessor for CavraPreprocessor {
    fn name(&self) -> &str {
        NAME
    }

    fn run(&self, ctx: &PreprocessorContext, book: Book) -> Result<Book> {
        let session = Session::new(session::Book::from_config(&ctx.root, ctx.config.clone())?);
        let mode = match session.book.settings.on_finding {
            OnFinding::Fail => Mode::Fail,
            OnFinding::Show => match serving(ctx) {
                Ok(()) => Mode::Show(annotate::Context::Serve),
                Err(why) => {
                    eprintln!(
                        "mdbook-cavra: note: `on-finding = \"show\"` is ignored here: {why}; denied findings fail this build"
                    );
                    Mode::Fail
                }
            },
        };
        let result = run_session(&session, book, mode);
        if result.is_err() && mode == Mode::Fail && serving(ctx).is_ok() {
            // `mdbook serve` stops at the first build that fails: say how
            // to keep writing with the findings in view instead.
            eprintln!(
                "mdbook-cavra: help: to serve the book anyway, with each finding shown in its page, set `on-finding = \"show\"` under [preprocessor.cavra] in book.toml, or run `MDBOOK_PREPROCESSOR__CAVRA__ON_FINDING=show mdbook serve`; `mdbook build` still fails on them"
            );
        }
        result
    }

    fn supports_renderer(&self, _renderer: &str) -> Result<bool> {
        // Output is plain Markdown, which every renderer reads.
        Ok(true)
    }
}

/// What the preprocessor does with findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Report them on stderr; fail when one is denied.
    Fail,
    /// Report them on stderr and show them in the pages (see [`annotate`]);
    /// never fail for findings.
    Show(annotate::Context),
}

/// Expand, check, report, and fail or show as `mode` says.
pub fn run_session(session: &Session, book: Book, mode: Mode) -> Result<Book> {
    let (book, outcome) = process_with(session, book, mode)?;
    report::to_stderr(&outcome.findings, outcome.files).map_err(Error::Output)?;
    let errors = outcome.errors();
    if errors > 0 && mode == Mode::Fail {
        return Err(Error::Findings { errors }.into());
    }
    Ok(book)
}

/// Whether this run is `mdbook serve`, the only mdBook command whose
/// output may carry findings in the page. `mdbook serve` sets
/// `output.html.live-reload-endpoint` in the configuration it hands to
/// preprocessors (it is what makes its pages reload), and `mdbook build`
/// and `mdbook watch` never do. So that the signal really comes from the
/// server and not from a file a publishing build reads too, the book's own
/// configuration (`book.toml` and `MDBOOK_` overrides, read again here)
/// must not set it. Any doubt is a no: the build then fails as usual.
pub fn serving(ctx: &PreprocessorContext) -> Result<(), String> {
    const ENDPOINT: &str = "output.html.live-reload-endpoint";
    if ctx.renderer != "html" {
        return Err(format!(
            "findings are shown only in mdBook's HTML pages, and this is the `{}` renderer",
            ctx.renderer
        ));
    }
    let live = |c: &mdbook_core::config::Config| {
        c.get::<serde_json::Value>(ENDPOINT)
            .ok()
            .flatten()
            .is_some()
    };
    if !live(&ctx.config) {
        return Err("this is not `mdbook serve` (it applies only there)".to_string());
    }
    match session::Book::load(&ctx.root) {
        Ok(own) if !live(&own.config) => Ok(()),
        Ok(_) => Err(format!(
            "book.toml (or an MDBOOK_ override) sets `{ENDPOINT}` itself, so this may not be `mdbook serve`"
        )),
        Err(e) => Err(format!(
            "book.toml cannot be read again to confirm `mdbook serve`: {e}"
        )),
    }
}

/// Expand and check a book as mdBook hands it over; the findings come back
/// for the caller to report.
pub fn process(ctx: &PreprocessorContext, book: Book) -> Result<(Book, Outcome), Error> {
    let session = Session::new(session::Book::from_config(&ctx.root, ctx.config.clone())?);
    process_with(&session, book, Mode::Fail)
}

/// [`process`] with a session already loaded; in [`Mode::Show`], each
/// chapter also gets its findings in place.
pub fn process_with(
    session: &Session,
    mut book: Book,
    mode: Mode,
) -> Result<(Book, Outcome), Error> {
    let mut chapters: HashMap<String, String> = HashMap::new();
    book.for_each_chapter_mut(|ch| {
        if let Some(path) = &ch.source_path {
            chapters.insert(normalize_path(path), std::mem::take(&mut ch.content));
        }
    });
    let mut outcome = session.run(Source::Chapters(&chapters))?;
    let mut expanded = std::mem::take(&mut outcome.expanded);
    let shown = match mode {
        Mode::Show(context) => Some((context, annotate::BookTotals::of(&outcome.findings))),
        Mode::Fail => None,
    };
    // Findings on files that are not chapters (SUMMARY.md, orphan pages)
    // are shown on the first chapter, so none goes unseen.
    // Reports show paths with their secrets masked; so are these.
    let chapter_paths: std::collections::HashSet<String> = chapters
        .keys()
        .map(|rel| secrets::redact(&session.book.display_path(rel)).into_owned())
        .collect();
    let mut first = true;
    book.for_each_chapter_mut(|ch| {
        if let Some(path) = &ch.source_path {
            let rel = normalize_path(path);
            let source = chapters.remove(&rel);
            // A chapter the session did not read (outside the book), or
            // with nothing to expand, goes back as it came.
            let text = expanded.remove(&rel);
            ch.content = match (shown, source) {
                (Some((context, totals)), Some(source)) => {
                    let shown_path = secrets::redact(&session.book.display_path(&rel)).into_owned();
                    let here: Vec<&Finding> = outcome
                        .findings
                        .iter()
                        .filter(|f| f.at.path == shown_path)
                        .collect();
                    let others: Vec<&Finding> = match first {
                        true => outcome
                            .findings
                            .iter()
                            .filter(|f| !chapter_paths.contains(&f.at.path))
                            .collect(),
                        false => Vec::new(),
                    };
                    first = false;
                    let page = annotate::Findings {
                        here: &here,
                        others: &others,
                        book: totals,
                    };
                    let text = text.as_deref().unwrap_or(&source);
                    annotate::annotate(&source, text, &page, context, canon())
                }
                (_, source) => text.or(source).unwrap_or_default(),
            };
            if shown.is_some() {
                mask_chapter(session, &rel, ch);
            }
        }
    });
    Ok((book, outcome))
}

/// A chapter whose findings are shown holds no secret: what `{{#include}}`
/// would paste in is pasted here, masked (mdBook's `links` runs after this
/// preprocessor and would paste it raw), then every secret in the text, the
/// title and the file name is masked. So a preview or `mdbook serve` never
/// renders one, whatever the level of `forbidden-material`.
fn mask_chapter(session: &Session, rel: &str, ch: &mut mdbook_preprocessor::book::Chapter) {
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let content = with_includes_masked(session, dir, &ch.content, 0);
    ch.content = match secrets::redact(&content) {
        std::borrow::Cow::Owned(masked) => masked,
        std::borrow::Cow::Borrowed(_) => content,
    };
    if let std::borrow::Cow::Owned(name) = secrets::redact(&ch.name) {
        ch.name = name;
    }
    for path in [&mut ch.path, &mut ch.source_path].into_iter().flatten() {
        let text = path.to_string_lossy().into_owned();
        if let std::borrow::Cow::Owned(masked) = secrets::redact_path(&text) {
            *path = masked.into();
        }
    }
}

/// `text` with each `{{#include}}` of a file inside the book replaced by the
/// part it takes, masked, its own inclusions done the same way (to a depth
/// of 8, past which mdBook's `links` stops too).
fn with_includes_masked(session: &Session, dir: &str, text: &str, depth: usize) -> String {
    let found = includes::find(text);
    if found.is_empty() || depth >= 8 {
        return text.to_string();
    }
    let root = std::fs::canonicalize(&session.book.root).ok();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for inc in found.iter().filter(|i| i.kind == "include") {
        let rel = normalize_path(std::path::Path::new(&format!("{dir}/{}", inc.file)));
        let file = session.book.src.join(&rel);
        let inside = !inc.file.starts_with('/')
            && root
                .as_ref()
                .is_some_and(|r| std::fs::canonicalize(&file).is_ok_and(|c| c.starts_with(r)));
        if !inside {
            continue;
        }
        let Ok(body) = session::layout::read_page(&file, session.book.settings.max_page_size)
        else {
            continue;
        };
        let inner_dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        let part = with_includes_masked(session, inner_dir, &inc.select(&body), depth + 1);
        out.push_str(&text[at..inc.range.start]);
        out.push_str(&secrets::redact(&part));
        at = inc.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Read mdBook's JSON from `input`, checking the mdBook version before the
/// book itself so that a 0.4 book gets a clear message.
pub fn parse_input(mut input: impl Read) -> Result<(PreprocessorContext, Book)> {
    let mut text = String::new();
    input
        .read_to_string(&mut text)
        .context("could not read mdBook's JSON from standard input")?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "standard input is not mdBook's preprocessor JSON: {e}\n  = help: mdbook runs this command itself during `mdbook build`; to check a book, run `mdbook-cavra check BOOK_ROOT`"
        )
    })?;
    drop(text);
    let Some([ctx, book]) = value.as_array().map(Vec::as_slice) else {
        bail!("standard input is not mdBook's preprocessor JSON: expected a [context, book] array");
    };
    let version = ctx
        .get("mdbook_version")
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("mdBook's JSON has no `mdbook_version`; mdbook-cavra needs mdBook {SUPPORTED_MDBOOK}"))?;
    check_version(&version, book)?;
    let parsed: (PreprocessorContext, Book) = serde_json::from_value(value)
        .with_context(|| format!("mdBook {version} sent a book that mdbook-cavra cannot read"))?;
    Ok(parsed)
}

/// Accept mdBook 0.5.x; name both versions otherwise.
pub fn check_version(version: &str, book: &serde_json::Value) -> Result<()> {
    let req = semver::VersionReq::parse(SUPPORTED_MDBOOK).expect("valid requirement");
    let found = semver::Version::parse(version).with_context(|| {
        format!("mdBook reported version `{version}`, which is not a version number")
    })?;
    if !req.matches(&found) {
        let shape = if book.get("sections").is_some() {
            " (its JSON has `sections`, the mdBook 0.4 format)"
        } else {
            ""
        };
        bail!(
            "mdbook-cavra needs mdBook 0.5 (>=0.5.0, <0.6.0), but this book is built by mdBook {version}{shape}\n  = help: install mdBook 0.5 with `cargo install mdbook --version ^0.5 --locked`, or build with `mdbook-cavra build`"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_check_names_both_versions() {
        let book = serde_json::json!({"sections": []});
        let e = check_version("0.4.40", &book).unwrap_err().to_string();
        assert!(
            e.contains("0.4.40") && e.contains("mdBook 0.5") && e.contains("sections"),
            "{e}"
        );
        assert!(check_version("0.5.2", &serde_json::json!({"items": []})).is_ok());
    }
}

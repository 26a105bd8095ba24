//! Checking a whole book from disk: `mdbook-cavra check`.
//!
//! The source folder comes from `book.toml`; every `.md` file under it is
//! read, checked and dropped in parallel (rayon), so memory stays flat
//! however large the book is. Files that cannot be checked are findings, not
//! silent skips, and the result is sorted, so it is the same on any number
//! of threads.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use mdbook_core::config::Config;
use rayon::prelude::*;

use crate::canon::canon;
use crate::check::{self, Finding, Level, PageFacts, Rule};
use crate::config::Levels;

/// Why a book could not be checked at all (exit code 2).
#[derive(Debug)]
pub struct BookError(pub String);

impl std::fmt::Display for BookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BookError {}

/// A loaded book: where it is and how it is configured.
pub struct Book {
    pub root: PathBuf,
    pub src: PathBuf,
    /// The source folder as written in book.toml (`book`), for paths in reports.
    pub src_rel: String,
    pub config: Config,
    pub levels: Levels,
}

impl Book {
    /// Read `book.toml` (with environment overrides) and find the sources.
    pub fn load(root: &Path) -> Result<Book, BookError> {
        let toml = root.join("book.toml");
        let text = std::fs::read_to_string(&toml).map_err(|e| {
            BookError(format!(
                "cannot read {}: {e}\n  = help: run mdbook-cavra in a book's root folder (the one with book.toml), or pass its path",
                toml.display()
            ))
        })?;
        let mut config = Config::from_str(&text).map_err(|e| {
            BookError(format!(
                "{} is not a valid book.toml: {e:#}",
                toml.display()
            ))
        })?;
        config
            .update_from_env()
            .map_err(|e| BookError(format!("invalid MDBOOK_ environment override: {e:#}")))?;
        let levels = Levels::from_config(&config)
            .map_err(|e| BookError(format!("{}: {e}", toml.display())))?;
        let src_rel = check::normalize_path(&config.book.src);
        let src = root.join(&config.book.src);
        if !src.is_dir() {
            return Err(BookError(format!(
                "the source folder {} named by {} does not exist",
                src.display(),
                toml.display()
            )));
        }
        Ok(Book {
            root: root.to_path_buf(),
            src,
            src_rel,
            config,
            levels,
        })
    }

    /// The pages `SUMMARY.md` reaches, relative to the source folder.
    pub fn reachable(&self) -> Result<BTreeSet<String>, BookError> {
        let path = self.src.join("SUMMARY.md");
        let text = std::fs::read_to_string(&path).map_err(|e| {
            BookError(format!(
                "cannot read {}: {e}\n  = help: every mdBook needs a SUMMARY.md in its source folder",
                path.display()
            ))
        })?;
        let summary = mdbook_summary::parse_summary(&text)
            .map_err(|e| BookError(format!("{} cannot be parsed: {e:#}", path.display())))?;
        let mut out = BTreeSet::new();
        fn walk(items: &[mdbook_summary::SummaryItem], out: &mut BTreeSet<String>) {
            for item in items {
                if let mdbook_summary::SummaryItem::Link(link) = item {
                    if let Some(loc) = &link.location {
                        out.insert(check::normalize_path(loc));
                    }
                    walk(&link.nested_items, out);
                }
            }
        }
        walk(&summary.prefix_chapters, &mut out);
        walk(&summary.numbered_chapters, &mut out);
        walk(&summary.suffix_chapters, &mut out);
        Ok(out)
    }
}

/// What `check` produced.
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub files: usize,
}

/// One entry of the walk: a page to read, or a problem to report.
enum Entry {
    Page(PathBuf, String),
    Problem(String, String),
}

/// Check every page of the book at `root`.
pub fn check_book(root: &Path) -> Result<Outcome, BookError> {
    let book = Book::load(root)?;
    let reachable = book.reachable()?;
    let entries = walk(&book.src);
    let levels = &book.levels;
    let files = entries.len();
    let facts: Vec<PageFacts> = entries
        .into_par_iter()
        .map(|entry| match entry {
            Entry::Page(path, rel) => check_file(&path, &rel, &reachable, levels),
            Entry::Problem(rel, why) => problem(&rel, why, levels),
        })
        .collect();
    let findings = check::finish_book(facts, canon(), &book.src_rel);
    Ok(Outcome { findings, files })
}

/// Every `.md` file under `src` (following links, reporting loops), sorted.
fn walk(src: &Path) -> Vec<Entry> {
    let mut out = Vec::new();
    let it = walkdir::WalkDir::new(src)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in it {
        match entry {
            Ok(e) => {
                if e.file_type().is_file() && is_markdown(e.path()) {
                    let rel = rel_path(src, e.path());
                    out.push(Entry::Page(e.path().to_path_buf(), rel));
                }
            }
            Err(err) => {
                let rel = err
                    .path()
                    .map_or_else(|| "?".to_string(), |p| rel_path(src, p));
                let why = if let Some(ancestor) = err.loop_ancestor() {
                    format!("symbolic link loop back to {}", rel_path(src, ancestor))
                } else {
                    match err.io_error() {
                        Some(io) => format!("cannot read: {io}"),
                        None => err.to_string(),
                    }
                };
                out.push(Entry::Problem(rel, why));
            }
        }
    }
    out
}

/// Whether a path names a Markdown page (`.md`, any case).
pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("md"))
}

fn rel_path(src: &Path, p: &Path) -> String {
    check::normalize_path(p.strip_prefix(src).unwrap_or(p))
}

fn problem(rel: &str, why: String, levels: &Levels) -> PageFacts {
    problem_at(rel, why, 1, levels)
}

fn problem_at(rel: &str, why: String, line: usize, levels: &Levels) -> PageFacts {
    let mut facts = PageFacts {
        path: rel.to_string(),
        ..PageFacts::default()
    };
    if levels.get(Rule::UnreadablePage) != Level::Allow {
        facts.findings.push(Finding {
            rule: Rule::UnreadablePage,
            severity: levels.severity(Rule::UnreadablePage),
            path: rel.to_string(),
            line,
            column: 1,
            message: format!("{rel}: {why}"),
            help: Some(Rule::UnreadablePage.doc().fix.to_string()),
            snippet: String::new(),
            span: 0..0,
        });
    }
    facts
}

fn check_file(path: &Path, rel: &str, reachable: &BTreeSet<String>, levels: &Levels) -> PageFacts {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return problem(rel, format!("cannot read: {e}"), levels),
    };
    if let Some(at) = memchr_nul(&bytes) {
        return problem(
            rel,
            format!("binary file (NUL byte at offset {at}), not Markdown"),
            levels,
        );
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            return problem_at(
                rel,
                format!(
                    "not valid UTF-8 (first bad byte at offset {})",
                    e.valid_up_to()
                ),
                line,
                levels,
            );
        }
    };
    let mut facts = check::check_page(rel, text, canon(), levels);
    if rel != "SUMMARY.md"
        && !reachable.contains(rel)
        && levels.get(Rule::OrphanPage) != Level::Allow
    {
        let first = text.lines().next().unwrap_or("");
        facts
            .findings
            .push(check::orphan_page::finding(rel, first, levels));
    }
    facts
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, bytes)
}

//! A session: the page pass and the book pass over one book, the same for
//! every front.
//!
//! The pages are found on disk by [`layout::discover`]. Their text comes
//! from a [`Source`]: the files themselves (`check`, `preview`), or the
//! chapters mdBook hands the preprocessor (`mdbook build`, `mdbook serve`,
//! `mdbook-cavra build`), with the other pages (`SUMMARY.md`, orphans) read
//! from disk. So the same book gives the same findings, severities and
//! file count through every front.
//!
//! The page pass runs in parallel, one parse per page: facts, page rules,
//! suppressions, and (for mdBook's chapters) the directive expansion. Each
//! page then leaves a small [`PageRecord`]; the book pass runs the book
//! rules over those records, applies the suppressions to their findings,
//! and runs the rules that need every finding settled.

pub mod layout;
mod suppressions;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::canon::canon;
use crate::check::facts::book::{BookFacts, Mention, PageRecord, Problem, Role, SuppressionUse};
use crate::check::facts::{PageFacts, includes};
use crate::check::{self, rules};
use crate::diagnostic::{self, BookOut, Finding, Levels, Located};
use crate::error::Error;
use crate::expand;
use crate::markdown::Page;
use crate::suggest;

pub use layout::{Book, Entry, PageEntry};

/// Where the text of the book's chapters comes from.
pub enum Source<'a> {
    /// Read every page from disk.
    Disk,
    /// mdBook's chapters, by path relative to the source folder; pages
    /// mdBook does not hand over are read from disk. Chapters are expanded.
    Chapters(&'a HashMap<String, String>),
}

/// What a session found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Sorted by path, line and column; one diagnostic per place.
    pub findings: Vec<Finding>,
    /// Pages checked, and files that could not be read as pages.
    pub files: usize,
    /// For [`Source::Chapters`]: the text of each chapter that expansion
    /// changes, with its directives expanded, by path relative to the
    /// source folder. A chapter with nothing to expand is not here: it
    /// stays as it is (and a long one is not copied).
    pub expanded: HashMap<String, String>,
}

impl Outcome {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == diagnostic::Severity::Error)
            .count()
    }
}

/// A file a page includes.
#[derive(Clone)]
struct Included {
    /// Relative to the source folder.
    rel: String,
    /// Relative to the book root.
    path: String,
    /// Where the including page names it.
    from: Located,
}

/// One page's results from the page pass.
struct PagePass {
    record: PageRecord,
    findings: Vec<Finding>,
    expanded: Option<String>,
    includes: Vec<Included>,
}

/// Page-pass results kept between runs of [`Session::run_cached`], by
/// page (its path relative to the source folder).
#[derive(Default)]
pub struct PageCache {
    passes: rustc_hash::FxHashMap<String, Kept>,
}

/// One page's page-pass result, kept. Its record is lent to the book pass,
/// which changes it (an orphan that is included becomes `Included`, an
/// include that cannot be read is added, suppressions are marked used):
/// what it was before is kept to undo that when the record comes back.
struct Kept {
    entry: PageEntry,
    /// `None` while lent (or when a run did not finish).
    record: Option<PageRecord>,
    findings: Vec<Finding>,
    includes: Vec<Included>,
    bad_includes: usize,
    /// Only when the page has suppressions.
    suppressions: Option<Vec<SuppressionUse>>,
}

impl Kept {
    fn new(entry: PageEntry, pass: PagePass) -> Kept {
        Kept {
            entry,
            bad_includes: pass.record.bad_includes.len(),
            suppressions: (!pass.record.suppressions.is_empty())
                .then(|| pass.record.suppressions.clone()),
            record: Some(pass.record),
            findings: pass.findings,
            includes: pass.includes,
        }
    }

    /// Take the record back as the page pass left it.
    fn give_back(&mut self, mut record: PageRecord) {
        record.role = self.entry.role;
        record.bad_includes.truncate(self.bad_includes);
        if let Some(s) = &self.suppressions {
            record.suppressions.clone_from(s);
        }
        self.record = Some(record);
    }
}

impl PageCache {
    /// Drop what is kept for a page (its text changed).
    pub fn forget(&mut self, rel: &str) {
        self.passes.remove(rel);
    }

    /// Drop everything (the book's settings changed).
    pub fn clear(&mut self) {
        self.passes.clear();
    }

    /// How many pages are kept.
    pub fn len(&self) -> usize {
        self.passes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.passes.is_empty()
    }

    /// The pages kept whose own boundaries include `boundary` (by their
    /// path relative to the source folder, sorted).
    pub fn owners(&self, boundary: &str) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .passes
            .values()
            .filter(|k| {
                k.record
                    .as_ref()
                    .is_some_and(|r| r.own_boundaries.contains(&boundary))
            })
            .map(|k| k.entry.rel.as_str())
            .collect();
        out.sort_unstable();
        out
    }

    /// Whether the result kept for this page was made for it as it is
    /// now: the same role in the book (its path and file follow from its
    /// path in the source folder, the key, in one session's book).
    fn holds(&self, page: &PageEntry) -> bool {
        self.passes
            .get(&page.rel)
            .is_some_and(|k| k.entry.role == page.role && k.record.is_some())
    }
}

/// A checking session over one book.
pub struct Session {
    pub book: Book,
}

impl Session {
    pub fn new(book: Book) -> Session {
        Session { book }
    }

    /// Load the book at `root` (its `book.toml` and environment overrides).
    pub fn load(root: &std::path::Path) -> Result<Session, Error> {
        Ok(Session::new(Book::load(root)?))
    }

    /// A session with the default settings, for text that is not in a book
    /// on disk (property tests, fuzzing, benchmarks of the page pass).
    pub fn detached() -> Session {
        Session::new(Book::lone(std::path::Path::new(".")))
    }

    /// The page pass alone over one page's text: its page-rule findings,
    /// suppressions applied. Book rules (orphans, links between pages) need
    /// [`Session::run`].
    pub fn check_text(&self, rel: &str, text: &str) -> Vec<Finding> {
        let entry = PageEntry {
            rel: rel.to_string(),
            path: self.book.display_path(rel),
            file: std::path::PathBuf::new(),
            role: crate::check::facts::book::Role::Chapter,
        };
        diagnostic::finish(self.page_pass(&entry, text, false).findings)
    }

    pub fn levels(&self) -> &Levels {
        &self.book.settings.levels
    }

    /// Run the page pass and the book pass.
    pub fn run(&self, source: Source<'_>) -> Result<Outcome, Error> {
        let (entries, ()) = rayon::join(|| layout::discover(&self.book), check::warm_up);
        Ok(self.run_entries(entries?, source))
    }

    /// Run both passes over pages already found.
    pub fn run_entries(&self, entries: Vec<Entry>, source: Source<'_>) -> Outcome {
        let files = entries.len();
        let chapters = match &source {
            Source::Chapters(c) => Some(*c),
            Source::Disk => None,
        };
        // Entries are borrowed, not moved, into the page pass: they were
        // allocated on this thread, and freeing them on the workers made the
        // workers wait for each other on this thread's allocator.
        // Pages are checked in small groups, each read before it is checked:
        // the kernel's side of reading a file stays in the processor's cache
        // from one file to the next, as the checker's does from page to page.
        // Reading each file between two page passes cost three times as much.
        let group = (files / (rayon::current_num_threads() * 8)).clamp(1, 16);
        let results: Vec<Result<PagePass, Problem>> = entries
            .par_chunks(group)
            .flat_map_iter(|group| self.page_group(group, chapters))
            .collect();
        self.book_stage(results, files)
    }

    /// What follows the page pass: the included files, the book pass and
    /// the final sorting, over every page's page-pass result in order.
    fn book_stage(&self, results: Vec<Result<PagePass, Problem>>, files: usize) -> Outcome {
        let mut book = self.book_facts();
        let mut findings = Vec::new();
        let mut expanded = HashMap::new();
        let mut included: Vec<Included> = Vec::new();
        for r in results {
            match r {
                Ok(pass) => {
                    findings.extend(pass.findings);
                    if let Some(text) = pass.expanded {
                        expanded.insert(pass.record.rel.clone(), text);
                    }
                    included.extend(pass.includes);
                    book.pages.push(pass.record);
                }
                Err(p) => book.problems.push(p),
            }
        }
        let (mut outcome, _) = self.finish_book(book, findings, included, files);
        outcome.expanded = expanded;
        outcome
    }

    /// The book's facts before any page is added.
    fn book_facts(&self) -> BookFacts {
        BookFacts {
            preprocessor_configured: self.book.settings.preprocessor_configured,
            book_toml: (!self.book.settings.preprocessor_configured)
                .then(|| std::fs::read_to_string(self.book.root.join("book.toml")).ok())
                .flatten(),
            ..BookFacts::default()
        }
    }

    /// The included files, the book pass and the final sorting, over the
    /// pages' records and findings; the records come back (with the
    /// included files' records after them).
    fn finish_book(
        &self,
        mut book: BookFacts,
        mut findings: Vec<Finding>,
        included: Vec<Included>,
        files: usize,
    ) -> (Outcome, BookFacts) {
        self.included_pass(&mut book, &mut findings, included);
        self.book_pass(&mut book, &mut findings);
        let unlisted: Vec<(String, &'static str, usize)> = book
            .pages
            .iter()
            .flat_map(|p| {
                [
                    (rules::unused_suppression::META.id, p.unlisted_unused),
                    (rules::unreadable_page::META.id, p.unlisted_bad_includes),
                ]
                .into_iter()
                .filter(|&(_, n)| n > 0)
                .map(|(rule, n)| (p.path.clone(), rule, n))
            })
            .collect();
        let outcome = Outcome {
            findings: diagnostic::finish_counted(findings, &unlisted),
            files,
            expanded: HashMap::new(),
        };
        (outcome, book)
    }

    /// Both passes over pages already found, as [`Session::run_entries`]
    /// with [`Source::Chapters`]`(overlay)` gives them, with the page pass
    /// run only for the pages `cache` does not hold: the language server
    /// checks the one page that changed and reuses the others' results.
    /// What the page pass computes here is kept in `cache`; the caller
    /// [`PageCache::forget`]s a page whose text changed.
    pub fn run_cached(
        &self,
        entries: &[Entry],
        overlay: &HashMap<String, String>,
        cache: &mut PageCache,
    ) -> Outcome {
        let missing: Vec<Entry> = entries
            .iter()
            .filter(|e| match e {
                Entry::Page(p) => !cache.holds(p),
                Entry::Problem(_) => false,
            })
            .cloned()
            .collect();
        let group = (missing.len() / (rayon::current_num_threads() * 8)).clamp(1, 16);
        let fresh: Vec<Result<PagePass, Problem>> = missing
            .par_chunks(group)
            .flat_map_iter(|group| self.page_group(group, Some(overlay)))
            .collect();
        // A page that could not be read is not kept: it is tried again.
        let mut unread: HashMap<String, Problem> = HashMap::new();
        for (entry, result) in missing.into_iter().zip(fresh) {
            let Entry::Page(page) = entry else {
                continue;
            };
            match result {
                Ok(pass) => {
                    cache.passes.insert(page.rel.clone(), Kept::new(page, pass));
                }
                Err(p) => {
                    unread.insert(page.rel, p);
                }
            }
        }
        // The kept records are lent to the book pass, not copied: copying
        // (and freeing) every page's record cost more than the book pass.
        let mut book = self.book_facts();
        let mut findings = Vec::new();
        let mut included = Vec::new();
        for e in entries {
            match e {
                Entry::Problem(p) => book.problems.push(p.clone()),
                Entry::Page(page) => match cache.passes.get_mut(&page.rel) {
                    Some(kept) => {
                        findings.extend(kept.findings.iter().cloned());
                        included.extend(kept.includes.iter().cloned());
                        book.pages.push(kept.record.take().expect("held above"));
                    }
                    None => book
                        .problems
                        .push(unread.remove(&page.rel).expect("a page read or not")),
                },
            }
        }
        let lent = book.pages.len();
        let (outcome, book) = self.finish_book(book, findings, included, entries.len());
        for record in book.pages.into_iter().take(lent) {
            if let Some(kept) = cache.passes.get_mut(&record.rel) {
                kept.give_back(record);
            }
        }
        outcome
    }

    /// The page pass over a few entries: the pages on disk are read first
    /// (up to a budget of bytes), then every page is checked.
    fn page_group(
        &self,
        group: &[Entry],
        chapters: Option<&HashMap<String, String>>,
    ) -> Vec<Result<PagePass, Problem>> {
        const READ_AHEAD: usize = 1 << 20;
        let max = self.book.settings.max_page_size;
        with_read_buffers(group.len(), |buffers| {
            let mut budget = READ_AHEAD;
            let mut reads: Vec<Option<Result<&str, (usize, String)>>> = group
                .iter()
                .zip(buffers.iter_mut())
                .map(|(entry, buf)| match entry {
                    Entry::Page(page)
                        if budget > 0 && chapters.is_none_or(|c| !c.contains_key(&page.rel)) =>
                    {
                        let read = layout::read_page_into(&page.file, max, buf);
                        let len = read.as_ref().map_or(0, |t| t.len());
                        budget = budget.saturating_sub(len);
                        Some(read)
                    }
                    _ => None,
                })
                .collect();
            group
                .iter()
                .zip(reads.iter_mut())
                .map(|(entry, read)| {
                    let page = match entry {
                        Entry::Problem(p) => return Err(p.clone()),
                        Entry::Page(page) => page,
                    };
                    let problem = |(line, why): (usize, String)| Problem {
                        path: page.path.clone(),
                        line,
                        help: layout::page_limit_help(&why),
                        why,
                        at: None,
                    };
                    if let Some(read) = read.take() {
                        return read
                            .map(|text| self.page_pass(page, text, false))
                            .map_err(problem);
                    }
                    match chapters.and_then(|c| c.get(&page.rel)) {
                        Some(text) if text.len() as u64 > max => Err(problem((
                            1,
                            layout::over_page_limit(text.len() as u64, max),
                        ))),
                        Some(text) => Ok(self.page_pass(page, text, true)),
                        // Past the read-ahead budget: read now, into a buffer
                        // of its own.
                        None => layout::read_page(&page.file, max)
                            .map(|text| self.page_pass(page, &text, false))
                            .map_err(problem),
                    }
                })
                .collect()
        })
    }

    /// Check one page (and expand it when asked); one parse for both.
    fn page_pass(&self, entry: &PageEntry, text: &str, expand: bool) -> PagePass {
        self.page_pass_with(entry, text, expand, self.levels())
    }

    fn page_pass_with(
        &self,
        entry: &PageEntry,
        text: &str,
        expand: bool,
        levels: &Levels,
    ) -> PagePass {
        let original = text;
        let text = &*expand::lone_cr_as_lf(original);
        let page = Page::parse(text);
        let facts = PageFacts::new(&entry.rel, &page, canon());
        // Suppressed findings are left out as the rules report them, so the
        // cap on findings per rule falls on what is shown.
        let (raws, hidden) = check::run_page_rules_hiding(
            &facts,
            levels,
            crate::check::facts::suppress::hidden(&page),
        );
        let mut hits: Vec<suppressions::Hit> = raws
            .iter()
            .map(|r| (r.range.start, r.rule.id))
            .chain(hidden)
            .collect();
        hits.sort_by_key(|h| h.0);
        let findings: Vec<Finding> = raws
            .into_iter()
            .map(|raw| diagnostic::locate(&entry.path, page.src, &page.index, raw, levels))
            .collect();
        let locate = |range: std::ops::Range<usize>| {
            diagnostic::locate_range(&entry.path, page.src, &page.index, range)
        };
        let mentions = if levels.wants(&rules::boundary_link::META) {
            facts
                .topic_mentions()
                .into_iter()
                .map(|(boundary, range)| Mention {
                    boundary,
                    title: canon().boundary(boundary).map_or(boundary, |b| b.title),
                    phrase: text[range.clone()].to_string(),
                    at: locate(range),
                })
                .collect()
        } else {
            Vec::new()
        };
        // The files this page pulls in, relative to the source folder.
        let dir = entry.rel.rsplit_once('/').map_or("", |(d, _)| d);
        let mut includes = Vec::new();
        let mut bad_includes = Vec::new();
        let found = includes::find(text);
        // Past the number of findings shown, outside includes are counted,
        // unless a comment of the page may hide some of them.
        let may_hide = text.contains(rules::unreadable_page::META.id);
        let mut unlisted_bad = 0;
        // The included pass reads each file once, from its last include on
        // the page: the others are left out here (a page may include one
        // file 100,000 times).
        let mut last_of: HashMap<&str, usize> = HashMap::new();
        for (i, inc) in found.iter().enumerate() {
            last_of.insert(inc.file.as_str(), i);
        }
        for (i, inc) in found.iter().enumerate() {
            let rel =
                crate::paths::normalize_path(std::path::Path::new(&format!("{dir}/{}", inc.file)));
            let path = self.book.display_path(&rel);
            if path.starts_with("..") || inc.file.starts_with('/') {
                if !may_hide && bad_includes.len() >= diagnostic::MAX_PER_RULE {
                    unlisted_bad += 1;
                    continue;
                }
                bad_includes.push((
                    locate(inc.range.clone()),
                    format!(
                        "includes `{}`, which is outside the book; it is not read",
                        suggest::shown(&inc.file)
                    ),
                ));
            } else if last_of.get(inc.file.as_str()) == Some(&i) {
                includes.push(Included {
                    rel,
                    path,
                    from: locate(inc.range.clone()),
                });
            }
        }
        let first_directive = facts
            .directives
            .first()
            .map(|(i, _)| locate(page.directives[*i].range.clone()));
        let mut record = PageRecord {
            rel: entry.rel.clone(),
            path: entry.path.clone(),
            role: entry.role,
            first_line: text.lines().next().unwrap_or("").to_string(),
            own_boundaries: facts.own_boundaries.clone(),
            embeds: facts.embeds().collect(),
            links: facts.links().collect(),
            mentions,
            suppressions: Vec::new(),
            unlisted_unused: 0,
            unlisted_bad_includes: unlisted_bad,
            first_directive,
            bad_includes,
        };
        // Book rules report at the record's places, and at includes that
        // turn out unreadable (added to `bad_includes` by the included pass).
        // In SUMMARY.md, a chapter's entry is where a missing or unreadable
        // chapter is reported.
        let entries = (entry.role == Role::Summary)
            .then(|| page.links.iter().map(|l| l.range.start))
            .into_iter()
            .flatten();
        let places: Vec<usize> = record
            .places()
            .chain(includes.iter().map(|i| i.from.offset))
            .chain(entries)
            .collect();
        let kept = suppressions::keep(
            &page,
            &hits,
            &places,
            &findings,
            self.levels().wants(&rules::unused_suppression::META),
            locate,
        );
        record.suppressions = kept.records;
        record.unlisted_unused = kept.unlisted;
        let expanded = match expand {
            true => match expand::expand_onto(
                &page,
                canon(),
                original,
                self.inline_includes(entry, &found),
            ) {
                std::borrow::Cow::Owned(text) => Some(text),
                std::borrow::Cow::Borrowed(_) => None,
            },
            false => None,
        };
        PagePass {
            record,
            findings,
            expanded,
            includes,
        }
    }

    /// `{{#include}}`s whose part holds `{{#cavra-…}}` directives, replaced
    /// by that part with its directives expanded. mdBook's `links`, which
    /// runs after this preprocessor, would otherwise paste the directives in
    /// raw. Other inclusions are left to `links`. A file that cannot be read
    /// is left too: the check reports it.
    fn inline_includes(
        &self,
        entry: &PageEntry,
        found: &[includes::Include],
    ) -> Vec<(std::ops::Range<usize>, String)> {
        let dir = entry.rel.rsplit_once('/').map_or("", |(d, _)| d);
        let mut out = Vec::new();
        // Each file read once, however often the page includes it.
        let mut bodies: HashMap<String, Option<String>> = HashMap::new();
        for inc in found {
            if inc.kind != "include" {
                continue;
            }
            let rel =
                crate::paths::normalize_path(std::path::Path::new(&format!("{dir}/{}", inc.file)));
            if self.book.display_path(&rel).starts_with("..") {
                continue;
            }
            let body = bodies.entry(rel).or_insert_with_key(|rel| {
                let file = self.book.src.join(rel);
                let root = std::fs::canonicalize(&self.book.root).ok();
                let inside = root
                    .is_some_and(|r| std::fs::canonicalize(&file).is_ok_and(|c| c.starts_with(r)));
                inside
                    .then(|| layout::read_page(&file, self.book.settings.max_page_size).ok())
                    .flatten()
            });
            let Some(body) = body else {
                continue;
            };
            let part = inc.select(body);
            if !part.contains("{{#cavra") {
                continue;
            }
            let part = expand::lone_cr_as_lf(&part).into_owned();
            let parsed = Page::parse(&part);
            out.push((inc.range.clone(), expand::expand(&parsed, canon())));
        }
        out
    }

    /// The files pages include: a Markdown page that is only included is
    /// not an orphan; any other included file is read and checked where it
    /// is (every rule for Markdown, forbidden material for the rest), so a
    /// key in an included `example.sh` is found at its own line.
    fn included_pass(
        &self,
        book: &mut BookFacts,
        findings: &mut Vec<Finding>,
        mut todo: Vec<Included>,
    ) {
        if todo.is_empty() {
            return;
        }
        let root = std::fs::canonicalize(&self.book.root).ok();
        let mut seen: std::collections::HashSet<String> =
            book.pages.iter().map(|p| p.path.clone()).collect();
        // Pages by path: a book of many pages that include many files is
        // not walked once per include.
        let mut index: HashMap<String, usize> = HashMap::new();
        for (i, p) in book.pages.iter().enumerate() {
            index.entry(p.path.clone()).or_insert(i);
        }
        let mut secrets_only = self.levels().clone();
        for r in rules::ALL {
            if r.id != rules::forbidden_material::META.id {
                secrets_only.set(r, crate::diagnostic::Level::Allow);
            }
        }
        while let Some(inc) = todo.pop() {
            if let Some(p) = index.get(&inc.path).map(|&i| &mut book.pages[i]) {
                if p.role == Role::Orphan {
                    p.role = Role::Included;
                }
                continue;
            }
            if !seen.insert(inc.path.clone()) {
                continue;
            }
            let file = self.book.src.join(&inc.rel);
            let outside = root
                .as_ref()
                .is_some_and(|r| std::fs::canonicalize(&file).is_ok_and(|c| !c.starts_with(r)));
            let from = index.get(&inc.from.path).map(|&i| &mut book.pages[i]);
            if outside {
                if let Some(p) = from {
                    p.bad_includes.push((
                        inc.from.clone(),
                        format!(
                            "includes `{}`, a symbolic link to a place outside the book; it is not read",
                            inc.path
                        ),
                    ));
                }
                continue;
            }
            let text = match layout::read_page(&file, self.book.settings.max_page_size) {
                Ok(t) => t,
                Err((_, why)) => {
                    if let Some(p) = from {
                        p.bad_includes
                            .push((inc.from.clone(), format!("includes `{}`: {why}", inc.path)));
                    }
                    continue;
                }
            };
            let entry = PageEntry {
                rel: inc.rel.clone(),
                path: inc.path.clone(),
                file,
                role: Role::Included,
            };
            let levels = if layout::is_markdown(&entry.file) {
                self.levels()
            } else {
                &secrets_only
            };
            let pass = self.page_pass_with(&entry, &text, false, levels);
            findings.extend(pass.findings);
            todo.extend(pass.includes);
            index
                .entry(pass.record.path.clone())
                .or_insert(book.pages.len());
            book.pages.push(pass.record);
        }
    }

    /// The book rules, the suppressions of their findings, then the rules
    /// that need every finding settled.
    fn book_pass(&self, book: &mut BookFacts, findings: &mut Vec<Finding>) {
        let levels = self.levels();
        let mut found = Vec::new();
        for rule in rules::RULES {
            if levels.wants(rule.meta()) {
                rule.check_book(book, &mut BookOut::new(rule.meta(), levels, &mut found));
            }
        }
        let by_path: HashMap<String, usize> = book
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.path.clone(), i))
            .collect();
        for f in found {
            let page = by_path.get(&f.at.path).map(|&i| &mut book.pages[i]);
            // The suppression records a page keeps rest on this (see
            // `suppressions`).
            debug_assert!(
                page.as_ref().is_none_or(|p| {
                    p.places().any(|o| o == f.at.offset) || p.path.ends_with("SUMMARY.md")
                }),
                "a book finding at a place its page record does not hold: {f:?}"
            );
            let hidden = page.is_some_and(|p| {
                p.suppressions
                    .iter_mut()
                    .any(|s| use_suppression(s, f.rule.id, &f.at))
            });
            if !hidden {
                findings.push(f);
            }
        }
        for rule in rules::RULES {
            if levels.wants(rule.meta()) {
                rule.check_last(book, &mut BookOut::new(rule.meta(), levels, findings));
            }
        }
    }
}

/// Run `f` with `n` of this thread's buffers for reading pages, kept from
/// group to group (see [`Session::page_group`]); a buffer that grew for a
/// large page is let go rather than kept.
fn with_read_buffers<T>(n: usize, f: impl FnOnce(&mut [Vec<u8>]) -> T) -> T {
    const KEEP: usize = 1 << 20;
    thread_local! {
        static BUFFERS: std::cell::Cell<Vec<Vec<u8>>> = const { std::cell::Cell::new(Vec::new()) };
    }
    // Taken out while in use, so that a page pass that reads other files
    // (includes) never finds them borrowed.
    let mut buffers = BUFFERS.take();
    if buffers.len() < n {
        buffers.resize_with(n, Vec::new);
    }
    let out = f(&mut buffers[..n]);
    for b in &mut buffers {
        if b.capacity() > KEEP {
            *b = Vec::new();
        }
    }
    BUFFERS.set(buffers);
    out
}

fn use_suppression(s: &mut SuppressionUse, rule: &str, at: &Located) -> bool {
    let covers = s.scope.contains(&at.offset) || (s.scope.is_empty() && s.scope.start == at.offset);
    let mut hit = false;
    if covers {
        for (name, used) in &mut s.names {
            if name == rule {
                *used = true;
                hit = true;
            }
        }
    }
    hit
}

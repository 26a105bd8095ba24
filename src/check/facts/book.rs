//! Book facts: what each page leaves for the book pass once its text is
//! gone (its title's boundaries, links, topic mentions, suppressions), and
//! the files that could not be read as pages.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::diagnostic::Located;

/// How a page belongs to the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A chapter `SUMMARY.md` links to.
    Chapter,
    /// `SUMMARY.md` itself.
    Summary,
    /// A Markdown file under the source folder that `SUMMARY.md` never reaches.
    Orphan,
    /// A file another page pulls in with `{{#include}}` (or
    /// `{{#rustdoc_include}}`, `{{#playground}}`): checked where it is, never
    /// an orphan.
    Included,
}

/// A phrase that shows a page discussing a boundary's topic.
#[derive(Debug, Clone)]
pub struct Mention {
    pub boundary: &'static str,
    /// The boundary's title.
    pub title: &'static str,
    pub phrase: String,
    pub at: Located,
}

/// A suppression comment and which of the rules it names were used.
#[derive(Debug, Clone)]
pub struct SuppressionUse {
    pub at: Located,
    pub scope: Range<usize>,
    /// The names as written, each with whether it suppressed a finding.
    pub names: Vec<(String, bool)>,
    /// Where each name is written (byte ranges of the page).
    pub name_ranges: Vec<Range<usize>>,
    /// What removing the whole comment removes: the comment, or its whole
    /// line (line ending included) when nothing else is on that line.
    pub removal: Range<usize>,
}

/// What one page contributes to the book pass.
#[derive(Debug, Clone)]
pub struct PageRecord {
    /// Relative to the source folder (links resolve against it).
    pub rel: String,
    /// Relative to the book root, as reports show it.
    pub path: String,
    pub role: Role,
    /// The first line of the page, for findings about the whole page.
    pub first_line: String,
    pub own_boundaries: Vec<&'static str>,
    pub embeds: BTreeSet<&'static str>,
    /// Link targets, relative to the source folder.
    pub links: BTreeSet<String>,
    /// The first mention of each boundary topic on the page.
    pub mentions: Vec<Mention>,
    /// The suppression comments the book pass may still use, and those
    /// `unused-suppression` reports, up to the number shown for a page:
    /// see `session::suppressions` for which.
    pub suppressions: Vec<SuppressionUse>,
    /// How many more `unused-suppression` findings the page has, counted
    /// instead of kept.
    pub unlisted_unused: usize,
    /// How many more includes outside the book the page has, counted
    /// instead of kept (never when a comment of the page may hide one).
    pub unlisted_bad_includes: usize,
    /// The page's first `{{#cavra-…}}` directive, if it has one.
    pub first_directive: Option<Located>,
    /// `{{#include}}`s that cannot be read: where, and why.
    pub bad_includes: Vec<(Located, String)>,
}

impl PageRecord {
    /// The byte offsets of the places in the page this record holds: its
    /// start (where whole-page findings go), its mentions, its first
    /// directive and its unreadable includes. Book rules report at these
    /// places only, so only comments covering them can hide a book finding.
    pub fn places(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(0)
            .chain(self.mentions.iter().map(|m| m.at.offset))
            .chain(self.first_directive.iter().map(|at| at.offset))
            .chain(self.bad_includes.iter().map(|(at, _)| at.offset))
    }
}

/// A file that should be a page but could not be read as one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Relative to the book root.
    pub path: String,
    pub line: usize,
    pub why: String,
    /// Where the problem is reported when that is not the file itself: a
    /// missing chapter is reported at its `SUMMARY.md` entry, a place an
    /// editor and a GitHub annotation can show.
    pub at: Option<Box<crate::diagnostic::Located>>,
    /// The help, when the rule's general one does not fit.
    pub help: Option<String>,
}

/// Everything the book pass reads.
#[derive(Debug, Default)]
pub struct BookFacts {
    pub pages: Vec<PageRecord>,
    pub problems: Vec<Problem>,
    /// Whether `book.toml` has a `[preprocessor.cavra]` table, without which
    /// `mdbook build` publishes the directives as written.
    pub preprocessor_configured: bool,
    /// The text of `book.toml` when it does not run this preprocessor (the
    /// fix adds the lines), if it could be read.
    pub book_toml: Option<String>,
}

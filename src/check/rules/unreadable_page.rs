//! `unreadable-page`: a file that should be a page but could not be read.

use super::Rule;
use crate::check::facts::book::BookFacts;
use crate::diagnostic::{BookOut, Level, Located, RuleDoc, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "unreadable-page",
    default: Level::Deny,
    doc: RuleDoc {
        what: "A page that cannot be checked: a `.md` file that is not valid UTF-8, is binary \
(it holds NUL bytes), is unreadable (permissions) or sits behind a symbolic link loop; a symbolic \
link that leads out of the book; a `SUMMARY.md` entry whose file is missing or lies outside the \
book; an `{{#include}}` (or `{{#rustdoc_include}}`, `{{#playground}}`) of a file outside the book \
or that cannot be read.",
        why: "A file the checker skips silently is a file nobody checked; mdBook would fail on it, \
render garbage, or publish a file from outside the book.",
        example: "book/logo.md is a PNG image saved with the wrong extension.",
        fix: "Save the file as UTF-8 text, rename a binary file so it does not end in `.md`, fix \
its permissions, remove the link loop, or keep every page inside the book's folder.",
    },
};

pub struct UnreadablePage;

impl Rule for UnreadablePage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_book(&self, book: &BookFacts, out: &mut BookOut<'_>) {
        for p in &book.problems {
            let at = p.at.as_deref().cloned().unwrap_or_else(|| {
                let mut at = Located::page_start(&p.path, "");
                at.line = p.line;
                at
            });
            let help = p.help.as_deref().unwrap_or(META.doc.fix);
            out.report(at, p.why.clone()).help(help);
        }
        for page in &book.pages {
            for (at, why) in &page.bad_includes {
                out.report(at.clone(), why.clone()).help(
                    "include only files inside the book's folder that are regular text files",
                );
            }
        }
    }
}

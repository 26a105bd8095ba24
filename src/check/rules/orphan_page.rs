//! `orphan-page`: a Markdown file `SUMMARY.md` never reaches.

use super::Rule;
use crate::check::facts::book::{BookFacts, Role};
use crate::diagnostic::{BookOut, Level, Located, RuleDoc, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "orphan-page",
    default: Level::Warn,
    doc: RuleDoc {
        what: "A Markdown file under the book's source folder that no entry of `SUMMARY.md` \
reaches. Files in hidden folders (`.drafts/`) are not pages and are never orphans.",
        why: "mdBook never renders it, so whatever it says (and whatever the checker finds in it) \
never reaches a reader, while it still looks like part of the guide to writers.",
        example: "book/editions/old-pricing.md exists, but SUMMARY.md does not list it.",
        fix: "Add the page to `SUMMARY.md`, delete it, or move a draft into a hidden folder such \
as `.drafts/`. Set `orphan-page = \"deny\"` in `[preprocessor.cavra.rules]` to make this an error.",
    },
};

pub struct OrphanPage;

impl Rule for OrphanPage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_book(&self, book: &BookFacts, out: &mut BookOut<'_>) {
        for page in book.pages.iter().filter(|p| p.role == Role::Orphan) {
            out.report(
                Located::page_start(&page.path, &page.first_line),
                format!("`{}` is not reachable from SUMMARY.md", page.path),
            )
            .help("add it to SUMMARY.md, or delete it");
        }
    }
}

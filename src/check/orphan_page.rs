//! `orphan-page`: a Markdown file `SUMMARY.md` never reaches.
//!
//! The book walk in [`crate::book`] raises it; this file holds its documentation.

use super::RuleDoc;

pub const DOC: RuleDoc = RuleDoc {
    what: "A Markdown file under the book's source folder that no entry of `SUMMARY.md` reaches.",
    why: "mdBook never renders it, so whatever it says (and whatever the checker finds in it) \
never reaches a reader, while it still looks like part of the guide to writers.",
    example: "book/editions/old-pricing.md exists, but SUMMARY.md does not list it.",
    fix: "Add the page to `SUMMARY.md`, or delete it. Set `orphan-page = \"deny\"` in \
`[preprocessor.cavra.rules]` to make this an error.",
};

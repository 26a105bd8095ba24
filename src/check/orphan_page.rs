//! `orphan-page`: a Markdown file `SUMMARY.md` never reaches.
//!
//! The book walk in [`crate::book`] raises it; this file holds its documentation.

use super::{Finding, Rule, RuleDoc};
use crate::config::Levels;

pub const DOC: RuleDoc = RuleDoc {
    what: "A Markdown file under the book's source folder that no entry of `SUMMARY.md` reaches.",
    why: "mdBook never renders it, so whatever it says (and whatever the checker finds in it) \
never reaches a reader, while it still looks like part of the guide to writers.",
    example: "book/editions/old-pricing.md exists, but SUMMARY.md does not list it.",
    fix: "Add the page to `SUMMARY.md`, or delete it. Set `orphan-page = \"deny\"` in \
`[preprocessor.cavra.rules]` to make this an error.",
};

/// The finding for a page `SUMMARY.md` does not reach; `first_line` is shown
/// as the snippet (empty when the page was not read).
pub fn finding(rel: &str, first_line: &str, levels: &Levels) -> Finding {
    let snippet: String = first_line.chars().take(160).collect();
    Finding {
        rule: Rule::OrphanPage,
        severity: levels.severity(Rule::OrphanPage),
        path: rel.to_string(),
        line: 1,
        column: 1,
        message: format!("`{rel}` is not reachable from SUMMARY.md"),
        help: Some("add it to SUMMARY.md, or delete it".to_string()),
        span: 0..snippet.len(),
        snippet,
    }
}

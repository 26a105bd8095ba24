//! `unused-suppression`: a `cavra-allow` comment that suppresses nothing.
//!
//! Raised by [`super::suppress`]; this file holds its documentation.

use super::RuleDoc;

pub const DOC: RuleDoc = RuleDoc {
    what: "A `<!-- cavra-allow: RULE -->` or `<!-- cavra-allow-file: RULE -->` comment that \
suppressed no finding, or that names an unknown rule.",
    why: "Stale suppressions hide the next real mistake in the same place.",
    example: "<!-- cavra-allow: undefined-state -->\nA paragraph that no longer has a finding.",
    fix: "Delete the comment, or correct the rule id it names.",
};

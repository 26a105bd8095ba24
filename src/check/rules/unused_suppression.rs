//! `unused-suppression`: a `cavra-allow` comment that suppresses nothing.

use super::Rule;
use crate::check::facts::book::BookFacts;
use crate::diagnostic::{BookOut, Level, RuleDoc, RuleMeta};
use crate::suggest;

pub static META: RuleMeta = RuleMeta {
    id: "unused-suppression",
    default: Level::Warn,
    doc: RuleDoc {
        what: "A `<!-- cavra-allow: RULE -->` or `<!-- cavra-allow-file: RULE -->` comment that \
suppressed no finding, or that names an unknown rule.",
        why: "Stale suppressions hide the next real mistake in the same place.",
        example: "<!-- cavra-allow: undefined-state -->\nA paragraph that no longer has a finding.",
        fix: "Delete the comment, or correct the rule id it names.",
    },
};

pub struct UnusedSuppression;

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Runs last: a suppression is used only once every finding it could
    /// cover, from the page pass and the book pass, is known.
    fn check_last(&self, book: &BookFacts, out: &mut BookOut<'_>) {
        for page in &book.pages {
            for s in &page.suppressions {
                for (name, used) in &s.names {
                    if super::ALL.iter().all(|r| r.id != name.as_str()) {
                        out.report(s.at.clone(), format!("`{name}` is not a rule"))
                            .help(suggest::hint(name, super::ALL.iter().map(|r| r.id)));
                    } else if !used {
                        out.report(
                            s.at.clone(),
                            format!("this `cavra-allow` for `{name}` suppresses nothing"),
                        )
                        .help("delete it: the finding it was for is gone");
                    }
                }
            }
        }
    }
}

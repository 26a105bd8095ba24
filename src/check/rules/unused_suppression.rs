//! `unused-suppression`: a `cavra-allow` comment that suppresses nothing.

use super::Rule;
use crate::check::facts::book::BookFacts;
use crate::diagnostic::{Applicability, BookOut, Fix, Level, RuleDoc, RuleMeta};
use crate::suggest;

pub static META: RuleMeta = RuleMeta {
    id: "unused-suppression",
    default: Level::Warn,
    doc: RuleDoc {
        what: "A `<!-- cavra-allow: RULE -->` or `<!-- cavra-allow-file: RULE -->` comment that \
suppressed no finding, or that names an unknown rule.",
        why: "Stale suppressions hide the next real mistake in the same place.",
        example: "<!-- cavra-allow: undefined-state -->\nA paragraph that no longer has a finding.",
        fix: "Delete the comment, or correct the rule id it names. `mdbook-cavra fix` deletes it \
(its whole line when it stands alone), or only the unused name.",
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
        let known = |name: &str| super::ALL.iter().any(|r| r.id == name);
        for page in &book.pages {
            for s in &page.suppressions {
                // Every name known and unused: the whole comment goes.
                let all_unused = s.names.iter().all(|(n, used)| known(n) && !used);
                for (i, (name, used)) in s.names.iter().enumerate() {
                    let range = s.name_ranges.get(i).cloned();
                    if !known(name) {
                        let hint = suggest::closest(name, super::ALL.iter().map(|r| r.id));
                        let f = out
                            .report(s.at.clone(), format!("`{name}` is not a rule"))
                            .help(suggest::hint(name, super::ALL.iter().map(|r| r.id)));
                        if let (Some(rule), Some(range)) = (hint, range) {
                            f.fix(Fix::replace(
                                format!("replace `{name}` with `{rule}`"),
                                Applicability::Unsafe,
                                range,
                                rule,
                            ));
                        }
                    } else if !used {
                        let fix = if all_unused {
                            Some(Fix::replace(
                                "delete the comment",
                                Applicability::Safe,
                                s.removal.clone(),
                                "",
                            ))
                        } else {
                            name_removal(&s.name_ranges, i).map(|r| {
                                Fix::replace(
                                    format!("delete `{name}` from the comment"),
                                    Applicability::Safe,
                                    r,
                                    "",
                                )
                            })
                        };
                        let f = out
                            .report(
                                s.at.clone(),
                                format!("this `cavra-allow` for `{name}` suppresses nothing"),
                            )
                            .help("delete it: the finding it was for is gone");
                        if let Some(fix) = fix {
                            f.fix(fix);
                        }
                    }
                }
            }
        }
    }
}

/// What removing the `i`th of a comment's names removes: from the end of
/// the name before it (its comma included), or for the first name up to the
/// start of the next one.
fn name_removal(ranges: &[std::ops::Range<usize>], i: usize) -> Option<std::ops::Range<usize>> {
    let this = ranges.get(i)?;
    match i.checked_sub(1) {
        Some(p) => Some(ranges[p].end..this.end),
        None => ranges.get(1).map(|next| this.start..next.start),
    }
}

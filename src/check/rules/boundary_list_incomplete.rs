//! `boundary-list-incomplete`: a hand-written boundary list missing items.

use super::Rule;
use crate::check::facts::PageFacts;
use crate::check::facts::boundaries::{Covered, coverage};
use crate::diagnostic::{Applicability, Fix, Level, RuleDoc, RuleMeta, RuleOut};

pub static META: RuleMeta = RuleMeta {
    id: "boundary-list-incomplete",
    default: Level::Deny,
    doc: DOC,
};

const DOC: RuleDoc = RuleDoc {
    what: "A hand-written boundary list (introduced by \"must not contain\", \"must implement\", \
\"may contain\" or \"blocks steady-state operation\"), as bullets or as an enumeration in the \
sentence (\"must not contain A, B, or C\"), that leaves out canonical items of the boundary its \
lead-in names by title, or else of the page's own boundary. Items are compared by meaning: every \
wording the canon accepts for an item under any boundary, an item a serial comma split \
(\"dashboards, and reporting\"), and a shorter wording that keeps the item's first or last word \
(\"billing checks\") all count; code or plain text, singular or plural, hyphen or space do not \
matter. Where only part of an item is said, the part left out is named. One finding per list.",
    why: "A must-not-contain list that forgets \"license keys\" tells a contributor that license \
keys are fine to commit.",
    example: "This repository must not contain:\n\n- billing provider source code\n- payment provider credentials",
    fix: "Replace the list with `{{#cavra-boundary BOUNDARY SECTION}}`, or add the missing items. \
`mdbook-cavra fix --unsafe` replaces a bulleted list (the items' own wording goes).",
};

pub struct BoundaryListIncomplete;

impl Rule for BoundaryListIncomplete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
        // One finding per list: a sentence that two cues read as two lists,
        // or a lead-in sentence and its bullets, are reported once.
        let mut reported: Vec<std::ops::Range<usize>> = Vec::new();
        for list in &facts.boundary_lists {
            if reported
                .iter()
                .any(|r| r.start < list.range.end && list.range.start < r.end)
            {
                continue;
            }
            // Only the boundary the lead-in or its heading names, or else
            // the page's own (or the one whose sections it embeds): a page's
            // must-not list is its own business, not another contract's.
            let ids: Vec<&'static str> = match list.named {
                Some(id) => vec![id],
                None if !facts.own_boundaries.is_empty() => facts.own_boundaries.clone(),
                None => facts.embeds().collect(),
            };
            let kind = list.kind;
            let Some((b, covered)) = ids
                .iter()
                .filter_map(|id| facts.canon.boundary(id))
                .filter(|b| !b.items(kind).is_empty())
                .map(|b| (b, coverage(&list.entries, b.items(kind))))
                .max_by_key(|(_, c)| c.iter().filter(|c| **c == Covered::Yes).count())
            else {
                continue;
            };
            let missing: Vec<String> = b
                .items(kind)
                .iter()
                .zip(&covered)
                .filter_map(|(i, c)| match c {
                    Covered::Yes => None,
                    Covered::No => Some(format!("\"{}\"", i.text)),
                    Covered::Part(part) => Some(format!("\"{part}\" (of \"{}\")", i.text)),
                })
                .collect();
            if missing.is_empty() {
                continue;
            }
            reported.push(list.range.clone());
            let directive = format!("{{{{#cavra-boundary {} {}}}}}", b.id, kind.id());
            // The writer's own wording of each item is replaced by the
            // canon's: a person looks first (unsafe).
            let fix = (!list.in_sentence)
                .then(|| {
                    Fix::block(
                        format!("replace the list with `{directive}`"),
                        Applicability::Unsafe,
                        facts.page.src,
                        list.range.clone(),
                        &directive,
                    )
                })
                .flatten();
            let raw = out
                .report(
                    list.range.clone(),
                    format!(
                        "hand-written {} {} of the {} omits {} of {} items: {}",
                        kind.id(),
                        if list.in_sentence {
                            "enumeration"
                        } else {
                            "list"
                        },
                        b.title,
                        missing.len(),
                        b.items(kind).len(),
                        missing.join(", ")
                    ),
                )
                .help(format!("replace the list with `{directive}`"));
            if let Some(fix) = fix {
                raw.fix(fix);
            }
        }
    }
}

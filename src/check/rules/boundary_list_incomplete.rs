//! `boundary-list-incomplete`: a hand-written boundary list missing items.

use super::Rule;
use crate::check::facts::PageFacts;
use crate::check::facts::lists::{cued_lists, entries, says};
use crate::diagnostic::{Level, RuleDoc, RuleMeta, RuleOut};
use crate::model::Boundary;

pub static META: RuleMeta = RuleMeta {
    id: "boundary-list-incomplete",
    default: Level::Deny,
    doc: DOC,
};

const DOC: RuleDoc = RuleDoc {
    what: "A hand-written boundary list (introduced by \"must not contain\", \"must implement\", \
\"may contain\" or \"blocks steady-state operation\") that leaves out canonical items of its \
boundary. Each missing item is named; the accepted shorter wordings count as present.",
    why: "A must-not-contain list that forgets \"license keys\" tells a contributor that license \
keys are fine to commit.",
    example: "This repository must not contain:\n\n- billing provider source code\n- payment provider credentials",
    fix: "Replace the list with `{{#cavra-boundary BOUNDARY SECTION}}`, or add the missing items.",
};

pub struct BoundaryListIncomplete;

impl Rule for BoundaryListIncomplete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
        let own = &facts.own_boundaries;
        for (l, kind) in cued_lists(facts.page, &facts.lex) {
            let entries = entries(facts.page, l);
            let pick = |b: &Boundary| {
                b.items(kind)
                    .iter()
                    .filter(|i| entries.iter().any(|e| says(e, i)))
                    .count()
            };
            let boundary: Option<&Boundary> = match own.as_slice() {
                [one] => facts.canon.boundary(one),
                _ => facts
                    .canon
                    .boundaries
                    .iter()
                    .filter(|b| pick(b) >= 2)
                    .max_by_key(|b| pick(b)),
            };
            let Some(b) = boundary else { continue };
            if b.items(kind).is_empty() {
                continue;
            }
            let missing: Vec<&str> = b
                .items(kind)
                .iter()
                .filter(|i| !entries.iter().any(|e| says(e, i)))
                .map(|i| i.text)
                .collect();
            if missing.is_empty() {
                continue;
            }
            out.report(
                facts.page.lists[l].range.clone(),
                format!(
                    "hand-written {} list of the {} omits {} of {} items: {}",
                    kind.id(),
                    b.title,
                    missing.len(),
                    b.items(kind).len(),
                    missing
                        .iter()
                        .map(|m| format!("\"{m}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .help(format!(
                "replace the list with `{{{{#cavra-boundary {} {}}}}}`",
                b.id,
                kind.id()
            ));
        }
    }
}

//! `boundary-list-incomplete`: a hand-written boundary list missing items.

use super::Rule;
use crate::check::facts::PageFacts;
use crate::check::facts::boundaries::says;
use crate::diagnostic::{Applicability, Fix, Level, RuleDoc, RuleMeta, RuleOut};
use crate::model::Boundary;

pub static META: RuleMeta = RuleMeta {
    id: "boundary-list-incomplete",
    default: Level::Deny,
    doc: DOC,
};

const DOC: RuleDoc = RuleDoc {
    what: "A hand-written boundary list (introduced by \"must not contain\", \"must implement\", \
\"may contain\" or \"blocks steady-state operation\"), as bullets or as an enumeration in the \
sentence (\"must not contain A, B, or C\"), that leaves out canonical items of the boundary its \
lead-in names by title, or else of the page's own boundary. Each missing item is named; accepted \
shorter wordings, code or plain text, singular or plural, hyphen or space all count as present.",
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
        for list in &facts.boundary_lists {
            // Only the boundary the lead-in or its heading names, or else
            // the page's own (or the one whose sections it embeds): a page's
            // must-not list is its own business, not another contract's.
            let ids: Vec<&'static str> = match list.named {
                Some(id) => vec![id],
                None if !facts.own_boundaries.is_empty() => facts.own_boundaries.clone(),
                None => facts.embeds().collect(),
            };
            let candidates: Vec<&Boundary> = ids
                .iter()
                .filter_map(|id| facts.canon.boundary(id))
                .collect();
            let kind = list.kind;
            let covered = |b: &Boundary| {
                b.items(kind)
                    .iter()
                    .filter(|i| list.entries.iter().any(|e| says(e, i)))
                    .count()
            };
            let Some(b) = candidates
                .into_iter()
                .filter(|b| !b.items(kind).is_empty())
                .max_by_key(|b| covered(b))
            else {
                continue;
            };
            let missing: Vec<&str> = b
                .items(kind)
                .iter()
                .filter(|i| !list.entries.iter().any(|e| says(e, i)))
                .map(|i| i.text)
                .collect();
            if missing.is_empty() {
                continue;
            }
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
            if let Some(fix) = fix {
                raw.fix(fix);
            }
        }
    }
}

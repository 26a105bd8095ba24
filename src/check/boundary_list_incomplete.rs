//! `boundary-list-incomplete`: a hand-written boundary list missing items.

use super::lexicon::Hit;
use super::{Ctx, Rule, RuleDoc};
use crate::model::{Boundary, Item, SectionKind};

pub const DOC: RuleDoc = RuleDoc {
    what: "A hand-written boundary list (introduced by \"must not contain\", \"must implement\", \
\"may contain\" or \"blocks steady-state operation\") that leaves out canonical items of its \
boundary. Each missing item is named; the accepted shorter wordings count as present.",
    why: "A must-not-contain list that forgets \"license keys\" tells a contributor that license \
keys are fine to commit.",
    example: "This repository must not contain:\n\n- billing provider source code\n- payment provider credentials",
    fix: "Replace the list with `{{#cavra-boundary BOUNDARY SECTION}}`, or add the missing items.",
};

/// Lower-case words only, so "license-service" matches "license service".
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Whether a hand-written entry says a canonical item.
pub fn says(entry: &str, item: &Item) -> bool {
    item.wordings().any(|w| {
        let w = normalize(w);
        entry.contains(&w) || (entry.len() >= 8 && w.contains(entry))
    })
}

/// Lists introduced by a section cue: (list index, section kind).
fn cued_lists(ctx: &Ctx<'_, '_>) -> Vec<(usize, SectionKind)> {
    let mut out = Vec::new();
    for (l, list) in ctx.page.lists.iter().enumerate() {
        if list.depth > 0 {
            continue;
        }
        let Some(intro) = list.intro else { continue };
        let cue = ctx
            .lex
            .in_block(intro)
            .iter()
            .rev()
            .find_map(|h| match h.hit {
                Hit::Cue(k) => Some(k),
                _ => None,
            });
        if let Some(kind) = cue {
            out.push((l, kind));
        }
    }
    out
}

/// The entries of a list, normalized.
pub(crate) fn entries(ctx: &Ctx<'_, '_>, list: usize) -> Vec<String> {
    let page = ctx.page;
    page.lists[list]
        .items
        .iter()
        .map(|r| {
            // Stop at the first nested list: lists are in order of their start.
            let next = page
                .lists
                .partition_point(|nested| nested.range.start <= r.start);
            let end = page
                .lists
                .get(next)
                .map(|nested| nested.range.start)
                .filter(|&start| start < r.end)
                .unwrap_or(r.end);
            normalize(&page.src[r.start..end.max(r.start)])
        })
        .collect()
}

pub fn check(ctx: &mut Ctx<'_, '_>) {
    if !ctx.wants(Rule::BoundaryListIncomplete) {
        return;
    }
    let own = super::own_boundaries(ctx);
    let mut found = Vec::new();
    for (l, kind) in cued_lists(ctx) {
        let entries = entries(ctx, l);
        let pick = |b: &Boundary| {
            b.items(kind)
                .iter()
                .filter(|i| entries.iter().any(|e| says(e, i)))
                .count()
        };
        let boundary: Option<&Boundary> = match own.as_slice() {
            [one] => ctx.canon.boundary(one),
            _ => ctx
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
        found.push((
            ctx.page.lists[l].range.clone(),
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
            format!(
                "replace the list with `{{{{#cavra-boundary {} {}}}}}`",
                b.id,
                kind.id()
            ),
        ));
    }
    for (range, message, help) in found {
        ctx.report(Rule::BoundaryListIncomplete, range, message, Some(help));
    }
}

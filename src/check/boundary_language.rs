//! `boundary-language`: boundary pages must say what the boundary is, and
//! pages on a boundary's topic must point the reader at it.

use super::lexicon::Hit;
use super::{Ctx, Raw, Rule, RuleDoc};
use crate::directive::Directive;

pub const DOC: RuleDoc = RuleDoc {
    what: "A boundary's own page (its first heading is the boundary's title, or it embeds the \
whole boundary) without the required language: a public-safe statement, a must-not-contain \
statement, a private-services must-implement statement, and a statement that its examples are \
synthetic. Also a page whose prose discusses a boundary's topic (its trigger phrases: \"billing \
provider\", \"invoice\", \"license key\", \"tenant audit store\", …) without embedding any section \
of that boundary or linking to its page.",
    why: "Readers who land on a billing or tenant page must learn where the public material stops \
and what private services own; without that, people commit what must stay private.",
    example: "# Billing And Subscription Boundary\n\nCAVRA tracks subscriptions. Private services should implement renewals.",
    fix: "Embed the boundary with `{{#cavra-boundary BOUNDARY}}` (it carries all of the required \
language), or write the missing statement; on a topic page, link to the boundary's page.",
};

/// Check the page; return the boundaries whose own page this is and the
/// topic findings the book pass settles.
pub fn check(ctx: &mut Ctx<'_, '_>) -> (Vec<&'static str>, Vec<(&'static str, Raw)>) {
    let own = super::own_boundaries(ctx);
    if ctx.wants(Rule::BoundaryLanguage) {
        for id in &own {
            required_language(ctx, id);
        }
    }
    let mut topics: Vec<(&'static str, Raw)> = Vec::new();
    if !ctx.wants(Rule::BoundaryLanguage) {
        return (own, topics);
    }
    let hits = &ctx.lex.hits;
    for (i, h) in hits.iter().enumerate() {
        let Hit::Trigger(b) = h.hit else { continue };
        let boundary = &ctx.canon.boundaries[b];
        if topics.iter().any(|(id, _)| *id == boundary.id) {
            continue;
        }
        // "CAVRA Enterprise Subscription" holds "subscription" but is a product.
        let excluded = hits[i.saturating_sub(8)..(i + 8).min(hits.len())]
            .iter()
            .any(|o| {
                o.block == h.block
                    && o.hit == Hit::NotTrigger(b)
                    && o.start <= h.start
                    && o.end >= h.end
            });
        if excluded {
            continue;
        }
        let block = &ctx.page.blocks[h.block];
        let start = ctx.page.source_offset(block, h.start);
        let phrase = &ctx.page.text(block)[h.start..h.end];
        topics.push((
            boundary.id,
            Raw {
                rule: Rule::BoundaryLanguage,
                range: start..start + phrase.len(),
                message: format!(
                    "this page discusses \"{phrase}\" but neither links to the {} nor embeds a section of it",
                    boundary.title
                ),
                help: None,
            },
        ));
    }
    (own, topics)
}

fn required_language(ctx: &mut Ctx<'_, '_>, id: &'static str) {
    let canon = ctx.canon;
    let boundary = canon.boundary(id).expect("own boundary is known");
    let mut said = vec![false; canon.required_language.len()];
    for (_, d) in &ctx.directives {
        if let Ok(Directive::Boundary {
            boundary: b,
            section,
        }) = d
        {
            if *b != id {
                continue;
            }
            for (i, r) in canon.required_language.iter().enumerate() {
                match section {
                    None => said[i] = true,
                    Some(k) if r.provided_by == Some(*k) => said[i] = true,
                    _ => {}
                }
            }
        }
    }
    let mut weak_implement = false;
    for h in &ctx.lex.hits {
        match h.hit {
            Hit::Required(i) => said[i] = true,
            Hit::Cue(_) => {
                let text = &ctx.page.text(&ctx.page.blocks[h.block])[h.start..h.end];
                weak_implement |= text.eq_ignore_ascii_case("should implement");
            }
            _ => {}
        }
    }
    let at = ctx.page.title().map(|b| b.range.clone()).unwrap_or(0..0);
    for (i, r) in canon.required_language.iter().enumerate() {
        if said[i] {
            continue;
        }
        let help = match r.provided_by {
            Some(k)
                if k == crate::model::SectionKind::PrivateResponsibilities && weak_implement =>
            {
                format!(
                    "\"should implement\" is too weak: write \"must implement\", or embed `{{{{#cavra-boundary {id} {}}}}}`",
                    k.id()
                )
            }
            Some(k) => format!(
                "embed `{{{{#cavra-boundary {id} {}}}}}`, or the whole boundary with `{{{{#cavra-boundary {id}}}}}`",
                k.id()
            ),
            None => format!(
                "say that every example on the page is synthetic, or embed the whole boundary with `{{{{#cavra-boundary {id}}}}}`"
            ),
        };
        ctx.report(
            Rule::BoundaryLanguage,
            at.clone(),
            format!("the {} page lacks a {}", boundary.title, r.what),
            Some(help),
        );
    }
}

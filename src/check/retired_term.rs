//! `retired-term`: a product label CAVRA no longer uses.

use super::lexicon::Hit;
use super::{Ctx, Rule, RuleDoc};

pub const DOC: RuleDoc = RuleDoc {
    what: "A retired product label in prose, such as \"Community Edition\", \"Enterprise Edition\", \
\"Trial Edition\", \"Enterprise-only\" or a \"locked feature\".",
    why: "CAVRA's product paths are CAVRA Community, CAVRA Managed, CAVRA Enterprise Subscription \
and CAVRA Trial access; a capability's availability is a capability status. Old labels describe \
editions and locks that no longer exist.",
    example: "SSO is an Enterprise-only feature of the Enterprise Edition.",
    fix: "Write the replacement the hint names; for availability, name the capability status \
(`requires_commercial_entitlement`, or `requires_configuration` when a backing service is missing).",
};

pub fn check(ctx: &mut Ctx<'_, '_>) {
    if !ctx.wants(Rule::RetiredTerm) {
        return;
    }
    let mut found = Vec::new();
    for h in &ctx.lex.hits {
        if let Hit::Retired(i) = h.hit {
            let block = &ctx.page.blocks[h.block];
            let start = ctx.page.source_offset(block, h.start);
            let retired = &ctx.canon.retired[i];
            let said = &ctx.page.text(block)[h.start..h.end];
            found.push((
                start..start + (h.end - h.start),
                format!("retired product label \"{said}\""),
                format!("write {} instead", retired.replacement),
            ));
        }
    }
    for (range, message, help) in found {
        ctx.report(Rule::RetiredTerm, range, message, Some(help));
    }
}

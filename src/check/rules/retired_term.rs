//! `retired-term`: a product label CAVRA no longer uses.

use super::Rule;
use crate::check::facts::PageFacts;
use crate::check::facts::lexicon::Hit;
use crate::diagnostic::{Level, RuleDoc, RuleMeta, RuleOut};

pub static META: RuleMeta = RuleMeta {
    id: "retired-term",
    default: Level::Deny,
    doc: DOC,
};

const DOC: RuleDoc = RuleDoc {
    what: "A retired product label in prose, such as \"Community Edition\", \"Enterprise Edition\", \
\"Trial Edition\", \"Enterprise-only\" or a \"locked feature\".",
    why: "CAVRA's product paths are CAVRA Community, CAVRA Managed, CAVRA Enterprise Subscription \
and CAVRA Trial access; a capability's availability is a capability status. Old labels describe \
editions and locks that no longer exist.",
    example: "SSO is an Enterprise-only feature of the Enterprise Edition.",
    fix: "Write the replacement the hint names; for availability, name the capability status \
(`requires_commercial_entitlement`, or `requires_configuration` when a backing service is missing).",
};

pub struct RetiredTerm;

impl Rule for RetiredTerm {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
        for h in &facts.lex.hits {
            if let Hit::Retired(i) = h.hit {
                let block = &facts.page.blocks[h.block];
                let start = facts.page.source_offset(block, h.start);
                let retired = &facts.canon.retired[i];
                let said = &facts.page.text(block)[h.start..h.end];
                let message = format!("retired product label \"{said}\"");
                out.report(start..start + (h.end - h.start), message)
                    .help(format!("write {} instead", retired.replacement));
            }
        }
    }
}

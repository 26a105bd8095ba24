//! `unknown-directive`: a `{{#cavra-…}}` the tool cannot expand.

use super::Rule;
use crate::check::facts::PageFacts;
use crate::diagnostic::{Level, RuleDoc, RuleMeta, RuleOut};

pub static META: RuleMeta = RuleMeta {
    id: "unknown-directive",
    default: Level::Deny,
    doc: RuleDoc {
        what: "A `{{#cavra-…}}` directive with an unknown name, an unknown vocabulary, boundary or \
section, a missing or extra argument, or no closing `}}`; also a `<!-- cavra-boundary-page: ID -->` \
marker with an unknown boundary. (A known vocabulary with an unknown \
term, `{{#cavra-state subscription.canceled}}`, is an `undefined-state`.)",
        why: "The preprocessor cannot expand it, so the page would show the raw directive, or an \
empty place where a canonical table belongs.",
        example: "{{#cavra-states subscripton}}\n{{#cavra-boundary billing-subscription evidnce}}",
        fix: "Use the name the hint suggests. Directives: `{{#cavra-states VOCAB}}`, \
`{{#cavra-state VOCAB.TERM}}`, `{{#cavra-boundary BOUNDARY [SECTION]}}`; `mdbook-cavra export` \
lists every vocabulary and boundary id. To show a directive literally, write `\\{{#cavra-…}}`.",
    },
};

pub struct UnknownDirective;

impl Rule for UnknownDirective {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
        for (_, d) in &facts.directives {
            if let Err(e) = d
                && !e.undefined_term
            {
                let r = out.report(e.range.clone(), e.message.clone());
                r.help = e.help.clone();
            }
        }
        for (id, at) in &facts.boundary_markers {
            if facts.canon.boundary(id).is_none() {
                let ids = facts.canon.boundaries.iter().map(|b| b.id);
                out.report(
                    at.clone(),
                    format!("unknown boundary `{id}` in a `cavra-boundary-page` marker"),
                )
                .help(crate::suggest::hint(id, ids));
            }
        }
    }
}

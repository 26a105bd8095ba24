//! `unknown-directive`: a `{{#cavra-…}}` the tool cannot expand.

use super::{Ctx, Rule, RuleDoc};

pub const DOC: RuleDoc = RuleDoc {
    what: "A `{{#cavra-…}}` directive with an unknown name, an unknown vocabulary, boundary or \
section, a missing or extra argument, or no closing `}}`.",
    why: "The preprocessor cannot expand it, so the page would show the raw directive, or an \
empty place where a canonical table belongs.",
    example: "{{#cavra-states subscripton}}\n{{#cavra-boundary billing-subscription evidnce}}",
    fix: "Use the name the hint suggests. Directives: `{{#cavra-states VOCAB}}`, \
`{{#cavra-state VOCAB.TERM}}`, `{{#cavra-boundary BOUNDARY [SECTION]}}`; `mdbook-cavra export` \
lists every vocabulary and boundary id. To show a directive literally, write `\\{{#cavra-…}}`.",
};

pub fn check(ctx: &mut Ctx<'_, '_>) {
    let errors: Vec<_> = ctx
        .directives
        .iter()
        .filter_map(|(_, d)| d.as_ref().err().cloned())
        .collect();
    for e in errors {
        let rule = if e.undefined_term {
            Rule::UndefinedState
        } else {
            Rule::UnknownDirective
        };
        ctx.report(rule, e.range, e.message, e.help);
    }
}

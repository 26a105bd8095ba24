//! `unknown-directive`: a `{{#cavra-…}}` the tool cannot expand.

use super::Rule;
use crate::check::facts::PageFacts;
use crate::check::facts::book::BookFacts;
use crate::check::facts::book_toml::{self, Added};
use crate::diagnostic::{Applicability, BookOut, Fix, Level, RuleDoc, RuleMeta, RuleOut, Target};
use crate::{expand, render};

pub static META: RuleMeta = RuleMeta {
    id: "unknown-directive",
    default: Level::Deny,
    doc: RuleDoc {
        what: "A `{{#cavra-…}}` directive with an unknown name, an unknown vocabulary, boundary or \
section, a missing or extra argument, or no closing `}}`; and a block directive (`cavra-states`, \
`cavra-boundary`, `cavra-cli`, `cavra-command`) that does not stand on a line of its own between \
blank lines, in a heading, table cell, HTML block, footnote or right above a line of text, where \
its table would swallow the next line or escape its container. Also a book whose pages use \
directives while its `book.toml` has no `[preprocessor.cavra]`: `mdbook build` would publish them raw; \
a `<!-- cavra-boundary-page: ID -->` marker with an unknown boundary. (A known vocabulary with an unknown \
term, `{{#cavra-state subscription.canceled}}`, is an `undefined-state`.)",
        why: "The preprocessor cannot expand it, so the page would show the raw directive, or an \
empty place where a canonical table belongs.",
        example: "{{#cavra-states subscripton}}\n{{#cavra-boundary billing-subscription evidnce}}",
        fix: "Use the name the hint suggests. Directives: `{{#cavra-states VOCAB}}`, \
`{{#cavra-state VOCAB.TERM}}`, `{{#cavra-boundary BOUNDARY [SECTION]}}`; `mdbook-cavra export` \
lists every vocabulary and boundary id. To show a directive literally, write `\\{{#cavra-…}}`. \
`mdbook-cavra fix` (or `mdbook-cavra init`) adds a missing `[preprocessor.cavra]` to book.toml.",
    },
};

pub struct UnknownDirective;

impl Rule for UnknownDirective {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
        for (i, d) in &facts.directives {
            match d {
                Err(e) if !e.undefined_term => {
                    let r = out.report(e.range.clone(), e.message.clone());
                    r.help = e.help.clone();
                }
                Ok(d) if render::is_block(*d) => {
                    let range = facts.page.directives[*i].range.clone();
                    if expand::block_fits(facts.page, range.clone()).is_none() {
                        let name = &facts.page.src[facts.page.directives[*i].name.clone()];
                        out.report(
                            range,
                            format!("`{{{{#{name} …}}}}` makes a block (a table or a list) and cannot be expanded here"),
                        )
                        .help(format!(
                            "put `{{{{#{name} …}}}}` on a line of its own, with blank lines around it (inside a quote or list item, keep its `>` or indentation); it is left as written until then"
                        ));
                    }
                }
                _ => {}
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

    /// A book whose pages use directives but whose `book.toml` does not run
    /// this preprocessor: `mdbook build` would publish them as written.
    fn check_book(&self, book: &BookFacts, out: &mut BookOut<'_>) {
        if book.preprocessor_configured {
            return;
        }
        let Some(at) = book.pages.iter().find_map(|p| p.first_directive.clone()) else {
            return;
        };
        let f = out.report(
            at,
            "this book uses `{{#cavra-…}}` directives, but its book.toml does not run mdbook-cavra: `mdbook build` would publish them as written",
        )
        .help("add these lines to book.toml:\n\n    [preprocessor.cavra]\n    before = [\"links\"]\n");
        if let Some(text) = &book.book_toml
            && let Ok(Added::Changed(new)) = book_toml::with_preprocessor(text)
        {
            f.fix(Fix::between(
                "add `[preprocessor.cavra]` to book.toml",
                Applicability::Safe,
                Target::BookToml,
                text,
                &new,
            ));
        }
    }
}

//! `boundary-language`: a boundary's own page must say what the boundary is.

use super::Rule;
use crate::check::facts::PageFacts;
use crate::check::facts::lexicon::Hit;
use crate::diagnostic::{Level, RuleDoc, RuleMeta, RuleOut};
use crate::directive::Directive;
use crate::model::SectionKind;

pub static META: RuleMeta = RuleMeta {
    id: "boundary-language",
    default: Level::Deny,
    doc: RuleDoc {
        what: "A boundary's own page (its first heading is the boundary's title, matched loosely: \
case, hyphens, punctuation, \"And\"/\"&\"; or its file name is the title or the boundary's id; \
or it carries `<!-- cavra-boundary-page: ID -->`; or it embeds the whole boundary) without the \
required language: a public-safe statement, a must-not-contain statement, a private-services \
must-implement statement, and, on a page that has examples (code blocks or an examples \
heading), a statement that its examples are synthetic. All the statements a page lacks are one \
finding.",
        why: "Readers who land on a billing or tenant page must learn where the public material \
stops and what private services own; without that, people commit what must stay private.",
        example: "# Billing And Subscription Boundary\n\nCAVRA tracks subscriptions. Private services should implement renewals.",
        fix: "Embed the boundary with `{{#cavra-boundary BOUNDARY}}` (it carries all of the \
required language), or write the missing statements.",
    },
};

pub struct BoundaryLanguage;

impl Rule for BoundaryLanguage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
        for id in &facts.own_boundaries {
            required_language(facts, out, id);
        }
    }
}

fn required_language(facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>, id: &'static str) {
    let canon = facts.canon;
    let boundary = canon.boundary(id).expect("own boundary is known");
    let mut said = vec![false; canon.required_language.len()];
    for (_, d) in &facts.directives {
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
    for h in &facts.lex.hits {
        match h.hit {
            Hit::Required(i) => said[i] = true,
            Hit::Cue(_) => {
                let text = &facts.page.text(&facts.page.blocks[h.block])[h.start..h.end];
                weak_implement |= text.eq_ignore_ascii_case("should implement");
            }
            _ => {}
        }
    }
    let missing: Vec<_> = canon
        .required_language
        .iter()
        .zip(&said)
        .filter(|(r, said)| !**said && (facts.has_examples || !r.only_with_examples))
        .map(|(r, _)| r)
        .collect();
    let Some(first) = missing.first() else {
        return;
    };
    let at = facts.page.title().map(|b| b.range.clone()).unwrap_or(0..0);
    let message = if missing.len() == 1 {
        format!("the {} page lacks a {}", boundary.title, first.what)
    } else {
        format!(
            "the {} page lacks {} required statements",
            boundary.title,
            missing.len()
        )
    };
    let finding = out.report(at, message);
    finding.help(format!(
        "embed the whole boundary with `{{{{#cavra-boundary {id}}}}}`, which carries all of them"
    ));
    for r in &missing {
        let how = match r.provided_by {
            Some(k) if k == SectionKind::PrivateResponsibilities && weak_implement => format!(
                "\"should implement\" is too weak: write \"must implement\", or embed `{{{{#cavra-boundary {id} {}}}}}`",
                k.id()
            ),
            Some(k) => format!("or embed `{{{{#cavra-boundary {id} {}}}}}`", k.id()),
            None => "say that every example on the page is synthetic".to_string(),
        };
        if missing.len() == 1 {
            finding.help(how);
        } else {
            finding.note(format!("missing: a {} ({how})", r.what));
        }
    }
}

//! `state-list-drift`: a hand-written list or table of a vocabulary's terms
//! that has drifted from the canon.

use super::Rule;
use super::undefined_state::undefined_in;
use crate::check::facts::PageFacts;
use crate::diagnostic::{Applicability, Fix, Level, RuleDoc, RuleMeta, RuleOut};
use crate::suggest;

pub static META: RuleMeta = RuleMeta {
    id: "state-list-drift",
    default: Level::Deny,
    doc: DOC,
};

const DOC: RuleDoc = RuleDoc {
    what: "A hand-written list or table of a vocabulary's terms that leaves terms out or has terms \
the vocabulary does not define: one finding per list or table, with each undefined entry and its \
\"did you mean\" in a note. After a lead-in that announces the whole set (\"The subscription \
states are:\"), even two or three terms are meant as the whole list.",
    why: "Copied lists drift: CAVRA's own pages once listed four handoff statuses where there are \
five, and six control-plane operations where there are twelve. A reader trusts the list they see.",
    example: "Subscription states:\n\n- `trial`\n- `active`\n- `past_due`\n- `canceled`",
    fix: "Replace the list with `{{#cavra-states VOCAB}}`; the build then renders the canonical \
table and it cannot drift again. `mdbook-cavra fix` does this for a list of bare terms \
(`--unsafe` for a list with descriptions, or a table).",
};

pub struct StateListDrift;

impl Rule for StateListDrift {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
        for h in &facts.hand_lists {
            let missing = h.missing();
            // One list, one finding: its undefined entries are named here,
            // each with its "did you mean" as a note, and `undefined-state`
            // leaves them to this finding.
            let extra = h.extra();
            let covered = h.vocabulary.terms.len() - missing.len();
            let drifted = !extra.is_empty()
                || (!missing.is_empty() && (h.whole || covered * 2 >= h.vocabulary.terms.len()));
            if !drifted {
                continue;
            }
            let mut parts = Vec::new();
            if !missing.is_empty() {
                parts.push(format!(
                    "omits {}",
                    suggest::list_and(missing.iter().copied())
                ));
            }
            if !extra.is_empty() {
                parts.push(format!(
                    "has {}, which {} not {}",
                    suggest::list_and(extra.iter().copied()),
                    if extra.len() == 1 { "is" } else { "are" },
                    if extra.len() == 1 { "a term" } else { "terms" }
                ));
            }
            let directive = format!("{{{{#cavra-states {}}}}}", h.vocabulary.id);
            // A list of bare terms says nothing the canonical table does
            // not: replacing it is safe. Descriptions, or a table's other
            // columns, would be lost: unsafe.
            let applicability = if bare_list(facts.page.src, h.range.clone(), h.values.len()) {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            };
            let fix = Fix::block(
                format!("replace the list with `{directive}`"),
                applicability,
                facts.page.src,
                h.range.clone(),
                &directive,
            );
            let finding = out
                .report(
                    h.range.clone(),
                    format!(
                        "hand-written list of {} values {}",
                        h.vocabulary.label,
                        parts.join(" and ")
                    ),
                )
                .help(format!("replace it with `{directive}`"));
            for value in &extra {
                let (message, help) = undefined_in(h.vocabulary, value);
                finding.note(format!("{message}: {help}"));
            }
            if let Some(fix) = fix {
                finding.fix(fix);
            }
        }
        // Sentences: "the handoff status can be `planned`, `ready`, `blocked` or
        // `requires_private_service`" reads as the whole set. A nearly complete
        // enumeration (three fifths or more, all real terms) that leaves terms
        // out has drifted; a short subset is a statement about those states.
        for chain in &facts.contexts.chains {
            let v = &facts.canon.vocabularies[chain.vocabulary];
            let values: Vec<&str> = chain
                .codes
                .iter()
                .map(|&c| facts.page.code_text(&facts.page.codes[c]))
                .collect();
            if values.iter().any(|x| v.term(x).is_none()) {
                continue; // undefined-state reports those
            }
            let missing: Vec<&str> = v
                .terms
                .iter()
                .map(|t| t.name)
                .filter(|t| !values.contains(t))
                .collect();
            let covered = v.terms.len() - missing.len();
            if missing.is_empty() || (!chain.whole && covered * 5 < v.terms.len() * 3) {
                continue;
            }
            let first = &facts.page.codes[chain.codes[0]];
            let last = &facts.page.codes[*chain.codes.last().expect("three or more")];
            let message = format!(
                "this enumeration of {} values omits {}",
                v.label,
                suggest::list_and(missing.iter().copied())
            );
            out.report(first.range.start..last.range.end, message).help(format!(
            "write `{{{{#cavra-states {}}}}}` for the whole set, or say that these are only some of them",
            v.id
        ));
        }
    }
}

/// Whether the text at `range` is a bullet or numbered list of `items`
/// lines, each holding one inline code and nothing else.
fn bare_list(src: &str, range: std::ops::Range<usize>, items: usize) -> bool {
    let Some(text) = src.get(range) else {
        return false;
    };
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines.len() == items
        && lines.iter().all(|line| {
            let line = line.trim();
            let rest = line.strip_prefix(['-', '*', '+']).or_else(|| {
                let digits =
                    line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                (digits > 0)
                    .then(|| line[digits..].strip_prefix(['.', ')']))
                    .flatten()
            });
            rest.is_some_and(|r| {
                let r = r.trim();
                r.len() > 2
                    && r.starts_with('`')
                    && r.ends_with('`')
                    && !r[1..r.len() - 1].contains('`')
            })
        })
}

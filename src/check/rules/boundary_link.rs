//! `boundary-link`: a page on a boundary's topic must point the reader at
//! the boundary. A book rule: whether a page links to "the boundary's page"
//! is known only once every page's title has been read.

use std::collections::BTreeMap;

use super::Rule;
use crate::check::facts::book::{BookFacts, Role};
use crate::diagnostic::{BookOut, Level, RuleDoc, RuleMeta};
use crate::paths;

pub static META: RuleMeta = RuleMeta {
    id: "boundary-link",
    default: Level::Warn,
    doc: RuleDoc {
        what: "A page that discusses a boundary's topic without linking to the boundary's page \
(any link to it counts) or embedding a section of it. A page discusses a topic when it names the \
boundary by its title (each title of a coordinated phrase too: \"the hosted policy registry \
readiness and tenant audit-store operating contracts\"), has a heading on it, or mentions its \
phrases (\"billing provider\", \"invoice\", \"tenant audit store\", …) in prose twice or more (the \
items of one list count once), also in sentences that say how several subjects work. Items of \
boundary lists and bare items of enumerations in a sentence (\"… excludes license keys, invoices, \
and URLs\") are passing mentions and never count; a \
boundary's own page never needs to link to itself. At most one finding per page and boundary.",
        why: "Readers who land on a page about invoices or tenant audit stores must be able to \
find where the public material stops and what private services own.",
        example: "# Renewals\n\nThe billing provider sends an invoice when a subscription renews.",
        fix: "Link to the boundary's page (the hint gives the relative link), or embed a section \
with `{{#cavra-boundary BOUNDARY notice}}`.",
    },
};

pub struct BoundaryLink;

impl Rule for BoundaryLink {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_book(&self, book: &BookFacts, out: &mut BookOut<'_>) {
        let mut pages_of: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for p in &book.pages {
            for b in &p.own_boundaries {
                pages_of.entry(b).or_default().push(&p.rel);
            }
        }
        for page in &book.pages {
            // SUMMARY.md is navigation: naming a page "Renewals" there is
            // not a discussion.
            if page.role == Role::Summary {
                continue;
            }
            for m in &page.mentions {
                let targets = pages_of.get(m.boundary).map_or(&[][..], Vec::as_slice);
                let satisfied = page.own_boundaries.contains(&m.boundary)
                    || page.embeds.contains(m.boundary)
                    || targets.iter().any(|t| page.links.contains(*t));
                if satisfied {
                    continue;
                }
                let title = m.title;
                // A title may run over a line break in the source.
                let phrase = m.phrase.split_whitespace().collect::<Vec<_>>().join(" ");
                let finding = out.report(
                    m.at.clone(),
                    format!(
                        "this page discusses \"{}\" but neither links to the {} nor embeds a section of it",
                        phrase, m.title
                    ),
                );
                finding.help(match targets.first() {
                    Some(target) => format!(
                        "link to [{title}]({}) or embed a section with `{{{{#cavra-boundary {} notice}}}}`",
                        paths::relative_link(&page.rel, target),
                        m.boundary
                    ),
                    None => format!(
                        "embed a section with `{{{{#cavra-boundary {} notice}}}}` (the book has no page for this boundary yet)",
                        m.boundary
                    ),
                });
            }
        }
    }
}

//! Page facts: everything the rules read about a page, worked out once.
//!
//! A page is parsed once ([`Page::parse`]); [`PageFacts::new`] then runs the
//! shared passes over that parse (the lexicon pass over all prose, the
//! directives, the key/value pairs of each code block, the vocabulary each
//! inline code belongs to, hand-written lists) and every rule reads the
//! result. Facts are read-only: rules write findings into a sink, never here.

pub mod book;
pub mod contexts;
pub mod includes;
pub mod keyvalues;
pub mod lexicon;
pub mod lists;
pub mod suppress;

use std::ops::Range;

use crate::directive::{self, Directive, DirectiveError};
use crate::markdown::Page;
use crate::model::Canon;
use crate::paths;
use lexicon::Hit;

pub use contexts::InlineContexts;
pub use keyvalues::KeyValue;
pub use lexicon::PageLexicon;
pub use lists::HandList;

/// Everything a rule may read about the page it checks.
pub struct PageFacts<'p, 'a> {
    /// The page's path relative to the book's source folder, `/`-separated
    /// (links are resolved against it).
    pub path: &'p str,
    pub page: &'p Page<'a>,
    pub canon: &'static Canon,
    /// The page's directives, parsed (escaped ones are left out), with
    /// their index in `page.directives`.
    pub directives: Vec<(usize, Result<Directive, DirectiveError>)>,
    /// Prose phrases per block (see [`lexicon`]).
    pub lex: PageLexicon,
    /// What the words around each inline code say (see [`contexts`]).
    pub contexts: InlineContexts,
    /// The key/value pairs of each code block (same order as `page.code_blocks`).
    pub code_kvs: Vec<Vec<KeyValue<'a>>>,
    /// Hand-written enumerations of a vocabulary's terms.
    pub hand_lists: Vec<HandList<'a>>,
    /// The boundaries whose own page this is.
    pub own_boundaries: Vec<&'static str>,
}

impl<'p, 'a> PageFacts<'p, 'a> {
    pub fn new(path: &'p str, page: &'p Page<'a>, canon: &'static Canon) -> PageFacts<'p, 'a> {
        let directives = page
            .directives
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.escaped)
            .map(|(i, c)| (i, directive::parse(page.src, c, canon)))
            .collect::<Vec<_>>();
        let lex = PageLexicon::build(page);
        let code_kvs = page
            .code_blocks
            .iter()
            .map(|cb| keyvalues::key_values(&page.src[cb.content.clone()]))
            .collect();
        let contexts = contexts::inline_contexts(page, &lex);
        let hand_lists = lists::hand_lists(page, &lex, canon);
        let own_boundaries = own_boundaries(page, canon, &directives);
        PageFacts {
            path,
            page,
            canon,
            directives,
            lex,
            contexts,
            code_kvs,
            hand_lists,
            own_boundaries,
        }
    }

    /// The boundary ids this page embeds any section of.
    pub fn embeds(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.directives.iter().filter_map(|(_, d)| match d {
            Ok(Directive::Boundary { boundary, .. }) => Some(*boundary),
            _ => None,
        })
    }

    /// The first phrase of each boundary's topic in the page's prose, as
    /// (boundary id, byte range). A phrase inside a longer one that is not
    /// the topic ("CAVRA Enterprise Subscription" holds "subscription") does
    /// not count.
    pub fn topic_mentions(&self) -> Vec<(&'static str, Range<usize>)> {
        let hits = &self.lex.hits;
        let mut out: Vec<(&'static str, Range<usize>)> = Vec::new();
        for (i, h) in hits.iter().enumerate() {
            let Hit::Trigger(b) = h.hit else { continue };
            let boundary = &self.canon.boundaries[b];
            if out.iter().any(|(id, _)| *id == boundary.id) {
                continue;
            }
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
            let block = &self.page.blocks[h.block];
            let start = self.page.source_offset(block, h.start);
            out.push((boundary.id, start..start + (h.end - h.start)));
        }
        out
    }

    /// Link targets of the page, relative to the source folder.
    pub fn links(&self) -> impl Iterator<Item = String> + '_ {
        let base = self.path.rsplit_once('/').map_or("", |(dir, _)| dir);
        self.page
            .links
            .iter()
            .filter_map(move |l| paths::resolve_link(base, &l.dest))
    }
}

/// The boundaries whose own page this is: its first heading is the
/// boundary's title, or it embeds the whole boundary.
fn own_boundaries(
    page: &Page<'_>,
    canon: &'static Canon,
    directives: &[(usize, Result<Directive, DirectiveError>)],
) -> Vec<&'static str> {
    let title = page.title().map(|b| page.text(b).trim());
    let mut out: Vec<&'static str> = canon
        .boundaries
        .iter()
        .filter(|b| title.is_some_and(|t| t.eq_ignore_ascii_case(b.title)))
        .map(|b| b.id)
        .collect();
    for (_, d) in directives {
        if let Ok(Directive::Boundary {
            boundary,
            section: None,
        }) = d
            && !out.contains(boundary)
        {
            out.push(boundary);
        }
    }
    out
}

//! Page facts: everything the rules read about a page, worked out once.
//!
//! A page is parsed once ([`Page::parse`]); [`PageFacts::new`] then runs the
//! shared passes over that parse (the lexicon pass over all prose, the
//! directives, the key/value pairs of each code block, the vocabulary each
//! inline code belongs to, hand-written lists) and every rule reads the
//! result. Facts are read-only: rules write findings into a sink, never here.

pub mod book;
pub mod book_toml;
pub mod boundaries;
pub mod contexts;
pub mod includes;
pub mod keyvalues;
pub mod lexicon;
pub mod lists;
pub mod suppress;
pub mod surface;

use std::ops::Range;

use crate::directive::{self, Directive, DirectiveError};
use crate::markdown::Page;
use crate::model::Canon;
use crate::paths;

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
    /// `<!-- cavra-boundary-page: ID -->` markers: (id as written, comment).
    pub boundary_markers: Vec<(String, Range<usize>)>,
    /// Where the page names a boundary by its title.
    pub titles: Vec<boundaries::TitleMention>,
    /// Hand-written boundary lists (bullets and sentence enumerations).
    pub boundary_lists: Vec<boundaries::BoundaryList>,
    /// Whether the page has examples (code blocks, or a heading about examples).
    pub has_examples: bool,
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
        let mut contexts = contexts::inline_contexts(page, &lex);
        let hand_lists = lists::hand_lists(page, &lex, canon);
        // A list or column whose values are another vocabulary's terms
        // belongs to that vocabulary, whatever its lead-in says (capability
        // statuses in a table introduced as "readiness").
        for h in hand_lists.iter().filter(|h| !h.named) {
            for &c in &h.codes {
                if contexts.vocabulary[c]
                    .is_some_and(|v| canon.vocabularies[v].id != h.vocabulary.id)
                {
                    contexts.vocabulary[c] = None;
                }
            }
        }
        let boundary_markers = boundaries::markers(page);
        let own_boundaries =
            boundaries::own_boundaries(path, page, canon, &directives, &boundary_markers);
        let titles = boundaries::title_mentions(page, &lex);
        let boundary_lists = boundaries::boundary_lists(page, &lex, canon, &titles);
        let has_examples = !page.code_blocks.is_empty()
            || page.blocks.iter().any(|b| {
                matches!(b.kind, crate::markdown::BlockKind::Heading(_))
                    && page.text(b).to_ascii_lowercase().contains("example")
            });
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
            boundary_markers,
            titles,
            boundary_lists,
            has_examples,
        }
    }

    /// The boundary ids this page embeds any section of.
    pub fn embeds(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.directives.iter().filter_map(|(_, d)| match d {
            Ok(Directive::Boundary { boundary, .. }) => Some(*boundary),
            _ => None,
        })
    }

    /// The boundary topics the page discusses, each with the place to
    /// report (see [`boundaries::discussed`]); never the page's own
    /// boundaries.
    pub fn topic_mentions(&self) -> Vec<(&'static str, Range<usize>)> {
        boundaries::discussed(
            self.page,
            &self.lex,
            self.canon,
            &self.titles,
            &self.boundary_lists,
            &self.own_boundaries,
        )
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

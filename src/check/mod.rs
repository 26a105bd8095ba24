//! The checker: every rule, the page pass and the book pass.
//!
//! A page is parsed once ([`Page::parse`]) and every rule reads that parse;
//! the result of a page is a small [`PageFacts`] (its findings and what the
//! book pass needs), so a book of any size is checked page by page, in
//! parallel, without holding the pages. The book pass then settles what needs
//! more than one page: boundary topics that must link to a boundary's page,
//! and pages that `SUMMARY.md` never reaches.

mod boundary_language;
mod boundary_list_incomplete;
mod forbidden_material;
pub mod lexicon;
pub mod orphan_page;
mod retired_term;
pub mod state_list_drift;
mod suppress;
mod undefined_state;
mod unknown_directive;
mod unreadable_page;
mod unused_suppression;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;

use serde::Serialize;

use crate::config::Levels;
use crate::directive::{self, Directive};
use crate::markdown::Page;
use crate::model::Canon;

/// A rule's documentation, shown by `mdbook-cavra explain`.
#[derive(Debug, Clone, Copy)]
pub struct RuleDoc {
    pub what: &'static str,
    pub why: &'static str,
    pub example: &'static str,
    pub fix: &'static str,
}

macro_rules! rules {
    ($($variant:ident = $id:literal, $level:ident, $module:ident;)+) => {
        /// Every rule the checker knows. Ids are part of the user contract.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $($variant),+
        }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),+];

            pub fn id(self) -> &'static str {
                match self {
                    $(Rule::$variant => $id),+
                }
            }

            pub fn default_level(self) -> Level {
                match self {
                    $(Rule::$variant => Level::$level),+
                }
            }

            pub fn doc(self) -> &'static RuleDoc {
                match self {
                    $(Rule::$variant => &$module::DOC),+
                }
            }
        }
    };
}

rules! {
    UndefinedState = "undefined-state", Deny, undefined_state;
    StateListDrift = "state-list-drift", Deny, state_list_drift;
    BoundaryLanguage = "boundary-language", Deny, boundary_language;
    BoundaryListIncomplete = "boundary-list-incomplete", Deny, boundary_list_incomplete;
    ForbiddenMaterial = "forbidden-material", Deny, forbidden_material;
    UnknownDirective = "unknown-directive", Deny, unknown_directive;
    OrphanPage = "orphan-page", Warn, orphan_page;
    RetiredTerm = "retired-term", Deny, retired_term;
    UnreadablePage = "unreadable-page", Deny, unreadable_page;
    UnusedSuppression = "unused-suppression", Warn, unused_suppression;
}

impl Rule {
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }

    /// The documentation as `explain` prints it.
    pub fn explain(self) -> String {
        let d = self.doc();
        format!(
            "{id} (default: {level})\n\nWhat it finds\n  {what}\n\nWhy\n  {why}\n\nExample\n{example}\n\nFix\n  {fix}\n",
            id = self.id(),
            level = self.default_level().as_str(),
            what = d.what,
            why = d.why,
            example = indent(d.example),
            fix = d.fix,
        )
    }
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a rule is set to in `book.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Deny,
    Warn,
    Allow,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Deny => "deny",
            Level::Warn => "warn",
            Level::Allow => "allow",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "deny" => Some(Level::Deny),
            "warn" => Some(Level::Warn),
            "allow" => Some(Level::Allow),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem at one place, ready for any report format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    /// Relative to the book root, `/`-separated.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
    /// The source line (a window of it when very long).
    pub snippet: String,
    /// The span to underline, in bytes within `snippet`.
    pub span: Range<usize>,
}

impl Finding {
    fn sort_key(&self) -> (&str, usize, usize, Rule, &str) {
        (&self.path, self.line, self.column, self.rule, &self.message)
    }
}

/// Sort findings the way every report shows them: file, line, column.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// A finding a rule raised on a page, before locations are worked out.
#[derive(Debug, Clone)]
pub struct Raw {
    pub rule: Rule,
    pub range: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

/// What one page contributes to the book pass.
#[derive(Debug, Clone, Default)]
pub struct PageFacts {
    /// Path relative to the source folder, `/`-separated.
    pub path: String,
    /// Findings already settled.
    pub findings: Vec<Finding>,
    /// Boundary ids whose own page this is.
    pub own_boundaries: Vec<&'static str>,
    /// Boundary ids this page embeds any part of.
    pub embeds: BTreeSet<&'static str>,
    /// Link targets, resolved against the source folder.
    pub links: BTreeSet<String>,
    /// Per boundary: the finding to report if the page turns out not to
    /// point the reader at that boundary.
    pub topics: Vec<(&'static str, Finding)>,
}

/// Everything a rule may read about the page it checks.
pub struct Ctx<'p, 'a> {
    pub page: &'p Page<'a>,
    pub canon: &'static Canon,
    /// The page's directives, parsed (escaped ones are skipped).
    pub directives: Vec<(usize, Result<Directive, directive::DirectiveError>)>,
    /// Prose lexicon matches per block (see [`lexicon`]).
    pub lex: lexicon::PageLexicon,
    pub raw: Vec<Raw>,
    pub levels: &'p Levels,
    /// What the words around each inline code say (see [`undefined_state`]).
    pub contexts: undefined_state::InlineContexts,
    /// The key/value pairs of each code block (same order as `page.code_blocks`).
    pub code_kvs: Vec<Vec<undefined_state::KeyValue<'a>>>,
}

/// The boundaries whose own page this is: its first heading is the
/// boundary's title, or it embeds the whole boundary.
pub fn own_boundaries(ctx: &Ctx<'_, '_>) -> Vec<&'static str> {
    let title = ctx.page.title().map(|b| ctx.page.text(b).trim());
    let mut out: Vec<&'static str> = ctx
        .canon
        .boundaries
        .iter()
        .filter(|b| title.is_some_and(|t| t.eq_ignore_ascii_case(b.title)))
        .map(|b| b.id)
        .collect();
    for (_, d) in &ctx.directives {
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

impl Ctx<'_, '_> {
    pub fn report(
        &mut self,
        rule: Rule,
        range: Range<usize>,
        message: String,
        help: Option<String>,
    ) {
        if self.levels.get(rule) != Level::Allow {
            self.raw.push(Raw {
                rule,
                range,
                message,
                help,
            });
        }
    }

    /// Whether any rule output would be kept at all.
    pub fn wants(&self, rule: Rule) -> bool {
        self.levels.get(rule) != Level::Allow
    }
}

/// Check one page. `path` is relative to the source folder.
pub fn check_page(path: &str, src: &str, canon: &'static Canon, levels: &Levels) -> PageFacts {
    let page = Page::parse(src);
    check_parsed(path, &page, canon, levels)
}

/// Check a page already parsed (the preprocessor parses once for both jobs).
pub fn check_parsed(
    path: &str,
    page: &Page<'_>,
    canon: &'static Canon,
    levels: &Levels,
) -> PageFacts {
    let mut ctx = make_ctx(page, canon, levels);
    unknown_directive::check(&mut ctx);
    undefined_state::check(&mut ctx);
    state_list_drift::check(&mut ctx);
    boundary_list_incomplete::check(&mut ctx);
    retired_term::check(&mut ctx);
    forbidden_material::check(&mut ctx);
    let (own_boundaries, topic_raws) = boundary_language::check(&mut ctx);

    let mut facts = PageFacts {
        path: path.to_string(),
        own_boundaries,
        ..PageFacts::default()
    };
    for (_, d) in &ctx.directives {
        if let Ok(Directive::Boundary { boundary, .. }) = d {
            facts.embeds.insert(boundary);
        }
    }
    let base = path.rsplit_once('/').map_or("", |(dir, _)| dir);
    for link in &page.links {
        if let Some(target) = resolve_link(base, &link.dest) {
            facts.links.insert(target);
        }
    }

    let mut sup = suppress::Suppressions::parse(page);
    let mut raw = std::mem::take(&mut ctx.raw);
    // In page order, so locating each one continues where the last stopped.
    raw.sort_by_key(|r| r.range.start);
    for r in raw {
        if !sup.suppresses(page, r.rule, r.range.start) {
            facts.findings.push(locate(path, page, r, levels));
        }
    }
    // SUMMARY.md is navigation: naming a page "Renewals" there is not a discussion.
    let topic_raws = if path == "SUMMARY.md" {
        Vec::new()
    } else {
        topic_raws
    };
    for (boundary, r) in topic_raws {
        if !sup.suppresses(page, r.rule, r.range.start) {
            facts.topics.push((boundary, locate(path, page, r, levels)));
        }
    }
    if levels.get(Rule::UnusedSuppression) != Level::Allow {
        for r in sup.unused(page) {
            facts.findings.push(locate(path, page, r, levels));
        }
    }
    facts
}

/// Everything the rules share about a page, computed once.
fn make_ctx<'p, 'a>(page: &'p Page<'a>, canon: &'static Canon, levels: &'p Levels) -> Ctx<'p, 'a> {
    let directives = page
        .directives
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.escaped)
        .map(|(i, c)| (i, directive::parse(page.src, c, canon)))
        .collect();
    let lex = lexicon::PageLexicon::build(page);
    let code_kvs = page
        .code_blocks
        .iter()
        .map(|cb| undefined_state::key_values(&page.src[cb.content.clone()]))
        .collect();
    let mut ctx = Ctx {
        page,
        canon,
        directives,
        lex,
        raw: Vec::new(),
        levels,
        code_kvs,
        contexts: undefined_state::InlineContexts::default(),
    };
    ctx.contexts = undefined_state::inline_contexts(&ctx);
    ctx
}

/// Hand-written copies of canonical lists on a page, right or wrong: lists,
/// table columns and sentences that enumerate three or more terms of one
/// vocabulary, and lists that say three or more items of one boundary
/// section. A single-sourced book has none; each is `(line, description)`.
pub fn hand_copies(src: &str, canon: &'static Canon) -> Vec<(usize, String)> {
    let page = Page::parse(src);
    let levels = Levels::default();
    let ctx = make_ctx(&page, canon, &levels);
    let mut out = Vec::new();
    let line = |offset: usize| page.index.line(offset);
    for h in state_list_drift::hand_lists(&ctx) {
        let terms = h
            .values
            .iter()
            .filter(|v| h.vocabulary.term(v).is_some())
            .count();
        if terms >= 3 {
            out.push((
                line(h.range.start),
                format!("a list of {} values", h.vocabulary.label),
            ));
        }
    }
    for chain in &ctx.contexts.chains {
        let v = &canon.vocabularies[chain.vocabulary];
        let terms = chain
            .codes
            .iter()
            .filter(|&&c| v.term(page.code_text(&page.codes[c])).is_some())
            .count();
        if terms >= 3 {
            let at = page.codes[chain.codes[0]].range.start;
            out.push((line(at), format!("a sentence listing {} values", v.label)));
        }
    }
    for (l, list) in page.lists.iter().enumerate() {
        let entries = boundary_list_incomplete::entries(&ctx, l);
        for b in canon.boundaries {
            for kind in crate::model::SectionKind::ALL {
                let said = b
                    .items(kind)
                    .iter()
                    .filter(|i| {
                        // A bare entry repeats the item; a numbered walkthrough
                        // that explains each step in sentences is commentary.
                        let longest = i.wordings().map(str::len).max().unwrap_or(0);
                        entries.iter().any(|e| {
                            e.len() <= longest + 40 && boundary_list_incomplete::says(e, i)
                        })
                    })
                    .count();
                if said >= 3 {
                    out.push((
                        line(list.range.start),
                        format!("{} items of {}", kind.id(), b.title),
                    ));
                }
            }
        }
    }
    out.sort();
    out
}

/// Turn a raw finding into a located one.
pub fn locate(path: &str, page: &Page<'_>, r: Raw, levels: &Levels) -> Finding {
    let (line, column) = page.index.locate(page.src, r.range.start);
    let (snippet, span) = snippet(page, line, r.range.clone());
    Finding {
        rule: r.rule,
        severity: levels.severity(r.rule),
        path: path.to_string(),
        line,
        column,
        message: r.message,
        help: r.help,
        snippet,
        span,
    }
}

/// The line holding `range.start`, cut to a window when long, with the part
/// of `range` on that line as the span.
fn snippet(page: &Page<'_>, line: usize, range: Range<usize>) -> (String, Range<usize>) {
    const WINDOW: usize = 160;
    let text = page.index.line_text(page.src, line);
    let line_start = page.index.line_start(line);
    let start = range.start.saturating_sub(line_start).min(text.len());
    let end = range
        .end
        .saturating_sub(line_start)
        .clamp(start, text.len());
    let end = if end == start {
        (start + 1).min(text.len())
    } else {
        end
    };
    if text.len() <= 2 * WINDOW {
        return (text.to_string(), start..end);
    }
    let mut from = start.saturating_sub(WINDOW / 2);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (end.max(start) + WINDOW / 2).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let end = end.min(to);
    (text[from..to].to_string(), start - from..end - from)
}

/// Resolve a link destination to a path relative to the source folder;
/// external links and bare fragments give `None`.
pub fn resolve_link(base: &str, dest: &str) -> Option<String> {
    if dest.starts_with('#') || dest.contains("://") || dest.starts_with("mailto:") {
        return None;
    }
    let path = dest.split(['#', '?']).next().filter(|p| !p.is_empty())?;
    let (path, html) = match path.strip_suffix(".html") {
        Some(stem) => (stem, true),
        None => (path, false),
    };
    let mut parts: Vec<&str> = match path.strip_prefix('/') {
        Some(_) => Vec::new(),
        None => base.split('/').filter(|p| !p.is_empty()).collect(),
    };
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if html {
        out.push_str(".md");
    }
    Some(out)
}

/// `a/./b/../c` → `a/c`, with `/` separators.
pub fn normalize_path(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

/// The book pass: settle topic findings now that every page's title and
/// embeds are known. `pages` may be in any order; the result is sorted.
pub fn finish_book(pages: Vec<PageFacts>, canon: &Canon, src_prefix: &str) -> Vec<Finding> {
    let mut boundary_pages: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for p in &pages {
        for b in &p.own_boundaries {
            boundary_pages.entry(b).or_default().push(p.path.clone());
        }
    }
    let mut out = Vec::new();
    for p in pages {
        out.extend(p.findings);
        for (b, mut finding) in p.topics {
            let pages_of_b = boundary_pages.get(b);
            let satisfied = p.own_boundaries.contains(&b)
                || p.embeds.contains(b)
                || pages_of_b.is_some_and(|targets| targets.iter().any(|t| p.links.contains(t)));
            if satisfied {
                continue;
            }
            let boundary = canon.boundary(b).expect("topic of a known boundary");
            finding.help = Some(match pages_of_b.and_then(|t| t.first()) {
                Some(target) => format!(
                    "link to [{}]({}) or embed a section with `{{{{#cavra-boundary {} notice}}}}`",
                    boundary.title,
                    relative_link(&p.path, target),
                    boundary.id
                ),
                None => format!(
                    "embed a section with `{{{{#cavra-boundary {} notice}}}}` (the book has no page for this boundary yet)",
                    boundary.id
                ),
            });
            out.push(finding);
        }
    }
    for f in &mut out {
        if !src_prefix.is_empty() {
            f.path = format!("{src_prefix}/{}", f.path);
        }
    }
    sort(&mut out);
    out
}

/// A relative link from one page to another, both relative to the source folder.
pub fn relative_link(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect::<Vec<_>>();
    let from_dir = &from_dir[..from_dir.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod link_tests {
    use super::*;

    #[test]
    fn links_resolve_against_the_page_folder() {
        assert_eq!(
            resolve_link("editions", "billing.md#notice").as_deref(),
            Some("editions/billing.md")
        );
        assert_eq!(
            resolve_link("editions", "../cli.html").as_deref(),
            Some("cli.md")
        );
        assert_eq!(
            resolve_link("a/b", "./c/../d.md").as_deref(),
            Some("a/b/d.md")
        );
        assert_eq!(resolve_link("a", "/top.md").as_deref(), Some("top.md"));
        assert_eq!(resolve_link("a", "https://example.com/x.md"), None);
        assert_eq!(resolve_link("a", "#frag"), None);
        assert_eq!(relative_link("editions/a.md", "cli.md"), "../cli.md");
    }
}

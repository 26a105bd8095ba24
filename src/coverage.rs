//! `mdbook-cavra report`: where a book states each part of the canon.
//!
//! For every boundary, each required statement and each canonical item (the
//! notice, every list item, the vocabulary tables that belong on its page)
//! with the places the book states it: injected by a `{{#cavra-…}}`
//! directive or written by hand, as `page:line`; or that it is missing. For
//! every vocabulary, the pages that use it and how: a table or term by
//! directive, an inline term, a hand-written list, a field value in a code
//! block.
//!
//! It finds pages as every front does ([`layout::discover`]) and reads them
//! through the same page facts the rules read ([`PageFacts`]), so a place
//! this report counts is a place the checker sees. It runs no rule and
//! reports no finding: `check` says what is wrong, this says where things are.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Serialize;

use crate::annotate::Inline;
use crate::check::facts::PageFacts;
use crate::check::facts::book::Role;
use crate::check::facts::boundaries::{loose as normalize, says};
use crate::check::facts::lexicon::Hit;
use crate::directive::Directive;
use crate::error::Error;
use crate::markdown::Page;
use crate::model::{Boundary, Canon, SectionKind, Vocabulary};
use crate::session::layout::{self, Book, Entry};

/// The version of the JSON report's shape.
pub const SCHEMA_VERSION: &str = "mdbook-cavra.coverage.v1";

/// Where the canon shows in a book.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub schema_version: &'static str,
    /// Pages read (`SUMMARY.md` and unreadable files are not counted).
    pub pages: usize,
    pub summary: Summary,
    pub boundaries: Vec<BoundaryCoverage>,
    pub vocabularies: Vec<VocabularyCoverage>,
}

/// Counts over every boundary row.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Summary {
    pub boundaries: usize,
    /// Rows: required statements and canonical items of every boundary.
    pub rows: usize,
    pub stated: usize,
    pub missing: usize,
}

/// One boundary: its own pages and a row per statement or item.
#[derive(Debug, Clone, Serialize)]
pub struct BoundaryCoverage {
    pub id: &'static str,
    pub title: &'static str,
    /// Pages that are this boundary's own page (its title is their first
    /// heading, or they embed the whole boundary).
    pub own_pages: Vec<String>,
    pub rows: Vec<Row>,
}

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowKind {
    /// Required language, looked for on the boundary's own pages.
    Required,
    Notice,
    MayContain,
    MustNotContain,
    PrivateResponsibilities,
    Evidence,
    /// The table of a vocabulary that belongs on the boundary's own page.
    VocabularyTable,
}

impl RowKind {
    fn label(self) -> &'static str {
        match self {
            RowKind::Required => "required statement",
            RowKind::Notice => "notice",
            RowKind::MayContain => "may-contain",
            RowKind::MustNotContain => "must-not-contain",
            RowKind::PrivateResponsibilities => "private-responsibilities",
            RowKind::Evidence => "evidence",
            RowKind::VocabularyTable => "vocabulary table",
        }
    }

    fn of(kind: SectionKind) -> RowKind {
        match kind {
            SectionKind::Notice => RowKind::Notice,
            SectionKind::MayContain => RowKind::MayContain,
            SectionKind::MustNotContain => RowKind::MustNotContain,
            SectionKind::PrivateResponsibilities => RowKind::PrivateResponsibilities,
            SectionKind::Evidence => RowKind::Evidence,
        }
    }
}

/// A required statement or a canonical item, and where the book states it.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub kind: RowKind,
    /// The statement, the item's canonical wording, or the vocabulary id.
    pub text: String,
    /// Empty when the book does not state it.
    pub places: Vec<Place>,
    pub missing: bool,
}

/// How a page states something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum How {
    /// Injected by a `{{#cavra-…}}` directive.
    Directive,
    /// Written by hand.
    HandWritten,
}

impl How {
    fn label(self) -> &'static str {
        match self {
            How::Directive => "directive",
            How::HandWritten => "hand-written",
        }
    }
}

/// A place in the book: a page (relative to the book root) and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Place {
    pub page: String,
    pub line: usize,
    pub how: How,
}

/// One vocabulary: its terms and every use the book makes of it.
#[derive(Debug, Clone, Serialize)]
pub struct VocabularyCoverage {
    pub id: &'static str,
    pub label: &'static str,
    pub terms: Vec<&'static str>,
    /// Pages that use it, sorted.
    pub pages: Vec<String>,
    /// Terms no use states (a table states them all).
    pub unstated_terms: Vec<&'static str>,
    /// Sorted by page and line.
    pub uses: Vec<Use>,
}

/// How a page uses a vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UseKind {
    /// `{{#cavra-states VOCAB}}`: the whole table.
    TableDirective,
    /// `{{#cavra-state VOCAB.TERM}}`.
    TermDirective,
    /// A term in inline code that its sentence, list, table or heading ties
    /// to the vocabulary.
    InlineTerm,
    /// A hand-written list or table column of the vocabulary's terms.
    HandWrittenList,
    /// The value of one of the vocabulary's fields in a code block.
    FieldValue,
}

impl UseKind {
    fn label(self) -> &'static str {
        match self {
            UseKind::TableDirective => "table (directive)",
            UseKind::TermDirective => "term (directive)",
            UseKind::InlineTerm => "inline term",
            UseKind::HandWrittenList => "hand-written list",
            UseKind::FieldValue => "field value in code",
        }
    }
}

/// One use of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Use {
    pub page: String,
    pub line: usize,
    pub kind: UseKind,
    /// The terms it states.
    pub terms: Vec<String>,
    /// For a hand-written list: the terms it leaves out.
    pub missing: Vec<&'static str>,
}

/// What one page contributes, worked out from its facts.
struct PageScan {
    path: String,
    own: Vec<&'static str>,
    /// Boundary directives: (line, boundary, section).
    boundary_directives: Vec<(usize, &'static str, Option<SectionKind>)>,
    /// Required language said in prose: (index, line).
    required: Vec<(usize, usize)>,
    /// Hand-written boundary list entries: (boundary, section, entry, line).
    list_entries: Vec<(&'static str, SectionKind, String, usize)>,
    /// Normalized prose blocks with their line.
    blocks: Vec<(String, usize)>,
    uses: Vec<(&'static str, Use)>,
}

/// The coverage of `canon` in `book`.
pub fn coverage(book: &Book, canon: &'static Canon) -> Result<Coverage, Error> {
    let mut scans = Vec::new();
    for entry in layout::discover(book)? {
        let Entry::Page(p) = entry else { continue };
        if p.role == Role::Summary {
            continue;
        }
        // An unreadable page states nothing; `check` reports it.
        let Ok(text) = layout::read_page(&p.file, book.settings.max_page_size) else {
            continue;
        };
        scans.push(scan(&p.rel, &p.path, &text, canon));
    }
    Ok(assemble(&scans, canon))
}

fn scan(rel: &str, path: &str, text: &str, canon: &'static Canon) -> PageScan {
    let page = Page::parse(text);
    let facts = PageFacts::new(rel, &page, canon);
    let line = |offset: usize| page.index.locate(page.src, offset).0;
    let mut out = PageScan {
        path: path.to_string(),
        own: facts.own_boundaries.clone(),
        boundary_directives: Vec::new(),
        required: Vec::new(),
        list_entries: Vec::new(),
        blocks: Vec::new(),
        uses: Vec::new(),
    };
    let mut uses: Vec<(&'static str, Use)> = Vec::new();
    let mut add_use = |vocabulary: &'static str, line: usize, kind: UseKind, terms: Vec<String>| {
        uses.push((
            vocabulary,
            Use {
                page: path.to_string(),
                line,
                kind,
                terms,
                missing: Vec::new(),
            },
        ));
    };

    for (i, d) in &facts.directives {
        let Ok(d) = d else { continue };
        let at = line(page.directives[*i].range.start);
        match *d {
            Directive::Boundary { boundary, section } => {
                out.boundary_directives.push((at, boundary, section));
            }
            Directive::States { vocabulary } => {
                let terms = canon
                    .vocabulary(vocabulary)
                    .map(|v| v.terms.iter().map(|t| t.name.to_string()).collect())
                    .unwrap_or_default();
                add_use(vocabulary, at, UseKind::TableDirective, terms);
            }
            Directive::State { vocabulary, term } => {
                add_use(
                    vocabulary,
                    at,
                    UseKind::TermDirective,
                    vec![term.to_string()],
                );
            }
            Directive::Cli { .. }
            | Directive::Command { .. }
            | Directive::Settings
            | Directive::Routes { .. }
            | Directive::Paths
            | Directive::Contract { .. } => {}
        }
    }

    for h in &facts.lex.hits {
        if let Hit::Required(i) = h.hit {
            let block = &page.blocks[h.block];
            out.required
                .push((i, line(page.source_offset(block, h.start))));
        }
    }

    for b in &page.blocks {
        let text = normalize(page.text(b));
        if !text.is_empty() {
            out.blocks.push((text, line(b.range.start)));
        }
    }

    // Hand-written boundary lists, given to the boundary the page is the
    // own page of, or else the one most of their entries name (as
    // `boundary-list-incomplete` decides).
    for bl in &facts.boundary_lists {
        let pick = |b: &Boundary| {
            b.items(bl.kind)
                .iter()
                .filter(|i| bl.entries.iter().any(|e| says(e, i)))
                .count()
        };
        let boundary = match (bl.named, facts.own_boundaries.as_slice()) {
            (Some(id), _) => canon.boundary(id),
            (None, [one]) => canon.boundary(one),
            _ => canon
                .boundaries
                .iter()
                .filter(|b| pick(b) >= 2)
                .max_by_key(|b| pick(b)),
        };
        let Some(b) = boundary else { continue };
        // A bullet list gives each entry its own line; a sentence, its own.
        let items = page
            .lists
            .iter()
            .find(|l| !bl.in_sentence && l.range.start == bl.range.start)
            .filter(|l| l.items.len() == bl.entries.len())
            .map(|l| l.items.clone());
        for (k, entry) in bl.entries.iter().enumerate() {
            let at = items
                .as_ref()
                .map_or(bl.range.start, |items| items[k].start);
            out.list_entries
                .push((b.id, bl.kind, entry.clone(), line(at)));
        }
    }

    // Vocabulary uses in prose and code.
    for h in &facts.hand_lists {
        let v = h.vocabulary;
        uses.push((
            v.id,
            Use {
                page: path.to_string(),
                line: line(h.range.start),
                kind: UseKind::HandWrittenList,
                terms: h
                    .values
                    .iter()
                    .filter(|t| v.term(t).is_some())
                    .map(|t| t.to_string())
                    .collect(),
                missing: h.missing(),
            },
        ));
    }
    for (ci, code) in page.codes.iter().enumerate() {
        if code.directive.is_some()
            || facts
                .hand_lists
                .iter()
                .any(|h| h.range.contains(&code.range.start))
        {
            continue;
        }
        let Some(v) = facts
            .contexts
            .vocabulary
            .get(ci)
            .copied()
            .flatten()
            .and_then(|v| canon.vocabularies.get(v))
        else {
            continue;
        };
        let text = page.code_text(code);
        if v.term(text).is_some() {
            uses.push((
                v.id,
                Use {
                    page: path.to_string(),
                    line: line(code.range.start),
                    kind: UseKind::InlineTerm,
                    terms: vec![text.to_string()],
                    missing: Vec::new(),
                },
            ));
        }
    }
    for (cb, kvs) in page.code_blocks.iter().zip(&facts.code_kvs) {
        let content = &page.src[cb.content.clone()];
        for kv in kvs {
            for v in canon.vocabularies {
                if field_of(v, &kv.path, content) && v.term(kv.value).is_some() {
                    uses.push((
                        v.id,
                        Use {
                            page: path.to_string(),
                            line: line(cb.content.start + kv.at),
                            kind: UseKind::FieldValue,
                            terms: vec![kv.value.to_string()],
                            missing: Vec::new(),
                        },
                    ));
                }
            }
        }
    }
    out.uses = uses;
    out
}

/// Whether a key path (`["evidence", "level"]`) is one of the vocabulary's
/// fields in a code block with this text.
fn field_of(v: &Vocabulary, path: &[&str], code: &str) -> bool {
    v.fields.iter().any(|f| {
        let parts: Vec<&str> = f.key.split('.').collect();
        path.ends_with(&parts) && f.only_with.is_none_or(|w| code.contains(w))
    })
}

fn assemble(scans: &[PageScan], canon: &'static Canon) -> Coverage {
    let boundaries: Vec<BoundaryCoverage> = canon
        .boundaries
        .iter()
        .map(|b| boundary(b, scans, canon))
        .collect();
    let mut summary = Summary {
        boundaries: boundaries.len(),
        ..Summary::default()
    };
    for row in boundaries.iter().flat_map(|b| &b.rows) {
        summary.rows += 1;
        if row.missing {
            summary.missing += 1;
        } else {
            summary.stated += 1;
        }
    }
    let vocabularies = canon
        .vocabularies
        .iter()
        .map(|v| vocabulary(v, scans))
        .collect();
    Coverage {
        schema_version: SCHEMA_VERSION,
        pages: scans.len(),
        summary,
        boundaries,
        vocabularies,
    }
}

fn row(kind: RowKind, text: &str, mut places: Vec<Place>) -> Row {
    places.sort();
    places.dedup();
    Row {
        kind,
        text: text.to_string(),
        missing: places.is_empty(),
        places,
    }
}

fn boundary(b: &'static Boundary, scans: &[PageScan], canon: &Canon) -> BoundaryCoverage {
    let own: Vec<&PageScan> = scans.iter().filter(|s| s.own.contains(&b.id)).collect();
    let mut rows = Vec::new();
    // Directives of this boundary that provide `kind`, anywhere in the book.
    let injected = |kind: SectionKind| -> Vec<Place> {
        scans
            .iter()
            .flat_map(|s| {
                s.boundary_directives
                    .iter()
                    .filter(move |(_, id, section)| {
                        *id == b.id && section.is_none_or(|k| k == kind)
                    })
                    .map(|(line, _, _)| Place {
                        page: s.path.clone(),
                        line: *line,
                        how: How::Directive,
                    })
            })
            .collect()
    };

    for (i, r) in canon.required_language.iter().enumerate() {
        let mut places = Vec::new();
        for s in &own {
            for (line, id, section) in &s.boundary_directives {
                let provides = match section {
                    None => true,
                    Some(k) => r.provided_by == Some(*k),
                };
                if *id == b.id && provides {
                    places.push(Place {
                        page: s.path.clone(),
                        line: *line,
                        how: How::Directive,
                    });
                }
            }
            for (j, line) in &s.required {
                if *j == i {
                    places.push(Place {
                        page: s.path.clone(),
                        line: *line,
                        how: How::HandWritten,
                    });
                }
            }
        }
        rows.push(row(RowKind::Required, r.what, places));
    }

    if b.has(SectionKind::Notice) {
        let mut places = injected(SectionKind::Notice);
        let notice = normalize(b.notice);
        for s in scans {
            for (text, line) in &s.blocks {
                if text.contains(&notice) {
                    places.push(Place {
                        page: s.path.clone(),
                        line: *line,
                        how: How::HandWritten,
                    });
                }
            }
        }
        rows.push(row(RowKind::Notice, b.notice, places));
    }

    for kind in b.sections().filter(|k| *k != SectionKind::Notice) {
        let from_directives = injected(kind);
        for item in b.items(kind) {
            let mut places = from_directives.clone();
            for s in scans {
                for (id, k, entry, line) in &s.list_entries {
                    if *id == b.id && *k == kind && says(entry, item) {
                        places.push(Place {
                            page: s.path.clone(),
                            line: *line,
                            how: How::HandWritten,
                        });
                    }
                }
            }
            rows.push(row(RowKind::of(kind), item.text, places));
        }
    }

    for v in b.vocabularies {
        let mut places = Vec::new();
        for s in &own {
            for (id, u) in &s.uses {
                let how = match u.kind {
                    UseKind::TableDirective => How::Directive,
                    UseKind::HandWrittenList => How::HandWritten,
                    _ => continue,
                };
                if id == v {
                    places.push(Place {
                        page: u.page.clone(),
                        line: u.line,
                        how,
                    });
                }
            }
        }
        rows.push(row(RowKind::VocabularyTable, v, places));
    }

    BoundaryCoverage {
        id: b.id,
        title: b.title,
        own_pages: own.iter().map(|s| s.path.clone()).collect(),
        rows,
    }
}

fn vocabulary(v: &'static Vocabulary, scans: &[PageScan]) -> VocabularyCoverage {
    let mut uses: Vec<Use> = scans
        .iter()
        .flat_map(|s| &s.uses)
        .filter(|(id, _)| *id == v.id)
        .map(|(_, u)| u.clone())
        .collect();
    uses.sort();
    uses.dedup();
    let pages: BTreeSet<String> = uses.iter().map(|u| u.page.clone()).collect();
    let stated: BTreeSet<&str> = uses
        .iter()
        .flat_map(|u| u.terms.iter().map(String::as_str))
        .collect();
    VocabularyCoverage {
        id: v.id,
        label: v.label,
        terms: v.terms.iter().map(|t| t.name).collect(),
        pages: pages.into_iter().collect(),
        unstated_terms: v
            .terms
            .iter()
            .map(|t| t.name)
            .filter(|t| !stated.contains(t))
            .collect(),
        uses,
    }
}

/// The report as pretty-printed JSON, for CI.
pub fn to_json(c: &Coverage) -> String {
    let mut out = serde_json::to_string_pretty(c).expect("the report serializes");
    out.push('\n');
    out
}

/// The mark a missing row carries in Markdown and HTML.
pub const MISSING: &str = "**missing**";

/// The report as Markdown, for reviewers: a table per boundary, then a
/// table per vocabulary.
///
/// Page paths come from the book's file names, which may hold any
/// character: each goes into a code span as long as needed ([`code`]),
/// so no name can open a tag, a link or a new table cell where a
/// renderer reads this.
pub fn to_markdown(c: &Coverage) -> String {
    let mut out = String::new();
    let s = c.summary;
    let _ = writeln!(
        out,
        "# Where the book states the CAVRA canon\n\n{} pages read. Of {} required statements and \
canonical items across {} boundaries, {} are stated and {} are missing.",
        c.pages, s.rows, s.boundaries, s.stated, s.missing
    );
    out.push_str("\n## Boundaries\n");
    for b in &c.boundaries {
        let _ = writeln!(out, "\n### {} ({})\n", b.title, code(b.id));
        if b.own_pages.is_empty() {
            out.push_str(
                "Own page: none (no page has this title as its first heading or embeds the whole \
boundary), so its required statements are missing.\n\n",
            );
        } else {
            let pages: Vec<String> = b.own_pages.iter().map(|p| code(p)).collect();
            let _ = writeln!(out, "Own page: {}\n", pages.join(", "));
        }
        out.push_str(
            "| Part | Statement or item | Where the book states it |\n| --- | --- | --- |\n",
        );
        for r in &b.rows {
            let item = if r.kind == RowKind::VocabularyTable {
                format!("table of {}", cell_code(&r.text))
            } else {
                cell(&r.text)
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                r.kind.label(),
                item,
                places(&r.places)
            );
        }
    }
    out.push_str("\n## Vocabularies\n");
    for v in &c.vocabularies {
        let _ = writeln!(out, "\n### {}: {}\n", code(v.id), v.label);
        let terms: Vec<String> = v.terms.iter().map(|t| code(t)).collect();
        let _ = writeln!(out, "Terms: {}.", terms.join(", "));
        if v.uses.is_empty() {
            let _ = writeln!(out, "\nNo page uses it.");
            continue;
        }
        let pages: Vec<String> = v.pages.iter().map(|p| code(p)).collect();
        let _ = writeln!(out, "Used on: {}.", pages.join(", "));
        if !v.unstated_terms.is_empty() {
            let terms: Vec<String> = v.unstated_terms.iter().map(|t| code(t)).collect();
            let _ = writeln!(out, "Never stated: {}.", terms.join(", "));
        }
        out.push_str("\n| Page | How | Terms |\n| --- | --- | --- |\n");
        for u in &v.uses {
            let mut terms = if u.kind == UseKind::TableDirective {
                "all".to_string()
            } else {
                u.terms
                    .iter()
                    .map(|t| cell_code(t))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if !u.missing.is_empty() {
                let missing: Vec<String> = u.missing.iter().map(|t| cell_code(t)).collect();
                let _ = write!(terms, " ({MISSING}: {})", missing.join(", "));
            }
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell_code(&format!("{}:{}", u.page, u.line)),
                u.kind.label(),
                terms
            );
        }
    }
    out
}

fn places(places: &[Place]) -> String {
    if places.is_empty() {
        return MISSING.to_string();
    }
    places
        .iter()
        .map(|p| {
            format!(
                "{} ({})",
                cell_code(&format!("{}:{}", p.page, p.line)),
                p.how.label()
            )
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

/// `s` as one line of a Markdown code span that shows it as written: the
/// fence is one backtick longer than the longest run of backticks in `s`
/// (so none of them can close it), padded with a space when `s` starts or
/// ends with a backtick or a space (the reader strips one from each side),
/// and control characters (a line break would end a table row or a
/// paragraph) written as escapes.
pub fn code(s: &str) -> String {
    code_span(s, false)
}

/// [`code`] for a table cell: `|` is escaped too, since a cell ends at a
/// bare `|` even inside code (GitHub and pulldown-cmark show `\|` there as
/// `|`).
pub fn cell_code(s: &str) -> String {
    code_span(s, true)
}

fn code_span(s: &str, in_table: bool) -> String {
    let mut body = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' if in_table => body.push_str("\\|"),
            c if c.is_control() => body.extend(c.escape_default()),
            c => body.push(c),
        }
    }
    let mut longest = 0;
    let mut run = 0;
    for b in body.bytes() {
        run = if b == b'`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if body.starts_with(['`', ' ']) || body.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// Canon text (trusted, written in this crate as Markdown with code
/// spans) in a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The report as a standalone HTML page, built from the same data as the
/// Markdown one (not from its text); every string is escaped by `maud`.
pub fn to_html(c: &Coverage) -> String {
    let s = c.summary;
    let places = |places: &[Place]| -> Markup {
        html! {
            @if places.is_empty() {
                strong.missing { "missing" }
            }
            @for (i, p) in places.iter().enumerate() {
                @if i > 0 { br; }
                code { (p.page) ":" (p.line) } " (" (p.how.label()) ")"
            }
        }
    };
    let codes = |items: &mut dyn Iterator<Item = &str>| -> Markup {
        html! {
            @for (i, t) in items.enumerate() {
                @if i > 0 { ", " }
                code { (t) }
            }
        }
    };
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { "Where the book states the CAVRA canon" }
                style { (PreEscaped(REPORT_STYLE)) }
            }
            body {
                h1 { "Where the book states the CAVRA canon" }
                p {
                    (c.pages) " pages read. Of " (s.rows) " required statements and canonical \
    items across " (s.boundaries) " boundaries, " (s.stated) " are stated and " (s.missing)
                    " are missing."
                }
                h2 { "Boundaries" }
                @for b in &c.boundaries {
                    h3 { (b.title) " (" code { (b.id) } ")" }
                    p {
                        @if b.own_pages.is_empty() {
                            "Own page: none (no page has this title as its first heading or \
    embeds the whole boundary), so its required statements are missing."
                        } @else {
                            "Own page: " (codes(&mut b.own_pages.iter().map(String::as_str)))
                        }
                    }
                    table {
                        thead { tr { th { "Part" } th { "Statement or item" } th { "Where the book states it" } } }
                        tbody {
                            @for r in &b.rows {
                                tr {
                                    td { (r.kind.label()) }
                                    td {
                                        @if r.kind == RowKind::VocabularyTable {
                                            "table of " code { (r.text) }
                                        } @else {
                                            (Inline(&r.text))
                                        }
                                    }
                                    td { (places(&r.places)) }
                                }
                            }
                        }
                    }
                }
                h2 { "Vocabularies" }
                @for v in &c.vocabularies {
                    h3 { code { (v.id) } ": " (v.label) }
                    p {
                        "Terms: " (codes(&mut v.terms.iter().copied())) "."
                        @if v.uses.is_empty() {
                            br; "No page uses it."
                        } @else {
                            br; "Used on: " (codes(&mut v.pages.iter().map(String::as_str))) "."
                            @if !v.unstated_terms.is_empty() {
                                br; "Never stated: " (codes(&mut v.unstated_terms.iter().copied())) "."
                            }
                        }
                    }
                    @if !v.uses.is_empty() {
                        table {
                            thead { tr { th { "Page" } th { "How" } th { "Terms" } } }
                            tbody {
                                @for u in &v.uses {
                                    tr {
                                        td { code { (u.page) ":" (u.line) } }
                                        td { (u.kind.label()) }
                                        td {
                                            @if u.kind == UseKind::TableDirective {
                                                "all"
                                            } @else {
                                                (codes(&mut u.terms.iter().map(String::as_str)))
                                            }
                                            @if !u.missing.is_empty() {
                                                " (" strong.missing { "missing" } ": "
                                                (codes(&mut u.missing.iter().copied())) ")"
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let mut out = page.into_string();
    out.push('\n');
    out
}

/// The HTML report's look.
const REPORT_STYLE: &str = "\
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
tr:has(.missing) { background: #fde8e8; }
.missing { color: #b00020; }
";

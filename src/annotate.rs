//! Findings shown in the page: a chapter's findings as raw HTML blocks,
//! spliced into its expanded text for a writer's preview (`mdbook serve`
//! with `on-finding = "show"`, and `mdbook-cavra preview`).
//!
//! Each finding becomes one `<div class="cavra-finding">` placed right
//! after the top-level block it points at; a summary goes at the top of the
//! page and the explanation of every rule found at the bottom, where each
//! finding links to it. Nothing else changes: remove the inserted blocks
//! and the chapter is byte for byte what the expansion gave (a test holds
//! this). Every inserted block is one HTML block in CommonMark's sense (no
//! blank line inside, a blank line after), so no Markdown around it is
//! re-read differently.
//!
//! Findings are located in the *source* page, and the chapter mdBook
//! renders is the *expanded* page. A block boundary of the source maps to
//! the expanded page through the expansion of the source up to that
//! boundary: directives never cross a block boundary, so expanding the
//! prefix gives a prefix of the expanded page, and its length is the place
//! to insert at. This is checked each time; if it ever fails, the finding
//! goes to the end of the page rather than into the middle of a table.

use std::collections::BTreeMap;

use maud::{Markup, PreEscaped, Render, html};

use crate::diagnostic::{Finding, RuleMeta, Severity};
use crate::expand;
use crate::markdown::Page;
use crate::model::Canon;

/// The class every inserted block carries; nothing else in a book uses it,
/// so its presence in a rendered page means "preview markup".
pub const MARKER_CLASS: &str = "cavra-preview";

/// Why the findings are shown, for the summary's first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// `mdbook serve` with `on-finding = "show"`.
    Serve,
    /// `mdbook-cavra preview`.
    Preview,
}

/// Findings of the whole book, for the line about other pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BookTotals {
    pub errors: usize,
    pub warnings: usize,
}

impl BookTotals {
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> BookTotals {
        let mut t = BookTotals::default();
        for f in findings {
            match f.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
            }
        }
        t
    }
}

/// The findings one page shows.
#[derive(Debug, Clone, Copy)]
pub struct Findings<'f> {
    /// Located in this page.
    pub here: &'f [&'f Finding],
    /// In files that are no chapter (`SUMMARY.md`, orphan pages): shown
    /// under the summary of the first chapter, so none goes unseen.
    pub others: &'f [&'f Finding],
    /// Every finding of the book, for the line about other pages.
    pub book: BookTotals,
}

/// `expanded` (the expansion of `source`) with the page's findings (located
/// in `source`) shown in place, a summary at the top and the rules' texts
/// at the bottom. With no finding in the whole book, the page comes back
/// unchanged.
pub fn annotate(
    source: &str,
    expanded: &str,
    shown: &Findings<'_>,
    context: Context,
    canon: &Canon,
) -> String {
    if shown.here.is_empty() && shown.others.is_empty() && shown.book == BookTotals::default() {
        return expanded.to_string();
    }
    let findings = shown.here;
    let page = Page::parse(source);
    // (place in `expanded`, finding numbers), in page order.
    let mut places: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut prefix_cache: BTreeMap<usize, usize> = BTreeMap::new();
    for (n, f) in findings.iter().enumerate() {
        let at = source_place(&page, f.at.offset);
        let q = *prefix_cache
            .entry(at)
            .or_insert_with(|| expanded_place(source, expanded, at, canon));
        places.entry(q).or_default().push(n);
    }
    let mut out = String::with_capacity(expanded.len() + 2048 * (findings.len() + 1));
    out.push_str(&summary(findings, shown.others, shown.book, context));
    for (i, f) in shown.others.iter().enumerate() {
        out.push_str(&finding_block(findings.len() + i, f));
        out.push_str("\n\n");
    }
    let mut copied = 0;
    for (q, numbers) in &places {
        out.push_str(&expanded[copied..*q]);
        copied = *q;
        // A blank line ends whatever came before; the block ends with one.
        if !(out.ends_with("\n\n") || out.is_empty()) {
            out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
        }
        for &n in numbers {
            out.push_str(&finding_block(n, findings[n]));
            out.push_str("\n\n");
        }
    }
    out.push_str(&expanded[copied..]);
    let all: Vec<&Finding> = findings.iter().chain(shown.others).copied().collect();
    let rules = rules_of(&all);
    if !rules.is_empty() {
        if !out.ends_with("\n\n") {
            out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
        }
        out.push_str(&explanations(&rules));
        out.push('\n');
    }
    out
}

/// Where in `source` the markup of a finding at `offset` goes: after the
/// top-level block that holds it (or the next block, for an offset between
/// blocks) and the blank lines after that, at the start of the line where
/// the next block begins; at the end of the page after the last block.
fn source_place(page: &Page<'_>, offset: usize) -> usize {
    let src = page.src;
    let blocks = &page.top_blocks;
    let i = page.top_block_at(offset).or_else(|| {
        let i = blocks.partition_point(|r| r.end() <= offset);
        (i < blocks.len()).then_some(i)
    });
    let Some(i) = i else { return src.len() };
    let end = next_line(src, blocks[i].end().max(offset).min(src.len()));
    match blocks.get(i + 1) {
        Some(next) => {
            let line_start = src[..next.start()].rfind('\n').map_or(0, |n| n + 1);
            line_start.max(end)
        }
        None => src.len(),
    }
}

/// `at`, or the start of the next line when `at` is inside a line.
fn next_line(src: &str, at: usize) -> usize {
    if at == 0 || src.as_bytes()[at - 1] == b'\n' {
        at
    } else {
        src[at..].find('\n').map_or(src.len(), |i| at + i + 1)
    }
}

/// The offset in `expanded` that corresponds to `at` in `source`.
fn expanded_place(source: &str, expanded: &str, at: usize, canon: &Canon) -> usize {
    if at >= source.len() {
        return expanded.len();
    }
    let prefix = expand::expand(&Page::parse(&source[..at]), canon);
    if expanded.starts_with(&prefix) {
        prefix.len()
    } else {
        expanded.len()
    }
}

fn rules_of(findings: &[&Finding]) -> Vec<&'static RuleMeta> {
    let mut rules: Vec<&'static RuleMeta> = Vec::new();
    for f in findings {
        if !rules.iter().any(|r| r.id == f.rule.id) {
            rules.push(f.rule);
        }
    }
    rules.sort_by_key(|r| r.id);
    rules
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The id of the anchor of finding `n` (0-based) on its page.
pub fn finding_id(n: usize) -> String {
    format!("cavra-finding-{}", n + 1)
}

/// The id of the anchor of a rule's explanation on a page.
pub fn explain_id(rule: &str) -> String {
    format!("cavra-explain-{rule}")
}

/// The block at the top of a page: counts, why this is shown, a link to
/// each finding. Carries the stylesheet of all the markup.
fn summary(
    findings: &[&Finding],
    others: &[&Finding],
    book: BookTotals,
    context: Context,
) -> String {
    let here = BookTotals::of(findings.iter().chain(others).copied());
    let headline = if findings.is_empty() && others.is_empty() {
        "mdbook-cavra: no findings on this page".to_string()
    } else {
        format!(
            "mdbook-cavra: {} and {} on this page",
            plural(here.errors, "error", "errors"),
            plural(here.warnings, "warning", "warnings")
        )
    };
    let other = BookTotals {
        errors: book.errors.saturating_sub(here.errors),
        warnings: book.warnings.saturating_sub(here.warnings),
    };
    let listed: Vec<&Finding> = findings.iter().chain(others).copied().collect();
    let markup = html! {
        div class={ (MARKER_CLASS) " cavra-summary" } role="note"
            data-errors=(here.errors) data-warnings=(here.warnings) {
            style { (PreEscaped(STYLE)) }
            p.cavra-headline {
                strong { (Text(&headline)) }
                @if other != BookTotals::default() {
                    " "
                    span.cavra-elsewhere {
                        "(and " (plural(other.errors, "error", "errors")) " and "
                        (plural(other.warnings, "warning", "warnings")) " elsewhere in the book)"
                    }
                }
            }
            p.cavra-why {
                @match context {
                    Context::Serve => {
                        "Shown because " code { "on-finding = \"show\"" } " and this is "
                        code { "mdbook serve" } "; " code { "mdbook build" }
                        " still fails on errors."
                    }
                    Context::Preview => {
                        "A preview by " code { "mdbook-cavra preview" } "; "
                        code { "mdbook build" } " fails on errors."
                    }
                }
            }
            @if !listed.is_empty() {
                ol.cavra-list {
                    @for (n, f) in listed.iter().enumerate() {
                        li class={ "cavra-" (severity_name(f.severity)) } {
                            a href={ "#" (finding_id(n)) } {
                                (severity_name(f.severity)) "[" (Text(f.rule.id)) "] line "
                                (f.at.line) ": " (Inline(&f.message))
                            }
                        }
                    }
                }
            }
        }
    };
    let mut s = markup.into_string();
    s.push_str("\n\n");
    s
}

/// One finding, as it appears after its block.
fn finding_block(n: usize, f: &Finding) -> String {
    let sev = severity_name(f.severity);
    html! {
        div class={ (MARKER_CLASS) " cavra-finding cavra-" (sev) } id=(finding_id(n))
            role="note" data-rule=(Text(f.rule.id)) data-line=(f.at.line) {
            p.cavra-head {
                span.cavra-severity { (sev) }
                "[" a.cavra-rule href={ "#" (Text(&explain_id(f.rule.id))) } { (Text(f.rule.id)) } "]: "
                span.cavra-message { (Inline(&f.message)) }
                " "
                span.cavra-at { (Text(&f.at.path)) ":" (f.at.line) ":" (f.at.column) }
            }
            @if !f.at.snippet.is_empty() {
                pre.cavra-snippet { code { (snippet(&f.at.snippet, &f.at.span)) } }
            }
            @if let Some(help) = &f.help {
                p.cavra-help { strong { "help:" } " " (Inline(help)) }
            }
            @for note in &f.notes {
                p.cavra-note { strong { "note:" } " " (Inline(note)) }
            }
        }
    }
    .into_string()
}

/// The snippet line with the span marked.
fn snippet(line: &str, span: &std::ops::Range<usize>) -> Markup {
    let start = span.start.min(line.len());
    let end = span.end.clamp(start, line.len());
    if !(line.is_char_boundary(start) && line.is_char_boundary(end)) {
        return html! { (Text(line)) };
    }
    html! {
        (Text(&line[..start])) mark { (Text(&line[start..end])) } (Text(&line[end..]))
    }
}

/// The explanation of every rule found on the page, each at its anchor.
fn explanations(rules: &[&'static RuleMeta]) -> String {
    let mut s = html! {
        div class={ (MARKER_CLASS) " cavra-explanations" } {
            p {
                strong { "The rules found on this page" }
                " (" code { "mdbook-cavra explain RULE" } " prints the same)"
            }
            @for r in rules {
                section.cavra-explain id=(Text(&explain_id(r.id))) {
                    p { code { (Text(r.id)) } }
                    // As `mdbook-cavra explain` prints it: secret-shaped examples masked.
                    pre { (Text(crate::secrets::redact(&r.explain()).trim_end())) }
                }
            }
        }
    }
    .into_string();
    s.push('\n');
    s
}

/// Text for a page: escaped for HTML content and attribute values, with
/// nothing mdBook or CommonMark would read again. Every piece of text the
/// markup shows goes through here (or [`Inline`], which uses it).
///
/// - `& < > " '` become entities, so no tag, comment or attribute can start;
/// - `{` and `}` too: mdBook's `links` preprocessor runs after this one and
///   would read `{{#…}}` in a message as its own directive;
/// - line breaks become `&#10;`/`&#13;`: a blank line would end the HTML
///   block and the rest would be read as Markdown (inside `<pre>`, `&#10;`
///   is still a line break).
pub struct Text<'a>(pub &'a str);

impl Render for Text<'_> {
    fn render_to(&self, out: &mut String) {
        let text = self.0;
        let mut last = 0;
        for (i, b) in text.bytes().enumerate() {
            let entity = match b {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                b'{' => "&#123;",
                b'}' => "&#125;",
                b'\n' => "&#10;",
                b'\r' => "&#13;",
                _ => continue,
            };
            out.push_str(&text[last..i]);
            out.push_str(entity);
            last = i + 1;
        }
        out.push_str(&text[last..]);
    }
}

/// A message, help or note: [`Text`], with `` `code` `` spans shown as
/// `<code>` when the backticks pair up (else they stay as written).
pub struct Inline<'a>(pub &'a str);

impl Render for Inline<'_> {
    fn render_to(&self, out: &mut String) {
        let text = self.0.trim_end();
        let paired = text.matches('`').count().is_multiple_of(2);
        for (i, part) in text.split('`').enumerate() {
            if paired && i % 2 == 1 {
                out.push_str("<code>");
                Text(part).render_to(out);
                out.push_str("</code>");
            } else {
                if i > 0 && !paired {
                    out.push('`');
                }
                Text(part).render_to(out);
            }
        }
    }
}

/// Escape text for HTML content and attribute values (see [`Text`]).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    Text(text).render_to(&mut out);
    out
}

/// The markup's look; uses the theme's own variables, so it follows the
/// reader's light or dark theme.
const STYLE: &str = "\
.cavra-preview{border-left:4px solid var(--warning-border,#d97706);background:var(--quote-bg,#f8f8f8);padding:.4em .9em;margin:1em 0;border-radius:4px;font-size:.9em}\
.cavra-preview.cavra-error,.cavra-summary[data-errors]:not([data-errors=\"0\"]){border-left-color:#dc2626}\
.cavra-preview p{margin:.3em 0}\
.cavra-preview pre{margin:.4em 0;padding:.4em;white-space:pre-wrap}\
.cavra-preview mark{background:#fca5a5;color:inherit}\
.cavra-severity{font-weight:bold;text-transform:uppercase}\
.cavra-error .cavra-severity{color:#dc2626}.cavra-warning .cavra-severity{color:#d97706}\
.cavra-at{opacity:.7;font-family:var(--mono-font,monospace);font-size:.9em}\
.cavra-list{margin:.3em 0}";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::canon;
    use crate::diagnostic::{Level, Located, RuleDoc};

    static RULE: RuleMeta = RuleMeta {
        id: "undefined-state",
        default: Level::Deny,
        doc: RuleDoc {
            what: "a state",
            why: "why",
            example: "one\n\ntwo",
            fix: "fix",
        },
    };

    fn finding(src: &str, needle: &str, message: &str) -> Finding {
        let offset = src.find(needle).unwrap();
        let line = src[..offset].matches('\n').count() + 1;
        Finding {
            rule: &RULE,
            severity: Severity::Error,
            at: Located {
                path: "src/p.md".into(),
                line,
                column: 1,
                snippet: src.lines().nth(line - 1).unwrap().to_string(),
                span: 0..needle.len(),
                offset,
                windowed: false,
            },
            message: message.into(),
            help: Some("did you mean `block`?".into()),
            notes: vec![],
            fix: None,
        }
    }

    /// The inserted blocks, cut out again.
    fn strip(annotated: &str) -> String {
        let mut out = String::new();
        let mut lines = annotated.split_inclusive('\n').peekable();
        while let Some(line) = lines.next() {
            if line.starts_with(&format!("<div class=\"{MARKER_CLASS}")) {
                // The block's own blank line after it.
                if lines.peek() == Some(&"\n") {
                    lines.next();
                }
                continue;
            }
            out.push_str(line);
        }
        out
    }

    #[test]
    fn markup_goes_after_its_block_and_nothing_else_changes() {
        let src = "# Title\n\nThe decision is `deny` here\nand goes on.\n\n{{#cavra-states decision}}\n\nLast `deny`.";
        let expanded = expand::expand(&Page::parse(src), canon());
        let f1 = finding(src, "`deny` here", "undefined decision `deny`");
        let f2 = finding(src, "`deny`.", "undefined decision `deny`");
        let shown = Findings {
            here: &[&f1, &f2],
            others: &[],
            book: BookTotals::of([&f1, &f2]),
        };
        let out = annotate(src, &expanded, &shown, Context::Preview, canon());
        // The first finding sits right after its paragraph, before the table.
        let p = out.find("and goes on.\n").unwrap();
        let f = out.find("id=\"cavra-finding-1\"").unwrap();
        let t = out.find("| `allow`").unwrap_or(out.find("| ").unwrap());
        assert!(p < f && f < t, "{out}");
        assert!(out.starts_with("<div class=\"cavra-preview cavra-summary\""));
        // The last paragraph has no newline at the end; the block gets one.
        assert!(out.contains("Last `deny`.\n\n<div class=\"cavra-preview cavra-finding"));
        // Without the inserted blocks (and the blank lines they added), the
        // page is what the expansion gave.
        let stripped = strip(&out);
        assert_eq!(stripped.trim_end(), expanded.trim_end());
        assert!(
            stripped.starts_with(&expanded[..expanded.find("Last").unwrap()]),
            "{stripped}"
        );
        // No blank line inside an inserted block.
        for block in out.split("\n\n") {
            if block.starts_with("<div class=\"cavra-preview") {
                assert!(!block.trim_end().contains('\n'), "{block}");
            }
        }
    }

    #[test]
    fn text_is_escaped_and_directives_in_messages_are_defused() {
        let inline = |s: &str| Inline(s).render().into_string();
        assert_eq!(
            inline("unknown `{{#cavra-stats}}` <b>"),
            "unknown <code>&#123;&#123;#cavra-stats&#125;&#125;</code> &lt;b&gt;"
        );
        assert_eq!(inline("odd ` tick"), "odd ` tick");
        assert_eq!(inline("two\n\nlines\n"), "two&#10;&#10;lines");
        assert_eq!(
            snippet("a `deny` b", &(2..8)).into_string(),
            "a <mark>`deny`</mark> b"
        );
    }

    #[test]
    fn a_clean_page_in_a_clean_book_is_unchanged() {
        let src = "# T\n\ntext\n";
        let none = Findings {
            here: &[],
            others: &[],
            book: BookTotals::default(),
        };
        assert_eq!(annotate(src, src, &none, Context::Serve, canon()), src);
    }
}

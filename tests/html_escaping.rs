//! Every HTML and Markdown emitter of the tool, fed hostile text: the
//! in-page findings (summary, findings, rule explanations) of
//! `on-finding = "show"` and `preview`, and `report --format html` and
//! `markdown`. Each is fed the same table of hostile strings, and then
//! random mixes of them, in every field that can carry outside text (file
//! names, messages, help, notes, snippets, rule ids and explanations).
//!
//! What is asserted of every output, read by html5ever's tokenizer (the
//! one browsers' tokenizing rules are written after):
//! - no tag, comment or attribute came from the input: every tag is one of
//!   the emitter's own, no attribute is an event handler, no comment;
//! - the tags are balanced (each end tag closes the element opened last;
//!   nothing is left open) and the tokenizer reports no parse error;
//! - the text of the output, entities decoded, shows each input as written.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use proptest::prelude::*;

use mdbook_cavra::annotate::{self, BookTotals, Context, Findings};
use mdbook_cavra::canon::canon;
use mdbook_cavra::check::rules;
use mdbook_cavra::coverage::{
    self, BoundaryCoverage, Coverage, How, Place, Row, RowKind, Summary, Use, UseKind,
    VocabularyCoverage,
};
use mdbook_cavra::diagnostic::{Finding, Level, Located, RuleDoc, RuleMeta, Severity};

/// Strings that would be markup, a directive or a cell break if copied
/// as they are.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "`<img src=x onerror=alert(1)>`",
    "``a`b``<b>bold</b>",
    "x` <img src=y onerror=alert(2)> `",
    "{{#include /etc/passwd}}",
    "<!-- cavra-allow -->",
    "<!--",
    "-->",
    "]]><![CDATA[x]]>",
    "\"quoted\" 'single' onmouseover=\"alert(3)\"",
    "a & b &amp; &lt;c&gt; &#60;d&#62;",
    "</div></section></pre></code>",
    "<div><div>",
    "<your-api-key> <target>",
    "| a | b |",
    "[link](javascript:alert(4)) ![i](x)",
    "line one\nline two\n\nafter a blank line",
    "*emph* _u_ \\ back\\slash",
    "<style>body{display:none}</style>",
    "<textarea><title><plaintext>",
];

/// The tags each emitter writes itself.
const OWN_TAGS: &[&str] = &[
    "div", "p", "strong", "span", "ol", "li", "a", "code", "pre", "mark", "style", "section",
    "html", "head", "meta", "title", "body", "h1", "h2", "h3", "table", "thead", "tbody", "tr",
    "th", "td", "br", "em",
];

const VOID: &[&str] = &["br", "meta", "img", "hr", "input", "link"];

#[derive(Default)]
struct Seen {
    /// Open elements.
    stack: Vec<String>,
    problems: Vec<String>,
    text: String,
}

struct Sink(RefCell<Seen>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut seen = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => {
                let name = tag.name.to_string();
                if !OWN_TAGS.contains(&name.as_str()) {
                    seen.problems
                        .push(format!("a tag from the input: <{name}>"));
                }
                for a in &tag.attrs {
                    let attr = a.name.local.to_string();
                    if attr.starts_with("on") {
                        seen.problems
                            .push(format!("an event handler attribute: {attr} on <{name}>"));
                    }
                    if a.value
                        .trim_start()
                        .to_lowercase()
                        .starts_with("javascript:")
                    {
                        seen.problems.push(format!("a javascript: URL on <{name}>"));
                    }
                }
                match tag.kind {
                    TagKind::StartTag if VOID.contains(&name.as_str()) => {}
                    TagKind::StartTag => {
                        seen.stack.push(name.clone());
                        // As the tree builder does: a style's content is
                        // raw text, up to `</style>`.
                        if name == "style" {
                            return TokenSinkResult::RawData(RawKind::Rawtext);
                        }
                    }
                    TagKind::EndTag => match seen.stack.pop() {
                        Some(open) if open == name => {}
                        open => seen
                            .problems
                            .push(format!("</{name}> closes {open:?}: unbalanced tags")),
                    },
                }
                // A `<style>`'s text is no page text.
            }
            Token::CharacterTokens(t) => {
                if seen.stack.last().map(String::as_str) != Some("style") {
                    seen.text.push_str(&t);
                }
            }
            Token::CommentToken(c) => seen.problems.push(format!("a comment: <!--{c}-->")),
            Token::NullCharacterToken => seen.problems.push("a NUL character".into()),
            Token::ParseError(e) => seen.problems.push(format!("parse error: {e}")),
            Token::DoctypeToken(_) | Token::EOFToken => {}
        }
        TokenSinkResult::Continue
    }
}

/// The problems html5ever finds in `html`, and its text.
fn read_html(html: &str) -> (Vec<String>, String) {
    let tokenizer = Tokenizer::new(
        Sink(RefCell::default()),
        TokenizerOpts {
            exact_errors: true,
            ..TokenizerOpts::default()
        },
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let mut seen = tokenizer.sink.0.take();
    if !seen.stack.is_empty() {
        let open = std::mem::take(&mut seen.stack);
        seen.problems.push(format!("left open: {open:?}"));
    }
    (seen.problems, seen.text)
}

fn assert_clean(what: &str, html: &str, inputs: &[String]) {
    let (problems, text) = read_html(html);
    assert!(
        problems.is_empty(),
        "{what}: {problems:#?}\nfor inputs {inputs:?}\n{html}"
    );
    let text = squash(&text);
    for input in inputs {
        assert!(
            text.contains(&squash(input)),
            "{what}: the text does not show {input:?}:\n{text}\n{html}"
        );
    }
}

/// Text for comparing what is shown with what was written: whitespace
/// runs as one space (a browser shows them so outside `<pre>`).
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How a message, help or note shows: paired backticks mark code spans
/// (their text stays, the backticks go); unpaired ones stay.
fn as_inline(s: &str) -> String {
    if s.matches('`').count().is_multiple_of(2) {
        s.replace('`', "")
    } else {
        s.to_string()
    }
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

/// A rule whose id and every part of its explanation are `s`.
fn hostile_rule(s: &str) -> &'static RuleMeta {
    let s = leak(s);
    Box::leak(Box::new(RuleMeta {
        id: s,
        default: Level::Deny,
        doc: RuleDoc {
            what: s,
            why: s,
            example: s,
            fix: s,
        },
    }))
}

fn finding(rule: &'static RuleMeta, s: &str, offset: usize, line: usize) -> Finding {
    Finding {
        rule,
        severity: if line.is_multiple_of(2) {
            Severity::Error
        } else {
            Severity::Warning
        },
        at: Located {
            path: format!("src/{s}.md"),
            line,
            column: 1,
            snippet: s.to_string(),
            span: 0..s.len().min(5),
            offset,
            windowed: false,
        },
        message: format!("message {s}"),
        help: Some(format!("help {s}")),
        notes: vec![format!("note {s}")],
        fix: None,
    }
}

/// The in-page markup for findings that carry `inputs` everywhere, on a
/// page of three paragraphs: the inserted blocks only (the page's own
/// text is Markdown for mdBook, not ours).
fn annotated_blocks(inputs: &[String]) -> (String, String) {
    let source = "First paragraph.\n\nSecond paragraph.\n\nThird.\n";
    let mut findings = Vec::new();
    for (i, s) in inputs.iter().enumerate() {
        // One finding of a hostile rule and one of a real rule (whose
        // explanation is the one readers see) per input.
        findings.push(finding(hostile_rule(s), s, (i * 7) % source.len(), i + 1));
        let real = rules::ALL[i % rules::ALL.len()];
        findings.push(finding(real, s, (i * 11) % source.len(), i + 2));
    }
    let here: Vec<&Finding> = findings.iter().collect();
    let (here, others) = here.split_at(here.len() / 2);
    let shown = Findings {
        here,
        others,
        book: BookTotals::of(findings.iter()),
    };
    let out = annotate::annotate(source, source, &shown, Context::Preview, canon());
    // The invariant of the inserted blocks: one line each (no blank line
    // can end the HTML block early), and without them the page is as it was.
    let mut blocks = String::new();
    let mut rest = String::new();
    for line in out.split_inclusive('\n') {
        if line.starts_with(&format!("<div class=\"{}", annotate::MARKER_CLASS)) {
            blocks.push_str(line);
        } else if line != "\n" {
            rest.push_str(line);
        }
    }
    assert_eq!(rest, source.replace("\n\n", "\n"), "{out}");
    assert!(
        !out.contains("{{#"),
        "mdBook's links preprocessor would read a directive in:\n{out}"
    );
    (blocks, out)
}

fn check_annotate(inputs: &[String]) {
    let (blocks, out) = annotated_blocks(inputs);
    let mut expected: Vec<String> = Vec::new();
    for s in inputs {
        expected.push(format!("src/{s}.md"));
        expected.push(as_inline(&format!("message {s}")));
        expected.push(as_inline(&format!("help {s}")));
        expected.push(as_inline(&format!("note {s}")));
        // The hostile rule's explanation, as `explain` prints it.
        expected.push(s.to_string());
    }
    assert_clean("in-page findings", &blocks, &expected);
    // Every real rule's explanation shows as text: `<your-api-key>`,
    // `<target>` and `<!-- cavra-allow -->` included.
    let (_, text) = read_html(&blocks);
    let text = squash(&text);
    for (i, r) in rules::ALL.iter().enumerate().take(inputs.len()) {
        let explain = mdbook_cavra::secrets::redact(&r.explain()).to_string();
        assert!(
            text.contains(&squash(&explain)),
            "rule {} (#{i}): its explanation does not show as written:\n{out}",
            r.id
        );
    }
}

fn hostile_coverage(inputs: &[String]) -> Coverage {
    let place = |s: &str, n: usize| Place {
        page: format!("src/{s}.md"),
        line: n,
        how: if n.is_multiple_of(2) {
            How::Directive
        } else {
            How::HandWritten
        },
    };
    let pages: Vec<String> = inputs.iter().map(|s| format!("src/{s}.md")).collect();
    let places: Vec<Place> = inputs
        .iter()
        .enumerate()
        .map(|(i, s)| place(s, i + 1))
        .collect();
    let uses: Vec<Use> = inputs
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            [
                UseKind::InlineTerm,
                UseKind::TableDirective,
                UseKind::HandWrittenList,
            ]
            .map(|kind| Use {
                page: format!("src/{s}.md"),
                line: i + 1,
                kind,
                terms: vec!["active".into()],
                missing: vec!["unknown"],
            })
        })
        .collect();
    Coverage {
        schema_version: coverage::SCHEMA_VERSION,
        pages: inputs.len(),
        summary: Summary::default(),
        boundaries: vec![BoundaryCoverage {
            id: "billing-subscription",
            title: "Billing",
            own_pages: pages.clone(),
            rows: vec![
                Row {
                    kind: RowKind::MustNotContain,
                    text: "card `numbers`".into(),
                    places: places.clone(),
                    missing: false,
                },
                Row {
                    kind: RowKind::Evidence,
                    text: "logs".into(),
                    places: vec![],
                    missing: true,
                },
            ],
        }],
        vocabularies: vec![VocabularyCoverage {
            id: "subscription",
            label: "Subscription state",
            terms: vec!["active", "unknown"],
            pages,
            unstated_terms: vec!["unknown"],
            uses,
        }],
    }
}

fn check_reports(inputs: &[String]) {
    let c = hostile_coverage(inputs);
    let mut expected: Vec<String> = Vec::new();
    for (i, s) in inputs.iter().enumerate() {
        expected.push(format!("src/{s}.md"));
        expected.push(format!("src/{s}.md:{}", i + 1));
    }
    assert_clean("report --format html", &coverage::to_html(&c), &expected);

    // The Markdown report, as a Markdown reader (GitHub's flavour, which
    // pulldown-cmark follows) renders it. In a code span, a line break of
    // a file name is written as `\n`.
    let md = coverage::to_markdown(&c);
    let parser = pulldown_cmark::Parser::new_ext(&md, mdbook_cavra::markdown::options());
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    let shown: Vec<String> = expected.iter().map(|s| s.replace('\n', "\\n")).collect();
    assert_clean("report --format markdown", &html, &shown);
    // Each table row stayed one row of three cells.
    let rows = html.matches("<tr>").count();
    let cells: usize = ["<td>", "<td ", "<th>", "<th "]
        .iter()
        .map(|tag| html.matches(tag).count())
        .sum();
    assert_eq!(cells, 3 * rows, "{md}\n{html}");
}

#[test]
fn every_hostile_string_is_text_in_every_emitter() {
    for s in HOSTILE {
        let inputs = vec![s.to_string()];
        check_annotate(&inputs);
        check_reports(&inputs);
    }
    let all: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
    check_annotate(&all);
    check_reports(&all);
}

#[test]
fn every_rule_explanation_shows_as_written_on_the_page() {
    // One finding of each real rule: every explanation on one page.
    let inputs: Vec<String> = (0..rules::ALL.len()).map(|i| format!("p{i}")).collect();
    check_annotate(&inputs);
    let (blocks, _) = annotated_blocks(&inputs);
    // The explanations named in the issue, as text (escaped in the source).
    for shown in [
        "&lt;your-api-key&gt;",
        "&lt;target&gt;",
        "&lt;!-- cavra-allow: undefined-state --&gt;",
    ] {
        assert!(blocks.contains(shown), "{shown} is not on the page");
    }
    // One explanation box per rule (the tokenizer saw them balanced, so
    // none is inside another).
    for r in rules::ALL {
        let anchor = format!(
            "<section class=\"cavra-explain\" id=\"cavra-explain-{}\">",
            r.id
        );
        assert_eq!(blocks.matches(&anchor).count(), 1, "{}", r.id);
    }
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(HOSTILE).prop_map(str::to_string),
        "[<>&\"'`{}|\\\\!\\[\\]() a-z/=#*_\n-]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn mixes_of_hostile_pieces_are_text_in_every_emitter(
        parts in proptest::collection::vec(proptest::collection::vec(piece(), 1..4), 1..4)
    ) {
        let inputs: Vec<String> = parts.iter().map(|p| p.concat()).collect();
        check_annotate(&inputs);
        check_reports(&inputs);
    }
}

//! The mdBook preprocessor: expand directives and run the checks on every
//! chapter, in `mdbook build`, `mdbook serve` and `mdbook-cavra build`.
//!
//! Each chapter is parsed once; the same parse feeds the expansion and the
//! checks. Expansion splices rendered Markdown into the original text, so
//! every byte outside a directive comes back unchanged.

use std::io::Read;

use anyhow::{Context, Result, bail};
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use rayon::prelude::*;

use crate::canon::canon;
use crate::check::{self, Finding, Level, PageFacts, Rule, Severity};
use crate::config::Levels;
use crate::directive;
use crate::markdown::Page;
use crate::model::Canon;
use crate::render;
use crate::report::{self, Summary};

/// The name mdBook knows this preprocessor by (`[preprocessor.cavra]`).
pub const NAME: &str = "cavra";

/// The mdBook versions whose JSON this preprocessor reads.
pub const SUPPORTED_MDBOOK: &str = ">=0.5.0, <0.6.0";

/// Expand every valid directive of a parsed page. Invalid ones stay as
/// written (the checks report them). Escaped ones lose their backslash.
pub fn expand(page: &Page<'_>, canon: &Canon) -> String {
    let src = page.src;
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for c in &page.directives {
        if c.escaped {
            edits.push((c.range.start - 1..c.range.start, String::new()));
            continue;
        }
        let Ok(d) = directive::parse(src, c, canon) else {
            continue;
        };
        let rendered = render::directive(canon, d);
        let text = if render::is_block(d) {
            fit_block(src, c.range.clone(), &rendered)
        } else {
            rendered
        };
        edits.push((c.range.clone(), text));
    }
    if edits.is_empty() {
        return src.to_string();
    }
    let added: usize = edits.iter().map(|e| e.1.len()).sum();
    let mut out = String::with_capacity(src.len() + added);
    let mut at = 0;
    for (range, text) in edits {
        out.push_str(&src[at..range.start]);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(&src[at..]);
    out
}

/// Fit block output (a table, a list) into the line its directive is on:
/// continuation lines repeat the line's block-quote and list indentation,
/// and text sharing the line is kept apart by blank lines.
fn fit_block(src: &str, range: std::ops::Range<usize>, rendered: &str) -> String {
    let line_start = src[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &src[line_start..range.start];
    let line_end = src[range.end..]
        .find('\n')
        .map_or(src.len(), |i| range.end + i);
    let suffix = &src[range.end..line_end];
    let structural = prefix.chars().all(|c| {
        c.is_whitespace() || matches!(c, '>' | '-' | '*' | '+' | '.' | ')') || c.is_ascii_digit()
    });
    let (lead, continuation) = if structural {
        let cont: String = prefix
            .chars()
            .map(|c| if c == '>' || c == '\t' { c } else { ' ' })
            .collect();
        (String::new(), cont)
    } else {
        let quote: String = prefix
            .chars()
            .take_while(|c| c.is_whitespace() || *c == '>')
            .map(|c| if c == '>' || c == '\t' { c } else { ' ' })
            .collect();
        (format!("\n{}\n{quote}", quote.trim_end()), quote)
    };
    let mut out = lead;
    for (i, line) in rendered.lines().enumerate() {
        if i > 0 {
            out.push('\n');
            if line.is_empty() {
                out.push_str(continuation.trim_end());
            } else {
                out.push_str(&continuation);
            }
        }
        out.push_str(line);
    }
    if !suffix.trim().is_empty() {
        out.push('\n');
        out.push_str(continuation.trim_end());
        out.push('\n');
        out.push_str(&continuation);
    }
    out
}

/// The preprocessor, for mdBook's JSON protocol and for in-process builds.
#[derive(Debug, Default, Clone, Copy)]
pub struct CavraPreprocessor;

impl Preprocessor for CavraPreprocessor {
    fn name(&self) -> &str {
        NAME
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let levels =
            Levels::from_config(&ctx.config).map_err(|e| anyhow::anyhow!("book.toml: {e}"))?;
        let src_rel = check::normalize_path(&ctx.config.book.src);
        let canon = canon();
        // Take every chapter's text out, process them in parallel (one parse
        // each for expansion and checks), then put the results back in order.
        let mut taken: Vec<(String, String)> = Vec::new();
        book.for_each_chapter_mut(|ch| {
            if let Some(path) = &ch.source_path {
                taken.push((check::normalize_path(path), std::mem::take(&mut ch.content)));
            }
        });
        let chapters: std::collections::BTreeSet<String> =
            taken.iter().map(|(p, _)| p.clone()).collect();
        let processed: Vec<(String, PageFacts)> = taken
            .par_iter()
            .map(|(rel, content)| {
                let page = Page::parse(content);
                (
                    expand(&page, canon),
                    check::check_parsed(rel, &page, canon, &levels),
                )
            })
            .collect();
        let mut facts: Vec<PageFacts> = Vec::with_capacity(processed.len());
        let mut results = processed.into_iter();
        book.for_each_chapter_mut(|ch| {
            if ch.source_path.is_some() {
                let (content, page_facts) = results.next().expect("one result per chapter");
                ch.content = content;
                facts.push(page_facts);
            }
        });
        if levels.get(Rule::OrphanPage) != Level::Allow {
            facts.extend(orphans(
                &ctx.root.join(&ctx.config.book.src),
                &chapters,
                &levels,
            ));
        }
        let files = facts.len();
        let findings = check::finish_book(facts, canon, &src_rel);
        report_to_stderr(&findings, files);
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        if errors > 0 {
            bail!(
                "mdbook-cavra found {} in the book; see the report above",
                if errors == 1 {
                    "1 error".to_string()
                } else {
                    format!("{errors} errors")
                }
            );
        }
        Ok(book)
    }

    fn supports_renderer(&self, _renderer: &str) -> Result<bool> {
        // Output is plain Markdown, which every renderer reads.
        Ok(true)
    }
}

/// Markdown files in the source folder that no chapter comes from.
fn orphans(
    src: &std::path::Path,
    chapters: &std::collections::BTreeSet<String>,
    levels: &Levels,
) -> Vec<PageFacts> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(src)
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        if !e.file_type().is_file() || !crate::book::is_markdown(e.path()) {
            continue;
        }
        let rel = check::normalize_path(e.path().strip_prefix(src).unwrap_or(e.path()));
        if rel == "SUMMARY.md" || chapters.contains(&rel) {
            continue;
        }
        out.push(PageFacts {
            path: rel.clone(),
            findings: vec![check::orphan_page::finding(&rel, "", levels)],
            ..PageFacts::default()
        });
    }
    out
}

fn report_to_stderr(findings: &[Finding], files: usize) {
    use std::io::Write;
    if findings.is_empty() {
        return;
    }
    let text = report::render(
        report::Format::Human,
        findings,
        Summary::of(findings, files),
    );
    let mut err = anstream::stderr();
    let _ = err.write_all(text.as_bytes());
}

/// Read mdBook's JSON from `input`, checking the mdBook version before the
/// book itself so that a 0.4 book gets a clear message.
pub fn parse_input(mut input: impl Read) -> Result<(PreprocessorContext, Book)> {
    let mut text = String::new();
    input
        .read_to_string(&mut text)
        .context("could not read mdBook's JSON from standard input")?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "standard input is not mdBook's preprocessor JSON: {e}\n  = help: mdbook runs this command itself during `mdbook build`; to check a book, run `mdbook-cavra check BOOK_ROOT`"
        )
    })?;
    let Some([ctx, book]) = value.as_array().map(Vec::as_slice) else {
        bail!("standard input is not mdBook's preprocessor JSON: expected a [context, book] array");
    };
    let version = ctx
        .get("mdbook_version")
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("mdBook's JSON has no `mdbook_version`; mdbook-cavra needs mdBook {SUPPORTED_MDBOOK}"))?;
    check_version(&version, &book.clone())?;
    let parsed: (PreprocessorContext, Book) = serde_json::from_value(value)
        .with_context(|| format!("mdBook {version} sent a book that mdbook-cavra cannot read"))?;
    Ok(parsed)
}

/// Accept mdBook 0.5.x; name both versions otherwise.
pub fn check_version(version: &str, book: &serde_json::Value) -> Result<()> {
    let req = semver::VersionReq::parse(SUPPORTED_MDBOOK).expect("valid requirement");
    let found = semver::Version::parse(version).with_context(|| {
        format!("mdBook reported version `{version}`, which is not a version number")
    })?;
    if !req.matches(&found) {
        let shape = if book.get("sections").is_some() {
            " (its JSON has `sections`, the mdBook 0.4 format)"
        } else {
            ""
        };
        bail!(
            "mdbook-cavra needs mdBook 0.5 (>=0.5.0, <0.6.0), but this book is built by mdBook {version}{shape}\n  = help: install mdBook 0.5 with `cargo install mdbook --version ^0.5 --locked`, or build with `mdbook-cavra build`"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(src: &str) -> String {
        expand(&Page::parse(src), canon())
    }

    #[test]
    fn text_without_directives_is_returned_as_is() {
        let src = "# T\r\n\r\nSome `code` and {{#include x.md}}\n";
        assert_eq!(expanded(src), src);
    }

    #[test]
    fn block_directives_keep_quote_and_list_prefixes() {
        let out = expanded("> {{#cavra-states worker-mode}}\n");
        assert!(out.lines().all(|l| l.starts_with('>')), "{out}");
        let out = expanded("- item\n\n  {{#cavra-boundary billing-subscription evidence}}\n");
        assert!(
            out.lines()
                .skip(2)
                .all(|l| l.is_empty() || l.starts_with("  ")),
            "{out}"
        );
    }

    #[test]
    fn escaped_directive_loses_only_its_backslash() {
        assert_eq!(
            expanded("Write \\{{#cavra-states decision}} literally."),
            "Write {{#cavra-states decision}} literally."
        );
    }

    #[test]
    fn inline_state_and_text_around_stay() {
        assert_eq!(
            expanded("é {{#cavra-state subscription.past_due}} ü"),
            "é `past_due` ü"
        );
    }

    #[test]
    fn version_check_names_both_versions() {
        let book = serde_json::json!({"sections": []});
        let e = check_version("0.4.40", &book).unwrap_err().to_string();
        assert!(
            e.contains("0.4.40") && e.contains("mdBook 0.5") && e.contains("sections"),
            "{e}"
        );
        assert!(check_version("0.5.2", &serde_json::json!({"items": []})).is_ok());
    }
}

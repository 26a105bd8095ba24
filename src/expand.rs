//! Directive expansion: every valid `{{#cavra-…}}` of a parsed page is
//! replaced by its rendered Markdown, spliced into the original text, so
//! every byte outside a directive comes back unchanged.

use std::borrow::Cow;
use std::ops::Range;

use crate::directive;
use crate::markdown::Page;
use crate::model::Canon;
use crate::render;

/// Expand every valid directive of a parsed page. Invalid ones stay as
/// written (the checks report them), and so does a block directive that
/// does not stand on a line of its own between blank lines ([`block_fits`]):
/// its table would swallow the next line or escape its container. Escaped
/// directives lose their backslash.
pub fn expand(page: &Page<'_>, canon: &Canon) -> String {
    expand_onto(page, canon, page.src, Vec::new()).into_owned()
}

/// [`expand`], splicing into `original`: the text the page was parsed from
/// before its lone CR line endings became LF (same length, same offsets), so
/// every byte outside a directive comes back exactly as it was.
///
/// `extra` are more replacements of whole ranges (included files whose
/// directives must be expanded where they are included); they never
/// overlap a directive. With nothing to replace, `original` itself comes
/// back, not a copy.
pub fn expand_onto<'o>(
    page: &Page<'_>,
    canon: &Canon,
    original: &'o str,
    extra: Vec<(Range<usize>, String)>,
) -> Cow<'o, str> {
    debug_assert_eq!(original.len(), page.src.len());
    let src = original;
    let mut edits: Vec<(Range<usize>, String)> = extra;
    for c in &page.directives {
        if c.escaped {
            edits.push((c.range.start - 1..c.range.start, String::new()));
            continue;
        }
        let Ok(d) = directive::parse(page.src, c, canon) else {
            continue;
        };
        let text = if render::is_block(d) {
            let Some(prefix) = block_fits(page, c.range.clone()) else {
                continue;
            };
            indent_block(&render::directive(canon, d), prefix)
        } else {
            render::directive(canon, d)
        };
        edits.push((c.range.clone(), text));
    }
    if edits.is_empty() {
        return Cow::Borrowed(src);
    }
    edits.sort_by_key(|e| e.0.start);
    let added: usize = edits.iter().map(|e| e.1.len()).sum();
    let mut out = String::with_capacity(src.len() + added);
    let mut at = 0;
    for (range, text) in edits {
        out.push_str(&src[at..range.start]);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(&src[at..]);
    Cow::Owned(out)
}

/// `text` with each lone CR line ending (old Mac files) made LF. Lengths
/// and offsets stay the same, so findings and expansions line up with the
/// original; CommonMark reads both alike, but LF is what every pass expects.
pub fn lone_cr_as_lf(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !memchr::memchr_iter(b'\r', bytes).any(lone) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = bytes.to_vec();
    for i in memchr::memchr_iter(b'\r', bytes) {
        if lone(i) {
            out[i] = b'\n';
        }
    }
    std::borrow::Cow::Owned(String::from_utf8(out).expect("only ASCII bytes replaced"))
}

/// Whether a line holds only container marks: block-quote `>` and
/// whitespace (a blank line inside a quote is `>`).
fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b'>' || b.is_ascii_whitespace())
}

/// Where a block directive may be expanded: alone on its line, after at
/// most the marks of its containers (`>` quotes, list markers, indentation),
/// with a blank line (or the page's edge) before and after it. Returns the
/// text before the directive on its line, which continuation lines repeat
/// (as spaces, keeping `>`), or `None` when the directive cannot stand there.
pub fn block_fits<'s>(page: &Page<'s>, range: Range<usize>) -> Option<&'s str> {
    let src = page.src;
    let index = &page.index;
    let first = index.line(range.start);
    let last = index.line(range.end.saturating_sub(1).max(range.start));
    let prefix = &src[index.line_start(first)..range.start];
    let structural = prefix.chars().all(|c| {
        c.is_whitespace() || matches!(c, '>' | '-' | '*' | '+' | '.' | ')') || c.is_ascii_digit()
    });
    let line_end = index.line_start(last) + index.line_text(src, last).len();
    let suffix = &src[range.end.min(line_end)..line_end];
    let before_ok = first == 1 || is_blank(index.line_text(src, first - 1));
    let after_ok = last >= index.len() || is_blank(index.line_text(src, last + 1));
    (structural && suffix.trim().is_empty() && before_ok && after_ok).then_some(prefix)
}

/// Rendered block output, its continuation lines carrying the container
/// marks of the directive's line: `>` stays, everything else becomes spaces.
fn indent_block(rendered: &str, prefix: &str) -> String {
    let continuation: String = prefix
        .chars()
        .map(|c| if c == '>' || c == '\t' { c } else { ' ' })
        .collect();
    let mut out = String::with_capacity(rendered.len() + 16 * continuation.len());
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
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::canon;

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
}

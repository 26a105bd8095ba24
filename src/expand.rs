//! Directive expansion: every valid `{{#cavra-…}}` of a parsed page is
//! replaced by its rendered Markdown, spliced into the original text, so
//! every byte outside a directive comes back unchanged.

use crate::directive;
use crate::markdown::Page;
use crate::model::Canon;
use crate::render;

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

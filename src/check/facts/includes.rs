//! mdBook's file inclusions on a page: `{{#include FILE}}`,
//! `{{#rustdoc_include FILE}}` and `{{#playground FILE}}`, with the line
//! ranges and anchors they may carry. mdBook's `links` preprocessor expands
//! them everywhere, code blocks included, so they are found in the raw text.

use std::ops::Range;

/// One inclusion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The whole `{{#…}}`.
    pub range: Range<usize>,
    /// The file as written, relative to the including page's folder.
    pub file: String,
    /// `include`, `rustdoc_include` or `playground`.
    pub kind: &'static str,
    /// What part of the file: `""` (all of it), a line range (`3:9`, `3`,
    /// `3:`, `:9`) or an anchor name.
    pub part: String,
}

impl Include {
    /// The part of `text` this inclusion takes, as mdBook's `links`
    /// preprocessor takes it: a line range (1-based, `N` alone is one line)
    /// or the lines between `ANCHOR: name` and `ANCHOR_END: name` (other
    /// anchor lines dropped).
    pub fn select(&self, text: &str) -> String {
        let lines: Vec<&str> = text.lines().collect();
        if self.part.is_empty() {
            return text.to_string();
        }
        let mut parts = self.part.splitn(2, ':');
        let first = parts.next().unwrap_or("");
        let second = parts.next();
        let start = match first.parse::<usize>() {
            Ok(n) => Some(n.saturating_sub(1)),
            Err(_) if first.is_empty() => None,
            Err(_) => return anchored(&lines, first),
        };
        let end = second.map(|e| e.parse::<usize>());
        let (from, to) = match (start, end) {
            (Some(s), Some(Ok(e))) => (s, e),
            (Some(s), Some(Err(_))) => (s, lines.len()),
            (Some(s), None) => (s, s + 1),
            (None, Some(Ok(e))) => (0, e),
            (None, _) => (0, lines.len()),
        };
        let to = to.min(lines.len());
        lines.get(from.min(to)..to).unwrap_or(&[]).join("\n")
    }
}

fn anchored(lines: &[&str], name: &str) -> String {
    let start = format!("ANCHOR: {name}");
    let end = format!("ANCHOR_END: {name}");
    let mut out = Vec::new();
    let mut inside = false;
    for line in lines {
        if inside {
            if line.contains(&end) {
                break;
            }
            if !line.contains("ANCHOR:") && !line.contains("ANCHOR_END:") {
                out.push(*line);
            }
        } else if line.contains(&start) {
            inside = true;
        }
    }
    out.join("\n")
}

/// The directive names mdBook expands into a file's content.
const NAMES: [&str; 3] = ["include", "rustdoc_include", "playground"];

/// Every inclusion on a page, in order; escaped ones (`\{{#include …}}`)
/// are left out. Linear in the page's size.
pub fn find(src: &str) -> Vec<Include> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let finder = memchr::memmem::Finder::new("{{#");
    let mut from = 0;
    while let Some(pos) = finder.find(&bytes[from..]) {
        let open = from + pos;
        from = open + 3;
        let rest = &src[open + 3..];
        let Some(name) = NAMES
            .iter()
            .find(|n| rest.starts_with(**n) && rest[n.len()..].starts_with([' ', '\t']))
        else {
            continue;
        };
        if open > 0 && bytes[open - 1] == b'\\' {
            continue;
        }
        let args_start = open + 3 + name.len();
        // The closing `}}` on the same line.
        let line_end = memchr::memchr2(b'\n', b'\r', &bytes[args_start..])
            .map_or(src.len(), |i| args_start + i);
        let Some(close) = src[args_start..line_end].find("}}") else {
            continue;
        };
        let args = src[args_start..args_start + close].trim();
        // `FILE`, `FILE:10:20`, `FILE:anchor`; options after a space
        // (`{{#playground FILE editable}}`) are not part of the file.
        let target = args.split_whitespace().next().unwrap_or("");
        let (file, part) = target.split_once(':').unwrap_or((target, ""));
        if !file.is_empty() {
            out.push(Include {
                range: open..args_start + close + 2,
                file: file.trim().to_string(),
                kind: name,
                part: part.to_string(),
            });
        }
        from = args_start + close + 2;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_kind_with_ranges_and_anchors() {
        let src = "a\n```sh\n{{#include ../examples/run.sh:3:9}}\n```\n\
                   {{#rustdoc_include lib.rs:setup}}\n\\{{#include skipped.md}}\n\
                   {{#playground demo.rs editable}}\n{{#title T}}\n";
        let files: Vec<String> = find(src).into_iter().map(|i| i.file).collect();
        assert_eq!(files, ["../examples/run.sh", "lib.rs", "demo.rs"]);
    }

    #[test]
    fn parts_are_taken_as_mdbook_takes_them() {
        let text =
            "one\ntwo\n// ANCHOR: mid\nthree\n// ANCHOR: other\nfour\n// ANCHOR_END: mid\nfive\n";
        let part = |p: &str| {
            let inc = &find(&format!("{{{{#include f.md{p}}}}}"))[0];
            inc.select(text)
        };
        assert_eq!(part(""), text);
        assert_eq!(part(":2"), "two");
        assert_eq!(part(":2:4"), "two\n// ANCHOR: mid\nthree");
        assert_eq!(part(":7:"), "// ANCHOR_END: mid\nfive");
        assert_eq!(part("::2"), "one\ntwo");
        assert_eq!(part(":mid"), "three\nfour");
    }

    #[test]
    fn unclosed_ones_are_skipped_in_linear_time() {
        let src = "{{#include ".repeat(100_000);
        assert!(find(&src).is_empty());
    }
}

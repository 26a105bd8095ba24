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
        let file = target.split(':').next().unwrap_or("").trim();
        if !file.is_empty() {
            out.push(Include {
                range: open..args_start + close + 2,
                file: file.to_string(),
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
    fn unclosed_ones_are_skipped_in_linear_time() {
        let src = "{{#include ".repeat(100_000);
        assert!(find(&src).is_empty());
    }
}

//! Suppression comments: `<!-- cavra-allow: RULE[, RULE] -->` on the line
//! before a block, `<!-- cavra-allow-file: RULE -->` anywhere for the file.

use std::ops::Range;

use crate::markdown::Page;

/// One `cavra-allow` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// Where the comment is.
    pub comment: Range<usize>,
    /// Bytes covered; the whole file for `cavra-allow-file`.
    pub scope: Range<usize>,
    /// The rule ids it names, as written.
    pub names: Vec<String>,
}

impl Suppression {
    /// Whether a finding at `offset` lies in this suppression's scope.
    pub fn covers(&self, offset: usize) -> bool {
        self.scope.contains(&offset) || (self.scope.is_empty() && self.scope.start == offset)
    }
}

/// Every suppression comment of a page, in page order.
pub fn parse(page: &Page<'_>) -> Vec<Suppression> {
    let mut list = Vec::new();
    for c in &page.comments {
        let text = &page.src[c.clone()];
        let mut rest = text.trim();
        while let Some(start) = rest.find("<!--") {
            let after = &rest[start + 4..];
            let end = after.find("-->").unwrap_or(after.len());
            let body = after[..end].trim();
            rest = &after[end..];
            let (file, names) = if let Some(n) = body.strip_prefix("cavra-allow-file:") {
                (true, n)
            } else if let Some(n) = body.strip_prefix("cavra-allow:") {
                (false, n)
            } else {
                continue;
            };
            let names = names
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect();
            let scope = if file {
                0..page.src.len()
            } else {
                scope_of(page, c.clone())
            };
            list.push(Suppression {
                comment: c.clone(),
                scope,
                names,
            });
        }
    }
    list
}

/// The text a suppression comment covers: the whole top-level block that
/// holds it when the comment sits inside one (at the end of a line, or in a
/// list), or else the next top-level block.
fn scope_of(page: &Page<'_>, comment: Range<usize>) -> Range<usize> {
    let end = comment.end;
    if let Some(i) = page.top_block_at(end.saturating_sub(1)) {
        let b = &page.top_blocks[i];
        let alone = page.src[b.start..comment.start.max(b.start)]
            .trim()
            .is_empty()
            && page.src[end.min(b.end)..b.end].trim().is_empty();
        if !alone {
            return b.clone();
        }
    }
    let next = page.top_blocks.partition_point(|b| b.start < end);
    match page.top_blocks.get(next) {
        Some(b) => b.clone(),
        None => end..end,
    }
}

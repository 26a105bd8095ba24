//! Suppression comments: `<!-- cavra-allow: RULE[, RULE] -->` on the line
//! before a block, `<!-- cavra-allow-file: RULE -->` anywhere for the file.

use std::ops::Range;

use super::{Raw, Rule};
use crate::markdown::Page;
use crate::suggest;

struct Suppression {
    comment: Range<usize>,
    /// Bytes covered; the whole file for `cavra-allow-file`.
    scope: Range<usize>,
    rules: Vec<(Rule, bool)>,
    unknown: Vec<String>,
}

pub struct Suppressions {
    list: Vec<Suppression>,
}

impl Suppressions {
    pub fn parse(page: &Page<'_>) -> Suppressions {
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
                let mut rules = Vec::new();
                let mut unknown = Vec::new();
                for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    match Rule::from_id(name) {
                        Some(r) => rules.push((r, false)),
                        None => unknown.push(name.to_string()),
                    }
                }
                let scope = if file {
                    0..page.src.len()
                } else {
                    block_after(page, c.end)
                };
                list.push(Suppression {
                    comment: c.clone(),
                    scope,
                    rules,
                    unknown,
                });
            }
        }
        Suppressions { list }
    }

    /// Whether a finding of `rule` at `offset` is suppressed; marks the
    /// suppression used.
    pub fn suppresses(&mut self, _page: &Page<'_>, rule: Rule, offset: usize) -> bool {
        let mut hit = false;
        for s in &mut self.list {
            if s.scope.contains(&offset) || (s.scope.is_empty() && s.scope.start == offset) {
                for (r, used) in &mut s.rules {
                    if *r == rule {
                        *used = true;
                        hit = true;
                    }
                }
            }
        }
        hit
    }

    /// Findings for suppressions that suppressed nothing or name no rule.
    pub fn unused(&self, _page: &Page<'_>) -> Vec<Raw> {
        let mut out = Vec::new();
        for s in &self.list {
            for (r, used) in &s.rules {
                if !used {
                    out.push(Raw {
                        rule: Rule::UnusedSuppression,
                        range: s.comment.clone(),
                        message: format!("this `cavra-allow` for `{}` suppresses nothing", r.id()),
                        help: Some("delete it: the finding it was for is gone".to_string()),
                    });
                }
            }
            for name in &s.unknown {
                out.push(Raw {
                    rule: Rule::UnusedSuppression,
                    range: s.comment.clone(),
                    message: format!("`{name}` is not a rule"),
                    help: Some(suggest::hint(name, Rule::ALL.iter().map(|r| r.id()))),
                });
            }
        }
        out
    }
}

/// The block a suppression comment ending at `end` covers: the top-level
/// block that holds the comment (when it sits inside a list, say), or else
/// the next top-level block.
fn block_after(page: &Page<'_>, end: usize) -> Range<usize> {
    if let Some(i) = page.top_block_at(end.saturating_sub(1)) {
        let b = &page.top_blocks[i];
        if b.end > end && !page.src[b.clone()].trim_start().starts_with("<!--") {
            return end..b.end;
        }
    }
    match page.top_blocks.iter().find(|b| b.start >= end) {
        Some(b) => b.clone(),
        None => end..end,
    }
}

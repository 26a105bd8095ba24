//! Suppression comments: `<!-- cavra-allow: RULE[, RULE] -->` on the line
//! before a block, `<!-- cavra-allow-file: RULE -->` anywhere for the file.

use std::ops::Range;

use crate::markdown::{Page, Span};

/// One `cavra-allow` comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suppression<'a> {
    /// Where the comment is.
    pub comment: Span,
    /// Bytes covered; the whole file for `cavra-allow-file`.
    pub scope: Span,
    /// The rule names, as written after the colon.
    list: &'a str,
    /// This one `<!-- … -->` (`comment` is the HTML piece that holds it).
    pub own: Span,
}

impl<'a> Suppression<'a> {
    /// Whether a finding at `offset` lies in this suppression's scope.
    pub fn covers(&self, offset: usize) -> bool {
        self.scope.range().contains(&offset)
            || (self.scope.is_empty() && self.scope.start() == offset)
    }

    /// The rule ids it names, as written.
    pub fn names(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        self.list
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
    }

    /// Where each name is in `src` (the page the suppression was parsed
    /// from), in the order of [`Suppression::names`].
    pub fn name_ranges(&self, src: &str) -> Vec<Range<usize>> {
        let base = self.list.as_ptr() as usize - src.as_ptr() as usize;
        let mut out = Vec::new();
        let mut at = 0;
        for part in self.list.split(',') {
            let lead = part.len() - part.trim_start().len();
            let name = part.trim();
            if !name.is_empty() {
                let start = base + at + lead;
                out.push(start..start + name.len());
            }
            at += part.len() + 1;
        }
        out
    }

    /// The items of `sorted` (in order of `offset`) that lie in its scope.
    pub fn within<T>(&self, sorted: &[T], offset: impl Fn(&T) -> usize) -> Range<usize> {
        let scope = self.scope.range();
        let from = sorted.partition_point(|t| offset(t) < scope.start);
        // An empty scope covers its one offset (see `covers`).
        let to = if scope.is_empty() {
            sorted.partition_point(|t| offset(t) <= scope.start)
        } else {
            sorted.partition_point(|t| offset(t) < scope.end)
        };
        from..to.max(from)
    }
}

/// Every suppression comment of a page, in page order, read as it is
/// iterated: a page may hold 200,000 of them, and a list of them was a good
/// part of the memory such a page took.
pub fn parse<'p, 'a>(page: &'p Page<'a>) -> impl Iterator<Item = Suppression<'a>> + 'p {
    page.comments.iter().flat_map(move |&comment| {
        let mut rest = page.src[comment.range()].trim();
        let mut block_scope = None;
        std::iter::from_fn(move || {
            loop {
                let start = rest.find("<!--")?;
                let own_start = rest.as_ptr() as usize - page.src.as_ptr() as usize + start;
                let after = &rest[start + 4..];
                let end = after.find("-->").unwrap_or(after.len());
                let body = after[..end].trim();
                let own_end = own_start + 4 + (end + 3).min(after.len());
                rest = &after[end..];
                let (file, list) = if let Some(n) = body.strip_prefix("cavra-allow-file:") {
                    (true, n)
                } else if let Some(n) = body.strip_prefix("cavra-allow:") {
                    (false, n)
                } else {
                    continue;
                };
                let scope = if file {
                    Span::new(0..page.src.len())
                } else {
                    *block_scope.get_or_insert_with(|| scope_of(page, comment.range()))
                };
                return Some(Suppression {
                    comment,
                    scope,
                    list,
                    own: Span::new(own_start..own_end),
                });
            }
        })
    })
}

/// The text a suppression comment covers: the whole top-level block that
/// holds it when the comment sits inside one (at the end of a line, or in a
/// list), or else the next top-level block.
fn scope_of(page: &Page<'_>, comment: Range<usize>) -> Span {
    let end = comment.end;
    if let Some(i) = page.top_block_at(end.saturating_sub(1)) {
        let b = page.top_blocks[i].range();
        let alone = page.src[b.start..comment.start.max(b.start)]
            .trim()
            .is_empty()
            && page.src[end.min(b.end)..b.end].trim().is_empty();
        if !alone {
            return Span::new(b);
        }
    }
    let next = page.top_blocks.partition_point(|b| b.start() < end);
    match page.top_blocks.get(next) {
        Some(&b) => b,
        None => Span::new(end..end),
    }
}

/// What a page's suppression comments hide, per rule they name (an empty
/// scope covers its one offset).
pub fn hidden(page: &Page<'_>) -> crate::diagnostic::Hidden {
    let mut by_rule: Vec<(String, Vec<Range<usize>>)> = Vec::new();
    for s in parse(page) {
        let scope = s.scope.range();
        let covered = if scope.is_empty() {
            scope.start..scope.start + 1
        } else {
            scope
        };
        for name in s.names() {
            match by_rule.iter_mut().find(|(n, _)| n == name) {
                Some((_, list)) => list.push(covered.clone()),
                None => by_rule.push((name.to_string(), vec![covered.clone()])),
            }
        }
    }
    crate::diagnostic::Hidden::new(by_rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_give_their_names_and_scopes() {
        let src =
            "<!-- cavra-allow: a, b --><!-- cavra-allow-file: c -->\ntext\n\n<!-- other -->\n";
        let page = Page::parse(src);
        let found: Vec<_> = parse(&page).collect();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].names().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(found[1].names().collect::<Vec<_>>(), ["c"]);
        assert_eq!(found[0].comment, found[1].comment);
        let text = src.find("text").unwrap();
        assert!(found[0].covers(text) && !found[0].covers(0));
        assert_eq!(found[1].scope.range(), 0..src.len());
        let offsets = [0, text, src.len() - 1];
        assert_eq!(found[0].within(&offsets, |&o| o), 1..2);
        assert_eq!(found[1].within(&offsets, |&o| o), 0..3);
    }
}

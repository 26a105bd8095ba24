//! Which of a page's suppression comments the book pass gets, as records.
//!
//! The book pass reads suppressions for two things: a book rule's finding
//! is hidden by a comment whose scope covers it and that names the rule,
//! and `unused-suppression` then reports every name that hid nothing. A
//! record per comment, each located with its line, was most of the memory
//! a page of 200,000 comments took, yet almost all of them are settled when
//! the page pass ends:
//!
//! - Book rules report only at the places a page's record holds
//!   ([`PageRecord::places`]), and a book finding uses only the first
//!   comment, in page order, that covers its place and names its rule (the
//!   book pass stops there). Those comments are *open*: the book pass may
//!   still use them. No other comment's names change after the page pass.
//! - Of the names left unused on settled comments, only the first
//!   [`MAX_PER_RULE`] findings are shown; the rest are counted.
//!
//! So the record keeps every open comment, and the settled comments with
//! something to report until [`MAX_PER_RULE`] of their findings are kept,
//! and counts what the others would report. The reports are the same as
//! with a record for every comment: the kept findings are the first in
//! report order, and a finding that would be merged with another rule's at
//! the same place (see [`crate::diagnostic::finish`]) is always kept.
//!
//! [`PageRecord::places`]: crate::check::facts::book::PageRecord::places

use std::collections::HashSet;
use std::ops::Range;

use crate::check::facts::book::SuppressionUse;
use crate::check::facts::suppress;
use crate::check::rules;
use crate::diagnostic::{Finding, Located, MAX_PER_RULE};
use crate::markdown::Page;

/// The offset and rule of a page rule's finding, before suppressions.
pub(super) type Hit = (usize, &'static str);

/// Each rule's findings, by offset in page order: whether one lies in a
/// comment's scope is a binary search, however many there are.
struct ByRule<'h>(Vec<(&'h str, Vec<usize>)>);

impl<'h> ByRule<'h> {
    fn new(hits: &'h [Hit]) -> ByRule<'h> {
        let mut by: Vec<(&str, Vec<usize>)> = Vec::new();
        for &(offset, rule) in hits {
            match by.iter_mut().find(|(r, _)| *r == rule) {
                Some((_, list)) => list.push(offset),
                None => by.push((rule, vec![offset])),
            }
        }
        ByRule(by)
    }

    /// Whether a finding of `rule` lies in the scope of `s`.
    fn any_in(&self, rule: &str, s: &suppress::Suppression<'_>) -> bool {
        self.0
            .iter()
            .find(|(r, _)| *r == rule)
            .is_some_and(|(_, offsets)| {
                let i = offsets.partition_point(|&o| o < s.scope.start());
                offsets.get(i).is_some_and(|&o| s.covers(o))
            })
    }
}

/// The suppression records of a page, and the `unused-suppression`
/// findings counted instead.
pub(super) struct Kept {
    pub records: Vec<SuppressionUse>,
    pub unlisted: usize,
}

/// Choose the records (see the module documentation). `hits` are the page
/// rules' findings before suppressions, in page order; `places` are where
/// book rules may report on this page; `findings` are the page's own, as
/// shown; `report_unused` is whether `unused-suppression` runs.
pub(super) fn keep(
    page: &Page<'_>,
    hits: &[Hit],
    places: &[usize],
    findings: &[Finding],
    report_unused: bool,
    locate: impl Fn(Range<usize>) -> Located,
) -> Kept {
    let mut places = places.to_vec();
    places.sort_unstable();
    places.dedup();
    let place_of = |offset: usize| page.index.locate(page.src, offset);
    // Where another rule's finding is, or may be: an unused-suppression
    // finding there may be merged with it, so it is never left out.
    let taken: HashSet<(usize, usize)> = findings
        .iter()
        .map(|f| (f.at.line, f.at.column))
        .chain(places.iter().map(|&p| place_of(p)))
        .collect();
    // Per rule, the places no comment has claimed yet: `unclaimed[r][i]`
    // leads to the first unclaimed place at or after `i` (a union-find, so
    // that each place is claimed once per rule however many comments cover
    // it).
    let mut unclaimed: Vec<Option<Vec<usize>>> = vec![None; rules::ALL.len()];
    let mut kept = Kept {
        records: Vec::new(),
        unlisted: 0,
    };
    // Findings kept from settled comments, and the place of the last.
    let mut shown = 0;
    let mut last = None;
    // Findings kept at the place of the last kept comment: past
    // `MAX_PER_RULE` of them, more at that place are counted instead (one
    // HTML block of 100,000 comments is one place, and each record copies
    // its line).
    let mut at_place = (None, 0);
    let by_rule = ByRule::new(hits);
    for s in suppress::parse(page) {
        // Open: the first comment covering one of the places that names a
        // given rule (the book pass stops at it).
        let mut open = false;
        let covered = s.within(&places, |&p| p);
        if !covered.is_empty() {
            for name in s.names() {
                let Some(r) = rules::ALL.iter().position(|r| r.id == name) else {
                    continue;
                };
                let next = unclaimed[r].get_or_insert_with(|| (0..=places.len()).collect());
                let mut p = first_unclaimed(next, covered.start);
                while p < covered.end {
                    open = true;
                    next[p] = p + 1;
                    p = first_unclaimed(next, p + 1);
                }
            }
        }
        let used = |name: &str| by_rule.any_in(name, &s);
        let reports = if report_unused {
            s.names()
                .filter(|&n| !used(n) || rules::ALL.iter().all(|r| r.id != n))
                .count()
        } else {
            0
        };
        let keep = open
            || (reports > 0 && {
                let place = place_of(s.comment.start());
                if at_place.0 != Some(place) {
                    at_place = (Some(place), 0);
                }
                if at_place.1 >= MAX_PER_RULE {
                    // As many as can be shown at this place already are.
                    kept.unlisted += reports;
                    false
                } else if taken.contains(&place) {
                    at_place.1 += reports;
                    true
                } else if shown < MAX_PER_RULE || last == Some(place) {
                    // The comments at one place are kept or left out together,
                    // up to the most that can be shown there.
                    shown += reports;
                    at_place.1 += reports;
                    last = Some(place);
                    true
                } else {
                    kept.unlisted += reports;
                    false
                }
            });
        if keep {
            kept.records.push(SuppressionUse {
                at: locate(first_comment(page.src, s.comment.range())),
                scope: s.scope.range(),
                names: s.names().map(|n| (n.to_string(), used(n))).collect(),
                name_ranges: s.name_ranges(page.src),
                removal: removal(page.src, s.own.range()),
            });
        }
    }
    kept
}

/// The first `<!-- … -->` of an HTML piece: what a finding about one of
/// its comments underlines. (A line of 100,000 comments is one piece; its
/// whole length in each finding made the findings cost the line's length
/// each.)
fn first_comment(src: &str, piece: Range<usize>) -> Range<usize> {
    let text = &src[piece.clone()];
    let end = text
        .find("<!--")
        .and_then(|at| text[at + 4..].find("-->").map(|e| at + 4 + e + 3))
        .unwrap_or(text.len());
    piece.start..piece.start + end
}

/// What deleting the comment at `own` removes: its whole line, line ending
/// included, when nothing but spaces is beside it on that line; otherwise
/// the comment and the spaces before it.
fn removal(src: &str, own: Range<usize>) -> Range<usize> {
    let line_start = src[..own.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = src[own.end..]
        .find('\n')
        .map_or(src.len(), |i| own.end + i + 1);
    let before = &src[line_start..own.start];
    let after = &src[own.end..line_end];
    if before.trim_start_matches('\u{feff}').trim().is_empty() && after.trim().is_empty() {
        // Keep a byte order mark that starts the page.
        let start = if src[line_start..].starts_with('\u{feff}') {
            line_start + '\u{feff}'.len_utf8()
        } else {
            line_start
        };
        return start..line_end;
    }
    let start = own.start - (before.len() - before.trim_end_matches([' ', '\t']).len());
    start..own.end
}

/// The first unclaimed place at or after `i` (`next[i] == i` when `i` is
/// unclaimed; the last entry, past every place, never is claimed).
fn first_unclaimed(next: &mut [usize], mut i: usize) -> usize {
    while next[i] != i {
        // Path halving: point `i` two steps on, then move there.
        next[i] = next[next[i]];
        i = next[i];
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Which comments of `src` are open for book findings at `places`.
    fn opened(src: &str, places: &[usize]) -> Vec<bool> {
        let page = Page::parse(src);
        let locate = |r: Range<usize>| Located {
            offset: r.start,
            ..Located::default()
        };
        let kept = keep(&page, &[], places, &[], false, locate);
        let kept: Vec<usize> = kept.records.iter().map(|r| r.at.offset).collect();
        suppress::parse(&page)
            .map(|s| kept.contains(&s.comment.start()))
            .collect()
    }

    #[test]
    fn only_the_first_comment_covering_a_place_for_a_rule_is_open() {
        let src = "<!-- cavra-allow-file: orphan-page -->\n\n\
                   <!-- cavra-allow-file: orphan-page, boundary-link -->\n\n\
                   <!-- cavra-allow-file: not-a-rule -->\n\n\
                   <!-- cavra-allow-file: orphan-page -->\n";
        assert_eq!(opened(src, &[0]), [true, true, false, false]);
        assert_eq!(opened(src, &[]), [false; 4]);
    }

    #[test]
    fn a_comment_before_a_block_is_open_for_places_in_that_block() {
        let src = "<!-- cavra-allow: boundary-link -->\nfirst\n\n<!-- cavra-allow: boundary-link -->\nsecond\n";
        let second = src.find("second").unwrap();
        assert_eq!(opened(src, &[second]), [false, true]);
        assert_eq!(opened(src, &[0, second]), [false, true]);
    }

    /// A line of comments is one place: as many findings as can be shown
    /// there are kept, the others counted, and each record underlines one
    /// comment, not the line.
    #[test]
    fn comments_at_one_place_keep_at_most_the_shown_number() {
        let one = "<!-- cavra-allow: undefined-state -->";
        let src = format!("{one} ").repeat(1000);
        let page = Page::parse(&src);
        let locate = |r: Range<usize>| Located {
            offset: r.start,
            span: r,
            ..Located::default()
        };
        let kept = keep(&page, &[], &[], &[], true, locate);
        assert_eq!(kept.records.len(), MAX_PER_RULE);
        assert_eq!(kept.unlisted, 1000 - MAX_PER_RULE);
        assert!(kept.records.iter().all(|r| r.at.span == (0..one.len())));
    }

    #[test]
    fn settled_comments_past_the_shown_number_are_counted() {
        let src = "<!-- cavra-allow: undefined-state, nope -->\n\ntext\n\n".repeat(150);
        let page = Page::parse(&src);
        let locate = |r: Range<usize>| Located {
            offset: r.start,
            ..Located::default()
        };
        let kept = keep(&page, &[], &[], &[], true, locate);
        // Two findings a comment: 100 comments give the 200 shown.
        assert_eq!(kept.records.len(), 100);
        assert_eq!(kept.unlisted, 100);
        // A comment where a book finding may be is kept besides, uncounted:
        // its findings may be merged with that one.
        let kept = keep(&page, &[], &[0], &[], true, locate);
        assert_eq!(kept.records.len(), 101);
        assert_eq!(kept.unlisted, 98);
        let kept = keep(&page, &[], &[0], &[], false, locate);
        assert!(kept.records.is_empty() && kept.unlisted == 0);
    }
}

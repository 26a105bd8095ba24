//! What a page says about boundaries, worked out once: which boundaries'
//! own page it is, the hand-written boundary lists on it (bullets after a
//! cue, and enumerations in sentences), where it names a boundary by its
//! title, and which boundary topics it really discusses.
//!
//! Everything here compares words loosely, the way a reader does: case,
//! hyphens, slashes, "And"/"&", articles and plural endings do not matter.

use std::ops::Range;

use super::lexicon::{BlockHit, Hit, PageLexicon};
use crate::directive::{Directive, DirectiveError};
use crate::markdown::{BlockKind, CODE_MARK, Page};
use crate::model::{Canon, Item, SectionKind};

/// Every boundary trigger as code spells it (`tenant_onboarding`,
/// `tenant-onboarding`) → the boundary's index.
static CODE_TRIGGERS: std::sync::LazyLock<rustc_hash::FxHashMap<String, usize>> =
    std::sync::LazyLock::new(|| {
        let mut map = rustc_hash::FxHashMap::default();
        for (i, b) in crate::canon::canon().boundaries.iter().enumerate() {
            for t in b.triggers {
                let words: Vec<&str> = t.split([' ', '-']).collect();
                map.entry(words.join("_")).or_insert(i);
                map.entry(words.join("-")).or_insert(i);
            }
        }
        map
    });

/// Each boundary's title in its [`loose`] form, by index.
static LOOSE_TITLES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    crate::canon::canon()
        .boundaries
        .iter()
        .map(|b| loose(b.title))
        .collect()
});

/// Words that never tell two wordings apart.
const FILLER: &[&str] = &["a", "an", "the", "and", "or", "of"];

/// Loose form of a wording: lower-case words without filler words or plural
/// endings, joined by single spaces (`Tenant Audit-Store` → `tenant audit
/// store`, `billing/subscription` → `billing subscription`, `license keys`
/// → `license key`, `past_due` → `past due`).
pub fn loose(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    loose_into(s, &mut out);
    out
}

/// [`loose`], appended to `out` (after a space if `out` has text already).
pub fn loose_into(s: &str, out: &mut String) {
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        // ASCII words (nearly all) are lower-cased as they are copied.
        let lower;
        let w = if w.is_ascii() {
            w
        } else {
            lower = w.to_lowercase();
            lower.as_str()
        };
        if FILLER.iter().any(|f| f.eq_ignore_ascii_case(w)) {
            continue;
        }
        let w = match w.strip_suffix(['s', 'S']) {
            Some(stem) if stem.len() >= 2 && !stem.ends_with(['s', 'S']) => stem,
            _ => w,
        };
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().map(|c| c.to_ascii_lowercase()));
    }
}

/// The ways prose writes the first two words of a title (for the lexicon).
pub fn title_starts(title: &str) -> Vec<String> {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !FILLER.contains(&w.to_lowercase().as_str()))
        .map(str::to_lowercase)
        .collect();
    let [first, second, ..] = words.as_slice() else {
        return words;
    };
    [" ", "-", "/", " and ", " & "]
        .iter()
        .map(|sep| format!("{first}{sep}{second}"))
        .collect()
}

/// Every accepted wording of each item, by the [`loose`] form of its
/// canonical text: the wordings an item is accepted in belong to the item
/// itself, not to the one boundary that happens to list them ("SaaS backend
/// source" says "SaaS backend implementation" in every boundary).
static WORDINGS: std::sync::LazyLock<rustc_hash::FxHashMap<String, Vec<String>>> =
    std::sync::LazyLock::new(|| {
        let mut map: rustc_hash::FxHashMap<String, Vec<String>> = rustc_hash::FxHashMap::default();
        for b in crate::canon::canon().boundaries {
            for kind in SectionKind::ALL {
                for item in b.items(kind) {
                    let all = map.entry(loose(item.text)).or_default();
                    for w in item.wordings() {
                        let w = loose(w);
                        if !all.contains(&w) {
                            all.push(w);
                        }
                    }
                }
            }
        }
        map
    });

/// The [`loose`] wordings of an item: its own, and those the canon accepts
/// for the same item under any boundary.
pub fn wordings(item: &Item) -> Vec<String> {
    let mut out: Vec<String> = item.wordings().map(loose).collect();
    if let Some(more) = WORDINGS.get(&loose(item.text)) {
        for w in more {
            if !out.contains(w) {
                out.push(w.clone());
            }
        }
    }
    out
}

/// Whether a loose wording says a canonical item (any accepted wording of
/// it, or, for an entry of two words or more, a part of one).
pub fn says(entry: &str, item: &Item) -> bool {
    says_in(entry, &wordings(item))
}

fn says_in(entry: &str, wordings: &[String]) -> bool {
    let padded = format!(" {entry} ");
    wordings.iter().any(|w| {
        padded.contains(&format!(" {w} "))
            || (entry.contains(' ') && format!(" {w} ").contains(&padded))
    })
}

/// Words that never tell two items apart when their words are compared as
/// sets (on top of the [`FILLER`] that [`loose`] drops already).
const STOP: &[&str] = &[
    "for", "to", "with", "in", "on", "by", "from", "per", "its", "their",
];

/// The content words of a loose wording.
fn content_words(loose: &str) -> Vec<&str> {
    loose
        .split(' ')
        .filter(|w| !w.is_empty() && !STOP.contains(w))
        .collect()
}

/// How a hand-written list covers one canonical item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Covered {
    /// Said, in an accepted wording or a shorter one.
    Yes,
    /// Not said at all.
    No,
    /// Said in part: the words of the item that no entry says, as the item
    /// writes them ("customer-success").
    Part(String),
}

/// How a list's entries (each in its [`loose`] form) cover each item, by
/// meaning rather than by exact wording:
/// - an accepted wording of the item (under any boundary), in one entry or
///   in neighbouring entries a serial comma split ("dashboards", "and
///   reporting");
/// - a shorter wording: an entry of two content words or more, all of them
///   the item's, that keeps the item's first or last word ("tenant database
///   isolation", "billing checks");
/// - entries that together say only some of the item's words: the part no
///   entry says is named.
pub fn coverage(entries: &[String], items: &[Item]) -> Vec<Covered> {
    // Neighbouring entries joined, for items a serial comma split.
    let mut candidates: Vec<(std::ops::Range<usize>, String)> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (i..i + 1, e.clone()))
        .collect();
    for n in [2, 3] {
        for (i, w) in entries.windows(n).enumerate() {
            candidates.push((i..i + n, w.join(" ")));
        }
    }
    let wordings: Vec<Vec<String>> = items.iter().map(wordings).collect();
    // Entries that say some item exactly, alone or joined with their
    // neighbours, are that item's, not a shorter wording of another
    // ("license keys" is not "license signing keys").
    let mut used = vec![false; entries.len()];
    let exact: Vec<bool> = wordings
        .iter()
        .map(|ws| {
            let mut said = false;
            for (r, e) in &candidates {
                if says_in(e, ws) {
                    said = true;
                    // A joined window is this item's only where the item's
                    // wording holds all of it.
                    let whole = r.len() == 1
                        || ws
                            .iter()
                            .any(|w| format!(" {w} ").contains(&format!(" {e} ")));
                    if whole {
                        used[r.clone()].iter_mut().for_each(|u| *u = true);
                    }
                }
            }
            said
        })
        .collect();
    items
        .iter()
        .zip(&exact)
        .map(|(item, &exact)| {
            if exact {
                return Covered::Yes;
            }
            let canonical = loose(item.text);
            let words = content_words(&canonical);
            let mut said = vec![false; words.len()];
            let mut any = false;
            for (e, _) in entries.iter().zip(&used).filter(|(_, u)| !**u) {
                let ew = content_words(e);
                if ew.is_empty() || !ew.iter().all(|w| words.contains(w)) {
                    continue;
                }
                let keeps_an_end = ew.contains(&words[0]) || ew.contains(&words[words.len() - 1]);
                if ew.len() >= 2 && keeps_an_end {
                    return Covered::Yes;
                }
                any = true;
                for (i, w) in words.iter().enumerate() {
                    if ew.contains(w) {
                        said[i] = true;
                    }
                }
            }
            if !any {
                return Covered::No;
            }
            Covered::Part(unsaid_part(item.text, &words, &said))
        })
        .collect()
}

/// The words of an item's text that no entry said, as the text writes them
/// (a hyphenated word whose parts are all unsaid stays one word).
fn unsaid_part(text: &str, words: &[&str], said: &[bool]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    for raw in text.split(' ') {
        let l = loose(raw);
        let pieces = content_words(&l);
        if pieces.is_empty() {
            // "and", "or", "of": ends a run of unsaid words.
            if !run.is_empty() {
                parts.push(run.join(" "));
                run.clear();
            }
            continue;
        }
        let unsaid = pieces
            .iter()
            .all(|p| words.iter().zip(said).any(|(w, s)| w == p && !s));
        if unsaid {
            run.push(raw.trim_matches(|c: char| !c.is_alphanumeric()));
        } else if !run.is_empty() {
            parts.push(run.join(" "));
            run.clear();
        }
    }
    if !run.is_empty() {
        parts.push(run.join(" "));
    }
    parts.join(", ")
}

/// A hand-written boundary list: bullets after a cue ("must not contain:"),
/// or an enumeration in the sentence of a cue ("must not contain A, B, or C").
#[derive(Debug, Clone)]
pub struct BoundaryList {
    pub kind: SectionKind,
    /// Where the list is on the page.
    pub range: Range<usize>,
    /// Each entry in its [`loose`] form.
    pub entries: Vec<String>,
    /// The boundary the lead-in names by its title, if any.
    pub named: Option<&'static str>,
    /// True for an enumeration in a sentence.
    pub in_sentence: bool,
}

/// A place where the page names a boundary by its title.
#[derive(Debug, Clone)]
pub struct TitleMention {
    pub boundary: usize,
    pub block: usize,
    /// Byte range in the block's text.
    pub range: Range<usize>,
}

/// The boundaries whose own page this is: its first heading is the
/// boundary's title (loosely), its file name is the title or the id, it
/// carries `<!-- cavra-boundary-page: ID -->`, or it embeds the whole
/// boundary.
pub fn own_boundaries(
    path: &str,
    page: &Page<'_>,
    canon: &'static Canon,
    directives: &[(usize, Result<Directive, DirectiveError>)],
    marked: &[(String, Range<usize>)],
) -> Vec<&'static str> {
    let title = page.title().map(|b| loose(page.text(b)));
    let stem = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".md");
    let stem_loose = loose(stem);
    let mut out: Vec<&'static str> = canon
        .boundaries
        .iter()
        .zip(LOOSE_TITLES.iter())
        .filter(|(b, t)| {
            title.as_deref() == Some(t.as_str())
                || stem_loose == **t
                || stem == b.id
                || marked.iter().any(|(id, _)| id == b.id)
        })
        .map(|(b, _)| b.id)
        .collect();
    for (_, d) in directives {
        if let Ok(Directive::Boundary {
            boundary,
            section: None,
        }) = d
            && !out.contains(boundary)
        {
            out.push(boundary);
        }
    }
    out
}

/// Every `<!-- cavra-boundary-page: ID -->` marker: (id, comment range).
pub fn markers(page: &Page<'_>) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    for c in &page.comments {
        let text = &page.src[c.range()];
        let mut rest = text;
        while let Some(start) = rest.find("<!--") {
            let after = &rest[start + 4..];
            let end = after.find("-->").unwrap_or(after.len());
            if let Some(id) = after[..end].trim().strip_prefix("cavra-boundary-page:") {
                out.push((id.trim().to_string(), c.range()));
            }
            rest = &after[end..];
        }
    }
    out
}

/// Where the page names a boundary by its whole title, loosely.
pub fn title_mentions(page: &Page<'_>, lex: &PageLexicon) -> Vec<TitleMention> {
    let mut out = Vec::new();
    // Titles said up to their last word and coordinated with a title that
    // follows ("the hosted policy registry readiness and tenant audit-store
    // operating contracts"): (mention without its last word, where the next
    // conjunct starts).
    let mut partial: Vec<(TitleMention, usize)> = Vec::new();
    for h in &lex.hits {
        // A title starts with its first words, or with a trigger phrase of
        // the same boundary that the lexicon matched instead (leftmost-longest
        // reports "tenant audit-store", not "tenant audit").
        let (Hit::TitleStart(b) | Hit::Trigger(b)) = h.hit else {
            continue;
        };
        if out
            .last()
            .is_some_and(|t: &TitleMention| t.block == h.block && t.range.start == h.start)
        {
            continue;
        }
        let title = LOOSE_TITLES[b].as_str();
        let text = page.text(&page.blocks[h.block]);
        // Walk the following words until the loose form covers the title.
        let mut end = h.start;
        let mut words = 0;
        let wanted = title.split(' ').count();
        let bytes = text.as_bytes();
        let mut said = String::new();
        // Where the words said so far end, before any joining word.
        let mut said_end = h.start;
        while end < text.len() && words < wanted + 3 {
            while end < text.len() && !bytes[end].is_ascii_alphanumeric() {
                if !matches!(bytes[end], b' ' | b'-' | b'/' | b'&' | b'\n') {
                    break;
                }
                end += 1;
            }
            let start = end;
            while end < text.len() && bytes[end].is_ascii_alphanumeric() {
                end += 1;
            }
            let word = &text[start..end];
            let joins = bytes.get(start) == Some(&b',')
                || word.eq_ignore_ascii_case("and")
                || word.eq_ignore_ascii_case("or");
            if joins
                && !said.is_empty()
                && title
                    .strip_suffix(LAST_WORDS[b].as_str())
                    .is_some_and(|p| p.strip_suffix(' ') == Some(said.as_str()))
            {
                let skip_ws = |i: usize| i + text[i..].len() - text[i..].trim_start().len();
                let mut next = skip_ws(if word.is_empty() { start + 1 } else { end });
                // ", and the": joining words and articles before the next title.
                for j in ["and ", "or ", "the ", "a "] {
                    if (word.is_empty() || !j.starts_with(['a', 'o']) || j == "a ")
                        && text[next..]
                            .get(..j.len())
                            .is_some_and(|w| w.eq_ignore_ascii_case(j))
                    {
                        next = skip_ws(next + j.len());
                    }
                }
                partial.push((
                    TitleMention {
                        boundary: b,
                        block: h.block,
                        range: h.start..said_end,
                    },
                    next,
                ));
                break;
            }
            if start == end {
                break;
            }
            let before = said.len();
            loose_into(word, &mut said);
            if said.len() > before {
                words += 1;
                said_end = end;
            }
            if said == title {
                out.push(TitleMention {
                    boundary: b,
                    block: h.block,
                    range: h.start..end,
                });
                break;
            }
            if !title.starts_with(&said) {
                break;
            }
        }
    }
    // A coordinated title is named when the conjuncts after it end in a
    // whole title with a plural last word ("… contracts", "… boundaries").
    // From the right, so that "A, B and C contracts" names all three.
    if !partial.is_empty() {
        let mut plural: rustc_hash::FxHashSet<(usize, usize)> = out
            .iter()
            .filter(|m| page.text(&page.blocks[m.block])[..m.range.end].ends_with(['s', 'S']))
            .map(|m| (m.block, m.range.start))
            .collect();
        for (t, next) in partial.iter().rev() {
            if plural.contains(&(t.block, *next)) {
                plural.insert((t.block, t.range.start));
                out.push(t.clone());
            }
        }
    }
    out.sort_by_key(|m| (m.block, m.range.start));
    out
}

/// Each boundary title's last word, in its [`loose`] form ("contract").
static LAST_WORDS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    LOOSE_TITLES
        .iter()
        .map(|t| t.rsplit(' ').next().unwrap_or("").to_string())
        .collect()
});

/// The boundary a lead-in's text (before `before`), or else the heading
/// above it, names by its title, if any.
fn named_in(
    page: &Page<'_>,
    titles: &TitleIndex<'_>,
    block: usize,
    before: usize,
    canon: &Canon,
) -> Option<&'static str> {
    let heading = page.blocks[block].section;
    titles
        .first_before(block, before)
        .or_else(|| heading.and_then(|h| titles.first_before(h, usize::MAX)))
        .map(|t| canon.boundaries[t.boundary].id)
}

/// Title mentions (in block order, as the lexicon gives them) found by
/// block in a binary search rather than a walk over every title: a page may
/// name titles and cues thousands of times.
struct TitleIndex<'t> {
    titles: &'t [TitleMention],
    /// For each title, the least start among the titles of its block up to
    /// and including it (so, within a block, never increasing).
    least_start: Vec<usize>,
}

impl<'t> TitleIndex<'t> {
    fn new(titles: &'t [TitleMention]) -> TitleIndex<'t> {
        let mut least_start: Vec<usize> = Vec::with_capacity(titles.len());
        for (i, t) in titles.iter().enumerate() {
            let least = match i.checked_sub(1) {
                Some(p) if titles[p].block == t.block => least_start[p].min(t.range.start),
                _ => t.range.start,
            };
            least_start.push(least);
        }
        TitleIndex {
            titles,
            least_start,
        }
    }

    /// The first title of `block`, in order, that starts before `before`.
    fn first_before(&self, block: usize, before: usize) -> Option<&'t TitleMention> {
        let from = self.titles.partition_point(|t| t.block < block);
        let to = self.titles.partition_point(|t| t.block <= block);
        let i = from + self.least_start[from..to].partition_point(|&s| s >= before);
        (i < to).then(|| &self.titles[i])
    }
}

/// Where "example" (any case) first ends in a text, if it does.
fn example_end(text: &str) -> Option<usize> {
    memchr::memmem::find(text.to_ascii_lowercase().as_bytes(), b"example").map(|i| i + 7)
}

/// Every hand-written boundary list on the page.
pub fn boundary_lists(
    page: &Page<'_>,
    lex: &PageLexicon,
    canon: &Canon,
    titles: &[TitleMention],
) -> Vec<BoundaryList> {
    let mut out = Vec::new();
    let title_index = TitleIndex::new(titles);
    let titles = &title_index;
    // Bullets after a lead-in that ends with a cue.
    for (l, list) in page.lists.iter().enumerate() {
        if list.depth > 0 {
            continue;
        }
        let Some(intro) = list.intro else { continue };
        let cue = lex.in_block(intro).iter().rev().find_map(|h| match h.hit {
            Hit::Cue(k) => Some(k),
            _ => None,
        });
        let Some(kind) = cue else { continue };
        out.push(BoundaryList {
            kind,
            range: list.range.clone(),
            entries: entries(page, l),
            named: named_in(page, titles, intro, usize::MAX, canon),
            in_sentence: false,
        });
    }
    // Enumerations in the sentence of a cue.
    for (b, block) in page.blocks.iter().enumerate() {
        if matches!(block.kind, BlockKind::Heading(_)) {
            continue;
        }
        let text = page.text(block);
        let hits = lex.in_block(b);
        let mut example = None;
        let mut marks = (0, block.codes.start);
        for (i, h) in hits.iter().enumerate() {
            let Hit::Cue(kind) = h.hit else { continue };
            // "This example is synthetic. It must not contain …" is the rule
            // for examples, not the boundary's list.
            let example_at = *example.get_or_insert_with(|| example_end(text));
            if example_at.is_some_and(|e| e <= h.start) {
                continue;
            }
            // The sentence ends where the next cue starts, if that comes
            // first: its list is that cue's (and a block of a thousand cues
            // is not read a thousand times over).
            let next_cue = hits[i + 1..]
                .iter()
                .find(|o| matches!(o.hit, Hit::Cue(_)) && o.start >= h.end)
                .map_or(text.len(), |o| o.start);
            let end = sentence_end_before(text, h.end, next_cue);
            let body = with_codes(page, b, h.end, end, &mut marks);
            let parts = enumeration(&body);
            if parts.len() < 3 {
                continue;
            }
            let start = page.source_offset(block, h.end);
            let stop = page.source_offset(block, end);
            out.push(BoundaryList {
                kind,
                range: start..stop.max(start),
                entries: parts.iter().map(|p| loose(p)).collect(),
                named: named_in(page, titles, b, h.start, canon),
                in_sentence: true,
            });
        }
    }
    out
}

/// A piece of a block's text with each inline code's own text in place of
/// its mark (a list may write an item as code or as plain text).
/// `marks` is where a count of the marks before a place of the block got to
/// (place, index of the next code), so that pieces taken in order read the
/// block once.
fn with_codes(
    page: &Page<'_>,
    b: usize,
    from: usize,
    to: usize,
    marks: &mut (usize, usize),
) -> String {
    let block = &page.blocks[b];
    let text = page.text(block);
    if marks.0 > from {
        *marks = (0, block.codes.start);
    }
    marks.1 += text[marks.0..from].matches(CODE_MARK).count();
    marks.0 = from;
    let mut k = marks.1;
    let mut out = String::with_capacity(to - from);
    for c in text[from..to].chars() {
        if c == CODE_MARK {
            if let Some(code) = page.codes.get(k) {
                out.push_str(page.code_text(code));
            }
            k += 1;
        } else {
            out.push(c);
        }
    }
    out
}

/// Where the sentence that runs through `from` ends (a `.`, `;`, `!` or
/// `?` followed by white space, or the end of the block).
pub fn sentence_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        if matches!(bytes[i], b'.' | b';' | b'!' | b'?')
            && bytes.get(i + 1).is_none_or(|c| c.is_ascii_whitespace())
        {
            return i;
        }
        i += 1;
    }
    bytes.len()
}

/// The sentences of one text, found once: [`sentence_start`] and
/// [`sentence_end`] by binary search, for texts with many places to look
/// up (a paragraph may hold thousands of hits in one sentence).
pub struct Sentences {
    /// Places [`sentence_start`] may return, ascending (0 aside).
    starts: Vec<usize>,
    /// Places [`sentence_end`] may return, ascending (the length aside).
    ends: Vec<usize>,
    len: usize,
}

impl Sentences {
    pub fn new(text: &str) -> Sentences {
        let bytes = text.as_bytes();
        let mut starts = Vec::new();
        let mut ends = Vec::new();
        for (i, &b) in bytes.iter().enumerate() {
            if !matches!(b, b'.' | b';' | b'!' | b'?' | b':') {
                continue;
            }
            let next = bytes.get(i + 1);
            if next.is_some_and(|c| c.is_ascii_whitespace()) {
                starts.push(i + 1);
            }
            if b != b':' && next.is_none_or(|c| c.is_ascii_whitespace()) {
                ends.push(i);
            }
        }
        Sentences {
            starts,
            ends,
            len: bytes.len(),
        }
    }

    /// [`sentence_start`] of the text.
    pub fn start(&self, at: usize) -> usize {
        let at = at.min(self.len);
        let k = self.starts.partition_point(|&s| s <= at);
        k.checked_sub(1).map_or(0, |k| self.starts[k])
    }

    /// [`sentence_end`] of the text.
    pub fn end(&self, from: usize) -> usize {
        let k = self.ends.partition_point(|&e| e < from);
        self.ends
            .get(k)
            .copied()
            .unwrap_or(self.len)
            .max(from.min(self.len))
    }
}

/// [`sentence_end`], looking no further than `limit` (returned when the
/// sentence runs on past it).
fn sentence_end_before(text: &str, from: usize, limit: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < limit.min(bytes.len()) {
        if matches!(bytes[i], b'.' | b';' | b'!' | b'?')
            && bytes.get(i + 1).is_none_or(|c| c.is_ascii_whitespace())
        {
            return i;
        }
        i += 1;
    }
    limit.min(bytes.len())
}

/// Where the sentence that runs through `at` starts.
pub fn sentence_start(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = at.min(bytes.len());
    while i > 0 {
        if matches!(bytes[i - 1], b'.' | b';' | b'!' | b'?' | b':')
            && bytes.get(i).is_some_and(|c| c.is_ascii_whitespace())
        {
            return i;
        }
        i -= 1;
    }
    0
}

/// The items of "A, B, C, or D": comma-separated parts, the last one
/// without its "and"/"or".
fn enumeration(body: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = body.split(',').map(str::trim).collect();
    if let Some(last) = parts.last_mut() {
        for joiner in ["and ", "or ", "nor "] {
            if let Some(rest) = last.strip_prefix(joiner) {
                *last = rest.trim();
            }
        }
    }
    // "…, C and D" without a serial comma: the last part may be two items (the
    // comparison joins neighbours again where one item has "and" in it).
    let last = parts.pop();
    let mut split = parts;
    if let Some(part) = last {
        let mut rest = part;
        while let Some((at, len)) = [" and ", " or "]
            .iter()
            .filter_map(|j| rest.find(j).map(|i| (i, j.len())))
            .min()
        {
            split.push(rest[..at].trim());
            rest = &rest[at + len..];
        }
        split.push(rest.trim());
    }
    let mut parts = split;
    parts.retain(|p| !p.is_empty());
    parts
}

/// The entries of a bullet list, each in its [`loose`] form (nested lists
/// are left out).
pub fn entries(page: &Page<'_>, list: usize) -> Vec<String> {
    page.lists[list]
        .items
        .iter()
        .map(|r| {
            // Stop at the first nested list: lists are in order of their start.
            let next = page
                .lists
                .partition_point(|nested| nested.range.start <= r.start);
            let end = page
                .lists
                .get(next)
                .map(|nested| nested.range.start)
                .filter(|&start| start < r.end)
                .unwrap_or(r.end);
            loose(&page.src[r.start..end.max(r.start)])
        })
        .collect()
}

/// Whether a trigger at this place is a bare item of an enumeration in its
/// sentence ("… tenant database, license service, billing integration, or
/// support automation"): a passing mention, not a discussion of the topic.
/// A sentence that says how its subjects work ("the billing provider
/// charges the card, the license service signs the key, and …") discusses
/// them, however many it names: the item around the trigger is a clause
/// with a verb, or is long, rather than a bare noun phrase.
/// `last` keeps the last sentence's comma count (block, start, end,
/// enough commas): the hits of one sentence come one after another.
fn in_enumeration(
    text: &str,
    sentences: &Sentences,
    h: &BlockHit,
    last: &mut Option<(usize, usize, usize, bool)>,
) -> bool {
    let start = sentences.start(h.start);
    let end = sentences.end(h.end);
    let commas = match *last {
        Some((b, s, e, answer)) if (b, s, e) == (h.block, start, end) => answer,
        _ => {
            let answer = text[start..end].bytes().filter(|&b| b == b',').count() >= 2;
            *last = Some((h.block, start, end, answer));
            answer
        }
    };
    if !commas {
        return false;
    }
    // An item is a few words: look no further than this for its ends (a
    // longer stretch is no bare item, and a long sentence is read once).
    const REACH: usize = 160;
    let is_sep = |c: char| matches!(c, ',' | ';' | ':' | '(' | ')');
    let mut back = h.start.saturating_sub(REACH).max(start);
    while !text.is_char_boundary(back) {
        back += 1;
    }
    let mut ahead = (h.end + REACH).min(end);
    while !text.is_char_boundary(ahead) {
        ahead -= 1;
    }
    let from = match text[back..h.start].rfind(is_sep) {
        Some(i) => back + i + 1,
        None if back == start => start,
        None => return false,
    };
    let to = match text[h.end..ahead].find(is_sep) {
        Some(i) => h.end + i,
        None if ahead == end => end,
        None => return false,
    };
    let mut words: Vec<&str> = text[from..to]
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    if words.first().is_some_and(|w| {
        ["and", "or", "nor"]
            .iter()
            .any(|j| j.eq_ignore_ascii_case(w))
    }) {
        words.remove(0);
    }
    // The trigger itself is up to three words; an item is a few words more.
    words.len() <= 7
        && !words
            .iter()
            .any(|w| VERBS.iter().any(|v| v.eq_ignore_ascii_case(w)))
}

/// Words that make an item of a sentence a clause about its subject rather
/// than a bare noun phrase.
const VERBS: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "does",
    "do",
    "did",
    "can",
    "cannot",
    "may",
    "must",
    "will",
    "should",
    "would",
    "could",
    "sends",
    "send",
    "receives",
    "keeps",
    "signs",
    "revokes",
    "creates",
    "handles",
    "charges",
    "pays",
    "expires",
    "renews",
    "becomes",
    "moves",
    "goes",
    "gets",
    "emails",
    "notifies",
    "writes",
    "reads",
    "rotates",
    "validates",
    "verifies",
    "owns",
    "fails",
    "happens",
    "decides",
    "belongs",
    "lives",
    "stays",
    "remains",
];

/// Whether a place lies in one of a set of ranges, by binary search.
struct RangeSet {
    /// Starts, ascending, with the furthest end of the ranges up to each.
    starts: Vec<(usize, usize)>,
}

impl RangeSet {
    fn new(ranges: impl Iterator<Item = Range<usize>>) -> RangeSet {
        let mut r: Vec<(usize, usize)> = ranges.map(|r| (r.start, r.end)).collect();
        r.sort_unstable();
        let mut furthest = 0;
        for x in &mut r {
            furthest = furthest.max(x.1);
            x.1 = furthest;
        }
        RangeSet { starts: r }
    }

    fn contains(&self, at: usize) -> bool {
        let k = self.starts.partition_point(|&(s, _)| s <= at);
        k.checked_sub(1).is_some_and(|k| self.starts[k].1 > at)
    }
}

/// The boundary topics the page really discusses, each with the place to
/// report: where it names the boundary's title, else a heading on the
/// topic, else its first mention — when it mentions the topic in prose
/// twice or more (the items of one list count as one mention). Items of boundary lists and of enumerations
/// in sentences are passing mentions and never count.
pub fn discussed(
    page: &Page<'_>,
    lex: &PageLexicon,
    canon: &Canon,
    titles: &[TitleMention],
    lists: &[BoundaryList],
    own: &[&'static str],
) -> Vec<(&'static str, Range<usize>)> {
    let n = canon.boundaries.len();
    let mut title_at: Vec<Option<Range<usize>>> = vec![None; n];
    for t in titles {
        if title_at[t.boundary].is_none() {
            let block = &page.blocks[t.block];
            let start = page.source_offset(block, t.range.start);
            title_at[t.boundary] = Some(start..start + t.range.len());
        }
    }
    let mut heading_at: Vec<Option<Range<usize>>> = vec![None; n];
    let mut first_at: Vec<Option<Range<usize>>> = vec![None; n];
    let mut tops: Vec<Vec<usize>> = vec![Vec::new(); n];
    let in_lists = RangeSet::new(lists.iter().map(|l| l.range.clone()));
    let mut sentences: Option<(usize, Sentences)> = None;
    let mut commas = None;
    let hits = &lex.hits;
    for (i, h) in hits.iter().enumerate() {
        let Hit::Trigger(b) = h.hit else { continue };
        let excluded = hits[i.saturating_sub(8)..(i + 8).min(hits.len())]
            .iter()
            .any(|o| {
                o.block == h.block
                    && o.hit == Hit::NotTrigger(b)
                    && o.start <= h.start
                    && o.end >= h.end
            });
        if excluded {
            continue;
        }
        let block = &page.blocks[h.block];
        let start = page.source_offset(block, h.start);
        let range = start..start + (h.end - h.start);
        if matches!(block.kind, BlockKind::Heading(_)) {
            heading_at[b].get_or_insert(range);
            continue;
        }
        let in_list = in_lists.contains(start);
        if in_list || {
            let text = page.text(block);
            let sentences = match &sentences {
                Some((at, s)) if *at == h.block => s,
                _ => &sentences.insert((h.block, Sentences::new(text))).1,
            };
            in_enumeration(text, sentences, h, &mut commas)
        } {
            continue;
        }
        first_at[b].get_or_insert(range);
        // Each mention in a paragraph counts; a list counts once, however
        // many of its items mention the topic (a list of module names is
        // one passing mention).
        let key = match block.item {
            Some(_) => page.top_block_at(start).unwrap_or(usize::MAX),
            None => usize::MAX / 2 + start,
        };
        // Only whether there are two matters: a topic mentioned ten
        // thousand times keeps two keys, not ten thousand to look through.
        if tops[b].len() < 2 && !tops[b].contains(&key) {
            tops[b].push(key);
        }
    }
    // An inline code that spells a topic phrase (`tenant_onboarding`) is a
    // mention too.
    for code in &page.codes {
        let text = page.code_text(code);
        if !text.contains(['_', '-']) || text.len() > 48 {
            continue;
        }
        let Some(&b) = CODE_TRIGGERS.get(text) else {
            continue;
        };
        let start = code.range.start;
        if in_lists.contains(start) {
            continue;
        }
        let top = page.top_block_at(start).unwrap_or(usize::MAX);
        if tops[b].len() < 2 && !tops[b].contains(&top) {
            tops[b].push(top);
        }
    }
    let mut out = Vec::new();
    for (b, boundary) in canon.boundaries.iter().enumerate() {
        if own.contains(&boundary.id) {
            continue;
        }
        let at = title_at[b]
            .clone()
            .or_else(|| heading_at[b].clone())
            .or_else(|| first_at[b].clone().filter(|_| tops[b].len() >= 2));
        if let Some(at) = at {
            out.push((boundary.id, at));
        }
    }
    out.sort_by_key(|(_, r)| r.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The indexed sentences, the bounded sentence end and the range set
    /// answer as the walks they replace, at every place of every text.
    #[test]
    fn indexes_answer_as_the_walks_they_replace() {
        let texts = [
            "",
            "One. Two; three! Four? Five: six.",
            "No end at all",
            "a.b. c.\nd;\te:  f.",
            ". ; ! ? :",
            "Ends with a dot.",
            "Multi-byte é. Ünïcode; ok",
        ];
        for text in texts {
            let s = Sentences::new(text);
            for at in 0..=text.len() + 2 {
                assert_eq!(s.start(at), sentence_start(text, at), "{text:?} start {at}");
                assert_eq!(s.end(at), sentence_end(text, at), "{text:?} end {at}");
                for limit in at..=text.len() {
                    let walk = sentence_end(text, at).min(limit);
                    assert_eq!(
                        sentence_end_before(text, at, limit),
                        walk,
                        "{text:?} {at} {limit}"
                    );
                }
            }
        }
        let ranges = [3..7, 5..6, 10..10, 12..20, 0..1];
        let set = RangeSet::new(ranges.iter().cloned());
        for at in 0..25 {
            assert_eq!(
                set.contains(at),
                ranges.iter().any(|r| r.contains(&at)),
                "{at}"
            );
        }
        let titles: Vec<TitleMention> = [(0, 5), (0, 2), (1, 9), (1, 4), (3, 0)]
            .iter()
            .enumerate()
            .map(|(i, &(block, start))| TitleMention {
                boundary: i,
                block,
                range: start..start + 3,
            })
            .collect();
        let index = TitleIndex::new(&titles);
        for block in 0..5 {
            for before in 0..12 {
                let walk = titles
                    .iter()
                    .find(|t| t.block == block && t.range.start < before)
                    .map(|t| t.boundary);
                let found = index.first_before(block, before).map(|t| t.boundary);
                assert_eq!(found, walk, "block {block} before {before}");
            }
        }
    }

    /// `loose` lower-cases as it copies; it must say what lower-casing
    /// every word first says.
    #[test]
    fn loose_forms_match_a_lowercase_first_reading() {
        fn reference(s: &str) -> String {
            let mut out = Vec::new();
            for w in s
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
            {
                let w = w.to_lowercase();
                if FILLER.contains(&w.as_str()) {
                    continue;
                }
                let w = match w.strip_suffix('s') {
                    Some(stem) if stem.len() >= 2 && !stem.ends_with('s') => stem.to_string(),
                    _ => w.clone(),
                };
                out.push(w);
            }
            out.join(" ")
        }
        for s in [
            "Tenant Audit-Store",
            "billing/subscription",
            "License KEYS",
            "past_due",
            "The Evidence OF Readiness",
            "Ss sS class CLASSES",
            "Éléments ÉTATS naïve",
            "İstanbul KELVIN \u{212a}s",
            "",
            "a an THE",
        ] {
            assert_eq!(loose(s), reference(s), "{s:?}");
        }
    }
}

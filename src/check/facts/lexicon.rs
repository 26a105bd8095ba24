//! Every phrase the rules look for in prose, in one automaton built from the
//! canon, and the term lookups shared by the state rules.
//!
//! One pass of [`PageLexicon::build`] over each prose block finds vocabulary
//! names, retired labels, boundary triggers and section cues together, so no
//! rule scans the text again.

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::LazyLock;

use aho_corasick::MatchKind;

use crate::automaton::Flat;
use crate::canon::canon;
use crate::markdown::{CODE_MARK, Page};
use crate::model::{SectionKind, Term, Vocabulary};
use crate::suggest::normalize;

/// What a phrase found in prose stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    /// A vocabulary's label or alias (index into `Canon::vocabularies`).
    Vocabulary(usize),
    /// A vocabulary's one-word name ("decision"): it names the vocabulary
    /// in a sentence ("the decision is `block`"), but a heading, column
    /// header or lead-in that says it is generic ("Approval Decision
    /// Contract", "Status") names no vocabulary.
    VocabularyWord(usize),
    /// A vocabulary's label without its "state"/"status" ("the
    /// subscription"): only a near miss right after it counts ("the
    /// subscription is past due").
    VocabularyStem(usize),
    /// A retired label (index into `Canon::retired`).
    Retired(usize),
    /// A boundary trigger (index into `Canon::boundaries`).
    Trigger(usize),
    /// A phrase that contains a trigger but is not the topic.
    NotTrigger(usize),
    /// A cue that introduces a boundary list.
    Cue(SectionKind),
    /// Required boundary language (index into `Canon::required_language`).
    Required(usize),
    /// The first two words of a boundary's title, in any of the ways prose
    /// joins them ("tenant audit", "billing/subscription"); whether the rest
    /// of the title follows is checked where it matters (see
    /// [`super::boundaries`]).
    TitleStart(usize),
}

struct Lexicon {
    /// The automaton, laid out flat for the search over every byte of
    /// prose (see [`crate::automaton`]).
    ac: Flat,
    /// What each pattern stands for; one phrase may stand for several things
    /// ("subscription state" names a vocabulary and is a billing trigger).
    hits: Vec<Vec<Hit>>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let c = canon();
    let mut phrases: Vec<(&str, Hit)> = Vec::new();
    for (i, v) in c.vocabularies.iter().enumerate() {
        phrases.extend(v.names().map(|n| {
            let one_word = !n.contains([' ', '-']);
            (
                n,
                if one_word {
                    Hit::VocabularyWord(i)
                } else {
                    Hit::Vocabulary(i)
                },
            )
        }));
        let stem = v
            .label
            .strip_suffix(" state")
            .or_else(|| v.label.strip_suffix(" status"));
        if let Some(stem) = stem.filter(|s| !s.contains(' ')) {
            phrases.push((stem, Hit::VocabularyStem(i)));
        }
    }
    for (i, r) in c.retired.iter().enumerate() {
        phrases.push((r.phrase, Hit::Retired(i)));
    }
    for (i, b) in c.boundaries.iter().enumerate() {
        phrases.extend(b.triggers.iter().map(|t| (*t, Hit::Trigger(i))));
        phrases.extend(b.not_triggers.iter().map(|t| (*t, Hit::NotTrigger(i))));
    }
    for cue in c.section_cues {
        phrases.extend(cue.phrases.iter().map(|p| (*p, Hit::Cue(cue.kind))));
    }
    for (i, r) in c.required_language.iter().enumerate() {
        phrases.extend(r.phrases.iter().map(|p| (*p, Hit::Required(i))));
    }
    let title_starts: Vec<(String, usize)> = c
        .boundaries
        .iter()
        .enumerate()
        .flat_map(|(i, b)| {
            super::boundaries::title_starts(b.title)
                .into_iter()
                .map(move |p| (p, i))
        })
        .collect();
    phrases.extend(
        title_starts
            .iter()
            .map(|(p, i)| (p.as_str(), Hit::TitleStart(*i))),
    );
    let mut patterns: Vec<String> = Vec::new();
    let mut hits: Vec<Vec<Hit>> = Vec::new();
    for (phrase, hit) in phrases {
        let key = phrase.to_ascii_lowercase();
        match patterns.iter().position(|p| *p == key) {
            Some(i) => hits[i].push(hit),
            None => {
                patterns.push(key);
                hits.push(vec![hit]);
            }
        }
    }
    // A plural pattern ("subscription states") also stands for everything its
    // singular does ("subscription state" is a billing trigger too).
    for i in 0..patterns.len() {
        let p = &patterns[i];
        let singulars = [p.strip_suffix("es"), p.strip_suffix('s')];
        for singular in singulars.into_iter().flatten() {
            if let Some(j) = patterns.iter().position(|q| q == singular) {
                let extra: Vec<Hit> = hits[j].clone();
                for h in extra {
                    if !hits[i].contains(&h) {
                        hits[i].push(h);
                    }
                }
            }
        }
    }
    // Leftmost-longest: where phrases overlap, the longer one is what the
    // text says ("CAVRA Enterprise Subscription" is a product name).
    let ac = Flat::build(&patterns, MatchKind::LeftmostLongest, true)
        .expect("canon phrases build an automaton");
    Lexicon { ac, hits }
});

/// A phrase found in one block's text.
#[derive(Debug, Clone, Copy)]
pub struct BlockHit {
    pub block: usize,
    /// Byte range in the block's text.
    pub start: usize,
    pub end: usize,
    pub hit: Hit,
}

/// Every phrase found on a page, by block, in order.
#[derive(Debug, Default)]
pub struct PageLexicon {
    pub hits: Vec<BlockHit>,
}

impl PageLexicon {
    pub fn build(page: &Page<'_>) -> PageLexicon {
        let lex = &*LEXICON;
        // About one phrase per 200 bytes of prose on the guide and the
        // benchmark book; room never used is never touched.
        let mut hits = Vec::with_capacity((page.prose.len() / 128).min(4096));
        // One pass over all the prose of the page; blocks are separated by a
        // newline in it, which no phrase contains.
        let text = page.prose.as_bytes();
        for m in lex.ac.find_all(text) {
            let (s, e) = (m.start, m.end);
            let before_ok = s == 0 || !is_word_byte(text[s - 1]);
            // A plural counts too: "invoices", "renewals".
            let e = if text.get(e) == Some(&b's') { e + 1 } else { e };
            let after_ok = e == text.len() || !is_word_byte(text[e]);
            if !(before_ok && after_ok) {
                continue;
            }
            let b = page.blocks.partition_point(|blk| blk.text.start <= s) - 1;
            let base = page.blocks[b].text.start;
            for &hit in &lex.hits[m.pattern] {
                hits.push(BlockHit {
                    block: b,
                    start: s - base,
                    end: e - base,
                    hit,
                });
            }
        }
        PageLexicon { hits }
    }

    /// The hits in one block.
    pub fn in_block(&self, block: usize) -> &[BlockHit] {
        let from = self.hits.partition_point(|h| h.block < block);
        let to = self.hits.partition_point(|h| h.block <= block);
        &self.hits[from..to]
    }

    /// The first vocabulary a block names by a label or alias of more than
    /// one word, if any (a one-word name is generic in a heading or header).
    pub fn vocabulary_named(&self, block: usize) -> Option<usize> {
        self.in_block(block).iter().find_map(|h| match h.hit {
            Hit::Vocabulary(v) => Some(v),
            _ => None,
        })
    }
}

/// Bytes of a word: ASCII letters and digits, `_`, and every byte of a
/// non-ASCII character. A table, as this runs for every byte of prose.
static WORD_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
        b += 1;
    }
    t
};

fn is_word_byte(b: u8) -> bool {
    WORD_BYTES[usize::from(b)]
}

/// Whether a code span's text could be a state term at all: one identifier,
/// not a command, path, flag or sentence.
pub fn is_term_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() <= 48
        && b.first().is_some_and(u8::is_ascii_alphabetic)
        && b[1..]
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

/// Whether any vocabulary has this exact term.
pub fn is_any_term(s: &str) -> bool {
    TERMS.exact.contains_key(s)
}

/// Whether a text is a word of a command of the canon's CLI (`approval`,
/// `break-glass`): a command, not a state.
pub fn is_cli_word(s: &str) -> bool {
    static WORDS: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
        canon()
            .cli
            .commands
            .iter()
            .flat_map(|c| c.path.iter().copied())
            .collect()
    });
    WORDS.contains(s)
}

/// Whether a text is a field name of some vocabulary, or a vocabulary id.
pub fn is_field_or_id(s: &str) -> bool {
    TERMS.fields.contains(s)
}

struct Terms {
    exact: FxHashMap<&'static str, Vec<usize>>,
    /// Normalized multi-word terms (`pastdue`) → (vocabulary, term).
    joined: FxHashMap<String, (usize, &'static Term)>,
    fields: FxHashSet<&'static str>,
    /// Terms of six letters or more, for the spelling check, by the length
    /// of their name: (order in the canon, vocabulary, term).
    long: Vec<Vec<(usize, usize, &'static Term)>>,
}

static TERMS: LazyLock<Terms> = LazyLock::new(|| {
    let c = canon();
    let mut exact: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    let mut joined = FxHashMap::default();
    let mut fields = FxHashSet::default();
    let mut long: Vec<Vec<(usize, usize, &Term)>> = Vec::new();
    let mut order = 0;
    for (i, v) in c.vocabularies.iter().enumerate() {
        fields.insert(v.id);
        for f in v.fields {
            fields.insert(f.key);
        }
        for t in v.terms {
            exact.entry(t.name).or_default().push(i);
            if t.name.len() >= 6 {
                let len = t.name.len();
                if long.len() <= len {
                    long.resize_with(len + 1, Vec::new);
                }
                long[len].push((order, i, t));
                order += 1;
            }
            if t.name.contains('_') {
                joined.entry(normalize(t.name)).or_insert((i, t));
            }
        }
    }
    // A retired multi-word spelling (`requires_approval`, `strict_regulated`)
    // is a near miss of its replacement in every case and separator form.
    // One-word ones (`deny`, `shadow`) are ordinary words or other
    // vocabularies' terms, so they count only where their vocabulary is named.
    for o in crate::canon::OTHER_SPELLINGS {
        if o.spelling.contains('_')
            && let Some(i) = c.vocabularies.iter().position(|v| v.id == o.vocabulary)
            && let Some(t) = c.vocabularies[i].term(o.term)
        {
            joined.entry(normalize(o.spelling)).or_insert((i, t));
        }
    }
    Terms {
        exact,
        joined,
        fields,
        long,
    }
});

/// The term that replaced a retired spelling in this vocabulary
/// (`deny` → `block` for decisions), if `s` is one.
pub fn other_spelling(vocab: &Vocabulary, s: &str) -> Option<&'static str> {
    crate::canon::OTHER_SPELLINGS
        .iter()
        .find(|o| o.vocabulary == vocab.id && o.spelling == s)
        .map(|o| o.term)
}

/// A near miss of a real term: a case or separator variant of a multi-word
/// term (`past-due`, `PastDue`, `GRACE_PERIOD`), or a one-letter spelling
/// slip of a long term (`canceled`). Exact terms of any vocabulary are never
/// near misses; neither is a term with a suffix added (`enable` → `enabled`).
pub fn near_miss(s: &str) -> Option<(&'static Vocabulary, &'static Term)> {
    if !is_term_shaped(s) || is_any_term(s) {
        return None;
    }
    // A book repeats its identifiers (field names, values) on page after
    // page, and the answer depends on the word alone: remembered per thread,
    // for a bounded number of words.
    thread_local! {
        static SEEN: crate::memo::Table<Option<(&'static Vocabulary, &'static Term)>> =
            Default::default();
    }
    crate::memo::remembered(&SEEN, s, || spelling_of(s))
}

/// [`near_miss`] worked out, for a term-shaped word that is no term.
fn spelling_of(s: &str) -> Option<(&'static Vocabulary, &'static Term)> {
    let c = canon();
    // Normalize into a stack buffer: this runs for every identifier-shaped
    // code span and value, so it must not allocate.
    let mut buf = [0u8; 48];
    let mut n = 0;
    for b in s.bytes().filter(|b| !matches!(b, b'-' | b'_')) {
        buf[n] = b.to_ascii_lowercase();
        n += 1;
    }
    if let Some(&(v, t)) = std::str::from_utf8(&buf[..n])
        .ok()
        .and_then(|k| TERMS.joined.get(k))
    {
        return Some((&c.vocabularies[v], t));
    }
    // Only lowercase words get the spelling check: `Cancelled` in a heading
    // is a word, not a state.
    if s.len() < 6 || s.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let mut lower = [0u8; 48];
    for (i, b) in s.bytes().enumerate() {
        lower[i] = if b == b'-' { b'_' } else { b };
    }
    let lower = &lower[..s.len()];
    // One edit changes the length by one at most; of the terms it reaches,
    // the first in the canon wins.
    let long = &TERMS.long;
    long[(s.len() - 1).min(long.len())..(s.len() + 2).min(long.len())]
        .iter()
        .flatten()
        .filter(|(_, _, t)| {
            let name = t.name.as_bytes();
            // One edit keeps the first or the last letter (both are six
            // letters or more); most terms fail this before any other test.
            (name[0] == lower[0] || name[name.len() - 1] == lower[lower.len() - 1])
                && !name.starts_with(lower)
                && !lower.starts_with(name)
                && one_edit_apart(lower, name)
        })
        .min_by_key(|(order, _, _)| *order)
        .map(|&(_, v, t)| (&c.vocabularies[v], t))
}

/// Whether two byte strings are exactly one edit apart: one substitution,
/// insertion, deletion, or swap of neighbours (Damerau distance 1).
pub fn one_edit_apart(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // One edit of a word of three letters or more keeps its first or its
    // last letter: a cheap test that rules out most pairs.
    if short.len() >= 3 && short[0] != long[0] && short[short.len() - 1] != long[long.len() - 1] {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        if prefix == short.len() {
            return false;
        }
        let rest = prefix + 1;
        // Substitution, or a swap of neighbours.
        short[rest..] == long[rest..]
            || (rest < short.len()
                && short[prefix] == long[rest]
                && short[rest] == long[prefix]
                && short[rest + 1..] == long[rest + 1..])
    } else if long.len() == short.len() + 1 {
        short[prefix..] == long[prefix + 1..]
    } else {
        false
    }
}

/// One token of a block's prose, for the sentence rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    /// A word: byte range in the block text.
    Word(usize, usize),
    /// The k-th inline code of the block.
    Code(usize),
    /// Punctuation that does not end a sentence (`,` `:` `(` …).
    Sep(char),
    /// `.` `?` `!` `;` followed by space or end: a sentence boundary.
    End,
}

/// Split a block's text into tokens, with each token's start offset.
pub fn tokenize(text: &str, out: &mut Vec<(usize, Tok)>) {
    out.clear();
    out.extend(Tokens::new(text, 0, 0));
}

/// The tokens of a block's text from a byte offset on, one at a time, as
/// [`tokenize`] gives them; the sentence rules usually read only a few
/// tokens after a vocabulary's name, so they need not split the whole block.
#[derive(Debug, Clone)]
pub struct Tokens<'t> {
    text: &'t str,
    i: usize,
    /// Index of the next inline code.
    code: usize,
}

impl<'t> Tokens<'t> {
    /// Tokens from `at`, which must be where no token is open (the start
    /// of the text, or the end of a token), with `code` inline codes before it.
    fn new(text: &'t str, at: usize, code: usize) -> Tokens<'t> {
        Tokens { text, i: at, code }
    }

    /// The tokens after byte `at`, which ends a phrase: a word that goes on
    /// past it (`decision-making` after "decision") is skipped whole, as
    /// [`tokenize`] keeps it one token.
    pub fn after(text: &'t str, at: usize) -> Tokens<'t> {
        let bytes = text.as_bytes();
        let at = if at > 0 && is_word_byte(bytes[at - 1]) {
            word_end(text, at)
        } else {
            at
        };
        let code = memchr::memchr_iter(CODE_MARK as u8, &bytes[..at]).count();
        Tokens::new(text, at, code)
    }
}

impl Iterator for Tokens<'_> {
    type Item = (usize, Tok);

    fn next(&mut self) -> Option<(usize, Tok)> {
        let bytes = self.text.as_bytes();
        while self.i < bytes.len() && bytes[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
        let i = self.i;
        let &b = bytes.get(i)?;
        let tok = if b == CODE_MARK as u8 {
            self.code += 1;
            self.i += 1;
            Tok::Code(self.code - 1)
        } else if is_word_byte(b) {
            self.i = word_end(self.text, i + 1);
            Tok::Word(i, self.i)
        } else {
            self.i += 1;
            let end_of_sentence = matches!(b, b'.' | b'?' | b'!' | b';')
                && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace());
            if end_of_sentence {
                Tok::End
            } else {
                Tok::Sep(b as char)
            }
        };
        Some((i, tok))
    }
}

/// Where the word that goes on at byte `i` ends: word characters, and
/// `-` `'` `.` between letters or digits (`past-due`, `don't`, `v1.2`).
fn word_end(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    while i < bytes.len()
        && (is_word_byte(bytes[i])
            || (matches!(bytes[i], b'-' | b'\'' | b'.')
                && i + 1 < bytes.len()
                && bytes[i + 1].is_ascii_alphanumeric()))
    {
        i += 1;
    }
    // Never split inside a multi-byte character.
    while i < bytes.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flat_lexicon_finds_what_aho_corasick_finds_on_every_page() {
        let roots = [
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/book/src"),
        ];
        let mut pages = 0;
        for root in roots {
            for e in walkdir::WalkDir::new(root).into_iter().flatten() {
                if e.path().extension().is_none_or(|x| x != "md") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(e.path()) else {
                    continue;
                };
                let prose = Page::parse(&text).prose;
                let got: Vec<_> = LEXICON.ac.find_iter(prose.as_bytes()).collect();
                assert_eq!(
                    got,
                    LEXICON.ac.reference(prose.as_bytes()),
                    "{}",
                    e.path().display()
                );
                pages += 1;
            }
        }
        assert!(pages > 50, "only {pages} pages compared");
    }

    #[test]
    fn near_misses_find_the_right_term() {
        let cases = [
            ("canceled", "cancelled"),
            ("past-due", "past_due"),
            ("PastDue", "past_due"),
            ("GRACE_PERIOD", "grace_period"),
            ("requires_approval", "require_approval"),
            ("RequiresApproval", "require_approval"),
            ("strict_regulated", "strict"),
            ("allow-with-attestation", "allow_with_attestation"),
        ];
        for (miss, term) in cases {
            assert_eq!(near_miss(miss).map(|(_, t)| t.name), Some(term), "{miss}");
        }
    }

    #[test]
    fn real_terms_and_ordinary_words_are_not_near_misses() {
        for word in [
            "cancelled",
            "active",
            "json",
            "JSON",
            "enable",
            "expire",
            "Cancelled",
            "reason",
            "status",
            "approvals",
            "cavra",
            "main",
            "deny",
            "shadow",
        ] {
            assert_eq!(near_miss(word), None, "{word}");
        }
    }

    /// The spelling check finds the first term of the canon one edit away,
    /// as a plain walk over every term would.
    #[test]
    fn spelling_slips_find_the_first_term_one_edit_away() {
        let c = canon();
        let long: Vec<&Term> = c
            .vocabularies
            .iter()
            .flat_map(|v| v.terms)
            .filter(|t| t.name.len() >= 6)
            .collect();
        let mut checked = 0;
        for t in &long {
            let name = t.name;
            let mut slips = Vec::new();
            for i in 0..name.len() {
                slips.push(format!("{}{}", &name[..i], &name[i + 1..]));
                slips.push(format!("{}x{}", &name[..i], &name[i + 1..]));
                slips.push(format!("{}q{}", &name[..i], &name[i..]));
            }
            for w in slips {
                let w = w.trim_matches('_');
                if w.len() < 6 || is_any_term(w) || TERMS.joined.contains_key(&normalize(w)) {
                    continue;
                }
                let expected = long
                    .iter()
                    .find(|t| {
                        !t.name.starts_with(w)
                            && !w.starts_with(t.name)
                            && strsim::damerau_levenshtein(w, t.name) == 1
                    })
                    .map(|t| t.name);
                assert_eq!(near_miss(w).map(|(_, t)| t.name), expected, "{w}");
                checked += 1;
            }
        }
        assert!(checked > 500, "{checked}");
    }

    #[test]
    fn one_edit_apart_matches_damerau_distance_one() {
        let words = [
            "cancelled",
            "canceled",
            "cancleled",
            "cancellde",
            "xancelled",
            "cancelledx",
            "cancel",
            "past_due",
            "pats_due",
            "a",
            "b",
            "ab",
            "ba",
            "abc",
            "bac",
            "acb",
            "xbc",
            "abx",
            "bc",
            "ac",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    one_edit_apart(a.as_bytes(), b.as_bytes()),
                    strsim::damerau_levenshtein(a, b) == 1,
                    "{a} {b}"
                );
            }
        }
    }

    proptest::proptest! {
        /// Reading tokens after a phrase gives what splitting the whole
        /// text gives from there on.
        #[test]
        fn tokens_after_a_phrase_match_the_whole_split(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "decision", "-", "making", " ", "\u{1A}", ",", ".", "'", "é", "s", "v1", "\n", "\"", "_",
                ]),
                0..24,
            ),
        ) {
            let text: String = parts.concat();
            let mut all = Vec::new();
            tokenize(&text, &mut all);
            let bytes = text.as_bytes();
            for at in 0..=text.len() {
                // A phrase ends before a byte that is not a word's.
                if !text.is_char_boundary(at) || bytes.get(at).is_some_and(|&b| is_word_byte(b)) {
                    continue;
                }
                let first = all.partition_point(|t| t.0 < at);
                let after: Vec<(usize, Tok)> = Tokens::after(&text, at).collect();
                proptest::prop_assert_eq!(&after[..], &all[first..], "at {}", at);
            }
        }
    }

    #[test]
    fn tokens_keep_codes_and_sentence_ends() {
        let text = format!("The decision is {CODE_MARK}. Next, see v1.2 {CODE_MARK}");
        let mut toks = Vec::new();
        tokenize(&text, &mut toks);
        let kinds: Vec<Tok> = toks.iter().map(|t| t.1).collect();
        assert!(matches!(kinds[3], Tok::Code(0)));
        assert_eq!(kinds[4], Tok::End);
        assert!(matches!(kinds.last(), Some(Tok::Code(1))));
    }
}

//! A phrase automaton laid out for the checker's hottest loop.
//!
//! The lexicon looks for a few hundred phrases in every byte of prose of
//! every page. `aho-corasick` builds the automaton (its trie with failure
//! links); [`Flat`] copies its transitions into one table of `u32`, indexed by
//! state and byte class, and runs the search with one lookup and one compare
//! per byte. The search of
//! `aho-corasick` itself checks the slices and the kind of each state on
//! every byte, which made it the largest single cost of a check (about 18
//! instructions a byte of prose).
//!
//! The matches are exactly those of `aho-corasick`'s leftmost search with the
//! same automaton: the table is read off its `next_state` for every state
//! and byte class, and the walk stops and reports where `aho-corasick`'s does (a
//! test compares the two on the fixture pages and on random text).

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::noncontiguous::NFA;
use aho_corasick::{Anchored, MatchKind};

/// A leftmost (first or longest) phrase automaton as one transition table.
#[derive(Clone, Debug)]
pub struct Flat {
    /// The byte class of each byte: bytes that every state treats alike.
    classes: [u8; 256],
    /// Transitions: `trans[state + class]`, where states are numbered in
    /// steps of the number of classes (the index of their first entry).
    trans: Table,
    start: u32,
    /// States below this are the dead state (0) and the match states.
    first_plain: u32,
    /// For each match state (by `state / stride`): its pattern and length.
    found: Vec<(u32, u32)>,
    stride: u32,
    /// Whether no pattern holds a line feed: then no match crosses one,
    /// and a text cut after a line feed can be searched as two texts.
    splittable: bool,
    /// The automaton the table was read from, for the tests to compare.
    #[cfg(test)]
    nfa: NFA,
}

/// The transition table, in 16-bit entries when every state number fits
/// (the lexicon's and the secret scanner's do): half the bytes, so more of
/// the rows a search visits stay in the processor's nearest cache.
#[derive(Clone, Debug)]
enum Table {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

/// One match: the pattern and the byte range it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    pub pattern: usize,
    pub start: usize,
    pub end: usize,
}

impl Flat {
    /// The automaton of `patterns` (none of them empty) for a leftmost
    /// search: where matches overlap, the longest (`LeftmostLongest`) or
    /// the first listed (`LeftmostFirst`) wins. `fold` makes ASCII letters
    /// match in either case.
    pub fn build<P: AsRef<[u8]>>(
        patterns: &[P],
        kind: MatchKind,
        fold: bool,
    ) -> Result<Flat, aho_corasick::BuildError> {
        assert!(
            matches!(kind, MatchKind::LeftmostFirst | MatchKind::LeftmostLongest),
            "only leftmost searches stop at a dead state"
        );
        // The plain trie with failure links is enough: its transitions are
        // read once per state and byte class, and it builds in a fraction
        // of the time of `aho-corasick`'s own DFA.
        let nfa = NFA::builder()
            .ascii_case_insensitive(fold)
            .match_kind(kind)
            .build(patterns)?;
        let start = nfa
            .start_state(Anchored::No)
            .expect("an automaton built for unanchored searches");
        assert!(!nfa.is_match(start), "an empty pattern matches everywhere");

        // Byte classes. A transition of an Aho-Corasick automaton depends on
        // which pattern byte the input byte is, so the bytes of no pattern
        // all behave alike (class 0), and with `fold` so do the two cases of
        // a letter.
        let mut classes = [0u8; 256];
        let mut stride = 1usize;
        for &b in patterns.iter().flat_map(|p| p.as_ref()) {
            let (lower, upper) = if fold {
                (b.to_ascii_lowercase(), b.to_ascii_uppercase())
            } else {
                (b, b)
            };
            if classes[usize::from(lower)] == 0 {
                let class = u8::try_from(stride).expect("at most 256 classes");
                classes[usize::from(lower)] = class;
                classes[usize::from(upper)] = class;
                stride += 1;
            }
        }
        let mut sample = vec![0u8; stride];
        for b in (0..=255u8).rev() {
            sample[usize::from(classes[usize::from(b)])] = b;
        }

        // Every state reachable from the start, and its transition on each
        // class, as rows of row numbers. `aho-corasick`'s state ids are
        // small indexes into its own table, so a plain list maps them to rows.
        const UNSEEN: u32 = u32::MAX;
        let mut row_of: Vec<u32> = Vec::new();
        let mut order = Vec::new();
        let mut seen = |sid: StateID, order: &mut Vec<StateID>| {
            let k = sid.as_usize();
            if row_of.len() <= k {
                row_of.resize(k + 1, UNSEEN);
            }
            if row_of[k] == UNSEEN {
                row_of[k] = u32::try_from(order.len()).expect("under 4 Gi states");
                order.push(sid);
            }
            row_of[k]
        };
        seen(start, &mut order);
        let mut rows: Vec<u32> = Vec::new();
        let mut i = 0;
        while i < order.len() {
            let sid = order[i];
            for &b in &sample {
                let to = seen(nfa.next_state(Anchored::No, sid, b), &mut order);
                rows.push(to);
            }
            i += 1;
        }
        let states = order.len();

        // What each row matches, if it is a match state.
        let mut matching: Vec<Option<(u32, u32)>> = order
            .iter()
            .map(|&s| {
                nfa.is_match(s).then(|| {
                    let pid = nfa.match_pattern(s, 0);
                    let len = u32::try_from(nfa.pattern_len(pid)).expect("a pattern under 4 GiB");
                    (pid.as_u32(), len)
                })
            })
            .collect();
        // A leftmost search reaches the dead state after a match that cannot
        // go on; should no state be dead, one is added that nothing reaches.
        let dead = match order.iter().position(|&s| nfa.is_dead(s)) {
            Some(d) => d,
            None => {
                let me = u32::try_from(states).expect("under 4 Gi states");
                rows.extend(std::iter::repeat_n(me, stride));
                matching.push(None);
                states
            }
        };
        let rows_len = matching.len();

        // Number the states so that the dead state is 0 and the match
        // states follow it: one compare tells the search that a state needs
        // a look.
        let mut number = vec![0usize; rows_len];
        let mut next = 1;
        for k in (0..rows_len).filter(|&k| k != dead && matching[k].is_some()) {
            number[k] = next;
            next += 1;
        }
        let first_plain = next;
        for k in (0..rows_len).filter(|&k| k != dead && matching[k].is_none()) {
            number[k] = next;
            next += 1;
        }

        let mut trans = vec![0u32; rows_len * stride];
        let mut found = vec![(0u32, 0u32); first_plain];
        for (k, row) in rows.chunks_exact(stride).enumerate() {
            let base = number[k] * stride;
            for (class, &to) in row.iter().enumerate() {
                trans[base + class] = u32::try_from(number[to as usize] * stride)
                    .expect("a table under 4 Gi entries");
            }
            if let Some(m) = matching[k].filter(|_| k != dead) {
                found[number[k]] = m;
            }
        }
        let trans = match trans
            .iter()
            .map(|&t| u16::try_from(t))
            .collect::<Result<Vec<u16>, _>>()
        {
            Ok(narrow) => Table::Narrow(narrow),
            Err(_) => Table::Wide(trans),
        };
        let splittable = patterns.iter().all(|p| !p.as_ref().contains(&b'\n'));
        Ok(Flat {
            classes,
            trans,
            splittable,
            start: u32::try_from(number[0] * stride).expect("a table under 4 Gi entries"),
            first_plain: u32::try_from(first_plain * stride).expect("a table under 4 Gi entries"),
            found,
            stride: u32::try_from(stride).expect("at most 256 classes"),
            #[cfg(test)]
            nfa,
        })
    }

    /// The first match at or after `at`, as `aho-corasick` finds it.
    fn find_at(&self, hay: &[u8], at: usize) -> Option<Found> {
        match &self.trans {
            Table::Narrow(trans) => self.find_in(trans, hay, at),
            Table::Wide(trans) => self.find_in(trans, hay, at),
        }
    }

    #[inline(always)]
    fn find_in<T: Copy + Into<u32>>(&self, trans: &[T], hay: &[u8], at: usize) -> Option<Found> {
        let mut sid = self.start;
        let mut last: Option<Found> = None;
        for (i, &b) in hay.iter().enumerate().skip(at) {
            sid = trans[(sid + u32::from(self.classes[usize::from(b)])) as usize].into();
            if sid < self.first_plain {
                if sid == 0 {
                    return last;
                }
                let (pattern, len) = self.found[(sid / self.stride) as usize];
                last = Some(Found {
                    pattern: pattern as usize,
                    start: i + 1 - len as usize,
                    end: i + 1,
                });
            }
        }
        last
    }

    /// Every match in `hay`, as [`Flat::find_iter`] gives them. A long text
    /// is cut after the line feed nearest its middle and its two halves are
    /// searched in the same loop, a byte of each at a time: no match crosses
    /// a line feed (no pattern holds one), so a leftmost search of the whole
    /// finds in the first half what a search of that half finds, and goes on
    /// at the cut as a search of the second half does; and the step of one
    /// half does not wait for the table lookup of the other's. (Four parts
    /// in an array were slower: their states no longer fit in registers.)
    pub fn find_all(&self, hay: &[u8]) -> Vec<Found> {
        match &self.trans {
            Table::Narrow(trans) => self.find_all_in(trans, hay),
            Table::Wide(trans) => self.find_all_in(trans, hay),
        }
    }

    fn find_all_in<T: Copy + Into<u32>>(&self, trans: &[T], hay: &[u8]) -> Vec<Found> {
        const SHORT: usize = 1024;
        let cut = if self.splittable && hay.len() >= SHORT {
            let mid = hay.len() / 2;
            memchr::memrchr(b'\n', &hay[..mid])
                .or_else(|| memchr::memchr(b'\n', &hay[mid..]).map(|i| mid + i))
                .map(|nl| nl + 1)
        } else {
            None
        };
        let mut out = Vec::new();
        let Some(cut) = cut else {
            let mut one = Stream::new(self.start, 0, hay.len());
            while one.step(self, trans, hay, &mut out) {}
            return out;
        };
        // Two locals, not an array: both searches stay in registers.
        let mut second = Vec::new();
        let mut a = Stream::new(self.start, 0, cut);
        let mut b = Stream::new(self.start, cut, hay.len());
        let (mut more_a, mut more_b) = (true, true);
        while more_a && more_b {
            more_a = a.step(self, trans, hay, &mut out);
            more_b = b.step(self, trans, hay, &mut second);
        }
        while more_a {
            more_a = a.step(self, trans, hay, &mut out);
        }
        while more_b {
            more_b = b.step(self, trans, hay, &mut second);
        }
        out.append(&mut second);
        out
    }

    /// Every match in `hay`, left to right, none overlapping.
    pub fn find_iter<'a>(&'a self, hay: &'a [u8]) -> impl Iterator<Item = Found> + 'a {
        let mut at = 0;
        std::iter::from_fn(move || {
            let m = self.find_at(hay, at)?;
            at = m.end;
            Some(m)
        })
    }
}

/// One leftmost search over `hay[..end]` run a byte at a time, as
/// [`Flat::find_at`] runs it: from `at` in the start state, keeping the last
/// match state seen, until the dead state or the end; then the match is
/// given and the search starts again where it ended.
struct Stream {
    sid: u32,
    i: usize,
    end: usize,
    last: Option<Found>,
}

impl Stream {
    fn new(start: u32, from: usize, end: usize) -> Stream {
        Stream {
            sid: start,
            i: from,
            end,
            last: None,
        }
    }

    /// One byte (or one match given); false once the search is over.
    #[inline(always)]
    fn step<T: Copy + Into<u32>>(
        &mut self,
        flat: &Flat,
        trans: &[T],
        hay: &[u8],
        out: &mut Vec<Found>,
    ) -> bool {
        if self.i < self.end {
            let b = hay[self.i];
            self.sid = trans[(self.sid + u32::from(flat.classes[usize::from(b)])) as usize].into();
            if self.sid >= flat.first_plain {
                self.i += 1;
                return true;
            }
            if self.sid != 0 {
                let (pattern, len) = flat.found[(self.sid / flat.stride) as usize];
                self.last = Some(Found {
                    pattern: pattern as usize,
                    start: self.i + 1 - len as usize,
                    end: self.i + 1,
                });
                self.i += 1;
                return true;
            }
        }
        // The dead state or the end: the search so far gives its match.
        match self.last.take() {
            Some(m) => {
                out.push(m);
                self.i = m.end;
                self.sid = flat.start;
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Flat {
        /// The same search through `aho-corasick`.
        pub(crate) fn reference(&self, hay: &[u8]) -> Vec<Found> {
            self.nfa
                .try_find_iter(aho_corasick::Input::new(hay))
                .expect("an unanchored search")
                .map(|m| Found {
                    pattern: m.pattern().as_usize(),
                    start: m.start(),
                    end: m.end(),
                })
                .collect()
        }
    }

    fn both(patterns: &[&str], kind: MatchKind, fold: bool, hays: &[&str]) {
        let flat = Flat::build(patterns, kind, fold).unwrap();
        for hay in hays {
            let got: Vec<Found> = flat.find_iter(hay.as_bytes()).collect();
            assert_eq!(
                got,
                flat.reference(hay.as_bytes()),
                "{patterns:?} in {hay:?}"
            );
            assert_eq!(
                flat.find_all(hay.as_bytes()),
                got,
                "{patterns:?} in {hay:?}, in two halves"
            );
        }
    }

    const HAYS: &[&str] = &[
        "",
        "a",
        "past due",
        "the subscription state is past_due, not PAST DUE",
        "grace grace period grace_period gracegrace",
        "abcabcabd ab abc abcd",
        "ééé past dué",
        "sssssss",
    ];

    #[test]
    fn finds_what_aho_corasick_finds() {
        let patterns = [
            "past due",
            "past",
            "grace period",
            "grace",
            "subscription state",
            "subscription",
            "abc",
            "abcd",
            "bcd",
            "s",
        ];
        for kind in [MatchKind::LeftmostLongest, MatchKind::LeftmostFirst] {
            for fold in [false, true] {
                both(&patterns, kind, fold, HAYS);
            }
        }
    }

    #[test]
    fn finds_what_aho_corasick_finds_in_random_text() {
        // A small alphabet makes matches, partial matches and restarts
        // frequent.
        let patterns = ["ab", "abab", "ba", "bab", "aab", "b c", "cc", "abcab"];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut hays = Vec::new();
        for len in 0..200 {
            let mut s = String::new();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(['a', 'b', 'c', ' ', 'A', 'B'][(seed % 6) as usize]);
            }
            hays.push(s);
        }
        let hays: Vec<&str> = hays.iter().map(String::as_str).collect();
        for kind in [MatchKind::LeftmostLongest, MatchKind::LeftmostFirst] {
            for fold in [false, true] {
                both(&patterns, kind, fold, &hays);
            }
        }
    }

    #[test]
    fn long_texts_searched_in_two_halves_find_what_one_search_finds() {
        // Long enough to be cut, with line feeds to cut at (or none), and
        // patterns that hold one (never cut).
        let sets: [&[&str]; 2] = [
            &["ab", "abab", "ba", "bab", "aab", "b c", "cc", "abcab"],
            &["ab", "b\na", "cc", "a\n"],
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for (len, feeds) in [(1024, true), (1025, false), (3001, true), (9000, true)] {
            for _ in 0..8 {
                let mut s = String::new();
                for _ in 0..len {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let alphabet = ['a', 'b', 'c', ' ', 'A', 'B', '\n'];
                    let n = if feeds { 7 } else { 6 };
                    s.push(alphabet[(seed % n) as usize]);
                }
                for patterns in sets {
                    for kind in [MatchKind::LeftmostLongest, MatchKind::LeftmostFirst] {
                        for fold in [false, true] {
                            both(patterns, kind, fold, &[s.as_str()]);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_standard_automaton_is_refused() {
        let made = std::panic::catch_unwind(|| Flat::build(&["a"], MatchKind::Standard, false));
        assert!(made.is_err(), "standard match semantics do not stop");
    }
}

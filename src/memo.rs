//! Answers of a pure function of a short text, remembered per thread.
//!
//! A book repeats its identifiers and commands on page after page, and some
//! checks of them cost far more than a lookup. Each use keeps its own
//! table in a `thread_local!` (so the page pass's threads never wait on each
//! other), bounded: past [`LIMIT`] texts it starts afresh.

use std::cell::RefCell;
use std::thread::LocalKey;

use rustc_hash::FxHashMap;

/// The most texts a table holds.
pub const LIMIT: usize = 4096;

/// A table of answers, for a `thread_local!`.
pub type Table<V> = RefCell<FxHashMap<String, V>>;

/// The answer for `text`: remembered in `table`, or worked out by `compute`
/// and remembered.
pub fn remembered<V: Clone>(
    table: &'static LocalKey<Table<V>>,
    text: &str,
    compute: impl FnOnce() -> V,
) -> V {
    if let Some(known) = table.with_borrow(|seen| seen.get(text).cloned()) {
        return known;
    }
    let found = compute();
    table.with_borrow_mut(|seen| {
        if seen.len() >= LIMIT {
            seen.clear();
        }
        seen.insert(text.to_string(), found.clone());
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static SQUARES: Table<usize> = RefCell::new(FxHashMap::default());
    }

    #[test]
    fn answers_are_worked_out_once_and_the_table_stays_bounded() {
        let mut computed = 0;
        for _ in 0..3 {
            let v = remembered(&SQUARES, "12", || {
                computed += 1;
                144
            });
            assert_eq!(v, 144);
        }
        assert_eq!(computed, 1);
        for i in 0..LIMIT * 2 {
            remembered(&SQUARES, &i.to_string(), || i * i);
        }
        assert!(SQUARES.with_borrow(|t| t.len()) <= LIMIT);
        // The newest answers are still there.
        let last = LIMIT * 2 - 1;
        assert_eq!(remembered(&SQUARES, &last.to_string(), || 0), last * last);
    }
}

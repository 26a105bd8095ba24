//! Substring search for the short, fixed needles the scanners look for
//! (`" #"`, `"..."`, `" --"`) in short haystacks (a line, a value).
//!
//! `str::find` with a `&str` needle sets up a two-way searcher on every
//! call, which costs more than the search itself on a value of a few bytes;
//! the checker makes such calls for every line and value of every page.

/// The byte offset of the first `needle` in `hay`.
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let (&first, rest) = needle.split_first()?;
    memchr::memchr_iter(first, hay).find(|&i| hay[i + 1..].starts_with(rest))
}

/// Whether `hay` contains `needle`.
pub fn contains(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_str_find_finds() {
        let hays = [
            "",
            "a",
            " #",
            "x # y # z",
            "a -- b --c",
            "...",
            "..",
            "é...é",
            "##",
        ];
        let needles = [" #", "...", " --", "#", "é."];
        for h in hays {
            for n in needles {
                assert_eq!(find(h, n), h.find(n), "{h:?} {n:?}");
                assert_eq!(contains(h, n), h.contains(n), "{h:?} {n:?}");
            }
        }
    }
}

//! `mdbook-cavra fix`: apply the edits findings carry.
//!
//! Rounds of check, then apply: each round takes the fixes of the findings
//! (safe ones, unsafe ones too with `--unsafe`, of the rules asked for),
//! applies those that do not overlap a fix taken before them in the same
//! file, and checks again; a fix that overlapped waits for the next round,
//! when it is worked out afresh on the new text. At most [`MAX_ROUNDS`]
//! rounds. The edits are applied to the files' text in memory: `--diff`
//! shows them and writes nothing; otherwise each changed file is written
//! once at the end, through the guarded writer ([`write::replace_in_book`]),
//! and only if it still holds the bytes the fixes were worked out from.
//! Every byte outside a fix's range stays (byte order mark, line endings).

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;
use std::str::FromStr;

use mdbook_core::config::Config;

use crate::check::rules;
use crate::diagnostic::{Applicability, Fix, Target};
use crate::error::Error;
use crate::session::{Book, Outcome, Session, Source};
use crate::{suggest, write};

/// The most rounds of apply and re-check.
pub const MAX_ROUNDS: usize = 10;

/// What to fix.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only fixes of these rules (all rules when empty).
    pub rules: Vec<String>,
    /// Apply unsafe fixes too.
    pub unsafe_fixes: bool,
}

/// One file the fixes changed, relative to the book root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub path: String,
    pub old: String,
    pub new: String,
}

/// What a run of the fixes did, and what is left.
#[derive(Debug)]
pub struct Fixed {
    /// The files changed, in path order.
    pub changed: Vec<Changed>,
    /// How many fixes were applied.
    pub applied: usize,
    /// Rounds that applied at least one fix.
    pub rounds: usize,
    /// The check of the fixed text.
    pub left: Outcome,
}

/// Work out every fix on the book at `root`, in memory.
pub fn plan(root: &Path, options: &Options) -> Result<Fixed, Error> {
    for id in &options.rules {
        if rules::by_id(id).is_none() {
            return Err(Error::input_with_help(
                format!("unknown rule `{id}`"),
                suggest::hint(id, rules::ALL.iter().map(|r| r.id)),
            ));
        }
    }
    // Each file's original and current text, by path from the book root.
    let mut original: BTreeMap<String, String> = BTreeMap::new();
    let mut current: BTreeMap<String, String> = BTreeMap::new();
    let mut applied = 0;
    let mut rounds = 0;
    loop {
        let session = Session::new(load(root, current.get("book.toml"))?);
        let pages: HashMap<String, String> = current
            .iter()
            .filter_map(|(path, text)| {
                let rel = source_rel(&session.book, path)?;
                Some((rel, text.clone()))
            })
            .collect();
        let outcome = session.run(Source::Chapters(&pages))?;
        if rounds == MAX_ROUNDS {
            return Ok(finish(original, current, applied, rounds, outcome));
        }
        let taken = choose(&outcome, options);
        let mut any = false;
        for (path, fixes) in taken {
            let text = match current.get(&path) {
                Some(t) => t.clone(),
                None => match read(root, &path) {
                    Some(t) => t,
                    None => continue,
                },
            };
            let mut edits: Vec<(Range<usize>, &str)> = Vec::new();
            let mut count = 0;
            for fix in &fixes {
                let ok = fix.edits.iter().all(|e| {
                    e.range.end <= text.len()
                        && text.is_char_boundary(e.range.start)
                        && text.is_char_boundary(e.range.end)
                });
                if ok {
                    edits.extend(fix.edits.iter().map(|e| (e.range.clone(), &*e.replacement)));
                    count += 1;
                }
            }
            edits.sort_by_key(|(r, _)| std::cmp::Reverse((r.start, r.end)));
            let mut new = text.clone();
            for (range, replacement) in edits {
                new.replace_range(range, replacement);
            }
            if new != text {
                any = true;
                applied += count;
                original.entry(path.clone()).or_insert(text);
                current.insert(path, new);
            }
        }
        if !any {
            return Ok(finish(original, current, applied, rounds, outcome));
        }
        rounds += 1;
    }
}

fn finish(
    original: BTreeMap<String, String>,
    current: BTreeMap<String, String>,
    applied: usize,
    rounds: usize,
    left: Outcome,
) -> Fixed {
    let changed = original
        .into_iter()
        .filter_map(|(path, old)| {
            let new = current.get(&path)?.clone();
            (new != old).then_some(Changed { path, old, new })
        })
        .collect();
    Fixed {
        changed,
        applied,
        rounds,
        left,
    }
}

/// Write the changed files into the book, each only if it still holds the
/// text the fixes started from.
pub fn apply(root: &Path, fixed: &Fixed) -> Result<(), Error> {
    for c in &fixed.changed {
        write::replace_in_book(root, &c.path, c.old.as_bytes(), c.new.as_bytes())?;
    }
    Ok(())
}

/// A unified diff of every changed file (`a/PATH`, `b/PATH`, paths from
/// the book root).
pub fn diff(fixed: &Fixed) -> String {
    let mut out = String::new();
    for c in &fixed.changed {
        let diff = similar::TextDiff::from_lines(&c.old, &c.new);
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&format!("a/{}", c.path), &format!("b/{}", c.path))
                .to_string(),
        );
    }
    out
}

/// The fixes to apply this round, by file: those asked for, in page order,
/// leaving out each fix that overlaps one taken before it (or repeats it).
fn choose(outcome: &Outcome, options: &Options) -> BTreeMap<String, Vec<Fix>> {
    let mut all: Vec<(&str, &Fix)> = outcome
        .findings
        .iter()
        .filter(|f| options.rules.is_empty() || options.rules.iter().any(|r| r == f.rule.id))
        .filter_map(|f| Some((f.at.path.as_str(), f.fix.as_ref()?)))
        .filter(|(_, fix)| fix.applicability == Applicability::Safe || options.unsafe_fixes)
        .collect();
    all.sort_by_key(|(path, fix)| {
        (
            *path,
            fix.edits.first().map(|e| (e.range.start, e.range.end)),
        )
    });
    // Taken ranges, per file.
    let mut taken: BTreeMap<String, Vec<Range<usize>>> = BTreeMap::new();
    let mut out: BTreeMap<String, Vec<Fix>> = BTreeMap::new();
    let mut seen: Vec<&Fix> = Vec::new();
    for (page, fix) in all {
        if seen.contains(&fix) || fix.edits.is_empty() {
            continue;
        }
        let file_of = |t: &Target| match t {
            Target::Page => page.to_string(),
            Target::BookToml => "book.toml".to_string(),
        };
        let files: Vec<String> = fix.edits.iter().map(|e| file_of(&e.target)).collect();
        // One file per fix (every fix the rules make touches one).
        if files.iter().any(|f| *f != files[0]) {
            continue;
        }
        let ranges = taken.entry(files[0].clone()).or_default();
        let overlaps = fix
            .edits
            .iter()
            .any(|e| ranges.iter().any(|r| overlap(r, &e.range)));
        if overlaps {
            continue;
        }
        ranges.extend(fix.edits.iter().map(|e| e.range.clone()));
        seen.push(fix);
        out.entry(files[0].clone()).or_default().push(fix.clone());
    }
    out
}

/// Whether two edits touch: they share a byte, or insert at one place.
fn overlap(a: &Range<usize>, b: &Range<usize>) -> bool {
    (a.start < b.end && b.start < a.end) || (a.start == b.start && (a.is_empty() || b.is_empty()))
}

/// A file of the book as text (`None` when it cannot be read).
fn read(root: &Path, path: &str) -> Option<String> {
    std::fs::read_to_string(root.join(path)).ok()
}

/// The book at `root`, its `book.toml` taken from `toml` when the fixes
/// changed it.
fn load(root: &Path, toml: Option<&String>) -> Result<Book, Error> {
    let Some(text) = toml else {
        return Book::load(root);
    };
    let mut config = Config::from_str(text)
        .map_err(|e| Error::input(format!("the fixed book.toml is not valid: {e:#}")))?;
    config
        .update_from_env()
        .map_err(|e| Error::input(format!("invalid MDBOOK_ environment override: {e:#}")))?;
    Book::from_config(root, config)
}

/// A path from the book root as a path from the source folder, if it lies
/// inside it.
fn source_rel(book: &Book, path: &str) -> Option<String> {
    if book.src_rel.is_empty() {
        return Some(path.to_string());
    }
    path.strip_prefix(&book.src_rel)?
        .strip_prefix('/')
        .map(str::to_string)
}

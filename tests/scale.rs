//! Linear everywhere (issue 18): a generator takes every rule of the
//! registry and the facts of the canon, makes a trigger text for each,
//! repeats it n and 4n times in every shape (one line, one paragraph, one
//! block after another, one list, one table, many pages) and runs each book
//! through every front: `check`, the preprocessor fed mdBook's JSON on stdin
//! as `mdbook build` and `mdbook serve` feed it, and `build` for a subset.
//! For each run it asserts that
//!
//! - the cost grows at most linearly: 4n takes at most 5× the time and 5×
//!   the peak memory of n, plus a small floor that absorbs the noise of a
//!   shared machine (a measure over the bound is taken again, and the lowest
//!   of three counts);
//! - the largest size stays under 2 s and 64 MiB.
//!
//! Then the book-level cases, each under the same bounds or refused early
//! with an error that names the file: 100,000 includes (outside the book,
//! missing, one file), a `SUMMARY.md` of 100,000 chapters, 16,000
//! boundary-page markers on one line, and a `book.toml` holding a 50 MB
//! string or a million keys.
//!
//! Last, a page at the default `max-page-size` (256 KiB) made of each
//! Markdown construct at its smallest (the most blocks a page can hold:
//! the page model and pulldown-cmark's tree cost about 100 bytes each)
//! stays under the same bounds, and one byte more is refused, unread.
//!
//! Not asserted here: `build` where mdBook's own renderer is what grows
//! (identical headings, whose unique ids it finds by trying `-1`, `-2`, …).
//!
//! Triggers come from the registry and the canon, so a new rule is covered
//! without editing this file: a rule's own example (`explain`) when checking
//! it finds the rule; otherwise a page of its fixture book
//! (`tests/fixtures/rules/<id>/`, which `tests/registry.rs` requires); a
//! rule that no trigger finds fails the test, named.
//!
//! Which binary, which bounds: the test measures the binary Cargo built for
//! it (debug under `cargo test`, as CI runs it). The growth bound holds
//! for both. The 2 s bound is for release builds; a debug build (this
//! crate at opt-level 1) runs about three times slower, so under
//! `debug_assertions` the time bound is 2 s × 4. The 64 MiB bound is the
//! same for both. `CAVRA_SCALE_BIN=target/release/mdbook-cavra cargo test
//! --test scale` measures a release binary against the release bounds.
//! Peak memory is exact under GNU time (`/usr/bin/time`); without it the
//! kernel's figure for the child also counts this test's own memory, so it
//! can only be too high.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use mdbook_cavra::canon::canon;
use mdbook_cavra::check::rules;
use mdbook_cavra::session::{Session, Source};

#[path = "support/memory.rs"]
mod memory;

/// Peak memory allowed at the largest size.
const MAX_MIB: u64 = 64;
/// Growth from n to 4n: at most this many times, plus the floors.
const GROWTH: u32 = 5;
const TIME_FLOOR: Duration = Duration::from_millis(120);
const MEM_FLOOR_KIB: u64 = 6 * 1024;
/// Bytes of the text shapes at n (4n is four times this).
const BASE_BYTES: usize = 24 * 1024;
/// Pages of the many-pages shape at n.
const BASE_PAGES: usize = 40;

/// One measurement at a time: the bounds are about one program on an
/// otherwise quiet machine, not about tests competing for two cores.
static SERIAL: Mutex<()> = Mutex::new(());

fn release_bounds() -> bool {
    std::env::var_os("CAVRA_SCALE_BIN").is_some() || !cfg!(debug_assertions)
}

fn max_time() -> Duration {
    if release_bounds() {
        Duration::from_secs(2)
    } else {
        Duration::from_secs(8)
    }
}

fn bin() -> PathBuf {
    match std::env::var_os("CAVRA_SCALE_BIN") {
        Some(p) => std::fs::canonicalize(p).expect("CAVRA_SCALE_BIN names a file"),
        None => PathBuf::from(env!("CARGO_BIN_EXE_mdbook-cavra")),
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

// ---------------------------------------------------------------- triggers

/// A text that makes the checker do the work of some rule or fact.
#[derive(Clone)]
struct Trigger {
    what: String,
    text: String,
}

fn trigger(what: impl Into<String>, text: impl Into<String>) -> Trigger {
    Trigger {
        what: what.into(),
        text: text.into(),
    }
}

/// Triggers from the canon's facts: the vocabularies, the boundaries, the
/// retired labels, the private markers, the provider hosts, the CLI, the
/// directives, suppressions, includes and links.
fn fact_triggers() -> Vec<Trigger> {
    let c = canon();
    let mut out = Vec::new();
    let mut s = String::new();
    for v in c.vocabularies {
        let terms: Vec<String> = v.terms.iter().map(|t| format!("`{}`", t.name)).collect();
        let _ = writeln!(s, "The {} is {} or `past-due`.", v.label, terms.join(", "));
    }
    out.push(trigger("vocabulary terms in a sentence", s));
    let mut s = String::new();
    for v in c.vocabularies {
        let _ = writeln!(s, "{} states:\n", v.label);
        for t in v.terms.iter().skip(1) {
            let _ = writeln!(s, "- `{}`", t.name);
        }
        s.push('\n');
    }
    out.push(trigger("hand-written vocabulary lists", s));
    let mut s = String::new();
    for v in c.vocabularies {
        for f in v.fields {
            let _ = writeln!(s, "{}: {}", f.key, v.terms[0].name);
        }
    }
    out.push(trigger("vocabulary fields", format!("```yaml\n{s}```\n")));
    let mut s = String::new();
    for b in c.boundaries {
        let items: Vec<&str> = b.must_not_contain.iter().map(|i| i.text).collect();
        let _ = writeln!(
            s,
            "The {} must not contain {}, and {}.",
            b.title,
            items[1..].join(", "),
            items[0]
        );
    }
    out.push(trigger("boundary enumerations", s));
    out.push(trigger(
        "must not contain A, B, and",
        "This guide must not contain A, B, and ",
    ));
    let mut s = String::new();
    for b in c.boundaries {
        let _ = writeln!(s, "# {}\n\n{}\n", b.title, b.triggers.join(", "));
    }
    out.push(trigger("boundary titles and topics", s));
    let markers: String = c
        .boundaries
        .iter()
        .map(|b| format!("<!-- cavra-boundary-page: {} -->\n", b.id))
        .collect();
    out.push(trigger("boundary-page markers", markers));
    let retired: Vec<&str> = c.retired.iter().map(|r| r.phrase).collect();
    out.push(trigger(
        "retired labels",
        format!("Use {}.", retired.join(", ")),
    ));
    out.push(trigger(
        "private markers",
        format!("Set {}.", c.private_markers.join(", ")),
    ));
    let hosts: Vec<String> = c
        .provider_hosts
        .iter()
        .map(|h| format!("https://{h}/v1/x"))
        .collect();
    out.push(trigger("provider hosts", hosts.join(" ")));
    let mut s = String::from("```bash\n");
    for cmd in c.cli.commands.iter().take(12) {
        let _ = writeln!(s, "{} {} --no-such-option", cmd.program, cmd.path.join(" "));
    }
    s.push_str("```\n");
    out.push(trigger("CLI invocations", s));
    // The product surface: every setting, route and `.cavra/` path as
    // written in a guide, and one near miss of each kind (the rules'
    // examples cover pages dense with findings).
    let mut s = String::new();
    for x in c.surface.settings {
        let _ = write!(s, "`{}` and {} ", x.name, x.name);
    }
    for r in c.surface.routes {
        let m = r.methods.first().copied().unwrap_or("GET");
        let _ = write!(s, "`{m} {}` and {m} {} ", r.path, r.path);
    }
    for p in mdbook_cavra::canon::surface::paths() {
        let _ = write!(s, "`{}` and {} ", p.path, p.path);
    }
    s.push_str(
        "`CAVRA_POLICY_DIRS`, `GET /helth`, `.cavra/policy.yml`\n\n```json\n{ \"schema_version\": \"cavra.approval.v1\", \"approval_id\": \"a\", \"owners\": 1 }\n```\n\n```text\n$ cavra evaluate --request r.json\nblock\n```\n",
    );
    out.push(trigger("product surface names", s));
    let mut s = String::new();
    for v in c.vocabularies {
        let _ = write!(
            s,
            "{{{{#cavra-states {}}}}} {{{{#cavra-state {} {}}}}} ",
            v.id, v.id, v.terms[0].name
        );
    }
    for b in c.boundaries {
        let _ = write!(s, "{{{{#cavra-boundary {}}}}} ", b.id);
    }
    s.push_str("{{#cavra-settings}} {{#cavra-routes admin}} {{#cavra-paths}} {{#cavra-contract approval-record}} {{#cavra-contract nope}} ");
    s.push_str("{{#cavra-cli}} {{#cavra-command nope}} {{#cavra-state ");
    out.push(trigger("directives", s));
    let allows: String = rules::ALL
        .iter()
        .map(|r| format!("<!-- cavra-allow: {} --> ", r.id))
        .collect();
    out.push(trigger("suppression comments", allows));
    out.push(trigger(
        "includes",
        "{{#include missing.md}} {{#include ../../outside.md}} {{#include included.md}}",
    ));
    out.push(trigger(
        "links",
        "[a](p.md) [b](../out.md) [c](https://example.com)",
    ));
    out.push(trigger("one letter", "a"));
    out
}

/// Findings (rule ids) of a one-chapter book holding `text`, checked in
/// this process.
fn rules_found(text: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let root = write_book(dir.path(), &[text.to_string()], 1);
    let outcome = Session::load(&root).unwrap().run(Source::Disk).unwrap();
    outcome
        .findings
        .iter()
        .map(|f| f.rule.id.to_string())
        .collect()
}

/// Every rule's trigger: its example when that finds it, else a page of
/// its fixture book that does; and the names of rules that none finds.
fn rule_triggers() -> (Vec<Trigger>, Vec<&'static str>) {
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for meta in rules::ALL {
        if rules_found(meta.doc.example).iter().any(|r| r == meta.id) {
            out.push(trigger(format!("{} (example)", meta.id), meta.doc.example));
            continue;
        }
        let dir = fixtures().join("rules").join(meta.id).join("src");
        let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        pages.sort();
        let found = pages.iter().find_map(|p| {
            let text = String::from_utf8_lossy(&std::fs::read(p).ok()?).into_owned();
            let name = p.file_name()?.to_string_lossy().into_owned();
            (name != "SUMMARY.md" && rules_found(&text).iter().any(|r| r == meta.id))
                .then(|| trigger(format!("{} (fixture {name})", meta.id), text))
        });
        match found {
            Some(t) => out.push(t),
            None => missing.push(meta.id),
        }
    }
    (out, missing)
}

// ------------------------------------------------------------------ shapes

#[derive(Clone, Copy, Debug)]
enum Shape {
    Line,
    Paragraph,
    Blocks,
    List,
    Table,
    Pages,
}

const SHAPES: [Shape; 6] = [
    Shape::Line,
    Shape::Paragraph,
    Shape::Blocks,
    Shape::List,
    Shape::Table,
    Shape::Pages,
];

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The pages of `t` repeated in `shape`, at scale `k` (1 for n, 4 for 4n).
fn pages(t: &Trigger, shape: Shape, k: usize) -> Vec<String> {
    let unit = t.text.len().max(1);
    let n = (BASE_BYTES / unit).max(2) * k;
    let page = match shape {
        Shape::Line => {
            let f = flat(&t.text);
            let mut s = String::with_capacity((f.len() + 1) * n);
            for _ in 0..n {
                s.push_str(&f);
                s.push(' ');
            }
            s.push('\n');
            s
        }
        Shape::Paragraph => {
            let lines: Vec<&str> = t.text.lines().filter(|l| !l.trim().is_empty()).collect();
            let one = lines.join("\n") + "\n";
            one.repeat(n)
        }
        Shape::Blocks => format!("{}\n\n", t.text.trim_end()).repeat(n),
        Shape::List => format!("- {}\n", flat(&t.text)).repeat(n),
        Shape::Table => {
            let row = format!("| {} | x |\n", flat(&t.text).replace('|', "\\|"));
            format!("| Decision | Note |\n|---|---|\n{}", row.repeat(n))
        }
        Shape::Pages => return vec![t.text.clone(); BASE_PAGES * k],
    };
    vec![page]
}

/// A book under `dir`: `book.toml`, chapters `p0.md`, `p1.md`… holding
/// `pages` (the first `listed` of them in `SUMMARY.md`, the rest orphans),
/// `included.md` for includes and `../outside.md` beside the book.
fn write_book(dir: &Path, pages: &[String], listed: usize) -> PathBuf {
    let root = dir.join("book");
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\nsrc = \"src\"\n\n[build]\ncreate-missing = false\n\n[preprocessor.cavra]\n",
    )
    .unwrap();
    std::fs::write(dir.join("outside.md"), "outside\n").unwrap();
    std::fs::write(root.join("src/included.md"), "Included `trial` text.\n").unwrap();
    let mut summary = String::from("# Summary\n\n");
    for (i, p) in pages.iter().enumerate() {
        std::fs::write(root.join(format!("src/p{i}.md")), p).unwrap();
        if i < listed {
            let _ = writeln!(summary, "- [Page {i}](p{i}.md)");
        }
    }
    std::fs::write(root.join("src/SUMMARY.md"), summary).unwrap();
    root
}

// ------------------------------------------------------------------ fronts

#[derive(Clone, Copy, Debug, PartialEq)]
enum Front {
    Check,
    Preprocessor,
    Build,
}

/// mdBook's JSON for the preprocessor, as `mdbook build` pipes it.
fn preprocessor_input(root: &Path) -> Vec<u8> {
    let md = mdbook_driver::MDBook::load(root).unwrap();
    let ctx = mdbook_preprocessor::PreprocessorContext::new(
        root.to_path_buf(),
        md.config.clone(),
        "html".into(),
    );
    serde_json::to_vec(&(ctx, &md.book)).unwrap()
}

/// Run `front` over the book at `root`.
fn run(front: Front, root: &Path) -> memory::Measured {
    let bin = bin();
    match front {
        Front::Check => memory::measure(&bin, &["check", "--format", "json", "."], root, b""),
        Front::Preprocessor => {
            let input = preprocessor_input(root);
            memory::measure(&bin, &[], root, &input)
        }
        Front::Build => {
            let dest = root.parent().unwrap().join("site");
            let _ = std::fs::remove_dir_all(&dest);
            let dest = dest.to_str().unwrap().to_string();
            memory::measure(&bin, &["build", ".", "--dest-dir", &dest], root, b"")
        }
    }
}

/// One case's figures at n and 4n.
struct Figures {
    what: String,
    small: memory::Measured,
    large: memory::Measured,
}

impl Figures {
    fn time_ok(&self) -> bool {
        self.large.elapsed <= self.small.elapsed * GROWTH + TIME_FLOOR
    }
    fn mem_ok(&self) -> bool {
        self.large.peak_kib <= self.small.peak_kib * u64::from(GROWTH) + MEM_FLOOR_KIB
    }
}

/// Measure `front` on the book of `pages(k=1)` and `pages(k=4)`; over the
/// growth bound, measure both again (the lowest of three counts).
fn measure_growth(
    what: String,
    front: Front,
    make: &dyn Fn(usize) -> (Vec<String>, usize),
) -> Figures {
    let dir = tempfile::tempdir().unwrap();
    let small_dir = dir.path().join("n");
    let large_dir = dir.path().join("4n");
    let (p, l) = make(1);
    let small_root = write_book(&small_dir, &p, l);
    let (p, l) = make(4);
    let large_root = write_book(&large_dir, &p, l);
    drop(p);
    let mut fig = Figures {
        what,
        small: run(front, &small_root),
        large: run(front, &large_root),
    };
    for _ in 0..2 {
        if fig.time_ok() && fig.mem_ok() && fig.large.elapsed <= max_time() {
            break;
        }
        let s = run(front, &small_root);
        let l = run(front, &large_root);
        fig.small.elapsed = fig.small.elapsed.min(s.elapsed);
        fig.large.elapsed = fig.large.elapsed.min(l.elapsed);
        fig.small.peak_kib = fig.small.peak_kib.min(s.peak_kib);
        fig.large.peak_kib = fig.large.peak_kib.min(l.peak_kib);
    }
    fig
}

/// Every problem with `fig`, as lines of the final report.
fn problems(front: Front, fig: &Figures) -> Vec<String> {
    let mut out = Vec::new();
    let f = |m: &memory::Measured| format!("{:.0?}, {} MiB", m.elapsed, m.peak_kib / 1024);
    let at = format!(
        "{front:?} / {}: n {} → 4n {}",
        fig.what,
        f(&fig.small),
        f(&fig.large)
    );
    for m in [&fig.small, &fig.large] {
        if !matches!(m.code, Some(0 | 1)) {
            out.push(format!("{at}: exit {:?}: {}", m.code, m.stderr.trim()));
            return out;
        }
    }
    if !fig.time_ok() {
        out.push(format!("{at}: time grows faster than linearly"));
    }
    if !fig.mem_ok() {
        out.push(format!("{at}: memory grows faster than linearly"));
    }
    if fig.large.elapsed > max_time() {
        out.push(format!("{at}: over {:?}", max_time()));
    }
    if fig.large.peak_kib > MAX_MIB * 1024 {
        out.push(format!("{at}: over {MAX_MIB} MiB"));
    }
    out
}

fn all_triggers() -> Vec<Trigger> {
    let (mut triggers, missing) = rule_triggers();
    assert!(
        missing.is_empty(),
        "no trigger finds these rules (neither the example of `explain` nor a page of \
         tests/fixtures/rules/<id>/): {missing:?}"
    );
    triggers.extend(fact_triggers());
    triggers
}

/// The generator over `fronts`, for the shapes `keep` selects.
fn generate(fronts: &[Front], keep: &dyn Fn(&Trigger, Shape) -> bool) {
    let triggers = all_triggers();
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut bad = Vec::new();
    let mut table = String::new();
    for t in &triggers {
        for shape in SHAPES {
            if !keep(t, shape) {
                continue;
            }
            let make = |k: usize| {
                let p = pages(t, shape, k);
                let listed = if matches!(shape, Shape::Pages) {
                    p.len() / 2
                } else {
                    1
                };
                (p, listed)
            };
            for &front in fronts {
                let fig = measure_growth(format!("{} × {shape:?}", t.what), front, &make);
                eprintln!(
                    "{front:?}\t{}\t{:?}\t{}\t{:?}\t{}",
                    fig.what,
                    fig.small.elapsed,
                    fig.small.peak_kib / 1024,
                    fig.large.elapsed,
                    fig.large.peak_kib / 1024
                );
                let _ = writeln!(
                    table,
                    "{front:?}\t{}\t{:?}\t{}\t{:?}\t{}",
                    fig.what,
                    fig.small.elapsed,
                    fig.small.peak_kib / 1024,
                    fig.large.elapsed,
                    fig.large.peak_kib / 1024
                );
                bad.extend(problems(front, &fig));
            }
        }
    }
    eprintln!("{table}");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Every trigger in every shape, through `check` and the preprocessor.
#[test]
fn every_rule_and_fact_in_every_shape_is_linear_under_check_and_the_preprocessor() {
    generate(&[Front::Check, Front::Preprocessor], &|_, _| true);
}

/// `build` (mdBook's renderer after the preprocessor) on the rules'
/// triggers, as one paragraph and as many pages.
#[test]
fn rule_triggers_are_linear_under_build() {
    let rules: Vec<String> = rules::ALL.iter().map(|r| r.id.to_string()).collect();
    generate(&[Front::Build], &|t, shape| {
        rules.iter().any(|r| t.what.starts_with(r.as_str()))
            && matches!(shape, Shape::Paragraph | Shape::Pages)
    });
}

/// Every rule has a trigger that finds it (the generator above covers a
/// new rule without an edit here, or this fails naming it).
#[test]
fn every_rule_has_a_trigger() {
    let (triggers, missing) = rule_triggers();
    assert!(missing.is_empty(), "rules without a trigger: {missing:?}");
    assert_eq!(triggers.len(), rules::ALL.len());
}

/// A book-level case: its name, the book (`book.toml`, `SUMMARY.md` and
/// the page `p0.md`), and the fronts it runs through.
struct BookCase {
    what: &'static str,
    toml: Option<String>,
    summary: Option<String>,
    page: String,
    fronts: &'static [Front],
    /// Refused with exit 2 and a message naming this file, or checked.
    refused_naming: Option<&'static str>,
}

fn book_cases() -> Vec<BookCase> {
    const N: usize = 100_000;
    let page_fronts: &[Front] = &[Front::Check, Front::Preprocessor, Front::Build];
    // mdBook parses book.toml and SUMMARY.md itself before it runs a
    // preprocessor: those cases go through `check` and `build`.
    let book_fronts: &[Front] = &[Front::Check, Front::Build];
    let mut summary = String::from("# Summary\n\n");
    for i in 0..N {
        let _ = writeln!(summary, "- [Chapter {i}](c{i}.md)");
    }
    let mut keys = String::from("[book]\nsrc = \"src\"\n\n[preprocessor.cavra]\n\n[extra]\n");
    for i in 0..1_000_000 {
        let _ = writeln!(keys, "k{i} = {i}");
    }
    vec![
        BookCase {
            what: "100,000 includes of a file outside the book",
            toml: None,
            summary: None,
            page: "{{#include ../../outside.md}}\n".repeat(N),
            fronts: page_fronts,
            refused_naming: None,
        },
        BookCase {
            what: "100,000 includes of a missing file",
            toml: None,
            summary: None,
            page: "{{#include missing.md}}\n".repeat(N),
            fronts: &[Front::Check, Front::Preprocessor],
            refused_naming: None,
        },
        BookCase {
            what: "100,000 includes of one file",
            toml: None,
            summary: None,
            page: "{{#include included.md}}\n".repeat(N),
            // Not `build`: mdBook's own `links` then pastes the file 100,000
            // times and renders the result (94 MiB, mdBook's memory).
            fronts: &[Front::Check, Front::Preprocessor],
            refused_naming: None,
        },
        BookCase {
            what: "16,000 boundary-page markers on one line",
            toml: None,
            summary: None,
            page: "<!-- cavra-boundary-page: billing-subscription --> ".repeat(16_000),
            fronts: page_fronts,
            refused_naming: None,
        },
        BookCase {
            what: "a SUMMARY.md of 100,000 chapters",
            toml: None,
            summary: Some(summary),
            page: String::new(),
            // `build` reads the chapters (and their limits) before mdBook
            // loads the book.
            fronts: book_fronts,
            refused_naming: Some("SUMMARY.md"),
        },
        BookCase {
            what: "a book.toml with a 50 MB string",
            toml: Some(format!(
                "[book]\nsrc = \"src\"\ntitle = \"{}\"\n\n[preprocessor.cavra]\n",
                "x".repeat(50_000_000)
            )),
            summary: None,
            page: String::new(),
            fronts: book_fronts,
            refused_naming: Some("book.toml"),
        },
        BookCase {
            what: "a book.toml with a million keys",
            toml: Some(keys),
            summary: None,
            page: String::new(),
            fronts: book_fronts,
            refused_naming: Some("book.toml"),
        },
    ]
}

/// What of a run at the largest size is over the 2 s or 64 MiB bound.
fn over_bounds(at: &str, m: &memory::Measured) -> Vec<String> {
    let mut out = Vec::new();
    if m.elapsed > max_time() {
        out.push(format!("{at}: {:?}, over {:?}", m.elapsed, max_time()));
    }
    if m.peak_kib > MAX_MIB * 1024 {
        out.push(format!(
            "{at}: {} MiB, over {MAX_MIB} MiB",
            m.peak_kib / 1024
        ));
    }
    out
}

/// The book-level cases: each front finishes under the bounds, and a
/// refused book is refused with exit 2 and a message naming the file.
#[test]
fn book_level_cases_stay_within_bounds_or_are_refused_early() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut bad = Vec::new();
    for case in book_cases() {
        let dir = tempfile::tempdir().unwrap();
        let root = write_book(dir.path(), std::slice::from_ref(&case.page), 1);
        if let Some(t) = &case.toml {
            std::fs::write(root.join("book.toml"), t).unwrap();
        }
        if let Some(s) = &case.summary {
            std::fs::write(root.join("src/SUMMARY.md"), s).unwrap();
        }
        for &front in case.fronts {
            let m = run(front, &root);
            eprintln!(
                "{front:?}\t{}\t{:?}\t{} MiB\texit {:?}",
                case.what,
                m.elapsed,
                m.peak_kib / 1024,
                m.code
            );
            let at = format!("{front:?} / {}", case.what);
            match case.refused_naming {
                Some(file) => {
                    if m.code != Some(2) || !m.stderr.contains(file) {
                        bad.push(format!(
                            "{at}: not refused naming {file}: exit {:?}: {}",
                            m.code,
                            m.stderr.trim()
                        ));
                    }
                }
                None => {
                    if !matches!(m.code, Some(0 | 1)) {
                        bad.push(format!("{at}: exit {:?}: {}", m.code, m.stderr.trim()));
                    }
                }
            }
            bad.extend(over_bounds(&at, &m));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

// ------------------------------------------------------- pages at the limit

/// The smallest text of each Markdown construct the parser knows (every
/// block and inline kind of CommonMark and the extensions mdbook-cavra turns
/// on), plus the directives and comments of this tool: repeated to fill a
/// page, each is the most blocks or inline items a page of that many bytes
/// can hold, which is what the page model and pulldown-cmark's tree cost.
fn tiny_units() -> Vec<(&'static str, String)> {
    let mut units: Vec<(&'static str, String)> = [
        ("paragraphs", "a\n\n"),
        ("lines of one paragraph", "a\n"),
        ("hard breaks", "a\\\n"),
        ("headings", "# a\n"),
        ("empty headings", "#\n"),
        ("setext headings", "a\n=\n"),
        ("headings with attributes", "# a {#b}\n"),
        ("thematic breaks", "***\n"),
        ("list items", "- a\n"),
        ("empty list items", "-\n"),
        ("ordered items", "1. a\n"),
        ("task items", "- [ ] a\n"),
        ("block quotes", "> a\n\n"),
        ("empty quote lines", ">\n"),
        ("fenced code blocks", "```\n```\n"),
        ("indented code blocks", "    a\n\n"),
        ("HTML blocks", "<div>\n\n"),
        ("HTML comments", "<!-- a -->\n"),
        ("inline HTML", "<b>a</b> "),
        ("inline code", "`a` "),
        ("emphasis", "*a* "),
        ("strong emphasis", "**a** "),
        ("strikethrough", "~~a~~ "),
        ("links", "[a](b) "),
        ("autolinks", "<http://a> "),
        ("images", "![a](b) "),
        ("reference links", "[a] "),
        ("footnote references", "[^a] "),
        ("footnote definitions", "[^a]: a\n\n"),
        ("definition lists", "a\n: b\n\n"),
        ("entities", "&amp; "),
        ("escapes", "\\* "),
        ("state mentions", "`trial` "),
        ("inline directives", "{{#cavra-state subscription.active}} "),
        ("block directives", "{{#cavra-states subscription}}\n\n"),
        (
            "suppression comments",
            "<!-- cavra-allow: undefined-state -->\n",
        ),
    ]
    .into_iter()
    .map(|(what, unit)| (what, unit.to_string()))
    .collect();
    units.push(("table rows", "|a|\n".to_string()));
    // Rows as wide as the head row, so every `a|` is a cell.
    units.push(("table cells", format!("{}\n", "a|".repeat(CELLS))));
    units.push((
        "nested list items",
        (0..40)
            .map(|d| format!("{}- a\n", "  ".repeat(d)))
            .collect(),
    ));
    units
}

/// Columns of the widest table shape.
const CELLS: usize = 1000;

/// `unit` repeated to exactly `size` bytes, with the head a construct
/// needs (a table's header row, a reference's definition).
fn page_of(what: &str, unit: &str, size: usize) -> String {
    let head: &str = match what {
        "table rows" => "|a|\n|-|\n",
        "table cells" => &format!("|{}\n|{}\n", "a|".repeat(CELLS), "-|".repeat(CELLS)),
        "reference links" => "[a]: b\n\n",
        _ => "",
    };
    let mut page = String::with_capacity(size);
    page.push_str(head);
    while page.len() + unit.len() <= size {
        page.push_str(unit);
    }
    // Fill the last bytes with the start of the unit (ASCII, so any cut
    // is a character boundary).
    let rest = size - page.len();
    page.push_str(&unit[..rest]);
    page
}

/// A page at the default `max-page-size`, in the shape of every construct
/// at its smallest, stays under 2 s and 64 MiB through `check` and the
/// preprocessor; one byte more and the page is refused, named, unread.
///
/// Not through `build`: there the cost is mdBook's renderer (65,000
/// identical headings take its unique-id loop minutes, with or without
/// mdbook-cavra).
#[test]
fn a_page_at_the_limit_stays_within_bounds_in_every_shape_and_one_byte_more_is_refused() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let limit = usize::try_from(mdbook_cavra::config::DEFAULT_MAX_PAGE_SIZE).unwrap();
    let mut bad = Vec::new();
    let mut table = String::new();
    for (what, unit) in tiny_units() {
        let page = page_of(what, &unit, limit);
        assert_eq!(page.len(), limit, "{what}");
        let dir = tempfile::tempdir().unwrap();
        let root = write_book(dir.path(), std::slice::from_ref(&page), 1);
        let (_, said) = check_output(&root);
        if said.contains("unreadable-page") {
            bad.push(format!("a page of {what} at the limit is refused: {said}"));
        }
        for front in [Front::Check, Front::Preprocessor] {
            let m = run(front, &root);
            let _ = writeln!(
                table,
                "{front:?}\t{what}\t{:?}\t{} MiB\texit {:?}",
                m.elapsed,
                m.peak_kib / 1024,
                m.code
            );
            let at = format!("{front:?} / a page of {what} at the limit");
            if !matches!(m.code, Some(0 | 1)) {
                bad.push(format!("{at}: exit {:?}: {}", m.code, m.stderr.trim()));
            }
            if m.stderr.contains("unreadable-page") || m.stderr.contains("byte limit") {
                bad.push(format!("{at}: refused, but it is not over the limit"));
            }
            bad.extend(over_bounds(&at, &m));
        }
    }
    // One byte over: `unreadable-page` at the file, with what to do.
    let page = page_of("paragraphs", "a\n\n", limit + 1);
    let dir = tempfile::tempdir().unwrap();
    let root = write_book(dir.path(), std::slice::from_ref(&page), 1);
    let (code, said) = check_output(&root);
    let preprocessor = run(Front::Preprocessor, &root);
    for (front, code, said) in [
        (Front::Check, code, said),
        (Front::Preprocessor, preprocessor.code, preprocessor.stderr),
    ] {
        if code != Some(1)
            || !said.contains("unreadable-page")
            || !said.contains("p0.md")
            || !said.contains("max-page-size")
        {
            bad.push(format!(
                "{front:?} / one byte over the limit: not refused naming p0.md and \
                 `max-page-size`: exit {code:?}: {}",
                said.trim()
            ));
        }
    }
    eprintln!("{table}");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// `check --format json` on the book at `root`: its exit code and what it
/// printed on both streams.
fn check_output(root: &Path) -> (Option<i32>, String) {
    let out = std::process::Command::new(bin())
        .args(["check", "--format", "json", "."])
        .current_dir(root)
        .output()
        .expect("mdbook-cavra runs");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), said)
}

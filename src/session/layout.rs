//! A book on disk: its configuration, and which files are its pages.
//!
//! Every front finds pages by the same rules ([`discover`]):
//! - the chapters `SUMMARY.md` links to, whatever their extension or folder,
//!   as long as they stay inside the book root;
//! - every other `.md` file under the source folder (an orphan), except in
//!   hidden folders (`.drafts/`), which are not part of the book;
//! - symbolic links are followed while they stay inside the book root; one
//!   that leads out of it, a link loop, a chapter outside the book or a
//!   missing chapter is a [`Problem`], not a silent skip.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use mdbook_core::config::Config;

use crate::check::facts::book::{Problem, Role};
use crate::config::Settings;
use crate::error::Error;
use crate::paths::normalize_path;

/// A loaded book: where it is and how it is configured.
#[derive(Debug, Clone)]
pub struct Book {
    pub root: PathBuf,
    pub src: PathBuf,
    /// The source folder relative to the root, as written in book.toml (`src`).
    pub src_rel: String,
    pub config: Config,
    pub settings: Settings,
}

impl Book {
    /// Read `book.toml` (with mdBook's environment overrides).
    pub fn load(root: &Path) -> Result<Book, Error> {
        let toml = root.join("book.toml");
        let text = read_limited(&toml, MAX_BOOK_TOML).map_err(|e| match e {
            Limited::Io(e) => Error::input_with_help(
                format!("cannot read {}: {e}", toml.display()),
                "run mdbook-cavra in a book's root folder (the one with book.toml), or pass its path",
            ),
            Limited::Over(len) => Error::input_with_help(
                format!(
                    "{} is {len} bytes, over the {MAX_BOOK_TOML} byte limit for a book.toml; it is not read",
                    toml.display()
                ),
                "a book.toml holds settings: keep long texts and generated tables out of it",
            ),
        })?;
        let mut config = Config::from_str(&text).map_err(|e| {
            Error::input(format!(
                "{} is not a valid book.toml: {e:#}",
                toml.display()
            ))
        })?;
        config
            .update_from_env()
            .map_err(|e| Error::input(format!("invalid MDBOOK_ environment override: {e:#}")))?;
        Book::from_config(root, config)
    }

    /// A book whose configuration is already read (mdBook hands it to the
    /// preprocessor).
    pub fn from_config(root: &Path, config: Config) -> Result<Book, Error> {
        let settings = Settings::from_config(&config)?;
        let src_rel = normalize_path(&config.book.src);
        let src = root.join(&config.book.src);
        if !src.is_dir() {
            return Err(Error::input(format!(
                "the source folder `{}` named by book.toml does not exist",
                src.display(),
            )));
        }
        let inside = match (std::fs::canonicalize(root), std::fs::canonicalize(&src)) {
            (Ok(r), Ok(s)) => s.starts_with(&r),
            _ => false,
        };
        if !inside || src_rel.starts_with("..") {
            return Err(Error::input_with_help(
                format!(
                    "the source folder `{}` named by book.toml lies outside the book root {}",
                    config.book.src.display(),
                    root.display()
                ),
                "keep the sources inside the book's folder; mdbook-cavra reads nothing outside it",
            ));
        }
        Ok(Book {
            root: root.to_path_buf(),
            src,
            src_rel,
            config,
            settings,
        })
    }

    /// A lone page's folder, with the default configuration (a page
    /// previewed outside any book).
    pub fn lone(dir: &Path) -> Book {
        Book {
            root: dir.to_path_buf(),
            src: dir.to_path_buf(),
            src_rel: String::new(),
            config: Config::default(),
            settings: Settings::default(),
        }
    }

    /// A path relative to the source folder, as reports show it (relative
    /// to the book root).
    pub fn display_path(&self, rel: &str) -> String {
        if self.src_rel.is_empty() {
            rel.to_string()
        } else {
            normalize_path(Path::new(&format!("{}/{rel}", self.src_rel)))
        }
    }

    /// The chapters `SUMMARY.md` links to, relative to the source folder.
    pub fn chapters(&self) -> Result<Vec<String>, Error> {
        let path = self.src.join("SUMMARY.md");
        let text = read_limited(&path, MAX_SUMMARY).map_err(|e| match e {
            Limited::Io(e) => Error::input_with_help(
                format!("cannot read {}: {e}", path.display()),
                "every mdBook needs a SUMMARY.md in its source folder",
            ),
            Limited::Over(len) => Error::input_with_help(
                format!(
                    "{} is {len} bytes, over the {MAX_SUMMARY} byte limit for a SUMMARY.md; it is not read",
                    path.display()
                ),
                format!("split the book into books of at most {MAX_CHAPTERS} chapters"),
            ),
        })?;
        let summary = mdbook_summary::parse_summary(&text)
            .map_err(|e| Error::input(format!("{} cannot be parsed: {e:#}", path.display())))?;
        let mut out = Vec::new();
        fn walk(items: &[mdbook_summary::SummaryItem], out: &mut Vec<String>) {
            for item in items {
                if let mdbook_summary::SummaryItem::Link(link) = item {
                    if let Some(loc) = &link.location {
                        out.push(normalize_path(loc));
                    }
                    walk(&link.nested_items, out);
                }
            }
        }
        walk(&summary.prefix_chapters, &mut out);
        walk(&summary.numbered_chapters, &mut out);
        walk(&summary.suffix_chapters, &mut out);
        if out.len() > MAX_CHAPTERS {
            return Err(Error::input_with_help(
                format!(
                    "{} lists {} chapters, over the {MAX_CHAPTERS} chapters mdbook-cavra checks in one book",
                    path.display(),
                    out.len()
                ),
                format!("split the book into books of at most {MAX_CHAPTERS} chapters"),
            ));
        }
        Ok(out)
    }
}

/// The largest `book.toml` read: settings take a few KiB; parsing a huge
/// one (a 50 MB string, a million keys) took seconds and hundreds of MiB.
pub const MAX_BOOK_TOML: u64 = 1 << 20;
/// The largest `SUMMARY.md` read.
pub const MAX_SUMMARY: u64 = 1 << 20;
/// The most chapters `SUMMARY.md` may list.
pub const MAX_CHAPTERS: usize = 10_000;

enum Limited {
    Io(std::io::Error),
    Over(u64),
}

/// A text file of at most `limit` bytes, its size looked at before it is
/// read (and the read stopped at the limit, should it grow meanwhile).
fn read_limited(path: &Path, limit: u64) -> Result<String, Limited> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(Limited::Io)?;
    let len = file.metadata().map_err(Limited::Io)?.len();
    if len > limit {
        return Err(Limited::Over(len));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(Limited::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Limited::Over(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| {
        Limited::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            e.utf8_error(),
        ))
    })
}

/// A file that is a page of the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageEntry {
    /// Relative to the source folder.
    pub rel: String,
    /// Relative to the book root.
    pub path: String,
    pub file: PathBuf,
    pub role: Role,
}

/// One result of [`discover`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Page(PageEntry),
    Problem(Problem),
}

impl Entry {
    pub fn path(&self) -> &str {
        match self {
            Entry::Page(p) => &p.path,
            Entry::Problem(p) => &p.path,
        }
    }
}

/// Every page of the book and every file that should be one but cannot be
/// read, sorted by path.
pub fn discover(book: &Book) -> Result<Vec<Entry>, Error> {
    let root = std::fs::canonicalize(&book.root)
        .map_err(|e| Error::input(format!("cannot read {}: {e}", book.root.display())))?;
    let inside = |p: &Path| std::fs::canonicalize(p).is_ok_and(|c| c.starts_with(&root));
    // Reading SUMMARY.md and walking the source folder are independent:
    // both at once, as this part of a check runs on one thread.
    let (chapters, (walked, problems)) = rayon::join(|| book.chapters(), || walk(book, &inside));
    let chapters = chapters?;
    let mut out: BTreeMap<String, Entry> = BTreeMap::new();
    let problem = |path: String, why: String| {
        Entry::Problem(Problem {
            path,
            line: 1,
            why,
            at: None,
            help: None,
        })
    };
    // A chapter that is missing or outside is reported at its entry.
    let summary = std::cell::OnceCell::new();
    let at_entry = |entry: Entry, rel: &str, help: &str| match entry {
        Entry::Problem(mut p) => {
            let text = summary.get_or_init(|| {
                read_limited(&book.src.join("SUMMARY.md"), MAX_SUMMARY).unwrap_or_default()
            });
            p.at = summary_entry(text, rel, &book.display_path("SUMMARY.md")).map(Box::new);
            if p.at.is_some() {
                p.help = Some(help.to_string());
            }
            Entry::Problem(p)
        }
        page => page,
    };

    let chapter_set: std::collections::BTreeSet<&str> =
        chapters.iter().map(String::as_str).collect();
    for found in walked {
        match found {
            Ok((rel, file)) => {
                let role = if rel == "SUMMARY.md" {
                    Role::Summary
                } else if chapter_set.contains(rel.as_str()) {
                    Role::Chapter
                } else {
                    Role::Orphan
                };
                let path = book.display_path(&rel);
                out.insert(
                    path.clone(),
                    Entry::Page(PageEntry {
                        rel,
                        path,
                        file,
                        role,
                    }),
                );
            }
            Err((rel, why)) => {
                let path = book.display_path(&rel);
                out.insert(path.clone(), problem(path, why));
            }
        }
    }
    for (file, why) in problems {
        let path = book.display_path(&rel_path(&book.src, &file));
        out.insert(path.clone(), problem(path, why));
    }
    // Chapters the walk does not see: in hidden folders, with another
    // extension, or outside the source folder.
    for rel in &chapters {
        let path = book.display_path(rel);
        if out.contains_key(&path) {
            continue;
        }
        let file = book.src.join(rel);
        let entry = if path.starts_with("..") {
            at_entry(
                problem(
                    path.clone(),
                    format!(
                        "SUMMARY.md links to `{rel}`, which is outside the book; it is not read"
                    ),
                ),
                rel,
                "move the page into the book's source folder, or remove the entry",
            )
        } else if let Err(e) = std::fs::metadata(&file) {
            let (why, help) = if e.kind() == std::io::ErrorKind::NotFound {
                (
                    format!("SUMMARY.md links to `{rel}`, which does not exist"),
                    "create the file, or remove the entry from SUMMARY.md",
                )
            } else {
                (
                    format!("SUMMARY.md links to `{rel}`, which cannot be read: {e}"),
                    "fix the file's permissions, or remove the entry from SUMMARY.md",
                )
            };
            at_entry(problem(path.clone(), why), rel, help)
        } else if !inside(&file) {
            problem(
                path.clone(),
                "a symbolic link to a place outside the book; it is not read".to_string(),
            )
        } else {
            Entry::Page(PageEntry {
                rel: rel.clone(),
                path: path.clone(),
                file,
                role: Role::Chapter,
            })
        };
        out.insert(path, entry);
    }
    Ok(out.into_values().collect())
}

/// The book a file belongs to: the nearest folder above it that holds a
/// `book.toml`, found by the path as written (a relative file in the
/// current folder gives `.`). `check FILE` and the language server use it.
pub fn book_root_above(file: &Path) -> Option<PathBuf> {
    file.ancestors()
        .skip(1)
        .map(|a| {
            if a.as_os_str().is_empty() {
                Path::new(".")
            } else {
                a
            }
        })
        .find(|a| a.join("book.toml").is_file())
        .map(Path::to_path_buf)
}

/// The place in `SUMMARY.md` (text `text`, shown as `path`) of the link to
/// chapter `rel`, for a finding about that chapter.
fn summary_entry(text: &str, rel: &str, path: &str) -> Option<crate::diagnostic::Located> {
    use pulldown_cmark::{Event, Parser, Tag};
    let index = crate::markdown::LineIndex::new(text);
    Parser::new(text)
        .into_offset_iter()
        .find_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. })
                if !dest_url.is_empty() && normalize_path(Path::new(dest_url.as_ref())) == rel =>
            {
                Some(crate::diagnostic::locate_range(path, text, &index, range))
            }
            _ => None,
        })
}

/// A Markdown file the walk found (path relative to the source folder,
/// and the file), or what could not be read (relative path, why).
type Walked = Result<(String, PathBuf), (String, String)>;

/// Every Markdown file under the source folder, in name order, and the
/// symbolic links that leave the book (not followed).
fn walk(
    book: &Book,
    inside: &(dyn Fn(&Path) -> bool + Sync),
) -> (Vec<Walked>, Vec<(PathBuf, String)>) {
    let problems = RefCell::new(Vec::new());
    let walk = walkdir::WalkDir::new(&book.src)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.') {
                return false;
            }
            if e.path_is_symlink() && !inside(e.path()) {
                problems.borrow_mut().push((
                    e.path().to_path_buf(),
                    "a symbolic link to a place outside the book; it is not read".to_string(),
                ));
                return false;
            }
            true
        });
    let mut out = Vec::new();
    for entry in walk {
        match entry {
            Ok(e) => {
                if e.file_type().is_dir() || !is_markdown(e.path()) {
                    continue;
                }
                out.push(Ok((rel_path(&book.src, e.path()), e.path().to_path_buf())));
            }
            Err(err) => {
                let rel = err
                    .path()
                    .map_or_else(|| "?".to_string(), |p| rel_path(&book.src, p));
                let why = if let Some(ancestor) = err.loop_ancestor() {
                    format!("symbolic link loop back to {}", shown(book, ancestor))
                } else {
                    match err.io_error() {
                        Some(io) => format!("cannot read: {io}"),
                        None => err.to_string(),
                    }
                };
                out.push(Err((rel, why)));
            }
        }
    }
    (out, problems.into_inner())
}

/// Whether a path names a Markdown page (`.md`, any case).
pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("md"))
}

/// A folder or file of the book as a message shows it: relative to the
/// book's root (`src/guide`), `the book's root folder` for the root itself,
/// and the path as written for anything outside the book.
fn shown(book: &Book, p: &Path) -> String {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (root, p) = (canonical(&book.root), canonical(p));
    match p.strip_prefix(&root) {
        Ok(rel) if rel.as_os_str().is_empty() => "the book's root folder".to_string(),
        Ok(rel) => normalize_path(rel),
        Err(_) => p.display().to_string(),
    }
}

fn rel_path(src: &Path, p: &Path) -> String {
    normalize_path(p.strip_prefix(src).unwrap_or(p))
}

/// Read a page from disk: its text, or why it is not a page. Only regular
/// files up to `max_bytes` are read (a FIFO would block, a device or a huge
/// file would never end).
pub fn read_page(file: &Path, max_bytes: u64) -> Result<String, (usize, String)> {
    let mut bytes = Vec::new();
    read_bytes(file, max_bytes, &mut bytes)?;
    String::from_utf8(bytes).map_err(|e| not_utf8(e.as_bytes(), e.utf8_error()))
}

/// [`read_page`] into a buffer the caller keeps from page to page. A buffer
/// used for the last page is still in the processor's cache; a new one for
/// every page made the kernel's copy of the file the slowest part of reading
/// it (three times the cost of reading the same files in a loop).
pub fn read_page_into<'b>(
    file: &Path,
    max_bytes: u64,
    bytes: &'b mut Vec<u8>,
) -> Result<&'b str, (usize, String)> {
    read_bytes(file, max_bytes, bytes)?;
    std::str::from_utf8(bytes).map_err(|e| not_utf8(bytes, e))
}

/// Why a page's bytes are no text: the line and offset of the first bad byte.
fn not_utf8(bytes: &[u8], e: std::str::Utf8Error) -> (usize, String) {
    let good = &bytes[..e.valid_up_to()];
    let line = memchr::memchr_iter(b'\n', good).count() + 1;
    (
        line,
        format!(
            "not valid UTF-8 (first bad byte at offset {})",
            e.valid_up_to()
        ),
    )
}

/// A page's bytes, into `bytes` (emptied first), if it is a regular file of
/// at most `max_bytes` without NUL bytes.
fn read_bytes(file: &Path, max_bytes: u64, bytes: &mut Vec<u8>) -> Result<(), (usize, String)> {
    use std::io::Read;
    bytes.clear();
    let not_regular = |meta: &std::fs::Metadata| {
        let what = if meta.is_dir() {
            "a folder, not a file; not read (rename the folder, or link a page inside it)"
        } else {
            "not a regular file (a FIFO, socket or device); not read"
        };
        (1, what.to_string())
    };
    // Opened without waiting (opening a FIFO would wait for a writer), then
    // looked at through the open file: one lookup of the path, not two.
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let mut f = match options.open(file) {
        Ok(f) => f,
        // A socket cannot be opened at all.
        Err(e) => match std::fs::metadata(file) {
            Ok(m) if !m.is_file() => return Err(not_regular(&m)),
            _ => return Err((1, format!("cannot read: {e}"))),
        },
    };
    let meta = f.metadata().map_err(|e| (1, format!("cannot read: {e}")))?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    if meta.len() > max_bytes {
        return Err((1, over_page_limit(meta.len(), max_bytes)));
    }
    // Sized from the metadata above (`File::read_to_end` would look the
    // size up again).
    bytes.reserve(usize::try_from(meta.len()).unwrap_or(0));
    (&mut f)
        .take(u64::MAX)
        .read_to_end(bytes)
        .map_err(|e| (1, format!("cannot read: {e}")))?;
    if let Some(at) = memchr::memchr(0, bytes) {
        return Err((
            1,
            format!("binary file (NUL byte at offset {at}), not Markdown"),
        ));
    }
    Ok(())
}

/// Why a page over `max-page-size` is not read.
pub fn over_page_limit(len: u64, max: u64) -> String {
    format!("{len} bytes, over the {max} byte limit for a page (`max-page-size`); not read")
}

/// What to do about a page over `max-page-size`, for a message that
/// [`over_page_limit`] wrote; `None` for any other.
pub fn page_limit_help(why: &str) -> Option<String> {
    why.ends_with("(`max-page-size`); not read").then(|| {
        format!(
            "split the page, or raise the limit in book.toml if it really is one page: \
             `max-page-size = BYTES` under [preprocessor.cavra] (the default, {} bytes, is \
             where the densest Markdown stays within 64 MiB)",
            crate::config::DEFAULT_MAX_PAGE_SIZE
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::session::{Session, Source};

    /// A missing chapter is reported at its SUMMARY.md entry, and a
    /// `cavra-allow` comment before the entry's list hides it there.
    #[test]
    fn a_missing_chapter_is_reported_and_suppressed_at_its_entry() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("book.toml"), "[book]\n").unwrap();
        std::fs::write(root.join("src/a.md"), "# A\n").unwrap();
        let run = |summary: &str| {
            std::fs::write(root.join("src/SUMMARY.md"), summary).unwrap();
            Session::load(root)
                .unwrap()
                .run(Source::Disk)
                .unwrap()
                .findings
        };
        let found = run("# Summary\n\n- [A](a.md)\n- [Gone](./gone/b.md)\n");
        let places: Vec<_> = found
            .iter()
            .map(|f| (f.rule.id, f.at.path.as_str(), f.at.line, f.at.column))
            .collect();
        assert_eq!(places, [("unreadable-page", "src/SUMMARY.md", 4, 3)]);
        let found = run(
            "# Summary\n\n<!-- cavra-allow: unreadable-page -->\n- [A](a.md)\n- [Gone](gone/b.md)\n",
        );
        assert!(found.is_empty(), "{found:?}");
    }

    /// What `check` says about each kind of file that is no page: the
    /// message names what the file is and why it is not read, with paths
    /// relative to the book (never an absolute path glued to `src/`).
    #[test]
    fn messages_say_what_a_file_is() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("book");
        let src = root.join("src");
        std::fs::create_dir_all(src.join("loop")).unwrap();
        std::fs::create_dir_all(src.join("x.md")).unwrap();
        std::fs::create_dir_all(src.join("locked")).unwrap();
        std::fs::write(src.join("locked/a.md"), "# A\n").unwrap();
        std::fs::write(root.join("book.toml"), "[book]\nsrc = \"src\"\n").unwrap();
        std::fs::write(
            src.join("SUMMARY.md"),
            "# Summary\n\n- [X](x.md)\n- [A](locked/a.md)\n- [M](missing.md)\n",
        )
        .unwrap();
        // A link back to the book's root, written as an absolute path, and
        // one back to the source folder.
        let abs = std::fs::canonicalize(&root).unwrap();
        std::os::unix::fs::symlink(&abs, src.join("loop/root")).unwrap();
        std::os::unix::fs::symlink("..", src.join("loop/back")).unwrap();
        let locked = src.join("locked");
        let mode = |m| {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(m)).unwrap();
        };
        mode(0o000);
        // Whoever may read a folder without permission (root) cannot see
        // this message; its row is then left out.
        let locked_bites = std::fs::metadata(locked.join("a.md")).is_err();
        let outcome = Session::load(&root).unwrap().run(Source::Disk);
        mode(0o755);
        let findings = outcome.unwrap().findings;
        let message = |path: &str| {
            findings
                .iter()
                .filter(|f| f.at.path == path && f.rule.id == "unreadable-page")
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join(" | ")
        };
        let table: &[(&str, &str, bool)] = &[
            ("src/x.md", "a folder, not a file", true),
            // Chapters that cannot be read are reported at their entry.
            ("src/SUMMARY.md", "`missing.md`, which does not exist", true),
            (
                "src/SUMMARY.md",
                "`locked/a.md`, which cannot be read: Permission denied",
                locked_bites,
            ),
            (
                "src/loop/root",
                "symbolic link loop back to the book's root folder",
                true,
            ),
            ("src/loop/back", "symbolic link loop back to src", true),
        ];
        let entry = findings
            .iter()
            .find(|f| f.message.contains("`missing.md`"))
            .expect("the missing chapter");
        assert_eq!(
            (entry.at.path.as_str(), entry.at.line, entry.at.column),
            ("src/SUMMARY.md", 5, 3)
        );
        assert_eq!(
            entry.help.as_deref(),
            Some("create the file, or remove the entry from SUMMARY.md")
        );
        let shown = abs.display().to_string();
        for &(path, says, applies) in table {
            if !applies {
                eprintln!("skipped {path}: this user reads folders without permission");
                continue;
            }
            let m = message(path);
            assert!(m.contains(says), "{path}: {m:?} should say {says:?}");
            assert!(!m.contains("FIFO") || path != "src/x.md", "{m}");
            assert!(
                !m.contains("does not exist") || path == "src/SUMMARY.md",
                "{m}"
            );
            assert!(!m.contains(&shown) && !m.contains("src//"), "{m}");
        }
    }
}

//! The book's boundary, for writing and for reading: every file the tool
//! writes goes through [`Destination`] or [`write_file`], and mdBook renders
//! from a [`Stage`], a private copy of the book that holds nothing from
//! outside it.
//!
//! Writing:
//! - A destination folder is written only when it is absent, empty, or
//!   carries [`MARKER`], whose content is the list (manifest) of the files
//!   and folders this tool wrote there. A `.nojekyll` proves nothing, and a
//!   marker of an older version (no list) counts only in a folder that holds
//!   nothing but files this write replaces (so an older build-dir is taken
//!   over as long as nothing else is in it).
//! - Only files in that list are ever replaced or deleted; a file the tool
//!   would write over that is not in it stops the whole write before
//!   anything is written. Files of others beside ours are left alone.
//! - A destination that is the book's folder, holds it, or lies inside it
//!   (reached directly or through a symbolic link) is refused; only the
//!   book's own build-dir may be inside, and only for `build`.
//! - Each file is written to a temporary file in its own folder and renamed
//!   into place, so a reader never sees half a file.
//!
//! Reading: mdBook's HTML renderer copies every file of the source folder,
//! following symbolic links, and its `links` preprocessor reads any path an
//! `{{#include}}` names. A [`Stage`] copies the source folder, the theme and
//! the extra CSS and JavaScript into a temporary folder, leaving out every
//! symbolic link that leaves the book, and replaces each include of a file
//! outside the book with a notice. mdBook then reads only the stage.

use std::collections::{BTreeSet, HashMap};
use std::io::Write as _;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::error::Error;

/// The file that marks a folder as written by this tool; it holds the
/// manifest of what was written there.
pub const MARKER: &str = ".mdbook-cavra-build";

/// The first line of a marker with a manifest.
const MANIFEST_HEADER: &str = "mdbook-cavra manifest v1";

/// The whole text of the marker older versions wrote (no manifest).
const OLD_MARKER: &str = "Written by `mdbook-cavra build`; it may empty and rewrite this folder.\n";

/// What this tool wrote into a folder: files and the folders it created,
/// `/`-separated, relative to the folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub files: BTreeSet<String>,
    pub folders: BTreeSet<String>,
    /// Read from the marker of an older version, which listed nothing.
    pub legacy: bool,
}

impl Manifest {
    /// The marker's text: a header, a sentence for people, then one entry a
    /// line (`file PATH` or `folder PATH`, each path as a JSON string so any
    /// name survives).
    fn to_text(&self) -> String {
        let mut out = format!(
            "{MANIFEST_HEADER}\n# Written by mdbook-cavra: the files below are the only ones it replaces or deletes here.\n"
        );
        for (kind, set) in [("folder", &self.folders), ("file", &self.files)] {
            for p in set {
                out.push_str(kind);
                out.push(' ');
                out.push_str(&serde_json::Value::String(p.clone()).to_string());
                out.push('\n');
            }
        }
        out
    }

    fn parse(text: &str) -> Option<Manifest> {
        let mut lines = text.lines();
        if lines.next()? != MANIFEST_HEADER {
            return None;
        }
        let mut m = Manifest::default();
        for line in lines {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let (kind, path) = line.split_once(' ')?;
            let path: String = serde_json::from_str(path).ok()?;
            if !is_plain_relative(&path) {
                return None;
            }
            match kind {
                "file" => m.files.insert(path),
                "folder" => m.folders.insert(path),
                _ => return None,
            };
        }
        Some(m)
    }
}

/// A relative path with no `..`, no root and no empty part: one that stays
/// inside the folder it is taken from.
fn is_plain_relative(p: &str) -> bool {
    !p.is_empty()
        && Path::new(p)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// An absolute path (a relative one is taken from the current folder).
pub fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    }
}

/// `a/b/../c` → `a/c` without touching the disk; `..` at the root stays at
/// the root, as the system takes it.
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() && !p.is_absolute() {
                    out.push("..");
                }
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The real path of `p`: its nearest existing ancestor with symbolic links
/// resolved, then the rest.
fn real(p: &Path) -> PathBuf {
    crate::paths::resolve(&lexical(&absolute(p)))
}

/// A folder the tool writes into, checked and with the manifest of its
/// earlier writes.
#[derive(Debug)]
pub struct Destination {
    dir: PathBuf,
    old: Manifest,
    what: String,
}

impl Destination {
    /// Check `dir` as a destination for the book at `book_root`. `allowed`
    /// is the one folder inside the book that may be written (the book's
    /// build-dir, for `build`); `what` says what is refused in messages
    /// (`build into`).
    pub fn open(
        dir: &Path,
        book_root: &Path,
        allowed: Option<&Path>,
        what: &str,
    ) -> Result<Destination, Error> {
        let dir = absolute(dir);
        let refuse = |why: String| {
            Error::input_with_help(
                format!("refusing to {what} {}: {why}", dir.display()),
                "pass `--dest-dir` a folder of its own (absent or empty); mdbook-cavra writes only into such a folder, or one it wrote before",
            )
        };
        let resolved = real(&dir);
        let root = real(book_root);
        if root.starts_with(&resolved) {
            return Err(refuse("it is the book's folder or holds it".to_string()));
        }
        if resolved.starts_with(&root) {
            let ok = allowed
                .map(real)
                .is_some_and(|a| a != root && resolved.starts_with(&a));
            if !ok {
                let via = if lexical(&dir).starts_with(lexical(&absolute(book_root))) {
                    String::new()
                } else {
                    format!(" (through a symbolic link, it is {})", resolved.display())
                };
                return Err(refuse(format!(
                    "it lies inside the book's folder{via}; only the book's own build-dir may be written there"
                )));
            }
        }
        let meta = std::fs::metadata(&dir);
        let old = match meta {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Manifest::default(),
            Err(e) => return Err(refuse(format!("cannot read it: {e}"))),
            Ok(m) if !m.is_dir() => return Err(refuse("it is not a folder".to_string())),
            Ok(_) => read_manifest(&dir).map_err(refuse)?,
        };
        Ok(Destination {
            dir,
            old,
            what: what.to_string(),
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Put every file under `staged` into the destination, at the same
    /// place, then delete the files of the earlier write that this one has
    /// not written again. Nothing is written when one file would replace
    /// something that is not ours.
    pub fn install(self, staged: &Path) -> Result<(), Error> {
        let mut new = Manifest::default();
        let mut files: Vec<(String, PathBuf)> = Vec::new();
        for e in walkdir::WalkDir::new(staged)
            .min_depth(1)
            .sort_by_file_name()
        {
            let e = e.map_err(|e| Error::input(format!("cannot read the rendered book: {e}")))?;
            let rel = e
                .path()
                .strip_prefix(staged)
                .ok()
                .and_then(Path::to_str)
                .map(|s| s.replace(std::path::MAIN_SEPARATOR, "/"))
                .ok_or_else(|| {
                    Error::input(format!(
                        "the rendered book holds a file whose name is not UTF-8: {}",
                        e.path().display()
                    ))
                })?;
            if rel == MARKER {
                continue;
            }
            if e.file_type().is_dir() {
                new.folders.insert(rel);
            } else if e.file_type().is_file() {
                new.files.insert(rel.clone());
                files.push((rel, e.path().to_path_buf()));
            }
        }
        let mut old = self.old.clone();
        if old.legacy {
            // The older marker vouches only for files this write replaces.
            for e in walkdir::WalkDir::new(&self.dir).min_depth(1) {
                let e = e.map_err(std::io::Error::from)?;
                let rel = e.path().strip_prefix(&self.dir).ok().and_then(Path::to_str);
                let rel = rel.map(|r| r.replace(std::path::MAIN_SEPARATOR, "/"));
                match rel {
                    Some(r) if r == MARKER => {}
                    // A folder this write makes too, with only our files in
                    // it (checked here): ours; any other stays.
                    Some(r) if e.file_type().is_dir() => {
                        if new.folders.contains(&r) {
                            old.folders.insert(r);
                        }
                    }
                    Some(r) if e.file_type().is_file() && new.files.contains(&r) => {
                        old.files.insert(r);
                    }
                    _ => {
                        return Err(Error::input_with_help(
                            format!(
                                "refusing to {} {}: its {MARKER} comes from an older mdbook-cavra and lists no files, and it holds {}, which this write does not replace, so it cannot be told from a file of yours",
                                self.what,
                                self.dir.display(),
                                e.path().display()
                            ),
                            "empty the folder yourself (or remove what you want to keep from it), then run again",
                        ));
                    }
                }
            }
        }
        // Every check before the first write.
        let refuse = |rel: &str, why: &str| {
            Error::input_with_help(
                format!(
                    "refusing to {} {}: {} {why}, and mdbook-cavra did not write it",
                    self.what,
                    self.dir.display(),
                    rel
                ),
                "move it away, or pass `--dest-dir` a folder of its own",
            )
        };
        for folder in &new.folders {
            match std::fs::symlink_metadata(self.dir.join(folder)) {
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(refuse(folder, "is a symbolic link"));
                }
                Ok(m) if !m.is_dir() => return Err(refuse(folder, "is in the way of a folder")),
                _ => {}
            }
        }
        for rel in &new.files {
            match std::fs::symlink_metadata(self.dir.join(rel)) {
                Ok(m) if !old.files.contains(rel) || !m.is_file() => {
                    return Err(refuse(rel, "is already there"));
                }
                _ => {}
            }
        }
        // Which folders this write creates: those that do not exist yet,
        // and those an earlier write created.
        let mut created = Manifest::default();
        for folder in &new.folders {
            if old.folders.contains(folder) || !self.dir.join(folder).exists() {
                created.folders.insert(folder.clone());
            }
        }
        created.files = new.files.clone();
        // While writing, the marker lists both writes, so that an
        // interrupted write leaves nothing of ours unlisted.
        let mut both = created.clone();
        both.files.extend(old.files.iter().cloned());
        both.folders.extend(old.folders.iter().cloned());
        std::fs::create_dir_all(&self.dir)?;
        write_atomic(&self.dir.join(MARKER), both.to_text().as_bytes(), None)?;
        for folder in &new.folders {
            std::fs::create_dir_all(self.dir.join(folder))?;
        }
        for (rel, from) in &files {
            let mode = std::fs::metadata(from)?.permissions();
            let mut src = std::fs::File::open(from)?;
            write_atomic_from(&self.dir.join(rel), &mut src, Some(mode))?;
        }
        remove_listed(&self.dir, &old, &created);
        write_atomic(&self.dir.join(MARKER), created.to_text().as_bytes(), None)?;
        Ok(())
    }
}

/// The manifest in `dir`'s marker; an empty one for an empty folder.
fn read_manifest(dir: &Path) -> Result<Manifest, String> {
    let marker = dir.join(MARKER);
    let others = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read it: {e}"))?
        .filter_map(Result::ok)
        .filter(|e| e.file_name() != MARKER)
        .count();
    match std::fs::symlink_metadata(&marker) {
        Err(_) if others == 0 => Ok(Manifest::default()),
        Err(_) => Err(
            "it holds files that mdbook-cavra did not write (it has no .mdbook-cavra-build listing them; a .nojekyll proves nothing)"
                .to_string(),
        ),
        Ok(m) if !m.is_file() => Err(format!("its {MARKER} is not a file")),
        Ok(_) => {
            let text = std::fs::read(&marker).map_err(|e| format!("cannot read {MARKER}: {e}"))?;
            let text = String::from_utf8_lossy(&text);
            if let Some(m) = Manifest::parse(&text) {
                return Ok(m);
            }
            if text == OLD_MARKER {
                // An older version's marker lists nothing: the folder is
                // taken only if this write replaces every file in it
                // (checked in `install`).
                return Ok(Manifest {
                    legacy: true,
                    ..Manifest::default()
                });
            }
            Err(format!(
                "its {MARKER} is not a list of files mdbook-cavra wrote"
            ))
        }
    }
}

/// Delete the files of `old` that `keep` does not list (regular files only;
/// a symbolic link or folder put in their place is left alone), then the
/// folders of `old` that are left empty, deepest first.
fn remove_listed(dir: &Path, old: &Manifest, keep: &Manifest) {
    for rel in old.files.difference(&keep.files) {
        let path = dir.join(rel);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            let _ = std::fs::remove_file(&path);
        }
    }
    let mut folders: Vec<&String> = old.folders.difference(&keep.folders).collect();
    folders.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
    for rel in folders {
        let path = dir.join(rel);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            // Fails, as it should, when something else is in it.
            let _ = std::fs::remove_dir(&path);
        }
    }
}

/// Remove what this tool wrote into `dir`: the files its marker lists, the
/// folders it created once they are empty, the marker, and `dir` itself
/// when nothing else is left in it. Files of others are never touched; a
/// folder without the marker is left as it is.
pub fn remove_written(dir: &Path) -> Result<(), Error> {
    let Ok(text) = std::fs::read_to_string(dir.join(MARKER)) else {
        return Ok(());
    };
    let Some(old) = Manifest::parse(&text) else {
        return Ok(());
    };
    remove_listed(dir, &old, &Manifest::default());
    std::fs::remove_file(dir.join(MARKER))?;
    let _ = std::fs::remove_dir(dir);
    Ok(())
}

/// Write `bytes` to `file` atomically, for a single-file output such as
/// `preview --markdown -o FILE`. Refused when the file (or what a symbolic
/// link at its place leads to) lies inside the book at `book_root`, or is
/// the page `source` being previewed.
pub fn write_file(
    file: &Path,
    bytes: &[u8],
    book_root: Option<&Path>,
    source: Option<&Path>,
) -> Result<(), Error> {
    let resolved = real(file);
    let refuse = |why: &str| {
        Err(Error::input_with_help(
            format!("refusing to write {}: {why}", file.display()),
            "name a file outside the book with -o, or leave -o out to print to standard output",
        ))
    };
    if let Some(root) = book_root
        && resolved.starts_with(real(root))
    {
        return refuse("it lies inside the book's folder");
    }
    if let Some(source) = source
        && resolved == real(source)
    {
        return refuse("it is the page being previewed");
    }
    if resolved.is_dir() {
        return refuse("it is a folder");
    }
    write_atomic(&resolved, bytes, None)
        .map_err(|e| Error::input(format!("cannot write {}: {e}", file.display())))
}

/// Replace a file of the book in place, for `fix` (its pages) and `init`
/// (its `book.toml`): the one way this tool writes into a book. `rel` is
/// relative to `book_root` and names an existing regular file whose real
/// path (symbolic links resolved) lies inside the book's real folder; its
/// bytes must still be `expected` (what the edit was worked out from), so
/// an editor's save in between is never overwritten. The new bytes go to
/// a temporary file beside the real file, with its permissions, renamed
/// onto it: a reader sees the old file or the new one, and a symbolic link
/// to the page stays a link.
pub fn replace_in_book(
    book_root: &Path,
    rel: &str,
    expected: &[u8],
    bytes: &[u8],
) -> Result<(), Error> {
    let shown = book_root.join(rel);
    let refuse = |why: String| {
        Err(Error::input(format!(
            "refusing to write {}: {why}",
            shown.display()
        )))
    };
    if !is_plain_relative(rel) {
        return refuse("the path leaves the book".into());
    }
    let root = real(book_root);
    let resolved = real(&shown);
    if !resolved.starts_with(&root) || resolved == root {
        return refuse("it lies outside the book (through a symbolic link)".into());
    }
    let meta = match std::fs::metadata(&resolved) {
        Ok(m) if m.is_file() => m,
        Ok(_) => return refuse("it is not a regular file".into()),
        Err(e) => return refuse(format!("{e}")),
    };
    match std::fs::read(&resolved) {
        Ok(now) if now == expected => {}
        Ok(_) => return refuse("it changed while mdbook-cavra worked on it; run again".into()),
        Err(e) => return refuse(format!("{e}")),
    }
    write_atomic(&resolved, bytes, Some(meta.permissions()))
        .map_err(|e| Error::input(format!("cannot write {}: {e}", shown.display())))
}

/// What [`create_in_book`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    /// The file was written.
    Written,
    /// The file was there already with these very bytes.
    Unchanged,
}

/// Create a new file of the book's repository (`init --ci github`, `init
/// --pre-commit`): `rel` is relative to `book_root`, without `..`; folders
/// on the way are created, and none of them may lead out of the book
/// through a symbolic link. A file already there is never replaced: with
/// the same bytes nothing is done, with other bytes the write is refused.
pub fn create_in_book(book_root: &Path, rel: &str, bytes: &[u8]) -> Result<Created, Error> {
    let shown = book_root.join(rel);
    let refuse = |why: &str, help: &str| {
        Err(Error::input_with_help(
            format!("refusing to write {}: {why}", shown.display()),
            help.to_string(),
        ))
    };
    if !is_plain_relative(rel) {
        return refuse("the path leaves the book", "name a path inside the book");
    }
    let root = real(book_root);
    if !real(&shown).starts_with(&root) {
        return refuse(
            "it lies outside the book (through a symbolic link)",
            "remove the link, or write the file by hand",
        );
    }
    match std::fs::symlink_metadata(&shown) {
        Ok(_) => {
            return match std::fs::read(&shown) {
                Ok(old) if old == bytes => Ok(Created::Unchanged),
                _ => refuse(
                    "a different file is there already, and mdbook-cavra does not replace files it did not write",
                    "move that file away (or merge the two by hand) and run again",
                ),
            };
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return refuse(&e.to_string(), "check the folder's permissions"),
    }
    let cannot = |e: std::io::Error| Error::input(format!("cannot write {}: {e}", shown.display()));
    if let Some(dir) = shown.parent() {
        std::fs::create_dir_all(dir).map_err(cannot)?;
        // A folder made meanwhile through a link out of the book.
        if !real(dir).starts_with(&root) {
            return refuse(
                "its folder lies outside the book (through a symbolic link)",
                "remove the link, or write the file by hand",
            );
        }
    }
    write_atomic(&shown, bytes, None).map_err(cannot)?;
    Ok(Created::Written)
}

/// A temporary file next to `path`, renamed onto it once complete.
fn write_atomic(
    path: &Path,
    bytes: &[u8],
    mode: Option<std::fs::Permissions>,
) -> std::io::Result<()> {
    write_atomic_from(path, &mut &bytes[..], mode)
}

fn write_atomic_from(
    path: &Path,
    from: &mut dyn std::io::Read,
    mode: Option<std::fs::Permissions>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".mdbook-cavra-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    std::io::copy(from, tmp.as_file_mut())?;
    tmp.as_file_mut().flush()?;
    let mode = match mode {
        Some(m) => m,
        None => default_permissions(),
    };
    tmp.as_file().set_permissions(mode)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Read and write for the owner, read for others (`0644`), as a file
/// written with the usual umask.
fn default_permissions() -> std::fs::Permissions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::Permissions::from_mode(0o644)
    }
    #[cfg(not(unix))]
    {
        let f = tempfile::tempfile().expect("a temporary file");
        f.metadata().expect("its metadata").permissions()
    }
}

/// A private copy of what mdBook's HTML renderer reads of a book, inside
/// a temporary folder removed when the stage is dropped: `root` holds the
/// copy (same layout as the book), `out` is where mdBook renders.
#[derive(Debug)]
pub struct Stage {
    _tmp: tempfile::TempDir,
    /// The (absent) folder to render into.
    pub out: PathBuf,
    bounds: Bounds,
    /// Chapters whose staged copy had includes left out, by their path
    /// under the source folder: (the staged text, the book's own text).
    originals: Arc<Originals>,
}

/// See [`Stage::originals`](Stage).
type Originals = HashMap<PathBuf, (String, String)>;

/// Where a stage copies from and to.
#[derive(Debug, Clone)]
struct Bounds {
    /// The book's own root, resolved.
    book_root: PathBuf,
    /// The copy's root.
    root: PathBuf,
    /// The book's build-dir, resolved: never copied.
    skip: PathBuf,
    /// Mask secrets in the files copied as they are (a preview shows
    /// its output; a build refuses a book with secrets instead).
    mask: bool,
}

/// What an include reaching outside the book becomes in the copy.
pub const LEFT_OUT: &str =
    "*(mdbook-cavra: an include of a file outside the book is left out here)*";

impl Stage {
    /// Copy the book at `root` (configured by `config`, whose source folder
    /// is `src_rel` under it) with the chapters `chapters` (paths relative
    /// to the source folder, from SUMMARY.md).
    pub fn new(
        root: &Path,
        config: &mdbook_core::config::Config,
        chapters: &[String],
    ) -> Result<Stage, Error> {
        Stage::with_masking(root, config, chapters, false)
    }

    /// [`Stage::new`] for a preview: a text file of the source folder that
    /// mdBook copies into its output as it is (a script, a data file) is
    /// copied with its secrets masked, as every other output shows them.
    pub fn for_preview(
        root: &Path,
        config: &mdbook_core::config::Config,
        chapters: &[String],
    ) -> Result<Stage, Error> {
        Stage::with_masking(root, config, chapters, true)
    }

    fn with_masking(
        root: &Path,
        config: &mdbook_core::config::Config,
        chapters: &[String],
        mask: bool,
    ) -> Result<Stage, Error> {
        let book_root = std::fs::canonicalize(root)
            .map_err(|e| Error::input(format!("cannot read {}: {e}", root.display())))?;
        let tmp = tempfile::Builder::new()
            .prefix("mdbook-cavra-stage-")
            .tempdir()?;
        let base = std::fs::canonicalize(tmp.path())?;
        let mut stage = Stage {
            _tmp: tmp,
            out: base.join("out"),
            bounds: Bounds {
                root: base.join("book"),
                skip: real(&root.join(&config.build.build_dir)),
                mask,
                book_root,
            },
            originals: Arc::default(),
        };
        let mut originals = Originals::new();
        let b = &stage.bounds;
        std::fs::create_dir(&b.root)?;
        let outside = |what: &str, p: &Path| {
            Error::input_with_help(
                format!(
                    "book.toml's {what} `{}` lies outside the book {}; nothing outside the book is read",
                    p.display(),
                    root.display()
                ),
                "keep it inside the book's folder",
            )
        };
        let src =
            inside_rel(&config.book.src).ok_or_else(|| outside("book.src", &config.book.src))?;
        let html = config.html_config().unwrap_or_default();
        let theme = match &html.theme {
            Some(t) => inside_rel(t).ok_or_else(|| outside("output.html.theme", t))?,
            None => PathBuf::from("theme"),
        };
        b.copy_tree(&src)?;
        if !theme.starts_with(&src) {
            b.copy_tree(&theme)?;
        }
        for extra in html.additional_css.iter().chain(&html.additional_js) {
            let rel =
                inside_rel(extra).ok_or_else(|| outside("output.html.additional-css/js", extra))?;
            b.copy_file(&rel)?;
        }
        if let Some(p) = &html.input_404 {
            let rel = inside_rel(&src.join(p))
                .ok_or_else(|| outside("output.html.input-404", Path::new(p)))?;
            b.copy_file(&rel)?;
        }
        for from in html.redirect.keys() {
            if Path::new(from.trim_start_matches('/'))
                .components()
                .any(|c| matches!(c, Component::ParentDir))
            {
                return Err(Error::input(format!(
                    "book.toml's output.html.redirect `{from}` would write outside the rendered book"
                )));
            }
        }
        for chapter in chapters {
            let rel = inside_rel(&src.join(chapter)).ok_or_else(|| {
                Error::input_with_help(
                    format!(
                        "SUMMARY.md links to `{chapter}`, which is outside the book; it is not read"
                    ),
                    "`mdbook-cavra check` lists every page it cannot read",
                )
            })?;
            b.copy_file(&rel)?;
        }
        // The staged file of each chapter, and the chapter's path under the
        // source folder (as mdBook names it).
        let chapter_files: HashMap<PathBuf, PathBuf> = chapters
            .iter()
            .filter_map(|c| {
                let rel = inside_rel(&src.join(c))?;
                Some((b.root.join(rel), lexical(Path::new(c))))
            })
            .collect();
        // Includes, in every copied file and the files they include.
        let mut queue: Vec<PathBuf> = walkdir::WalkDir::new(&b.root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect();
        let mut seen: BTreeSet<PathBuf> = queue.iter().cloned().collect();
        while let Some(file) = queue.pop() {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let base = file.parent().unwrap_or(&b.root).to_path_buf();
            let (bounded, reached) = b.bound(&text, &base);
            if let Some(bounded) = bounded {
                std::fs::write(&file, &bounded)?;
                // The checks read the chapter as the writer wrote it (see
                // `Bounded::run`), so that `build` reports what `check` does.
                if let Some(chapter) = chapter_files.get(&file) {
                    originals.insert(chapter.clone(), (bounded, text));
                }
            }
            for r in reached {
                if seen.insert(r.clone()) {
                    queue.push(r);
                }
            }
        }
        stage.originals = Arc::new(originals);
        Ok(stage)
    }

    /// The copy's root: the book as mdBook is to read it.
    pub fn root(&self) -> &Path {
        &self.bounds.root
    }
}

impl Bounds {
    /// Copy `rel` (a folder, relative to the book's root) into the stage:
    /// every file under it, following symbolic links that stay inside the
    /// book and leaving out those that leave it. A folder that does not
    /// exist copies nothing.
    fn copy_tree(&self, rel: &Path) -> Result<(), Error> {
        let from = self.book_root.join(rel);
        if !from.is_dir() || !self.inside(&from) {
            return Ok(());
        }
        let to = self.root.join(rel);
        let walk = walkdir::WalkDir::new(&from)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| {
                let real = std::fs::canonicalize(e.path());
                real.is_ok_and(|r| r.starts_with(&self.book_root) && r != self.skip)
            });
        for e in walk {
            // A loop of links, or a file that cannot be read: left out, as
            // `check` reports it.
            let Ok(e) = e else { continue };
            let Ok(part) = e.path().strip_prefix(&from) else {
                continue;
            };
            let target = to.join(part);
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&target)?;
            } else if e.file_type().is_file() {
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                self.copy(e.path(), &target)?;
            }
        }
        Ok(())
    }

    /// Copy one file; when masking, a UTF-8 file that is not a page (pages
    /// are masked as chapters) is written with its secrets masked.
    fn copy(&self, from: &Path, to: &Path) -> Result<(), Error> {
        let page = from
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
        if self.mask && !page {
            let bytes = std::fs::read(from)?;
            if let Ok(text) = std::str::from_utf8(&bytes)
                && let std::borrow::Cow::Owned(masked) = crate::secrets::redact(text)
            {
                std::fs::write(to, masked)?;
                return Ok(());
            }
        }
        std::fs::copy(from, to)?;
        Ok(())
    }

    /// Copy one file (relative to the book's root) when it exists and
    /// lies inside the book, real path included.
    fn copy_file(&self, rel: &Path) -> Result<Option<PathBuf>, Error> {
        let from = self.book_root.join(rel);
        let target = self.root.join(rel);
        if target.exists() || !from.is_file() || !self.inside(&from) {
            return Ok(None);
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        self.copy(&from, &target)?;
        Ok(Some(target))
    }

    fn inside(&self, p: &Path) -> bool {
        std::fs::canonicalize(p).is_ok_and(|r| r.starts_with(&self.book_root) && r != self.skip)
    }

    /// Replace in `text` (a file of the stage in folder `base`) every
    /// include mdBook would read from outside the stage with [`LEFT_OUT`];
    /// copy the files it includes from inside the book into the stage.
    /// Gives the new text when anything was replaced, and the files copied.
    pub fn bound(&self, text: &str, base: &Path) -> (Option<String>, Vec<PathBuf>) {
        let mut copied = Vec::new();
        let links = file_links(text);
        // Links that end at the same `}` share their arguments: each
        // argument is looked at once, and where those that leave start is
        // kept in order.
        let mut leaving_args: Vec<usize> = Vec::new();
        let mut seen_to = 0;
        for (_, args) in &links {
            if args.start < seen_to {
                continue;
            }
            seen_to = args.end;
            for (start, arg) in arguments(text, args.clone()) {
                let target = lexical(&base.join(arg));
                match target.strip_prefix(&self.root) {
                    Ok(rel) => {
                        if let Ok(Some(c)) = self.copy_file(rel) {
                            copied.push(c);
                        }
                    }
                    Err(_) => {
                        if leaving_args.last() != Some(&start) {
                            leaving_args.push(start);
                        }
                    }
                }
            }
        }
        // The links that leave, overlapping ones merged (they come in
        // order of their start).
        let mut leaving: Vec<Range<usize>> = Vec::new();
        for (range, args) in links {
            let first = leaving_args.partition_point(|s| *s < args.start);
            if leaving_args.get(first).is_none_or(|s| *s >= args.end) {
                continue;
            }
            match leaving.last_mut() {
                Some(last) if range.start < last.end => last.end = last.end.max(range.end),
                _ => leaving.push(range),
            }
        }
        if leaving.is_empty() {
            return (None, copied);
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for range in leaving {
            out.push_str(&text[last..range.start]);
            out.push_str(LEFT_OUT);
            last = range.end;
        }
        out.push_str(&text[last..]);
        (Some(out), copied)
    }
}

/// `p` relative to the book's root with `.` and `..` resolved, when it
/// stays inside; `None` for an absolute path or one that climbs out.
fn inside_rel(p: &Path) -> Option<PathBuf> {
    if p.has_root() {
        return None;
    }
    let l = lexical(p);
    match l.components().next() {
        Some(Component::ParentDir) => None,
        _ => Some(l),
    }
}

/// The file arguments of every `{{#include}}`, `{{#rustdoc_include}}` and
/// `{{#playground}}` (`{{#playpen}}`) that mdBook's `links` preprocessor
/// could act on in `text` or in any run of its lines, with their byte
/// ranges. A link is `{{`, spaces, `#`, a name of letters, digits and `_`,
/// at least one space, then anything but `}` up to `}}` (the
/// preprocessor's own pattern). The preprocessor skips escaped links and
/// text an earlier link took in, but an include with a line range or an
/// anchor gives it only part of a file, where neither may hold: so a link
/// is looked for at every `{{`, and every argument counts (an anchor line
/// taken out can make any of them the first), each whole and before its
/// first `:`. More links than mdBook acts on, never fewer.
pub fn file_links(text: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    // The first `}` at or after the link's start is where its arguments
    // end (none can come before them): found once for all the links
    // before it, so the whole text is looked at once.
    let mut close: Option<usize> = None;
    for p in memchr::memchr_iter(b'{', b) {
        if b.get(p + 1) != Some(&b'{') {
            continue;
        }
        if close.is_none_or(|c| c < p) {
            match memchr::memchr(b'}', &b[p..]) {
                Some(c) => close = Some(p + c),
                None => break,
            }
        }
        let c = close.unwrap_or(b.len());
        if let Some(args) = link_at(text, p, c) {
            out.push((p..c + 2, args));
        }
    }
    out
}

/// The arguments of the file link starting at `p` (a `{`), whose first
/// `}` after it is at `close`.
fn link_at(text: &str, p: usize, close: usize) -> Option<Range<usize>> {
    let rest = text.get(p..close)?.strip_prefix("{{")?;
    let after_space = rest.trim_start();
    let name_part = after_space.strip_prefix('#')?;
    let name_len = name_part
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
        .count();
    let name = &name_part[..name_len];
    if !matches!(
        name,
        "include" | "rustdoc_include" | "playground" | "playpen"
    ) || text.as_bytes().get(close + 1) != Some(&b'}')
    {
        return None;
    }
    let args = &name_part[name_len..];
    // `\s+` then `[^}]+`: a space first, and at least two characters.
    if !args.starts_with(char::is_whitespace) || args.chars().nth(1).is_none() {
        return None;
    }
    Some(close - args.len()..close)
}

/// Each whitespace-separated argument in `args`, with its start, whole and
/// before its first `:`.
fn arguments(text: &str, args: Range<usize>) -> impl Iterator<Item = (usize, &str)> {
    let base = args.start;
    let region = &text[args];
    region
        .split(char::is_whitespace)
        .scan(0usize, move |at, tok| {
            let start = base + *at;
            *at += tok.len()
                + region[*at + tok.len()..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
            Some((start, tok))
        })
        .filter(|(_, tok)| !tok.is_empty())
        .flat_map(|(start, tok)| {
            let before_colon = tok.split(':').next().unwrap_or(tok);
            [
                Some((start, tok)),
                (before_colon != tok).then_some((start, before_colon)),
            ]
        })
        .flatten()
}

/// A preprocessor run as `P` would run, on the book's own root, whose
/// output then has every include reaching outside the stage left out (see
/// [`Stage::bound`]); mdBook's `links` runs after it.
pub struct Bounded<P> {
    inner: P,
    /// The book's own root, as the inner preprocessor is to see it.
    book_root: PathBuf,
    /// The stage's source folder.
    src: PathBuf,
    bounds: Bounds,
    originals: Arc<Originals>,
}

impl<P> Bounded<P> {
    /// `inner`, for the book at `book_root` staged in `stage`, whose source
    /// folder is `src` (relative to the root).
    pub fn new(inner: P, book_root: &Path, stage: &Stage, src: &Path) -> Bounded<P> {
        Bounded {
            inner,
            book_root: book_root.to_path_buf(),
            src: stage.bounds.root.join(src),
            bounds: stage.bounds.clone(),
            originals: stage.originals.clone(),
        }
    }
}

impl<P: mdbook_preprocessor::Preprocessor> mdbook_preprocessor::Preprocessor for Bounded<P> {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn run(
        &self,
        ctx: &mdbook_preprocessor::PreprocessorContext,
        book: mdbook_preprocessor::book::Book,
    ) -> anyhow::Result<mdbook_preprocessor::book::Book> {
        let mut own = ctx.clone();
        own.root = self.book_root.clone();
        let mut book = book;
        // A chapter whose staged copy had includes left out is handed to
        // the inner preprocessor as the writer wrote it, so its checks see
        // (and report) those includes; unless something before this one
        // changed the chapter already.
        book.for_each_chapter_mut(|ch| {
            let Some(path) = &ch.source_path else { return };
            if let Some((staged, original)) = self.originals.get(&lexical(path))
                && ch.content == *staged
            {
                ch.content = original.clone();
            }
        });
        let mut book = self.inner.run(&own, book)?;
        book.for_each_chapter_mut(|ch| {
            let Some(path) = &ch.path else { return };
            let base = self.src.join(path.parent().unwrap_or(Path::new("")));
            if let (Some(bounded), _) = self.bounds.bound(&ch.content, &base) {
                ch.content = bounded;
            }
        });
        Ok(book)
    }

    fn supports_renderer(&self, renderer: &str) -> anyhow::Result<bool> {
        self.inner.supports_renderer(renderer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_links_follow_mdbooks_pattern() {
        let args = |t: &str| -> Vec<Vec<String>> {
            file_links(t)
                .into_iter()
                .map(|(_, a)| arguments(t, a).map(|(_, s)| s.to_string()).collect())
                .collect()
        };
        assert_eq!(args("a {{#include x.md}} b"), vec![vec!["x.md"]]);
        assert_eq!(
            args("{{ #include  ../a.rs:2:4 }}"),
            vec![vec!["../a.rs:2:4", "../a.rs"]]
        );
        // Every argument: a line taken out with an anchor can make any of
        // them the path.
        assert_eq!(
            args("{{#include\nANCHOR: b\n/etc/passwd}}"),
            vec![vec!["ANCHOR:", "ANCHOR", "b", "/etc/passwd"]]
        );
        assert_eq!(args("{{#include\n/etc/passwd}}"), vec![vec!["/etc/passwd"]]);
        assert_eq!(
            args("{{#playground p.rs editable}}"),
            vec![vec!["p.rs", "editable"]]
        );
        assert_eq!(args("{{#playpen p.rs}}"), vec![vec!["p.rs"]]);
        assert_eq!(
            args("{{#rustdoc_include r.rs:1}}"),
            vec![vec!["r.rs:1", "r.rs"]]
        );
        // Escaped links, and links inside another link's text, count too:
        // a line range can cut the escape or the other link off.
        assert_eq!(
            args("\\{{#include x.md}} {{#include y.md}}"),
            vec![vec!["x.md"], vec!["y.md"]]
        );
        assert_eq!(
            args("{{#foo a\n{{#include /etc/passwd}}"),
            vec![vec!["/etc/passwd"]]
        );
        assert!(args("{{#title T}} {{#include}} {{#include }} {{cavra}}").is_empty());
        assert_eq!(args("{{{#include a}}"), vec![vec!["a"]]);
        assert_eq!(args("{{#include a}}}"), vec![vec!["a"]]);
        assert_eq!(args("{{#include a} {{#include b}}"), vec![vec!["b"]]);
        // Links ending at one `}` share their arguments.
        assert_eq!(
            args("{{#include a {{#include b:1}}"),
            vec![vec!["a", "{{#include", "b:1", "b"], vec!["b:1", "b"]]
        );
    }

    #[test]
    fn links_sharing_one_end_are_read_once() {
        // 200,000 links that all end at the last `}}`: quadratic work
        // would take minutes.
        let text = format!("{}}}}}", "{{#include a ".repeat(200_000));
        let started = std::time::Instant::now();
        let links = file_links(&text);
        assert_eq!(links.len(), 200_000);
        let bounds = Bounds {
            book_root: PathBuf::from("/nonexistent-book"),
            root: PathBuf::from("/nonexistent-stage"),
            skip: PathBuf::new(),
            mask: false,
        };
        let (bounded, _) = bounds.bound(
            &format!("{text} {{{{#include /etc/passwd}}}}"),
            Path::new("/nonexistent-stage/src"),
        );
        assert!(bounded.is_some_and(|b| b.ends_with(LEFT_OUT)));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn a_manifest_survives_any_name() {
        let mut m = Manifest::default();
        m.files.insert("a b/c\"d\n.html".to_string());
        m.folders.insert("a b".to_string());
        assert_eq!(Manifest::parse(&m.to_text()), Some(m));
        assert!(Manifest::parse(&format!("{MANIFEST_HEADER}\nfile \"../x\"\n")).is_none());
        assert!(Manifest::parse(&format!("{MANIFEST_HEADER}\nfile \"/etc/x\"\n")).is_none());
        assert!(Manifest::parse(OLD_MARKER).is_none());
    }

    #[test]
    fn lexical_resolution_stops_at_the_root() {
        assert_eq!(
            lexical(Path::new("/a/b/../../../etc")),
            PathBuf::from("/etc")
        );
        assert_eq!(lexical(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(inside_rel(Path::new("a/../../b")), None);
        assert_eq!(inside_rel(Path::new("/etc")), None);
        assert_eq!(
            inside_rel(Path::new("./theme")),
            Some(PathBuf::from("theme"))
        );
    }
}

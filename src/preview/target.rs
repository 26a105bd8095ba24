//! What a preview TARGET names: a page of the book (its file, or its path
//! under the source folder), a boundary id or a vocabulary id. A boundary or
//! vocabulary is previewed on the book's page for it (the boundary's own
//! page; the first chapter that embeds the vocabulary's table); when the
//! book has none yet, on a page generated from the canon.

use std::path::{Path, PathBuf};

use crate::canon::canon;
use crate::check::facts::PageFacts;
use crate::directive::Directive;
use crate::error::Error;
use crate::markdown::Page;
use crate::model::Canon;
use crate::paths::normalize_path;
use crate::session::{Book, layout};
use crate::suggest;

/// A target, found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A page of a book: `rel` is relative to the source folder.
    Page {
        root: PathBuf,
        rel: String,
        file: PathBuf,
    },
    /// A page outside any book (only `--markdown` can show it).
    Lone { file: PathBuf },
    /// A page generated from the canon; rendered as an extra chapter of
    /// the book at `rel` when there is a book.
    Generated {
        root: Option<PathBuf>,
        title: String,
        rel: String,
        markdown: String,
    },
}

impl Resolved {
    pub fn root(&self) -> Option<&Path> {
        match self {
            Resolved::Page { root, .. } => Some(root),
            Resolved::Generated { root, .. } => root.as_deref(),
            Resolved::Lone { .. } => None,
        }
    }

    /// The page's path relative to the source folder.
    pub fn rel(&self) -> Option<&str> {
        match self {
            Resolved::Page { rel, .. } | Resolved::Generated { rel, .. } => Some(rel),
            Resolved::Lone { .. } => None,
        }
    }

    /// The files whose change changes this page's own text.
    pub fn page_file(&self) -> Option<&Path> {
        match self {
            Resolved::Page { file, .. } | Resolved::Lone { file } => Some(file),
            Resolved::Generated { .. } => None,
        }
    }

    /// For messages.
    pub fn describe(&self) -> String {
        match self {
            Resolved::Page { file, .. } | Resolved::Lone { file } => file.display().to_string(),
            Resolved::Generated { title, .. } => format!("the generated page `{title}`"),
        }
    }

    /// `--boundary ID`: the page generated for a boundary, whatever the book has.
    pub fn generated_boundary(
        canon: &Canon,
        id: &str,
        book: Option<&Path>,
    ) -> Result<Resolved, Error> {
        let Some(b) = canon.boundary(id) else {
            return Err(unknown(id, None));
        };
        let root = match book {
            Some(r) => Some(r.to_path_buf()),
            None => std::env::current_dir().ok().and_then(|d| book_above(&d)),
        };
        Ok(Resolved::Generated {
            root,
            title: b.title.to_string(),
            rel: format!("cavra-preview/{id}.md"),
            markdown: super::boundary_page(canon, id).expect("a known boundary"),
        })
    }
}

/// The folder with `book.toml` at or above `dir`.
pub fn book_above(dir: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(dir).ok()?;
    abs.ancestors()
        .find(|d| d.join("book.toml").is_file())
        .map(Path::to_path_buf)
}

/// Find what `target` names. `book` is the book's root when given.
pub fn resolve(target: &str, book: Option<&Path>) -> Result<Resolved, Error> {
    let as_file = Path::new(target);
    if as_file.is_file() {
        let abs = std::fs::canonicalize(as_file)
            .map_err(|e| Error::input(format!("cannot read {target}: {e}")))?;
        let root = match book {
            Some(r) => Some(r.to_path_buf()),
            None => abs.parent().and_then(book_above),
        };
        if let Some(root) = root {
            let loaded = Book::load(&root)?;
            let src = std::fs::canonicalize(&loaded.src)
                .map_err(|e| Error::input(format!("cannot read {}: {e}", loaded.src.display())))?;
            if let Ok(rel) = abs.strip_prefix(&src) {
                return Ok(Resolved::Page {
                    root,
                    rel: normalize_path(rel),
                    file: as_file.to_path_buf(),
                });
            }
        }
        return Ok(Resolved::Lone {
            file: as_file.to_path_buf(),
        });
    }
    let root = match book {
        Some(r) => Some(r.to_path_buf()),
        None => std::env::current_dir().ok().and_then(|d| book_above(&d)),
    };
    let loaded = root.as_deref().map(Book::load).transpose()?;
    if let Some(book) = &loaded {
        let in_src = book.src.join(target);
        if in_src.is_file() {
            return Ok(Resolved::Page {
                root: book.root.clone(),
                rel: normalize_path(Path::new(target)),
                file: in_src,
            });
        }
    }
    let canon = canon();
    if let Some(b) = canon.boundary(target) {
        if let Some(book) = &loaded
            && let Some(rel) = find_chapter(book, |facts| facts.own_boundaries.contains(&b.id))?
        {
            return Ok(page_of(book, rel));
        }
        return Ok(Resolved::Generated {
            root,
            title: b.title.to_string(),
            rel: format!("cavra-preview/{}.md", b.id),
            markdown: super::boundary_page(canon, b.id).expect("a known boundary"),
        });
    }
    if let Some(v) = canon.vocabulary(target) {
        if let Some(book) = &loaded
            && let Some(rel) = find_chapter(book, |facts| {
                facts.directives.iter().any(
                    |(_, d)| matches!(d, Ok(Directive::States { vocabulary }) if *vocabulary == v.id),
                )
            })?
        {
            return Ok(page_of(book, rel));
        }
        return Ok(Resolved::Generated {
            root,
            title: v.label.to_string(),
            rel: format!("cavra-preview/{}.md", v.id),
            markdown: super::vocabulary_page(canon, v.id).expect("a known vocabulary"),
        });
    }
    Err(unknown(target, loaded.as_ref()))
}

fn page_of(book: &Book, rel: String) -> Resolved {
    Resolved::Page {
        root: book.root.clone(),
        file: book.src.join(&rel),
        rel,
    }
}

/// The first chapter, in `SUMMARY.md` order, whose facts satisfy `wanted`.
fn find_chapter(
    book: &Book,
    wanted: impl Fn(&PageFacts<'_, '_>) -> bool,
) -> Result<Option<String>, Error> {
    for rel in book.chapters()? {
        let Ok(text) = layout::read_page(&book.src.join(&rel), book.settings.max_page_size) else {
            continue;
        };
        let page = Page::parse(&text);
        let facts = PageFacts::new(&rel, &page, canon());
        if wanted(&facts) {
            return Ok(Some(rel));
        }
    }
    Ok(None)
}

fn unknown(target: &str, book: Option<&Book>) -> Error {
    let canon = canon();
    let mut names: Vec<String> = canon
        .boundaries
        .iter()
        .map(|b| b.id.to_string())
        .chain(canon.vocabularies.iter().map(|v| v.id.to_string()))
        .collect();
    if let Some(book) = book
        && let Ok(chapters) = book.chapters()
    {
        names.extend(chapters);
    }
    let what = match book {
        Some(_) => "a page of the book, a boundary or a vocabulary",
        None => "a file, a boundary or a vocabulary (and no book.toml was found here)",
    };
    Error::input_with_help(
        format!("`{target}` is not {what}"),
        suggest::hint(target, names.iter().map(String::as_str)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guide() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn a_boundary_id_finds_its_own_page_in_the_guide() {
        let r = resolve("billing-subscription", Some(&guide())).unwrap();
        assert_eq!(r.rel(), Some("editions/billing-subscription.md"), "{r:?}");
        let r = resolve("editions/tenant-onboarding.md", Some(&guide())).unwrap();
        assert!(matches!(r, Resolved::Page { .. }), "{r:?}");
    }

    #[test]
    fn a_vocabulary_finds_the_page_with_its_table_or_gets_one() {
        let r = resolve("subscription", Some(&guide())).unwrap();
        assert!(matches!(r, Resolved::Page { .. }), "{r:?}");
        let dir = tempfile::tempdir().unwrap();
        let r = resolve("subscription", Some(dir.path()));
        // No book.toml there: an input error, not a panic.
        assert!(r.is_err());
    }

    #[test]
    fn an_unknown_target_gets_a_suggestion() {
        let e = resolve("billing-subscriptoin", Some(&guide()))
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean `billing-subscription`?"), "{e}");
    }
}

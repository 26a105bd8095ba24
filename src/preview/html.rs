//! Render a preview with mdBook's own HTML renderer: the whole book, so the
//! sidebar and the links between pages work, with the book's `theme/` and
//! CSS, so the page looks as it will when published, and with the findings
//! shown in place ([`crate::annotate`]).
//!
//! A preview never goes where a published build could pick it up: the
//! destination may be neither the book's build-dir nor inside the book, and
//! the preprocessor that shows findings is this in-process one, which
//! `mdbook build` never runs.
//!
//! mdBook reads a private copy of the book, never the book itself, and
//! never writes the destination: [`crate::write`] stages the copy (nothing
//! from outside the book in it) and puts the rendered files in place.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use mdbook_driver::MDBook;
use mdbook_driver::book::{BookItem, Chapter};
use mdbook_preprocessor::book::Book as MdBook;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use super::target::Resolved;
use crate::annotate::Context;
use crate::diagnostic::Finding;
use crate::error::Error;
use crate::preprocessor::{self, Mode, NAME};
use crate::session::{Book, Outcome, Session};
use crate::write::{self, absolute};

/// A rendered preview.
#[derive(Debug)]
pub struct Rendered {
    /// The folder of the rendered book.
    pub dir: PathBuf,
    /// The previewed page's HTML file in it.
    pub page: PathBuf,
    /// The page's path in the site (`editions/billing-subscription.html`).
    pub url_path: String,
    /// The findings on the previewed page.
    pub findings: Vec<Finding>,
    /// Errors and warnings in the whole book.
    pub book_errors: usize,
}

/// The default preview folder of a book: one per book, under the system's
/// temporary folder, so repeated previews replace each other.
pub fn default_dest(root: &Path) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let abs = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut h = std::collections::hash_map::DefaultHasher::new();
    abs.hash(&mut h);
    // Named apart from the folders of versions that kept no list of what
    // they wrote, which the writer would refuse.
    std::env::temp_dir().join(format!("mdbook-cavra-preview-{:016x}-2", h.finish()))
}

/// Refuse a destination a published build could come from, or one that
/// would make `mdbook serve` rebuild forever.
pub fn check_dest(book: &Book, dest: &Path) -> Result<(), Error> {
    // The folder may not exist yet: resolve its nearest existing parent.
    let canon = |p: &Path| crate::paths::resolve(p);
    let dest = canon(&absolute(dest));
    let build_dir = canon(&book.root.join(&book.config.build.build_dir));
    let src = canon(&book.src);
    if dest == build_dir || build_dir.starts_with(&dest) {
        return Err(Error::input_with_help(
            format!(
                "a preview is never written to the book's build-dir ({}): it shows findings, and a published build must not",
                build_dir.display()
            ),
            "leave out --dest-dir (a temporary folder is used), or name another folder",
        ));
    }
    if dest.starts_with(&src) || src.starts_with(&dest) {
        return Err(Error::input_with_help(
            format!(
                "a preview is never written inside the book's source folder ({}) nor around it (mdBook empties the folder it renders into)",
                src.display()
            ),
            "leave out --dest-dir (a temporary folder is used), or name another folder",
        ));
    }
    Ok(())
}

/// Render the book at `root` into `dest`, with the findings in the pages,
/// and say where the target page is.
///
/// mdBook renders a private copy of the book ([`write::Stage`]: nothing
/// from outside the book) into a temporary folder; the result goes into
/// `dest` through [`write::Destination`], which writes only into a folder
/// that is empty or was written by this tool, and replaces only its own
/// files.
pub fn render(root: &Path, target: &Resolved, dest: &Path) -> Result<Rendered, Error> {
    let book = Book::load(root)?;
    check_dest(&book, dest)?;
    let destination = write::Destination::open(dest, root, None, "write the preview into")?;
    let mut config = book.config.clone();
    // As `mdbook-cavra build` does: this preprocessor runs before `links`
    // whether or not book.toml names it (see `crate::build`).
    let key = format!("preprocessor.{NAME}");
    if !config.contains_key(&key) {
        config
            .set(format!("{key}.before"), vec!["links"])
            .map_err(|e| Error::input(format!("{e:#}")))?;
    }
    config.build.create_missing = false;
    let stage = write::Stage::for_preview(root, &config, &book.chapters()?)?;
    config.build.build_dir = stage.out.clone();
    let mut md = MDBook::load_with_config(stage.root(), config).map_err(|e| {
        Error::input_with_help(
            format!("mdBook cannot load the book at {}: {e:#}", root.display()),
            "`mdbook-cavra check` says what is wrong with each page",
        )
    })?;
    if let Resolved::Generated {
        title,
        rel,
        markdown,
        ..
    } = target
    {
        md.book.push_item(BookItem::Chapter(Chapter::new(
            title,
            markdown.clone(),
            rel,
            Vec::new(),
        )));
    }
    let outcome = Rc::new(RefCell::new(None));
    md.with_preprocessor(write::Bounded::new(
        InPage {
            session: Rc::new(Session::new(book.clone())),
            outcome: outcome.clone(),
        },
        root,
        &stage,
        &book.config.book.src,
    ));
    crate::build::run_commands_from(&mut md, root);
    // The HTML renderer alone: other renderers book.toml names are for
    // publishing, and a preview needs none of them.
    md.execute_build_process(&mdbook_html::HtmlHandlebars::new())
        .map_err(|e| Error::input(format!("mdBook could not render the preview: {e:#}")))?;
    let under = md
        .build_dir_for("html")
        .strip_prefix(&stage.out)
        .unwrap_or(Path::new(""))
        .to_path_buf();
    destination.install(&stage.out)?;
    let dir = absolute(dest).join(under);
    let rel = target.rel().unwrap_or_default();
    // The preprocessor renders a chapter whose file name holds a secret
    // under its masked name, and findings carry masked paths.
    let url_path = html_path(&crate::secrets::redact_path(rel));
    let outcome: Outcome = outcome.borrow_mut().take().unwrap_or_default();
    let shown = crate::secrets::redact(&book.display_path(rel)).into_owned();
    let findings: Vec<Finding> = outcome
        .findings
        .iter()
        .filter(|f| f.at.path == shown)
        .cloned()
        .collect();
    Ok(Rendered {
        page: dir.join(&url_path),
        dir,
        url_path,
        findings,
        book_errors: outcome.errors(),
    })
}

/// The HTML file mdBook writes for a chapter (`README.md` becomes `index.html`).
pub fn html_path(rel: &str) -> String {
    let path = Path::new(rel);
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string());
    let name = match stem.as_deref() {
        Some(s) if s.eq_ignore_ascii_case("readme") => "index".to_string(),
        Some(s) => s.to_string(),
        None => "index".to_string(),
    };
    let parent = path.parent().map(crate::paths::normalize_path);
    match parent.as_deref() {
        Some("") | None => format!("{name}.html"),
        Some(p) => format!("{p}/{name}.html"),
    }
}

/// The preprocessor of a preview: the same expansion and checks as
/// `mdbook build`, findings shown in the pages, nothing printed (the
/// preview reports the target page's findings itself).
struct InPage {
    session: Rc<Session>,
    outcome: Rc<RefCell<Option<Outcome>>>,
}

impl Preprocessor for InPage {
    fn name(&self) -> &str {
        NAME
    }

    fn run(&self, _ctx: &PreprocessorContext, book: MdBook) -> anyhow::Result<MdBook> {
        let (book, outcome) =
            preprocessor::process_with(&self.session, book, Mode::Show(Context::Preview))?;
        *self.outcome.borrow_mut() = Some(outcome);
        Ok(book)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_paths_follow_mdbook() {
        assert_eq!(
            html_path("editions/billing-subscription.md"),
            "editions/billing-subscription.html"
        );
        assert_eq!(html_path("README.md"), "index.html");
        assert_eq!(html_path("a/readme.md"), "a/index.html");
    }

    #[test]
    fn the_build_dir_and_the_sources_are_refused() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let book = Book::load(&root).unwrap();
        let e = check_dest(&book, &root.join("target/book")).unwrap_err();
        assert!(e.to_string().contains("build-dir"), "{e}");
        assert!(check_dest(&book, &root.join("target")).is_err());
        let e = check_dest(&book, &root.join("book/out")).unwrap_err();
        assert!(e.to_string().contains("source folder"), "{e}");
        assert!(check_dest(&book, &root).is_err());
        assert!(check_dest(&book, &default_dest(&root)).is_ok());
    }
}

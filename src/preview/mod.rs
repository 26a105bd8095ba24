//! `mdbook-cavra preview`: a writer's page as readers will see it, with its
//! findings in place.
//!
//! - [`target`] finds the page a TARGET names: a file, a path in the book,
//!   a boundary id or a vocabulary id (a page generated from the canon when
//!   the book has none yet);
//! - [`html`] renders the whole book with mdBook's own HTML renderer and the
//!   book's theme into a preview folder (never the book's build-dir nor
//!   inside the book), with [`crate::annotate`] showing the findings in
//!   place, from a copy of the book that holds nothing from outside it
//!   ([`crate::write`]);
//! - [`server`] serves that folder on 127.0.0.1, re-renders when a watched
//!   file changes and makes the browser reload itself;
//! - `--markdown` prints the expanded Markdown instead ([`page`]).

pub mod html;
pub mod server;
pub mod target;

use std::fmt::Write;
use std::path::{Path, PathBuf};

use crate::canon::canon;
use crate::check::facts::book::Role;
use crate::diagnostic::Finding;
use crate::error::Error;
use crate::markdown::Page;
use crate::model::Canon;
use crate::session::{Book, Entry, PageEntry, Session, Source, layout};

use crate::{expand, render};

/// A complete page for one boundary: its title, the whole boundary, and the
/// state tables of its vocabularies. A starting point for the boundary's own page.
pub fn boundary_page(canon: &Canon, id: &str) -> Option<String> {
    let b = canon.boundary(id)?;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", b.title);
    let _ = writeln!(out, "{}\n", render::whole_boundary(canon, b));
    for v in b.vocabularies.iter().filter_map(|v| canon.vocabulary(v)) {
        let _ = writeln!(out, "## {}\n", capitalize(v.label));
        let _ = writeln!(out, "{}\n", render::states_table(v));
    }
    out.pop();
    Some(out)
}

/// A page previewed: its text with directives expanded, and its findings.
pub struct PagePreview {
    pub expanded: String,
    pub findings: Vec<Finding>,
}

/// Preview a page. In a book (the nearest `book.toml` above it), the whole
/// book is checked, as `check` would, and the findings on this page are
/// kept; a page outside any book is checked alone with the default levels.
pub fn page(path: &Path) -> Result<PagePreview, Error> {
    let abs = std::fs::canonicalize(path)
        .map_err(|e| Error::input(format!("cannot read {}: {e}", path.display())))?;
    let book_root = abs
        .ancestors()
        .skip(1)
        .find(|dir| dir.join("book.toml").is_file());
    // The book's own `max-page-size` holds for its pages.
    let session = book_root.map(Session::load).transpose()?;
    let max = session
        .as_ref()
        .map_or(crate::config::DEFAULT_MAX_PAGE_SIZE, |s| {
            s.book.settings.max_page_size
        });
    let text = layout::read_page(path, max)
        .map_err(|(line, why)| Error::input(format!("{}:{line}: {why}", path.display())))?;
    let expanded = expand::expand(&Page::parse(&text), canon());
    let findings = match (book_root, session) {
        (Some(root), Some(session)) => {
            let src = std::fs::canonicalize(&session.book.src)
                .map_err(|e| Error::input(format!("cannot read {}: {e}", root.display())))?;
            let rel = abs
                .strip_prefix(&src)
                .map(crate::paths::normalize_path)
                .unwrap_or_default();
            let shown = session.book.display_path(&rel);
            session
                .run(Source::Disk)?
                .findings
                .into_iter()
                .filter(|f| f.at.path == shown)
                .collect()
        }
        _ => {
            let dir = abs.parent().unwrap_or(Path::new("/"));
            let book = Book::lone(dir);
            let rel = crate::paths::normalize_path(Path::new(abs.file_name().unwrap_or_default()));
            let entry = Entry::Page(PageEntry {
                path: rel.clone(),
                rel,
                file: abs.clone(),
                role: Role::Chapter,
            });
            Session::new(book)
                .run_entries(vec![entry], Source::Disk)
                .findings
        }
    };
    Ok(PagePreview { expanded, findings })
}

/// A page for a vocabulary the book has no page for: its title and table.
pub fn vocabulary_page(canon: &Canon, id: &str) -> Option<String> {
    let v = canon.vocabulary(id)?;
    Some(format!(
        "# {}\n\n{}\n",
        capitalize(v.label),
        render::states_table(v)
    ))
}

/// `mdbook-cavra preview`'s arguments.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// A page of the book (its file, or its path under the book's source
    /// folder), a boundary id (`billing-subscription`) or a vocabulary id
    /// (`subscription`).
    #[arg(required_unless_present = "boundary", value_name = "TARGET")]
    pub target: Option<String>,
    /// Preview the page this boundary would get, generated from the canon
    /// (a starting point for a new page), instead of the book's own page.
    #[arg(long, conflicts_with = "target", value_name = "ID")]
    pub boundary: Option<String>,
    /// The book's root folder (default: the one around TARGET, or around
    /// the current folder).
    #[arg(long, value_name = "DIR")]
    pub book: Option<PathBuf>,
    /// Print the page's Markdown with its directives expanded, findings on
    /// stderr, instead of rendering it.
    #[arg(long, conflicts_with_all = ["serve", "open", "dest_dir"])]
    pub markdown: bool,
    /// With --markdown: write to this file instead of standard output
    /// (never a file inside the book).
    #[arg(long, short = 'o', requires = "markdown", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Where to render the book (default: a folder under the system's
    /// temporary folder): a folder outside the book that is empty or that
    /// mdbook-cavra wrote before; only its own files there are replaced.
    #[arg(long, short = 'd', value_name = "DIR")]
    pub dest_dir: Option<PathBuf>,
    /// Open the page in a browser ($BROWSER, or xdg-open; open on macOS);
    /// says so when there is none.
    #[arg(long)]
    pub open: bool,
    /// Serve the preview on 127.0.0.1, re-render on every change to the
    /// page, the files it includes, SUMMARY.md or book.toml, and reload
    /// the browser; Ctrl-C stops.
    #[arg(long)]
    pub serve: bool,
    /// The port to serve on (0: any free port).
    #[arg(long, default_value_t = 3100, requires = "serve")]
    pub port: u16,
}

/// Run `mdbook-cavra preview`.
pub fn run(args: &Args) -> Result<(), Error> {
    let canon = canon();
    let resolved = match (&args.target, &args.boundary) {
        (_, Some(id)) => target::Resolved::generated_boundary(canon, id, args.book.as_deref())?,
        (Some(t), None) => target::resolve(t, args.book.as_deref())?,
        (None, None) => return Err(Error::input("name a TARGET to preview")),
    };
    if args.markdown {
        return print_markdown(&resolved, args.output.as_deref());
    }
    let Some(root) = resolved.root().map(Path::to_path_buf) else {
        return Err(Error::input_with_help(
            format!(
                "{} is not in a book (no book.toml above it), so it cannot be rendered with the book's theme",
                resolved.describe()
            ),
            "pass the book with --book DIR, or print the expanded Markdown with --markdown",
        ));
    };
    let dest = match &args.dest_dir {
        Some(d) => d.clone(),
        None => html::default_dest(&root),
    };
    if args.serve {
        return server::serve(&root, &resolved, &dest, args.port, args.open);
    }
    let rendered = html::render(&root, &resolved, &dest)?;
    crate::report::to_stderr(&rendered.findings, 1)?;
    print_line(&rendered.page.display().to_string())?;
    if args.open {
        open_in_browser(&file_url(&rendered.page));
    }
    findings_result(&rendered.findings)
}

/// `--markdown`: the expanded page, findings on stderr.
fn print_markdown(resolved: &target::Resolved, output: Option<&Path>) -> Result<(), Error> {
    let (text, findings) = match resolved {
        target::Resolved::Page { file, .. } | target::Resolved::Lone { file } => {
            let p = page(file)?;
            (p.expanded, p.findings)
        }
        target::Resolved::Generated { markdown, .. } => (markdown.clone(), Vec::new()),
    };
    // The page is shown, so its secrets are masked like every other output.
    let text = crate::secrets::redact(&text);
    match output {
        Some(path) => {
            // Never into the book: its own root, or the one above the page.
            let root = resolved.root().map(Path::to_path_buf).or_else(|| {
                resolved
                    .page_file()
                    .and_then(|f| std::fs::canonicalize(f).ok())
                    .and_then(|f| f.parent().and_then(target::book_above))
            });
            crate::write::write_file(path, text.as_bytes(), root.as_deref(), resolved.page_file())?
        }
        None => {
            let mut out = anstream::stdout();
            std::io::Write::write_all(&mut out, text.as_bytes())?;
            std::io::Write::flush(&mut out)?;
        }
    }
    if !findings.is_empty() {
        let report = crate::report::render(
            crate::report::Format::Human,
            &findings,
            1,
            &crate::report::Paths::default(),
        );
        let _ = std::io::Write::write_all(&mut anstream::stderr(), report.as_bytes());
    }
    findings_result(&findings)
}

fn findings_result(findings: &[Finding]) -> Result<(), Error> {
    match findings
        .iter()
        .filter(|f| f.severity == crate::diagnostic::Severity::Error)
        .count()
    {
        0 => Ok(()),
        errors => Err(Error::Findings { errors }),
    }
}

fn print_line(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    std::io::Write::write_all(&mut out, format!("{text}\n").as_bytes())?;
    std::io::Write::flush(&mut out)?;
    Ok(())
}

/// `file://` URL of a local file.
pub fn file_url(path: &Path) -> String {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    format!("file://{}", abs.display())
}

/// Open `url` in a browser when there is one: `$BROWSER`, then the
/// platform's opener (`xdg-open`; `open` on macOS). An opener that exits with an
/// error (xdg-open does when it finds no browser) does not count; one still
/// running after a few seconds is taken to have opened it. Says so plainly
/// when nothing could.
pub fn open_in_browser(url: &str) -> bool {
    let mut candidates: Vec<String> = Vec::new();
    if let Ok(b) = std::env::var("BROWSER") {
        candidates.extend(b.split(':').filter(|s| !s.is_empty()).map(String::from));
    }
    // On Linux `open` may be openvt: only macOS's `open` opens a URL.
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    candidates.push(opener.to_string());
    let mut tried = Vec::new();
    for cmd in candidates {
        let spawned = std::process::Command::new(&cmd)
            .arg(url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        let Ok(mut child) = spawned else {
            continue; // not installed
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
        let opened = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status.success(),
                Ok(None) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(25));
                }
                Ok(None) => break true,
                Err(_) => break false,
            }
        };
        if opened {
            eprintln!("mdbook-cavra: opened {url} with {cmd}");
            return true;
        }
        tried.push(cmd);
    }
    let why = match tried.is_empty() {
        true => format!("no browser found ($BROWSER is unset and {opener} is not installed)"),
        false => format!("no browser could open it ({} failed)", tried.join(", ")),
    };
    eprintln!("mdbook-cavra: {why}; open {url} yourself");
    false
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::canon;

    #[test]
    fn a_boundary_page_passes_its_own_checks() {
        for b in canon().boundaries {
            let text = boundary_page(canon(), b.id).unwrap();
            assert!(text.starts_with(&format!("# {}\n", b.title)));
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("p.md");
            std::fs::write(&file, &text).unwrap();
            let preview = page(&file).unwrap();
            // Alone, the page may mention other boundaries' topics without a
            // page to link to (`boundary-link`); it satisfies its own.
            let own: Vec<_> = preview
                .findings
                .iter()
                .filter(|f| f.rule.id != "boundary-link")
                .collect();
            assert!(own.is_empty(), "{}: {own:?}", b.id);
        }
        assert!(boundary_page(canon(), "nope").is_none());
    }
}

//! `mdbook-cavra preview`: what a writer's page (or a boundary page that does
//! not exist yet) looks like once the directives are expanded, with the
//! findings the book's checks give that page.

use std::fmt::Write;
use std::path::Path;

use crate::canon::canon;
use crate::check::facts::book::Role;
use crate::diagnostic::Finding;
use crate::error::Error;
use crate::markdown::{self, Page};
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
    let text = layout::read_page(path, crate::config::DEFAULT_MAX_PAGE_SIZE)
        .map_err(|(line, why)| Error::input(format!("{}:{line}: {why}", path.display())))?;
    let expanded = expand::expand(&Page::parse(&text), canon());
    let abs = std::fs::canonicalize(path)
        .map_err(|e| Error::input(format!("cannot read {}: {e}", path.display())))?;
    let book_root = abs
        .ancestors()
        .skip(1)
        .find(|dir| dir.join("book.toml").is_file());
    let findings = match book_root {
        Some(root) => {
            let session = Session::load(root)?;
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
        None => {
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

/// Markdown to a standalone HTML document, with the parser options mdBook uses.
pub fn to_html(title: &str, markdown_text: &str) -> String {
    let mut body = String::new();
    pulldown_cmark::html::push_html(
        &mut body,
        pulldown_cmark::Parser::new_ext(markdown_text, markdown::options()),
    );
    let title = title.replace('&', "&amp;").replace('<', "&lt;");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
<style>body{{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;line-height:1.5;padding:0 1rem}}\
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.25rem .5rem}}\
blockquote{{border-left:4px solid #ccc;margin-left:0;padding-left:1rem;color:#444}}</style>\n\
</head>\n<body>\n{body}</body>\n</html>\n"
    )
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

    #[test]
    fn html_has_the_rendered_table() {
        let md = boundary_page(canon(), "billing-subscription").unwrap();
        let html = to_html("Billing", &md);
        assert!(html.contains("<td><code>past_due</code></td>"));
        assert!(html.contains("<li>license keys</li>"));
    }
}

//! `mdbook-cavra preview`: what a writer's page (or a boundary page that does
//! not exist yet) looks like once the directives are expanded, without a
//! book build.

use std::fmt::Write;

use crate::check::{self, Finding};
use crate::config::Levels;
use crate::markdown::{self, Page};
use crate::model::Canon;
use crate::{preprocessor, render};

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

/// A page with its directives expanded, and the findings of the checks that
/// need only the page itself.
pub fn page(
    path: &str,
    src: &str,
    canon: &'static Canon,
    levels: &Levels,
) -> (String, Vec<Finding>) {
    let parsed = Page::parse(src);
    let expanded = preprocessor::expand(&parsed, canon);
    let mut findings = check::check_parsed(path, &parsed, canon, levels).findings;
    check::sort(&mut findings);
    (expanded, findings)
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
            let (_, findings) = page("p.md", &text, canon(), &Levels::default());
            assert!(findings.is_empty(), "{}: {findings:?}", b.id);
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

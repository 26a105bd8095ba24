//! The human format: each finding as rustc shows a diagnostic, then a
//! summary line.

use annotate_snippets::{AnnotationKind, Group, Level as AsLevel, Renderer, Snippet};

use super::Paths;
use crate::diagnostic::{Applicability, Finding, Severity, Summary};

/// One finding as rustc would show it.
pub fn human_one(f: &Finding, paths: &Paths) -> String {
    let level = match f.severity {
        Severity::Error => AsLevel::ERROR,
        Severity::Warning => AsLevel::WARNING,
    };
    let path = printable(&paths.show(&f.at.path));
    let title = level.primary_title(f.message.as_str()).id(f.rule.id);
    let origin = || {
        annotate_snippets::Origin::path(path.as_str())
            .line(f.at.line)
            .char_column(f.at.column)
    };
    let mut group = if f.at.snippet.is_empty() {
        title.element(origin())
    } else if f.at.windowed {
        // A window of a huge line: the column comes from the line's start,
        // which the snippet does not hold, so the origin says it.
        title.element(origin()).element(
            Snippet::source(f.at.snippet.as_str())
                .line_start(f.at.line)
                .annotation(AnnotationKind::Primary.span(f.at.span.clone())),
        )
    } else {
        title.element(
            Snippet::source(f.at.snippet.as_str())
                .line_start(f.at.line)
                .path(path.as_str())
                .annotation(AnnotationKind::Primary.span(f.at.span.clone())),
        )
    };
    for note in &f.notes {
        group = group.element(AsLevel::NOTE.message(note.as_str()));
    }
    if let Some(help) = &f.help {
        group = group.element(AsLevel::HELP.message(help.as_str()));
    }
    let fixable = f.fix.as_ref().map(|fix| {
        let command = match fix.applicability {
            Applicability::Safe => "mdbook-cavra fix",
            Applicability::Unsafe => "mdbook-cavra fix --unsafe",
        };
        format!("`{command}` can repair this: {}", fix.title)
    });
    if let Some(fixable) = &fixable {
        group = group.element(AsLevel::HELP.message(fixable.as_str()));
    }
    let report: Vec<Group<'_>> = vec![group];
    Renderer::styled().render(&report)
}

/// A path as the terminal may show it: control characters (a newline, an
/// ESC that would start a terminal sequence) escaped.
fn printable(path: &str) -> String {
    path.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// The findings, then (with `summary`; `None` is `check --quiet`) the
/// fixable count and the summary line.
pub fn render(findings: &[Finding], summary: Option<Summary>, paths: &Paths) -> String {
    let mut out = String::new();
    for f in findings {
        out.push_str(&human_one(f, paths));
        out.push_str("\n\n");
    }
    let Some(summary) = summary else {
        return out;
    };
    let count = |a| {
        findings
            .iter()
            .filter(|f| f.fix.as_ref().is_some_and(|x| x.applicability == a))
            .count()
    };
    match (count(Applicability::Safe), count(Applicability::Unsafe)) {
        (0, 0) => {}
        (safe, 0) => out.push_str(&format!(
            "mdbook-cavra: {safe} fixable with `mdbook-cavra fix`\n"
        )),
        (safe, more) => out.push_str(&format!(
            "mdbook-cavra: {safe} fixable with `mdbook-cavra fix` ({more} more with `--unsafe`)\n"
        )),
    }
    out.push_str(&super::summary_line(&summary));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::finding;

    /// A byte order mark is not a column: the human report (whose column
    /// annotate-snippets counts in the snippet) says what JSON says, on
    /// every column of line 1 and on line 2.
    #[test]
    fn a_byte_order_mark_moves_no_column() {
        use crate::diagnostic::locate_range;
        use crate::markdown::LineIndex;
        let src = "\u{feff}# Tïtle with `x`\nsecond `y`\n";
        let index = LineIndex::new(src);
        let mut f = finding();
        for offset in (3..src.len() - 1).filter(|&o| src.is_char_boundary(o)) {
            if src.as_bytes()[offset] == b'\n' {
                continue;
            }
            f.at = locate_range("src/a.md", src, &index, offset..offset + 1);
            let out = anstream::adapter::strip_str(&human_one(&f, &Paths::default())).to_string();
            let place = format!("src/a.md:{}:{}", f.at.line, f.at.column);
            assert!(out.contains(&place), "{offset}: {place}\n{out}");
            assert!(!f.at.snippet.contains('\u{feff}'), "{offset}");
        }
    }

    #[test]
    fn human_output_has_location_snippet_help_and_notes() {
        let mut f = finding();
        f.notes
            .push("state-list-drift: the list omits `warn`".into());
        let out =
            anstream::adapter::strip_str(&human_one(&f, &Paths::with_prefix("docs"))).to_string();
        assert!(
            out.contains("error[undefined-state]: undefined decision `block`"),
            "{out}"
        );
        assert!(out.contains("docs/book/a.md:3:17"), "{out}");
        assert!(out.contains("^^^^^^^"), "{out}");
        assert!(out.contains("note: state-list-drift"), "{out}");
        assert!(out.contains("help: did you mean `allow`?"), "{out}");
    }
}

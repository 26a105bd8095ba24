//! Printing findings: human (rustc style), JSON, GitHub annotations, SARIF;
//! one file per format.
//!
//! Reports only read findings; they never change a verdict. Paths in
//! findings are relative to the book root. The human, GitHub and SARIF
//! formats put [`Paths::prefix`] in front (the book root as given on the
//! command line, or `--path-prefix`), so a book kept in `docs/` gets
//! annotations on `docs/src/…`, files that exist in the repository; JSON
//! keeps paths relative to the book root, as its contract says.

mod github;
mod human;
mod json;
mod sarif;
mod short;

use crate::diagnostic::{Finding, Summary};
use crate::paths;

pub use human::human_one;

/// Output formats of `mdbook-cavra check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
    /// One `path:line:col: level[rule]: message` line per finding.
    Short,
}

/// How paths are shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paths {
    /// Put in front of every book-relative path (`docs` → `docs/src/a.md`);
    /// empty for none.
    pub prefix: String,
}

impl Paths {
    pub fn with_prefix(prefix: &str) -> Paths {
        let path = std::path::Path::new(prefix);
        let normal = paths::normalize_path(path);
        Paths {
            prefix: if path.has_root() {
                format!("/{normal}")
            } else {
                normal
            },
        }
    }

    /// A finding's path as this report shows it, any secret in it (the
    /// prefix included) masked.
    pub fn show(&self, path: &str) -> String {
        let whole = if self.prefix.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.prefix)
        };
        crate::secrets::redact(&whole).into_owned()
    }
}

/// Render findings in a format. The human format is styled; the caller's
/// stream (anstream) strips styles when it is not a terminal or `NO_COLOR` is set.
pub fn render(format: Format, findings: &[Finding], files: usize, paths: &Paths) -> String {
    render_with(format, findings, Some(Summary::of(findings, files)), paths)
}

/// [`render`] without the lines after the findings that the human, short
/// and GitHub formats end with (`check --quiet`): only findings, nothing
/// at all for a clean book. JSON and SARIF are documents and stay whole.
pub fn render_quiet(format: Format, findings: &[Finding], files: usize, paths: &Paths) -> String {
    match format {
        Format::Json | Format::Sarif => render(format, findings, files, paths),
        _ => render_with(format, findings, None, paths),
    }
}

fn render_with(
    format: Format,
    findings: &[Finding],
    summary: Option<Summary>,
    paths: &Paths,
) -> String {
    let whole = || summary.unwrap_or_else(|| Summary::of(findings, 0));
    match format {
        Format::Human => human::render(findings, summary, paths),
        Format::Json => json::render(findings, whole()),
        Format::Github => github::render(findings, summary, paths),
        Format::Sarif => sarif::render(findings, paths),
        Format::Short => short::render(findings, summary, paths),
    }
}

/// Print findings in the human format on standard error (the preprocessor
/// under mdBook, `build`); nothing when there are none.
pub fn to_stderr(findings: &[Finding], files: usize) -> std::io::Result<()> {
    use std::io::Write;
    if findings.is_empty() {
        return Ok(());
    }
    let text = render(Format::Human, findings, files, &Paths::default());
    let mut err = anstream::stderr();
    err.write_all(text.as_bytes())?;
    err.flush()
}

/// The one-line summary every human and GitHub report ends with.
pub fn summary_line(s: &Summary) -> String {
    let files = plural(s.files, "file");
    match (s.errors, s.warnings) {
        (0, 0) => format!("mdbook-cavra: {files} checked, no problems"),
        (e, w) => format!(
            "mdbook-cavra: {files} checked: {} and {}",
            plural(e, "error"),
            plural(w, "warning")
        ),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A finding's message with its help and notes, as one text (for formats
/// without separate fields for them).
fn full_message(f: &Finding) -> String {
    let mut text = f.message.clone();
    for note in &f.notes {
        text.push_str("\nnote: ");
        text.push_str(note);
    }
    if let Some(help) = &f.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    text
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::check::rules::undefined_state;
    use crate::diagnostic::{Located, Severity};

    pub fn finding() -> Finding {
        Finding {
            rule: &undefined_state::META,
            severity: Severity::Error,
            at: Located {
                path: "book/a.md".into(),
                line: 3,
                column: 17,
                snippet: "the decision is `block`, 100%".into(),
                span: 16..23,
                offset: 40,
                windowed: false,
            },
            message: "undefined decision `block`".into(),
            help: Some("did you mean `allow`?".into()),
            notes: Vec::new(),
            fix: None,
        }
    }

    #[test]
    fn summary_lines() {
        let s = |errors, warnings, files| Summary {
            errors,
            warnings,
            files,
        };
        assert_eq!(
            summary_line(&s(0, 0, 1)),
            "mdbook-cavra: 1 file checked, no problems"
        );
        assert_eq!(
            summary_line(&s(2, 1, 3)),
            "mdbook-cavra: 3 files checked: 2 errors and 1 warning"
        );
    }

    #[test]
    fn prefixes_paths() {
        assert_eq!(
            Paths::with_prefix("./docs/").show("src/a.md"),
            "docs/src/a.md"
        );
        assert_eq!(Paths::default().show("src/a.md"), "src/a.md");
        assert_eq!(
            Paths::with_prefix("/tmp/b").show("src/a.md"),
            "/tmp/b/src/a.md"
        );
    }
}

//! Printing findings: human (rustc style), JSON, GitHub annotations, SARIF.

use annotate_snippets::{AnnotationKind, Group, Level as AsLevel, Renderer, Snippet};
use serde::Serialize;
use serde_json::json;

use crate::check::{Finding, Rule, Severity};

/// Output formats of `mdbook-cavra check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

/// Counts for the summary line and the JSON summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub files: usize,
}

impl Summary {
    pub fn of(findings: &[Finding], files: usize) -> Summary {
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        Summary {
            errors,
            warnings: findings.len() - errors,
            files,
        }
    }

    /// The one-line summary every human report ends with.
    pub fn line(&self) -> String {
        let files = plural(self.files, "file");
        match (self.errors, self.warnings) {
            (0, 0) => format!("mdbook-cavra: {files} checked, no problems"),
            (e, w) => format!(
                "mdbook-cavra: {files} checked: {} and {}",
                plural(e, "error"),
                plural(w, "warning")
            ),
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Render findings in a format. The human format is styled; the caller's
/// stream (anstream) strips styles when it is not a terminal or `NO_COLOR` is set.
pub fn render(format: Format, findings: &[Finding], summary: Summary) -> String {
    match format {
        Format::Human => human(findings, summary),
        Format::Json => json_report(findings, summary),
        Format::Github => github(findings, summary),
        Format::Sarif => sarif(findings),
    }
}

/// One finding as rustc would show it.
pub fn human_one(f: &Finding) -> String {
    let level = match f.severity {
        Severity::Error => AsLevel::ERROR,
        Severity::Warning => AsLevel::WARNING,
    };
    let title = level.primary_title(f.message.as_str()).id(f.rule.id());
    let mut group = if f.snippet.is_empty() {
        title.element(
            annotate_snippets::Origin::path(f.path.as_str())
                .line(f.line)
                .char_column(f.column),
        )
    } else {
        title.element(
            Snippet::source(f.snippet.as_str())
                .line_start(f.line)
                .path(f.path.as_str())
                .annotation(AnnotationKind::Primary.span(f.span.clone())),
        )
    };
    if let Some(help) = &f.help {
        group = group.element(AsLevel::HELP.message(help.as_str()));
    }
    let report: Vec<Group<'_>> = vec![group];
    Renderer::styled().render(&report)
}

fn human(findings: &[Finding], summary: Summary) -> String {
    let mut out = String::new();
    for f in findings {
        out.push_str(&human_one(f));
        out.push_str("\n\n");
    }
    out.push_str(&summary.line());
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    severity: Severity,
    path: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

fn json_report(findings: &[Finding], summary: Summary) -> String {
    let list: Vec<JsonFinding<'_>> = findings
        .iter()
        .map(|f| JsonFinding {
            rule: f.rule.id(),
            severity: f.severity,
            path: &f.path,
            line: f.line,
            column: f.column,
            message: &f.message,
            help: f.help.as_deref(),
        })
        .collect();
    #[derive(Serialize)]
    struct Report<'a> {
        findings: Vec<JsonFinding<'a>>,
        summary: Summary,
    }
    let mut s = serde_json::to_string(&Report {
        findings: list,
        summary,
    })
    .expect("findings serialize");
    s.push('\n');
    s
}

/// Escape workflow-command data (`%`, CR, LF) and properties (also `:` `,`).
fn gh_escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

fn github(findings: &[Finding], summary: Summary) -> String {
    let mut out = String::new();
    for f in findings {
        let kind = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = f.message.clone();
        if let Some(help) = &f.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{kind} file={},line={},col={},title={}::{}\n",
            gh_escape(&f.path, true),
            f.line,
            f.column,
            gh_escape(&format!("mdbook-cavra {}", f.rule.id()), true),
            gh_escape(&message, false)
        ));
    }
    out.push_str(&summary.line());
    out.push('\n');
    out
}

fn sarif(findings: &[Finding]) -> String {
    let rules: Vec<_> = Rule::ALL
        .iter()
        .map(|r| {
            let d = r.doc();
            json!({
                "id": r.id(),
                "name": r.id(),
                "shortDescription": { "text": d.what },
                "fullDescription": { "text": format!("{} {}", d.what, d.why) },
                "help": { "text": format!("{}\n\nFix: {}", d.why, d.fix) },
                "defaultConfiguration": {
                    "level": match r.default_level() {
                        crate::check::Level::Deny => "error",
                        crate::check::Level::Warn => "warning",
                        crate::check::Level::Allow => "none",
                    }
                }
            })
        })
        .collect();
    let results: Vec<_> = findings
        .iter()
        .map(|f| {
            let text = match &f.help {
                Some(h) => format!("{}\nhelp: {h}", f.message),
                None => f.message.clone(),
            };
            json!({
                "ruleId": f.rule.id(),
                "ruleIndex": Rule::ALL.iter().position(|r| *r == f.rule),
                "level": match f.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": f.path },
                        "region": { "startLine": f.line, "startColumn": f.column }
                    }
                }]
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "mdbook-cavra",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("sarif serializes");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding() -> Finding {
        Finding {
            rule: Rule::UndefinedState,
            severity: Severity::Error,
            path: "book/a.md".into(),
            line: 3,
            column: 5,
            message: "undefined decision `block`".into(),
            help: Some("did you mean `allow`?".into()),
            snippet: "the decision is `block`, 100%".into(),
            span: 16..23,
        }
    }

    #[test]
    fn github_escapes_percent_and_newlines() {
        let out = github(&[finding()], Summary::of(&[finding()], 1));
        assert!(out.starts_with("::error file=book/a.md,line=3,col=5,title=mdbook-cavra undefined-state::undefined decision `block`%0Ahelp: did you mean `allow`?\n"), "{out}");
    }

    #[test]
    fn summary_lines() {
        assert_eq!(
            Summary {
                errors: 0,
                warnings: 0,
                files: 1
            }
            .line(),
            "mdbook-cavra: 1 file checked, no problems"
        );
        assert_eq!(
            Summary {
                errors: 2,
                warnings: 1,
                files: 3
            }
            .line(),
            "mdbook-cavra: 3 files checked: 2 errors and 1 warning"
        );
    }

    #[test]
    fn human_output_has_location_snippet_and_help() {
        let out = anstream::adapter::strip_str(&human_one(&finding())).to_string();
        assert!(
            out.contains("error[undefined-state]: undefined decision `block`"),
            "{out}"
        );
        assert!(out.contains("book/a.md:3:17"), "{out}");
        assert!(out.contains("^^^^^^^"), "{out}");
        assert!(out.contains("help: did you mean `allow`?"), "{out}");
    }
}

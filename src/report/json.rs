//! The JSON format: one object, `{"findings": […], "summary": {…}}`, paths
//! relative to the book root.

use serde::Serialize;

use crate::diagnostic::{Applicability, Finding, Severity, Summary, Target};

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
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
}

/// A finding's fix: byte ranges of the files (paths relative to the book
/// root), as `mdbook-cavra fix` applies them.
#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    path: &'a str,
    start: usize,
    end: usize,
    replacement: &'a str,
}

fn fix_of(f: &Finding) -> Option<JsonFix<'_>> {
    let fix = f.fix.as_ref()?;
    Some(JsonFix {
        title: &fix.title,
        applicability: fix.applicability,
        edits: fix
            .edits
            .iter()
            .map(|e| JsonEdit {
                path: match e.target {
                    Target::Page => &f.at.path,
                    Target::BookToml => "book.toml",
                },
                start: e.range.start,
                end: e.range.end,
                replacement: &e.replacement,
            })
            .collect(),
    })
}

#[derive(Serialize)]
struct Report<'a> {
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
}

pub fn render(findings: &[Finding], summary: Summary) -> String {
    let findings = findings
        .iter()
        .map(|f| JsonFinding {
            rule: f.rule.id,
            severity: f.severity,
            path: &f.at.path,
            line: f.at.line,
            column: f.at.column,
            message: &f.message,
            help: f.help.as_deref(),
            notes: &f.notes,
            fix: fix_of(f),
        })
        .collect();
    let mut s = serde_json::to_string(&Report { findings, summary }).expect("findings serialize");
    s.push('\n');
    s
}

//! The JSON format: one object, `{"findings": […], "summary": {…}}`, paths
//! relative to the book root.

use serde::Serialize;

use crate::diagnostic::{Finding, Severity, Summary};

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
        })
        .collect();
    let mut s = serde_json::to_string(&Report { findings, summary }).expect("findings serialize");
    s.push('\n');
    s
}

//! GitHub workflow commands: one `::error`/`::warning` annotation per
//! finding, on the file as the repository names it.

use super::Paths;
use crate::diagnostic::{Finding, Severity, Summary};

/// Escape workflow-command data (`%`, CR, LF) and properties (also `:` `,`).
fn escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c if c.is_control() => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The annotations, then (with `summary`) the summary line.
pub fn render(findings: &[Finding], summary: Option<Summary>, paths: &Paths) -> String {
    let mut out = String::new();
    for f in findings {
        let kind = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!(
            "::{kind} file={},line={},col={},title={}::{}\n",
            escape(&paths.show(&f.at.path), true),
            f.at.line,
            f.at.column,
            escape(&format!("mdbook-cavra {}", f.rule.id), true),
            escape(&super::full_message(f), false)
        ));
    }
    if let Some(summary) = summary {
        out.push_str(&escape(&super::summary_line(&summary), false));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::finding;

    #[test]
    fn escapes_percent_newlines_and_paths() {
        let mut f = finding();
        f.at.path = "src/a\n::error file=x::INJECTED.md".into();
        let out = render(
            &[f.clone()],
            Some(Summary::of(&[f], 1)),
            &Paths::with_prefix("docs"),
        );
        assert!(out.starts_with("::error file=docs/src/a%0A%3A%3Aerror file=x%3A%3AINJECTED.md,line=3,col=17,title=mdbook-cavra undefined-state::undefined decision `block`%0Ahelp: did you mean `allow`?\n"), "{out}");
        assert_eq!(out.lines().count(), 2, "{out}");
    }
}

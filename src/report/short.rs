//! The short format: one line per finding, `path:line:col: level[rule]:
//! message`, the shape compilers print and editors' problem matchers read
//! (VS Code's `$gcc`-style matchers, Vim's `errorformat`, Emacs'
//! compilation mode). Help goes on the same line, after the message.

use super::Paths;
use crate::diagnostic::{Finding, Severity, Summary};

/// One line: newlines and other control characters in any part become
/// spaces or escapes, so a finding never spills onto a second line that a
/// matcher would misread.
pub fn line(f: &Finding, paths: &Paths) -> String {
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut text = format!(
        "{}:{}:{}: {level}[{}]: {}",
        one_line(&paths.show(&f.at.path)),
        f.at.line,
        f.at.column,
        f.rule.id,
        one_line(&f.message)
    );
    if let Some(help) = &f.help {
        text.push_str(" (help: ");
        text.push_str(&one_line(help));
        text.push(')');
    }
    text
}

fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c == '\n' || c == '\r' || c == '\t' {
            if !space && !out.is_empty() {
                out.push(' ');
            }
            space = true;
            continue;
        }
        space = c == ' ';
        if space && out.ends_with(' ') {
            continue;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.trim_end().to_string()
}

/// The lines, then (with `summary`) the summary line.
pub fn render(findings: &[Finding], summary: Option<Summary>, paths: &Paths) -> String {
    let mut out = String::new();
    for f in findings {
        out.push_str(&line(f, paths));
        out.push('\n');
    }
    if let Some(summary) = summary {
        out.push_str(&super::summary_line(&summary));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::finding;

    #[test]
    fn one_line_per_finding_in_the_compiler_shape() {
        let f = finding();
        let one = std::slice::from_ref(&f);
        let out = render(one, Some(Summary::of(one, 1)), &Paths::with_prefix("docs"));
        let mut lines = out.lines();
        assert_eq!(
            lines.next(),
            Some(
                "docs/book/a.md:3:17: error[undefined-state]: undefined decision `block` (help: did you mean `allow`?)"
            )
        );
        assert_eq!(
            lines.next(),
            Some("mdbook-cavra: 1 file checked: 1 error and 0 warnings")
        );
        assert_eq!(lines.next(), None);
    }

    #[test]
    fn control_characters_never_start_a_new_line() {
        let mut f = finding();
        f.at.path = "src/a\nb.md".into();
        f.message = "first\nsecond\r\n\u{1b}[31m".into();
        f.help = Some("write:\n\n    [preprocessor.cavra]\n".into());
        let l = line(&f, &Paths::default());
        assert!(
            !l.contains('\n') && !l.contains('\r') && !l.contains('\u{1b}'),
            "{l}"
        );
        assert!(
            l.starts_with("src/a b.md:3:17: error[undefined-state]: first second \\u{1b}[31m"),
            "{l}"
        );
        assert!(l.ends_with("(help: write: [preprocessor.cavra])"), "{l}");
    }
}

//! SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

use serde_json::json;

use super::Paths;
use crate::check::rules;
use crate::diagnostic::{Applicability, Finding, Fix, Level, Severity, Target};

/// Percent-encode a relative path for a SARIF `uri` (RFC 3986: unreserved
/// characters and `/` stay as they are).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A SARIF `fix`: one `artifactChange` per file, each edit a replacement
/// of a byte range (`byteOffset`, `byteLength`).
fn fix_json(f: &Finding, fix: &Fix, paths: &Paths) -> serde_json::Value {
    let mut changes: Vec<(String, Vec<serde_json::Value>)> = Vec::new();
    for e in &fix.edits {
        let path = match e.target {
            Target::Page => paths.show(&f.at.path),
            Target::BookToml => paths.show("book.toml"),
        };
        let replacement = json!({
            "deletedRegion": {
                "byteOffset": e.range.start,
                "byteLength": e.range.len(),
            },
            "insertedContent": { "text": e.replacement },
        });
        match changes.iter_mut().find(|(p, _)| *p == path) {
            Some((_, list)) => list.push(replacement),
            None => changes.push((path, vec![replacement])),
        }
    }
    json!({
        "description": {
            "text": format!("{} ({})", fix.title, match fix.applicability {
                Applicability::Safe => "safe: `mdbook-cavra fix` applies it",
                Applicability::Unsafe => "unsafe: `mdbook-cavra fix --unsafe` applies it",
            }),
        },
        "artifactChanges": changes
            .into_iter()
            .map(|(path, replacements)| json!({
                "artifactLocation": { "uri": uri(&path) },
                "replacements": replacements,
            }))
            .collect::<Vec<_>>(),
    })
}

pub fn render(findings: &[Finding], paths: &Paths) -> String {
    let descriptors: Vec<_> = rules::ALL
        .iter()
        .map(|r| {
            let d = &r.doc;
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": { "text": d.what },
                "fullDescription": { "text": format!("{} {}", d.what, d.why) },
                "help": {
                    "text": format!("{}\n\nFix: {}\n\nRun `mdbook-cavra explain {}` for an example.", d.why, d.fix, r.id),
                },
                "defaultConfiguration": {
                    "level": match r.default {
                        Level::Deny => "error",
                        Level::Warn => "warning",
                        Level::Allow => "none",
                    }
                }
            })
        })
        .collect();
    let results: Vec<_> = findings
        .iter()
        .map(|f| {
            let end_column = f.at.column
                + f.at
                    .snippet
                    .get(f.at.span.clone())
                    .map_or(1, |s| s.chars().count().max(1));
            let mut result = json!({
                "ruleId": f.rule.id,
                "ruleIndex": rules::ALL.iter().position(|r| r.id == f.rule.id),
                "level": match f.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": { "text": super::full_message(f) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&paths.show(&f.at.path)) },
                        "region": {
                            "startLine": f.at.line,
                            "startColumn": f.at.column,
                            "endColumn": end_column,
                        }
                    }
                }]
            });
            if let Some(fix) = &f.fix {
                result["fixes"] = json!([fix_json(f, fix, paths)]);
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "mdbook-cavra",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": descriptors,
            }},
            "columnKind": "unicodeCodePoints",
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

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("src/My Page #1.md"), "src/My%20Page%20%231.md");
        assert_eq!(uri("src/é.md"), "src/%C3%A9.md");
    }
}

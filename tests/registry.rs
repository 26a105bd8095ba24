//! The rule registry documents itself and is tested through and through:
//! every registered rule has its documentation, an `explain` text, a
//! fixture book under `tests/fixtures/rules/<id>/` that triggers it, and a
//! CLI snapshot of that fixture (`tests/cmd/rule-<id>.toml`).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use mdbook_cavra::check::rules;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_mdbook-cavra")
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn ids_are_unique_kebab_case_and_in_step_with_the_rule_list() {
    let ids: BTreeSet<&str> = rules::ALL.iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), rules::ALL.len(), "duplicate rule ids");
    assert_eq!(rules::RULES.len(), rules::ALL.len());
    for (rule, meta) in rules::RULES.iter().zip(rules::ALL) {
        assert_eq!(rule.meta().id, meta.id);
        assert!(
            meta.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{}",
            meta.id
        );
    }
}

#[test]
fn every_rule_is_documented_and_explained() {
    for r in rules::ALL {
        let d = &r.doc;
        for (field, text) in [
            ("what", d.what),
            ("why", d.why),
            ("example", d.example),
            ("fix", d.fix),
        ] {
            assert!(text.trim().len() > 10, "{}: `{field}` is empty", r.id);
        }
        let out = Command::new(bin())
            .args(["explain", r.id])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", r.id);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with(r.id), "{text}");
        for heading in ["What it finds", "Why", "Example", "Fix"] {
            assert!(text.contains(heading), "{}: no {heading}", r.id);
        }
    }
}

#[test]
fn every_rule_has_a_fixture_that_triggers_it_and_a_snapshot() {
    for r in rules::ALL {
        let fixture = root().join("tests/fixtures/rules").join(r.id);
        assert!(
            fixture.join("book.toml").is_file(),
            "no fixture book for {}",
            r.id
        );
        assert!(
            root()
                .join(format!("tests/cmd/rule-{}.toml", r.id))
                .is_file(),
            "no CLI snapshot for {}",
            r.id
        );
        let out = Command::new(bin())
            .args(["check", "--format", "json"])
            .arg(&fixture)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let triggered = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == r.id);
        assert!(triggered, "the {} fixture does not trigger it", r.id);
    }
}

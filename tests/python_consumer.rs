//! `examples/validate_states.py`, the example of CAVRA's Python code reading
//! the export, run on a good and a bad document so it stays true to the
//! export's shape. Without `python3` the test says so and passes, except in
//! CI (`CI` set), where a missing `python3` fails it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use mdbook_cavra::{canon, export};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// `python3`, or `None` (with a visible note) where it is absent outside CI.
fn python() -> Option<&'static str> {
    let found = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some("python3");
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "python3 is required in CI to run examples/validate_states.py"
    );
    eprintln!("SKIPPED: python3 is not installed; examples/validate_states.py was not run");
    None
}

fn run(python: &str, document: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let canon_json = dir.path().join("canon.json");
    std::fs::write(&canon_json, export::to_json(canon::canon())).unwrap();
    Command::new(python)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg(repo("examples/validate_states.py"))
        .arg(&canon_json)
        .arg(document)
        .output()
        .unwrap()
}

#[test]
fn a_document_with_defined_states_passes() {
    let Some(python) = python() else { return };
    let out = run(python, "examples/states/good.json");
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_document_with_undefined_states_fails_naming_each_with_a_suggestion() {
    let Some(python) = python() else { return };
    let out = run(python, "examples/states/bad.json");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "stdout:\n{stdout}");
    let doc = "examples/states/bad.json";
    for line in [
        "subscription_state: `canceled` is not a defined subscription state; did you mean `cancelled`?",
        "decision: `deny` is not a defined decision; did you mean `block`?",
        "metadata.mode: `strict_regulated` is not a defined policy mode; did you mean `strict`?",
        "supported_export_formats.1: `csv` is not a defined export format",
    ] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(doc) && l.contains(line)),
            "missing `{line}` in:\n{stdout}"
        );
    }
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
}

#[test]
fn an_export_of_another_version_is_refused() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let canon_json = dir.path().join("canon.json");
    std::fs::write(
        &canon_json,
        r#"{"schema_version": "mdbook-cavra.canon.v0"}"#,
    )
    .unwrap();
    let out = Command::new(python)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("examples/validate_states.py")
        .arg(&canon_json)
        .arg("examples/states/good.json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("schema_version"));
}

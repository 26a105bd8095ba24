//! The integrations the repository ships: the GitHub Action (`action.yml`),
//! the pre-commit hook (`.pre-commit-hooks.yaml`), and the problem matcher
//! in the README. Each is checked by the tool its users' side runs
//! (action-validator for the action, `pre-commit validate-manifest` for the
//! hook), and each one's contract with `check` is run for real: the hook's
//! entry with the files pre-commit passes, the matcher's pattern over every
//! line `--format short` prints.
//!
//! The validators come from npm and PyPI; `.ci/run` installs them. Outside
//! CI a missing validator skips its test with a message; with `CI` set it
//! fails.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_mdbook-cavra")
}

/// A validator on PATH, or `None` (a skip) outside CI.
fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "`{name}` is not on PATH; .ci/run installs it"
        );
        eprintln!("skipped: `{name}` is not on PATH (CI installs it)");
    }
    found
}

#[test]
fn the_action_is_a_valid_composite_action() {
    let Some(validator) = tool("action-validator") else {
        return;
    };
    let out = Command::new(validator)
        .arg(repo().join("action.yml"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "action-validator rejects action.yml:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The validator must be able to fail, or its success says nothing.
    let text = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("action.yml");
    std::fs::write(&broken, text.replace("using: composite", "using: compost")).unwrap();
    let out = Command::new(tool("action-validator").unwrap())
        .arg(&broken)
        .output()
        .unwrap();
    assert!(!out.status.success(), "action-validator accepts anything");
}

#[test]
fn the_action_passes_inputs_through_the_environment_only() {
    // `${{ inputs.… }}` pasted into a `run:` script is a script injection;
    // every input reaches the scripts as an environment variable.
    let text = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    let mut in_run = false;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with("run: |") || trimmed.starts_with("run:") {
            in_run = true;
            assert!(!trimmed.contains("${{"), "action.yml:{}: {line}", n + 1);
            continue;
        }
        if in_run && indent <= 6 && !trimmed.is_empty() {
            in_run = false;
        }
        if in_run {
            assert!(!line.contains("${{"), "action.yml:{}: {line}", n + 1);
        }
    }
    for input in ["book-root", "version", "args", "upload-sarif"] {
        assert!(text.contains(&format!("\n  {input}:\n")), "input `{input}`");
    }
}

#[test]
fn the_pre_commit_manifest_is_valid() {
    let Some(pre_commit) = tool("pre-commit") else {
        return;
    };
    let out = Command::new(pre_commit)
        .arg("validate-manifest")
        .arg(repo().join(".pre-commit-hooks.yaml"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The value of `key:` in the hook manifest (one hook, flat keys).
fn manifest_value(key: &str) -> String {
    let text = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).unwrap();
    text.lines()
        .find_map(|l| {
            l.trim_start_matches("- ")
                .trim()
                .strip_prefix(&format!("{key}: "))
        })
        .unwrap_or_else(|| panic!("no `{key}` in .pre-commit-hooks.yaml"))
        .to_string()
}

/// A repository with a book in `docs/` (one bad page, one clean page, an
/// orphan) and files outside any book.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    std::fs::create_dir_all(r.join("docs/src")).unwrap();
    std::fs::write(
        r.join("docs/book.toml"),
        "[book]\ntitle = \"t\"\n[preprocessor.cavra]\n",
    )
    .unwrap();
    std::fs::write(
        r.join("docs/src/SUMMARY.md"),
        "# Summary\n\n- [Bad](bad.md)\n- [Good](good.md)\n",
    )
    .unwrap();
    std::fs::write(
        r.join("docs/src/bad.md"),
        "# Bad\n\nThe subscription state is `canceled`.\n\nSee the Community Edition.\n",
    )
    .unwrap();
    std::fs::write(r.join("docs/src/good.md"), "# Good\n\nNothing to see.\n").unwrap();
    std::fs::write(r.join("docs/src/orphan.md"), "# Orphan\n").unwrap();
    std::fs::write(
        r.join("README.md"),
        "The subscription state is `canceled`.\n",
    )
    .unwrap();
    dir
}

#[test]
fn the_hook_entry_checks_only_the_files_pre_commit_passes() {
    let files_pattern = regex::Regex::new(&manifest_value("files")).unwrap();
    let entry = manifest_value("entry");
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("mdbook-cavra"));
    let args: Vec<&str> = words.collect();
    let repo = repository();
    let changed = [
        "docs/src/bad.md",
        "docs/src/good.md",
        "README.md",
        "docs/book.toml",
        "src/main.rs",
    ];
    let passed: Vec<&str> = changed
        .iter()
        .copied()
        .filter(|f| files_pattern.is_match(f))
        .collect();
    assert_eq!(
        passed,
        [
            "docs/src/bad.md",
            "docs/src/good.md",
            "README.md",
            "docs/book.toml"
        ]
    );
    // Pages only: the book's own findings for exactly those files.
    let run = |files: &[&str]| {
        Command::new(bin())
            .args(&args)
            .args(files)
            .current_dir(repo.path())
            .output()
            .unwrap()
    };
    let out = run(&passed[..3]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    let lines: Vec<&str> = text.lines().filter(|l| l.contains(": error[")).collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines.iter().all(|l| l.starts_with("docs/src/bad.md:")),
        "{text}"
    );
    assert!(
        !text.contains("README.md") && !text.contains("orphan"),
        "{text}"
    );
    // With book.toml among them, the whole book: the orphan warning too.
    let out = run(&passed);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("docs/src/orphan.md:1:1: warning[orphan-page]"),
        "{text}"
    );
    // A clean page alone passes; a file in no book is skipped.
    assert_eq!(run(&["docs/src/good.md"]).status.code(), Some(0));
    assert_eq!(run(&["README.md"]).status.code(), Some(0));
}

/// The `regexp` of the problem matcher in the README, as VS Code reads it.
fn readme_matcher() -> regex::Regex {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.trim_start().starts_with("\"regexp\":"))
        .expect("a problem matcher in the README");
    let json: serde_json::Value =
        serde_json::from_str(&format!("{{{}}}", line.trim().trim_end_matches(','))).unwrap();
    regex::Regex::new(json["regexp"].as_str().unwrap()).unwrap()
}

#[test]
fn the_readme_problem_matcher_reads_every_short_line() {
    let matcher = readme_matcher();
    let root = repo().join("tests/fixtures/dirty");
    let run = |format: &str| {
        Command::new(bin())
            .args(["check", ".", "--quiet", "--format", format])
            .current_dir(&root)
            .output()
            .unwrap()
    };
    let short = String::from_utf8(run("short").stdout).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&run("json").stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert!(findings.len() >= 5, "{json}");
    let lines: Vec<&str> = short.lines().collect();
    assert_eq!(lines.len(), findings.len(), "{short}");
    let mut rules = std::collections::BTreeSet::new();
    for (line, f) in lines.iter().zip(findings) {
        let c = matcher
            .captures(line)
            .unwrap_or_else(|| panic!("the matcher misses: {line}"));
        assert_eq!(&c[1], f["path"].as_str().unwrap(), "{line}");
        assert_eq!(c[2].parse::<u64>().unwrap(), f["line"].as_u64().unwrap());
        assert_eq!(c[3].parse::<u64>().unwrap(), f["column"].as_u64().unwrap());
        assert_eq!(&c[4], f["severity"].as_str().unwrap());
        assert_eq!(&c[5], f["rule"].as_str().unwrap());
        assert!(c[6].starts_with(f["message"].as_str().unwrap()), "{line}");
        rules.insert(c[5].to_string());
    }
    assert!(rules.len() >= 4, "{rules:?}");
}

#[test]
fn quiet_and_deny_warnings() {
    let repo = repository();
    let run = |args: &[&str]| {
        Command::new(bin())
            .args(args)
            .current_dir(repo.path())
            .output()
            .unwrap()
    };
    // Quiet: the findings, and neither the fixable count nor the summary.
    let out = run(&["check", "docs", "--quiet"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("error[undefined-state]"), "{text}");
    assert!(
        !text.contains("fixable") && !text.contains("checked"),
        "{text}"
    );
    std::fs::write(repo.path().join("docs/src/bad.md"), "# Bad\n\nFine.\n").unwrap();
    // Only the orphan warning is left.
    let out = run(&["check", "docs", "--format", "short"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("warning[orphan-page]") && text.contains("checked"),
        "{text}"
    );
    let out = run(&["check", "docs", "--format", "short", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1));
    std::fs::remove_file(repo.path().join("docs/src/orphan.md")).unwrap();
    for format in ["human", "short", "github"] {
        let out = run(&["check", "docs", "--quiet", "--format", format]);
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert!(out.stdout.is_empty(), "{format}: {:?}", out.stdout);
    }
}

#[test]
fn color_always_and_never_win_over_the_environment() {
    let repo = repository();
    let run = |color: &str, no_color: bool| {
        let mut c = Command::new(bin());
        c.args(["check", "docs", "--color", color])
            .current_dir(repo.path());
        if no_color {
            c.env("NO_COLOR", "1");
        } else {
            c.env_remove("NO_COLOR");
        }
        c.env_remove("CLICOLOR_FORCE");
        String::from_utf8(c.output().unwrap().stdout).unwrap()
    };
    let styled = |s: &str| s.contains("\u{1b}[");
    assert!(styled(&run("always", true)));
    assert!(styled(&run("always", false)));
    assert!(!styled(&run("never", false)));
    // Not a terminal: `auto` does not colour.
    assert!(!styled(&run("auto", false)));
}

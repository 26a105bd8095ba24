//! `mdbook-cavra fix`: the edits findings carry, applied.
//!
//! - The issue's book (a misspelled state in a field, a drifted state list,
//!   an unused suppression): `--diff` shows the three changes and writes
//!   nothing; `fix` leaves `check` clean, keeps every other byte, and a
//!   second run changes nothing.
//! - Every rule of the registry whose trigger (its `explain` example, or a
//!   page of its fixture book, as `tests/scale.rs` takes them) gets a fix:
//!   fixing that rule alone removes its findings, makes no new finding and
//!   changes no byte outside the edits, on LF, CRLF and BOM pages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use mdbook_cavra::check::rules;
use mdbook_cavra::diagnostic::Target;
use mdbook_cavra::fix;
use mdbook_cavra::session::{Session, Source};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_mdbook-cavra")
}

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("MDBOOK_PREPROCESSOR__CAVRA__RULES")
        .output()
        .expect("mdbook-cavra runs")
}

const CONFIGURED: &str = "[book]\ntitle = \"Fix\"\n\n[preprocessor.cavra]\nbefore = [\"links\"]\n";
const PLAIN: &str = "[book]\ntitle = \"Fix\"\n";

/// A book of one chapter `a.md` holding `page`.
fn book(dir: &Path, toml: &str, page: &str) -> PathBuf {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("book.toml"), toml).unwrap();
    std::fs::write(dir.join("src/SUMMARY.md"), "# Summary\n\n- [A](a.md)\n").unwrap();
    std::fs::write(dir.join("src/a.md"), page).unwrap();
    dir.to_path_buf()
}

const ISSUE_PAGE: &str = "# Billing\n\nThe event carries the state:\n\n```json\n{ \"subscription_state\": \"canceled\" }\n```\n\nSubscription states:\n\n- `trial`\n- `active`\n- `past_due`\n- `canceled`\n\n<!-- cavra-allow: orphan-page -->\nA paragraph with nothing to hide.\n";

const ISSUE_FIXED: &str = "# Billing\n\nThe event carries the state:\n\n```json\n{ \"subscription_state\": \"cancelled\" }\n```\n\nSubscription states:\n\n{{#cavra-states subscription}}\n\nA paragraph with nothing to hide.\n";

#[test]
fn the_issue_book_is_fixed_byte_for_byte_and_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = book(dir.path(), CONFIGURED, ISSUE_PAGE);
    let before = run(&["check", "."], &root);
    let report = String::from_utf8_lossy(&before.stdout);
    assert_eq!(before.status.code(), Some(1), "{report}");
    for rule in ["undefined-state", "state-list-drift", "unused-suppression"] {
        assert!(report.contains(&format!("[{rule}]")), "{rule}: {report}");
    }
    assert!(
        report.contains("can repair this") && report.contains("fixable with `mdbook-cavra fix`"),
        "{report}"
    );

    // --diff: three hunks, nothing written, the exit code of what is left.
    let diff = run(&["fix", "--diff", "."], &root);
    let text = String::from_utf8_lossy(&diff.stdout);
    assert_eq!(diff.status.code(), Some(0), "{text}");
    assert!(
        text.starts_with("--- a/src/a.md\n+++ b/src/a.md\n"),
        "{text}"
    );
    for change in [
        "-{ \"subscription_state\": \"canceled\" }",
        "+{ \"subscription_state\": \"cancelled\" }",
        "-- `trial`",
        "+{{#cavra-states subscription}}",
        "-<!-- cavra-allow: orphan-page -->",
    ] {
        assert!(
            text.lines().any(|l| l == change || l.starts_with(change)),
            "{change}\n{text}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(root.join("src/a.md")).unwrap(),
        ISSUE_PAGE
    );

    // fix: the page becomes exactly the fixed text; check is clean.
    let fixed = run(&["fix", "."], &root);
    assert_eq!(
        fixed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fixed.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(root.join("src/a.md")).unwrap(),
        ISSUE_FIXED
    );
    assert_eq!(
        std::fs::read_to_string(root.join("book.toml")).unwrap(),
        CONFIGURED
    );
    let after = run(&["check", "."], &root);
    assert_eq!(
        after.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&after.stdout)
    );

    // A second run: nothing to fix, nothing written.
    let mtime = std::fs::metadata(root.join("src/a.md"))
        .unwrap()
        .modified()
        .unwrap();
    let again = run(&["fix", "."], &root);
    assert_eq!(again.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing to fix"));
    assert_eq!(
        std::fs::read_to_string(root.join("src/a.md")).unwrap(),
        ISSUE_FIXED
    );
    assert_eq!(
        std::fs::metadata(root.join("src/a.md"))
            .unwrap()
            .modified()
            .unwrap(),
        mtime
    );
}

/// JSON carries each finding's fix; SARIF its `fixes`.
#[test]
fn json_and_sarif_carry_the_fixes() {
    let dir = tempfile::tempdir().unwrap();
    let root = book(dir.path(), CONFIGURED, ISSUE_PAGE);
    let json = run(&["check", ".", "--format", "json"], &root);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let field = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "undefined-state")
        .unwrap();
    let edit = &field["fix"]["edits"][0];
    assert_eq!(field["fix"]["applicability"], "safe");
    assert_eq!(edit["path"], "src/a.md");
    let (start, end) = (
        edit["start"].as_u64().unwrap() as usize,
        edit["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&ISSUE_PAGE[start..end], "canceled");
    assert_eq!(edit["replacement"], "cancelled");
    let sarif = run(&["check", ".", "--format", "sarif"], &root);
    let v: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let with_fixes = results.iter().filter(|r| r.get("fixes").is_some()).count();
    // The field, the list (whose misspelled entry is one of its notes, not
    // a finding of its own), the suppression.
    assert_eq!(with_fixes, 3, "{results:#?}");
    let r = &results
        .iter()
        .find(|r| r["ruleId"] == "undefined-state")
        .unwrap()["fixes"][0]["artifactChanges"][0];
    assert_eq!(
        r["artifactLocation"]["uri"],
        "./src/a.md".trim_start_matches("./")
    );
    assert_eq!(r["replacements"][0]["deletedRegion"]["byteOffset"], start);
    assert_eq!(r["replacements"][0]["insertedContent"]["text"], "cancelled");
}

/// `fix` adds `[preprocessor.cavra]` to a book that uses directives without
/// it, keeping the rest of book.toml as written.
#[test]
fn a_missing_preprocessor_table_is_added_to_book_toml() {
    let dir = tempfile::tempdir().unwrap();
    let toml = "# my book\n[book]\ntitle = \"Fix\"   # the title\n";
    let root = book(dir.path(), toml, "# A\n\n{{#cavra-states decision}}\n");
    assert_eq!(run(&["check", "."], &root).status.code(), Some(1));
    let out = run(&["fix", "--rule", "unknown-directive", "."], &root);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let now = std::fs::read_to_string(root.join("book.toml")).unwrap();
    assert_eq!(
        now,
        format!("{toml}\n[preprocessor.cavra]\nbefore = [\"links\"]\n")
    );
    assert_eq!(run(&["check", "."], &root).status.code(), Some(0));
}

#[test]
fn an_unknown_rule_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = book(dir.path(), CONFIGURED, ISSUE_PAGE);
    let out = run(&["fix", "--rule", "undefined-stat", "."], &root);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown rule `undefined-stat`") && err.contains("undefined-state"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("src/a.md")).unwrap(),
        ISSUE_PAGE
    );
}

/// A page reached through a symbolic link that leaves the book is not
/// written, whatever its findings.
#[cfg(unix)]
#[test]
fn a_page_outside_the_book_is_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("b.md"), ISSUE_PAGE).unwrap();
    let root = book(dir.path(), CONFIGURED, "# A\n");
    std::os::unix::fs::symlink(outside.path().join("b.md"), root.join("src/b.md")).unwrap();
    std::fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n- [A](a.md)\n- [B](b.md)\n",
    )
    .unwrap();
    let _ = run(&["fix", "."], &root);
    assert_eq!(
        std::fs::read_to_string(outside.path().join("b.md")).unwrap(),
        ISSUE_PAGE
    );
}

// ------------------------------------------------------- every rule's fix

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every rule's trigger texts: its example, and the pages of its fixture book.
fn triggers(id: &str, example: &str) -> Vec<(String, String)> {
    let mut out = vec![(format!("{id} (example)"), example.to_string())];
    let dir = fixtures().join("rules").join(id).join("src");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    pages.sort();
    for p in pages {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name == "SUMMARY.md" || !name.ends_with(".md") {
            continue;
        }
        if let Ok(text) = std::fs::read_to_string(&p) {
            out.push((format!("{id} (fixture {name})"), text));
        }
    }
    out
}

fn findings(root: &Path) -> Vec<(String, String, Option<mdbook_cavra::diagnostic::Fix>)> {
    Session::load(root)
        .unwrap()
        .run(Source::Disk)
        .unwrap()
        .findings
        .into_iter()
        .map(|f| (f.rule.id.to_string(), f.message, f.fix))
        .collect()
}

/// For every rule and every trigger of it that carries a fix, in three
/// encodings of the page and with and without `[preprocessor.cavra]`:
/// `fix --rule RULE --unsafe` removes the rule's fixable findings, adds no
/// finding of that rule, and leaves every byte outside the first round's edits as it was.
#[test]
fn every_rules_fix_removes_its_finding_and_touches_nothing_else() {
    let mut fixable: Vec<&str> = Vec::new();
    let mut cases = 0;
    for meta in rules::ALL {
        for (what, text) in triggers(meta.id, meta.doc.example) {
            let text = text.replace("\r\n", "\n");
            let encodings = [
                ("lf", text.clone()),
                ("crlf", text.replace('\n', "\r\n")),
                ("bom", format!("\u{feff}{text}")),
            ];
            for (enc, page) in encodings {
                for toml in [CONFIGURED, PLAIN] {
                    let dir = tempfile::tempdir().unwrap();
                    let root = book(dir.path(), toml, &page);
                    let before = findings(&root);
                    let with_fix: Vec<_> = before
                        .iter()
                        .filter(|(r, _, f)| r == meta.id && f.is_some())
                        .collect();
                    if with_fix.is_empty() {
                        continue;
                    }
                    cases += 1;
                    if !fixable.contains(&meta.id) {
                        fixable.push(meta.id);
                    }
                    let case = format!(
                        "{what}, {enc}, {}",
                        if toml == PLAIN { "plain" } else { "configured" }
                    );
                    let options = fix::Options {
                        rules: vec![meta.id.to_string()],
                        unsafe_fixes: true,
                    };
                    let fixed = fix::plan(&root, &options).unwrap();
                    fix::apply(&root, &fixed).unwrap();
                    assert!(fixed.applied > 0, "{case}: nothing applied");
                    let after = findings(&root);
                    // The rule's fixable findings are gone.
                    let left: Vec<_> = after
                        .iter()
                        .filter(|(r, _, f)| r == meta.id && f.is_some())
                        .collect();
                    assert!(
                        left.is_empty(),
                        "{case}: left {left:#?}\n{:#?}",
                        fixed.changed
                    );
                    // No new finding of the rule. (A corrected term may
                    // show another rule's finding: a list the misspelling
                    // hid becomes a vocabulary's list, and may have drifted.)
                    for (r, m, _) in after.iter().filter(|(r, _, _)| r == meta.id) {
                        assert!(
                            before.iter().any(|(br, bm, _)| br == r && bm == m),
                            "{case}: new finding {r}: {m}\n{:#?}",
                            fixed.changed
                        );
                    }
                    // Bytes outside the edits: the first fix of the first
                    // round, applied alone, is a prefix and a suffix kept.
                    let first = &with_fix[0].2.as_ref().unwrap().edits[0];
                    let file = match first.target {
                        Target::Page => "src/a.md",
                        Target::BookToml => "book.toml",
                    };
                    let old = if file == "book.toml" {
                        toml.to_string()
                    } else {
                        page.clone()
                    };
                    let new = std::fs::read_to_string(root.join(file)).unwrap();
                    assert!(
                        new.starts_with(&old[..first.range.start]),
                        "{case}: the bytes before the edit changed\n{new}"
                    );
                    let tail = &old[fixed
                        .changed
                        .iter()
                        .filter(|c| c.path == file)
                        .map(|_| last_edit_end(&old, &new))
                        .next()
                        .unwrap_or(old.len())..];
                    assert!(
                        new.ends_with(tail),
                        "{case}: the bytes after the edits changed"
                    );
                    if enc == "bom" && file == "src/a.md" {
                        assert!(new.starts_with('\u{feff}'), "{case}: the BOM is gone");
                    }
                    if enc == "crlf" && file == "src/a.md" {
                        let lone = new
                            .match_indices('\n')
                            .any(|(i, _)| !new[..i].ends_with('\r'));
                        assert!(!lone, "{case}: a line ending changed\n{new:?}");
                    }
                    // A second run finds nothing more to do for the rule.
                    let again = fix::plan(&root, &options).unwrap();
                    assert!(
                        again.changed.is_empty(),
                        "{case}: a second run changes {:#?}",
                        again.changed
                    );
                }
            }
        }
    }
    for id in [
        "undefined-state",
        "state-list-drift",
        "retired-term",
        "unused-suppression",
        "unknown-directive",
    ] {
        assert!(
            fixable.contains(&id),
            "{id} offers no fix on its triggers ({fixable:?})"
        );
    }
    assert!(cases >= 10, "{cases} cases");
}

/// Where the common suffix of `old` and `new` starts in `old`.
fn last_edit_end(old: &str, new: &str) -> usize {
    let common = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    old.len() - common
}

/// A comment that still hides something loses only its unused name; one
/// that shares its line with text loses only itself.
#[test]
fn suppressions_lose_only_what_is_unused() {
    let dir = tempfile::tempdir().unwrap();
    let page = "# A\n\n<!-- cavra-allow: orphan-page, undefined-state -->\nWhen the decision is `deny`, stop.\n\nText <!-- cavra-allow: retired-term --> and more.\n";
    let root = book(dir.path(), CONFIGURED, page);
    let out = run(&["fix", "."], &root);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(root.join("src/a.md")).unwrap(),
        "# A\n\n<!-- cavra-allow: undefined-state -->\nWhen the decision is `deny`, stop.\n\nText and more.\n"
    );
    assert_eq!(run(&["check", "."], &root).status.code(), Some(0));
}

/// Unsafe fixes wait for `--unsafe`; `--rule` keeps to its rules.
#[test]
fn unsafe_fixes_and_rules_are_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let page = "# Billing And Subscription Boundary\n\nThis repository must not contain:\n\n- billing provider source code\n- payment provider credentials\n\nSSO was in the Community Edition.\n";
    let root = book(dir.path(), CONFIGURED, page);
    let before = run(&["check", "."], &root);
    let report = String::from_utf8_lossy(&before.stdout);
    assert!(report.contains("[boundary-list-incomplete]"), "{report}");
    let out = run(&["fix", "--rule", "boundary-list-incomplete", "."], &root);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(root.join("src/a.md")).unwrap(),
        page
    );
    let out = run(
        &["fix", "--rule", "boundary-list-incomplete", "--unsafe", "."],
        &root,
    );
    let now = std::fs::read_to_string(root.join("src/a.md")).unwrap();
    assert!(now.contains("{{#cavra-boundary "), "{now}\n{out:?}");
    assert!(
        now.contains("Community Edition"),
        "--rule fixed another rule: {now}"
    );
}

/// The guarded writer replaces a page only when it still holds what the
/// fixes were worked out from, and keeps its permissions.
#[cfg(unix)]
#[test]
fn pages_are_replaced_only_as_read_and_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = book(dir.path(), CONFIGURED, ISSUE_PAGE);
    let page = root.join("src/a.md");
    std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o600)).unwrap();
    let fixed = fix::plan(&root, &fix::Options::default()).unwrap();
    assert_eq!(fixed.changed.len(), 1);
    // An editor saved meanwhile: refused, the editor's text kept.
    std::fs::write(&page, "# Saved meanwhile\n").unwrap();
    let err = fix::apply(&root, &fixed).unwrap_err().to_string();
    assert!(err.contains("changed while"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&page).unwrap(),
        "# Saved meanwhile\n"
    );
    // As read: written, mode kept.
    std::fs::write(&page, ISSUE_PAGE).unwrap();
    fix::apply(&root, &fixed).unwrap();
    assert_eq!(std::fs::read_to_string(&page).unwrap(), ISSUE_FIXED);
    let mode = std::fs::metadata(&page).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // No temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(root.join("src"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

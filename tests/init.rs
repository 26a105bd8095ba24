//! `mdbook-cavra init`: a plain `mdbook init` book set up, twice; the CI
//! workflow and the pre-commit hook written once and never over a file
//! that is not theirs.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mdbook-cavra"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("mdbook-cavra runs")
}

/// The files `mdbook init` writes.
const BOOK_TOML: &str =
    "[book]\nauthors = []\nlanguage = \"en\"\nsrc = \"src\"\ntitle = \"My Book\"\n";

fn mdbook_init(dir: &Path) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("book.toml"), BOOK_TOML).unwrap();
    std::fs::write(
        dir.join("src/SUMMARY.md"),
        "# Summary\n\n- [Chapter 1](./chapter_1.md)\n",
    )
    .unwrap();
    std::fs::write(dir.join("src/chapter_1.md"), "# Chapter 1\n").unwrap();
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn init_sets_up_a_plain_book_and_the_second_run_does_nothing() {
    let dir = tempfile::tempdir().unwrap();
    mdbook_init(dir.path());
    let first = run(&["init", "."], dir.path());
    assert_eq!(first.status.code(), Some(0), "{:?}", first);
    assert!(
        stdout(&first).contains("added [preprocessor.cavra]"),
        "{}",
        stdout(&first)
    );
    let toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    assert_eq!(
        toml,
        format!("{BOOK_TOML}\n[preprocessor.cavra]\nbefore = [\"links\"]\n")
    );
    // The book now checks and builds its directives.
    std::fs::write(
        dir.path().join("src/chapter_1.md"),
        "# Chapter 1\n\n{{#cavra-states decision}}\n",
    )
    .unwrap();
    let check = run(&["check", "."], dir.path());
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let mtime = std::fs::metadata(dir.path().join("book.toml"))
        .unwrap()
        .modified()
        .unwrap();
    let second = run(&["init", "."], dir.path());
    assert_eq!(second.status.code(), Some(0));
    assert!(
        stdout(&second).contains("nothing to do"),
        "{}",
        stdout(&second)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("book.toml")).unwrap(),
        toml
    );
    assert_eq!(
        std::fs::metadata(dir.path().join("book.toml"))
            .unwrap()
            .modified()
            .unwrap(),
        mtime
    );
}

#[test]
fn ci_and_pre_commit_files_are_written_once_and_never_over_others() {
    let dir = tempfile::tempdir().unwrap();
    mdbook_init(dir.path());
    let first = run(&["init", ".", "--ci", "github", "--pre-commit"], dir.path());
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    let workflow = std::fs::read_to_string(dir.path().join(".github/workflows/docs.yml")).unwrap();
    for needed in [
        "cargo install --locked mdbook-cavra",
        "actions/cache@",
        "mdbook-cavra check . --format github",
        "--format sarif",
        "github/codeql-action/upload-sarif@",
        "security-events: write",
    ] {
        assert!(workflow.contains(needed), "{needed}\n{workflow}");
    }
    let hook = std::fs::read_to_string(dir.path().join(".pre-commit-config.yaml")).unwrap();
    assert!(
        hook.contains("entry: mdbook-cavra check") && hook.contains("book"),
        "{hook}"
    );
    // Twice: nothing to do.
    let second = run(&["init", ".", "--ci", "github", "--pre-commit"], dir.path());
    assert_eq!(second.status.code(), Some(0));
    assert!(
        stdout(&second).contains("nothing to do"),
        "{}",
        stdout(&second)
    );
    // Someone else's workflow is never replaced.
    let theirs = "name: docs\non: push\n";
    std::fs::write(dir.path().join(".github/workflows/docs.yml"), theirs).unwrap();
    let refused = run(&["init", ".", "--ci", "github"], dir.path());
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("refusing to write") && err.contains("docs.yml"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".github/workflows/docs.yml")).unwrap(),
        theirs
    );
}

#[test]
fn a_folder_without_book_toml_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["init", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("book.toml") && err.contains("mdbook init"),
        "{err}"
    );
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

/// A `.github` that is a symbolic link out of the book is not written through.
#[cfg(unix)]
#[test]
fn a_link_out_of_the_book_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    mdbook_init(dir.path());
    std::os::unix::fs::symlink(outside.path(), dir.path().join(".github")).unwrap();
    let out = run(&["init", ".", "--ci", "github"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(std::fs::read_dir(outside.path()).unwrap().next().is_none());
}

/// A book in `docs/` of a repository: the workflow and the hook go where
/// GitHub and pre-commit read them (the repository root), and they check
/// `docs`. The workflow is a valid GitHub workflow (action-validator, which
/// `.ci/run` installs; outside CI a missing validator skips that part).
#[test]
fn a_book_in_a_subfolder_gets_its_files_at_the_repository_root() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    mdbook_init(&repo.join("docs"));
    let out = run(&["init", "docs", "--ci", "github", "--pre-commit"], repo);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        !repo.join("docs/.github").exists() && !repo.join("docs/.pre-commit-config.yaml").exists()
    );
    let workflow = repo.join(".github/workflows/docs.yml");
    let text = std::fs::read_to_string(&workflow).unwrap();
    assert!(
        text.contains("mdbook-cavra check docs --format github"),
        "{text}"
    );
    let hook = std::fs::read_to_string(repo.join(".pre-commit-config.yaml")).unwrap();
    assert!(hook.contains("entry: mdbook-cavra check docs"), "{hook}");
    // From inside the book folder, the same files are found up to date.
    let again = run(
        &["init", ".", "--ci", "github", "--pre-commit"],
        &repo.join("docs"),
    );
    assert!(
        stdout(&again).contains("nothing to do"),
        "{}",
        stdout(&again)
    );
    let validator = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("action-validator"))
            .find(|p| p.is_file())
    });
    let Some(validator) = validator else {
        assert!(
            std::env::var_os("CI").is_none(),
            "action-validator is missing in CI"
        );
        eprintln!("skipped: action-validator is not on PATH");
        return;
    };
    let checked = Command::new(validator).arg(&workflow).output().unwrap();
    assert!(checked.status.success(), "{checked:?}");
}

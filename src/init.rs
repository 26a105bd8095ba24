//! `mdbook-cavra init`: set a book up to use this preprocessor, and
//! optionally its CI gate and a pre-commit hook.
//!
//! Every write goes through the guarded writer: `book.toml` is edited in
//! place (format-preserving, [`book_toml::with_preprocessor`]), the other
//! files are only ever created, never replaced ([`write::create_in_book`]).
//! A second run finds everything in place and writes nothing.

use std::path::Path;

use crate::check::facts::book_toml::{self, Added};
use crate::error::Error;
use crate::write::{self, Created};

/// Where `--ci github` writes its workflow, from the repository root.
pub const WORKFLOW: &str = ".github/workflows/docs.yml";
/// Where `--pre-commit` writes its configuration, from the repository root.
pub const PRE_COMMIT: &str = ".pre-commit-config.yaml";

/// The repository the book is in: the nearest folder at or above the book
/// root that holds `.git` (GitHub and pre-commit read their files there
/// only), or the book root when there is none; and the book's path from
/// it (`docs`, or `.`).
pub fn repository(root: &Path) -> (std::path::PathBuf, String) {
    let real = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let repo = real
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map_or_else(|| real.clone(), Path::to_path_buf);
    let book = match real.strip_prefix(&repo) {
        Ok(rel) if !rel.as_os_str().is_empty() => crate::paths::normalize_path(rel),
        _ => ".".to_string(),
    };
    (repo, book)
}

/// What to set up besides `book.toml`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub ci_github: bool,
    pub pre_commit: bool,
}

/// What `init` did: one line per file, and whether anything was written.
#[derive(Debug, Default)]
pub struct Report {
    pub lines: Vec<String>,
    pub changed: bool,
}

/// Set up the book at `root`.
pub fn run(root: &Path, options: Options) -> Result<Report, Error> {
    let toml = root.join("book.toml");
    let text = std::fs::read_to_string(&toml).map_err(|e| {
        Error::input_with_help(
            format!("cannot read {}: {e}", toml.display()),
            "run init in an mdBook's root folder (the one with book.toml), or pass its path; `mdbook init` makes a new book",
        )
    })?;
    let mut report = Report::default();
    match book_toml::with_preprocessor(&text).map_err(|why| {
        Error::input_with_help(
            format!(
                "cannot add [preprocessor.cavra] to {}: {why}",
                toml.display()
            ),
            format!("add these lines to it by hand:\n\n{}", book_toml::TABLE),
        )
    })? {
        Added::Present => report.lines.push(format!(
            "{}: [preprocessor.cavra] is there already",
            toml.display()
        )),
        Added::Changed(new) => {
            write::replace_in_book(root, "book.toml", text.as_bytes(), new.as_bytes())?;
            report.changed = true;
            report.lines.push(format!(
                "{}: added [preprocessor.cavra] with before = [\"links\"] (mdBook now runs mdbook-cavra on every build)",
                toml.display()
            ));
        }
    }
    let (repo, book) = repository(root);
    let mut create = |rel: &str, text: &str, what: &str| -> Result<(), Error> {
        let shown = repo.join(rel);
        match write::create_in_book(&repo, rel, text.as_bytes())? {
            Created::Written => {
                report.changed = true;
                report
                    .lines
                    .push(format!("{}: wrote {what}", shown.display()));
            }
            Created::Unchanged => report
                .lines
                .push(format!("{}: up to date", shown.display())),
        }
        Ok(())
    };
    if options.ci_github {
        create(
            WORKFLOW,
            &workflow(&book),
            "a GitHub Actions workflow that checks the book on every push and pull request",
        )?;
    }
    if options.pre_commit {
        create(
            PRE_COMMIT,
            &pre_commit_config(&book),
            "a pre-commit hook that checks the book when Markdown or book.toml changes",
        )?;
    }
    if !report.changed {
        report.lines.push("mdbook-cavra: nothing to do".to_string());
    }
    Ok(report)
}

/// The workflow `--ci github` writes: install this version (cached),
/// annotations on the pull request, SARIF for code scanning.
/// `book` is the book's folder from the repository root (`.` or `docs`).
pub fn workflow(book: &str) -> String {
    WORKFLOW_TEMPLATE
        .replace("{VERSION}", env!("CARGO_PKG_VERSION"))
        .replace("{BOOK}", &quoted(book))
}

/// The pre-commit configuration for the book at `book` (from the
/// repository root).
pub fn pre_commit_config(book: &str) -> String {
    PRE_COMMIT_CONFIG.replace("{BOOK}", &quoted(book))
}

/// A path as one shell word: quoted when it holds anything but plain
/// path characters.
fn quoted(path: &str) -> String {
    if path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
    {
        path.to_string()
    } else {
        format!("'{}'", path.replace('\'', "'\\''"))
    }
}

const WORKFLOW_TEMPLATE: &str = r#"# Written by `mdbook-cavra init --ci github`: checks the book against the
# CAVRA canon on every push and pull request.
name: docs
on: [push, pull_request]
permissions:
  contents: read
  security-events: write # to upload SARIF to code scanning
jobs:
  cavra:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: cache
        uses: actions/cache@v4
        with:
          path: ~/.cargo/bin/mdbook-cavra
          key: mdbook-cavra-{VERSION}-${{ runner.os }}
      - if: steps.cache.outputs.cache-hit != 'true'
        run: cargo install --locked mdbook-cavra --version {VERSION}
      # Annotations on the pull request's changed lines.
      - run: mdbook-cavra check {BOOK} --format github
      # The same findings in the Security tab, even when the step above fails.
      - if: always()
        run: mdbook-cavra check {BOOK} --format sarif > cavra.sarif || true
      - if: always()
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: cavra.sarif
"#;

/// The pre-commit configuration `--pre-commit` writes: a local hook that
/// runs the installed `mdbook-cavra` on the whole book.
const PRE_COMMIT_CONFIG: &str = r#"# Written by `mdbook-cavra init --pre-commit`: checks the book against the
# CAVRA canon before each commit that changes Markdown or book.toml.
repos:
  - repo: local
    hooks:
      - id: mdbook-cavra
        name: mdbook-cavra check
        entry: mdbook-cavra check {BOOK}
        language: system
        files: '(\.md|(^|/)book\.toml)$'
        pass_filenames: false
"#;

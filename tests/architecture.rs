//! The imports of `src/` show data flowing one way (canon → facts → rules
//! → sink → report, with the session and the fronts on top): no module
//! names a module of a later layer. The layers are the ones `src/lib.rs`
//! documents.

use std::path::Path;

/// The layer of a module path (`check::facts`, `report`, …).
fn layer(module: &str) -> u32 {
    let mut parts = module.split("::");
    let first = parts.next().unwrap_or("");
    match first {
        "automaton" | "canon" | "model" | "error" | "paths" | "secrets" | "suggest" | "text"
        | "memo" | "write" => 0,
        "directive" | "markdown" | "render" | "expand" => 10,
        "diagnostic" => 20,
        "check" => match parts.next() {
            Some("facts") => 30,
            _ => 35,
        },
        "config" | "report" => 40,
        "annotate" => 45,
        "session" => 50,
        "build" | "cli" | "coverage" | "export" | "fix" | "init" | "lsp" | "preprocessor"
        | "preview" => 60,
        other => {
            panic!("module `{other}` has no layer: add it to tests/architecture.rs and src/lib.rs")
        }
    }
}

/// The module a source file belongs to, e.g. `src/check/facts/lists.rs` →
/// `check::facts`.
fn module_of(file: &Path, src: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts.join("::")
}

/// Every `crate::a::b` a file names, as `a::b`.
fn crate_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + 7..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(after.len());
        out.push(after[..end].trim_end_matches(':').to_string());
        rest = &after[end..];
    }
    out
}

#[test]
fn no_module_depends_on_a_later_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    let mut files = 0;
    for e in walkdir::WalkDir::new(&src) {
        let e = e.unwrap();
        let path = e.path();
        if path.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let module = module_of(path, &src);
        if module == "lib" || module == "main" {
            continue; // the crate root and the binary sit above everything
        }
        files += 1;
        let text = std::fs::read_to_string(path).unwrap();
        let own = layer(&module);
        for target in crate_paths(&text) {
            // `crate::canon::canon()` inside a doc comment counts too: docs
            // that point up the stack are a smell of the same kind.
            if target.is_empty() {
                continue;
            }
            if layer(&target) > own {
                violations.push(format!("{module} (layer {own}) uses crate::{target}"));
            }
        }
    }
    assert!(files > 30, "walked {files} files");
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn the_layer_map_sees_submodules() {
    assert_eq!(layer("check::facts::lists"), 30);
    assert_eq!(layer("check::rules::orphan_page"), 35);
    assert!(layer("session") > layer("check::rules"));
    assert_eq!(
        crate_paths("use crate::check::facts::{A, B};"),
        ["check::facts"]
    );
}

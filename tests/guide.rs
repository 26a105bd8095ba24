//! The CAVRA guide in `book/` is single-sourced: no page carries a
//! hand-written copy of a canonical list, every chapter of the issue is
//! there in order, and the docs gate passes with orphan pages denied.

use std::path::Path;

use mdbook_cavra::canon::canon;
use mdbook_cavra::check::{Severity, hand_copies};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn pages() -> Vec<(String, String)> {
    walkdir::WalkDir::new(root().join("book"))
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let rel = e.path().strip_prefix(root()).unwrap().display().to_string();
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn no_page_has_a_hand_written_copy_of_a_canonical_list() {
    let pages = pages();
    assert!(pages.len() > 20, "the guide is there");
    let mut copies = Vec::new();
    for (path, src) in &pages {
        for (line, what) in hand_copies(src, canon()) {
            copies.push(format!("{path}:{line}: {what}"));
        }
    }
    assert!(
        copies.is_empty(),
        "use directives instead:\n{}",
        copies.join("\n")
    );
}

#[test]
fn hand_copies_are_detected() {
    // The detector the test above relies on must see real copies.
    let src = "Worker modes:\n\n- `dry_run`\n- `shadow`\n- `live`\n- `unknown`\n\n\
               The decision can be `allow`, `block` or `warn`.\n\n\
               Must not contain:\n\n- tenant records\n- license keys\n- webhook secrets\n- provider URLs\n";
    let found = hand_copies(src, canon());
    let what: Vec<&str> = found.iter().map(|(_, w)| w.as_str()).collect();
    assert!(what.contains(&"a list of worker mode values"), "{found:?}");
    assert!(
        what.contains(&"a sentence listing decision values"),
        "{found:?}"
    );
    assert!(
        what.contains(&"must-not-contain items of Tenant Onboarding Contract"),
        "{found:?}"
    );
}

#[test]
fn the_summary_has_the_eighteen_chapters_in_order() {
    let summary = std::fs::read_to_string(root().join("book/SUMMARY.md")).unwrap();
    let top: Vec<&str> = summary
        .lines()
        .filter(|l| l.starts_with("- ["))
        .map(|l| &l[3..l.find(']').unwrap()])
        .collect();
    assert_eq!(
        top,
        [
            "Foreword And Reader Paths",
            "Why CAVRA Exists",
            "Runtime Authority Model",
            "Architecture",
            "Editions",
            "Install And Deploy",
            "Community Guide",
            "Enterprise Guide",
            "CLI Reference",
            "GUI And Sandbox",
            "AISPM Guide",
            "Policy And Evidence",
            "Operations And Integrations",
            "Labs And Use Cases",
            "Appendices And FAQ",
            "Policy Language Reference",
            "Troubleshooting Playbook",
            "Conclusion",
        ]
    );
    for b in canon().boundaries {
        assert!(
            summary.contains(&format!("[{}]", b.title)),
            "{} has a page",
            b.id
        );
    }
}

#[test]
fn the_guide_passes_the_docs_gate() {
    let outcome = mdbook_cavra::book::check_book(root()).unwrap();
    let errors: Vec<String> = outcome
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{}:{}:{}: {}", f.path, f.line, f.column, f.message))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(outcome.findings.is_empty(), "no warnings either");
}

#[test]
fn every_boundary_page_embeds_its_boundary() {
    for b in canon().boundaries {
        let page = pages()
            .into_iter()
            .find(|(_, src)| src.starts_with(&format!("# {}\n", b.title)))
            .unwrap_or_else(|| panic!("no page for {}", b.id));
        assert!(
            page.1
                .contains(&format!("{{{{#cavra-boundary {}}}}}", b.id)),
            "{} embeds the whole boundary",
            page.0
        );
    }
}

//! The CAVRA guide in `book/` is single-sourced: no page carries a
//! hand-written copy of a canonical list, every chapter of the issue is
//! there in order, and the docs gate passes with orphan pages denied.

use std::path::Path;

use mdbook_cavra::canon::canon;
use mdbook_cavra::check::facts::{PageFacts, boundaries};
use mdbook_cavra::diagnostic::Severity;
use mdbook_cavra::markdown::Page;
use mdbook_cavra::model::SectionKind;
use mdbook_cavra::session::{Session, Source};

/// Hand-written copies of canonical lists on a page, right or wrong: lists,
/// table columns and sentences that enumerate three or more terms of one
/// vocabulary, and lists that say three or more items of one boundary
/// section. A single-sourced book has none; each is `(line, description)`.
fn hand_copies(src: &str) -> Vec<(usize, String)> {
    let page = Page::parse(src);
    let facts = PageFacts::new("page.md", &page, canon());
    let line = |offset: usize| page.index.line(offset);
    let mut out = Vec::new();
    for h in &facts.hand_lists {
        let terms = h
            .values
            .iter()
            .filter(|v| h.vocabulary.term(v).is_some())
            .count();
        if terms >= 3 {
            out.push((
                line(h.range.start),
                format!("a list of {} values", h.vocabulary.label),
            ));
        }
    }
    for chain in &facts.contexts.chains {
        let v = &canon().vocabularies[chain.vocabulary];
        let terms = chain
            .codes
            .iter()
            .filter(|&&c| v.term(page.code_text(&page.codes[c])).is_some())
            .count();
        if terms >= 3 {
            let at = page.codes[chain.codes[0]].range.start;
            out.push((line(at), format!("a sentence listing {} values", v.label)));
        }
    }
    for (l, list) in page.lists.iter().enumerate() {
        let entries = boundaries::entries(&page, l);
        for b in canon().boundaries {
            for kind in SectionKind::ALL {
                let said = b
                    .items(kind)
                    .iter()
                    .filter(|i| {
                        // A bare entry repeats the item; a numbered walkthrough
                        // that explains each step in sentences is commentary.
                        let longest = i.wordings().map(str::len).max().unwrap_or(0);
                        entries
                            .iter()
                            .any(|e| e.len() <= longest + 40 && boundaries::says(e, i))
                    })
                    .count();
                if said >= 3 {
                    out.push((
                        line(list.range.start),
                        format!("{} items of {}", kind.id(), b.title),
                    ));
                }
            }
        }
    }
    out.sort();
    out
}

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
        for (line, what) in hand_copies(src) {
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
    let found = hand_copies(src);
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
    let outcome = Session::load(root()).unwrap().run(Source::Disk).unwrap();
    let errors: Vec<String> = outcome
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{}:{}:{}: {}", f.at.path, f.at.line, f.at.column, f.message))
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

#[test]
fn the_guide_shows_at_least_forty_real_cavra_invocations() {
    use mdbook_cavra::check::rules::unknown_command::{
        check_invocations, invocations, is_shell_language,
    };
    let mut count = 0;
    let mut problems = Vec::new();
    for (path, src) in pages() {
        let page = Page::parse(&src);
        for cb in &page.code_blocks {
            if is_shell_language(&cb.lang) {
                let code = &src[cb.content.clone()];
                count += invocations(code, true).len();
                problems.extend(
                    check_invocations(code, true)
                        .into_iter()
                        .map(|p| format!("{path}: {}", p.message)),
                );
            }
        }
        for code in &page.codes {
            count += invocations(page.code_text(code), false).len();
        }
    }
    // Truthful examples, not deleted ones: the guide keeps showing commands.
    assert!(count >= 40, "only {count} `cavra` invocations in book/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The guide carries the whole product surface: its reference appendix,
/// expanded as the preprocessor expands it, names every setting, route and
/// `.cavra/` path of the canon, so none is documented only in a chapter's
/// prose.
#[test]
fn the_reference_appendix_lists_every_setting_route_and_path() {
    let canon = mdbook_cavra::canon::canon();
    let text = std::fs::read_to_string(root().join("book/appendices/reference-tables.md")).unwrap();
    let page = mdbook_cavra::markdown::Page::parse(&text);
    let out = mdbook_cavra::expand::expand(&page, canon);
    let mut missing = Vec::new();
    for s in canon.surface.settings {
        if !out.contains(&format!("`{}`", s.name)) {
            missing.push(s.name.to_string());
        }
    }
    for r in canon.surface.routes {
        if !out.contains(&format!("`{}`", r.path)) {
            missing.push(r.path.to_string());
        }
    }
    for p in mdbook_cavra::canon::surface::paths() {
        if !out.contains(&format!("`{}`", p.path)) {
            missing.push(p.path.to_string());
        }
    }
    assert!(missing.is_empty(), "not in the appendix: {missing:?}");
    assert!(!out.contains("{{#cavra-"), "a directive left unexpanded");
    // A setting that takes a vocabulary lists its terms, not the
    // vocabulary's id.
    assert!(!out.contains(" term |"), "{out}");
}

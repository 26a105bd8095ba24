//! Property tests: the preprocessor never changes a byte it was not asked
//! to, and the checker never panics, whatever the Markdown.

use mdbook_cavra::canon::canon;
use mdbook_cavra::expand::expand;
use mdbook_cavra::markdown::Page;
use mdbook_cavra::session::Session;
use proptest::prelude::*;

/// Markdown-ish text: every character CommonMark treats specially, line
/// endings of both kinds, and non-ASCII letters.
fn markdown() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "#",
        "## ",
        "*",
        "_",
        "`",
        "```",
        "~~~",
        "    ",
        "- ",
        "1. ",
        "> ",
        "|",
        "---",
        "[",
        "]",
        "(",
        ")",
        "{",
        "}",
        "!",
        "\\",
        "<!-- ",
        " -->",
        "<div>",
        "&amp;",
        "\n",
        "\r\n",
        "\n\n",
        " ",
        "\t",
        "word",
        "past_due",
        "decision",
        "é",
        "中文",
        "🙂",
        "cavra",
        "#cavra-states",
        "`code`",
        "| a | b |\n|---|---|\n",
    ]);
    prop::collection::vec(pieces, 0..80).prop_map(|v| v.concat())
}

const DIRECTIVES: &[&str] = &[
    "{{#cavra-states subscription}}",
    "{{#cavra-state decision.allow}}",
    "{{#cavra-boundary billing-subscription}}",
    "{{#cavra-boundary tenant-onboarding must-not-contain}}",
    "\\{{#cavra-states decision}}",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn text_without_directives_comes_back_byte_identical(src in markdown()) {
        prop_assume!(!src.contains("{{"));
        let page = Page::parse(&src);
        prop_assert_eq!(expand(&page, canon()), src);
    }

    #[test]
    fn bytes_around_a_directive_are_unchanged(
        before in markdown(),
        after in markdown(),
        d in prop::sample::select(DIRECTIVES.to_vec()),
    ) {
        prop_assume!(!before.contains("{{") && !after.contains("{{"));
        prop_assume!(!before.ends_with('\\') && !after.starts_with('}'));
        let src = format!("{before}\n\n{d}\n\n{after}");
        let out = expand(&Page::parse(&src), canon());
        let head = format!("{before}\n\n");
        let tail = format!("\n\n{after}");
        prop_assert!(out.starts_with(&head), "prefix changed");
        prop_assert!(out.ends_with(&tail), "suffix changed");
    }

    #[test]
    fn any_text_is_checked_and_expanded_without_panic(src in "\\PC{0,400}") {
        let page = Page::parse(&src);
        let out = expand(&page, canon());
        if !src.contains("{{") {
            prop_assert_eq!(out, src.clone());
        }
        let _ = Session::detached().check_text("page.md", &src);
    }

    #[test]
    fn the_checker_never_panics(src in markdown()) {
        for f in Session::detached().check_text("page.md", &src) {
            prop_assert!(f.at.line >= 1 && f.at.column >= 1);
            prop_assert!(f.at.span.end <= f.at.snippet.len());
        }
    }
}

//! The checker: [`facts`] about a page, worked out once, and the [`rules`]
//! that read them.
//!
//! Data flows one way: the canon and a parsed page give facts; rules read
//! facts and write findings into a sink ([`crate::diagnostic`]); the session
//! (the `session` module, a layer above) drives the page pass and the book pass and hands the
//! findings to a report.

pub mod facts;
pub mod rules;

use crate::diagnostic::{Hidden, Levels, PageSink, Raw};
use facts::PageFacts;

/// Run every page rule that is not set to `allow` over one page's facts;
/// the findings come back in page order.
pub fn run_page_rules(facts: &PageFacts<'_, '_>, levels: &Levels) -> Vec<Raw> {
    run_page_rules_hiding(facts, levels, Hidden::default()).0
}

/// [`run_page_rules`], leaving out what the page's suppressions hide (see
/// [`facts::suppress::hidden`]): the findings kept, and where the hidden
/// ones were (offset and rule), both in page order.
pub fn run_page_rules_hiding(
    facts: &PageFacts<'_, '_>,
    levels: &Levels,
    hidden: Hidden,
) -> (Vec<Raw>, Vec<(usize, &'static str)>) {
    let mut sink = PageSink::hiding(hidden);
    for rule in rules::RULES {
        if levels.wants(rule.meta()) {
            rule.check_page(facts, &mut sink.rule(rule.meta()));
        }
    }
    sink.into_parts()
}

/// A page that touches every table the rules build on first use.
const WARM_UP: &str = "# Examples\n\nThe subscription state is `trial`, `active` or `canceled`; \
the decision is `block`. Tenant onboarding must not contain license keys.\n\n\
- `trial`\n- `active`\n\n| Decision |\n|---|\n| `allow` |\n\n\
```json\n{ \"subscription_state\": \"trial\", \"api_key\": \"sk_live_x\" }\n```\n\n\
```bash\ncavra version --help\n```\n\nSee https://example.com and `cavra evaluate`. \
{{#cavra-states decision}}\n";

/// Build the tables the facts and rules make on first use (the lexicon's
/// automaton, the term indexes, the scanners) by checking a small page. A
/// session does this on one thread while another finds the book's pages,
/// so that no worker of the page pass waits for another to build them.
pub fn warm_up() {
    let page = crate::markdown::Page::parse(WARM_UP);
    let facts = PageFacts::new("warm-up.md", &page, crate::canon::canon());
    run_page_rules(&facts, &Levels::defaults(rules::ALL));
}

#[cfg(test)]
mod tests {
    /// The warm-up page is checked like any page and finds what it plants.
    #[test]
    fn the_warm_up_page_exercises_the_rules() {
        let page = crate::markdown::Page::parse(super::WARM_UP);
        let facts = super::PageFacts::new("warm-up.md", &page, crate::canon::canon());
        let levels = crate::diagnostic::Levels::defaults(super::rules::ALL);
        let found = super::run_page_rules(&facts, &levels);
        assert!(!found.is_empty());
        super::warm_up();
    }
}

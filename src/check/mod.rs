//! The checker: [`facts`] about a page, worked out once, and the [`rules`]
//! that read them.
//!
//! Data flows one way: the canon and a parsed page give facts; rules read
//! facts and write findings into a sink ([`crate::diagnostic`]); the session
//! (the `session` module, a layer above) drives the page pass and the book pass and hands the
//! findings to a report.

pub mod facts;
pub mod rules;

use crate::diagnostic::{Levels, PageSink, Raw};
use facts::PageFacts;

/// Run every page rule that is not set to `allow` over one page's facts;
/// the findings come back in page order.
pub fn run_page_rules(facts: &PageFacts<'_, '_>, levels: &Levels) -> Vec<Raw> {
    let mut sink = PageSink::new();
    for rule in rules::RULES {
        if levels.wants(rule.meta()) {
            rule.check_page(facts, &mut sink.rule(rule.meta()));
        }
    }
    sink.into_raw()
}

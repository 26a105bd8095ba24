//! The rules. Each is one file that opens with its id, default level and
//! documentation (what `explain` prints) and holds its whole logic; each is
//! declared once, in the registry at the bottom of this file.
//!
//! A rule reads facts and writes findings, nothing else:
//! - [`Rule::check_page`] reads one page's [`PageFacts`] and reports byte
//!   ranges of that page;
//! - [`Rule::check_book`] reads the [`BookFacts`] that the page pass left
//!   (titles, links, mentions, pages that could not be read) and reports at
//!   places located then;
//! - [`Rule::check_last`] runs once every other finding is known and the
//!   suppressions have been applied (only `unused-suppression` needs it).
//!
//! Levels are not a rule's business: the session skips rules set to
//! `allow` and the sink gives each finding its severity.

use crate::check::facts::PageFacts;
use crate::check::facts::book::BookFacts;
use crate::diagnostic::{BookOut, RuleMeta, RuleOut};

/// A rule of the checker.
pub trait Rule: Sync {
    /// The rule's id, default level and documentation.
    fn meta(&self) -> &'static RuleMeta;

    /// Check one page.
    fn check_page(&self, _page: &PageFacts<'_, '_>, _out: &mut RuleOut<'_>) {}

    /// Check what needs the whole book.
    fn check_book(&self, _book: &BookFacts, _out: &mut BookOut<'_>) {}

    /// Check once every other finding is settled.
    fn check_last(&self, _book: &BookFacts, _out: &mut BookOut<'_>) {}
}

macro_rules! registry {
    ($($module:ident :: $rule:ident,)+) => {
        /// Every rule, in the order `explain` lists them.
        pub static RULES: &[&dyn Rule] = &[$(&$module::$rule),+];

        /// Every rule's metadata, in registry order.
        pub static ALL: &[&RuleMeta] = &[$(&$module::META),+];
    };
}

// The registry: adding a rule is its file, its `mod` line and its
// registry line, both here. (The `mod` lines stay outside the macro so that
// rustfmt sees the rule files.)
pub mod boundary_language;
pub mod boundary_link;
pub mod boundary_list_incomplete;
pub mod forbidden_material;
pub mod orphan_page;
pub mod retired_term;
pub mod state_list_drift;
pub mod undeclared_status_field;
pub mod undefined_state;
pub mod unknown_command;
pub mod unknown_directive;
pub mod unknown_field;
pub mod unknown_path;
pub mod unknown_route;
pub mod unknown_setting;
pub mod unreadable_page;
pub mod unused_suppression;

registry! {
    undefined_state::UndefinedState,
    undeclared_status_field::UndeclaredStatusField,
    state_list_drift::StateListDrift,
    boundary_language::BoundaryLanguage,
    boundary_link::BoundaryLink,
    boundary_list_incomplete::BoundaryListIncomplete,
    forbidden_material::ForbiddenMaterial,
    unknown_directive::UnknownDirective,
    unknown_command::UnknownCommand,
    unknown_setting::UnknownSetting,
    unknown_route::UnknownRoute,
    unknown_path::UnknownPath,
    unknown_field::UnknownField,
    orphan_page::OrphanPage,
    retired_term::RetiredTerm,
    unreadable_page::UnreadablePage,
    unused_suppression::UnusedSuppression,
}

/// The rule with this id.
pub fn by_id(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}

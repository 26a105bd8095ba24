//! The CAVRA canon: every vocabulary, boundary, retired label, private
//! marker and command the guide shows or the checker enforces, written once.
//!
//! This module holds data only. Renderers and rules read it through the
//! types in [`crate::model`]; none of them spells out a state or an item, so
//! adding a term here changes the guide, the checker and the export together.

#[macro_use]
mod macros;
mod boundaries;
pub mod cli;
mod policy;
pub mod surface;
mod vocabularies;

pub use cli::cli;
pub use policy::{LABEL_FIELDS, LabelFields};
pub use vocabularies::*;

use crate::model::Canon;

/// The canon every consumer reads.
pub static CANON: Canon = Canon {
    vocabularies: vocabularies::ALL,
    boundaries: boundaries::ALL,
    retired: policy::RETIRED,
    private_markers: policy::PRIVATE_MARKERS,
    required_language: policy::REQUIRED_LANGUAGE,
    section_cues: policy::SECTION_CUES,
    provider_hosts: policy::PROVIDER_HOSTS,
    lead_ins: policy::LEAD_INS,
    cli: &cli::CLI,
    surface: &surface::SURFACE,
};

/// Shorthand for [`CANON`].
pub fn canon() -> &'static Canon {
    &CANON
}

/// Error returned when a string is not a term of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTerm {
    /// The vocabulary's id.
    pub vocabulary: &'static str,
    /// The text that was parsed.
    pub value: String,
}

impl std::fmt::Display for UnknownTerm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` is not a term of `{}`", self.value, self.vocabulary)
    }
}

impl std::error::Error for UnknownTerm {}

#[cfg(test)]
mod tests;

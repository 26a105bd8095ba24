//! `mdbook-cavra`: the CAVRA canon as typed Rust, an mdBook preprocessor that
//! injects it into a guide, and a checker that keeps hand-written pages true
//! to it.
//!
//! - [`canon`]: every vocabulary (as Rust enums) and boundary, written once.
//! - [`preprocessor`]: `{{#cavra-…}}` directives → Markdown, plus the checks,
//!   inside `mdbook build`.
//! - [`check`] and [`book`]: the rules, and `mdbook-cavra check` over a book.
//! - [`cli_check`]: the `unknown-command` logic: `cavra …` invocations
//!   checked against the canon's CLI surface.
//! - [`report`]: human, JSON, GitHub and SARIF output.

pub mod book;
pub mod build;
pub mod canon;
pub mod check;
pub mod cli_check;
pub mod config;
pub mod corpus;
pub mod directive;
pub mod export;
#[doc(hidden)]
pub mod fuzzing;
pub mod markdown;
pub mod model;
pub mod preprocessor;
pub mod preview;
pub mod render;
pub mod report;
pub mod suggest;

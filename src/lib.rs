//! `mdbook-cavra`: the CAVRA canon as typed Rust, an mdBook preprocessor that
//! injects it into a guide, and a checker that keeps hand-written pages true
//! to it.
//!
//! Data flows one way, and each module imports only from the layers before
//! it (a test in `tests/architecture.rs` holds the code to this):
//!
//! 1. [`canon`] and [`model`]: every vocabulary (as Rust enums) and boundary,
//!    written once; [`suggest`], [`paths`], [`error`], [`secrets`], [`text`], [`memo`]: small
//!    shared helpers; [`write`]: the one way files are written, and the
//!    private copy of a book mdBook renders from.
//! 2. [`markdown`], [`directive`], [`render`], [`expand`]: one parse of a
//!    page, directives, and the canon rendered into Markdown.
//! 3. [`diagnostic`]: rule metadata, levels, findings and the sinks rules
//!    write into.
//! 4. [`check`]: page facts ([`check::facts`]), then the rules
//!    ([`check::rules`], one file each, declared in one registry).
//! 5. [`report`]: human, JSON, GitHub and SARIF output; [`config`]: what
//!    `book.toml` sets.
//!    [`annotate`]: findings as HTML in the page, for writers' previews.
//! 6. [`session`]: the page pass and the book pass over a book, whatever the
//!    front.
//! 7. The fronts: [`preprocessor`] (mdBook), [`build`], [`preview`], [`export`],
//!    [`coverage`] (`mdbook-cavra report`), [`fix`] (the edits findings
//!    carry), [`init`] (setting a book up) and [`lsp`] (the language server).

pub mod automaton;
pub mod canon;
pub mod error;
pub mod memo;
pub mod model;
pub mod paths;
pub mod secrets;
pub mod suggest;
pub mod text;
pub mod write;

pub mod directive;
pub mod expand;
pub mod markdown;
pub mod render;

pub mod diagnostic;

pub mod check;

pub mod config;
pub mod report;

pub mod annotate;

pub mod session;

pub mod build;
pub mod coverage;
pub mod export;
pub mod fix;
pub mod init;
pub mod lsp;
pub mod preprocessor;
pub mod preview;

pub mod cli;

//! CAVRA's command-line surface: every command, argument and option of the
//! `cavra` program and of the separate `cavra-mcp-server` program.
//!
//! The facts (names, kinds, types, defaults, documented values, where each
//! is declared in CAVRA's source) live in `src/canon/cli.tsv`, one row per
//! command, argument or option, each with a one-line description written for
//! this guide. `build.rs` turns the file into the static tables below, so
//! the Rust side cannot drift from it. CAVRA's own help texts are not kept:
//! the guide describes the commands in its own words.

use crate::model::{Cli, CliCommand, CliParam};

include!(concat!(env!("OUT_DIR"), "/cli_table.rs"));

/// The data file the tables are generated from, for tests and tooling.
pub const DATA: &str = include_str!("cli.tsv");

/// The whole CLI surface.
pub fn cli() -> &'static Cli {
    &CLI
}

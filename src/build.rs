//! `mdbook-cavra build`: build a book in-process with mdbook-driver (HTML
//! renderer), with this preprocessor registered before mdBook's `links`.

use std::path::Path;
use std::str::FromStr;

use anyhow::{Context, Result};
use mdbook_core::config::Config;
use mdbook_driver::MDBook;

use crate::preprocessor::{CavraPreprocessor, NAME};

/// Build the book at `root`, into `dest` when given.
pub fn build(root: &Path, dest: Option<&Path>) -> Result<std::path::PathBuf> {
    let toml = root.join("book.toml");
    let mut config = if toml.exists() {
        let text = std::fs::read_to_string(&toml)
            .with_context(|| format!("cannot read {}", toml.display()))?;
        Config::from_str(&text)
            .with_context(|| format!("{} is not a valid book.toml", toml.display()))?
    } else {
        Config::default()
    };
    config.update_from_env()?;
    // mdbook-driver puts a preprocessor registered in code after all the
    // configured ones, unless book.toml names it; naming it here (with
    // `before = ["links"]`) keeps the order right either way. The in-process
    // preprocessor then replaces the command one in place.
    let key = format!("preprocessor.{NAME}");
    if !config.contains_key(&key) {
        config.set(format!("{key}.before"), vec!["links"])?;
    }
    if let Some(dest) = dest {
        config.build.build_dir = dest.to_path_buf();
    }
    let mut book = MDBook::load_with_config(root, config)
        .with_context(|| format!("cannot load the book at {}", root.display()))?;
    book.with_preprocessor(CavraPreprocessor);
    book.build()?;
    Ok(book.build_dir_for("html"))
}

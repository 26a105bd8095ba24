//! `book.toml` as text: the lines that make mdBook run this preprocessor,
//! added without disturbing anything else in the file (`toml_edit` keeps
//! comments, order and formatting), for the fix of `unknown-directive` and
//! for `mdbook-cavra init`.

use toml_edit::{Array, DocumentMut, Item, Table, value};

/// The table `init` and the fix add.
pub const TABLE: &str = "[preprocessor.cavra]\nbefore = [\"links\"]\n";

/// What adding `[preprocessor.cavra]` to a `book.toml` gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// The new text of the file.
    Changed(String),
    /// The table is there already.
    Present,
}

/// `text` with `[preprocessor.cavra]` (running before mdBook's `links`, so
/// directives inside included files are expanded) added at its end; every
/// other byte stays. An error says why it cannot be added (not TOML, or a
/// `preprocessor` key that is not a table).
pub fn with_preprocessor(text: &str) -> Result<Added, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("not valid TOML: {}", e.message()))?;
    let preprocessor = doc
        .entry("preprocessor")
        .or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        })
        .as_table_mut()
        .ok_or("`preprocessor` is not a table")?;
    if preprocessor.contains_key("cavra") {
        return Ok(Added::Present);
    }
    let mut cavra = Table::new();
    let mut before = Array::new();
    before.push("links");
    cavra.insert("before", value(before));
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    // A blank line before the new table, unless the file is empty.
    if !text.trim().is_empty() {
        cavra.decor_mut().set_prefix("\n");
    }
    preprocessor.insert("cavra", Item::Table(cavra));
    let out = doc.to_string();
    // toml_edit writes `\n` in what it adds: a file whose every line ends
    // in `\r\n` keeps that (its own `\r\n` stay as they are).
    let lone = |t: &str| t.match_indices('\n').any(|(i, _)| !t[..i].ends_with('\r'));
    if eol == "\n" || lone(text) {
        return Ok(Added::Changed(out));
    }
    let mut crlf = String::with_capacity(out.len() + 8);
    for (i, c) in out.char_indices() {
        if c == '\n' && !out[..i].ends_with('\r') {
            crlf.push('\r');
        }
        crlf.push(c);
    }
    Ok(Added::Changed(crlf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_added_and_every_other_byte_kept() {
        let text =
            "[book]\n# the title\ntitle = \"Guide\"   # keep me\nsrc = 'src'\n\n[output.html]\n";
        let Added::Changed(out) = with_preprocessor(text).unwrap() else {
            panic!("nothing added")
        };
        assert!(out.starts_with(text), "{out}");
        assert!(out.ends_with(&format!("\n{TABLE}")), "{out}");
        assert_eq!(with_preprocessor(&out).unwrap(), Added::Present);
        let crlf = text.replace('\n', "\r\n");
        let Added::Changed(out) = with_preprocessor(&crlf).unwrap() else {
            panic!("nothing added")
        };
        assert!(out.starts_with(&crlf), "{out:?}");
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
        assert!(with_preprocessor("preprocessor = 3\n").is_err());
        assert!(with_preprocessor("[book\n").is_err());
        let other = "[preprocessor.other]\ncommand = \"x\"\n";
        let Added::Changed(out) = with_preprocessor(other).unwrap() else {
            panic!("nothing added")
        };
        assert!(
            out.starts_with(other) && out.contains("[preprocessor.cavra]"),
            "{out}"
        );
    }
}

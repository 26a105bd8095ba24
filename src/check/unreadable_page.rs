//! `unreadable-page`: a page the checker could not read as Markdown text.
//!
//! Raised by the book walk in [`crate::book`]; this file holds its documentation.

use super::RuleDoc;

pub const DOC: RuleDoc = RuleDoc {
    what: "A `.md` file under the source folder that cannot be checked: not valid UTF-8, binary \
(it holds NUL bytes), unreadable (permissions), or reached through a symbolic link loop.",
    why: "A file the checker skips silently is a file nobody checked; mdBook would fail on it or \
render garbage.",
    example: "book/logo.md is a PNG image saved with the wrong extension.",
    fix: "Save the file as UTF-8 text, rename a binary file so it does not end in `.md`, fix its \
permissions, or remove the link loop.",
};

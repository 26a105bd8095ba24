//! `undeclared-status-field`: a status or state field that no vocabulary
//! declares, so nothing says which values it may take.

use super::Rule;
use crate::check::facts::PageFacts;
use crate::check::facts::{keyvalues, lexicon};
use crate::diagnostic::{Level, RuleDoc, RuleMeta, RuleOut};

pub static META: RuleMeta = RuleMeta {
    id: "undeclared-status-field",
    default: Level::Warn,
    doc: DOC,
};

const DOC: RuleDoc = RuleDoc {
    what: "A `…_status` or `…_state` field in a JSON, YAML or TOML block whose value is a word \
(`\"license_status\": \"valid\"`) while no vocabulary of the canon declares the field. One \
finding per field and page, at its first value.",
    why: "A status field without a vocabulary has no defined values: readers cannot tell which \
values exist, and the checker cannot catch a misspelled or invented one (`valid`, `assigned`).",
    example: "```json\n{ \"billing_owner_status\": \"assigned\" }\n```",
    fix: "Use a field the canon declares for these values (`mdbook-cavra export` lists each \
vocabulary's fields). If the field is real and only this example uses it, put \
`<!-- cavra-allow: undeclared-status-field -->` on the line before the block; to turn the rule \
off for the book, set `undeclared-status-field = \"allow\"` under \
`[preprocessor.cavra.rules]` in book.toml. A field that belongs in every book is a change to \
mdbook-cavra's canon: ask its maintainers.",
};

pub struct UndeclaredStatusField;

impl Rule for UndeclaredStatusField {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
        let mut seen: Vec<&str> = Vec::new();
        for (cb, kvs) in facts.page.code_blocks.iter().zip(&facts.code_kvs) {
            for kv in kvs {
                let Some(&key) = kv.path.last() else { continue };
                let stem = key
                    .strip_suffix("_status")
                    .or_else(|| key.strip_suffix("_state"));
                if stem.is_none_or(str::is_empty)
                    || !key
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit())
                    || lexicon::is_field_or_id(key)
                    || keyvalues::is_placeholder(kv.value)
                    || !lexicon::is_term_shaped(kv.value)
                    || seen.contains(&key)
                {
                    continue;
                }
                seen.push(key);
                let start = cb.content.start + kv.at;
                out.report(
                    start..start + kv.value.len(),
                    format!(
                        "`{key}` is a status field that no vocabulary declares (value `{}`)",
                        kv.value
                    ),
                )
                .help(format!(
                    "use a field the canon declares (`mdbook-cavra export` lists them); if `{key}` is right here, put `<!-- cavra-allow: undeclared-status-field -->` on the line before the block, or set `undeclared-status-field = \"allow\"` under `[preprocessor.cavra.rules]`"
                ));
            }
        }
    }
}

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
    fix: "Declare the field in the canon: add it to the `fields` of the vocabulary whose terms it \
takes (or add a vocabulary for it) in `src/canon/vocabularies.rs`; or use a declared field.",
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
                    "declare `{key}` in the canon (the `fields` of the vocabulary whose terms it takes, in src/canon/vocabularies.rs), or use a declared field"
                ));
            }
        }
    }
}

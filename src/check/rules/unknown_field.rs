//! `unknown-field`: a key of a JSON or YAML example of one of CAVRA's
//! public contracts that the contract does not have.

use std::borrow::Borrow;

use super::Rule;
use crate::check::facts::PageFacts;
use crate::check::facts::surface::{self, DocKey};
use crate::diagnostic::{Level, RuleDoc, RuleMeta, RuleOut};
use crate::model::{Contract, Surface, glob_match};
use crate::suggest;

pub static META: RuleMeta = RuleMeta {
    id: "unknown-field",
    default: Level::Deny,
    doc: RuleDoc {
        what: "A key, in a JSON or YAML example of one of CAVRA's public contracts, that the \
contract does not have. An example is identified by its `schema_version` (`cavra.approval.v1`, \
`cavra.saas_control_plane.response.v1`, …), or, without one, by the contract its section heading \
or lead-in sentence names (\"the decision record\", \"`manifest.json`\") when at least half of its \
top-level keys are the contract's. Nested keys are judged only where the canon knows the shape \
(a control-plane `payload` per `operation`). A `cavra.…` `schema_version` the canon does not know \
is reported too.",
        why: "Readers build integrations from examples. A field CAVRA never sends (`checked_at` in \
an entitlement summary, `operator_decision` in a registry summary) is read by code that then waits \
for it forever. The canon holds every key of each contract with the file and commit it comes from.",
        example: "```json\n{\n  \"schema_version\": \"cavra.approval.v1\",\n  \"approval_id\": \"apr_0123456789ab\",\n  \"owners\": [\"platform-security\"]\n}\n```",
        fix: "Drop the key or use the one the hint names; `{{#cavra-contract ID}}` renders a \
contract's fields. When CAVRA really sends the key, add it to `src/canon/surface.rs` with its \
source.",
    },
};

pub struct UnknownField;

impl Rule for UnknownField {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
        let s = facts.canon.surface;
        let page = facts.page;
        for cb in &page.code_blocks {
            let code = &page.src[cb.content.clone()];
            let keys = match surface::document_language(&cb.lang, code) {
                Some("json") => surface::json_keys(code),
                Some(_) => surface::yaml_keys(code),
                None => continue,
            };
            let at = cb.content.start;
            let schema = keys
                .iter()
                .find(|k| k.path.len() == 1 && k.path[0] == "schema_version")
                .and_then(|k| k.value.map(|v| (v, k)));
            let contract = match schema {
                Some((v, k)) => match s.contract_for_schema(v) {
                    Some(c) => c,
                    None => {
                        if v.starts_with("cavra.") && !s.schema_versions.iter().any(|x| x.id == v) {
                            unknown_schema(s, v, k, at, code, out);
                        }
                        continue;
                    }
                },
                None => match named(facts, cb.range.start, &keys, s) {
                    Some(c) => c,
                    None => continue,
                },
            };
            let selector = contract.discriminator.and_then(|d| {
                keys.iter()
                    .find(|k| k.path.len() == 1 && k.path[0] == d)
                    .and_then(|k| k.value)
            });
            for k in &keys {
                if let Some(help) = judge(contract, selector, &k.path) {
                    let shown = k.path.join(".");
                    let what = match (contract.discriminator, selector) {
                        (Some(d), Some(v)) => format!("the {} ({d} `{v}`)", lower(contract.title)),
                        _ => format!("the {}", lower(contract.title)),
                    };
                    out.report(
                        at + k.range.start..at + k.range.end,
                        format!("`{}` is not a field of {what}", suggest::shown(&shown)),
                    )
                    .help = Some(help);
                }
            }
        }
    }
}

fn lower(title: &str) -> String {
    let mut c = title.chars();
    match c.next() {
        Some(f) if !title.starts_with("SaaS") => f.to_lowercase().chain(c).collect(),
        _ => title.to_string(),
    }
}

fn unknown_schema(s: &Surface, v: &str, k: &DocKey, at: usize, code: &str, out: &mut RuleOut<'_>) {
    // The value sits after the key on the same line.
    let from = k.range.end;
    let Some(rel) = code[from..].find(v) else {
        return;
    };
    let start = at + from + rel;
    out.report(
        start..start + v.len(),
        format!(
            "`{}` is not a schema_version CAVRA stamps",
            suggest::shown(v)
        ),
    )
    .help = Some(
        match suggest::closest(v, s.schema_versions.iter().map(|x| x.id)) {
            Some(c) => format!("did you mean `{c}`?"),
            None => "`{{#cavra-contract ID}}` shows the contracts CAVRA publishes".to_string(),
        },
    );
}

/// The contract a block's lead-in sentence or section heading names, when
/// the block looks like it (at least half its top-level keys are the
/// contract's).
fn named(
    facts: &PageFacts<'_, '_>,
    block_start: usize,
    keys: &[DocKey],
    s: &Surface,
) -> Option<&'static Contract> {
    let (lead, heading) = surface::lead_in_and_heading(facts.page, block_start);
    let top: Vec<&str> = keys
        .iter()
        .filter(|k| k.path.len() == 1)
        .map(|k| k.path[0])
        .collect();
    if top.is_empty() {
        return None;
    }
    for text in [lead, heading].into_iter().flatten() {
        let text = surface::plain(text).to_ascii_lowercase();
        let hits: Vec<&'static Contract> = s
            .contracts
            .iter()
            .filter(|c| c.names.iter().any(|n| text.contains(n)))
            .collect();
        if let [c] = hits[..] {
            let known = top
                .iter()
                .filter(|t| c.fields.iter().any(|f| f.path == **t))
                .count();
            return (known * 2 >= top.len()).then_some(c);
        }
    }
    None
}

/// Why `path` is not a key of the contract (the help), or `None` when it
/// is one, or when the canon does not know the shape it sits in.
pub fn judge<S: Borrow<str>>(c: &Contract, selector: Option<&str>, path: &[S]) -> Option<String> {
    let joined = path.join(".");
    // A placeholder key (`"…": "the decision object"`) stands for the rest.
    if path
        .last()
        .is_some_and(|k| matches!(k.borrow().trim(), "…" | "..." | ""))
    {
        return None;
    }
    // Open keys, and everything beneath them.
    for n in 1..=path.len() {
        let prefix = path[..n].join(".");
        if c.open.iter().any(|o| glob_match(o, &prefix)) {
            return None;
        }
    }
    let fields: Vec<&str> = c.applicable(selector).map(|f| f.path).collect();
    let is_container = |p: &str| {
        fields
            .iter()
            .any(|f| f.len() > p.len() && f.starts_with(p) && f.as_bytes()[p.len()] == b'.')
    };
    if fields.contains(&joined.as_str()) || is_container(&joined) {
        return None;
    }
    let parent = path[..path.len() - 1].join(".");
    if !parent.is_empty() && !is_container(&parent) {
        return None;
    }
    let siblings: Vec<&str> = fields
        .iter()
        .filter_map(|f| {
            let rest = if parent.is_empty() {
                *f
            } else {
                f.strip_prefix(parent.as_str())?.strip_prefix('.')?
            };
            (!rest.contains('.')).then_some(rest)
        })
        .collect();
    let key = path.last().map_or("", |k| k.borrow());
    Some(match suggest::closest(key, siblings.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!(
            "its fields{} are {}",
            if parent.is_empty() {
                String::new()
            } else {
                format!(" under `{parent}`")
            },
            suggest::list_and(siblings.iter().copied())
        ),
    })
}

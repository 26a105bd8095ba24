//! `unknown-path`: a `.cavra/…` path that nothing in CAVRA writes.

use super::Rule;
use crate::check::facts::PageFacts;
use crate::check::facts::surface;
use crate::diagnostic::{Level, RuleDoc, RuleMeta, RuleOut};
use crate::model::ProductPath;
use crate::suggest;

pub static META: RuleMeta = RuleMeta {
    id: "unknown-path",
    default: Level::Deny,
    doc: RuleDoc {
        what: "A `.cavra/…` path, in code, inline code or prose, that no CAVRA command or service \
writes: not a file or folder of the canon, not a folder on the way to one, not beneath a folder \
whose contents the canon leaves open, and not matched by a glob of the canon (`.cavra/api/*.json`). \
The canon holds the paths the fact sheet names plus every `.cavra/` default of a CLI option.",
        why: "A reader looks for the file and it is not there, or writes configuration where CAVRA \
never reads it (`.cavra/policy.yaml.sig` is the textbook's name; `cavra policy sign` writes \
`.cavra/policy.yaml.sig.json`).",
        example: "Keys live in `.cavra/keys/policy-ed25519-private.pem`.",
        fix: "Use the path the hint names, or the default the command's reference shows. When CAVRA \
really writes the path, add it to `src/canon/surface.rs` with its source.",
    },
};

pub struct UnknownPath;

impl Rule for UnknownPath {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
        let paths = crate::canon::surface::paths();
        if !surface::page_may_hold(facts.page, &surface::PATH_NEEDLE) {
            return;
        }
        surface::each_text(facts.page, |_, text, at| {
            for m in surface::cavra_paths(text) {
                let written = m.path.trim_end_matches('/');
                if written == ".cavra" || paths.iter().any(|p| p.covers(written)) {
                    continue;
                }
                let r = out.report(
                    at(m.range.start)..at(m.range.end),
                    format!("nothing in CAVRA writes `{}`", suggest::shown(m.path)),
                );
                r.help = Some(match nearest(paths, written) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => {
                        "`{{#cavra-paths}}` lists what CAVRA writes under `.cavra/`".to_string()
                    }
                });
            }
        });
    }
}

/// The known path nearest to `written`: a sibling in the same folder whose
/// name is close, else the closest path overall (never a folder `written`
/// lies in, which says nothing).
fn nearest(paths: &[ProductPath], written: &str) -> Option<String> {
    let (parent, name) = written.rsplit_once('/')?;
    let siblings: Vec<&str> = paths
        .iter()
        .filter_map(|p| {
            let t = p.trimmed();
            let rest = t.strip_prefix(parent)?.strip_prefix('/')?;
            Some(rest.split('/').next().unwrap_or(rest))
        })
        .collect();
    if let Some(n) = suggest::closest(name, siblings.iter().copied()) {
        return Some(format!("{parent}/{n}"));
    }
    suggest::closest(
        written,
        paths
            .iter()
            .map(|p| p.trimmed())
            .filter(|t| !(written.starts_with(t) && written[t.len()..].starts_with('/'))),
    )
    .map(str::to_string)
}

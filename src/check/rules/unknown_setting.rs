//! `unknown-setting`: a `CAVRA_*` name that CAVRA neither reads nor
//! documents, or a value an enumerated setting does not take.

use super::Rule;
use crate::check::facts::PageFacts;
use crate::check::facts::surface::{self, TextKind};
use crate::diagnostic::{Level, RuleDoc, RuleMeta, RuleOut};
use crate::suggest;

pub static META: RuleMeta = RuleMeta {
    id: "unknown-setting",
    default: Level::Deny,
    doc: RuleDoc {
        what: "A `CAVRA_*` name, in a code block, in inline code or in prose, that the canon's \
product surface does not list (`CAVRA_CONFIG`, `CAVRA_SERVER`), or a value written for a setting \
whose values CAVRA enumerates that is not one of them (`CAVRA_DEPLOYMENT_MODE=saas`). A family \
written with a trailing `_` or `*` (`CAVRA_REPORT_*`) is accepted when real settings start with it.",
        why: "A reader sets the variable and nothing happens: CAVRA never reads a name it does not \
know, and an unknown value is rejected or silently replaced. The canon lists every setting CAVRA's \
code reads or its documentation names, with the file and commit it comes from.",
        example: "```sh\nexport CAVRA_CONFIG=./cavra.yaml\nexport CAVRA_DEPLOYMENT_MODE=saas\n```",
        fix: "Use the setting the hint names, or `{{#cavra-settings}}` to see them all. When a \
real setting is missing, add it to `src/canon/surface.rs` with its source.",
    },
};

pub struct UnknownSetting;

impl Rule for UnknownSetting {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
        let s = facts.canon.surface;
        if !surface::page_may_hold(facts.page, &surface::SETTING_NEEDLE) {
            return;
        }
        surface::each_text(facts.page, |kind, text, at| {
            for m in surface::settings(text) {
                let range = at(m.range.start)..at(m.range.end);
                if m.prefix {
                    if !s.settings.iter().any(|x| x.name.starts_with(m.name)) {
                        out.report(range, format!("no CAVRA setting starts with `{}`", m.name))
                            .help = Some(suggest::hint(m.name, s.settings.iter().map(|x| x.name)));
                    }
                    continue;
                }
                let Some(setting) = s.setting(m.name) else {
                    let r = out.report(
                        range,
                        format!("`{}` is not a setting CAVRA reads", suggest::shown(m.name)),
                    );
                    r.help = Some(
                        match suggest::closest(m.name, s.settings.iter().map(|x| x.name)) {
                            Some(c) => format!("did you mean `{c}`?"),
                            None => {
                                "`{{#cavra-settings}}` lists every setting CAVRA reads".to_string()
                            }
                        },
                    );
                    continue;
                };
                // Values only where the text assigns one: code, or inline code.
                if setting.values.is_empty() || matches!(kind, TextKind::Prose(_)) {
                    continue;
                }
                if let Some((value, vr)) = m.value
                    && !crate::check::facts::keyvalues::is_placeholder(value)
                    && !setting.values.contains(&value)
                {
                    out.report(
                        at(vr.start)..at(vr.end),
                        format!(
                            "`{}` is not a value of `{}`",
                            suggest::shown(value),
                            setting.name
                        ),
                    )
                    .help = Some(format!(
                        "{}; `{}` takes {}",
                        suggest::closest(value, setting.values.iter().copied())
                            .map_or("no value is close".to_string(), |c| format!(
                                "did you mean `{c}`?"
                            )),
                        setting.name,
                        suggest::list(setting.values.iter().copied())
                    ));
                }
            }
        });
    }
}

//! `[preprocessor.cavra]` in `book.toml`: rule levels, and nothing unknown.
//!
//! mdBook's own `MDBOOK_PREPROCESSOR__CAVRA__…` environment overrides are
//! applied by `mdbook_core::config::Config::update_from_env` before this
//! reads the table. A key this tool does not know is an error with the
//! nearest known key, so a typo never silently leaves a rule at its default.

use std::collections::BTreeMap;

use mdbook_core::config::Config;

use crate::check::rules;
use crate::diagnostic::{Level, Levels};
use crate::error::Error;
use crate::suggest;

/// The keys mdBook itself reads in a preprocessor's table.
pub const MDBOOK_KEYS: &[&str] = &["command", "renderers", "before", "after", "optional"];

/// The keys of `[preprocessor.cavra]` this tool reads.
pub const OWN_KEYS: &[&str] = &["rules", "max-page-size", "on-finding", IN_PROCESS_DEFAULTS];

/// Set by `mdbook-cavra build` when it adds `[preprocessor.cavra]` itself
/// to a `book.toml` that lacks it, so the checks still see the book as
/// written (and say that `mdbook build` would not run mdbook-cavra).
pub const IN_PROCESS_DEFAULTS: &str = "in-process-defaults";

/// Pages larger than this are reported, not read (`max-page-size`).
pub const DEFAULT_MAX_PAGE_SIZE: u64 = 256 * 1024;

/// What the preprocessor does with denied findings (`on-finding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnFinding {
    /// Fail the build (the default, and always what `mdbook build` does).
    #[default]
    Fail,
    /// Under `mdbook serve` only: show every finding in the page it
    /// concerns and let the page render. Anywhere else it acts as `Fail`.
    Show,
}

impl OnFinding {
    pub const NAMES: [&'static str; 2] = ["fail", "show"];

    pub fn parse(s: &str) -> Option<OnFinding> {
        match s {
            "fail" => Some(OnFinding::Fail),
            "show" => Some(OnFinding::Show),
            _ => None,
        }
    }
}

/// What `book.toml` sets for mdbook-cavra.
#[derive(Debug, Clone)]
pub struct Settings {
    pub levels: Levels,
    /// The largest page read, in bytes.
    pub max_page_size: u64,
    /// Whether `book.toml` itself has `[preprocessor.cavra]`.
    pub preprocessor_configured: bool,
    pub on_finding: OnFinding,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            levels: Levels::defaults(rules::ALL),
            max_page_size: DEFAULT_MAX_PAGE_SIZE,
            preprocessor_configured: true,
            on_finding: OnFinding::Fail,
        }
    }
}

impl Settings {
    /// Read `[preprocessor.cavra]`. An unknown key, rule or level is an
    /// error that names it and the closest valid one.
    pub fn from_config(config: &Config) -> Result<Settings, Error> {
        let mut settings = Settings::default();
        let table: Option<BTreeMap<String, serde_json::Value>> =
            config.get("preprocessor.cavra").map_err(|e| {
                Error::input(format!("`[preprocessor.cavra]` must be a table: {e:#}"))
            })?;
        settings.preprocessor_configured = table.is_some()
            && !config.contains_key(&format!("preprocessor.cavra.{IN_PROCESS_DEFAULTS}"));
        let table = table.unwrap_or_default();
        for (key, value) in &table {
            if MDBOOK_KEYS.contains(&key.as_str()) || OWN_KEYS.contains(&key.as_str()) {
                continue;
            }
            let known = MDBOOK_KEYS.iter().chain(OWN_KEYS).copied();
            let help = if rules::ALL.iter().any(|r| r.id == key) {
                format!(
                    "rule levels go in their own table:\n\n      [preprocessor.cavra.rules]\n      {key} = {value}\n"
                )
            } else {
                suggest::hint(key, known)
            };
            return Err(Error::input_with_help(
                format!("book.toml: unknown key `{key}` in `[preprocessor.cavra]`"),
                help,
            ));
        }
        if let Some(v) = table.get("max-page-size") {
            // A page is at most 4 GiB (`markdown::MAX_PAGE`).
            let most = crate::markdown::MAX_PAGE as u64;
            settings.max_page_size =
                v.as_u64().filter(|&n| n > 0 && n <= most).ok_or_else(|| {
                    Error::input_with_help(
                        format!("book.toml: `preprocessor.cavra.max-page-size` is {v}"),
                        format!(
                            "write a number of bytes up to {most} (4 GiB), such as `max-page-size = 33554432` for 32 MiB"
                        ),
                    )
                })?;
        }
        if let Some(value) = table.get("on-finding") {
            settings.on_finding = value.as_str().and_then(OnFinding::parse).ok_or_else(|| {
                Error::input_with_help(
                    format!("book.toml: `preprocessor.cavra.on-finding` is {value}"),
                    match value.as_str() {
                        Some(s) => suggest::hint(s, OnFinding::NAMES),
                        None => "expected \"fail\" or \"show\"".to_string(),
                    },
                )
            })?;
        }
        let Some(rules_value) = table.get("rules") else {
            return Ok(settings);
        };
        let Some(rules_table) = rules_value.as_object() else {
            return Err(Error::input_with_help(
                "book.toml: `preprocessor.cavra.rules` must be a table",
                "write `[preprocessor.cavra.rules]` and one `rule-id = \"deny\" | \"warn\" | \"allow\"` per line",
            ));
        };
        for (key, value) in rules_table {
            let rule = settings.levels.rule(key).ok_or_else(|| {
                Error::input_with_help(
                    format!("book.toml: `preprocessor.cavra.rules.{key}`: unknown rule `{key}`"),
                    suggest::hint(key, rules::ALL.iter().map(|r| r.id)),
                )
            })?;
            let level = value.as_str().and_then(Level::parse).ok_or_else(|| {
                Error::input_with_help(
                    format!("book.toml: `preprocessor.cavra.rules.{key}` is {value}"),
                    match value.as_str() {
                        Some(s) => suggest::hint(s, Level::NAMES),
                        None => "expected \"deny\", \"warn\" or \"allow\"".to_string(),
                    },
                )
            })?;
            settings.levels.set(rule, level);
        }
        Ok(settings)
    }
}

/// The JSON Schema (draft 2020-12) of `[preprocessor.cavra]`, made from
/// the same keys, rule registry and value names that
/// [`Settings::from_config`] reads, so the two cannot disagree. Editors
/// with a TOML language server (Taplo, Even Better TOML) use it for
/// completion and checks in `book.toml`; `schemas/config.schema.json` is
/// this value, committed.
pub fn schema() -> serde_json::Value {
    use serde_json::{Map, Value, json};
    let strings = json!({ "type": "array", "items": { "type": "string" } });
    let mut rules_props = Map::new();
    for r in rules::ALL {
        let what = r.doc.what;
        let first = what.find(". ").map_or(what, |i| &what[..=i]);
        rules_props.insert(
            r.id.to_string(),
            json!({
                "description": first,
                "enum": Level::NAMES,
                "default": r.default.as_str(),
            }),
        );
    }
    let mut props = Map::new();
    props.insert(
        "command".into(),
        json!({ "type": "string", "description": "mdBook: the command that runs the preprocessor (default `mdbook-cavra`)." }),
    );
    props.insert(
        "renderers".into(),
        json!({ "allOf": [strings], "description": "mdBook: the renderers it runs for (default: all)." }),
    );
    props.insert(
        "before".into(),
        json!({ "allOf": [strings], "description": "mdBook: preprocessors this one runs before; keep `links` here, so an escaped directive is still escaped when mdbook-cavra reads it." }),
    );
    props.insert(
        "after".into(),
        json!({ "allOf": [strings], "description": "mdBook: preprocessors this one runs after." }),
    );
    props.insert(
        "optional".into(),
        json!({ "type": "boolean", "description": "mdBook: whether a missing `mdbook-cavra` only warns." }),
    );
    props.insert(
        "rules".into(),
        json!({
            "type": "object",
            "description": "The level of each rule: `deny` fails the build and the check, `warn` reports, `allow` turns the rule off.",
            "properties": Value::Object(rules_props),
            "additionalProperties": false,
        }),
    );
    props.insert(
        "max-page-size".into(),
        json!({
            "type": "integer",
            "minimum": 1,
            "maximum": crate::markdown::MAX_PAGE as u64,
            "default": DEFAULT_MAX_PAGE_SIZE,
            "description": "The largest page read, in bytes; a larger one is reported (`unreadable-page`), not read.",
        }),
    );
    props.insert(
        "on-finding".into(),
        json!({
            "enum": OnFinding::NAMES,
            "default": "fail",
            "description": "`show`: under `mdbook serve` only, show each finding in its page and let the page render; `mdbook build` always fails on denied findings.",
        }),
    );
    debug_assert!(
        MDBOOK_KEYS
            .iter()
            .chain(OWN_KEYS)
            .all(|k| *k == IN_PROCESS_DEFAULTS || props.contains_key(*k)),
        "every key the settings read is in the schema"
    );
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "[preprocessor.cavra] in book.toml",
        "description": "Settings of mdbook-cavra, the CAVRA preprocessor and checker for mdBook.",
        "type": "object",
        "properties": Value::Object(props),
        "additionalProperties": false,
    })
}

/// [`schema`] as the committed file holds it: pretty JSON and a newline.
pub fn schema_json() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).expect("a JSON value serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn settings(toml: &str) -> Result<Settings, String> {
        Settings::from_config(&Config::from_str(toml).unwrap()).map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_warn_on_orphans_and_deny_the_rest() {
        let s = Settings::default();
        let rule = |id| s.levels.rule(id).unwrap();
        assert_eq!(s.levels.get(rule("orphan-page")), Level::Warn);
        assert_eq!(s.levels.get(rule("undefined-state")), Level::Deny);
    }

    #[test]
    fn reads_rule_levels_and_rejects_unknown_ones() {
        let s = settings(
            "[preprocessor.cavra.rules]\norphan-page = \"deny\"\nretired-term = \"allow\"\n",
        )
        .unwrap();
        assert_eq!(
            s.levels.get(s.levels.rule("orphan-page").unwrap()),
            Level::Deny
        );
        let e = settings("[preprocessor.cavra.rules]\norphan-pages = \"deny\"\n").unwrap_err();
        assert!(e.contains("did you mean `orphan-page`?"), "{e}");
        let e = settings("[preprocessor.cavra.rules]\norphan-page = \"dney\"\n").unwrap_err();
        assert!(e.contains("did you mean `deny`?"), "{e}");
    }

    #[test]
    fn unknown_keys_are_errors_with_a_hint() {
        let e = settings("[preprocessor.cavra.rule]\norphan-page = \"deny\"\n").unwrap_err();
        assert!(
            e.contains("unknown key `rule`") && e.contains("did you mean `rules`?"),
            "{e}"
        );
        let e = settings("[preprocessor.cavra]\norphan-page = \"deny\"\n").unwrap_err();
        assert!(e.contains("[preprocessor.cavra.rules]"), "{e}");
        let e = settings("[preprocessor.cavra]\nfail-on-warnings = true\n").unwrap_err();
        assert!(e.contains("unknown key `fail-on-warnings`"), "{e}");
        assert!(settings("[preprocessor.cavra]\nbefore = [\"links\"]\n").is_ok());
    }

    #[test]
    fn on_finding_is_fail_by_default_and_checked() {
        assert_eq!(Settings::default().on_finding, OnFinding::Fail);
        let s = settings("[preprocessor.cavra]\non-finding = \"show\"\n").unwrap();
        assert_eq!(s.on_finding, OnFinding::Show);
        let e = settings("[preprocessor.cavra]\non-finding = \"shwo\"\n").unwrap_err();
        assert!(e.contains("did you mean `show`?"), "{e}");
        let e = settings("[preprocessor.cavra]\non-findings = \"show\"\n").unwrap_err();
        assert!(e.contains("did you mean `on-finding`?"), "{e}");
    }
}

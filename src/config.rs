//! Rule levels from `[preprocessor.cavra.rules]`, with mdBook's own
//! `MDBOOK_PREPROCESSOR__CAVRA__…` environment overrides applied by
//! `mdbook_core::config::Config::update_from_env`.

use std::collections::BTreeMap;

use mdbook_core::config::Config;

use crate::check::{Level, Rule, Severity};
use crate::suggest;

/// What each rule is set to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Levels {
    levels: Vec<Level>,
}

impl Default for Levels {
    fn default() -> Levels {
        Levels {
            levels: Rule::ALL.iter().map(|r| r.default_level()).collect(),
        }
    }
}

impl Levels {
    pub fn get(&self, rule: Rule) -> Level {
        self.levels[rule as usize]
    }

    pub fn set(&mut self, rule: Rule, level: Level) {
        self.levels[rule as usize] = level;
    }

    pub fn severity(&self, rule: Rule) -> Severity {
        match self.get(rule) {
            Level::Deny => Severity::Error,
            _ => Severity::Warning,
        }
    }

    /// Read `[preprocessor.cavra.rules]`; an unknown rule or level is an
    /// error that names the key and the closest valid value.
    pub fn from_config(config: &Config) -> Result<Levels, String> {
        let mut levels = Levels::default();
        let table: Option<BTreeMap<String, serde_json::Value>> = config
            .get("preprocessor.cavra.rules")
            .map_err(|e| format!("`[preprocessor.cavra.rules]` must be a table of rule = \"deny\" | \"warn\" | \"allow\": {e:#}"))?;
        for (key, value) in table.unwrap_or_default() {
            let rule = Rule::from_id(&key).ok_or_else(|| {
                format!(
                    "`preprocessor.cavra.rules.{key}`: unknown rule `{key}`; {}",
                    suggest::hint(&key, Rule::ALL.iter().map(|r| r.id()))
                )
            })?;
            let level = value.as_str().and_then(Level::parse).ok_or_else(|| {
                format!("`preprocessor.cavra.rules.{key}` is {value}; expected \"deny\", \"warn\" or \"allow\"")
            })?;
            levels.set(rule, level);
        }
        Ok(levels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn defaults_warn_on_orphans_and_deny_the_rest() {
        let l = Levels::default();
        assert_eq!(l.get(Rule::OrphanPage), Level::Warn);
        assert_eq!(l.get(Rule::UndefinedState), Level::Deny);
    }

    #[test]
    fn reads_rule_levels_and_rejects_unknown_ones() {
        let cfg = Config::from_str(
            "[preprocessor.cavra.rules]\norphan-page = \"deny\"\nretired-term = \"allow\"\n",
        )
        .unwrap();
        let l = Levels::from_config(&cfg).unwrap();
        assert_eq!(l.get(Rule::OrphanPage), Level::Deny);
        assert_eq!(l.get(Rule::RetiredTerm), Level::Allow);

        let bad =
            Config::from_str("[preprocessor.cavra.rules]\norphan-pages = \"deny\"\n").unwrap();
        let e = Levels::from_config(&bad).unwrap_err();
        assert!(e.contains("did you mean `orphan-page`?"), "{e}");

        let bad =
            Config::from_str("[preprocessor.cavra.rules]\norphan-page = \"error\"\n").unwrap();
        assert!(
            Levels::from_config(&bad)
                .unwrap_err()
                .contains("expected \"deny\"")
        );
    }
}

//! The JSON Schema of `[preprocessor.cavra]` (`schemas/config.schema.json`)
//! and the settings reader agree on every key and value: each rule at each
//! level, each setting with a good and a bad value, and unknown keys. The
//! committed file is the generated one (`CAVRA_BLESS=1` rewrites it).

use std::str::FromStr;

use mdbook_cavra::check::rules;
use mdbook_cavra::config::{self, Settings};
use mdbook_core::config::Config;
use serde_json::{Value, json};

fn validator() -> jsonschema::Validator {
    let schema = config::schema();
    jsonschema::meta::validate(&schema).expect("a valid JSON Schema");
    jsonschema::draft202012::new(&schema).expect("the schema compiles")
}

/// What the reader says about `table` written as `[preprocessor.cavra]`.
fn reader_accepts(table: &Value) -> bool {
    let mut book = toml::Table::new();
    let mut pre = toml::Table::new();
    let cavra: toml::Value = serde_json::from_value(table.clone()).expect("TOML-shaped JSON");
    pre.insert("cavra".into(), cavra);
    book.insert("preprocessor".into(), toml::Value::Table(pre));
    let text = toml::to_string(&book).unwrap();
    Settings::from_config(&Config::from_str(&text).unwrap()).is_ok()
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/config.schema.json");
    let now = config::schema_json();
    if std::env::var_os("CAVRA_BLESS").is_some() {
        std::fs::write(&path, &now).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        committed == now,
        "schemas/config.schema.json is stale: run `cargo run -q -- export --config-schema > schemas/config.schema.json`"
    );
}

#[test]
fn schema_and_reader_agree_on_every_rule_and_level() {
    let v = validator();
    for r in rules::ALL {
        for level in ["deny", "warn", "allow", "dney", "error", ""] {
            let table = json!({ "rules": { r.id: level } });
            let (schema_ok, reader_ok) = (v.is_valid(&table), reader_accepts(&table));
            assert_eq!(schema_ok, reader_ok, "{} = {level:?}", r.id);
            assert_eq!(
                schema_ok,
                ["deny", "warn", "allow"].contains(&level),
                "{} = {level:?}",
                r.id
            );
        }
        // A misspelled rule id.
        let table = json!({ "rules": { format!("{}s", r.id): "deny" } });
        assert!(!v.is_valid(&table) && !reader_accepts(&table), "{}s", r.id);
    }
}

#[test]
fn schema_and_reader_agree_on_every_setting() {
    let v = validator();
    let schema = config::schema();
    let props = schema["properties"].as_object().unwrap();
    let cases: &[(&str, Value, bool)] = &[
        ("command", json!("mdbook-cavra"), true),
        ("command", json!(3), false),
        ("renderers", json!(["html"]), true),
        ("before", json!(["links"]), true),
        ("after", json!(["index"]), true),
        ("optional", json!(true), true),
        ("max-page-size", json!(1_048_576), true),
        ("max-page-size", json!(0), false),
        ("max-page-size", json!(-5), false),
        ("max-page-size", json!(5_000_000_000u64), false),
        ("max-page-size", json!("1MiB"), false),
        ("on-finding", json!("show"), true),
        ("on-finding", json!("fail"), true),
        ("on-finding", json!("shwo"), false),
        ("rules", json!("deny"), false),
        ("rules", json!({}), true),
    ];
    for key in props.keys() {
        assert!(
            cases.iter().any(|(k, _, ok)| k == key && *ok),
            "no accepted value is tried for `{key}`"
        );
    }
    for (key, value, ok) in cases {
        let table = json!({ *key: value });
        assert_eq!(v.is_valid(&table), *ok, "schema: {key} = {value}");
        // mdBook reads its own keys; the reader only says they are known.
        if config::OWN_KEYS.contains(key) {
            assert_eq!(reader_accepts(&table), *ok, "reader: {key} = {value}");
        }
    }
    for key in config::MDBOOK_KEYS.iter().chain(config::OWN_KEYS) {
        assert!(
            props.contains_key(*key) || *key == config::IN_PROCESS_DEFAULTS,
            "`{key}` is read but not in the schema"
        );
    }
    for unknown in ["rule", "max_page_size", "fail-on-warnings", "orphan-page"] {
        let table = json!({ unknown: "x" });
        assert!(!v.is_valid(&table) && !reader_accepts(&table), "{unknown}");
    }
}

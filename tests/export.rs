//! The export's contract: the JSON validates against its JSON Schema, and
//! both are committed and compared byte for byte, so a change to the canon
//! or to the export types shows up as a diff in review.
//!
//! After an intended change, refresh both files and read the diff:
//!
//! ```sh
//! cargo run -q -- export > tests/snapshots/canon.json
//! cargo run -q -- export --schema > schemas/canon.schema.json
//! ```
//!
//! (or `CAVRA_BLESS=1 cargo test --test export`, which writes them).

use std::path::{Path, PathBuf};

use mdbook_cavra::{canon, export};

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Compare `actual` with a committed file byte for byte; with `CAVRA_BLESS`
/// set, write it instead.
fn golden(rel: &str, actual: &str) {
    let path = repo_file(rel);
    if std::env::var_os("CAVRA_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || expected.lines().count().min(actual.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "{rel} differs from the export from line {line} on:\n  committed: {:?}\n  now:       {:?}\n\
             refresh it (see the comment at the top of tests/export.rs) and read the diff",
            expected.lines().nth(line - 1).unwrap_or("<end of file>"),
            actual.lines().nth(line - 1).unwrap_or("<end of file>"),
        );
    }
}

#[test]
fn the_export_matches_its_golden_file() {
    golden(
        "tests/snapshots/canon.json",
        &export::to_json(canon::canon()),
    );
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    golden("schemas/canon.schema.json", &export::schema_json());
}

#[test]
fn the_export_validates_against_its_schema() {
    let schema: serde_json::Value = serde_json::from_str(&export::schema_json()).unwrap();
    assert_eq!(
        schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "schemars 1.x writes draft 2020-12"
    );
    jsonschema::meta::validate(&schema).expect("the schema is a valid JSON Schema");
    let validator = jsonschema::draft202012::new(&schema).expect("the schema compiles");
    let export: serde_json::Value = serde_json::from_str(&export::to_json(canon::canon())).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&export)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn the_schema_rejects_what_the_contract_forbids() {
    let schema: serde_json::Value = serde_json::from_str(&export::schema_json()).unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let good: serde_json::Value = serde_json::from_str(&export::to_json(canon::canon())).unwrap();

    let mut wrong_version = good.clone();
    wrong_version["schema_version"] = "mdbook-cavra.canon.v0".into();
    assert!(!validator.is_valid(&wrong_version));

    let mut no_terms = good.clone();
    no_terms["vocabularies"][0]
        .as_object_mut()
        .unwrap()
        .remove("terms");
    assert!(!validator.is_valid(&no_terms));

    let mut bad_section = good;
    bad_section["required_language"][0]["provided_by"] = "footer".into();
    assert!(!validator.is_valid(&bad_section));
}

#[test]
fn the_export_is_the_same_on_every_run() {
    let a = export::to_json(canon::canon());
    let b = export::to_json(canon::canon());
    assert_eq!(a, b);
    assert_eq!(
        export::to_markdown(canon::canon()),
        export::to_markdown(canon::canon())
    );
}

#[test]
fn the_export_holds_the_whole_canon_in_canonical_order() {
    let c = canon::canon();
    let json: serde_json::Value = serde_json::from_str(&export::to_json(c)).unwrap();
    let ids = |key: &str, field: &str| -> Vec<String> {
        json[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v[field].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids("vocabularies", "id"),
        c.vocabularies.iter().map(|v| v.id).collect::<Vec<_>>()
    );
    assert_eq!(
        ids("boundaries", "id"),
        c.boundaries.iter().map(|b| b.id).collect::<Vec<_>>()
    );
    for (v, jv) in c
        .vocabularies
        .iter()
        .zip(json["vocabularies"].as_array().unwrap())
    {
        let terms: Vec<&str> = jv["terms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(terms, v.terms.iter().map(|t| t.name).collect::<Vec<_>>());
    }
    for o in canon::OTHER_SPELLINGS {
        let v = json["vocabularies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["id"] == o.vocabulary)
            .unwrap();
        assert!(
            v["other_spellings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["spelling"] == o.spelling && s["term"] == o.term),
            "{} of {} is not exported",
            o.spelling,
            o.vocabulary
        );
    }
    assert_eq!(
        json["cli"]["commands"].as_array().unwrap().len(),
        c.cli.commands.len()
    );
    assert_eq!(
        json["retired_labels"].as_array().unwrap().len(),
        c.retired.len()
    );
    // The product surface: every entry, in canon order, with its source.
    let surface = &json["surface"];
    let names = |key: &str, field: &str| -> Vec<String> {
        surface[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                assert!(
                    v["source"].as_str().is_some_and(|s| !s.is_empty()),
                    "{key}: {v} has no source"
                );
                v[field].as_str().unwrap().to_string()
            })
            .collect()
    };
    let s = c.surface;
    assert_eq!(
        names("settings", "name"),
        s.settings.iter().map(|x| x.name).collect::<Vec<_>>()
    );
    assert_eq!(
        names("routes", "path"),
        s.routes.iter().map(|x| x.path).collect::<Vec<_>>()
    );
    assert_eq!(
        names("paths", "path"),
        canon::surface::paths()
            .iter()
            .map(|x| x.path)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        names("schema_versions", "id"),
        s.schema_versions.iter().map(|x| x.id).collect::<Vec<_>>()
    );
    assert_eq!(
        names("contracts", "id"),
        s.contracts.iter().map(|x| x.id).collect::<Vec<_>>()
    );
    for (ct, jc) in s
        .contracts
        .iter()
        .zip(surface["contracts"].as_array().unwrap())
    {
        let fields: Vec<&str> = jc["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ct.fields.iter().map(|f| f.path).collect::<Vec<_>>());
    }
}

#[test]
fn the_markdown_reference_names_everything() {
    let c = canon::canon();
    let md = export::to_markdown(c);
    for v in c.vocabularies {
        for t in v.terms {
            assert!(md.contains(&format!("`{}`", t.name)), "{}.{}", v.id, t.name);
            assert!(md.contains(t.meaning()), "{}.{}", v.id, t.name);
        }
    }
    for b in c.boundaries {
        assert!(md.contains(b.title));
        for k in mdbook_cavra::model::SectionKind::ALL {
            for i in b.items(k) {
                assert!(md.contains(i.text), "{}: {}", b.id, i.text);
                for w in i.also {
                    assert!(md.contains(w), "{}: {}", b.id, w);
                }
            }
        }
    }
    for r in c.retired {
        assert!(md.contains(r.phrase));
    }
    for cmd in c.cli.commands {
        assert!(md.contains(&format!("`{}`", cmd.line)), "{}", cmd.line);
    }
    let s = c.surface;
    for x in s.settings {
        assert!(md.contains(&format!("`{}`", x.name)), "{}", x.name);
    }
    for r in s.routes {
        assert!(md.contains(&format!("`{}`", r.path)), "{}", r.path);
    }
    for p in canon::surface::paths() {
        assert!(md.contains(&format!("`{}`", p.path)), "{}", p.path);
    }
    for v in s.schema_versions {
        assert!(md.contains(&format!("`{}`", v.id)), "{}", v.id);
    }
    for ct in s.contracts {
        for f in ct.fields {
            assert!(
                md.contains(&format!("`{}`", f.path)),
                "{}.{}",
                ct.id,
                f.path
            );
        }
    }
}

//! The canon's product surface and the rules that judge a book against it
//! (`unknown-setting`, `unknown-route`, `unknown-path`, `unknown-field`,
//! and `unknown-command` in every fenced block) agree by construction:
//!
//! - a book that names every setting, route, `.cavra/` path, schema
//!   version and contract field of the canon, each in its natural context,
//!   gets no finding from them;
//! - a book with one invented setting, route, path, contract field and a
//!   `$ cavra` transcript line in a ```` ```text ```` fence gets exactly one
//!   finding for each, at its line, and none for the real names around them.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use mdbook_cavra::canon;
use mdbook_cavra::model::{Contract, is_path_placeholder};

const SURFACE_RULES: [&str; 5] = [
    "unknown-setting",
    "unknown-route",
    "unknown-path",
    "unknown-field",
    "unknown-command",
];

/// Check a one-page book; the findings as (rule, line, message, help).
fn check(page: &str) -> Vec<(String, u64, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("src")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"t\"\nsrc = \"src\"\n\n[preprocessor.cavra]\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n- [Page](page.md)\n",
    )
    .unwrap();
    std::fs::write(root.join("src/page.md"), page).unwrap();
    run(root)
}

fn run(root: &Path) -> Vec<(String, u64, String, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_mdbook-cavra"))
        .args(["check", "--format", "json"])
        .arg(root)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
                f["help"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// A concrete path for a template: `{id}` and `*` become example words.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|s| {
            if (s.starts_with('{') && s.ends_with('}')) || s == "*" {
                "example-1".to_string()
            } else {
                s.replace('*', "example")
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A JSON object with every key of `fields` (dotted paths), nested.
fn document(fields: &[&str], top: &[(&str, &str)]) -> String {
    let mut root = serde_json::Map::new();
    for (k, v) in top {
        root.insert(k.to_string(), serde_json::Value::String(v.to_string()));
    }
    for f in fields {
        let parts: Vec<&str> = f.split('.').collect();
        let mut map = &mut root;
        for (i, p) in parts.iter().enumerate() {
            let last = i + 1 == parts.len();
            let has_children = fields
                .iter()
                .any(|g| g.len() > f.len() && g.starts_with(*f) && g.as_bytes()[f.len()] == b'.');
            let entry = map.entry(p.to_string()).or_insert_with(|| {
                if last && !has_children {
                    serde_json::Value::String("…".into())
                } else {
                    serde_json::Value::Object(serde_json::Map::new())
                }
            });
            if last {
                break;
            }
            if !entry.is_object() {
                *entry = serde_json::Value::Object(serde_json::Map::new());
            }
            map = entry.as_object_mut().unwrap();
        }
    }
    serde_json::to_string_pretty(&serde_json::Value::Object(root)).unwrap()
}

/// One JSON example per variant of a contract (per `operation`, or one).
fn examples(c: &Contract) -> Vec<String> {
    let variants: Vec<Option<&str>> = if c.discriminator.is_some() {
        let mut v: Vec<Option<&str>> = c.variants().into_iter().map(Some).collect();
        v.push(None);
        v
    } else {
        vec![None]
    };
    variants
        .into_iter()
        .map(|sel| {
            let fields: Vec<&str> = c
                .applicable(sel)
                .map(|f| f.path)
                .filter(|p| *p != "schema_version" && Some(*p) != c.discriminator)
                .collect();
            let mut top = Vec::new();
            if let Some(v) = c.schema_version {
                top.push(("schema_version", v));
            }
            if let (Some(d), Some(s)) = (c.discriminator, sel) {
                top.push((d, s));
            }
            document(&fields, &top)
        })
        .collect()
}

#[test]
fn every_canon_entry_in_its_natural_context_is_clean() {
    let c = canon::canon();
    let s = c.surface;
    let mut page = String::from("# The whole surface\n\n");
    // Settings: in prose, in inline code, and assigned in a shell block
    // and a compose file (with each enumerated value).
    for x in s.settings {
        let _ = writeln!(
            page,
            "Set `{}` when you need it; CAVRA reads {} by name.\n",
            x.name, x.name
        );
    }
    page.push_str("```sh\n");
    for x in s.settings {
        if x.values.is_empty() {
            let _ = writeln!(page, "export {}=\"<value>\"", x.name);
        }
        for v in x.values {
            let _ = writeln!(page, "export {}={v}", x.name);
        }
    }
    page.push_str("```\n\n```yaml\nenvironment:\n");
    for x in s.settings {
        for v in x.values {
            let _ = writeln!(page, "  {}: {v}", x.name);
        }
    }
    page.push_str("```\n\n");
    // Routes: `METHOD path` in prose and a curl call per method.
    page.push_str("```console\n");
    for r in s.routes {
        let path = concrete(r.path);
        let methods: Vec<&str> = if r.methods.is_empty() {
            vec!["GET"]
        } else {
            r.methods.to_vec()
        };
        for m in methods {
            let _ = writeln!(page, "$ curl -X {m} http://localhost:8000{path}");
        }
    }
    page.push_str("```\n\n");
    for r in s.routes {
        for m in r.methods {
            let _ = writeln!(
                page,
                "Call `{m} {}` (for example `{m} {}`).\n",
                r.path,
                concrete(r.path)
            );
        }
        if r.methods.is_empty() {
            let _ = writeln!(page, "The API serves `{}`.\n", concrete(r.path));
        }
    }
    // Paths: as written, and something beneath each open folder.
    for p in canon::surface::paths() {
        let _ = writeln!(page, "CAVRA writes `{}` ({}).\n", p.path, concrete(p.path));
        if p.open {
            let _ = writeln!(page, "It may hold `{}example.json`.\n", p.path);
        }
    }
    // Schema versions and contracts.
    for v in s.schema_versions {
        let _ = writeln!(page, "A document stamped `{}` is a {}.\n", v.id, v.document);
    }
    for ct in s.contracts {
        let _ = writeln!(
            page,
            "## The {}\n",
            ct.names.first().copied().unwrap_or(ct.title)
        );
        for ex in examples(ct) {
            let _ = writeln!(
                page,
                "Here is the {}:\n\n```json\n{ex}\n```\n",
                ct.names.first().copied().unwrap_or(ct.title)
            );
        }
    }
    // The directives render the same surface.
    page.push_str("{{#cavra-settings}}\n\n{{#cavra-routes}}\n\n{{#cavra-paths}}\n\n");
    for area in s.areas() {
        let _ = writeln!(page, "{{{{#cavra-routes {area}}}}}\n");
    }
    for ct in s.contracts {
        let _ = writeln!(page, "{{{{#cavra-contract {}}}}}\n", ct.id);
    }
    let found: Vec<_> = check(&page)
        .into_iter()
        .filter(|f| SURFACE_RULES.contains(&f.0.as_str()) || f.0 == "unknown-directive")
        .collect();
    assert!(
        found.is_empty(),
        "the canon's own surface is reported: {found:#?}"
    );
}

#[test]
fn every_route_template_segment_kind_matches() {
    // The test above writes `{id}` segments as words; a written
    // placeholder matches too.
    for p in ["{id}", "<id>", ":id", "$ID", "ID"] {
        assert!(is_path_placeholder(p), "{p}");
    }
}

const INVENTED: &str = r#"# A page with one invention of each kind

Real settings are fine: `CAVRA_POLICY_DIR`, and `CAVRA_DEPLOYMENT_MODE=managed`.
The runtime reads its configuration from `CAVRA_CONFIG_FILE`.

Health is `GET /health`, and `POST /decisions` evaluates an action.
Evaluate with `POST /v1/evaluate`.

Keys are in `.cavra/keys/evidence-ed25519-public.pem`.
The policy cache lives in `.cavra/cache/policies.json`.

A control-plane response for entitlement status:

```json
{
  "schema_version": "cavra.saas_control_plane.response.v1",
  "operation": "entitlement_status",
  "status": "accepted",
  "payload": {
    "summary": {
      "tenant_id": "tenant-example",
      "entitlement_status": "trial",
      "checked_at": "…"
    }
  }
}
```

What an evaluation prints:

```text
$ cavra evaluate execute_command "terraform plan"
allow: matched commands.allow
$ cavra evaluate --request request.json
decision: block
```
"#;

#[test]
fn one_invention_of_each_kind_gets_exactly_one_finding() {
    let found = check(INVENTED);
    let mut got: Vec<(String, u64)> = found.iter().map(|f| (f.0.clone(), f.1)).collect();
    got.sort();
    let mut want: Vec<(String, u64)> = [
        ("unknown-setting", 4),
        ("unknown-route", 7),
        ("unknown-path", 10),
        ("unknown-field", 23),
        ("unknown-command", 34),
    ]
    .iter()
    .map(|(r, l)| (r.to_string(), *l))
    .collect();
    want.sort();
    assert_eq!(got, want, "{found:#?}");
    // Each names the nearest real name where one is close.
    let help = |rule: &str| {
        found
            .iter()
            .find(|f| f.0 == rule)
            .map(|f| f.3.clone())
            .unwrap_or_default()
    };
    assert!(
        help("unknown-setting").contains("settings"),
        "{}",
        help("unknown-setting")
    );
    assert!(
        help("unknown-field").contains("`tenant_id`"),
        "{}",
        help("unknown-field")
    );
    assert!(
        help("unknown-command").contains("--"),
        "{}",
        help("unknown-command")
    );
}

#[test]
fn near_misses_name_the_real_one() {
    let found = check(
        "# Typos\n\nSet `CAVRA_POLICY_DIRS`, call `GET /helth`, read `.cavra/policy.yml`.\n\n```json\n{ \"schema_version\": \"cavra.approval.v1\", \"aproval_id\": \"apr_0123456789ab\" }\n```\n",
    );
    let helps: Vec<(&str, &str)> = found.iter().map(|f| (f.0.as_str(), f.3.as_str())).collect();
    for (rule, want) in [
        ("unknown-setting", "`CAVRA_POLICY_DIR`"),
        ("unknown-route", "`GET /health`"),
        ("unknown-path", "`.cavra/policy.yaml`"),
        ("unknown-field", "`approval_id`"),
    ] {
        assert!(
            helps.iter().any(|(r, h)| *r == rule && h.contains(want)),
            "{rule}: {helps:?}"
        );
    }
}

/// What the 2026-12-07 audit of the guide against CAVRA's source found
/// invented stays out of the canon, so the rules keep catching it.
#[test]
fn the_audits_invented_names_are_not_in_the_canon() {
    use mdbook_cavra::check::rules::unknown_field::judge;
    let s = canon::canon().surface;
    for name in ["CAVRA_CONFIG", "CAVRA_SERVER", "CAVRA_TENANT"] {
        assert!(s.setting(name).is_none(), "{name}");
    }
    for path in ["/v1/evaluate", "/healthz", "/serve"] {
        assert!(!s.routes.iter().any(|r| r.matches_path(path)), "{path}");
    }
    let invented: [(&str, Option<&str>, &str); 10] = [
        (
            "saas-response",
            Some("entitlement_status"),
            "payload.summary.checked_at",
        ),
        (
            "saas-response",
            Some("entitlement_status"),
            "payload.summary.capabilities",
        ),
        (
            "saas-response",
            Some("policy_registry_readiness"),
            "payload.summary.health_status",
        ),
        (
            "saas-response",
            Some("policy_registry_readiness"),
            "payload.summary.operator_decision",
        ),
        (
            "saas-response",
            Some("customer_operating_dashboard"),
            "payload.summary.owners",
        ),
        (
            "saas-response",
            Some("customer_operating_dashboard"),
            "payload.summary.next_actions",
        ),
        ("saas-request", Some("evidence_export"), "payload.window"),
        ("saas-request", Some("evidence_export"), "payload.purpose"),
        (
            "saas-response",
            Some("saas_operating_automation_worker_handoff"),
            "payload.summary.job",
        ),
        (
            "saas-response",
            Some("saas_operating_automation"),
            "payload.summary.worker",
        ),
    ];
    for (contract, op, path) in invented {
        let c = s.contract(contract).unwrap();
        let parts: Vec<String> = path.split('.').map(str::to_string).collect();
        assert!(
            judge(c, op, &parts).is_some(),
            "{contract} {op:?} {path} is accepted"
        );
    }
    // The hosted policy registry summary does have `checked_at`.
    let c = s.contract("saas-response").unwrap();
    let parts: Vec<String> = "payload.summary.checked_at"
        .split('.')
        .map(str::to_string)
        .collect();
    assert!(judge(c, Some("policy_registry_readiness"), &parts).is_none());
}

/// Every entry of the surface names where it comes from: `path@commit`
/// (40 hex digits) in CAVRA's repository, or says that the fact sheet could
/// not pin the file.
#[test]
fn every_surface_entry_has_a_source() {
    let s = canon::canon().surface;
    let traced = |src: &str| {
        src.contains("not pinned")
            || src.rsplit_once('@').is_some_and(|(path, commit)| {
                !path.is_empty()
                    && commit
                        .split(':')
                        .next()
                        .is_some_and(|c| c.len() == 40 && c.bytes().all(|b| b.is_ascii_hexdigit()))
            })
    };
    let mut sources: Vec<(&str, &str)> = Vec::new();
    sources.extend(s.settings.iter().map(|x| (x.name, x.source)));
    sources.extend(s.routes.iter().map(|x| (x.path, x.source)));
    sources.extend(canon::surface::paths().iter().map(|x| (x.path, x.source)));
    sources.extend(s.schema_versions.iter().map(|x| (x.id, x.source)));
    for c in s.contracts {
        sources.push((c.id, c.source));
        sources.extend(c.fields.iter().map(|f| (f.path, f.source)));
    }
    let bad: Vec<_> = sources
        .into_iter()
        .filter(|(_, src)| !traced(src))
        .collect();
    assert!(
        bad.is_empty(),
        "entries without a traceable source: {bad:?}"
    );
}

//! Checks of the canon itself: the data every consumer trusts.

use std::collections::HashSet;

use super::*;
use crate::model::SectionKind;

fn is_snake_case(s: &str) -> bool {
    !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !s.ends_with('_')
        && !s.contains("__")
}

#[test]
fn ids_and_titles_are_unique() {
    let c = canon();
    let v: HashSet<_> = c.vocabularies.iter().map(|v| v.id).collect();
    assert_eq!(v.len(), c.vocabularies.len());
    let b: HashSet<_> = c.boundaries.iter().map(|b| b.id).collect();
    assert_eq!(b.len(), c.boundaries.len());
    let t: HashSet<_> = c.boundaries.iter().map(|b| b.title).collect();
    assert_eq!(t.len(), c.boundaries.len());
    for id in v.iter().chain(b.iter()) {
        assert!(
            id.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
            "ids are kebab-case: {id}"
        );
    }
}

#[test]
fn terms_are_snake_case_unique_and_documented() {
    for v in canon().vocabularies {
        let mut seen = HashSet::new();
        assert!(!v.terms.is_empty(), "{} has no terms", v.id);
        assert!(!v.label.is_empty() && !v.fields.is_empty(), "{}", v.id);
        for t in v.terms {
            assert!(
                is_snake_case(t.name),
                "{}.{} is not snake_case",
                v.id,
                t.name
            );
            assert!(seen.insert(t.name), "{}.{} appears twice", v.id, t.name);
            assert!(
                t.meaning().len() > 8 && t.meaning().ends_with('.'),
                "{}.{} needs a one-sentence meaning",
                v.id,
                t.name
            );
        }
    }
}

#[test]
fn every_boundary_is_complete() {
    let c = canon();
    for b in c.boundaries {
        assert!(b.has(SectionKind::Notice), "{} has no notice", b.id);
        assert!(
            b.notice.contains("public-safe"),
            "{}'s notice must make the public-safe statement",
            b.id
        );
        assert!(
            !b.must_not_contain.is_empty(),
            "{} has no must-not-contain list",
            b.id
        );
        assert!(
            !b.private_responsibilities.is_empty(),
            "{} has no private responsibilities",
            b.id
        );
        assert!(!b.triggers.is_empty(), "{} has no trigger phrases", b.id);
        for v in b.vocabularies {
            assert!(
                c.vocabulary(v).is_some(),
                "{} names unknown vocabulary {v}",
                b.id
            );
        }
        for kind in SectionKind::ALL {
            let mut seen = HashSet::new();
            for item in b.items(kind) {
                assert!(seen.insert(item.text), "{} repeats {:?}", b.id, item.text);
                assert!(!item.text.trim().is_empty());
            }
        }
    }
}

#[test]
fn triggers_are_topic_phrases_not_common_words() {
    for b in canon().boundaries {
        for t in b.triggers {
            assert!(
                !["approval", "tenant", "status", "subscription", "billing"].contains(t),
                "{} uses the common word {t:?} as a trigger",
                b.id
            );
        }
    }
}

#[test]
fn vocabularies_are_rust_types() {
    assert_eq!(SubscriptionState::PastDue.to_string(), "past_due");
    assert_eq!(
        "cancelled".parse::<SubscriptionState>(),
        Ok(SubscriptionState::Cancelled)
    );
    let err = "canceled".parse::<SubscriptionState>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "`canceled` is not a term of `subscription`"
    );
    assert_eq!(
        serde_json::to_string(&Decision::RequireApproval).unwrap(),
        "\"require_approval\""
    );
    let d: WorkerMode = serde_json::from_str("\"dry_run\"").unwrap();
    assert_eq!(d, WorkerMode::DryRun);
    assert!(serde_json::from_str::<Decision>("\"deny\"").is_err());
    assert_eq!("strict".parse::<PolicyMode>(), Ok(PolicyMode::Strict));
    assert!("strict_regulated".parse::<PolicyMode>().is_err());
    assert_eq!(
        SubscriptionState::ALL.len(),
        SubscriptionState::VOCABULARY.terms.len()
    );
    for (variant, term) in Operation::ALL.iter().zip(Operation::VOCABULARY.terms) {
        assert_eq!(variant.as_str(), term.name);
        assert_eq!(variant.meaning(), term.meaning());
    }
}

#[test]
fn decisions_from_the_canon_facts() {
    // The canon's decisions are fixed by the facts; a change here is a
    // product decision, not a refactor.
    let names: Vec<_> = Decision::ALL.iter().map(|d| d.as_str()).collect();
    assert_eq!(
        names,
        [
            "allow",
            "block",
            "require_approval",
            "warn",
            "audit_only",
            "allow_with_attestation"
        ]
    );
    let modes: Vec<_> = PolicyMode::ALL.iter().map(|m| m.as_str()).collect();
    assert_eq!(modes, ["audit_only", "enforce", "strict", "break_glass"]);
    assert_eq!(HandoffStatus::ALL.len(), 5);
    assert_eq!(Operation::ALL.len(), 12);
}

#[test]
fn states_named_in_boundary_items_are_real_terms() {
    // Evidence items name states in backticks; a renamed term must not leave
    // a stale name behind in the canon's own prose.
    let c = canon();
    for b in c.boundaries {
        for kind in SectionKind::ALL {
            for item in b.items(kind) {
                for (i, part) in item.text.split('`').enumerate() {
                    if i % 2 == 1 {
                        assert!(
                            c.vocabularies.iter().any(|v| v.term(part).is_some()),
                            "{}: `{part}` in {:?} is no term",
                            b.id,
                            item.text
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn retired_spellings_point_at_real_terms() {
    let c = canon();
    for o in OTHER_SPELLINGS {
        let v = c
            .vocabularies
            .iter()
            .find(|v| v.id == o.vocabulary)
            .unwrap_or_else(|| panic!("no vocabulary `{}`", o.vocabulary));
        assert!(v.term(o.term).is_some(), "{o:?}");
        assert!(v.term(o.spelling).is_none(), "{o:?} is still a term");
    }
}

/// The data file's rows (header dropped), split into cells.
fn cli_rows() -> Vec<Vec<&'static str>> {
    cli::DATA
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
        .collect()
}

#[test]
fn cli_tables_match_the_data_file_per_group() {
    use std::collections::BTreeMap;
    let c = cli();
    let mut from_file: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    for row in cli_rows() {
        let words: Vec<&str> = row[0].split(' ').collect();
        let group = words.get(1).unwrap_or(&words[0]).to_string();
        let slot = match row[1] {
            "command" => 0,
            "argument" => 1,
            "option" => 2,
            other => panic!("unknown kind {other}"),
        };
        from_file.entry(group).or_default()[slot] += 1;
    }
    let mut from_rust: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    for cmd in c.commands {
        let counts = from_rust.entry(cmd.group.to_string()).or_default();
        counts[0] += 1;
        counts[1] += cmd.args.len();
        counts[2] += cmd.options.len();
    }
    assert_eq!(from_rust, from_file);
    let total = from_rust
        .values()
        .fold([0; 3], |a, b| [a[0] + b[0], a[1] + b[1], a[2] + b[2]]);
    assert_eq!(total, [246, 89, 1154], "commands, arguments, options");
    assert_eq!(from_rust["policy"], [18, 10, 27]);
    assert_eq!(from_rust["evidence"][0], 14);
    assert_eq!(from_rust["release"][0], 134);
    assert_eq!(c.programs, ["cavra", "cavra-mcp-server"]);
}

#[test]
fn cli_sample_of_commands_and_options() {
    let c = cli();
    let eval = c.command("evaluate").unwrap();
    assert_eq!(eval.line, "cavra evaluate");
    assert_eq!(eval.path, ["evaluate"]);
    assert_eq!(eval.group, "evaluate");
    let names: Vec<_> = eval.args.iter().map(|a| a.name).collect();
    assert_eq!(names, ["ACTION_TYPE", "TARGET"]);
    let mode = eval.option("--policy-mode").unwrap();
    assert_eq!(
        mode.choices,
        Some(&["audit_only", "enforce", "strict", "break_glass"][..])
    );
    assert!(mode.takes_value);
    assert_eq!(mode.default_value(), Some("enforce"));
    assert!(eval.option("--policy-pack").unwrap().takes_value);
    let json = eval.option("--json").unwrap();
    assert!(!json.takes_value && json.choices.is_none());
    assert!(eval.option("--request").is_none());
    assert_eq!(eval.usage(), "cavra evaluate [OPTIONS] ACTION_TYPE TARGET");
    assert_eq!(
        eval.args[0].choices.unwrap(),
        [
            "read_file",
            "write_file",
            "execute_command",
            "git_operation",
            "mcp_tool_call"
        ]
    );

    let validate = c.command("cavra policy validate").unwrap();
    assert_eq!(validate.name, "policy validate");
    assert_eq!(validate.usage(), "cavra policy validate PATH");
    assert!(c.command("policy   validate").is_some());
    assert!(c.command("policy lint").is_none());

    let start = c.command("agent start").unwrap();
    assert_eq!(start.usage(), "cavra agent start --tool TEXT [OPTIONS]");

    let hold = c
        .command("evidence bundle")
        .unwrap()
        .option("--no-legal-hold")
        .unwrap();
    assert_eq!(hold.name, "--legal-hold/--no-legal-hold");
    assert_eq!(
        hold.longs().collect::<Vec<_>>(),
        ["--legal-hold", "--no-legal-hold"]
    );

    let mcp = c.command("cavra-mcp-server").unwrap();
    assert!(mcp.path.is_empty());
    assert_eq!(mcp.group, "cavra-mcp-server");
    assert_eq!(mcp.option("-h").unwrap().name, "--help");
    assert!(mcp.option("--list-tools").is_some());
    assert!(mcp.note.is_some());

    // The facts' note: on Python 3.9 this flag also has a negative form.
    let sla = c
        .command("release deliver-endpoint-remediation-sla")
        .unwrap()
        .option("--no-force");
    assert!(sla.is_some());

    assert_eq!(c.children("cavra", &[]).len(), c.groups().len() - 1);
    assert!(c.children("cavra", &["policy"]).contains(&"validate"));
    assert!(c.children("cavra", &["evaluate"]).is_empty());
    assert!(c.exact("cavra", &["version"]).is_some());
    assert_eq!(c.group("demo").count(), 1);
}

#[test]
fn cli_commands_are_unique_and_leaves() {
    let c = cli();
    let mut lines = HashSet::new();
    for cmd in c.commands {
        assert!(lines.insert(cmd.line), "{} twice", cmd.line);
        // A command is never also the prefix of another: groups are not
        // commands in CAVRA's CLI.
        assert!(
            c.children(cmd.program, cmd.path).is_empty(),
            "{} is both a command and a group",
            cmd.line
        );
        let mut spellings = HashSet::new();
        for o in cmd.options {
            assert!(!o.spellings.is_empty(), "{} {}", cmd.line, o.name);
            for s in o.spellings {
                assert!(spellings.insert(*s), "{} spells {s} twice", cmd.line);
            }
            if let Some(choices) = o.choices {
                assert!(o.takes_value && choices.iter().all(|c| !c.is_empty()));
            }
        }
        for a in cmd.args {
            assert!(a.spellings.is_empty() && a.takes_value);
        }
    }
}

#[test]
fn cli_every_row_is_described_in_one_line() {
    let c = cli();
    let all_params = c
        .commands
        .iter()
        .flat_map(|cmd| cmd.args.iter().chain(cmd.options).map(move |p| (cmd, p)));
    for cmd in c.commands {
        assert!(
            cmd.description.len() > 10 && cmd.description.ends_with('.'),
            "{}: {:?}",
            cmd.line,
            cmd.description
        );
        assert!(
            cmd.source.contains(".py:") && cmd.source.contains('@'),
            "{}",
            cmd.line
        );
    }
    for (cmd, p) in all_params {
        assert!(
            p.description.len() > 5 && p.description.ends_with('.'),
            "{} {}: {:?}",
            cmd.line,
            p.name,
            p.description
        );
    }
}

/// CAVRA's fact sheet, when this checkout sits next to it (`../shared`).
/// The data file must hold its facts exactly and none of its help texts.
#[test]
fn cli_data_file_holds_the_facts_but_not_cavras_words() {
    let path = std::env::var("CAVRA_CLI_FACTS").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/facts/cavra-cli.tsv").to_string()
    });
    let Ok(facts) = std::fs::read_to_string(&path) else {
        eprintln!("SKIPPED: no fact sheet at {path}; set CAVRA_CLI_FACTS to check against it");
        return;
    };
    let facts: Vec<Vec<&str>> = facts
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    let ours = cli_rows();
    assert_eq!(facts.len(), ours.len(), "one row per fact");
    for (f, o) in facts.iter().zip(&ours) {
        // command, kind, name, alias and source are the facts themselves.
        assert_eq!(
            (f[0], f[1], f[2], f[3], f[6]),
            (o[0], o[1], o[2], o[3], o[11]),
            "row differs from the fact sheet"
        );
        if f[1] != "command" {
            // type; multiple; required; default=; documented values; NOTE
            let mut parts = vec![o[4].to_string()];
            if o[6] == "yes" {
                parts.push("multiple".into());
            }
            if o[5] == "yes" {
                parts.push("required".into());
            }
            if !o[7].is_empty() {
                parts.push(format!("default={}", o[7]));
            }
            if !o[8].is_empty() {
                parts.push(format!(
                    "documented values (not enforced by Typer): {}",
                    o[8]
                ));
            }
            if !o[9].is_empty() {
                parts.push(format!("NOTE: {}", o[9]));
            }
            assert_eq!(parts.join("; "), f[4], "{} {}", f[0], f[2]);
        }
        let help = f[5].trim();
        let ours = o[10].trim();
        assert!(
            help.is_empty() || !help.eq_ignore_ascii_case(ours),
            "{} {}: the description repeats CAVRA's help text",
            f[0],
            f[2]
        );
        if let Some(group_help) = f[4].strip_prefix("group-help: ") {
            assert!(
                !o.iter().any(|cell| cell.contains(group_help)),
                "{}: CAVRA's group help text must not be kept",
                f[0]
            );
        }
    }
}

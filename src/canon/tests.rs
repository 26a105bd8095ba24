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

//! `mdbook-cavra report` on a small fixture book whose billing page leaves
//! out known items, and the promise the canon makes: a change to it shows at
//! once in `export`, in `report` and in the rendered guide, because all three
//! read the same canon data.

use std::path::{Path, PathBuf};

use mdbook_cavra::coverage::{self, Coverage, How, RowKind, UseKind};
use mdbook_cavra::markdown::Page;
use mdbook_cavra::model::{Boundary, Canon, Item, Term, Vocabulary};
use mdbook_cavra::session::Session;
use mdbook_cavra::{canon, expand, export, render};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/coverage")
}

fn report(canon: &'static Canon) -> Coverage {
    let session = Session::load(&fixture()).unwrap();
    coverage::coverage(&session.book, canon).unwrap()
}

fn places(c: &Coverage, boundary: &str, text: &str) -> Vec<(String, usize, How)> {
    let b = c.boundaries.iter().find(|b| b.id == boundary).unwrap();
    let row = b
        .rows
        .iter()
        .find(|r| r.text == text)
        .unwrap_or_else(|| panic!("no row `{text}` in {boundary}"));
    assert_eq!(row.missing, row.places.is_empty());
    row.places
        .iter()
        .map(|p| (p.page.clone(), p.line, p.how))
        .collect()
}

#[test]
fn the_report_finds_each_item_and_marks_the_missing_ones() {
    let c = report(canon::canon());
    assert_eq!(c.schema_version, "mdbook-cavra.coverage.v1");
    assert_eq!(c.pages, 2);
    let billing = c
        .boundaries
        .iter()
        .find(|b| b.id == "billing-subscription")
        .unwrap();
    assert_eq!(billing.own_pages, ["src/billing.md"]);

    // The known missing item of the hand-written must-not-contain list, and
    // the statement the page never makes.
    assert!(places(&c, "billing-subscription", "license keys").is_empty());
    assert!(
        places(
            &c,
            "billing-subscription",
            "statement that its examples are synthetic"
        )
        .is_empty()
    );
    // Hand-written, by an accepted shorter wording too.
    assert_eq!(
        places(&c, "billing-subscription", "invoice records"),
        [("src/billing.md".to_string(), 12, How::HandWritten)]
    );
    assert_eq!(
        places(&c, "billing-subscription", "license signing keys"),
        [("src/billing.md".to_string(), 17, How::HandWritten)]
    );
    // Required language: written by hand, and made by a section directive.
    let public_safe = canon::canon().required_language[0].what;
    assert_eq!(
        places(&c, "billing-subscription", public_safe),
        [
            ("src/billing.md".to_string(), 3, How::HandWritten),
            ("src/billing.md".to_string(), 5, How::Directive)
        ]
    );
    assert_eq!(
        places(&c, "billing-subscription", "escalation routing"),
        [("src/billing.md".to_string(), 25, How::Directive)]
    );
    // Every row of a boundary the book never addresses is missing.
    let tenants = c
        .boundaries
        .iter()
        .find(|b| b.id == "tenant-onboarding")
        .unwrap();
    assert!(tenants.own_pages.is_empty());
    assert!(tenants.rows.iter().all(|r| r.missing));
    assert!(tenants.rows.iter().any(|r| r.kind == RowKind::Required));
    assert_eq!(c.summary.rows, c.summary.stated + c.summary.missing);

    // Vocabularies: each way a page uses one.
    let uses = |id: &str| -> Vec<(String, usize, UseKind, Vec<String>)> {
        let v = c.vocabularies.iter().find(|v| v.id == id).unwrap();
        v.uses
            .iter()
            .map(|u| (u.page.clone(), u.line, u.kind, u.terms.clone()))
            .collect()
    };
    let subscription = uses("subscription");
    assert_eq!(subscription[0].0, "src/billing.md");
    assert_eq!(subscription[0].2, UseKind::TableDirective);
    assert_eq!(
        &subscription[1..],
        [
            (
                "src/billing.md".into(),
                31,
                UseKind::InlineTerm,
                vec!["past_due".into()]
            ),
            (
                "src/billing.md".into(),
                34,
                UseKind::FieldValue,
                vec!["active".into()]
            ),
            (
                "src/tenants.md".into(),
                3,
                UseKind::TermDirective,
                vec!["trial".into()]
            ),
        ]
    );
    assert_eq!(
        uses("decision"),
        [(
            "src/tenants.md".into(),
            3,
            UseKind::InlineTerm,
            vec!["block".into()]
        )]
    );
    let readiness = c.vocabularies.iter().find(|v| v.id == "readiness").unwrap();
    assert_eq!(readiness.uses[0].kind, UseKind::HandWrittenList);
    assert_eq!(readiness.uses[0].missing, ["unknown"]);
    assert_eq!(readiness.unstated_terms, ["unknown"]);
    let unused = c.vocabularies.iter().find(|v| v.id == "approval").unwrap();
    assert!(unused.uses.is_empty() && unused.pages.is_empty());
}

#[test]
fn reviewers_see_the_missing_items_in_markdown_and_html() {
    let c = report(canon::canon());
    let md = coverage::to_markdown(&c);
    assert!(
        md.contains("| must-not-contain | license keys | **missing** |"),
        "{md}"
    );
    assert!(
        md.contains("| must-not-contain | invoice records | `src/billing.md:12` (hand-written) |")
    );
    let html = coverage::to_html(&c);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<td>license keys</td>"));
    assert!(html.contains("<strong class=\"missing\">missing</strong>"));
    let json: serde_json::Value = serde_json::from_str(&coverage::to_json(&c)).unwrap();
    assert_eq!(json["summary"]["missing"], c.summary.missing);
}

/// Every term and boundary item of `canon` is in the export, in the report
/// and in what the guide renders for it.
fn assert_everywhere(canon: &'static Canon) {
    let exported: serde_json::Value = serde_json::from_str(&export::to_json(canon)).unwrap();
    let reported = report(canon);
    for (i, v) in canon.vocabularies.iter().enumerate() {
        let table = render::states_table(v);
        let ex = &exported["vocabularies"][i];
        let rep = &reported.vocabularies[i];
        assert_eq!(ex["id"], v.id);
        assert_eq!(rep.id, v.id);
        for (j, t) in v.terms.iter().enumerate() {
            assert_eq!(
                ex["terms"][j]["name"], t.name,
                "export lacks {}.{}",
                v.id, t.name
            );
            assert_eq!(ex["terms"][j]["meaning"], t.meaning());
            assert_eq!(rep.terms[j], t.name, "report lacks {}.{}", v.id, t.name);
            assert!(
                table.contains(&format!("| `{}` | {} |", t.name, t.meaning())),
                "the guide's table lacks {}.{}",
                v.id,
                t.name
            );
        }
    }
    for (i, b) in canon.boundaries.iter().enumerate() {
        let rendered = render::whole_boundary(canon, b);
        let ex = &exported["boundaries"][i];
        let rep = &reported.boundaries[i];
        assert_eq!(rep.id, b.id);
        for kind in b.sections() {
            for item in b.items(kind) {
                assert!(
                    rendered.contains(&format!("- {}", item.text)),
                    "{}",
                    item.text
                );
                assert!(
                    rep.rows.iter().any(|r| r.text == item.text),
                    "report lacks {}",
                    item.text
                );
                assert!(
                    ex["sections"][kind.id()]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|e| e["text"] == item.text),
                    "export lacks {}",
                    item.text
                );
            }
        }
    }
}

#[test]
fn the_canon_shows_the_same_in_export_report_and_guide() {
    assert_everywhere(canon::canon());
}

/// The canon with one more subscription state and one more item that the
/// billing boundary's public material must not contain.
fn changed_canon() -> &'static Canon {
    let base = canon::canon();
    let mut vocabularies: Vec<Vocabulary> = base.vocabularies.to_vec();
    let sub = vocabularies
        .iter_mut()
        .find(|v| v.id == "subscription")
        .unwrap();
    let mut terms: Vec<Term> = sub.terms.to_vec();
    terms.push(Term {
        name: "on_hold",
        doc: " Held by the operator while a dispute is open.",
    });
    sub.terms = Vec::leak(terms);
    let mut boundaries: Vec<Boundary> = base.boundaries.to_vec();
    let billing = boundaries
        .iter_mut()
        .find(|b| b.id == "billing-subscription")
        .unwrap();
    let mut items: Vec<Item> = billing.must_not_contain.to_vec();
    items.push(Item {
        text: "customer tax identifiers",
        also: &[],
    });
    billing.must_not_contain = Vec::leak(items);
    Box::leak(Box::new(Canon {
        vocabularies: Vec::leak(vocabularies),
        boundaries: Vec::leak(boundaries),
        ..*base
    }))
}

#[test]
fn a_change_to_the_canon_shows_at_once_in_export_report_and_guide() {
    let changed = changed_canon();
    assert_everywhere(changed);

    // The export carries the new term and item, the unchanged canon's does not.
    let before = export::to_json(canon::canon());
    let after = export::to_json(changed);
    assert!(!before.contains("on_hold") && after.contains("\"name\": \"on_hold\""));
    assert!(after.contains("\"text\": \"customer tax identifiers\""));

    // The report: the table directive now states the new term; the
    // hand-written must-not-contain list now misses the new item.
    let c = report(changed);
    let sub = c
        .vocabularies
        .iter()
        .find(|v| v.id == "subscription")
        .unwrap();
    assert!(sub.terms.contains(&"on_hold"));
    assert!(sub.uses[0].terms.iter().any(|t| t == "on_hold"));
    assert!(places(&c, "billing-subscription", "customer tax identifiers").is_empty());
    assert_eq!(report(canon::canon()).summary.rows + 1, c.summary.rows);

    // The guide: the fixture's page, expanded with the changed canon, shows
    // the new state in its table.
    let text = std::fs::read_to_string(fixture().join("src/billing.md")).unwrap();
    let page = Page::parse(&text);
    let expanded = expand::expand(&page, changed);
    assert!(expanded.contains("| `on_hold` | Held by the operator while a dispute is open. |"));
    assert!(!expand::expand(&page, canon::canon()).contains("on_hold"));
}

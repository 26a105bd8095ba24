//! Reading like a CAVRA writer (issue 20): each behaviour as a class.

use mdbook_cavra::canon::canon;
use mdbook_cavra::model::{Boundary, SectionKind, Vocabulary};
use mdbook_cavra::session::{Session, Source};

/// Findings on a one-page book: (rule, line, message with help and notes).
fn check(text: &str) -> Vec<(String, usize, String)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("book.toml"),
        "[book]\ntitle = \"t\"\n\n[preprocessor.cavra]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("src/SUMMARY.md"),
        "# Summary\n\n- [Page](page.md)\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("src/page.md"), text).unwrap();
    Session::load(dir.path())
        .unwrap()
        .run(Source::Disk)
        .unwrap()
        .findings
        .into_iter()
        .map(|f| {
            let mut m = f.message.clone();
            if let Some(h) = &f.help {
                m.push_str(" | help: ");
                m.push_str(h);
            }
            for n in &f.notes {
                m.push_str(" | note: ");
                m.push_str(n);
            }
            (f.rule.id.to_string(), f.at.line, m)
        })
        .collect()
}

fn of_rule<'a>(
    found: &'a [(String, usize, String)],
    rule: &'a str,
) -> impl Iterator<Item = &'a (String, usize, String)> {
    found.iter().filter(move |f| f.0 == rule)
}

/// A lead-in that introduces each kind of boundary list.
fn cue(kind: SectionKind) -> &'static str {
    match kind {
        SectionKind::MayContain => "The public repository may contain",
        SectionKind::MustNotContain => "The public repository must not contain",
        SectionKind::PrivateResponsibilities => "Private services must implement",
        SectionKind::Evidence => "Steady-state blockers",
        SectionKind::Notice => unreachable!(),
    }
}

/// The shapes a writer gives a list: bullets, and a sentence with and
/// without a serial comma.
fn shapes(kind: SectionKind, entries: &[String]) -> Vec<String> {
    let lead = cue(kind);
    let bullets: String = entries.iter().map(|e| format!("- {e}\n")).collect();
    let (last, rest) = entries.split_last().unwrap();
    vec![
        format!("{lead}:\n\n{bullets}"),
        format!("{lead} {}, and {last}.\n", rest.join(", ")),
        format!("{lead} {} and {last}.\n", rest.join(", ")),
    ]
}

fn own_page(b: &Boundary, body: &str) -> String {
    format!("# {}\n\n{body}", b.title)
}

/// Every accepted wording the canon gives an item under any boundary.
fn accepted(text: &str) -> Vec<&'static str> {
    let mut out = vec![];
    for b in canon().boundaries {
        for kind in SectionKind::ALL {
            for i in b.items(kind) {
                if i.text == text {
                    for w in i.wordings() {
                        if !out.contains(&w) {
                            out.push(w);
                        }
                    }
                }
            }
        }
    }
    out
}

fn list_kinds(b: &Boundary) -> Vec<SectionKind> {
    b.sections()
        .filter(|k| *k != SectionKind::Notice && !b.items(*k).is_empty())
        .collect()
}

/// Issue 20, 1: every item of every boundary, in each wording the canon
/// accepts for it under any boundary, in bullets and in sentences with and
/// without a serial comma, is present.
#[test]
fn every_accepted_wording_of_every_item_counts_in_every_list_shape() {
    let mut checked = 0;
    for b in canon().boundaries {
        for kind in list_kinds(b) {
            let items = b.items(kind);
            let most = items.iter().map(|i| accepted(i.text).len()).max().unwrap();
            for round in 0..most {
                let entries: Vec<String> = items
                    .iter()
                    .map(|i| {
                        let ws = accepted(i.text);
                        ws[round % ws.len()].replace('`', "")
                    })
                    .collect();
                for page in shapes(kind, &entries) {
                    let found = check(&own_page(b, &page));
                    let wrong: Vec<_> = of_rule(&found, "boundary-list-incomplete").collect();
                    assert!(wrong.is_empty(), "{}: {page}\n{wrong:?}", b.id);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 40, "{checked}");
}

/// Issue 20, 1: a missing item is named, in every shape, for every item.
#[test]
fn every_missing_item_is_named_once() {
    for b in canon().boundaries {
        for kind in list_kinds(b) {
            let items = b.items(kind);
            for (gone, item) in items.iter().enumerate() {
                let entries: Vec<String> = items
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != gone)
                    .map(|(_, i)| i.text.replace('`', ""))
                    .collect();
                if entries.len() < 3 {
                    continue;
                }
                // An item whose words another item says whole (a shorter
                // wording of it) is not missing: "license-service
                // telemetry" is said by "license-service reachability and
                // telemetry".
                let shorter_of_another = items.iter().enumerate().any(|(i, other)| {
                    i != gone && accepted(other.text).iter().any(|w| w.contains(item.text))
                });
                for page in shapes(kind, &entries) {
                    let found = check(&own_page(b, &page));
                    let hits: Vec<_> = of_rule(&found, "boundary-list-incomplete").collect();
                    if shorter_of_another {
                        continue;
                    }
                    assert_eq!(hits.len(), 1, "{}: {page}\n{hits:?}", b.id);
                    assert!(
                        hits[0].2.contains(&format!("\"{}\"", item.text)),
                        "{}: {page}\n{hits:?}",
                        b.id
                    );
                }
            }
        }
    }
}

/// Content words of an item, as the comparison reads them.
fn content(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .filter(|w| {
            ![
                "a", "an", "the", "and", "or", "of", "for", "to", "with", "in", "on", "by",
            ]
            .contains(&w.to_ascii_lowercase().as_str())
        })
        .map(str::to_string)
        .collect()
}

/// Issue 20, 1: a shorter wording (its first and last content words, as
/// "billing checks" for "billing and subscription status checks") says
/// the item; a single word of it says only a part, and the finding names
/// the part left out, not the whole item.
#[test]
fn shorter_wordings_count_and_a_missing_part_is_named() {
    let mut shorter = 0;
    let mut parts = 0;
    for b in canon().boundaries {
        for kind in list_kinds(b) {
            let items = b.items(kind);
            for (k, item) in items.iter().enumerate() {
                let words = content(&item.text.replace('`', ""));
                if words.len() < 3 {
                    continue;
                }
                let short = format!("{} {}", words[0], words[words.len() - 1]);
                // Skip a short form that is another item's own wording.
                let clash = items.iter().any(|o| {
                    accepted(o.text)
                        .iter()
                        .any(|w| w.to_lowercase().contains(&short.to_lowercase()))
                        && o.text != item.text
                });
                if clash {
                    continue;
                }
                let with = |entry: &str| -> Vec<String> {
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, o)| {
                            if i == k {
                                entry.to_string()
                            } else {
                                o.text.replace('`', "")
                            }
                        })
                        .collect()
                };
                // Without a serial comma, an item with a comma of its own
                // ("observability, incident response and …") cannot be told
                // from its neighbour; bullets and serial commas can.
                let has_comma = items.iter().any(|o| o.text.contains(','));
                let all = shapes(kind, &with(&short));
                let n = if has_comma { 2 } else { 3 };
                for page in all.into_iter().take(n) {
                    let found = check(&own_page(b, &page));
                    let hits: Vec<_> = of_rule(&found, "boundary-list-incomplete").collect();
                    assert!(hits.is_empty(), "{}: {page}\n{hits:?}", b.id);
                    shorter += 1;
                }
                // One word of it alone: a part.
                let one = &words[0];
                if one.contains('-') {
                    continue; // its parts are two words
                }
                let says_other = items.iter().any(|o| {
                    o.text != item.text
                        && (content(o.text).iter().any(|w| w.eq_ignore_ascii_case(one)))
                });
                if says_other {
                    continue;
                }
                let page = &shapes(kind, &with(one))[0];
                let found = check(&own_page(b, page));
                let hits: Vec<_> = of_rule(&found, "boundary-list-incomplete").collect();
                assert_eq!(hits.len(), 1, "{}: {page}\n{hits:?}", b.id);
                assert!(
                    hits[0].2.contains(&format!("(of \"{}\")", item.text)),
                    "{}: {page}\n{hits:?}",
                    b.id
                );
                parts += 1;
            }
        }
    }
    assert!(shorter > 30 && parts > 5, "{shorter} {parts}");
}

/// Issue 20, 2: a coordinated phrase names every boundary title in it,
/// for every pair and triple of titles that share their last word.
#[test]
fn a_coordinated_phrase_names_every_title_in_it() {
    let titles: Vec<(&Boundary, &str, &str)> = canon()
        .boundaries
        .iter()
        .map(|b| {
            let (head, last) = b.title.rsplit_once(' ').unwrap();
            (b, head, last)
        })
        .collect();
    let mut checked = 0;
    for (a, ha, la) in &titles {
        for (b, hb, lb) in &titles {
            if a.id == b.id || la != lb {
                continue;
            }
            let plural = format!("{}s", la.to_lowercase());
            for text in [
                format!(
                    "The {} and {} {plural} are now delivered.\n",
                    ha.to_lowercase(),
                    hb.to_lowercase()
                ),
                format!("Both the {ha} or the {hb} {plural} apply.\n"),
            ] {
                let found = check(&format!("# Status\n\n{text}"));
                for x in [a, b] {
                    assert!(
                        of_rule(&found, "boundary-link").any(|f| f.2.contains(x.title)),
                        "{text} {}\n{found:?}",
                        x.title
                    );
                }
                checked += 1;
            }
            for (c, hc, lc) in &titles {
                if c.id == a.id || c.id == b.id || lc != la {
                    continue;
                }
                let text = format!(
                    "The {ha}, {hb}, and {hc} {}s ship together.\n",
                    la.to_lowercase()
                );
                let found = check(&format!("# Status\n\n{text}"));
                for x in [a, b, c] {
                    assert!(
                        of_rule(&found, "boundary-link").any(|f| f.2.contains(x.title)),
                        "{text} {}\n{found:?}",
                        x.title
                    );
                }
                checked += 1;
                break;
            }
        }
    }
    assert!(checked > 30, "{checked}");
    // A title's first words with no title after the joining word name nothing.
    let found =
        check("# Status\n\nThe hosted policy registry readiness and uptime numbers are fine.\n");
    assert!(
        of_rule(&found, "boundary-link").next().is_none(),
        "{found:?}"
    );
}

/// A plural, multi-word name of a vocabulary ("subscription states").
fn plural_name(v: &Vocabulary) -> &'static str {
    v.names()
        .find(|n| n.contains(' ') && n.ends_with('s') && !n.ends_with("status"))
        .unwrap_or_else(|| panic!("{} has no plural name", v.id))
}

/// Issue 20, 5: two or three terms after "The X are:" (bullets) or in
/// "The X are `a` and `b`." are the whole set as the writer sees it, and
/// they leave terms out; after "include" they are only some of them.
#[test]
fn short_lists_after_an_announcing_lead_in_count_for_every_vocabulary() {
    for v in canon().vocabularies {
        let name = plural_name(v);
        for n in [2, 3] {
            if v.terms.len() <= n {
                continue;
            }
            let terms: Vec<&str> = v.terms.iter().take(n).map(|t| t.name).collect();
            let bullets: String = terms.iter().map(|t| format!("- `{t}`\n")).collect();
            let codes: Vec<String> = terms.iter().map(|t| format!("`{t}`")).collect();
            let (last, rest) = codes.split_last().unwrap();
            let inline = format!("{} and {last}", rest.join(", "));
            let cap = |s: &str| {
                let mut c = s.chars();
                c.next()
                    .unwrap()
                    .to_uppercase()
                    .chain(c)
                    .collect::<String>()
            };
            for page in [
                format!("# Notes\n\nThe {name} are:\n\n{bullets}"),
                format!("# Notes\n\n{}:\n\n{bullets}", cap(name)),
                format!("# Notes\n\nThe supported {name} are {inline}.\n"),
            ] {
                let found = check(&page);
                let drift: Vec<_> = of_rule(&found, "state-list-drift").collect();
                assert_eq!(drift.len(), 1, "{}: {page}\n{found:?}", v.id);
                let missing = v.terms[n].name;
                assert!(
                    drift[0].2.contains(&format!("`{missing}`")),
                    "{page}\n{drift:?}"
                );
            }
            if n * 2 >= v.terms.len() {
                continue; // half the set or more is a list that drifted anyway
            }
            for page in [
                format!("# Notes\n\nBlocking {name} include:\n\n{bullets}"),
                format!("# Notes\n\nWhen the {name} are {inline}, wait.\n"),
                format!("# Notes\n\n- the {} is {inline}\n", v.label),
            ] {
                let found = check(&page);
                assert!(
                    of_rule(&found, "state-list-drift").next().is_none(),
                    "{}: {page}\n{found:?}",
                    v.id
                );
            }
        }
    }
}

/// Issue 20, 3: a retired spelling of a term is judged the same wherever
/// its place says which vocabulary it is: a sentence naming the
/// vocabulary, a heading naming it, or a neighbour that only that
/// vocabulary has.
#[test]
fn a_retired_spelling_is_judged_the_same_in_every_context() {
    let c = canon();
    let mut checked = 0;
    for o in mdbook_cavra::canon::OTHER_SPELLINGS {
        let v = c
            .vocabularies
            .iter()
            .find(|v| v.id == o.vocabulary)
            .unwrap();
        let x = o.spelling;
        let only: Vec<&str> = v
            .terms
            .iter()
            .map(|t| t.name)
            .filter(|t| {
                c.vocabularies
                    .iter()
                    .filter(|w| w.term(t).is_some())
                    .count()
                    == 1
            })
            .collect();
        let mut pages = vec![
            format!("# Guide\n\nThe {} is `{x}` here.\n", v.label),
            format!(
                "# Guide\n\n## {}\n\nStart with `{x}` for a week.\n",
                plural_name(v)
            ),
        ];
        if let Some(t) = only.first() {
            pages.push(format!(
                "# Guide\n\nA rule returns `{t}` or `{x}` for each request.\n"
            ));
        }
        for page in pages {
            let found = check(&page);
            let hits: Vec<_> = of_rule(&found, "undefined-state").collect();
            // `shadow` is the retired spelling of a decision and of a policy
            // mode; either judgement names its replacement.
            assert!(
                hits.iter()
                    .any(|h| h.2.contains(&format!("`{x}`")) && h.2.contains("did you mean")),
                "{}: {page}\n{found:?}",
                v.id
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "{checked}");
    // `shadow` is a worker mode: beside worker modes, or with no context, it
    // is a term.
    for page in [
        "# Guide\n\nA worker runs in `dry_run` or `shadow` first.\n",
        "# Guide\n\nUse `deny` lists in firewall rules.\n",
    ] {
        let found = check(page);
        assert!(
            of_rule(&found, "undefined-state").next().is_none(),
            "{page}\n{found:?}"
        );
    }
}

/// Issue 20, 7: a table or list of a vocabulary with undefined entries is
/// one finding, with each entry named in a note, for every vocabulary.
#[test]
fn one_table_or_list_is_one_finding_with_its_values_in_notes() {
    for v in canon().vocabularies {
        let mut values: Vec<String> = v.terms.iter().map(|t| t.name.to_string()).collect();
        let wrong = ["made_up", "not_a_state"];
        values.truncate(values.len().saturating_sub(1).max(1));
        values.extend(wrong.iter().map(|s| s.to_string()));
        let rows: String = values
            .iter()
            .map(|t| format!("| `{t}` | text |\n"))
            .collect();
        let items: String = values.iter().map(|t| format!("- `{t}`\n")).collect();
        let label = v.label;
        let header = v.names().find(|n| n.contains(' ')).unwrap();
        for page in [
            format!("# Notes\n\n| {header} | Meaning |\n| --- | --- |\n{rows}"),
            format!("# Notes\n\nThe {}:\n\n{items}", plural_name(v)),
        ] {
            let found = check(&page);
            let state: Vec<_> = found
                .iter()
                .filter(|f| f.0 == "state-list-drift" || f.0 == "undefined-state")
                .collect();
            assert_eq!(state.len(), 1, "{}: {page}\n{found:?}", v.id);
            for w in wrong {
                assert!(
                    state[0]
                        .2
                        .contains(&format!("note: undefined {label} `{w}`")),
                    "{page}\n{state:?}"
                );
            }
        }
    }
}

/// Issue 20, 4: a retired label that spells a contract field, said among
/// that contract's other fields (or coordinated with one), names the field;
/// the same words on their own are the label.
#[test]
fn a_field_name_is_not_a_label() {
    let c = canon();
    let mut checked = 0;
    for contract in mdbook_cavra::canon::LABEL_FIELDS {
        for field in contract.fields {
            let words = field.replace('_', " ");
            let Some(r) = c.retired.iter().find(|r| {
                let p = r.phrase.to_lowercase();
                words == p || words == format!("{p}s")
            }) else {
                continue;
            };
            for sibling in contract.fields.iter().filter(|f| *f != field) {
                let s = sibling.replace('_', " ");
                for page in [
                    format!("# Summary\n\nThe summary reports:\n\n- {s};\n- {words};\n"),
                    format!("# Summary\n\nIt defines {s}, {words}, and more.\n"),
                ] {
                    let found = check(&page);
                    assert!(
                        of_rule(&found, "retired-term").next().is_none(),
                        "{page}\n{found:?}"
                    );
                    checked += 1;
                }
            }
            let (first, tail) = field.split_once('_').unwrap();
            for sibling in contract.fields.iter().filter(|f| *f != field) {
                if let Some((head, rest)) = sibling.split_once('_')
                    && rest == tail
                {
                    let page = format!(
                        "# Summary\n\n{} and {first} {} summary.\n",
                        head,
                        tail.replace('_', " ")
                    );
                    let found = check(&page);
                    assert!(
                        of_rule(&found, "retired-term").next().is_none(),
                        "{page}\n{found:?}"
                    );
                    checked += 1;
                }
            }
            let page = format!(
                "# Plans\n\nEach {} shows a padlock in the console.\n",
                r.phrase
            );
            let found = check(&page);
            assert!(
                of_rule(&found, "retired-term").next().is_some(),
                "{page}\n{found:?}"
            );
        }
    }
    assert!(checked > 10, "{checked}");
}

/// Issue 20, 6: sentences that say how a boundary's subjects work discuss
/// the boundary even with several subjects in one sentence; bare items of
/// an enumeration, or of a boundary list, stay passing mentions. For every
/// trigger of every boundary.
#[test]
fn running_prose_about_subjects_discusses_the_boundary() {
    for b in canon().boundaries {
        // A trigger that is the boundary's title is named, not mentioned.
        for t in b.triggers.iter().filter(|t| !t.contains("contract")) {
            let prose = format!(
                "# Operations\n\nWhen the {t} fails, the record is kept, the owner is told, and the job waits.\n\n\
                 Each night the {t} sends a summary, the queue drains, and the report is filed.\n"
            );
            let found = check(&prose);
            assert!(
                of_rule(&found, "boundary-link").any(|f| f.2.contains(b.title)),
                "{t}\n{found:?}"
            );
            let passing = format!(
                "# Modules\n\nThe modules are alpha, {t}, beta, and gamma.\n\n\
                 Later work covers delta, epsilon, {t}, and zeta.\n\n\
                 This repository must not contain:\n\n- {t} data\n- tokens\n"
            );
            let found = check(&passing);
            assert!(
                !of_rule(&found, "boundary-link").any(|f| f.2.contains(b.title)),
                "{t}\n{found:?}"
            );
        }
    }
}

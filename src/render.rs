//! Canon → Markdown. Output is plain CommonMark plus GFM tables, which every
//! mdBook renderer understands.

use std::fmt::Write;

use crate::directive::Directive;
use crate::model::{Boundary, Canon, SectionKind, Vocabulary};

/// The Markdown a directive expands to. Block output carries no leading or
/// trailing blank lines; [`crate::expand::expand`] fits it into its line.
pub fn directive(canon: &Canon, d: Directive) -> String {
    match d {
        Directive::States { vocabulary } => {
            states_table(canon.vocabulary(vocabulary).expect("checked by parse"))
        }
        Directive::State { term, .. } => format!("`{term}`"),
        Directive::Boundary { boundary, section } => {
            let b = canon.boundary(boundary).expect("checked by parse");
            match section {
                Some(kind) => boundary_section(canon, b, kind),
                None => whole_boundary(canon, b),
            }
        }
    }
}

/// Whether a directive renders as a block (table or list) rather than inline.
pub fn is_block(d: Directive) -> bool {
    !matches!(d, Directive::State { .. })
}

/// A table of every term of a vocabulary with its meaning.
pub fn states_table(v: &Vocabulary) -> String {
    let mut out = String::with_capacity(64 + v.terms.len() * 80);
    let _ = writeln!(out, "| {} | Meaning |", capitalize(v.label));
    out.push_str("| --- | --- |\n");
    for t in v.terms {
        let _ = writeln!(out, "| `{}` | {} |", t.name, escape_cell(t.meaning()));
    }
    out.pop();
    out
}

/// One section of a boundary: its lead-in sentence and list, or the notice.
pub fn boundary_section(canon: &Canon, b: &Boundary, kind: SectionKind) -> String {
    if kind == SectionKind::Notice {
        return format!("> {}", b.notice);
    }
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", canon.lead_in(kind));
    for item in b.items(kind) {
        let _ = writeln!(out, "- {}", item.text);
    }
    out.pop();
    out
}

/// The whole boundary: notice, every list it has, and the synthetic-examples rule.
pub fn whole_boundary(canon: &Canon, b: &Boundary) -> String {
    let parts: Vec<String> = b
        .sections()
        .map(|kind| boundary_section(canon, b, kind))
        .chain(std::iter::once(canon.lead_ins.synthetic.to_string()))
        .collect();
    parts.join("\n\n")
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn escape_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::{SubscriptionState, canon};

    #[test]
    fn a_rendered_boundary_carries_all_required_language() {
        let c = canon();
        for b in c.boundaries {
            let text = whole_boundary(c, b).to_lowercase();
            for r in c.required_language {
                assert!(
                    r.phrases.iter().any(|p| text.contains(&p.to_lowercase())),
                    "the rendered {} lacks a {}",
                    b.id,
                    r.what
                );
            }
        }
    }

    #[test]
    fn states_table_lists_every_term_in_order() {
        let table = states_table(&SubscriptionState::VOCABULARY);
        let rows: Vec<&str> = table.lines().skip(2).collect();
        assert_eq!(rows.len(), SubscriptionState::ALL.len());
        for (row, term) in rows.iter().zip(SubscriptionState::ALL) {
            assert!(row.starts_with(&format!("| `{term}` | ")), "{row}");
            assert!(row.contains(term.meaning()));
        }
        assert!(table.starts_with("| Subscription state | Meaning |"));
    }

    #[test]
    fn whole_boundary_has_every_section_and_the_synthetic_rule() {
        let c = canon();
        let b = c.boundary("billing-subscription").unwrap();
        let out = whole_boundary(c, b);
        for kind in b.sections() {
            if kind != SectionKind::Notice {
                assert!(out.contains(c.lead_in(kind)));
                for item in b.items(kind) {
                    assert!(
                        out.contains(&format!("- {}\n", item.text)) || out.ends_with(item.text)
                    );
                }
            }
        }
        assert!(out.contains(c.lead_ins.synthetic));
        assert!(out.starts_with("> "));
    }
}

//! `mdbook-cavra export`: the canon as JSON, for other tools.

use serde_json::{Value, json};

use crate::model::{Canon, SectionKind};

pub fn to_json(canon: &Canon) -> Value {
    let vocabularies: Vec<Value> = canon
        .vocabularies
        .iter()
        .map(|v| {
            json!({
                "id": v.id,
                "label": v.label,
                "rust_type": v.rust_type,
                "fields": v.fields.iter().map(|f| f.key).collect::<Vec<_>>(),
                "terms": v.terms.iter().map(|t| json!({"name": t.name, "meaning": t.meaning()})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let boundaries: Vec<Value> = canon
        .boundaries
        .iter()
        .map(|b| {
            let mut sections = serde_json::Map::new();
            for kind in b.sections() {
                let v = if kind == SectionKind::Notice {
                    json!(b.notice)
                } else {
                    json!(b.items(kind).iter().map(|i| i.text).collect::<Vec<_>>())
                };
                sections.insert(kind.id().to_string(), v);
            }
            json!({"id": b.id, "title": b.title, "triggers": b.triggers, "sections": sections})
        })
        .collect();
    json!({
        "vocabularies": vocabularies,
        "boundaries": boundaries,
        "retired": canon.retired.iter().map(|r| json!({"phrase": r.phrase, "replacement": r.replacement})).collect::<Vec<_>>(),
    })
}

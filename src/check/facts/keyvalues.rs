//! Key/value pairs in code blocks: `"key": "value"` (JSON), `key: value`
//! (YAML), `key = "value"` (TOML), `KEY=value` (shell and env files) and
//! `--flag value` on command lines, each with the path of parent keys.
//!
//! Worked out once per code block; `undefined-state` reads the values of
//! vocabulary fields, other rules may read the rest.

/// Parent keys and a key, outermost first; rarely more than four deep,
/// so kept inline (a code block holds many pairs).
pub type KeyPath<'s> = smallvec::SmallVec<[&'s str; 4]>;

/// One `key: value` found in a code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue<'s> {
    /// Parent keys and the key, outermost first.
    pub path: KeyPath<'s>,
    pub value: &'s str,
    /// Offset of the value in the scanned text.
    pub at: usize,
}

/// Find `key: value`, `"key": "value"`, `key = "value"`, `KEY=value`,
/// inline arrays and YAML block sequences in a code block, tracking parent
/// keys by indentation so `evidence:` / `level:` gives `evidence.level`.
pub fn key_values(code: &str) -> Vec<KeyValue<'_>> {
    // Room for a pair per line of a config block (lines of 30-odd bytes).
    let mut out = Vec::with_capacity((code.len() / 32).min(1024));
    let mut stack: Vec<(usize, &str)> = Vec::new();
    // A key whose values follow as `- item` lines: (indent, path).
    let mut pending: Option<(usize, KeyPath<'_>)> = None;
    let mut offset = 0;
    for raw_line in code.split_inclusive('\n') {
        let line_start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("//") {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if crate::text::contains(trimmed, " --") {
            flags(line, line_start, &mut out);
        }
        while stack.last().is_some_and(|&(i, _)| i >= indent) {
            stack.pop();
        }
        let mut body = trimmed;
        let mut body_at = line_start + indent;
        if let Some(rest) = body.strip_prefix("export ") {
            body = rest.trim_start();
            body_at = line_start + (line.len() - body.len());
        }
        if let Some(rest) = body.strip_prefix("- ") {
            if let Some((pi, path)) = &pending
                && indent >= *pi
                && !rest.contains(':')
            {
                let (v, at) = scalar(rest, body_at + 2);
                if !v.is_empty() {
                    out.push(KeyValue {
                        path: path.clone(),
                        value: v,
                        at,
                    });
                }
                continue;
            }
            body = rest;
            body_at += 2;
        } else if pending.as_ref().is_some_and(|(pi, _)| indent <= *pi) {
            pending = None;
        }
        if let Some(inner) = body.strip_prefix('{') {
            // An inline object: `{ "a": "x", "b": "y" }`.
            let parents: KeyPath<'_> = stack.iter().map(|&(_, k)| k).collect();
            json_pairs(inner, body_at + 1, &parents, &mut out);
            continue;
        }
        let Some((key, after, after_at)) = split_key(body, body_at) else {
            continue;
        };
        let mut path: KeyPath<'_> = stack.iter().map(|&(_, k)| k).collect();
        path.push(key);
        let path_for_block = path.clone();
        let after_trim = after.trim_start();
        let value_at = after_at + (after.len() - after_trim.len());
        if after_trim.is_empty() || after_trim.starts_with('{') && after_trim.trim_end() == "{" {
            stack.push((indent, key));
            pending = Some((indent, path_for_block));
            continue;
        }
        if after_trim.starts_with('[') {
            let inner_end = after_trim.find(']').unwrap_or(after_trim.len());
            let mut at = value_at + 1;
            for part in after_trim[1..inner_end].split(',') {
                let (v, vat) = scalar(part, at);
                if !v.is_empty() {
                    out.push(KeyValue {
                        path: path.clone(),
                        value: v,
                        at: vat,
                    });
                }
                at += part.len() + 1;
            }
            if inner_end == after_trim.len() {
                stack.push((indent, key));
            }
            continue;
        }
        if after_trim.starts_with('{') {
            stack.push((indent, key));
            continue;
        }
        let (v, at) = scalar(after_trim, value_at);
        let consumed = at + v.len() + 1 - value_at;
        if !v.is_empty() {
            out.push(KeyValue {
                path: path.clone(),
                value: v,
                at,
            });
        }
        // More pairs on the same line: `"a": "x", "b": "y"`.
        if let Some(rest) = after_trim.get(consumed.min(after_trim.len())..)
            && rest.contains(':')
        {
            path.pop();
            json_pairs(
                rest,
                value_at + consumed.min(after_trim.len()),
                &path,
                &mut out,
            );
        }
    }
    out
}

/// Command-line flags with a value: `--state pending`, `--state=pending`.
fn flags<'s>(line: &'s str, at: usize, out: &mut Vec<KeyValue<'s>>) {
    let mut from = 0;
    while let Some(i) = crate::text::find(&line[from..], " --") {
        let start = from + i + 1;
        let name_end = line[start + 2..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .map_or(line.len(), |e| start + 2 + e);
        from = name_end;
        let rest = &line[name_end..];
        let Some(value) = rest.strip_prefix('=').or_else(|| rest.strip_prefix(' ')) else {
            continue;
        };
        if value.starts_with('-') {
            continue;
        }
        let (v, vat) = scalar(
            value.split_whitespace().next().unwrap_or(""),
            at + name_end + 1,
        );
        if !v.is_empty() {
            out.push(KeyValue {
                path: smallvec::smallvec![&line[start..name_end]],
                value: v,
                at: vat,
            });
        }
    }
}

/// Every `"key": value` in a piece of a line, under `parents`.
fn json_pairs<'s>(text: &'s str, at: usize, parents: &[&'s str], out: &mut Vec<KeyValue<'s>>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(q) = text[i..].find('"') {
        let key_start = i + q + 1;
        let Some(len) = text[key_start..].find('"') else {
            return;
        };
        let key = &text[key_start..key_start + len];
        let mut j = key_start + len + 1;
        while j < bytes.len() && bytes[j] == b' ' {
            j += 1;
        }
        if bytes.get(j) != Some(&b':') {
            // A string value, not a key: carry on after it.
            i = key_start + len + 1;
            continue;
        }
        let (v, vat) = scalar(&text[j + 1..], at + j + 1);
        let mut path: KeyPath<'s> = parents.iter().copied().collect();
        path.push(key);
        let value_end = vat - at + v.len();
        if !v.is_empty() && !text[j + 1..].trim_start().starts_with(['{', '[']) {
            out.push(KeyValue {
                path,
                value: v,
                at: vat,
            });
        }
        i = (value_end + 1).min(text.len());
    }
}

/// `"key":`, `key:`, `key =`, `KEY=`; returns the key and the text after the
/// separator with its offset.
fn split_key(body: &str, at: usize) -> Option<(&str, &str, usize)> {
    let (quoted, start) = match body.as_bytes().first()? {
        b'"' | b'\'' => (true, 1),
        _ => (false, 0),
    };
    let bytes = body.as_bytes();
    let mut end = start;
    while end < bytes.len()
        && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'_' | b'-' | b'.'))
    {
        end += 1;
    }
    if end == start {
        return None;
    }
    let key = &body[start..end];
    let mut i = end;
    if quoted {
        if bytes.get(i) != Some(&bytes[0]) {
            return None;
        }
        i += 1;
    }
    while i < bytes.len() && bytes[i] == b' ' {
        i += 1;
    }
    match bytes.get(i)? {
        b':' if bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()) => {}
        b'=' if bytes.get(i + 1) != Some(&b'=') => {}
        _ => return None,
    }
    Some((key, &body[i + 1..], at + i + 1))
}

/// A scalar value: quoted string, or bare word up to a comment or comma.
fn scalar(s: &str, at: usize) -> (&str, usize) {
    let lead = s.len() - s.trim_start().len();
    let t = s.trim_start();
    let at = at + lead;
    if let Some(q @ ('"' | '\'')) = t.chars().next() {
        let inner = &t[1..];
        let end = inner.find(q).unwrap_or(inner.len());
        return (&inner[..end], at + 1);
    }
    // Up to a comment if there is one, else a comma, else a closing
    // bracket: the first of each, found in one pass.
    let (mut comment, mut comma, mut close) = (None, None, None);
    for (i, &b) in t.as_bytes().iter().enumerate() {
        match b {
            b'#' if i > 0 && t.as_bytes()[i - 1] == b' ' => {
                comment = Some(i - 1);
                break;
            }
            b',' => {
                comma = comma.or(Some(i));
            }
            b'}' | b']' => {
                close = close.or(Some(i));
            }
            _ => {}
        }
    }
    let end = comment.or(comma).or(close).unwrap_or(t.len());
    (t[..end].trim_end(), at)
}

/// Values that stand for "fill this in" rather than a state: empty, not
/// starting with a letter (`<state>`, `$STATE`, `{…}`, `[…]`, `*`, `~`, a
/// number), a literal such as `null` or `true`, or holding an ellipsis or
/// a space.
pub fn is_placeholder(v: &str) -> bool {
    // One look at each byte: this runs for every value of every code block
    // and every command-line word.
    let b = v.as_bytes();
    !b.first().is_some_and(u8::is_ascii_alphabetic)
        || matches!(v, "null" | "true" | "false" | "None" | "nil")
        || b.contains(&b' ')
        || b.windows(3)
            .any(|w| w == b"..." || w == "\u{2026}".as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_value_ends_at_a_comment_then_a_comma_then_a_bracket() {
        let by_finds = |t: &str| {
            let end = t
                .find(" #")
                .or_else(|| t.find(','))
                .or_else(|| t.find(['}', ']']))
                .unwrap_or(t.len());
            t[..end].trim_end().to_string()
        };
        let pieces = ["a", " ", "#", ",", "}", "]", "é"];
        let mut seen = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in pieces {
                        let t = format!("x{a}{b}{c}{d}");
                        assert_eq!(scalar(&t, 0).0, by_finds(&t), "{t:?}");
                        seen += 1;
                    }
                }
            }
        }
        assert_eq!(scalar("a, b # note", 0).0, "a, b");
        assert_eq!(scalar("\"q, r\" # x", 3), ("q, r", 4));
        assert!(seen > 2000);
    }

    #[test]
    fn placeholders_are_what_the_written_out_rules_say() {
        let by_rules = |v: &str| {
            v.is_empty()
                || v.starts_with(['<', '$', '{', '[', '*'])
                || v.contains("...")
                || v.contains('\u{2026}')
                || matches!(v, "null" | "~" | "true" | "false" | "None" | "nil")
                || !v.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                || v.contains(' ')
        };
        let pieces = [
            "", "a", "x", ".", "..", "\u{2026}", " ", "<", "$", "~", "1", "é", "null", "true",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let v = format!("{a}{b}{c}");
                    assert_eq!(is_placeholder(&v), by_rules(&v), "{v:?}");
                }
            }
        }
    }

    fn kvs(code: &str) -> Vec<(String, &str)> {
        key_values(code)
            .into_iter()
            .map(|kv| (kv.path.join("."), kv.value))
            .collect()
    }

    #[test]
    fn key_values_in_json_yaml_toml_and_env() {
        let json = "{\n  \"subscription_state\": \"canceled\",\n  \"evidence\": {\n    \"level\": \"signed\"\n  }\n}\n";
        assert_eq!(
            kvs(json),
            [
                ("subscription_state".into(), "canceled"),
                ("evidence.level".into(), "signed")
            ]
        );
        let yaml = "rules:\n  - id: x\n    decision: block\nevidence:\n  level: retained\nformats:\n  - json\n  - zip\n";
        assert_eq!(
            kvs(yaml),
            [
                ("rules.id".into(), "x"),
                ("rules.decision".into(), "block"),
                ("evidence.level".into(), "retained"),
                ("formats".into(), "json"),
                ("formats".into(), "zip"),
            ]
        );
        assert_eq!(
            kvs("worker_mode = \"live\"\n"),
            [("worker_mode".into(), "live")]
        );
        assert_eq!(
            kvs("export CAVRA_REPORT_DELIVERY_MODE=smtp\n"),
            [("CAVRA_REPORT_DELIVERY_MODE".into(), "smtp")]
        );
        assert_eq!(
            kvs("CAVRA_REPORT_DELIVERY_MODE=smtp\n"),
            [("CAVRA_REPORT_DELIVERY_MODE".into(), "smtp")]
        );
        assert_eq!(
            kvs("supported_export_formats: [json, \"pdf\"]\n"),
            [
                ("supported_export_formats".into(), "json"),
                ("supported_export_formats".into(), "pdf")
            ]
        );
    }

    #[test]
    fn command_line_flags() {
        let line = "cavra approval list --state pending --limit=5 --json\n";
        assert_eq!(
            kvs(line),
            [("--state".into(), "pending"), ("--limit".into(), "5")]
        );
        let kv = key_values(line).remove(0);
        assert_eq!(&line[kv.at..kv.at + 7], "pending");
    }

    #[test]
    fn several_pairs_on_one_line() {
        let line = "{ \"subscription_state\": \"canceled\", \"decision\": \"allow\" }\n";
        assert_eq!(
            kvs(line),
            [
                ("subscription_state".into(), "canceled"),
                ("decision".into(), "allow")
            ]
        );
        let line = "\"a\": \"x\", \"worker_mode\": \"live\",\n";
        assert_eq!(
            kvs(line),
            [("a".into(), "x"), ("worker_mode".into(), "live")]
        );
    }

    #[test]
    fn offsets_point_at_the_value() {
        let code = "a: 1\n\"decision\": \"block\"\n";
        let kv = key_values(code).pop().unwrap();
        assert_eq!(&code[kv.at..kv.at + kv.value.len()], "block");
    }
}

//! Secret-looking values: where they are in a text, and the text with each
//! one masked.
//!
//! One definition serves two jobs: `forbidden-material` reports what
//! [`find`] finds, and every output (all report formats, the preprocessor's
//! stderr, `preview`, `explain`) goes through [`redact`], so a secret that a
//! page holds is never copied into a CI log, whichever rule quotes it.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// A secret-looking value in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    pub range: Range<usize>,
    /// What it looks like, for messages ("a live secret API key").
    pub kind: &'static str,
}

/// Prefixes of provider keys and tokens.
pub const KEY_PREFIXES: &[(&str, &str)] = &[
    ("sk_live_", "a live secret API key"),
    ("rk_live_", "a live restricted API key"),
    ("sk_test_", "a secret API key"),
    ("whsec_", "a webhook signing secret"),
    ("ghp_", "a GitHub token"),
    ("gho_", "a GitHub token"),
    ("ghs_", "a GitHub token"),
    ("github_pat_", "a GitHub token"),
    ("xoxb-", "a Slack token"),
    ("xoxp-", "a Slack token"),
    ("glpat-", "a GitLab token"),
];

#[derive(Clone, Copy)]
enum Shape {
    KeyPrefix(&'static str),
    AwsKeyId,
    PemBlock,
}

struct Scanner {
    ac: AhoCorasick,
    shapes: Vec<Shape>,
}

static SCANNER: LazyLock<Scanner> = LazyLock::new(|| {
    let mut patterns: Vec<&str> = Vec::new();
    let mut shapes = Vec::new();
    for (p, what) in KEY_PREFIXES {
        patterns.push(p);
        shapes.push(Shape::KeyPrefix(what));
    }
    for p in ["AKIA", "ASIA"] {
        patterns.push(p);
        shapes.push(Shape::AwsKeyId);
    }
    patterns.push("-----BEGIN ");
    shapes.push(Shape::PemBlock);
    let ac = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostFirst)
        .build(&patterns)
        .expect("fixed patterns build");
    Scanner { ac, shapes }
});

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn ident_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < bytes.len() && (is_ident(bytes[i]) || bytes[i] == b'-') {
        i += 1;
    }
    i
}

fn has_digit_and_letter(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Text that plainly stands in for a secret: a marker word (`example`,
/// `<your-key>`, `${VAR}`, `xxxx`), one character repeated, or a value made
/// mostly of counting runs (`1234567890`, `abcdefgh`). A real key that merely
/// contains `1234` or `abcd` somewhere is not a placeholder.
pub fn is_placeholder(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    const MARKS: &[&str] = &[
        "example",
        "placeholder",
        "your",
        "redacted",
        "changeme",
        "change-me",
        "dummy",
        "fake",
        "sample",
        "xxxx",
        "****",
        "...",
        "\u{2026}",
        "<",
        ">",
        "${",
        "{{",
        "$(",
        "env:",
        "vault:",
        "secret://",
        "synthetic",
        "not-a-real",
        "notreal",
        "replace",
    ];
    MARKS.iter().any(|m| lower.contains(m))
        || v.chars().all(|c| c == v.chars().next().unwrap_or(' '))
        || v.starts_with('$')
        || mostly_counting(&lower)
}

/// Whether at least three quarters of the characters are in runs of four or
/// more that count up (`1234`, `abcd`) or repeat (`0000`).
fn mostly_counting(s: &str) -> bool {
    let b: Vec<u8> = s.bytes().filter(|b| b.is_ascii_alphanumeric()).collect();
    if b.len() < 8 {
        return false;
    }
    let mut covered = 0;
    let mut run = 1;
    for i in 1..=b.len() {
        let continues = i < b.len() && (b[i] == b[i - 1].wrapping_add(1) || b[i] == b[i - 1]);
        if continues {
            run += 1;
        } else {
            if run >= 4 {
                covered += run;
            }
            run = 1;
        }
    }
    covered * 4 >= b.len() * 3
}

/// What kind of secret a key name holds, if it names one (`client_secret`,
/// `LICENSE_KEY`, `api-token`, `aws_secret_access_key`).
pub fn secret_key_name(key: &str) -> Option<&'static str> {
    // A book repeats its key names on page after page; the answer depends on
    // the name alone.
    thread_local! {
        static SEEN: crate::memo::Table<Option<&'static str>> = Default::default();
    }
    crate::memo::remembered(&SEEN, key, || kind_of_key(key))
}

/// [`secret_key_name`] worked out.
fn kind_of_key(key: &str) -> Option<&'static str> {
    // Case-insensitive, `-` and `_` alike.
    let k: Vec<u8> = key
        .bytes()
        .map(|a| {
            if a == b'-' {
                b'_'
            } else {
                a.to_ascii_lowercase()
            }
        })
        .collect();
    let has = |needle: &str| k.windows(needle.len()).any(|w| w == needle.as_bytes());
    let ends = |needle: &str| k.ends_with(needle.as_bytes());
    if has("license_key") || has("licence_key") {
        Some("license key")
    } else if has("private_key") || has("signing_key") || has("signing_secret") {
        Some("signing key")
    } else if has("secret") || has("password") || has("passwd") {
        Some("secret")
    } else if ends("api_key") || ends("apikey") || ends("token") || ends("access_key") {
        Some("credential")
    } else {
        None
    }
}

/// A value that could be a real secret rather than a name, path or
/// placeholder. A long value of the base64 alphabet is a secret even with
/// `/` or `+` in it (an AWS secret access key), a short one with `/` is a path.
pub fn looks_secret(v: &str, lenient: bool) -> bool {
    if is_placeholder(v) || v.contains(' ') {
        return false;
    }
    // An UPPER_CASE name refers to a variable; `true`, paths and URLs are not secrets.
    if v.bytes()
        .all(|b| b.is_ascii_uppercase() || b == b'_' || b.is_ascii_digit())
        && v.contains('_')
    {
        return false;
    }
    if v.contains("://") || matches!(v, "true" | "false" | "null") {
        return false;
    }
    if v.contains('/') && !is_base64_key(v) {
        return false;
    }
    let min = if lenient { 8 } else { 12 };
    v.len() >= min && has_digit_and_letter(v)
}

/// 30 or more characters of the base64 alphabet with upper case, lower case
/// and digits, not shaped like a path.
fn is_base64_key(v: &str) -> bool {
    v.len() >= 30
        && !v.starts_with(['/', '.', '~'])
        && !v.contains("//")
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'+' | b'='))
        && v.bytes().any(|b| b.is_ascii_uppercase())
        && v.bytes().any(|b| b.is_ascii_lowercase())
        && v.bytes().any(|b| b.is_ascii_digit())
}

/// `ABCDE-12345-FGHIJ-67890`, `CAVRA-ENT-7F3K-9QX2-LM4P-88ZD`: four or
/// more dash-separated groups of 3 to 6 upper-case letters and digits, with
/// digits in at least two groups (so dates and `ABCD-EFGH-…` do not match).
pub fn is_license_key_shape(v: &str) -> bool {
    // Four groups of three or more: at least 15 bytes and three dashes.
    if v.len() < 15 || v.bytes().filter(|&b| b == b'-').count() < 3 {
        return false;
    }
    let groups: Vec<&str> = v.split('-').collect();
    groups.len() >= 4
        && groups.iter().all(|g| {
            (3..=6).contains(&g.len())
                && g.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        })
        && groups.iter().filter(|g| g.len() >= 4).count() >= 3
        && groups
            .iter()
            .filter(|g| g.bytes().any(|b| b.is_ascii_digit()))
            .count()
            >= 2
        && !is_placeholder(v)
}

/// Every secret-looking value with a fixed shape in `text`: provider keys
/// and tokens by prefix, cloud access key IDs, private key blocks (from
/// the header to the end of the block), and license keys.
pub fn find(text: &str) -> Vec<Secret> {
    let mut out = find_shapes(text);
    // `client_secret = …`, `LICENSE_KEY: …`, `"api_token": "…"`.
    assignments(text, &mut out);
    out.sort_by_key(|s| s.range.start);
    out.dedup_by(|b, a| b.range.start < a.range.end);
    out
}

/// [`find`] without the values of secret-named keys: for a checker that
/// reads those from code blocks already split into keys and values.
pub fn find_shapes(text: &str) -> Vec<Secret> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for m in SCANNER.ac.find_iter(text) {
        let (s, e) = (m.start(), m.end());
        let word_start = s == 0 || !is_ident(bytes[s - 1]);
        match SCANNER.shapes[m.pattern().as_usize()] {
            Shape::KeyPrefix(kind) => {
                let end = ident_end(bytes, e);
                let rest = &text[e..end];
                if word_start
                    && rest.len() >= 12
                    && !is_placeholder(rest)
                    && has_digit_and_letter(rest)
                {
                    out.push(Secret {
                        range: s..end,
                        kind,
                    });
                }
            }
            Shape::AwsKeyId => {
                let end = ident_end(bytes, e);
                let rest = &text[e..end];
                if word_start
                    && rest.len() == 16
                    && rest
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                    && !is_placeholder(rest)
                {
                    out.push(Secret {
                        range: s..end,
                        kind: "a cloud access key ID",
                    });
                }
            }
            Shape::PemBlock => {
                let line_end = memchr::memchr(b'\n', &bytes[e..]).map_or(text.len(), |i| e + i);
                let header = &text[e..line_end];
                let Some(dashes) = header.find("-----") else {
                    continue;
                };
                if !header.contains("PRIVATE KEY") {
                    continue;
                }
                // The body runs to the END line, or (on one line) to the
                // next run of dashes.
                let body_start = e + dashes + 5;
                let body_end = text[body_start..]
                    .find("-----END")
                    .map_or(text.len(), |i| body_start + i);
                let body = &text[body_start..body_end];
                if body.trim().len() >= 40 && !is_placeholder(body) {
                    out.push(Secret {
                        range: s..body_end,
                        kind: "a private key block",
                    });
                }
            }
        }
    }
    // License keys: dash-separated upper-case groups, anywhere.
    let mut i = 0;
    let key_byte = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    while let Some(off) = memchr::memchr(b'-', &bytes[i..]) {
        let dash = i + off;
        // Every dash of a license key sits between two of its upper-case
        // groups; prose dashes (`past-due`, `- item`) fail here, before the
        // word around them is measured. A word with one such dash is no key,
        // whichever of its dashes is looked at first.
        if !(key_byte(bytes.get(dash + 1))
            && key_byte(dash.checked_sub(1).and_then(|p| bytes.get(p))))
        {
            i = dash + 1;
            continue;
        }
        let mut start = dash;
        while start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'-') {
            start -= 1;
        }
        let end = ident_end(bytes, dash);
        let word = &text[start..end];
        if word.len() >= 19 && is_license_key_shape(word) {
            out.push(Secret {
                range: start..end,
                kind: "a license key",
            });
        }
        i = end.max(dash + 1);
    }
    out.sort_by_key(|s| s.range.start);
    out.dedup_by(|b, a| b.range.start < a.range.end);
    out
}

/// Values assigned to secret-named keys: `key = value`, `key: value`,
/// `"key": "value"`, `--key value` is not covered (flags are names).
fn assignments(text: &str, out: &mut Vec<Secret>) {
    let bytes = text.as_bytes();
    for sep in memchr::memchr2_iter(b'=', b':', bytes) {
        // The key: the identifier (maybe quoted) right before the separator.
        let mut k_end = sep;
        while k_end > 0 && matches!(bytes[k_end - 1], b' ' | b'"' | b'\'') {
            k_end -= 1;
        }
        let mut k_start = k_end;
        while k_start > 0 && (is_ident(bytes[k_start - 1]) || bytes[k_start - 1] == b'-') {
            k_start -= 1;
        }
        if k_start == k_end || k_end - k_start > 64 {
            continue;
        }
        let Some(kind) = secret_key_name(&text[k_start..k_end]) else {
            continue;
        };
        let mut v_start = sep + 1;
        while v_start < bytes.len() && matches!(bytes[v_start], b' ' | b'"' | b'\'') {
            v_start += 1;
        }
        let mut v_end = v_start;
        while v_end < bytes.len()
            && !bytes[v_end].is_ascii_whitespace()
            && !matches!(
                bytes[v_end],
                b'"' | b'\'' | b',' | b'}' | b']' | b')' | b'`'
            )
        {
            v_end += 1;
        }
        let value = &text[v_start..v_end];
        if looks_secret(value, kind == "license key") {
            out.push(Secret {
                range: v_start..v_end,
                kind: match kind {
                    "license key" => "a license key",
                    "signing key" => "a signing key",
                    "secret" => "a secret",
                    _ => "a credential",
                },
            });
        }
    }
}

/// The mask shown instead of a secret: its kind and last four characters.
pub fn mask(secret: &str, kind: &str) -> String {
    let tail: String = secret
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let kind = kind.strip_prefix("a ").unwrap_or(kind);
    format!("[redacted {kind} …{tail}]")
}

/// Where a masked range was, and where its mask is.
pub type Moved = (Range<usize>, Range<usize>);

/// `text` with every secret masked, and where each masked range ended up,
/// for moving an underline along.
pub fn redact_mapped(text: &str) -> (Cow<'_, str>, Vec<Moved>) {
    let found = find(text);
    if found.is_empty() {
        return (Cow::Borrowed(text), Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut moved = Vec::new();
    let mut at = 0;
    for s in found {
        out.push_str(&text[at..s.range.start]);
        let start = out.len();
        out.push_str(&mask(&text[s.range.clone()], s.kind));
        moved.push((s.range.clone(), start..out.len()));
        at = s.range.end;
    }
    out.push_str(&text[at..]);
    (Cow::Owned(out), moved)
}

/// `text` with every secret masked.
pub fn redact(text: &str) -> Cow<'_, str> {
    redact_mapped(text).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_key_names_in_any_case_and_separator_and_length() {
        let long = format!("{}_API-KEY", "x".repeat(100));
        let cases = [
            ("Client-Secret", Some("secret")),
            ("LICENSE-KEY", Some("license key")),
            ("signing_secret_v2", Some("signing key")),
            ("github_token", Some("credential")),
            ("tokens", None),
            ("api_key_id", None),
            ("state", None),
            ("", None),
            (long.as_str(), Some("credential")),
            ("é_password", Some("secret")),
        ];
        for (key, kind) in cases {
            assert_eq!(secret_key_name(key), kind, "{key}");
        }
    }

    #[test]
    fn every_kind_is_found_and_masked() {
        let cases = [
            "key sk_live_51Hq8c2eZvKYlo2C0aXb9Qm3T here",
            "AKIAZ7Q4MXN2P5RT8WUV",
            "token ghp_k3J9xQ2mV7pL4nR8sT1wY6zB5cD0fG3hJ",
            "LICENSE_KEY=CAV7R-9K2LM-Q4XZ8-T3NB6",
            "client_secret: 9fQ2kL7xR4mN8pV3tW6yB1",
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYz8Q3v9Tk2L",
            "-----BEGIN RSA PRIVATE KEY----- MIIEowIBAAKCAQEA7bq9Xk2Lm4Np8Qr3St6Uv9Wx1Yz ----END",
        ];
        for c in cases {
            let r = redact(c);
            assert!(r.contains("[redacted "), "{c} → {r}");
            let secret_tail = &c[c.len().saturating_sub(12)..c.len() - 5];
            assert!(!r.contains(secret_tail) || c.ends_with("END"), "{c} → {r}");
        }
        assert_eq!(
            redact("key sk_live_51Hq8c2eZvKYlo2C0aXb9Qm3T here"),
            "key [redacted live secret API key …Qm3T] here"
        );
    }

    #[test]
    fn placeholders_stay_and_real_keys_with_common_runs_do_not() {
        for p in [
            "sk_live_xxxxxxxxxxxxxxxx",
            "sk_live_<your-key>",
            "client_secret: ${CLIENT_SECRET}",
            "sk_live_1234567890abcdef",
            "AKIA0000000000000000",
        ] {
            assert_eq!(redact(p), p, "{p}");
        }
        for real in [
            "sk_live_51Hq1234eZvKYlo2C0aXb9Qm3T",
            "sk_live_9fabcdQ2kL7xR4mN8pV3tW6y",
            "AKIAZ7Q40000N2P5RT8W",
        ] {
            assert_ne!(redact(real), real, "{real}");
        }
    }

    #[test]
    fn paths_and_names_are_not_secrets() {
        for v in [
            "secret_file: /etc/cavra/secret.pem",
            "password_env: CAVRA_DB_PASSWORD",
            "token_url: https://auth.example.com/token",
        ] {
            assert_eq!(redact(v), v, "{v}");
        }
    }
}

//! `forbidden-material`: what a public guide must never hold.
//!
//! One automaton pass over the page's raw text finds the fixed shapes
//! (key prefixes, private key blocks, URLs, private marker names); the key
//! and value pairs of code blocks, already split for the state rules, give
//! secret-looking assignments. Placeholders and example hosts are fine.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::Rule;
use crate::canon::canon;
use crate::check::facts::PageFacts;
use crate::diagnostic::{Level, RuleDoc, RuleMeta, RuleOut};

pub static META: RuleMeta = RuleMeta {
    id: "forbidden-material",
    default: Level::Deny,
    doc: DOC,
};

const DOC: RuleDoc = RuleDoc {
    what: "Credentials and secret-looking keys (`sk_live_…`, cloud access keys, tokens), private \
key blocks, license keys, production billing or payment provider URLs, and the private marker \
names CAVRA scans its own code for (such as `LICENSE_SIGNING_KEY`), in prose and in code.",
    why: "The guide is public. A real key, a production endpoint or a private marker in it is a \
leak, and even a fake one teaches readers to paste secrets into documents.",
    example: "```bash\nexport BILLING_API_KEY=sk_live_51Hq8c2eZvKYlo2C0aXb9Qm3T\ncurl https://api.stripe.com/v1/customers\n```",
    fix: "Use an obvious placeholder (`<your-api-key>`, `${BILLING_API_KEY}`, `sk_live_xxxxxxxx`) \
and an example host (`billing.example.com`, `localhost`).",
};

#[derive(Clone, Copy)]
enum Shape {
    KeyPrefix(&'static str),
    AwsKey,
    PemBlock,
    Url,
    Marker,
}

struct Scanner {
    ac: AhoCorasick,
    shapes: Vec<Shape>,
}

const KEY_PREFIXES: &[(&str, &str)] = &[
    ("sk_live_", "a live secret API key"),
    ("rk_live_", "a live restricted API key"),
    ("sk_test_", "a secret API key"),
    ("whsec_", "a webhook signing secret"),
    ("ghp_", "a GitHub token"),
    ("gho_", "a GitHub token"),
    ("github_pat_", "a GitHub token"),
    ("xoxb-", "a Slack token"),
    ("xoxp-", "a Slack token"),
    ("glpat-", "a GitLab token"),
];

static SCANNER: LazyLock<Scanner> = LazyLock::new(|| {
    let mut patterns: Vec<&str> = Vec::new();
    let mut shapes = Vec::new();
    for (p, what) in KEY_PREFIXES {
        patterns.push(p);
        shapes.push(Shape::KeyPrefix(what));
    }
    for p in ["AKIA", "ASIA"] {
        patterns.push(p);
        shapes.push(Shape::AwsKey);
    }
    patterns.push("-----BEGIN ");
    shapes.push(Shape::PemBlock);
    for p in ["http://", "https://"] {
        patterns.push(p);
        shapes.push(Shape::Url);
    }
    for m in canon().private_markers {
        patterns.push(m);
        shapes.push(Shape::Marker);
    }
    let ac = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostFirst)
        .build(&patterns)
        .expect("fixed patterns build");
    Scanner { ac, shapes }
});

pub struct ForbiddenMaterial;

impl Rule for ForbiddenMaterial {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
        let src = facts.page.src;
        let bytes = src.as_bytes();
        let scanner = &*SCANNER;
        let mut found: Vec<(std::ops::Range<usize>, String, String)> = Vec::new();
        for m in scanner.ac.find_iter(src) {
            let (s, e) = (m.start(), m.end());
            let word_start = s == 0 || !is_ident(bytes[s - 1]);
            match scanner.shapes[m.pattern().as_usize()] {
                Shape::KeyPrefix(what) => {
                    let end = ident_end(bytes, e);
                    let rest = &src[e..end];
                    if word_start
                        && rest.len() >= 12
                        && !is_placeholder(rest)
                        && has_digit_and_letter(rest)
                    {
                        found.push((
                        s..end,
                        format!("{what} (`{}…`)", &src[s..e]),
                        "replace it with a placeholder such as `<your-api-key>`; if it was real, revoke it".into(),
                    ));
                    }
                }
                Shape::AwsKey => {
                    let end = ident_end(bytes, e);
                    let rest = &src[e..end];
                    if word_start
                        && rest.len() == 16
                        && rest
                            .bytes()
                            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                        && !is_placeholder(rest)
                    {
                        found.push((
                            s..end,
                            "a cloud access key ID".into(),
                            "replace it with a placeholder such as `<access-key-id>`".into(),
                        ));
                    }
                }
                Shape::PemBlock => {
                    let line_end = src[e..].find('\n').map_or(src.len(), |i| e + i);
                    let header = &src[e..line_end];
                    if header.contains("PRIVATE KEY") {
                        let body_end = src[line_end..]
                            .find("-----END")
                            .map_or(src.len(), |i| line_end + i);
                        let body = &src[line_end..body_end];
                        if body.trim().len() >= 40 && !is_placeholder(body) {
                            found.push((
                            s..line_end,
                            "a private key block".into(),
                            "never publish key material; show the header with `...` as the body"
                                .into(),
                        ));
                        }
                    }
                }
                Shape::Url => {
                    if let Some((host, path_start)) = url_host(src, e)
                        && let Some(provider) = provider_of(&host)
                    {
                        let path = &src[path_start..url_end(bytes, path_start)];
                        let is_docs = host.starts_with("docs.")
                            || host.starts_with("www.")
                            || host == provider
                            || path.starts_with("/docs");
                        if !is_docs {
                            found.push((
                                s..url_end(bytes, e),
                                format!("a production provider URL (`{host}`)"),
                                "use an example host such as `billing.example.com`".into(),
                            ));
                        }
                    }
                }
                Shape::Marker => {
                    if word_start {
                        found.push((
                            s..e,
                            format!("private marker name `{}`", &src[s..e]),
                            "private marker names belong only to private repositories; remove it"
                                .into(),
                        ));
                    }
                }
            }
        }
        // Secret-looking assignments and license keys in code blocks.
        for (i, cb) in facts.page.code_blocks.iter().enumerate() {
            for kv in &facts.code_kvs[i] {
                let key = kv.path.last().copied().unwrap_or("");
                let start = cb.content.start + kv.at;
                let range = start..start + kv.value.len();
                if let Some(what) = secret_key_name(key)
                    && looks_secret(kv.value, what == "license key")
                {
                    found.push((
                        range,
                        format!("a {what} value in `{key}`"),
                        "replace it with a placeholder such as `<license-key>` or `${LICENSE_KEY}`"
                            .into(),
                    ));
                    continue;
                }
                if is_license_key_shape(kv.value) {
                    found.push((
                        range,
                        "a license key".into(),
                        "replace it with a placeholder such as `<license-key>`".into(),
                    ));
                }
            }
        }
        for code in &facts.page.codes {
            let text = facts.page.code_text(code);
            if code.directive.is_none() && is_license_key_shape(text) {
                found.push((
                    code.range.clone(),
                    "a license key".into(),
                    "replace it with a placeholder such as `<license-key>`".into(),
                ));
            }
        }
        // Two scans may find the same secret (a key shape inside an assignment):
        // one finding for it.
        found.sort_by_key(|f| f.0.start);
        found.dedup_by(|a, b| a.0.start < b.0.end);
        for (range, message, help) in found {
            out.report(range, message).help(help);
        }
    }
}

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

/// Text that plainly stands in for a secret.
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
        "0000",
        "1234",
        "abcd",
    ];
    MARKS.iter().any(|m| lower.contains(m))
        || v.chars().all(|c| c == v.chars().next().unwrap_or(' '))
        || v.starts_with('$')
}

/// What kind of secret a key name holds, if it names one.
fn secret_key_name(key: &str) -> Option<&'static str> {
    // Case-insensitive, `-` and `_` alike, without allocating: this runs for
    // every key of every code block.
    let has = |needle: &str| {
        let (k, n) = (key.as_bytes(), needle.as_bytes());
        k.len() >= n.len()
            && k.windows(n.len()).any(|w| {
                w.iter().zip(n).all(|(&a, &b)| {
                    let a = if a == b'-' {
                        b'_'
                    } else {
                        a.to_ascii_lowercase()
                    };
                    a == b
                })
            })
    };
    let ends = |needle: &str| {
        key.len() >= needle.len()
            && key.as_bytes()[key.len() - needle.len()..]
                .iter()
                .copied()
                .zip(needle.bytes())
                .all(|(a, b)| {
                    (if a == b'-' {
                        b'_'
                    } else {
                        a.to_ascii_lowercase()
                    }) == b
                })
    };
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

/// A value that could be a real secret rather than a name or placeholder.
fn looks_secret(v: &str, lenient: bool) -> bool {
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
    if v.contains('/') || v.contains("://") || matches!(v, "true" | "false" | "null") {
        return false;
    }
    let min = if lenient { 8 } else { 12 };
    v.len() >= min && has_digit_and_letter(v)
}

/// `ABCDE-12345-FGHIJ-67890`, `CAVRA-ENT-7F3K-9QX2-LM4P-88ZD`: four or
/// more dash-separated groups of 3 to 6 upper-case letters and digits, with
/// digits in at least two groups (so dates and `ABCD-EFGH-…` do not match).
fn is_license_key_shape(v: &str) -> bool {
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

/// The host of a URL whose scheme ends at `from`, and where its path starts.
fn url_host(src: &str, from: usize) -> Option<(String, usize)> {
    let bytes = src.as_bytes();
    let mut i = from;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'.' | b'-')) {
        i += 1;
    }
    if i == from {
        return None;
    }
    let host = src[from..i].to_ascii_lowercase();
    let mut path_start = i;
    if bytes.get(i) == Some(&b':') {
        path_start += 1;
        while path_start < bytes.len() && bytes[path_start].is_ascii_digit() {
            path_start += 1;
        }
    }
    Some((host, path_start))
}

fn url_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < bytes.len()
        && !bytes[i].is_ascii_whitespace()
        && !matches!(bytes[i], b')' | b'"' | b'\'' | b'>' | b']' | b'`' | b'<')
    {
        i += 1;
    }
    i
}

/// The provider domain a host belongs to, if any.
fn provider_of(host: &str) -> Option<&'static str> {
    canon()
        .provider_hosts
        .iter()
        .copied()
        .find(|d| host == *d || host.ends_with(&format!(".{d}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn license_key_shapes() {
        assert!(is_license_key_shape("CAV7R-9K2LM-Q4XZ8-T3NB6"));
        assert!(!is_license_key_shape("XXXXX-XXXXX-XXXXX-XXXXX"));
        assert!(!is_license_key_shape("2026-11-25"));
        assert!(!is_license_key_shape("ABCD-EFGH-IJKL-MNOP"));
        assert!(is_license_key_shape("CAVRA-ENT-7F3K-9QX2-LM4P-88ZD"));
        assert!(!is_license_key_shape("SHA-256-AES-128"));
    }

    #[test]
    fn secret_key_names() {
        assert_eq!(secret_key_name("LICENSE-KEY"), Some("license key"));
        assert_eq!(secret_key_name("client_Secret"), Some("secret"));
        assert_eq!(secret_key_name("GITHUB_TOKEN"), Some("credential"));
        assert_eq!(secret_key_name("token_count"), None);
        assert_eq!(secret_key_name("decision"), None);
        // Found by fuzzing: a key ending inside a multi-byte character.
        assert_eq!(secret_key_name("capability_s\u{FFFD}tatus"), None);
        assert_eq!(secret_key_name("ø_token"), Some("credential"));
    }

    #[test]
    fn secrets_versus_names_and_placeholders() {
        assert!(looks_secret("9f8a7d6c5b4e3f2a1b0c", false));
        assert!(!looks_secret("BILLING_API_KEY", false));
        assert!(!looks_secret("<your-token>", false));
        assert!(!looks_secret("${TOKEN}", false));
        assert!(!looks_secret("short1", false));
    }
}

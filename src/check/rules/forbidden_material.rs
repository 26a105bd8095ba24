//! `forbidden-material`: what a public guide must never hold.
//!
//! Secret-looking values are what [`crate::secrets::find`] finds in the
//! page's raw text and in its file name (the same definition every output
//! is masked with); one automaton pass finds URLs and private marker names;
//! the key and value pairs of code blocks, already split for the state
//! rules, name the key a secret is assigned to. Placeholders and example
//! hosts are fine.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::Rule;
use crate::canon::canon;
use crate::check::facts::PageFacts;
use crate::diagnostic::{Level, RuleDoc, RuleMeta, RuleOut};
use crate::secrets::{self, is_license_key_shape, looks_secret, secret_key_name};

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
    Url,
    Marker,
}

struct Scanner {
    ac: AhoCorasick,
    shapes: Vec<Shape>,
}

static SCANNER: LazyLock<Scanner> = LazyLock::new(|| {
    let mut patterns: Vec<&str> = Vec::new();
    let mut shapes = Vec::new();
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
        let mut found: Vec<(std::ops::Range<usize>, String, &str)> = Vec::new();
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
                        "replace it with a placeholder such as `<license-key>` or `${LICENSE_KEY}`",
                    ));
                } else if is_license_key_shape(kv.value) {
                    found.push((
                        range,
                        "a license key".to_string(),
                        "replace it with a placeholder such as `<license-key>`",
                    ));
                }
            }
        }
        // Everything else secret-looking, in every context: prose, inline
        // code, tables, quotes, front matter, comments, link URLs, escaped
        // forms. The same definition masks every output.
        // The page's secrets are found once, for this rule and for masking
        // every finding's snippet.
        for secret in crate::diagnostic::page_secrets(src).iter() {
            let mut range = secret.range.clone();
            if secret.kind == "a private key block" {
                // Reported at its header, just before the body; only the
                // body is masked.
                let mut near = range.start.saturating_sub(256);
                while !src.is_char_boundary(near) {
                    near += 1;
                }
                if let Some(header) = src[near..range.start].rfind("-----BEGIN") {
                    range.start = near + header;
                }
            }
            found.push((range, secret.kind.to_string(), help_for(secret.kind)));
        }
        // A key used as a file name is printed wherever the page is named.
        if let Some(secret) = secrets::find(facts.path).first() {
            found.push((
                0..0,
                format!("the file name holds {}", secret.kind),
                "rename the file; a key in a path is published with the book; if it was real, revoke it",
            ));
        }
        for m in SCANNER.ac.find_iter(src) {
            let (s, e) = (m.start(), m.end());
            let word_start =
                s == 0 || !(bytes[s - 1].is_ascii_alphanumeric() || bytes[s - 1] == b'_');
            match SCANNER.shapes[m.pattern().as_usize()] {
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
                                "use an example host such as `billing.example.com`",
                            ));
                        }
                    }
                }
                Shape::Marker => {
                    if word_start {
                        found.push((
                            s..e,
                            format!("private marker name `{}`", &src[s..e]),
                            "private marker names belong only to private repositories; remove it",
                        ));
                    }
                }
            }
        }
        // Two scans may find the same secret (a key shape inside an
        // assignment): one finding for it, the first found (the code block's
        // key names it best) where they start at the same place.
        found.sort_by_key(|f| (f.0.start, std::cmp::Reverse(f.0.end)));
        found.dedup_by(|later, first| later.0.start < first.0.end);
        for (range, message, help) in found {
            out.report(range, message).help(help);
        }
    }
}

/// What to do about a secret of a kind.
fn help_for(kind: &str) -> &'static str {
    match kind {
        "a license key" => "replace it with a placeholder such as `<license-key>`",
        "a cloud access key ID" => "replace it with a placeholder such as `<access-key-id>`",
        "a private key block" => {
            "never publish key material; show the header with `...` as the body"
        }
        "a password in a URL" => {
            "replace it with a placeholder such as `https://user:<password>@host`; if it was real, change it"
        }
        _ => "replace it with a placeholder such as `<your-api-key>`; if it was real, revoke it",
    }
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
    canon().provider_hosts.iter().copied().find(|d| {
        host.strip_suffix(d)
            .is_some_and(|sub| sub.is_empty() || sub.ends_with('.'))
    })
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

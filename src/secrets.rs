//! Secret-looking values: where they are in a text, and the text with each
//! one masked.
//!
//! One definition serves two jobs: `forbidden-material` reports what
//! [`find`] finds, and every output (all report formats, paths, the
//! preprocessor's stderr and, when findings are shown in pages, the pages
//! themselves) is masked with the same [`find`], so a secret that a page
//! holds is never copied into a CI log or a preview, whichever rule quotes it.
//!
//! What is found:
//! - provider keys and tokens by their published prefixes (`sk_live_`,
//!   `ghp_`, `xoxb-`, `npm_`, `AIza`, …), cloud access key IDs, JSON Web
//!   Tokens, Slack and Discord webhook URLs, private key blocks, license keys
//!   (dash-separated groups, either case);
//! - passwords in a URL's user information (`https://user:pw@host`) and
//!   tokens after `Bearer` / `Basic`;
//! - values of secret-named keys (`client_secret: …`, `password=…`,
//!   `"api_token": "…"`, `--token …`, a YAML block scalar under
//!   `password: |`) in any context: prose, code, front matter, comments, URLs.
//!
//! Escaped forms are seen through: Markdown backslash escapes (`sk\_live\_`)
//! and HTML character references (`&#95;`, `&#x5f;`, `&lowbar;`) are decoded
//! before looking, and what is found is mapped back onto the original text,
//! escapes included.
//!
//! A placeholder is decided by the value's whole shape ([`is_placeholder`]):
//! a marker wrapped around nothing (`<your-key>`, `${VAR}`), mask characters
//! (`xxxxxxxx`), an elision (`sk_live_...`), counting runs, or a value made of
//! words one of which says so (`your_key_here`, `sk_live_EXAMPLE`). A random
//! body that merely contains `your` or `fake` somewhere is not a placeholder.
//!
//! Everything here is linear in the text: one automaton pass finds every
//! candidate, and each candidate is measured once.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::MatchKind;

use crate::automaton::Flat;

/// A secret-looking value in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    pub range: Range<usize>,
    /// What it looks like, for messages ("a live secret API key").
    pub kind: &'static str,
}

/// Published prefixes of provider keys and tokens, and what each is. The
/// body after the prefix must be at least [`MIN_BODY`] key characters with
/// a digit and a letter, and not a placeholder.
pub const KEY_PREFIXES: &[(&str, &str)] = &[
    ("sk_live_", "a live secret API key"),
    ("rk_live_", "a live restricted API key"),
    ("sk_test_", "a secret API key"),
    ("rk_test_", "a restricted API key"),
    ("whsec_", "a webhook signing secret"),
    ("ghp_", "a GitHub token"),
    ("gho_", "a GitHub token"),
    ("ghu_", "a GitHub token"),
    ("ghs_", "a GitHub token"),
    ("ghr_", "a GitHub token"),
    ("github_pat_", "a GitHub token"),
    ("xoxb-", "a Slack token"),
    ("xoxp-", "a Slack token"),
    ("xoxa-", "a Slack token"),
    ("xoxr-", "a Slack token"),
    ("xoxs-", "a Slack token"),
    ("xoxe-", "a Slack token"),
    ("glpat-", "a GitLab token"),
    ("npm_", "an npm token"),
    ("pypi-", "a PyPI token"),
    ("hf_", "a Hugging Face token"),
    ("shpat_", "a Shopify token"),
    ("shpss_", "a Shopify token"),
    ("dop_v1_", "a DigitalOcean token"),
    // Longest first: at one place the first listed wins.
    ("sk-proj-", "an OpenAI API key"),
    ("sk-svcacct-", "an OpenAI API key"),
    ("sk-ant-", "an Anthropic API key"),
    ("sk-", "a secret API key"),
    ("AIza", "a Google API key"),
];

/// The fewest key characters after a prefix.
const MIN_BODY: usize = 12;

/// Hosts whose URL path is itself the secret.
const WEBHOOK_HOSTS: &[&str] = &[
    "hooks.slack.com/services/",
    "hooks.slack.com/workflows/",
    "hooks.slack.com/triggers/",
    "discord.com/api/webhooks/",
    "discordapp.com/api/webhooks/",
];

#[derive(Clone, Copy)]
enum Shape {
    KeyPrefix(&'static str),
    AwsKeyId,
    PemBlock,
    Jwt,
    Webhook,
    UrlUserInfo,
    Bearer,
    /// A word that may be part of a secret-named key (`client_secret`).
    KeyWord,
}

struct Scanner {
    /// Searched through the flat table of [`crate::automaton`]: every page
    /// is scanned whole, and `aho-corasick`'s own search loop was several
    /// times slower per byte.
    ac: Flat,
    shapes: Vec<Shape>,
}

/// Words a secret-named key holds; [`secret_key_name`] decides on the whole key.
const KEY_WORDS: &[&str] = &[
    "secret",
    "password",
    "passwd",
    "pwd",
    "token",
    "apikey",
    "api_key",
    "api-key",
    "access_key",
    "access-key",
    "license_key",
    "license-key",
    "licence_key",
    "licence-key",
    "private_key",
    "private-key",
    "signing_key",
    "signing-key",
    "credential",
];

static SCANNER: LazyLock<Scanner> = LazyLock::new(|| {
    let mut patterns: Vec<&'static str> = Vec::new();
    let mut shapes = Vec::new();
    let mut push = |p: &'static str, s: Shape| {
        patterns.push(p);
        shapes.push(s);
    };
    for (p, what) in KEY_PREFIXES {
        push(p, Shape::KeyPrefix(what));
    }
    for p in ["AKIA", "ASIA"] {
        push(p, Shape::AwsKeyId);
    }
    push("-----BEGIN ", Shape::PemBlock);
    push("eyJ", Shape::Jwt);
    for h in WEBHOOK_HOSTS {
        push(h, Shape::Webhook);
    }
    push("://", Shape::UrlUserInfo);
    for p in [
        "Bearer ", "bearer ", "BEARER ", "Basic ", "basic ", "BASIC ",
    ] {
        push(p, Shape::Bearer);
    }
    // Key words as keys are written: `secret`, `SECRET`, `Secret`
    // (`clientSecret`), `apiKey`, `ApiKey`. A case-sensitive automaton
    // with these few spellings is several times faster on prose than a
    // case-insensitive one.
    for w in KEY_WORDS {
        for spelling in spellings(w) {
            let spelling: &'static str = Box::leak(spelling.into_boxed_str());
            push(spelling, Shape::KeyWord);
        }
    }
    let ac = Flat::build(&patterns, MatchKind::LeftmostFirst, false).expect("fixed patterns build");
    Scanner { ac, shapes }
});

/// The spellings of a key word looked for: lower, upper and capitalized,
/// and for a word of two parts (`api_key`) its camel-case forms.
fn spellings(word: &str) -> Vec<String> {
    let cap = |w: &str| {
        let mut c = w.chars();
        c.next()
            .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
            .unwrap_or_default()
    };
    let mut out = vec![word.to_string(), word.to_ascii_uppercase(), cap(word)];
    if let Some((a, b)) = word.split_once(['_', '-']) {
        out.push(format!("{a}{}", cap(b)));
        out.push(format!("{}{}", cap(a), cap(b)));
    }
    out.sort();
    out.dedup();
    out
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Characters of a token body: letters, digits, `_` and `-`.
fn is_key_byte(b: u8) -> bool {
    is_ident(b) || b == b'-'
}

fn ident_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < bytes.len() && is_key_byte(bytes[i]) {
        i += 1;
    }
    i
}

fn has_digit_and_letter(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Words that, as a whole segment of a value made of words, say it stands
/// in for a secret.
const MARKER_WORDS: &[&str] = &[
    "your",
    "yours",
    "my",
    "the",
    "a",
    "an",
    "example",
    "examples",
    "sample",
    "placeholder",
    "redacted",
    "changeme",
    "change",
    "replace",
    "replaceme",
    "insert",
    "here",
    "goes",
    "put",
    "dummy",
    "fake",
    "mock",
    "test",
    "demo",
    "not",
    "real",
    "notreal",
    "fill",
    "in",
    "xxx",
    "xxxx",
    "todo",
    "tbd",
    "foo",
    "bar",
    "baz",
    "value",
    "synthetic",
];

/// Markers long enough that a random body holds one at its very start or
/// end about once in 10^10 keys (`AKIAIOSFODNN7EXAMPLE`).
const LONG_MARKERS: &[&str] = &[
    "example",
    "placeholder",
    "redacted",
    "changeme",
    "replaceme",
    "notreal",
    "synthetic",
];

/// Text that plainly stands in for a secret, judged by its whole shape:
///
/// - empty, or wrapped in a marker: `<your-key>`, `${VAR}`, `{{ var }}`,
///   `$(cmd)`, `%VAR%`, `[key]`, `$VAR`, `env:…`, `vault:…`;
/// - elided: holds `...` or `…` (never part of a key's alphabet);
/// - made of mask characters (`xxxxxxxx`, `****`, `XXXX-XXXX`, `0000`), or
///   of one character repeated;
/// - mostly counting runs (`1234567890abcdef`);
/// - made of words and short numbers, one of the words a marker
///   (`your_key_here`, `EXAMPLE`, `not-a-real-key-1`);
/// - starting or ending with a long marker word (`…EXAMPLE`).
///
/// A random body that merely contains `your`, `fake` or `xxxx` somewhere is
/// not a placeholder.
pub fn is_placeholder(v: &str) -> bool {
    let t = v.trim_matches(|c: char| matches!(c, '"' | '\'' | '`') || c.is_whitespace());
    if t.is_empty() {
        return true;
    }
    let wrapped = |open: &str, close: &str| {
        t.len() >= open.len() + close.len() && t.starts_with(open) && t.ends_with(close)
    };
    if wrapped("<", ">")
        || wrapped("${", "}")
        || wrapped("{{", "}}")
        || wrapped("$(", ")")
        || wrapped("[", "]")
        || (wrapped("%", "%") && t.len() > 2)
    {
        return true;
    }
    if let Some(name) = t.strip_prefix('$')
        && name.bytes().all(|b| is_ident(b) || b == b'{' || b == b'}')
    {
        return true;
    }
    let lower = t.to_ascii_lowercase();
    if [
        "env:",
        "vault:",
        "secret://",
        "op://",
        "arn:aws:secretsmanager",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
    {
        return true;
    }
    if t.contains("...") || t.contains('\u{2026}') {
        return true;
    }
    let core: Vec<u8> = lower
        .bytes()
        .filter(|b| b.is_ascii_alphanumeric())
        .collect();
    if core.is_empty() || core.iter().all(|&b| b == core[0]) {
        return true;
    }
    if mask_characters(t) || mostly_counting(&core) {
        return true;
    }
    if LONG_MARKERS
        .iter()
        .any(|m| lower.starts_with(m) || lower.ends_with(m))
    {
        return true;
    }
    made_of_words(&lower)
}

/// Whether at least half of the letters and digits are mask characters
/// (`x`, `*`, `#`, `0`) in a run of four or more: `xxxx1234`, `XXXX-XXXX`.
fn mask_characters(t: &str) -> bool {
    let is_mask = |b: u8| matches!(b, b'x' | b'X' | b'*' | b'#' | b'0');
    let counted = t
        .bytes()
        .filter(|&b| b.is_ascii_alphanumeric() || b == b'*' || b == b'#');
    let (mut total, mut masked, mut run, mut longest) = (0, 0, 0, 0);
    for b in counted {
        total += 1;
        if is_mask(b) {
            masked += 1;
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest >= 4 && masked * 2 >= total
}

/// Whether a value is words (and numbers of at most four digits) between
/// separators, one of the words a marker: `your_api_key_here`, `EXAMPLE`,
/// `not-a-real-key-2`. A segment with a digit among letters (as random
/// bodies have) makes it no such value.
fn made_of_words(lower: &str) -> bool {
    let mut marker = false;
    for seg in lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
    {
        let letters = seg.bytes().all(|b| b.is_ascii_alphabetic());
        let number = seg.len() <= 4 && seg.bytes().all(|b| b.is_ascii_digit());
        if !(letters || number) {
            return false;
        }
        marker |= MARKER_WORDS.contains(&seg);
    }
    marker
}

/// Whether at least three quarters of the characters are in runs of four or
/// more that count up (`1234`, `abcd`) or repeat (`0000`).
fn mostly_counting(b: &[u8]) -> bool {
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
    } else if has("secret") || has("password") || has("passwd") || ends("pwd") {
        Some("secret")
    } else if ends("api_key")
        || ends("apikey")
        || ends("token")
        || ends("access_key")
        || ends("credential")
        || ends("credentials")
    {
        Some("credential")
    } else {
        None
    }
}

/// A value that could be a real secret rather than a name, path or
/// placeholder. A long value of the base64 alphabet is a secret even with
/// `/` or `+` in it (an AWS secret access key), a short one with `/` is a path.
pub fn looks_secret(v: &str, lenient: bool) -> bool {
    if v.contains(' ') || is_placeholder(v) {
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

/// `ABCDE-12345-FGHIJ-67890`, `CAVRA-ENT-7F3K-9QX2-LM4P-88ZD`,
/// `cav7r-9k2lm-q4xz8-t3nb6`: four or more dash-separated groups of 3 to 6
/// letters and digits, the letters all of one case, with digits in at least
/// two groups (so dates and `ABCD-EFGH-…` do not match).
pub fn is_license_key_shape(v: &str) -> bool {
    // Four groups of three or more: at least 15 bytes and three dashes.
    if v.len() < 15 || v.bytes().filter(|&b| b == b'-').count() < 3 {
        return false;
    }
    let upper = v.bytes().any(|b| b.is_ascii_uppercase());
    let lower = v.bytes().any(|b| b.is_ascii_lowercase());
    if upper == lower {
        // Mixed case, or no letter at all (a number with dashes).
        return false;
    }
    let groups: Vec<&str> = v.split('-').collect();
    groups.len() >= 4
        && groups
            .iter()
            .all(|g| (3..=6).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_alphanumeric()))
        && groups.iter().filter(|g| g.len() >= 4).count() >= 3
        && groups
            .iter()
            .filter(|g| g.bytes().any(|b| b.is_ascii_digit()))
            .count()
            >= 2
        && !is_placeholder(v)
}

/// A text with its escapes decoded, and how to map a place in it back.
struct Decoded<'a> {
    text: Cow<'a, str>,
    /// For each escape decoded: the decoded offset of its character and
    /// how many bytes longer the escape was, running total.
    shifts: Vec<(usize, usize)>,
}

impl Decoded<'_> {
    /// The original offset of a decoded offset (a range end maps past the
    /// escapes before it).
    fn original(&self, d: usize) -> usize {
        let i = self.shifts.partition_point(|&(at, _)| at < d);
        d + i.checked_sub(1).map_or(0, |i| self.shifts[i].1)
    }
}

/// Named character references of ASCII punctuation a writer may use to
/// hide a key's `_`, `-` or `.` from a scanner.
const NAMED: &[(&str, u8)] = &[
    ("lowbar", b'_'),
    ("UnderBar", b'_'),
    ("hyphen", b'-'),
    ("dash", b'-'),
    ("minus", b'-'),
    ("period", b'.'),
    ("colon", b':'),
    ("equals", b'='),
    ("sol", b'/'),
    ("amp", b'&'),
    ("quot", b'"'),
    ("apos", b'\''),
    ("commat", b'@'),
    ("plus", b'+'),
    ("num", b'#'),
    ("dollar", b'$'),
    ("lt", b'<'),
    ("gt", b'>'),
];

/// Decode Markdown backslash escapes of ASCII punctuation and HTML character
/// references of ASCII characters; borrowed when there are none.
fn decode(text: &str) -> Decoded<'_> {
    let bytes = text.as_bytes();
    let Some(start) = memchr::memchr2(b'\\', b'&', bytes) else {
        return Decoded {
            text: Cow::Borrowed(text),
            shifts: Vec::new(),
        };
    };
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    out.extend_from_slice(&bytes[..start]);
    let mut shifts = Vec::new();
    let mut extra = 0;
    let mut i = start;
    while i < bytes.len() {
        let Some(off) = memchr::memchr2(b'\\', b'&', &bytes[i..]) else {
            out.extend_from_slice(&bytes[i..]);
            break;
        };
        out.extend_from_slice(&bytes[i..i + off]);
        i += off;
        let found = match bytes[i] {
            b'\\' => bytes
                .get(i + 1)
                .filter(|b| b.is_ascii_punctuation())
                .map(|&b| (b, 2)),
            _ => reference(&bytes[i..]),
        };
        match found {
            Some((b, len)) => {
                extra += len - 1;
                shifts.push((out.len(), extra));
                out.push(b);
                i += len;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    // Only ASCII bytes replaced ASCII escapes: still UTF-8.
    let text = String::from_utf8(out).expect("escapes of ASCII decode to ASCII");
    Decoded {
        text: Cow::Owned(text),
        shifts,
    }
}

/// An HTML character reference of an ASCII character at the start of `b`
/// (`&#95;`, `&#x5F;`, `&lowbar;`), and its length.
fn reference(b: &[u8]) -> Option<(u8, usize)> {
    let end = b.iter().take(12).position(|&c| c == b';')?;
    let body = std::str::from_utf8(&b[1..end]).ok()?;
    let code = if let Some(num) = body.strip_prefix('#') {
        match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        }
    } else {
        NAMED.iter().find(|(n, _)| *n == body)?.1 as u32
    };
    (code > 0x20 && code < 0x7f).then_some((code as u8, end + 1))
}

/// Every secret-looking value in `text`, in order, no two overlapping.
pub fn find(text: &str) -> Vec<Secret> {
    let decoded = decode(text);
    let mut out = find_plain(&decoded.text);
    if !decoded.shifts.is_empty() {
        for s in &mut out {
            s.range = decoded.original(s.range.start)..decoded.original(s.range.end);
        }
    }
    out
}

/// [`find`] on text without escapes.
fn find_plain(text: &str) -> Vec<Secret> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // Where the last key name ended: a key holds several key words
    // (`client_secret_token`) and is looked at once.
    let mut key_seen = 0;
    // Each forward look is made once: a webhook URL inside one already
    // measured is not measured again.
    let mut webhook_seen = 0;
    for m in SCANNER.ac.find_all(bytes) {
        let (s, e) = (m.start, m.end);
        let shape = SCANNER.shapes[m.pattern];
        let word_start = s == 0 || !is_key_byte(bytes[s - 1]);
        match shape {
            Shape::KeyPrefix(kind) if word_start => {
                let end = ident_end(bytes, e);
                let rest = &text[e..end];
                if rest.len() >= MIN_BODY && has_digit_and_letter(rest) && !is_placeholder(rest) {
                    out.push(Secret {
                        range: s..end,
                        kind,
                    });
                }
            }
            Shape::AwsKeyId if word_start => {
                let end = ident_end(bytes, e);
                let rest = &text[e..end];
                if rest.len() == 16
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
            Shape::PemBlock => pem_block(text, e, &mut out),
            Shape::Jwt if word_start => jwt(text, s, &mut out),
            Shape::Webhook if s >= webhook_seen => {
                let end = url_end(bytes, e);
                webhook_seen = end;
                let path = &text[e..end];
                if path.len() >= 16
                    && path.contains('/')
                    && has_digit_and_letter(path)
                    && !is_placeholder(path)
                {
                    out.push(Secret {
                        range: e..end,
                        kind: "a webhook URL",
                    });
                }
            }
            Shape::UrlUserInfo => url_password(text, e, &mut out),
            Shape::Bearer if word_start => {
                let v_end = url_end(bytes, e);
                let value = &text[e..v_end];
                if value.len() >= 16 && looks_secret(value, false) {
                    out.push(Secret {
                        range: e..v_end,
                        kind: "a bearer token",
                    });
                }
            }
            Shape::KeyWord if s >= key_seen => {
                let mut k_start = s;
                while k_start > 0 && is_key_byte(bytes[k_start - 1]) {
                    k_start -= 1;
                }
                let k_end = ident_end(bytes, e);
                key_seen = k_end;
                if k_end - k_start <= 64 {
                    key_seen = assignment(text, k_start, k_end, &mut out);
                }
            }
            _ => {}
        }
    }
    license_keys(text, &mut out);
    out.sort_by_key(|s| s.range.start);
    // Overlapping finds become one, so no part of either is left showing.
    let mut merged: Vec<Secret> = Vec::with_capacity(out.len());
    for s in out {
        match merged.last_mut() {
            Some(last) if s.range.start < last.range.end => {
                last.range.end = last.range.end.max(s.range.end);
            }
            _ => merged.push(s),
        }
    }
    merged
}

/// The body of a private key block, after `-----BEGIN … PRIVATE KEY-----`
/// up to its END line (or the next run of dashes on one line). Quote markers and comment
/// marks at line starts are not part of the body; an elided body
/// (`...`) is an example.
fn pem_block(text: &str, e: usize, out: &mut Vec<Secret>) {
    // The rest of the header (`RSA PRIVATE KEY-----`) is short and on one line.
    let mut near = (e + 96).min(text.len());
    while !text.is_char_boundary(near) {
        near -= 1;
    }
    let header_region = &text[e..near];
    let header_region = &header_region[..header_region.find('\n').unwrap_or(header_region.len())];
    let Some(dashes) = header_region.find("-----") else {
        return;
    };
    if !header_region[..dashes].contains("PRIVATE KEY") {
        return;
    }
    // The body runs to the next run of dashes: the END line, or on one
    // line the END marker. Bodies never overlap, so each byte is read once.
    let body_start = e + dashes + 5;
    let body_end =
        crate::text::find(&text[body_start..], "-----").map_or(text.len(), |i| body_start + i);
    let body = &text[body_start..body_end];
    let key_chars = body
        .bytes()
        .filter(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        .count();
    if key_chars < 40 || body.contains("...") || body.contains('\u{2026}') {
        return;
    }
    // The body's own characters, without quote and comment marks.
    let clean: String = body
        .lines()
        .map(|l| {
            l.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '>' | '#' | '*' | '/'))
        })
        .collect();
    if is_placeholder(&clean) {
        return;
    }
    // The header names the kind of key and stays; the body is the secret.
    let first = body
        .find(|c: char| !(c.is_whitespace() || matches!(c, '>' | '#' | '*' | '/')))
        .unwrap_or(0);
    let last = body.trim_end().len();
    out.push(Secret {
        range: body_start + first..body_start + last.max(first),
        kind: "a private key block",
    });
}

/// Characters of base64url, as a JWT's segments use.
fn is_b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// `eyJ….eyJ….signature`: a JSON Web Token (header and payload are JSON
/// objects, so both start with `eyJ`).
fn jwt(text: &str, s: usize, out: &mut Vec<Secret>) {
    let bytes = text.as_bytes();
    let run = |from: usize| {
        let mut i = from;
        while i < bytes.len() && is_b64url(bytes[i]) {
            i += 1;
        }
        i
    };
    let h_end = run(s);
    if h_end - s < 10 || bytes.get(h_end) != Some(&b'.') {
        return;
    }
    let p_start = h_end + 1;
    if !text[p_start..].starts_with("eyJ") {
        return;
    }
    let p_end = run(p_start);
    if p_end - p_start < 10 {
        return;
    }
    let end = if bytes.get(p_end) == Some(&b'.') {
        run(p_end + 1)
    } else {
        p_end
    };
    out.push(Secret {
        range: s..end,
        kind: "a JSON Web Token",
    });
}

/// The end of a URL or token starting at `from`.
fn url_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < bytes.len()
        && !bytes[i].is_ascii_whitespace()
        && !matches!(
            bytes[i],
            b')' | b'"' | b'\'' | b'>' | b']' | b'`' | b'<' | b'|' | b'*'
        )
    {
        i += 1;
    }
    i
}

/// `scheme://user:password@host`: the password, unless it is a placeholder
/// or a plain word (`password`, `pass`).
fn url_password(text: &str, e: usize, out: &mut Vec<Secret>) {
    let bytes = text.as_bytes();
    // A scheme before `://`.
    if e < 4 || !bytes[e - 4].is_ascii_alphanumeric() {
        return;
    }
    let mut i = e;
    let limit = (e + 512).min(bytes.len());
    let mut colon = None;
    while i < limit {
        match bytes[i] {
            b'@' => break,
            b':' if colon.is_none() => colon = Some(i),
            b'/' | b'?' | b'#' | b')' | b'>' | b'"' | b'\'' | b'`' | b']' | b'<' => return,
            b if b.is_ascii_whitespace() => return,
            _ => {}
        }
        i += 1;
    }
    if i >= limit {
        return;
    }
    let Some(colon) = colon else {
        return;
    };
    let pw = &text[colon + 1..i];
    let plain_word = pw.bytes().all(|b| b.is_ascii_alphabetic());
    if pw.len() >= 4 && !plain_word && !is_placeholder(pw) {
        out.push(Secret {
            range: colon + 1..i,
            kind: "a password in a URL",
        });
    }
}

/// The value of a secret-named key between `k_start` and `k_end`:
/// `key = value`, `key: value`, `"key": "value"`, `key := value`,
/// `key => value`, `--key value`, and a YAML block scalar (`key: |` and the
/// lines under it). Returns where the look ended.
fn assignment(text: &str, k_start: usize, k_end: usize, out: &mut Vec<Secret>) -> usize {
    let bytes = text.as_bytes();
    let Some(kind) = secret_key_name(&text[k_start..k_end]) else {
        return k_end;
    };
    let lenient = kind == "license key";
    let kind = match kind {
        "license key" => "a license key",
        "signing key" => "a signing key",
        "secret" => "a secret",
        _ => "a credential",
    };
    let flag = text[..k_start].ends_with("--");
    let mut i = k_end;
    while i < bytes.len() && matches!(bytes[i], b'"' | b'\'') {
        i += 1;
    }
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
        i += 1;
    }
    match bytes.get(i) {
        Some(b'=') => {
            i += 1;
            if bytes.get(i) == Some(&b'>') {
                i += 1;
            }
        }
        Some(b':') => {
            i += 1;
            if bytes.get(i) == Some(&b'=') {
                i += 1;
            }
        }
        _ if flag && i > k_end => {}
        _ => return k_end,
    }
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'"' | b'\'') {
        i += 1;
    }
    let v_start = i;
    let mut v_end = v_start;
    while v_end < bytes.len()
        && !bytes[v_end].is_ascii_whitespace()
        && !matches!(
            bytes[v_end],
            b'"' | b'\'' | b',' | b'}' | b']' | b')' | b'`' | b'&' | b'<' | b'>' | b'|' | b';'
        )
    {
        v_end += 1;
    }
    let value = &text[v_start..v_end];
    if value.is_empty()
        && matches!(bytes.get(v_start), Some(b'|' | b'>'))
        && text[v_start + 1..]
            .split('\n')
            .next()
            .is_some_and(|rest| rest.trim().trim_start_matches(['-', '+']).is_empty())
    {
        block_scalar(text, k_start, v_start, lenient, kind, out);
        return v_end;
    }
    if looks_secret(value, lenient) {
        out.push(Secret {
            range: v_start..v_end,
            kind,
        });
    }
    // A key word inside the value is no key: the value is looked at once.
    v_end
}

/// The lines of a YAML block scalar (`password: |`) after `at`: each line
/// indented past the key's column that looks like a secret.
fn block_scalar(
    text: &str,
    k_start: usize,
    at: usize,
    lenient: bool,
    kind: &'static str,
    out: &mut Vec<Secret>,
) {
    let line_start = text[..k_start].rfind('\n').map_or(0, |i| i + 1);
    let column = k_start - line_start;
    let Some(first) = text[at..].find('\n') else {
        return;
    };
    let mut pos = at + first + 1;
    for line in text[pos..].split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        // Quote markers count as indentation, as the key's own did.
        let trimmed = body.trim_start_matches(|c: char| c.is_whitespace() || c == '>');
        let indent = body.len() - trimmed.len();
        if !trimmed.is_empty() {
            if indent <= column {
                break;
            }
            if looks_secret(trimmed.trim_end(), lenient) {
                let start = pos + indent;
                out.push(Secret {
                    range: start..start + trimmed.trim_end().len(),
                    kind,
                });
            }
        }
        pos += line.len();
    }
}

/// License keys: dash-separated groups, anywhere.
fn license_keys(text: &str, out: &mut Vec<Secret>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let key_byte = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
    while let Some(off) = memchr::memchr(b'-', &bytes[i..]) {
        let dash = i + off;
        // Every dash of a license key sits between two of its groups; prose
        // dashes (`- item`, `a -- b`) fail here, before the word around
        // them is measured. Each word is measured once.
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
        let bounded = start == 0 || !is_ident(bytes[start - 1]);
        if bounded && word.len() >= 19 && is_license_key_shape(word) {
            out.push(Secret {
                range: start..end,
                kind: "a license key",
            });
        }
        i = end.max(dash + 1);
    }
}

/// The mask shown instead of a secret: its kind, and the last four of its
/// letters and digits when it is long enough that they give nothing away.
pub fn mask(secret: &str, kind: &str) -> String {
    let kind = kind
        .strip_prefix("a ")
        .or_else(|| kind.strip_prefix("an "))
        .unwrap_or(kind);
    let alnum: Vec<char> = secret.chars().filter(char::is_ascii_alphanumeric).collect();
    if alnum.len() < 16 {
        return format!("[redacted {kind}]");
    }
    let tail: String = alnum[alnum.len() - 4..].iter().collect();
    format!("[redacted {kind} …{tail}]")
}

/// Where a masked range was, and where its mask is.
pub type Moved = (Range<usize>, Range<usize>);

/// `text[window]` with the parts of `secrets` (ranges of `text`, sorted and
/// disjoint) masked, offsets relative to the window: the piece holding a
/// secret's start gets its mask; a piece of it on a later line keeps the
/// line's quote and indentation marks and gets a short mask, so a masked
/// text keeps its lines.
pub fn mask_window(text: &str, secrets: &[Secret], window: Range<usize>) -> (String, Vec<Moved>) {
    let from = secrets.partition_point(|s| s.range.end <= window.start);
    let mut out = String::with_capacity(window.len());
    let mut moved = Vec::new();
    let mut at = window.start;
    for s in &secrets[from..] {
        if s.range.start >= window.end {
            break;
        }
        let piece_start = s.range.start.max(window.start);
        let piece_end = s.range.end.min(window.end);
        out.push_str(&text[at..piece_start]);
        // Line by line within the piece.
        let mut line_from = piece_start;
        for line in text[piece_start..piece_end].split_inclusive('\n') {
            let line_to = line_from + line.len();
            let body = line.trim_end_matches(['\n', '\r']);
            let start_here = line_from == s.range.start;
            let keep = if start_here {
                0
            } else {
                body.len() - body.trim_start_matches([' ', '\t', '>']).len()
            };
            out.push_str(&body[..keep]);
            let new_start = out.len();
            if keep < body.len() {
                if start_here {
                    out.push_str(&mask(&text[s.range.clone()], s.kind));
                } else {
                    out.push_str("[redacted]");
                }
            }
            moved.push((
                line_from - window.start..line_from + body.len() - window.start,
                new_start..out.len(),
            ));
            out.push_str(&line[body.len()..]);
            line_from = line_to;
        }
        at = piece_end;
    }
    out.push_str(&text[at..window.end]);
    (out, moved)
}

/// `text` with every secret masked, and where each masked range ended up,
/// for moving an underline along.
pub fn redact_mapped(text: &str) -> (Cow<'_, str>, Vec<Moved>) {
    let found = find(text);
    if found.is_empty() {
        return (Cow::Borrowed(text), Vec::new());
    }
    let (out, moved) = mask_window(text, &found, 0..text.len());
    (Cow::Owned(out), moved)
}

/// `text` with every secret masked; its lines stay lines.
pub fn redact(text: &str) -> Cow<'_, str> {
    redact_mapped(text).0
}

/// A path with every secret masked in a form a file name may take
/// (`redacted-live-secret-API-key-Qm3T`), for paths that must stay usable.
pub fn redact_path(path: &str) -> Cow<'_, str> {
    let found = find(path);
    if found.is_empty() {
        return Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len());
    let mut at = 0;
    for s in found {
        out.push_str(&path[at..s.range.start]);
        let m = mask(&path[s.range.clone()], s.kind);
        let safe: String = m
            .trim_matches(['[', ']'])
            .chars()
            .filter_map(|c| match c {
                c if c.is_ascii_alphanumeric() => Some(c),
                ' ' => Some('-'),
                _ => None,
            })
            .collect();
        out.push_str(&safe);
        at = s.range.end;
    }
    out.push_str(&path[at..]);
    Cow::Owned(out)
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
    fn escapes_are_seen_through_and_masked_whole() {
        let body = "51Hq8c2eZvKYlo2C0aXb9Qm3T";
        for escaped in [
            format!("sk\\_live\\_{body}"),
            format!("sk&#95;live&#95;{body}"),
            format!("sk&#x5f;live&#X5F;{body}"),
            format!("sk&lowbar;live&UnderBar;{body}"),
        ] {
            let text = format!("the key {escaped} here");
            let found = find(&text);
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(&text[found[0].range.clone()], escaped, "{text}");
            assert_eq!(
                redact(&text),
                "the key [redacted live secret API key …Qm3T] here"
            );
        }
    }

    #[test]
    fn placeholders_stay_and_real_keys_with_common_runs_do_not() {
        for p in [
            "sk_live_xxxxxxxxxxxxxxxx",
            "sk_live_<your-key>",
            "client_secret: ${CLIENT_SECRET}",
            "sk_live_1234567890abcdef",
            "AKIA0000000000000000",
            "AKIAIOSFODNN7EXAMPLE",
        ] {
            assert_eq!(redact(p), p, "{p}");
        }
        for real in [
            "sk_live_51Hq1234eZvKYlo2C0aXb9Qm3T",
            "sk_live_9fabcdQ2kL7xR4mN8pV3tW6y",
            "AKIAZ7Q40000N2P5RT8W",
            "sk_live_9fQ2yourkL7xR4mN8pV3tW6y",
            "sk_live_9fQ2fakekL7xR4mN8pV3tW6y",
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
            "https://user@example.com/x",
            "http://localhost:8080/path",
            "postgres://app:${DB_PASSWORD}@db:5432/app",
            "https://user:password@example.com",
        ] {
            assert_eq!(redact(v), v, "{v}");
        }
    }

    #[test]
    fn a_masked_text_keeps_its_lines_and_quote_marks() {
        let pem = "> -----BEGIN PRIVATE KEY-----\n> MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n> q9Xk2Lm4Np8Qr3St6Uv9Wx1Yz0aBcDeFgHiJkLmNoPqRsTuVwXyZ12\n> -----END PRIVATE KEY-----\n";
        let r = redact(pem);
        assert_eq!(r.lines().count(), pem.lines().count(), "{r}");
        assert!(r.lines().all(|l| l.starts_with('>')), "{r}");
        assert!(!r.contains("MIIEvQ") && !r.contains("q9Xk2"), "{r}");
    }

    /// Every look forward is made once: repeating a trigger 4 times as
    /// often costs about 4 times as much, never 16 (in one line, no spaces).
    #[test]
    fn every_trigger_repeated_stays_linear() {
        let triggers = [
            "token=",
            "client_secret:",
            "hooks.slack.com/services/",
            "-----BEGIN RSA PRIVATE KEY-----",
            "sk_live_",
            "eyJabcdefghijk.",
            "https://a:",
            "Bearer ",
            "password: |\n",
            "ABCD-",
            "&#95;",
            "\\_",
        ];
        // The fastest of five runs: a run the scheduler interrupts (other
        // builds on the machine) says nothing about the work.
        let cost = |t: &str, n: usize| {
            let text = t.repeat(n);
            (0..5)
                .map(|_| {
                    let start = std::time::Instant::now();
                    std::hint::black_box(find(&text));
                    start.elapsed().as_secs_f64()
                })
                .fold(f64::INFINITY, f64::min)
        };
        for t in triggers {
            let (n, m) = (cost(t, 4_000), cost(t, 16_000));
            assert!(
                m < 8.0 * n + 0.01,
                "{t:?}: {n:.4}s for 4,000, {m:.4}s for 16,000"
            );
        }
    }

    #[test]
    fn paths_are_masked_as_file_names() {
        let p = "src/sk_live_51Hq8c2eZvKYlo2C0aXb9Qm3T.md";
        assert_eq!(redact_path(p), "src/redacted-live-secret-API-key-Qm3T.md");
    }
}

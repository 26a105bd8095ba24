//! Where a page names CAVRA's product surface: `CAVRA_*` names, methods and
//! paths of the API, `.cavra/` paths, and the keys of JSON and YAML
//! examples. Pure text scanning: each function reads a string and answers
//! byte ranges into it; the `unknown-setting`, `unknown-route`,
//! `unknown-path` and `unknown-field` rules judge what it finds against
//! the canon.

use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::markdown::{BlockKind, CODE_MARK, Page};

/// What kind of text a piece of a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// A fenced or indented code block (its index in `Page::code_blocks`).
    Block(usize),
    /// An inline code span, in the prose block with this index.
    Inline(usize),
    /// A block of prose (inline code spans stand as [`CODE_MARK`]), with
    /// its index in `Page::blocks`.
    Prose(usize),
}

/// Call `f` with every piece of text a reader sees on the page that is not
/// produced by a directive, with a function from an offset in the piece to
/// an offset in the page.
pub fn each_text(page: &Page<'_>, mut f: impl FnMut(TextKind, &str, &dyn Fn(usize) -> usize)) {
    for (i, cb) in page.code_blocks.iter().enumerate() {
        let at = cb.content.start;
        f(TextKind::Block(i), &page.src[cb.content.clone()], &|o| {
            at + o
        });
    }
    for code in &page.codes {
        if code.directive.is_some() {
            continue;
        }
        let at = code.content.start;
        f(TextKind::Inline(code.block), page.code_text(code), &|o| {
            at + o
        });
    }
    for (i, block) in page.blocks.iter().enumerate() {
        let text = page.text(block);
        f(TextKind::Prose(i), text, &|o| page.source_offset(block, o));
    }
}

/// Whether any piece of text [`each_text`] gives may hold `needle`: every
/// piece is a slice of the page or of its prose, so two searches of the
/// whole page answer for the hundreds of pieces a page has.
pub fn page_may_hold(page: &Page<'_>, needle: &Finder<'_>) -> bool {
    needle.find(page.src.as_bytes()).is_some() || needle.find(page.prose.as_bytes()).is_some()
}

/// `CAVRA_`, for [`page_may_hold`]: a page without it names no setting.
pub static SETTING_NEEDLE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("CAVRA_"));

/// `.cavra/`, for [`page_may_hold`]: a page without it names no such path.
pub static PATH_NEEDLE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(".cavra/"));

/// Whether the text of this kind is declared to be about a private
/// service (an Enterprise or SaaS API CAVRA's public code does not serve):
/// its sentence, its section heading, its table column's header, or the
/// lead-in of its table, list or code block says "private".
pub fn declared_private(page: &Page<'_>, kind: TextKind) -> bool {
    let says = |b: usize| {
        page.blocks
            .get(b)
            .is_some_and(|b| crate::text::contains(&page.text(b).to_ascii_lowercase(), "private"))
    };
    match kind {
        TextKind::Block(i) => {
            let (lead, heading) = lead_in_and_heading(page, page.code_blocks[i].range.start);
            [lead, heading]
                .into_iter()
                .flatten()
                .any(|t| t.to_ascii_lowercase().contains("private"))
        }
        TextKind::Inline(b) | TextKind::Prose(b) => {
            let block = &page.blocks[b];
            if says(b) || block.section.is_some_and(says) {
                return true;
            }
            if let BlockKind::TableCell { table, col, .. } = block.kind {
                let header = page.blocks.iter().position(|x| {
                    matches!(x.kind, BlockKind::TableCell { table: t, col: c, header: true, .. } if t == table && c == col)
                });
                if header.is_some_and(says) || page.tables[table].intro.is_some_and(says) {
                    return true;
                }
            }
            if let Some((list, _)) = block.item
                && page.lists[list].intro.is_some_and(says)
            {
                return true;
            }
            false
        }
    }
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// A `CAVRA_*` name as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingMention<'s> {
    pub range: Range<usize>,
    pub name: &'s str,
    /// Written as a family (`CAVRA_REPORT_*`, `CAVRA_REPORT_`): any setting
    /// starting with `name` fits.
    pub prefix: bool,
    /// The value assigned right after it (`=value`, `: value`).
    pub value: Option<(&'s str, Range<usize>)>,
}

/// Every `CAVRA_*` name in `text`.
pub fn settings(text: &str) -> Vec<SettingMention<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for at in SETTING_NEEDLE.find_iter(bytes) {
        if at > 0 && is_ident(bytes[at - 1]) {
            continue;
        }
        let mut end = at + 6;
        while end < bytes.len()
            && (bytes[end].is_ascii_uppercase()
                || bytes[end].is_ascii_digit()
                || bytes[end] == b'_')
        {
            end += 1;
        }
        // `CAVRA_Foo` or `CAVRA_xyz` is some other identifier.
        if bytes.get(end).is_some_and(|&b| b.is_ascii_lowercase()) {
            continue;
        }
        let name = &text[at..end];
        let star = bytes.get(end) == Some(&b'*');
        let prefix = star || name.ends_with('_');
        if name == "CAVRA_" && !star {
            continue;
        }
        let value = if prefix { None } else { assigned(text, end) };
        out.push(SettingMention {
            range: at..end,
            name,
            prefix,
            value,
        });
    }
    out
}

/// The value assigned after a name ending at `end`: `=value`, `="value"`,
/// `: value`, `": "value"`.
fn assigned(text: &str, end: usize) -> Option<(&str, Range<usize>)> {
    let bytes = text.as_bytes();
    let mut i = end;
    if matches!(bytes.get(i), Some(b'"' | b'\'')) {
        i += 1;
    }
    match bytes.get(i) {
        Some(b'=') => i += 1,
        Some(b':') => {
            i += 1;
            while matches!(bytes.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
        }
        _ => return None,
    }
    if matches!(bytes.get(i), Some(b'"' | b'\'')) {
        i += 1;
    }
    let start = i;
    while i < bytes.len()
        && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'-' | b'.'))
    {
        i += 1;
    }
    let v = text[start..i].trim_end_matches('.');
    if v.is_empty() {
        return None;
    }
    Some((v, start..start + v.len()))
}

/// An HTTP method and path of CAVRA's API as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteMention<'s> {
    /// From the method (or the URL) to the end of the path.
    pub range: Range<usize>,
    /// Empty when the text gives no method (a bare URL).
    pub methods: Vec<&'s str>,
    /// The path, without query or fragment.
    pub path: &'s str,
}

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

fn path_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '/' | '-' | '_' | '.' | '{' | '}' | '<' | '>' | ':' | '$' | '*' | '~' | '…'
        )
}

/// The path starting at `at` (a `/`), trimmed of sentence punctuation and
/// cut before a query string.
fn path_at(text: &str, at: usize) -> &str {
    let end = text[at..]
        .char_indices()
        .find(|&(_, c)| !path_char(c))
        .map_or(text.len(), |(i, _)| at + i);
    text[at..end].trim_end_matches(['.', ',', ':', ';'])
}

/// `METHOD /path` (also `GET/POST /path`) and URLs on CAVRA's API
/// (`http://localhost:8000/…`, `127.0.0.1:8000`, `0.0.0.0:8000`, or a
/// `$…API…` base) in `text`. A URL's method comes from the `curl` line it
/// is on (`-X`, `--request`, or `-d`/`--data` for POST).
pub fn routes(text: &str) -> Vec<RouteMention<'_>> {
    let mut out = Vec::new();
    // Every route has a path, and every path a `/`.
    if memchr::memchr(b'/', text.as_bytes()).is_none() {
        return out;
    }
    method_paths(text, &mut out);
    api_urls(text, &mut out);
    out.sort_by_key(|r| r.range.start);
    out
}

fn method_paths<'s>(text: &'s str, out: &mut Vec<RouteMention<'s>>) {
    let bytes = text.as_bytes();
    // A method is followed by blanks and the path's `/`: text with no `/`
    // after a blank has none (most prose, looked at byte by byte below).
    if !memchr::memchr_iter(b'/', bytes).any(|i| i > 0 && matches!(bytes[i - 1], b' ' | b'\t')) {
        return;
    }
    let mut i = 0;
    while i < bytes.len() {
        // Every method starts with one of these letters.
        if !matches!(bytes[i], b'G' | b'P' | b'D' | b'H' | b'O')
            || (i > 0 && is_ident(bytes[i - 1]))
        {
            i += 1;
            continue;
        }
        // A run of methods joined by `/` or `|`.
        let start = i;
        let mut methods = Vec::new();
        let mut j = i;
        while let Some(m) = METHODS.iter().find(|m| text[j..].starts_with(**m)) {
            let e = j + m.len();
            if bytes.get(e).is_some_and(|&b| is_ident(b)) {
                break;
            }
            methods.push(&text[j..e]);
            j = e;
            if matches!(bytes.get(j), Some(b'/' | b'|'))
                && bytes.get(j + 1).is_some_and(|b| b.is_ascii_uppercase())
            {
                j += 1;
                continue;
            }
            break;
        }
        if methods.is_empty() {
            i += 1;
            continue;
        }
        let mut k = j;
        while matches!(bytes.get(k), Some(b' ' | b'\t')) {
            k += 1;
        }
        if k > j && bytes.get(k) == Some(&b'/') {
            let path = path_at(text, k);
            if path.len() > 1 && !path.starts_with("//") {
                out.push(RouteMention {
                    range: start..k + path.len(),
                    methods,
                    path,
                });
            }
            i = k + path.len().max(1);
        } else {
            i = j.max(i + 1);
        }
    }
}

const API_HOSTS: [&str; 4] = [
    "localhost:8000",
    "127.0.0.1:8000",
    "0.0.0.0:8000",
    "[::1]:8000",
];

fn api_urls<'s>(text: &'s str, out: &mut Vec<RouteMention<'s>>) {
    let bytes = text.as_bytes();
    // Base URLs: a known API host after `//`, or a `$VAR`/`${VAR}` whose
    // name says it is an API base.
    let mut bases: Vec<(usize, usize)> = Vec::new();
    // The searchers are built once: this runs on every piece of text of
    // every page, and building a searcher costs more than most pieces'
    // search.
    static HOSTS: LazyLock<[Finder<'static>; 4]> = LazyLock::new(|| API_HOSTS.map(Finder::new));
    // Every host ends in the port: text without it names none of them.
    static PORT: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(":8000"));
    let hosts = if PORT.find(bytes).is_some() {
        &API_HOSTS[..]
    } else {
        &[]
    };
    for (host, finder) in hosts.iter().zip(HOSTS.iter()) {
        for at in finder.find_iter(bytes) {
            if at >= 2 && &bytes[at - 2..at] == b"//" {
                let url_start = text[..at - 2]
                    .char_indices()
                    .rev()
                    .find(|&(_, c)| !c.is_ascii_alphabetic() && c != ':')
                    .map_or(0, |(p, c)| p + c.len_utf8());
                bases.push((url_start, at + host.len()));
            }
        }
    }
    for at in memchr::memchr_iter(b'$', bytes) {
        let rest = &text[at + 1..];
        let (name, len) = if let Some(inner) = rest.strip_prefix('{') {
            let Some(close) = inner.find('}') else {
                continue;
            };
            (&inner[..close], close + 2)
        } else {
            let n = rest.bytes().take_while(|&b| is_ident(b)).count();
            (&rest[..n], n)
        };
        let has = |word: &str| {
            name.as_bytes()
                .windows(word.len())
                .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
        };
        if has("API") && (has("BASE") || has("URL")) {
            bases.push((at, at + 1 + len));
        }
    }
    for (start, end) in bases {
        if bytes.get(end) != Some(&b'/') {
            continue;
        }
        let path = path_at(text, end);
        if path.len() <= 1 {
            continue;
        }
        out.push(RouteMention {
            range: start..end + path.len(),
            methods: curl_method(text, start).into_iter().collect(),
            path,
        });
    }
}

/// The method of the `curl` command on the logical line around `at`.
fn curl_method(text: &str, at: usize) -> Option<&str> {
    let mut line_start = text[..at].rfind('\n').map_or(0, |p| p + 1);
    // Walk back over `\` continued lines.
    while line_start > 1
        && text[..line_start - 1]
            .trim_end_matches('\r')
            .ends_with('\\')
    {
        line_start = text[..line_start - 1].rfind('\n').map_or(0, |p| p + 1);
    }
    let mut line_end = at;
    loop {
        let e = text[line_end..]
            .find('\n')
            .map_or(text.len(), |p| line_end + p);
        if text[..e].trim_end_matches('\r').ends_with('\\') && e < text.len() {
            line_end = e + 1;
        } else {
            line_end = e;
            break;
        }
    }
    let line = &text[line_start..line_end];
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == '\\')
        .filter(|w| !w.is_empty())
        .collect();
    let curl = words
        .iter()
        .position(|w| *w == "curl" || w.ends_with("/curl"))?;
    let words = &words[curl + 1..];
    let mut data = false;
    for (i, w) in words.iter().enumerate() {
        let explicit = match *w {
            "-X" | "--request" => words.get(i + 1).copied(),
            _ => w
                .strip_prefix("--request=")
                .or_else(|| w.strip_prefix("-X").filter(|m| !m.is_empty())),
        };
        if let Some(m) = explicit {
            let m = m.trim_matches(['"', '\'']);
            return METHODS.iter().find(|k| **k == m).copied();
        }
        if matches!(*w, "-d" | "-F" | "--json" | "--form")
            || w.starts_with("--data")
            || (w.starts_with("-d") && w.len() > 2 && !w.starts_with("--"))
        {
            data = true;
        }
    }
    Some(if data { "POST" } else { "GET" })
}

/// A `.cavra/…` path as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMention<'s> {
    pub range: Range<usize>,
    pub path: &'s str,
}

/// Every `.cavra/…` path in `text`.
pub fn cavra_paths(text: &str) -> Vec<PathMention<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for at in PATH_NEEDLE.find_iter(bytes) {
        if at > 0 && (is_ident(bytes[at - 1]) || matches!(bytes[at - 1], b'-' | b'.')) {
            continue;
        }
        let end = text[at..]
            .char_indices()
            .find(|&(_, c)| {
                !(c.is_ascii_alphanumeric()
                    || matches!(c, '/' | '-' | '_' | '.' | '{' | '}' | '<' | '>' | '*' | '…'))
            })
            .map_or(text.len(), |(i, _)| at + i);
        let path = text[at..end].trim_end_matches(['.', ',', ':', ';']);
        out.push(PathMention {
            range: at..at + path.len(),
            path,
        });
    }
    out
}

/// A key of a JSON or YAML example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocKey<'s> {
    /// Parent keys and the key, outermost first (arrays are transparent).
    pub path: Vec<&'s str>,
    /// The key as written (quotes excluded), in the scanned text.
    pub range: Range<usize>,
    /// The value when it is a plain string or word on the same line.
    pub value: Option<&'s str>,
}

/// Whether a code block's language holds a JSON or YAML document.
pub fn document_language(lang: &str, code: &str) -> Option<&'static str> {
    match lang {
        "json" | "jsonc" | "json5" => Some("json"),
        "yaml" | "yml" => Some("yaml"),
        "" | "text" if code.trim_start().starts_with('{') => Some("json"),
        _ => None,
    }
}

/// The keys of a JSON document, tolerant of `…` placeholders and comments.
pub fn json_keys(code: &str) -> Vec<DocKey<'_>> {
    struct Frame<'s> {
        object: bool,
        path: Vec<&'s str>,
        last_key: Option<&'s str>,
    }
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    // A key just read whose value has not started yet.
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => {
                let path = match stack.last() {
                    Some(f) if f.object => {
                        let mut p = f.path.clone();
                        if let Some(k) = f.last_key {
                            p.push(k);
                        }
                        p
                    }
                    Some(f) => f.path.clone(),
                    None => Vec::new(),
                };
                stack.push(Frame {
                    object: bytes[i] == b'{',
                    path,
                    last_key: None,
                });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' && bytes[j] != b'\n' {
                    if bytes[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
                let end = j.min(bytes.len());
                let s = &code[start..end];
                i = end + 1;
                let mut k = i;
                while k < bytes.len() && matches!(bytes[k], b' ' | b'\t' | b'\r' | b'\n') {
                    k += 1;
                }
                if let Some(f) = stack.last_mut()
                    && f.object
                    && bytes.get(k) == Some(&b':')
                {
                    let mut path = f.path.clone();
                    path.push(s);
                    f.last_key = Some(s);
                    let value = json_string_after(code, k + 1);
                    out.push(DocKey {
                        path,
                        range: start..end,
                        value,
                    });
                    i = k + 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out
}

fn json_string_after(code: &str, from: usize) -> Option<&str> {
    let rest = code[from..].trim_start_matches([' ', '\t']);
    let inner = rest.strip_prefix('"')?;
    let end = inner.find(['"', '\n'])?;
    Some(&inner[..end])
}

/// The keys of a YAML document (block style), by indentation.
pub fn yaml_keys(code: &str) -> Vec<DocKey<'_>> {
    let mut out = Vec::new();
    let mut stack: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0;
    for raw in code.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---" {
            continue;
        }
        let mut indent = line.len() - trimmed.len();
        let mut body = trimmed;
        while let Some(rest) = body.strip_prefix("- ") {
            indent += 2;
            body = rest.trim_start_matches(' ');
            indent += rest.len() - body.len();
        }
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        let (key, key_at, after) = if let Some(inner) = body.strip_prefix('"') {
            let Some(close) = inner.find('"') else {
                continue;
            };
            (&inner[..close], 1, &inner[close + 1..])
        } else {
            let n = body
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
                .unwrap_or(body.len());
            (&body[..n], 0, &body[n..])
        };
        if key.is_empty() {
            continue;
        }
        let Some(after) = after.strip_prefix(':') else {
            continue;
        };
        if !(after.is_empty() || after.starts_with([' ', '\t'])) {
            continue;
        }
        let start = line_start + (line.len() - body.len()) + key_at;
        let mut path: Vec<&str> = Vec::with_capacity(stack.len() + 1);
        path.extend(stack.iter().map(|&(_, k)| k));
        path.push(key);
        let v = after.trim().trim_matches(['"', '\'']);
        out.push(DocKey {
            path,
            range: start..start + key.len(),
            value: (!v.is_empty()).then_some(v),
        });
        let rest = after.trim();
        if rest.is_empty() || rest == "|" || rest == ">" {
            stack.push((indent, key));
        }
    }
    out
}

/// The text of the prose block right before a code block (its lead-in),
/// and of the heading of the section it sits in.
pub fn lead_in_and_heading<'p>(
    page: &'p Page<'_>,
    block_start: usize,
) -> (Option<&'p str>, Option<&'p str>) {
    let mut lead = None;
    let mut heading = None;
    for b in page.blocks.iter().rev() {
        if b.range.end > block_start {
            continue;
        }
        if lead.is_none() && heading.is_none() {
            // The paragraph right before, unless another code block sits between.
            let between = page
                .code_blocks
                .iter()
                .any(|cb| cb.range.start >= b.range.end && cb.range.end <= block_start);
            if !between && !matches!(b.kind, BlockKind::Heading(_)) {
                lead = Some(page.text(b));
            }
        }
        if matches!(b.kind, BlockKind::Heading(_)) {
            heading = Some(page.text(b));
            break;
        }
    }
    (lead, heading)
}

/// Prose text with inline code spans shown as `…` (for matching phrases).
pub fn plain(text: &str) -> String {
    text.replace(CODE_MARK, "…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_values_and_families() {
        let s = settings(
            "export CAVRA_DEPLOYMENT_MODE=saas; CAVRA_REPORT_* and `CAVRA_X` window.CAVRA_API_BASE MY_CAVRA_X CAVRA_Foo",
        );
        let names: Vec<_> = s
            .iter()
            .map(|m| (m.name, m.prefix, m.value.as_ref().map(|v| v.0)))
            .collect();
        assert_eq!(
            names,
            [
                ("CAVRA_DEPLOYMENT_MODE", false, Some("saas")),
                ("CAVRA_REPORT_", true, None),
                ("CAVRA_X", false, None),
                ("CAVRA_API_BASE", false, None),
            ]
        );
    }

    #[test]
    fn routes_from_methods_and_curl() {
        let r = routes(
            "Call POST /v1/evaluate, or GET/POST /approvals.\ncurl -fsS http://127.0.0.1:8000/health\ncurl -X DELETE \"$CAVRA_API_BASE/decisions/dec_1?x=1\"\ncurl -d @a.json localhost:8000/x\nsee https://example.com/v1/x",
        );
        let got: Vec<_> = r.iter().map(|m| (m.methods.clone(), m.path)).collect();
        assert_eq!(
            got,
            [
                (vec!["POST"], "/v1/evaluate"),
                (vec!["GET", "POST"], "/approvals"),
                (vec!["GET"], "/health"),
                (vec!["DELETE"], "/decisions/dec_1"),
            ]
        );
    }

    #[test]
    fn odd_text_never_panics() {
        for t in [
            "é//localhost:8000/x",
            "ééGET /é",
            "${API_BASE",
            "$API_URL/",
            "\"a\\é\": 1",
            ".cavra/é",
            "CAVRA_X=\"é",
            "curl -X",
        ] {
            let _ = (
                routes(t),
                settings(t),
                cavra_paths(t),
                json_keys(t),
                yaml_keys(t),
            );
        }
    }

    #[test]
    fn paths_and_keys() {
        let p = cavra_paths("write `.cavra/policy.yaml`, then ~/.cavra/keys/. not foo.cavra/x");
        assert_eq!(
            p.iter().map(|m| m.path).collect::<Vec<_>>(),
            [".cavra/policy.yaml", ".cavra/keys/"]
        );
        let k = json_keys("{\n \"a\": {\"b\": [ {\"c\": \"…\"} ]},\n \"d\": \"x\" }");
        let paths: Vec<String> = k.iter().map(|k| k.path.join(".")).collect();
        assert_eq!(paths, ["a", "a.b", "a.b.c", "d"]);
        let y = yaml_keys("a:\n  b: 1\n  c:\n    - d: x\n      e: y\nf: z\n");
        let paths: Vec<String> = y.iter().map(|k| k.path.join(".")).collect();
        assert_eq!(paths, ["a", "a.b", "a.c", "a.c.d", "a.c.e", "f"]);
    }
}

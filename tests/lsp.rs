//! The language server, driven over stdio as an editor drives it: the real
//! binary, messages framed by hand and read as JSON. Diagnostics must equal
//! `check`'s findings, follow unsaved text and edits, and go when a quick
//! fix is applied; malformed messages get an error or a log line and the
//! server goes on.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::{Value, json};

struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next: i64,
    /// Notifications that arrived while waiting for a response.
    seen: Vec<Value>,
}

impl Client {
    /// A server, not yet initialized.
    fn spawn() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mdbook-cavra"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Client {
            child,
            stdin,
            stdout,
            next: 0,
            seen: Vec::new(),
        }
    }

    fn start() -> Client {
        let mut c = Client::spawn();
        let init = c.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        );
        assert_eq!(init["result"]["capabilities"]["hoverProvider"], json!(true));
        c.notify("initialized", json!({}));
        c
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, v: Value) {
        let body = v.to_string();
        self.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    /// The next message from the server.
    fn read(&mut self) -> Value {
        let mut length = None;
        loop {
            let mut line = String::new();
            assert!(
                self.stdout.read_line(&mut line).unwrap() > 0,
                "the server closed its output"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                length = Some(v.parse::<usize>().unwrap());
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.response(&json!(id))
    }

    /// The response with this id; notifications and requests from the
    /// server before it are kept.
    fn response(&mut self, id: &Value) -> Value {
        loop {
            let m = self.read();
            if m.get("method").is_some() {
                self.seen.push(m);
            } else if &m["id"] == id {
                return m;
            }
        }
    }

    /// The diagnostics last published for `uri` before a round trip (a
    /// request the server answers after everything sent before it).
    fn diagnostics(&mut self, uri: &str) -> Option<Vec<Value>> {
        self.request("textDocument/hover", position(uri, 0, 0));
        let found = self
            .seen
            .iter()
            .rev()
            .find(|n| n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri)
            .map(|n| n["params"]["diagnostics"].as_array().unwrap().clone());
        self.seen
            .retain(|n| n["method"] != "textDocument/publishDiagnostics");
        found
    }

    /// The log messages so far (and forget them).
    fn logs(&mut self) -> Vec<String> {
        self.request("textDocument/hover", position("file:///nowhere.md", 0, 0));
        let logs = self
            .seen
            .iter()
            .filter(|n| n["method"] == "window/logMessage")
            .map(|n| n["params"]["message"].as_str().unwrap().to_string())
            .collect();
        self.seen.retain(|n| n["method"] != "window/logMessage");
        logs
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
        );
    }

    fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    fn stop(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status}");
    }
}

fn position(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

fn uri(p: &Path) -> String {
    format!("file://{}", std::fs::canonicalize(p).unwrap().display())
}

const BAD: &str = "# Bad\n\nThe subscription state is `canceled` 😀 and `past-due`.\n";

fn book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    std::fs::create_dir_all(r.join("src")).unwrap();
    std::fs::write(
        r.join("book.toml"),
        "[book]\ntitle = \"t\"\n[preprocessor.cavra]\n",
    )
    .unwrap();
    std::fs::write(
        r.join("src/SUMMARY.md"),
        "# Summary\n\n- [Bad](bad.md)\n- [Good](good.md)\n",
    )
    .unwrap();
    std::fs::write(r.join("src/bad.md"), BAD).unwrap();
    std::fs::write(r.join("src/good.md"), "# Good\n\nFine.\n").unwrap();
    dir
}

fn check_json(root: &Path) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_mdbook-cavra"))
        .args(["check", ".", "--format", "json"])
        .current_dir(root)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["findings"].as_array().unwrap().clone()
}

/// `check --format json`'s findings of one file as (rule, line, column,
/// message), the column converted from characters (as `check` counts) to
/// UTF-16 units (as the protocol does) on the file's text in the book at
/// `root`; and the same of diagnostics, 1-based.
fn from_check(findings: &[Value], root: &Path, path: &str) -> Vec<(String, u64, u64, String)> {
    let text = std::fs::read_to_string(root.join(path)).unwrap_or_default();
    findings
        .iter()
        .filter(|f| f["path"] == path)
        .map(|f| {
            let line = f["line"].as_u64().unwrap();
            let chars = f["column"].as_u64().unwrap() as usize - 1;
            let units: usize = text
                .lines()
                .nth(line as usize - 1)
                .unwrap_or("")
                .chars()
                .take(chars)
                .map(char::len_utf16)
                .sum();
            (
                f["rule"].as_str().unwrap().to_string(),
                line,
                units as u64 + 1,
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn from_diagnostics(diagnostics: &[Value]) -> Vec<(String, u64, u64, String)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
                d["range"]["start"]["character"].as_u64().unwrap() + 1,
                d["message"]
                    .as_str()
                    .unwrap()
                    .split("\nnote: ")
                    .next()
                    .unwrap()
                    .split("\nhelp: ")
                    .next()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn diagnostics_equal_check_and_follow_unsaved_text() {
    let dir = book();
    let bad = uri(&dir.path().join("src/bad.md"));
    let mut c = Client::start();
    c.open(&bad, BAD);
    let diagnostics = c.diagnostics(&bad).expect("diagnostics for the open page");
    let expected = check_json(dir.path());
    assert_eq!(diagnostics.len(), expected.len(), "{diagnostics:?}");
    for (d, f) in diagnostics.iter().zip(&expected) {
        assert_eq!(d["code"], f["rule"]);
        assert_eq!(d["source"], "mdbook-cavra");
        assert_eq!(d["range"]["start"]["line"], f["line"].as_u64().unwrap() - 1);
        assert!(
            d["message"]
                .as_str()
                .unwrap()
                .starts_with(f["message"].as_str().unwrap()),
            "{d}"
        );
    }
    assert!(diagnostics.iter().any(|d| d["code"] == "undefined-state"));
    // UTF-16 columns: `past-due` comes after an emoji (two code units).
    let line = BAD.lines().nth(2).unwrap();
    let byte = line.find("`past-due`").unwrap();
    let utf16: usize = line[..byte].chars().map(char::len_utf16).sum();
    assert!(
        diagnostics
            .iter()
            .any(|d| d["range"]["start"]["character"] == utf16 as u64),
        "{diagnostics:?}"
    );
    // Unsaved text: fixed in the editor, the diagnostics go; the file on
    // disk still has the mistakes, and nothing was written.
    c.change(&bad, 2, "# Bad\n\nThe subscription state is `cancelled`.\n");
    assert_eq!(c.diagnostics(&bad), Some(Vec::new()));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("src/bad.md")).unwrap(),
        BAD
    );
    // A late change (an older version, or the same one again) is ignored,
    // with a log line.
    c.change(&bad, 1, BAD);
    c.change(&bad, 2, BAD);
    assert_eq!(c.diagnostics(&bad), None, "nothing republished");
    let logs = c.logs();
    assert!(
        logs.iter()
            .filter(|l| l.contains("ignored version"))
            .count()
            == 2,
        "{logs:?}"
    );
    c.stop();
}

/// A sequence of edits to several pages, full and incremental, each
/// followed by diagnostics that equal `check --format json` on the same
/// text written to disk: the reused page results and the re-run book pass
/// give what a whole check gives.
#[test]
fn after_a_sequence_of_edits_diagnostics_equal_check_on_the_same_text() {
    let dir = book();
    let root = dir.path();
    // A boundary page and a page that discusses its topic: book rules
    // (boundary links, orphans) depend on more than one page.
    let boundary = mdbook_cavra::canon::canon().boundaries[0];
    let owner = format!(
        "# {}\n\n{{{{#cavra-boundary {}}}}}\n",
        boundary.title, boundary.id
    );
    std::fs::write(root.join("src/boundary.md"), &owner).unwrap();
    std::fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n- [Bad](bad.md)\n- [Good](good.md)\n- [B](boundary.md)\n",
    )
    .unwrap();
    let topic = format!("# About\n\nThis is about the {}.\n", boundary.title);
    std::fs::write(root.join("src/orphan.md"), "# Orphan\n\nAlone.\n").unwrap();
    let good = root.join("src/good.md");
    let bad = root.join("src/bad.md");
    let (good_uri, bad_uri) = (uri(&good), uri(&bad));
    let mut c = Client::start();
    c.open(&bad_uri, BAD);
    c.open(&good_uri, "# Good\n\nFine.\n");
    let steps: Vec<(&Path, &str, String)> = vec![
        (&good, "topic", topic.clone()),
        (
            &good,
            "link added",
            format!("{topic}\nSee [the boundary](boundary.md).\n"),
        ),
        (&bad, "fixed", "# Bad\n\nThe state is `cancelled`.\n".into()),
        (
            &bad,
            "broken again",
            format!("{BAD}\nAnd `trial`, `gone`.\n"),
        ),
        (
            &good,
            "suppressed",
            topic.replace("This is", "<!-- cavra-allow: boundary-link -->\nThis is"),
        ),
        // Includes change what the book pass makes of other pages' records
        // (an orphan becomes included; an unreadable include is added to
        // the including page): with the including page kept and another
        // page changed, and after the includes are gone, the records must
        // be as the page pass left them.
        (
            &good,
            "includes",
            format!("{topic}\n{{{{#include missing.md}}}}\n\n{{{{#include orphan.md}}}}\n"),
        ),
        (&bad, "another page changed", format!("{BAD}\nMore.\n")),
        (&bad, "and again", format!("{BAD}\nEven more.\n")),
        (&good, "includes gone", topic.clone()),
        (&bad, "and once more", BAD.to_string()),
    ];
    follow_edits(
        &mut c,
        root,
        &steps,
        &["src/bad.md", "src/good.md", "src/orphan.md"],
    );
    // Incremental changes (a range replaced) give the same as full text.
    let text = std::fs::read_to_string(&bad).unwrap();
    // After the emoji: the column counts UTF-16 units.
    let line = text.lines().position(|l| l.contains("`past-due`")).unwrap();
    let at = text.lines().nth(line).unwrap().find("past-due").unwrap();
    let col: usize = text.lines().nth(line).unwrap()[..at]
        .chars()
        .map(char::len_utf16)
        .sum();
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": bad_uri, "version": 100 },
            "contentChanges": [{
                "range": { "start": { "line": line, "character": col }, "end": { "line": line, "character": col + 8 } },
                "text": "past_due",
            }],
        }),
    );
    std::fs::write(&bad, text.replace("`past-due`", "`past_due`")).unwrap();
    let expected = check_json(root);
    let got = last_diagnostics(&mut c, &bad_uri);
    assert_eq!(
        from_diagnostics(&got),
        from_check(&expected, root, "src/bad.md")
    );
    assert_eq!(got.len(), 1, "only `canceled` is left: {got:?}");
    c.stop();
}

/// The book pass marks suppressions used on the page records it borrows
/// from the cache: an orphan page whose `orphan-page` finding is suppressed
/// uses its suppression only while nothing includes it. Included, then not,
/// then included again while other pages change, its `unused-suppression`
/// must come and go exactly as `check` reports it; a mark left over from an
/// earlier run would hide it.
#[test]
fn suppressions_the_book_pass_uses_are_marked_afresh_on_every_change() {
    let dir = book();
    let root = dir.path();
    let orphan = root.join("src/orphan.md");
    std::fs::write(
        &orphan,
        "<!-- cavra-allow-file: orphan-page -->\n# Orphan\n\nAlone.\n",
    )
    .unwrap();
    let good = root.join("src/good.md");
    let bad = root.join("src/bad.md");
    let (good_uri, bad_uri) = (uri(&good), uri(&bad));
    let mut c = Client::start();
    c.open(&bad_uri, BAD);
    c.open(&good_uri, "# Good\n\nFine.\n");
    let including = "# Good\n\nFine.\n\n{{#include orphan.md}}\n".to_string();
    let steps: Vec<(&Path, &str, String)> = vec![
        (&bad, "another page first", format!("{BAD}\nMore.\n")),
        (&good, "orphan included", including.clone()),
        (&good, "orphan alone again", "# Good\n\nFine.\n".into()),
        (&bad, "another page changed", format!("{BAD}\nEven more.\n")),
        (&good, "orphan included again", including.clone()),
        (&bad, "and another change", BAD.to_string()),
        (&good, "alone once more", "# Good\n\nStill fine.\n".into()),
    ];
    let seen = follow_edits(
        &mut c,
        root,
        &steps,
        &["src/bad.md", "src/good.md", "src/orphan.md"],
    );
    let unused_seen = seen.iter().filter(|d| d.0 == "unused-suppression").count();
    // The sequence does exercise the mark: the suppression was unused
    // while the page was included (twice), used otherwise.
    assert!(
        unused_seen >= 2,
        "unused-suppression seen {unused_seen} times"
    );
    c.stop();
}

/// Make each edit of `steps` in the editor and on disk, and after each
/// assert that the diagnostics last published for every page of `pages`
/// (relative to `root`) equal `check --format json` on the same text; all
/// the diagnostics compared, in order.
fn follow_edits(
    c: &mut Client,
    root: &Path,
    steps: &[(&Path, &str, String)],
    pages: &[&str],
) -> Vec<(String, u64, u64, String)> {
    let mut versions = std::collections::HashMap::new();
    let mut seen = Vec::new();
    for (file, what, text) in steps {
        let u = uri(file);
        let v = versions.entry(u.clone()).or_insert(1);
        *v += 1;
        c.change(&u, *v, text);
        std::fs::write(file, text).unwrap();
        let expected = check_json(root);
        for path in pages {
            // The last diagnostics published for the page, whenever.
            let got = from_diagnostics(&last_diagnostics(c, &uri(&root.join(path))));
            assert_eq!(
                got,
                from_check(&expected, root, path),
                "after `{what}`, {path}"
            );
            seen.extend(got);
        }
    }
    seen
}

/// The diagnostics last published for `uri`, over the whole session.
fn last_diagnostics(c: &mut Client, uri: &str) -> Vec<Value> {
    thread_local! {
        static LAST: std::cell::RefCell<std::collections::HashMap<String, Vec<Value>>> =
            Default::default();
    }
    c.request("textDocument/hover", position(uri, 0, 0));
    for n in &c.seen {
        if n["method"] == "textDocument/publishDiagnostics" {
            let u = n["params"]["uri"].as_str().unwrap().to_string();
            let d = n["params"]["diagnostics"].as_array().unwrap().clone();
            LAST.with(|l| l.borrow_mut().insert(u, d));
        }
    }
    c.seen
        .retain(|n| n["method"] != "textDocument/publishDiagnostics");
    LAST.with(|l| l.borrow().get(uri).cloned().unwrap_or_default())
}

#[test]
fn a_quick_fix_suppresses_the_finding() {
    let dir = book();
    let bad = uri(&dir.path().join("src/bad.md"));
    let mut c = Client::start();
    c.open(&bad, BAD);
    let diagnostics = c.diagnostics(&bad).unwrap();
    let first = diagnostics[0].clone();
    let r = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": bad },
            "range": first["range"],
            "context": { "diagnostics": [first] },
        }),
    );
    let action = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Suppress"))
        .expect("a suppress action")
        .clone();
    let edits = action["edit"]["changes"][&bad].as_array().unwrap().clone();
    assert_eq!(edits.len(), 1);
    let fixed = apply(BAD, &edits);
    c.change(&bad, 2, &fixed);
    let after = c.diagnostics(&bad).unwrap();
    assert!(
        after.iter().all(|d| d["code"] != first["code"]),
        "{fixed}\n{after:?}"
    );
    c.stop();
}

/// Apply LSP text edits (line, UTF-16 column) to `text`.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let col = p["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let rest = &text[start..];
        let mut units = 0;
        let mut at = rest.len();
        for (i, c) in rest.char_indices() {
            if units >= col || c == '\n' {
                at = i;
                break;
            }
            units += c.len_utf16();
        }
        start + at
    };
    let mut ranges: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    ranges.sort_by_key(|r| std::cmp::Reverse(r.0));
    let mut out = text.to_string();
    for (a, b, new) in ranges {
        out.replace_range(a..b, new);
    }
    out
}

#[test]
fn the_findings_own_fixes_are_quick_fixes() {
    let dir = book();
    let bad = uri(&dir.path().join("src/bad.md"));
    let mut c = Client::start();
    c.open(&bad, BAD);
    let diagnostics = c.diagnostics(&bad).unwrap();
    let d = diagnostics
        .iter()
        .find(|d| d["code"] == "undefined-state")
        .unwrap();
    let r = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": bad }, "range": d["range"], "context": { "diagnostics": [d] } }),
    );
    let fix = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["isPreferred"] == json!(true))
        .expect("a safe quick fix")
        .clone();
    let text = apply(BAD, fix["edit"]["changes"][&bad].as_array().unwrap());
    c.change(&bad, 2, &text);
    let after = c.diagnostics(&bad).unwrap();
    assert_eq!(after.len(), diagnostics.len() - 1, "{text}\n{after:?}");
    assert!(
        text.contains("`cancelled`") || text.contains("`past_due`"),
        "{text}"
    );
    c.stop();
}

fn labels(r: &Value) -> Vec<String> {
    r["result"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| i["label"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn hover_and_completion() {
    let dir = book();
    let good = uri(&dir.path().join("src/good.md"));
    let canon = mdbook_cavra::canon::canon();
    let boundary = canon.boundaries[0];
    let program = canon.cli.programs[0];
    let text = format!(
        "# Good\n\nIt is `past_due`.\n\n{{{{#cavra-\n\n{{{{#cavra-states sub\n\n\
         {{{{#cavra-states subscription}}}}\n\nSee the {}.\n\n\
         ```json\n{{ \"subscription_state\": \"\n```\n\n```bash\n{program} \n```\n",
        boundary.title
    );
    let at = |needle: &str, plus: usize| -> (u32, u32) {
        let i = text.find(needle).unwrap() + plus;
        let line = text[..i].matches('\n').count();
        let start = text[..i].rfind('\n').map_or(0, |n| n + 1);
        (
            line as u32,
            text[start..i].chars().map(char::len_utf16).sum::<usize>() as u32,
        )
    };
    let mut c = Client::start();
    c.open(&good, &text);
    let hover = |c: &mut Client, (l, ch): (u32, u32)| {
        c.request("textDocument/hover", position(&good, l, ch))["result"]["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    // A term: its vocabulary and meaning.
    let term = hover(&mut c, at("past_due", 2));
    assert!(term.contains("subscription state"), "{term}");
    // A directive: what it expands to (the vocabulary's table).
    let expands = hover(&mut c, at("{{#cavra-states subscription}}", 5));
    assert!(expands.contains("expands to"), "{expands}");
    let v = canon.vocabulary("subscription").unwrap();
    assert!(
        v.terms.iter().all(|t| expands.contains(t.name)),
        "{expands}"
    );
    // A boundary's title: the statements its page must make.
    let title = hover(&mut c, at(boundary.title, 3));
    assert!(title.contains(boundary.title), "{title}");
    for r in canon.required_language {
        assert!(title.contains(r.what), "{title}");
    }
    let complete = |c: &mut Client, (l, ch): (u32, u32)| {
        labels(&c.request("textDocument/completion", position(&good, l, ch)))
    };
    let names = complete(&mut c, at("{{#cavra-\n", 9));
    assert!(names.contains(&"cavra-states".to_string()), "{names:?}");
    let vocabularies = complete(&mut c, at("{{#cavra-states sub\n", 19));
    assert!(
        vocabularies.contains(&"subscription".to_string()),
        "{vocabularies:?}"
    );
    let terms = complete(&mut c, at("\"subscription_state\": \"", 23));
    assert_eq!(
        terms,
        v.terms
            .iter()
            .map(|t| t.name.to_string())
            .collect::<Vec<_>>()
    );
    let commands = complete(&mut c, at(&format!("{program} \n"), program.len() + 1));
    let expected: Vec<String> = canon
        .cli
        .children(program, &[])
        .iter()
        .map(|w| w.to_string())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(commands, expected);
    // Plain prose: no completion.
    assert!(complete(&mut c, at("It is", 2)).is_empty());
    c.stop();
}

/// A book with a boundary's own page: definitions, document links and the
/// code action that opens the page lead there.
#[test]
fn boundary_mentions_lead_to_the_boundary_page() {
    let dir = book();
    let root = dir.path();
    let boundary = mdbook_cavra::canon::canon().boundaries[0];
    std::fs::write(
        root.join("src/owner.md"),
        format!(
            "# {}\n\n{{{{#cavra-boundary {}}}}}\n",
            boundary.title, boundary.id
        ),
    )
    .unwrap();
    let owner = uri(&root.join("src/owner.md"));
    let good = uri(&root.join("src/good.md"));
    let text = format!(
        "# Good\n\nThe {} matters.\n\n{{{{#cavra-boundary {} notice}}}}\n",
        boundary.title, boundary.id
    );
    let mut c = Client::start();
    c.open(&good, &text);
    let title_col = text.lines().nth(2).unwrap().find(boundary.title).unwrap() as u32 + 2;
    let def = c.request("textDocument/definition", position(&good, 2, title_col));
    assert_eq!(def["result"][0]["uri"], owner, "{def}");
    let def = c.request("textDocument/definition", position(&good, 4, 5));
    assert_eq!(def["result"][0]["uri"], owner, "{def}");
    let links = c.request(
        "textDocument/documentLink",
        json!({ "textDocument": { "uri": good } }),
    );
    assert_eq!(links["result"][0]["target"], owner, "{links}");
    assert_eq!(links["result"][0]["range"]["start"]["line"], 4);
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": good },
            "range": { "start": { "line": 2, "character": title_col }, "end": { "line": 2, "character": title_col } },
            "context": { "diagnostics": [] },
        }),
    );
    let open = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["command"]["command"] == "mdbook-cavra.openPage")
        .unwrap_or_else(|| panic!("an open-page action in {actions}"))
        .clone();
    // Running it asks the editor to show the page.
    c.next += 1;
    let id = json!(c.next);
    c.send(json!({
        "jsonrpc": "2.0", "id": id, "method": "workspace/executeCommand",
        "params": { "command": open["command"]["command"], "arguments": open["command"]["arguments"] },
    }));
    let show = loop {
        let m = c.read();
        if m["method"] == "window/showDocument" {
            break m;
        }
    };
    assert_eq!(show["params"]["uri"], owner);
    c.send(json!({ "jsonrpc": "2.0", "id": show["id"], "result": { "success": true } }));
    let done = c.response(&id);
    assert!(done.get("error").is_none(), "{done}");
    c.stop();
}

#[test]
fn files_outside_a_book_get_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.md"), BAD).unwrap();
    let notes = uri(&dir.path().join("notes.md"));
    let mut c = Client::start();
    c.open(&notes, BAD);
    assert_eq!(c.diagnostics(&notes), None);
    c.stop();
}

/// Every kind of malformed or unexpected message: the server answers with
/// an error or writes a log line, and still answers the next request.
#[test]
fn malformed_and_unexpected_messages_are_survived() {
    let dir = book();
    let bad = uri(&dir.path().join("src/bad.md"));
    let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes();
    let huge = 70 << 20;
    let mut huge_message = format!("Content-Length: {huge}\r\n\r\n").into_bytes();
    huge_message.extend(std::iter::repeat_n(b'x', huge));
    // (what, bytes, the error code answered, or None for a log line)
    let table: Vec<(&str, Vec<u8>, Option<i64>)> = vec![
        (
            "not JSON",
            frame("{\"jsonrpc\": \"2.0\", oops"),
            Some(-32700),
        ),
        (
            "not UTF-8",
            b"Content-Length: 3\r\n\r\n\xff\xfe\xfd".to_vec(),
            Some(-32700),
        ),
        ("a batch", frame("[]"), Some(-32600)),
        (
            "neither method nor result",
            frame(r#"{"jsonrpc":"2.0","id":77}"#),
            Some(-32600),
        ),
        (
            "a method that is a number",
            frame(r#"{"jsonrpc":"2.0","id":78,"method":1}"#),
            Some(-32600),
        ),
        (
            "an id that is an object",
            frame(r#"{"jsonrpc":"2.0","id":{},"method":"x"}"#),
            Some(-32600),
        ),
        (
            "unknown request",
            frame(r#"{"jsonrpc":"2.0","id":79,"method":"cavra/nothing"}"#),
            Some(-32601),
        ),
        (
            "hover with wrong params",
            frame(
                r#"{"jsonrpc":"2.0","id":80,"method":"textDocument/hover","params":{"position":"here"}}"#,
            ),
            Some(-32602),
        ),
        (
            "initialize again",
            frame(
                r#"{"jsonrpc":"2.0","id":81,"method":"initialize","params":{"capabilities":{}}}"#,
            ),
            Some(-32600),
        ),
        ("a message over the size limit", huge_message, Some(-32600)),
        (
            "unknown notification",
            frame(r#"{"jsonrpc":"2.0","method":"cavra/ping"}"#),
            None,
        ),
        (
            "didOpen with wrong params",
            frame(
                r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":5}}"#,
            ),
            None,
        ),
        (
            "didChange of a file that is not open",
            frame(
                r#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///x.md","version":2},"contentChanges":[]}}"#,
            ),
            None,
        ),
        (
            "a header without a length",
            b"Content-Type: text\r\n\r\n{}".to_vec(),
            None,
        ),
        (
            "a length that is no number",
            b"Content-Length: many\r\n\r\n{}".to_vec(),
            None,
        ),
        (
            "a header line without a colon",
            b"hello\r\n\r\n".to_vec(),
            None,
        ),
        (
            "a header line of 10 kB",
            [b"X-Long: ".as_slice(), &[b'a'; 10_000], b"\r\n\r\n"].concat(),
            None,
        ),
    ];
    let mut c = Client::start();
    for (what, bytes, code) in table {
        c.seen.clear();
        c.raw(&bytes);
        // A request after each: the server still answers.
        c.next += 1;
        let id = c.next;
        c.send(json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": position(&bad, 0, 0) }));
        let mut errors = Vec::new();
        loop {
            let m = c.read();
            if m["id"] == json!(id) {
                break;
            }
            if m.get("error").is_some() {
                errors.push(m["error"]["code"].as_i64().unwrap());
            } else if m["method"] == "window/logMessage" {
                c.seen.push(m);
            }
        }
        match code {
            Some(code) => assert_eq!(errors, [code], "{what}"),
            None => {
                assert!(errors.is_empty(), "{what}: {errors:?}");
                assert!(!c.seen.is_empty(), "{what}: no log line");
            }
        }
    }
    // And it still checks.
    c.open(&bad, BAD);
    assert!(!c.diagnostics(&bad).unwrap().is_empty());
    c.stop();
}

/// The life cycle: requests before `initialize` are refused, notifications
/// dropped; after `shutdown` only `exit`; `exit` without `shutdown` is
/// status 1.
#[test]
fn the_life_cycle_is_kept() {
    let dir = book();
    let bad = uri(&dir.path().join("src/bad.md"));
    let mut c = Client::spawn();
    let early = c.request("textDocument/hover", position(&bad, 0, 0));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    c.open(&bad, BAD);
    let init = c.request("initialize", json!({ "capabilities": {} }));
    assert!(init["result"]["capabilities"].is_object());
    assert!(
        c.seen.is_empty(),
        "no diagnostics before initialize: {:?}",
        c.seen
    );
    let r = c.request("shutdown", Value::Null);
    assert!(r.get("error").is_none());
    let late = c.request("textDocument/hover", position(&bad, 0, 0));
    assert_eq!(late["error"]["code"], -32600, "{late}");
    c.notify("exit", Value::Null);
    assert!(c.child.wait().unwrap().success());

    let mut c = Client::start();
    c.notify("exit", Value::Null);
    assert_eq!(c.child.wait().unwrap().code(), Some(1));

    // The end of input without `exit`: the server ends too.
    let c = Client::start();
    let Client {
        mut child, stdin, ..
    } = c;
    drop(stdin);
    assert_eq!(child.wait().unwrap().code(), Some(1));
}

/// A page deleted while open, then changed and closed; a book whose
/// `SUMMARY.md` gains a page: the server re-reads the book's pages.
#[test]
fn files_deleted_or_added_while_open() {
    let dir = book();
    let root = dir.path();
    let bad_path = root.join("src/bad.md");
    let bad = uri(&bad_path);
    let mut c = Client::start();
    c.open(&bad, BAD);
    assert!(!c.diagnostics(&bad).unwrap().is_empty());
    std::fs::remove_file(&bad_path).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": bad, "type": 3 }] }),
    );
    c.change(&bad, 2, "# Bad\n\nStill `canceled`.\n");
    // What `check` says about the book on disk: the chapter is missing.
    let expected = check_json(root);
    let summary = uri(&root.join("src/SUMMARY.md"));
    let got = last_diagnostics(&mut c, &summary);
    assert_eq!(
        from_diagnostics(&got),
        from_check(&expected, root, "src/SUMMARY.md")
    );
    assert!(!got.is_empty());
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": bad } }),
    );
    // A new page, created and listed.
    std::fs::write(
        root.join("src/new.md"),
        "# New\n\n`gone-state` is `canceled`.\n",
    )
    .unwrap();
    std::fs::write(&bad_path, BAD).unwrap();
    std::fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n- [Bad](bad.md)\n- [Good](good.md)\n- [New](new.md)\n",
    )
    .unwrap();
    let new = uri(&root.join("src/new.md"));
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [
            { "uri": new, "type": 1 },
            { "uri": bad, "type": 1 },
            { "uri": summary, "type": 2 },
        ] }),
    );
    let expected = check_json(root);
    for (path, u) in [
        ("src/new.md", &new),
        ("src/bad.md", &bad),
        ("src/SUMMARY.md", &summary),
    ] {
        let got = last_diagnostics(&mut c, u);
        assert_eq!(
            from_diagnostics(&got),
            from_check(&expected, root, path),
            "{path}"
        );
    }
    c.stop();
}

/// A real LSP client library, pygls (with lsprotocol's types), drives the
/// server through `tests/lsp_client.py`. `.ci/run` installs pygls; outside
/// CI a machine without it skips this test with a message, under CI it
/// fails.
#[test]
fn a_real_lsp_client_drives_the_server() {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
    let has_pygls = Command::new(&python)
        .args(["-c", "import pygls, lsprotocol"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_pygls {
        assert!(
            std::env::var_os("CI").is_none(),
            "`{python}` cannot import pygls; .ci/run installs it (python3 -m pip install --user pygls)"
        );
        eprintln!("skipped: `{python}` cannot import pygls (pip install --user pygls)");
        return;
    }
    let dir = book();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lsp_client.py");
    let out = Command::new(&python)
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_mdbook-cavra"))
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the pygls client failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every step ran.
    for step in [
        "diagnostics equal `check --format json`",
        "that diagnostic is gone",
        "what it expands to",
        "vocabulary ids",
        "clears the diagnostic",
        "MethodNotFound",
        "still answers",
        "status 0",
    ] {
        assert!(stdout.contains(step), "no `{step}` in:\n{stdout}");
    }
}

/// A client that can watch files is asked to report changes to pages and
/// `book.toml` made outside the editor; one that cannot is not.
#[test]
fn the_server_asks_to_watch_the_books_files() {
    let mut c = Client::spawn();
    c.request(
        "initialize",
        json!({ "capabilities": { "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } } }),
    );
    c.notify("initialized", json!({}));
    let ask = c.read();
    assert_eq!(ask["method"], "client/registerCapability", "{ask}");
    let registration = &ask["params"]["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = registration["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    assert_eq!(globs, ["**/*.md", "**/book.toml"]);
    c.send(json!({ "jsonrpc": "2.0", "id": ask["id"], "result": null }));
    c.stop();

    let mut c = Client::start();
    let r = c.request("textDocument/hover", position("file:///x.md", 0, 0));
    assert!(r.get("error").is_none());
    assert!(
        c.seen
            .iter()
            .all(|m| m["method"] != "client/registerCapability"),
        "{:?}",
        c.seen
    );
    c.stop();
}

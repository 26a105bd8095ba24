//! The language server, driven over stdio as an editor drives it: the real
//! binary, messages framed and parsed by `lsp-server` (the library
//! rust-analyzer speaks through). Diagnostics must equal `check`'s
//! findings, follow unsaved text, and go when a quick fix is applied.

use std::io::BufReader;
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use lsp_server::{Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};

struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next: i32,
    /// Notifications that arrived while waiting for a response.
    seen: Vec<Notification>,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mdbook-cavra"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut c = Client {
            child,
            stdin,
            stdout,
            next: 0,
            seen: Vec::new(),
        };
        let init = c.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        );
        assert!(init.result.unwrap()["capabilities"]["hoverProvider"] == json!(true));
        c.notify("initialized", json!({}));
        c
    }

    fn send(&mut self, m: Message) {
        m.write(&mut self.stdin).unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(Message::Notification(Notification::new(
            method.into(),
            params,
        )));
    }

    fn request(&mut self, method: &str, params: Value) -> Response {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.send(Message::Request(Request::new(
            id.clone(),
            method.into(),
            params,
        )));
        loop {
            match Message::read(&mut self.stdout).unwrap().expect("a message") {
                Message::Response(r) if r.id == id => return r,
                Message::Notification(n) => self.seen.push(n),
                _ => {}
            }
        }
    }

    /// The diagnostics last published for `uri` before a round trip (a
    /// request the server answers after everything sent before it).
    fn diagnostics(&mut self, uri: &str) -> Option<Vec<Value>> {
        self.request("textDocument/hover", hover_params(uri, 0, 0));
        let found = self
            .seen
            .iter()
            .rev()
            .find(|n| n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri)
            .map(|n| n.params["diagnostics"].as_array().unwrap().clone());
        self.seen.clear();
        found
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
        assert!(r.error.is_none());
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status}");
    }
}

fn hover_params(uri: &str, line: u32, character: u32) -> Value {
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
    // A late change (an older version) is ignored.
    c.change(&bad, 1, BAD);
    assert_eq!(c.diagnostics(&bad), None, "nothing republished");
    c.stop();
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
    let actions = r.result.unwrap();
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Suppress"))
        .expect("a suppress action")
        .clone();
    let edits = action["edit"]["changes"][&bad].as_array().unwrap().clone();
    assert_eq!(edits.len(), 1);
    let edit = &edits[0];
    let line = edit["range"]["start"]["line"].as_u64().unwrap() as usize;
    let mut lines: Vec<String> = BAD.lines().map(String::from).collect();
    lines.insert(
        line,
        edit["newText"].as_str().unwrap().trim_end().to_string(),
    );
    let fixed = lines.join("\n") + "\n";
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
    let mut text = BAD.to_string();
    let mut version = 1;
    for d in &diagnostics {
        let r = c.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": bad }, "range": d["range"], "context": { "diagnostics": [d] } }),
        );
        let actions = r.result.unwrap();
        let Some(fix) = actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["isPreferred"] == json!(true))
        else {
            continue;
        };
        // Positions are on the text the diagnostics were made for.
        let fresh = c.diagnostics(&bad);
        assert!(fresh.is_none() || version == 1);
        text = apply(&text, fix["edit"]["changes"][&bad].as_array().unwrap());
        version += 1;
        c.change(&bad, version, &text);
        break;
    }
    assert!(version > 1, "no safe quick fix in {diagnostics:?}");
    let after = c.diagnostics(&bad).unwrap();
    assert_eq!(after.len(), diagnostics.len() - 1, "{text}\n{after:?}");
    assert!(
        text.contains("`cancelled`") || text.contains("`past_due`"),
        "{text}"
    );
    c.stop();
}

#[test]
fn hover_completion_and_unknown_requests() {
    let dir = book();
    let good = uri(&dir.path().join("src/good.md"));
    let text = "# Good\n\nIt is `past_due`.\n\n{{#cavra-\n\n{{#cavra-states sub\n";
    let mut c = Client::start();
    c.open(&good, text);
    let col = text.lines().nth(2).unwrap().find("past_due").unwrap() as u32 + 2;
    let hover = c.request("textDocument/hover", hover_params(&good, 2, col));
    let value = hover.result.unwrap()["contents"]["value"].clone();
    assert!(
        value.as_str().unwrap().contains("subscription state"),
        "{value}"
    );
    let labels = |c: &mut Client, line: u32, character: u32| -> Vec<String> {
        let r = c.request(
            "textDocument/completion",
            hover_params(&good, line, character),
        );
        r.result
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let names = labels(&mut c, 4, 9);
    assert!(names.contains(&"cavra-states".to_string()), "{names:?}");
    let vocabularies = labels(&mut c, 6, 19);
    assert!(
        vocabularies.contains(&"subscription".to_string()),
        "{vocabularies:?}"
    );
    let r = c.request("workspace/unknownThing", json!({}));
    assert_eq!(
        r.error.unwrap().code,
        lsp_server::ErrorCode::MethodNotFound as i32
    );
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

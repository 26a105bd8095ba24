//! `mdbook-cavra lsp`: the checker as a language server, over stdio.
//!
//! It runs the same [`Session`] as `check`, over the editor's unsaved text:
//! every open page of a book is handed to the session as an overlay
//! ([`Source::Chapters`]), the other pages are read from disk, and the
//! findings go back as diagnostics, so the editor, the CI gate and the
//! build agree. Book rules (links, orphans, boundary pages) see the whole
//! book with the overlays, and every page's diagnostics are refreshed on
//! each change. A file outside any book gets nothing. The server never
//! writes a file: its edits are proposals the editor applies.
//!
//! Positions: findings carry byte offsets into the page; the protocol
//! counts UTF-16 code units, so offsets are converted on the page's text
//! (the overlay's when the page is open).
//!
//! Built on `lsp-server` and `lsp-types`, the crates rust-analyzer uses.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, Completion, HoverRequest, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, CompletionItem, CompletionItemKind, CompletionParams,
    CompletionResponse, Diagnostic, DiagnosticSeverity, Hover, HoverContents, HoverParams,
    HoverProviderCapability, InitializeParams, MarkupContent, MarkupKind, NumberOrString, Position,
    PublishDiagnosticsParams, Range, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextEdit, Url, WorkspaceEdit,
};

use crate::canon::canon;
use crate::diagnostic::{Finding, Severity};
use crate::error::Error;
use crate::session::layout::book_root_above as book_root;
use crate::session::{Session, Source};

/// Run the server on stdin/stdout until the client says `exit`.
pub fn run() -> Result<(), Error> {
    let (connection, threads) = Connection::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(lsp_types::CompletionOptions {
            trigger_characters: Some(vec!["-".into(), " ".into(), "#".into()]),
            ..Default::default()
        }),
        ..Default::default()
    };
    let caps = serde_json::to_value(capabilities).expect("capabilities serialize");
    let init = connection.initialize(caps).map_err(protocol)?;
    let _params: InitializeParams = serde_json::from_value(init).unwrap_or_default();
    let mut server = Server::default();
    server.main_loop(&connection)?;
    drop(connection);
    threads
        .join()
        .map_err(|e| Error::Output(std::io::Error::other(e)))?;
    Ok(())
}

fn protocol(e: impl std::fmt::Display) -> Error {
    Error::input(format!("language server protocol: {e}"))
}

/// An open document.
struct Doc {
    text: String,
    version: i32,
}

#[derive(Default)]
struct Server {
    docs: HashMap<PathBuf, Doc>,
    /// Per book root: the files that have diagnostics now, so a fixed
    /// page gets its empty list.
    published: HashMap<PathBuf, HashSet<PathBuf>>,
    /// Per book root: the last findings, by absolute file.
    findings: HashMap<PathBuf, BTreeMap<PathBuf, Vec<Finding>>>,
}

impl Server {
    fn main_loop(&mut self, c: &Connection) -> Result<(), Error> {
        for msg in &c.receiver {
            match msg {
                Message::Request(req) => {
                    if c.handle_shutdown(&req).map_err(protocol)? {
                        return Ok(());
                    }
                    let response = self.request(req);
                    send(c, Message::Response(response))?;
                }
                Message::Notification(n) => self.notification(c, n)?,
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let result = match req.method.as_str() {
            CodeActionRequest::METHOD => parse(req).map(|p| json(self.code_actions(p))),
            HoverRequest::METHOD => parse(req).map(|p| json(self.hover(p))),
            Completion::METHOD => parse(req).map(|p| json(self.completion(p))),
            other => Err(Box::new(error(
                &id,
                ErrorCode::MethodNotFound,
                format!("mdbook-cavra does not handle `{other}`"),
            ))),
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err(response) => *response,
        }
    }

    fn notification(&mut self, c: &Connection, n: Notification) -> Result<(), Error> {
        let path = match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    n.extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                else {
                    return Ok(());
                };
                let Some(path) = file_path(&p.text_document.uri) else {
                    return Ok(());
                };
                self.docs.insert(
                    path.clone(),
                    Doc {
                        text: p.text_document.text,
                        version: p.text_document.version,
                    },
                );
                path
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = n.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) else {
                    return Ok(());
                };
                let Some(path) = file_path(&p.text_document.uri) else {
                    return Ok(());
                };
                let Some(doc) = self.docs.get_mut(&path) else {
                    return Ok(());
                };
                // Full sync: the last change holds the whole text. A
                // version older than the one held is a late message.
                if p.text_document.version < doc.version {
                    return Ok(());
                }
                if let Some(change) = p.content_changes.into_iter().last() {
                    doc.text = change.text;
                    doc.version = p.text_document.version;
                }
                path
            }
            DidSaveTextDocument::METHOD => {
                let Ok(p) =
                    n.extract::<lsp_types::DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                else {
                    return Ok(());
                };
                let Some(path) = file_path(&p.text_document.uri) else {
                    return Ok(());
                };
                path
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = n
                    .extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                else {
                    return Ok(());
                };
                let Some(path) = file_path(&p.text_document.uri) else {
                    return Ok(());
                };
                self.docs.remove(&path);
                path
            }
            _ => return Ok(()),
        };
        if let Some(root) = book_root(&path) {
            self.check_book(c, &root)?;
        }
        Ok(())
    }

    /// Check the book at `root` with the open documents as overlays and
    /// publish every page's diagnostics.
    fn check_book(&mut self, c: &Connection, root: &Path) -> Result<(), Error> {
        let session = match Session::load(root) {
            Ok(s) => s,
            Err(e) => {
                log(
                    c,
                    &format!("mdbook-cavra: cannot check {}: {e}", root.display()),
                )?;
                return Ok(());
            }
        };
        let src = canonical(&session.book.src);
        let overlay: HashMap<String, String> = self
            .docs
            .iter()
            .filter_map(|(path, doc)| {
                let rel = path.strip_prefix(&src).ok()?;
                Some((crate::paths::normalize_path(rel), doc.text.clone()))
            })
            .collect();
        let outcome = match session.run(Source::Chapters(&overlay)) {
            Ok(o) => o,
            Err(e) => {
                log(
                    c,
                    &format!("mdbook-cavra: cannot check {}: {e}", root.display()),
                )?;
                return Ok(());
            }
        };
        let root_abs = canonical(&session.book.root);
        let mut by_file: BTreeMap<PathBuf, Vec<Finding>> = BTreeMap::new();
        for f in outcome.findings {
            by_file
                .entry(root_abs.join(&f.at.path))
                .or_default()
                .push(f);
        }
        let before = self.published.remove(&root_abs).unwrap_or_default();
        let mut now = HashSet::new();
        for (file, findings) in &by_file {
            let text = self.text_of(file);
            let diagnostics = findings.iter().map(|f| diagnostic(f, &text)).collect();
            publish(c, file, diagnostics, self.docs.get(file).map(|d| d.version))?;
            now.insert(file.clone());
        }
        for file in before.difference(&now) {
            publish(c, file, Vec::new(), self.docs.get(file).map(|d| d.version))?;
        }
        self.published.insert(root_abs.clone(), now);
        self.findings.insert(root_abs, by_file);
        Ok(())
    }

    /// A file's text as the editor has it, or as it is on disk.
    fn text_of(&self, file: &Path) -> String {
        match self.docs.get(file) {
            Some(doc) => doc.text.clone(),
            None => std::fs::read_to_string(file).unwrap_or_default(),
        }
    }

    fn findings_for(&self, file: &Path) -> &[Finding] {
        self.findings
            .values()
            .find_map(|m| m.get(file))
            .map_or(&[], Vec::as_slice)
    }

    /// For each diagnostic in range: "suppress this finding", which puts a
    /// `cavra-allow` comment on the line before the finding's block.
    fn code_actions(&self, p: CodeActionParams) -> Vec<CodeActionOrCommand> {
        let Some(file) = file_path(&p.text_document.uri) else {
            return Vec::new();
        };
        let text = self.text_of(&file);
        let mut actions = Vec::new();
        for f in self.findings_for(&file) {
            let d = diagnostic(f, &text);
            if d.range.end < p.range.start || p.range.end < d.range.start {
                continue;
            }
            if let Some(fix) = &f.fix {
                actions.push(CodeActionOrCommand::CodeAction(self.fix_action(
                    fix,
                    &file,
                    &text,
                    &p.text_document.uri,
                    d.clone(),
                )));
            }
            let line = block_start_line(&text, f.at.offset);
            let indent: String = text
                .lines()
                .nth(line)
                .unwrap_or("")
                .chars()
                .take_while(|c| *c == ' ')
                .collect();
            let at = Position::new(line as u32, 0);
            let edit = TextEdit {
                range: Range::new(at, at),
                new_text: format!("{indent}<!-- cavra-allow: {} -->\n", f.rule.id),
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Suppress `{}` for this block", f.rule.id),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(p.text_document.uri.clone(), vec![edit])])),
                    ..Default::default()
                }),
                ..Default::default()
            }));
        }
        actions
    }

    /// The finding's own fix (what `mdbook-cavra fix` would apply), as a
    /// quick fix; an unsafe one says so and is never the preferred one.
    fn fix_action(
        &self,
        fix: &crate::diagnostic::Fix,
        file: &Path,
        text: &str,
        uri: &Url,
        d: Diagnostic,
    ) -> CodeAction {
        use crate::diagnostic::{Applicability, Target};
        let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
        let toml = book_root(file).map(|r| r.join("book.toml"));
        let toml_text = toml.as_deref().map(|t| self.text_of(t)).unwrap_or_default();
        for e in &fix.edits {
            let (target_uri, on) = match e.target {
                Target::Page => (Some(uri.clone()), text),
                Target::BookToml => (
                    toml.as_deref().and_then(|t| Url::from_file_path(t).ok()),
                    toml_text.as_str(),
                ),
            };
            let Some(target_uri) = target_uri else {
                continue;
            };
            changes.entry(target_uri).or_default().push(TextEdit {
                range: Range::new(position(on, e.range.start), position(on, e.range.end)),
                new_text: e.replacement.clone(),
            });
        }
        let safe = fix.applicability == Applicability::Safe;
        CodeAction {
            title: if safe {
                fix.title.clone()
            } else {
                format!("{} (unsafe: review it)", fix.title)
            },
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![d]),
            edit: Some(WorkspaceEdit {
                changes: Some(changes),
                ..Default::default()
            }),
            is_preferred: Some(safe),
            ..Default::default()
        }
    }

    /// On a vocabulary term (in inline code or a field value): its
    /// vocabularies and meanings.
    fn hover(&self, p: HoverParams) -> Option<Hover> {
        let pos = p.text_document_position_params;
        let file = file_path(&pos.text_document.uri)?;
        let text = self.text_of(&file);
        let line = text.lines().nth(pos.position.line as usize)?;
        let at = utf16_to_byte(line, pos.position.character);
        let word = word_at(line, at)?;
        let mut parts = Vec::new();
        for v in canon().vocabularies {
            if let Some(term) = v.term(word) {
                parts.push(format!(
                    "`{}`: {} ({}): {}",
                    term.name,
                    v.label,
                    v.id,
                    term.meaning()
                ));
            }
        }
        (!parts.is_empty()).then(|| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: parts.join("\n\n"),
            }),
            range: None,
        })
    }

    /// Directive names after `{{#`, then the ids each directive takes.
    fn completion(&self, p: CompletionParams) -> Option<CompletionResponse> {
        let pos = p.text_document_position;
        let file = file_path(&pos.text_document.uri)?;
        let text = self.text_of(&file);
        let line = text.lines().nth(pos.position.line as usize).unwrap_or("");
        let before = &line[..utf16_to_byte(line, pos.position.character)];
        let open = before.rfind("{{#")?;
        let inside = &before[open + 3..];
        if inside.contains("}}") {
            return None;
        }
        let item = |label: String, kind, detail: &str| CompletionItem {
            label,
            kind: Some(kind),
            detail: Some(detail.to_string()),
            ..Default::default()
        };
        let c = canon();
        let items: Vec<CompletionItem> = match inside.split_once(' ') {
            None => crate::directive::NAMES
                .iter()
                .map(|n| item(n.to_string(), CompletionItemKind::KEYWORD, "directive"))
                .collect(),
            Some(("cavra-states", _)) => c
                .vocabularies
                .iter()
                .map(|v| item(v.id.to_string(), CompletionItemKind::ENUM, v.label))
                .collect(),
            Some(("cavra-state", _)) => c
                .vocabularies
                .iter()
                .flat_map(|v| {
                    v.terms.iter().map(move |t| {
                        item(
                            format!("{}.{}", v.id, t.name),
                            CompletionItemKind::ENUM_MEMBER,
                            t.meaning(),
                        )
                    })
                })
                .collect(),
            Some(("cavra-boundary", rest)) => match rest.split_whitespace().count() {
                0 => c
                    .boundaries
                    .iter()
                    .map(|b| item(b.id.to_string(), CompletionItemKind::MODULE, b.title))
                    .collect(),
                _ => crate::model::SectionKind::ALL
                    .iter()
                    .map(|s| item(s.id().to_string(), CompletionItemKind::FIELD, "section"))
                    .collect(),
            },
            _ => Vec::new(),
        };
        Some(CompletionResponse::Array(items))
    }
}

fn parse<P: serde::de::DeserializeOwned>(req: Request) -> Result<P, Box<Response>> {
    let id = req.id.clone();
    serde_json::from_value(req.params)
        .map_err(|e| Box::new(error(&id, ErrorCode::InvalidParams, e.to_string())))
}

fn json<T: serde::Serialize>(value: T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

fn error(id: &RequestId, code: ErrorCode, message: String) -> Response {
    Response::new_err(id.clone(), code as i32, message)
}

fn send(c: &Connection, m: Message) -> Result<(), Error> {
    c.sender
        .send(m)
        .map_err(|e| Error::Output(std::io::Error::other(e.to_string())))
}

fn log(c: &Connection, message: &str) -> Result<(), Error> {
    let params = lsp_types::LogMessageParams {
        typ: lsp_types::MessageType::WARNING,
        message: message.to_string(),
    };
    send(
        c,
        Message::Notification(Notification::new(
            lsp_types::notification::LogMessage::METHOD.to_string(),
            params,
        )),
    )
}

fn publish(
    c: &Connection,
    file: &Path,
    diagnostics: Vec<Diagnostic>,
    version: Option<i32>,
) -> Result<(), Error> {
    let Ok(uri) = Url::from_file_path(file) else {
        return Ok(());
    };
    let params = PublishDiagnosticsParams {
        uri,
        diagnostics,
        version,
    };
    send(
        c,
        Message::Notification(Notification::new(
            PublishDiagnostics::METHOD.to_string(),
            params,
        )),
    )
}

fn file_path(uri: &Url) -> Option<PathBuf> {
    (uri.scheme() == "file")
        .then(|| uri.to_file_path().ok())
        .flatten()
        .map(|p| canonical(&p))
}

/// A path with its folders resolved, so the editor's path and the book's
/// agree; the file itself may not exist (yet).
fn canonical(p: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(p) {
        return c;
    }
    match (p.parent(), p.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or_else(|_| p.to_path_buf()),
        _ => p.to_path_buf(),
    }
}

/// A finding as an LSP diagnostic, its range converted on `text`.
fn diagnostic(f: &Finding, text: &str) -> Diagnostic {
    let start = f.at.offset.min(text.len());
    let end = (start + f.at.span.len()).min(text.len());
    let mut message = f.message.clone();
    for note in &f.notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    if let Some(help) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    Diagnostic {
        range: Range::new(position(text, start), position(text, end)),
        severity: Some(match f.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(f.rule.id.to_string())),
        source: Some("mdbook-cavra".into()),
        message: crate::secrets::redact(&message).into_owned(),
        ..Default::default()
    }
}

/// The LSP position (line, UTF-16 column) of byte `offset` in `text`.
pub fn position(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    Position::new(line as u32, column as u32)
}

/// The byte index in `line` of UTF-16 column `col` (clamped to the line).
fn utf16_to_byte(line: &str, col: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in line.char_indices() {
        if units >= col {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    line.len()
}

/// The term-shaped word around byte `at` (letters, digits, `_`, `-`).
fn word_at(line: &str, at: usize) -> Option<&str> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let start = line[..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(at, |(i, _)| i);
    let end = line[at..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(line.len(), |(i, _)| at + i);
    (start < end).then(|| &line[start..end])
}

/// The 0-based line where the block holding byte `offset` starts: the
/// line after the nearest blank line above it.
fn block_start_line(text: &str, offset: usize) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let mut line = position(text, offset).line as usize;
    while line > 0 && !lines.get(line - 1).is_none_or(|l| l.trim().is_empty()) {
        line -= 1;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "a\n😀é`x`\n";
        let x = text.find('`').unwrap();
        assert_eq!(position(text, x), Position::new(1, 3));
        assert_eq!(position(text, 0), Position::new(0, 0));
        assert_eq!(utf16_to_byte("😀é`x`", 3), "😀é".len());
    }

    #[test]
    fn words_and_blocks() {
        assert_eq!(word_at("is `past_due` now", 6), Some("past_due"));
        assert_eq!(word_at("is `past_due` now", 1), Some("is"));
        assert_eq!(word_at("is `past_due` now", 3), None);
        let text = "# T\n\npara one\npara two `x`\n\nnext\n";
        assert_eq!(block_start_line(text, text.find("`x`").unwrap()), 2);
        assert_eq!(block_start_line(text, 0), 0);
    }
}

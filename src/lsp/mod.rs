//! `mdbook-cavra lsp`: the checker as a language server, over stdio.
//!
//! It runs the same [`Session`] as `check`, over the editor's unsaved text:
//! every open page of a book is an overlay on the pages on disk, and the
//! findings go back as diagnostics, so the editor, the CI gate and the
//! build agree. Each book is loaded once; a change re-runs the page pass
//! of the changed page only, reuses every other page's result
//! ([`PageCache`]) and re-runs the book pass (links, orphans, boundary
//! links) over all of them, which gives what `check` gives on the same
//! text. Only the files whose diagnostics changed are published again,
//! and the changed page itself. A file outside any book gets nothing. The
//! server never writes a file: its edits are proposals the editor applies.
//!
//! Positions: findings carry byte offsets into the page; the protocol
//! counts UTF-16 code units, so offsets are converted on the page's text
//! (the overlay's when the page is open).
//!
//! Messages are framed by [`transport`] (bounded, and a malformed message
//! is answered or logged, never the end of the server) and typed by
//! `lsp-server` and `lsp-types`, the crates rust-analyzer uses.

mod features;
pub mod transport;

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentLinkRequest, ExecuteCommand, GotoDefinition,
    HoverRequest, Request as _,
};
use lsp_types::{
    CodeActionProviderCapability, Diagnostic, DiagnosticSeverity, NumberOrString, Position,
    PublishDiagnosticsParams, Range, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, Url,
};

use crate::diagnostic::{Finding, Severity};
use crate::error::Error;
use crate::session::layout::{self, Entry, book_root_above};
use crate::session::{PageCache, Session};
use transport::Incoming;

/// The command the "open the boundary's page" action runs: the server asks
/// the editor to show the page.
pub const OPEN_PAGE: &str = "mdbook-cavra.openPage";

/// Run the server on stdin/stdout until the client says `exit`: exit
/// status 0 after `shutdown`, 1 without it (as the protocol says).
pub fn run() -> Result<(), Error> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || {
            let mut reader = transport::Reader::new(std::io::stdin().lock());
            loop {
                match reader.read() {
                    Ok(Some(m)) => {
                        if tx.send(m).is_err() {
                            return;
                        }
                    }
                    Ok(None) => return,
                    Err(e) => {
                        let _ = tx.send(Incoming::Invalid {
                            respond: None,
                            why: format!("cannot read standard input: {e}"),
                        });
                        return;
                    }
                }
            }
        })
        .map_err(Error::Output)?;
    let stdout = std::io::stdout();
    let mut server = Server::new(stdout.lock());
    let clean = server.serve(&rx)?;
    if !clean {
        eprintln!("mdbook-cavra lsp: the client left without `shutdown`");
        std::process::exit(1);
    }
    Ok(())
}

/// An open document.
pub(crate) struct Doc {
    pub text: String,
    pub version: i32,
}

/// Where the client is in the protocol's life cycle.
#[derive(PartialEq, Eq)]
enum Phase {
    /// Before `initialize`: requests are refused.
    Waiting,
    Running,
    /// After `shutdown`: only `exit` is expected.
    ShutDown,
}

/// A book the server has loaded, and its pages' page-pass results.
struct BookState {
    session: Session,
    /// The book root and source folder, symbolic links resolved.
    root: PathBuf,
    src: PathBuf,
    entries: Vec<Entry>,
    cache: PageCache,
    /// Find the pages again before the next check (a file came or went,
    /// `SUMMARY.md` changed).
    rediscover: bool,
    /// Check before answering the next request.
    dirty: bool,
    /// Files (relative to the root) whose diagnostics must be published
    /// at the next check even when they did not change.
    touched: BTreeSet<String>,
    /// The last findings, by file relative to the book root.
    findings: HashMap<String, Vec<Finding>>,
}

impl BookState {
    fn load(root: &Path) -> Result<BookState, Error> {
        let session = Session::load(root)?;
        let entries = layout::discover(&session.book)?;
        Ok(BookState {
            root: canonical(&session.book.root),
            src: canonical(&session.book.src),
            session,
            entries,
            cache: PageCache::default(),
            rediscover: false,
            dirty: true,
            touched: BTreeSet::new(),
            findings: HashMap::new(),
        })
    }

    /// A file's path relative to the source folder, when it is in it.
    fn rel(&self, file: &Path) -> Option<String> {
        file.strip_prefix(&self.src)
            .ok()
            .map(crate::paths::normalize_path)
    }
}

struct Server<W: Write> {
    out: W,
    phase: Phase,
    docs: HashMap<PathBuf, Doc>,
    /// By canonical book root.
    books: HashMap<PathBuf, BookState>,
    /// Requests the server sent the client, by id.
    next_id: i32,
    /// The client can be asked to report changes to files on disk.
    can_watch: bool,
}

impl<W: Write> Server<W> {
    fn new(out: W) -> Server<W> {
        Server {
            out,
            phase: Phase::Waiting,
            docs: HashMap::new(),
            books: HashMap::new(),
            next_id: 0,
            can_watch: false,
        }
    }

    /// Serve until `exit` (true after `shutdown`) or the end of input.
    fn serve(&mut self, rx: &mpsc::Receiver<Incoming>) -> Result<bool, Error> {
        while let Ok(first) = rx.recv() {
            // Everything already waiting is taken in before checking, so a
            // burst of changes costs one check; a request first brings the
            // findings up to date.
            let mut next = Some(first);
            while let Some(incoming) = next.take() {
                if let Some(clean) = self.incoming(incoming)? {
                    return Ok(clean);
                }
                next = rx.try_recv().ok();
            }
            self.check_dirty()?;
        }
        Ok(self.phase == Phase::ShutDown)
    }

    /// Handle one message; `Some` when the client said `exit`.
    fn incoming(&mut self, incoming: Incoming) -> Result<Option<bool>, Error> {
        match incoming {
            Incoming::Invalid {
                respond: Some((id, code)),
                why,
            } => {
                self.log(&format!("mdbook-cavra: ignored {why}"))?;
                transport::write_error(&mut self.out, &id, code, &why).map_err(Error::Output)?;
            }
            Incoming::Invalid { respond: None, why } => {
                self.log(&format!("mdbook-cavra: ignored {why}"))?;
            }
            Incoming::Message(Message::Request(req)) => self.request(req)?,
            Incoming::Message(Message::Notification(n)) => {
                if n.method == "exit" {
                    return Ok(Some(self.phase == Phase::ShutDown));
                }
                self.notification(n)?;
            }
            Incoming::Message(Message::Response(_)) => {}
        }
        Ok(None)
    }

    fn request(&mut self, req: Request) -> Result<(), Error> {
        let id = req.id.clone();
        let refuse =
            |code: ErrorCode, why: &str| Response::new_err(id.clone(), code as i32, why.into());
        let response = match (&self.phase, req.method.as_str()) {
            (Phase::Waiting, "initialize") => {
                self.phase = Phase::Running;
                let params: Option<lsp_types::InitializeParams> =
                    serde_json::from_value(req.params).ok();
                self.can_watch = params
                    .and_then(|p| p.capabilities.workspace)
                    .and_then(|w| w.did_change_watched_files)
                    .and_then(|d| d.dynamic_registration)
                    .unwrap_or(false);
                Response::new_ok(id, initialize_result())
            }
            (Phase::Waiting, _) => refuse(
                ErrorCode::ServerNotInitialized,
                "the server is not initialized: send `initialize` first",
            ),
            (_, "initialize") => refuse(ErrorCode::InvalidRequest, "`initialize` was already sent"),
            (Phase::ShutDown, _) => refuse(
                ErrorCode::InvalidRequest,
                "the server is shut down: only `exit` is expected",
            ),
            (Phase::Running, "shutdown") => {
                self.phase = Phase::ShutDown;
                Response::new_ok(id, serde_json::Value::Null)
            }
            (Phase::Running, _) => {
                self.check_dirty()?;
                let method = req.method.clone();
                let outcome =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.answer(req)));
                match outcome {
                    Ok(Ok(r)) => r,
                    Ok(Err(e)) => return Err(e),
                    Err(_) => refuse(
                        ErrorCode::InternalError,
                        &format!(
                            "mdbook-cavra failed on `{method}`; this is a bug, please report it"
                        ),
                    ),
                }
            }
        };
        self.send(Message::Response(response))
    }

    /// The answer to a request of a running server.
    fn answer(&mut self, req: Request) -> Result<Response, Error> {
        let id = req.id.clone();
        let result = match req.method.as_str() {
            CodeActionRequest::METHOD => parse(req).map(|p| json(self.code_actions(p))),
            HoverRequest::METHOD => parse(req).map(|p| json(self.hover(p))),
            Completion::METHOD => parse(req).map(|p| json(self.completion(p))),
            GotoDefinition::METHOD => parse(req).map(|p| json(self.definition(p))),
            DocumentLinkRequest::METHOD => parse(req).map(|p| json(self.document_links(p))),
            ExecuteCommand::METHOD => match parse::<lsp_types::ExecuteCommandParams>(req) {
                Ok(p) => {
                    self.execute(p, &id)?;
                    return Ok(Response::new_ok(id, serde_json::Value::Null));
                }
                Err(e) => Err(e),
            },
            other => Err((
                ErrorCode::MethodNotFound,
                format!("mdbook-cavra does not handle `{other}`"),
            )),
        };
        Ok(match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, why)) => Response::new_err(id, code as i32, why),
        })
    }

    fn notification(&mut self, n: Notification) -> Result<(), Error> {
        if self.phase != Phase::Running {
            // Before `initialize` notifications are dropped (the protocol
            // says so), after `shutdown` too.
            return Ok(());
        }
        let method = n.method.clone();
        let result = match method.as_str() {
            DidOpenTextDocument::METHOD => n
                .extract::<lsp_types::DidOpenTextDocumentParams>(&method)
                .map(|p| self.did_open(p)),
            DidChangeTextDocument::METHOD => n
                .extract::<lsp_types::DidChangeTextDocumentParams>(&method)
                .map(|p| self.did_change(p)),
            DidSaveTextDocument::METHOD => n
                .extract::<lsp_types::DidSaveTextDocumentParams>(&method)
                .map(|p| self.on_disk_change(&p.text_document.uri, false)),
            DidCloseTextDocument::METHOD => n
                .extract::<lsp_types::DidCloseTextDocumentParams>(&method)
                .map(|p| self.did_close(p)),
            DidChangeWatchedFiles::METHOD => n
                .extract::<lsp_types::DidChangeWatchedFilesParams>(&method)
                .map(|p| {
                    let mut said = Vec::new();
                    for change in p.changes {
                        let structural = change.typ != lsp_types::FileChangeType::CHANGED;
                        said.extend(self.on_disk_change(&change.uri, structural));
                    }
                    said.into_iter().next()
                }),
            "initialized" => return self.watch_files(),
            m if m.starts_with("$/") => Ok(None),
            other => Ok(Some(format!(
                "mdbook-cavra: ignored the notification `{other}`, which it does not handle"
            ))),
        };
        match result {
            Ok(Some(say)) => self.log(&say),
            Ok(None) => Ok(()),
            Err(e) => self.log(&format!(
                "mdbook-cavra: ignored `{method}` with parameters it cannot read: {e}"
            )),
        }
    }

    fn did_open(&mut self, p: lsp_types::DidOpenTextDocumentParams) -> Option<String> {
        let path = file_path(&p.text_document.uri)?;
        self.docs.insert(
            path.clone(),
            Doc {
                text: p.text_document.text,
                version: p.text_document.version,
            },
        );
        self.page_changed(&path)
    }

    fn did_change(&mut self, p: lsp_types::DidChangeTextDocumentParams) -> Option<String> {
        let path = file_path(&p.text_document.uri)?;
        let Some(doc) = self.docs.get_mut(&path) else {
            return Some(format!(
                "mdbook-cavra: ignored a change to {}, which is not open",
                path.display()
            ));
        };
        // Versions only go up; an older one is a late message.
        if p.text_document.version <= doc.version {
            return Some(format!(
                "mdbook-cavra: ignored version {} of {}, which is at version {}",
                p.text_document.version,
                path.display(),
                doc.version
            ));
        }
        for change in p.content_changes {
            apply_change(&mut doc.text, change);
        }
        doc.version = p.text_document.version;
        self.page_changed(&path)
    }

    fn did_close(&mut self, p: lsp_types::DidCloseTextDocumentParams) -> Option<String> {
        let path = file_path(&p.text_document.uri)?;
        self.docs.remove(&path);
        // Back to the text on disk, which may be gone.
        let gone = !path.exists();
        self.on_file_change(&path, gone)
    }

    /// A file changed on disk (saved, or changed by another program).
    fn on_disk_change(&mut self, uri: &Url, structural: bool) -> Option<String> {
        let path = file_path(uri)?;
        if self.docs.contains_key(&path) && !structural {
            // The editor's text is what counts while the page is open.
            return None;
        }
        self.on_file_change(&path, structural)
    }

    /// An open page's text changed.
    fn page_changed(&mut self, path: &Path) -> Option<String> {
        self.on_file_change(path, false)
    }

    /// Mark what `path` changes in its book: its page pass, the pages of
    /// the book when a file came or went or `SUMMARY.md` changed, the
    /// whole book when `book.toml` changed.
    fn on_file_change(&mut self, path: &Path, structural: bool) -> Option<String> {
        let root = canonical(&book_root_above(path)?);
        if path.file_name().is_some_and(|n| n == "book.toml") {
            self.books.remove(&root);
        }
        if !self.books.contains_key(&root) {
            match BookState::load(&root) {
                Ok(b) => {
                    self.books.insert(root.clone(), b);
                }
                Err(e) => {
                    return Some(format!(
                        "mdbook-cavra: cannot check {}: {e}",
                        root.display()
                    ));
                }
            }
        }
        let book = self.books.get_mut(&root).expect("just loaded");
        book.dirty = true;
        if let Some(rel) = book.rel(path) {
            book.cache.forget(&rel);
            book.touched.insert(book.session.book.display_path(&rel));
            if structural || rel == "SUMMARY.md" || !layout::is_markdown(path) {
                book.rediscover = true;
            }
        } else if structural {
            book.rediscover = true;
        }
        None
    }

    /// Check every book that changed, and publish what changed.
    fn check_dirty(&mut self) -> Result<(), Error> {
        let dirty: Vec<PathBuf> = self
            .books
            .iter()
            .filter(|(_, b)| b.dirty)
            .map(|(r, _)| r.clone())
            .collect();
        for root in dirty {
            self.check_book(&root)?;
        }
        Ok(())
    }

    fn check_book(&mut self, root: &Path) -> Result<(), Error> {
        let Some(book) = self.books.get_mut(root) else {
            return Ok(());
        };
        book.dirty = false;
        if book.rediscover {
            match layout::discover(&book.session.book) {
                Ok(entries) => {
                    book.entries = entries;
                    book.rediscover = false;
                }
                Err(e) => {
                    let say = format!("mdbook-cavra: cannot check {}: {e}", root.display());
                    self.books.remove(root);
                    return self.log(&say);
                }
            }
        }
        let overlay: HashMap<String, String> = self
            .docs
            .iter()
            .filter_map(|(path, doc)| Some((book.rel(path)?, doc.text.clone())))
            .collect();
        let session = &book.session;
        let entries = &book.entries;
        let cache = &mut book.cache;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            session.run_cached(entries, &overlay, cache)
        }));
        let outcome = match outcome {
            Ok(o) => o,
            Err(_) => {
                book.cache.clear();
                let say = format!(
                    "mdbook-cavra: checking {} failed; this is a bug, please report it",
                    root.display()
                );
                return self.log(&say);
            }
        };
        let mut now: HashMap<String, Vec<Finding>> = HashMap::new();
        for f in outcome.findings {
            now.entry(f.at.path.clone()).or_default().push(f);
        }
        let mut files: BTreeSet<String> = std::mem::take(&mut book.touched);
        for (file, found) in &now {
            if book.findings.get(file) != Some(found) {
                files.insert(file.clone());
            }
        }
        for file in book.findings.keys() {
            if !now.contains_key(file) {
                files.insert(file.clone());
            }
        }
        book.findings = now;
        let root_abs = book.root.clone();
        for file in files {
            let abs = root_abs.join(&file);
            let text = self.text_of(&abs);
            let book = &self.books[root];
            let diagnostics = book
                .findings
                .get(&file)
                .map(|fs| fs.iter().map(|f| diagnostic(f, &text)).collect())
                .unwrap_or_default();
            let version = self.docs.get(&abs).map(|d| d.version);
            self.publish(&abs, diagnostics, version)?;
        }
        Ok(())
    }

    /// A file's text as the editor has it, or as it is on disk.
    fn text_of(&self, file: &Path) -> String {
        match self.docs.get(file) {
            Some(doc) => doc.text.clone(),
            None => std::fs::read_to_string(file).unwrap_or_default(),
        }
    }

    /// The book that holds `file`, when it is loaded.
    fn book_of(&self, file: &Path) -> Option<&BookState> {
        self.books
            .iter()
            .filter(|(root, _)| file.starts_with(root))
            .max_by_key(|(root, _)| root.as_os_str().len())
            .map(|(_, b)| b)
    }

    /// The findings of `file` from the last check.
    fn findings_for(&self, file: &Path) -> &[Finding] {
        self.book_of(file)
            .and_then(|b| {
                let rel = file.strip_prefix(&b.root).ok()?;
                b.findings.get(&crate::paths::normalize_path(rel))
            })
            .map_or(&[], Vec::as_slice)
    }

    fn send(&mut self, m: Message) -> Result<(), Error> {
        transport::write(&mut self.out, &m).map_err(Error::Output)
    }

    fn log(&mut self, message: &str) -> Result<(), Error> {
        let params = lsp_types::LogMessageParams {
            typ: lsp_types::MessageType::WARNING,
            message: message.to_string(),
        };
        self.send(Message::Notification(Notification::new(
            lsp_types::notification::LogMessage::METHOD.to_string(),
            params,
        )))
    }

    fn publish(
        &mut self,
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
        self.send(Message::Notification(Notification::new(
            PublishDiagnostics::METHOD.to_string(),
            params,
        )))
    }

    /// Ask the client to report changes to the books' files made outside
    /// the editor (a page added, deleted or changed by `git`, `book.toml`),
    /// when it can.
    fn watch_files(&mut self) -> Result<(), Error> {
        if !self.can_watch {
            return Ok(());
        }
        let watcher = |glob: &str| lsp_types::FileSystemWatcher {
            glob_pattern: lsp_types::GlobPattern::String(glob.to_string()),
            kind: None,
        };
        let options = lsp_types::DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![watcher("**/*.md"), watcher("**/book.toml")],
        };
        let params = lsp_types::RegistrationParams {
            registrations: vec![lsp_types::Registration {
                id: "mdbook-cavra-watch".to_string(),
                method: DidChangeWatchedFiles::METHOD.to_string(),
                register_options: Some(json(options)),
            }],
        };
        self.next_id += 1;
        let id = RequestId::from(format!("mdbook-cavra-{}", self.next_id));
        self.send(Message::Request(Request::new(
            id,
            lsp_types::request::RegisterCapability::METHOD.to_string(),
            params,
        )))
    }

    /// `workspace/executeCommand`: the one command is [`OPEN_PAGE`], which
    /// asks the editor to show a file.
    fn execute(
        &mut self,
        p: lsp_types::ExecuteCommandParams,
        _id: &RequestId,
    ) -> Result<(), Error> {
        if p.command != OPEN_PAGE {
            return self.log(&format!("mdbook-cavra: no command `{}`", p.command));
        }
        let Some(uri) = p
            .arguments
            .first()
            .and_then(|a| serde_json::from_value::<Url>(a.clone()).ok())
        else {
            return self.log("mdbook-cavra: `openPage` needs the page's URI");
        };
        self.next_id += 1;
        let id = RequestId::from(format!("mdbook-cavra-{}", self.next_id));
        let params = lsp_types::ShowDocumentParams {
            uri,
            external: Some(false),
            take_focus: Some(true),
            selection: None,
        };
        self.send(Message::Request(Request::new(
            id,
            lsp_types::request::ShowDocument::METHOD.to_string(),
            params,
        )))
    }
}

fn initialize_result() -> serde_json::Value {
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            lsp_types::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp_types::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lsp_types::CompletionOptions {
            trigger_characters: Some(vec![
                "-".into(),
                " ".into(),
                "#".into(),
                "\"".into(),
                ".".into(),
            ]),
            ..Default::default()
        }),
        definition_provider: Some(lsp_types::OneOf::Left(true)),
        document_link_provider: Some(lsp_types::DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        execute_command_provider: Some(lsp_types::ExecuteCommandOptions {
            commands: vec![OPEN_PAGE.to_string()],
            work_done_progress_options: Default::default(),
        }),
        ..Default::default()
    };
    serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "mdbook-cavra", "version": env!("CARGO_PKG_VERSION") },
    })
}

type Failure = (ErrorCode, String);

fn parse<P: serde::de::DeserializeOwned>(req: Request) -> Result<P, Failure> {
    serde_json::from_value(req.params).map_err(|e| {
        (
            ErrorCode::InvalidParams,
            format!(
                "`{}` with parameters mdbook-cavra cannot read: {e}",
                req.method
            ),
        )
    })
}

fn json<T: serde::Serialize>(value: T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// Apply one change of `didChange`: a range replaced, or (no range) the
/// whole text.
fn apply_change(text: &mut String, change: lsp_types::TextDocumentContentChangeEvent) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let start = offset(text, range.start);
            let end = offset(text, range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

/// The byte offset of an LSP position in `text` (clamped to its line and
/// to the text).
pub(crate) fn offset(text: &str, p: Position) -> usize {
    let mut start = 0;
    for _ in 0..p.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line = &text[start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    start + utf16_to_byte(line, p.character)
}

fn file_path(uri: &Url) -> Option<PathBuf> {
    (uri.scheme() == "file")
        .then(|| uri.to_file_path().ok())
        .flatten()
        .map(|p| canonical(&p))
}

/// A path with its folders resolved, so the editor's path and the book's
/// agree; the file itself may not exist (yet, or any more).
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
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count();
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
        assert_eq!(offset(text, Position::new(1, 3)), x);
        // Past the line's end: its end; past the text: its end.
        assert_eq!(offset(text, Position::new(0, 9)), 1);
        assert_eq!(offset(text, Position::new(7, 0)), text.len());
    }

    #[test]
    fn incremental_changes_apply_on_utf16_ranges() {
        let mut text = "# T\n\n😀 `canceled` here\n".to_string();
        let change = |l1, c1, l2, c2, new: &str| lsp_types::TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: new.to_string(),
        };
        // `canceled` starts after the emoji (2 units), a space and a backtick.
        apply_change(&mut text, change(2, 4, 2, 12, "cancelled"));
        assert_eq!(text, "# T\n\n😀 `cancelled` here\n");
        apply_change(&mut text, change(0, 2, 2, 0, "Title\n"));
        assert_eq!(text, "# Title\n😀 `cancelled` here\n");
        apply_change(
            &mut text,
            lsp_types::TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "new".into(),
            },
        );
        assert_eq!(text, "new");
    }
}

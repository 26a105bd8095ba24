//! `preview --serve`: the preview on `http://127.0.0.1:PORT`, re-rendered
//! when a watched file changes, with the browser reloading itself.
//!
//! - Listens on 127.0.0.1 only (std's `TcpListener`; a thread per
//!   connection, `Connection: close`): a preview shows a book's unpublished
//!   findings and is nobody else's business.
//! - Watches by polling every 50 ms (a few dozen `stat` calls): the page,
//!   the files it `{{#include}}`s, `SUMMARY.md`, `book.toml`, the rest of the
//!   source folder (other pages change this page's findings and links) and
//!   the theme. Polling needs no platform watcher and sees editors that
//!   replace files instead of writing them.
//! - Each render goes to a fresh folder (two take turns), and requests see
//!   the old one until the new one is complete; a render that fails shows
//!   its error in the browser instead of the page.
//! - The pages served get a small script that long-polls
//!   `/__cavra/version` and reloads when the version moves on.
//! - [`Stopper::stop`] (Ctrl-C, SIGTERM) ends the accept loop and the
//!   watcher; `serve` then removes its render folders and returns.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime};

use super::html;
use super::target::Resolved;
use crate::error::Error;

/// The endpoint the reload script polls.
pub const VERSION_PATH: &str = "/__cavra/version";

/// How often the watched files are looked at.
const POLL: Duration = Duration::from_millis(50);

/// How long a `/__cavra/version?since=N` request waits for a change.
const LONG_POLL: Duration = Duration::from_secs(20);

/// What the server currently serves.
#[derive(Debug, Clone)]
struct Current {
    dir: PathBuf,
    version: u64,
    error: Option<String>,
}

struct State {
    current: Mutex<Current>,
    changed: Condvar,
    stop: AtomicBool,
    url_path: String,
}

/// A running preview server.
pub struct Server {
    listener: TcpListener,
    state: Arc<State>,
    root: PathBuf,
    target: Resolved,
    dest: PathBuf,
}

/// Stops a [`Server`] from another thread (or a signal handler).
#[derive(Clone)]
pub struct Stopper {
    state: Arc<State>,
    addr: SocketAddr,
}

impl Stopper {
    pub fn stop(&self) {
        self.state.stop.store(true, Ordering::SeqCst);
        self.state.changed.notify_all();
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

impl Server {
    /// Render once and bind 127.0.0.1:`port` (0: any free port).
    pub fn start(root: &Path, target: &Resolved, dest: &Path, port: u16) -> Result<Server, Error> {
        let first = render_generation(root, target, dest, 0);
        let (dir, error, url_path) = match first {
            Ok(r) => (r.dir, None, r.url_path),
            Err(e) => (
                dest.join("gen-0"),
                Some(e.to_string()),
                html::html_path(target.rel().unwrap_or_default()),
            ),
        };
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).map_err(|e| {
            Error::input_with_help(
                format!("cannot listen on 127.0.0.1:{port}: {e}"),
                "pick another port with --port N (0 takes any free one)",
            )
        })?;
        Ok(Server {
            listener,
            state: Arc::new(State {
                current: Mutex::new(Current {
                    dir,
                    version: 1,
                    error,
                }),
                changed: Condvar::new(),
                stop: AtomicBool::new(false),
                url_path,
            }),
            root: root.to_path_buf(),
            target: target.clone(),
            dest: dest.to_path_buf(),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// The address of the previewed page.
    pub fn url(&self) -> String {
        format!("http://{}/{}", self.addr(), self.state.url_path)
    }

    pub fn stopper(&self) -> Stopper {
        Stopper {
            state: self.state.clone(),
            addr: self.addr(),
        }
    }

    /// Serve until stopped; then remove the render folders.
    pub fn run(self) -> Result<(), Error> {
        let watcher = {
            let state = self.state.clone();
            let (root, target, dest) = (self.root.clone(), self.target.clone(), self.dest.clone());
            std::thread::spawn(move || watch(&state, &root, &target, &dest))
        };
        for conn in self.listener.incoming() {
            if self.state.stop.load(Ordering::SeqCst) {
                break;
            }
            let Ok(stream) = conn else { continue };
            let state = self.state.clone();
            std::thread::spawn(move || {
                let _ = handle(stream, &state);
            });
        }
        let _ = watcher.join();
        for g in 0..2 {
            let _ = std::fs::remove_dir_all(self.dest.join(format!("gen-{g}")));
        }
        Ok(())
    }
}

/// `preview --serve`: start, say where, stop on Ctrl-C or SIGTERM.
pub fn serve(
    root: &Path,
    target: &Resolved,
    dest: &Path,
    port: u16,
    open: bool,
) -> Result<(), Error> {
    let server = Server::start(root, target, dest, port)?;
    let url = server.url();
    let stopper = server.stopper();
    ctrlc::set_handler(move || stopper.stop())
        .map_err(|e| Error::input(format!("cannot handle Ctrl-C: {e}")))?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "mdbook-cavra: previewing {}", target.describe())?;
        writeln!(out, "mdbook-cavra: serving {url}")?;
        out.flush()?;
    }
    eprintln!(
        "mdbook-cavra: watching the page, its includes, SUMMARY.md, book.toml and the book's sources; Ctrl-C stops"
    );
    if open {
        super::open_in_browser(&url);
    }
    server.run()?;
    eprintln!("mdbook-cavra: preview server stopped");
    Ok(())
}

/// Render into generation folder `generation % 2` of `dest`.
fn render_generation(
    root: &Path,
    target: &Resolved,
    dest: &Path,
    generation: u64,
) -> Result<html::Rendered, Error> {
    let dir = dest.join(format!("gen-{}", generation % 2));
    let started = Instant::now();
    let rendered = html::render(root, target, &dir)?;
    eprintln!(
        "mdbook-cavra: rendered in {} ms: {} on the page, {} in the book",
        started.elapsed().as_millis(),
        count(rendered.findings.len(), "finding"),
        count(rendered.book_errors, "error"),
    );
    Ok(rendered)
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Poll the watched files; re-render and bump the version on a change.
fn watch(state: &State, root: &Path, target: &Resolved, dest: &Path) {
    let mut files = watched(root, target);
    let mut last = fingerprint(&files);
    let mut generation = 0;
    while !state.stop.load(Ordering::SeqCst) {
        std::thread::sleep(POLL);
        let now = fingerprint(&files);
        if now == last {
            continue;
        }
        generation += 1;
        let result = render_generation(root, target, dest, generation);
        let mut current = state.current.lock().unwrap_or_else(|e| e.into_inner());
        current.version += 1;
        match result {
            Ok(r) => {
                current.dir = r.dir;
                current.error = None;
            }
            Err(e) => {
                eprintln!("mdbook-cavra: {e}");
                current.error = Some(e.to_string());
            }
        }
        drop(current);
        state.changed.notify_all();
        files = watched(root, target);
        last = fingerprint(&files);
    }
}

/// The files a change to which changes the preview.
fn watched(root: &Path, target: &Resolved) -> Vec<PathBuf> {
    let mut files = vec![root.join("book.toml")];
    let book = crate::session::Book::load(root).ok();
    let mut dirs = Vec::new();
    if let Some(book) = &book {
        files.push(book.src.join("SUMMARY.md"));
        dirs.push(book.src.clone());
        let theme = book
            .config
            .html_config()
            .unwrap_or_default()
            .theme_dir(root);
        dirs.push(theme);
    }
    if let Some(page) = target.page_file() {
        files.push(page.to_path_buf());
        if let Ok(text) = std::fs::read_to_string(page) {
            let dir = page.parent().unwrap_or(Path::new("."));
            files.extend(includes(&text).into_iter().map(|p| dir.join(p)));
        }
    }
    for dir in dirs {
        for e in walkdir::WalkDir::new(&dir)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
            .flatten()
        {
            if e.file_type().is_file() {
                files.push(e.into_path());
            }
        }
    }
    files.sort();
    files.dedup();
    files
}

/// The files `{{#include …}}` (and mdBook's other file directives) name in
/// a page, without their `:anchor` or line range.
pub fn includes(text: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("{{#") {
        let after = &rest[i + 3..];
        let Some(end) = after.find("}}") else { break };
        let inner = after[..end].trim();
        let mut words = inner.split_whitespace();
        if let (Some(kind), Some(path)) = (words.next(), words.next())
            && matches!(kind, "include" | "rustdoc_include" | "playground")
        {
            let path = path.split(':').next().unwrap_or(path);
            out.push(PathBuf::from(path));
        }
        rest = &after[end..];
    }
    out
}

type Fingerprint = Vec<Option<(SystemTime, u64)>>;

fn fingerprint(files: &[PathBuf]) -> Fingerprint {
    files
        .iter()
        .map(|f| {
            std::fs::metadata(f)
                .ok()
                .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()))
        })
        .collect()
}

/// The script every served page gets: wait for a new version, reload.
const RELOAD_SCRIPT: &str = "<script>(function(){var v=null;function poll(){fetch('/__cavra/version'+(v===null?'':'?since='+v),{cache:'no-store'}).then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload();return}v=t;poll()}).catch(function(){setTimeout(poll,500)})}poll()})();</script>";

fn handle(mut stream: TcpStream, state: &State) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // The headers are read and ignored.
    let mut line = String::new();
    let mut read = 0;
    loop {
        line.clear();
        let n = reader.read_line(&mut line)?;
        read += n;
        if n == 0 || line == "\r\n" || line == "\n" || read > 64 * 1024 {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"GET only\n",
            method,
        );
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if path == VERSION_PATH {
        let since = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("since="))
            .and_then(|v| v.parse::<u64>().ok());
        let version = wait_for_version(state, since);
        return respond(
            &mut stream,
            "200 OK",
            "text/plain",
            version.to_string().as_bytes(),
            method,
        );
    }
    if path == "/" {
        let location = format!("/{}", state.url_path);
        let head = format!(
            "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        return stream.write_all(head.as_bytes());
    }
    let current = state
        .current
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let Some(rel) = decode_path(path) else {
        return respond(
            &mut stream,
            "400 Bad Request",
            "text/plain",
            b"bad path\n",
            method,
        );
    };
    let mut file = current.dir.join(&rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    let kind = content_type(&file);
    if kind == "text/html; charset=utf-8"
        && let Some(error) = &current.error
    {
        let body = error_page(error);
        return respond(&mut stream, "200 OK", kind, body.as_bytes(), method);
    }
    let mut body = Vec::new();
    match std::fs::File::open(&file).and_then(|mut f| f.read_to_end(&mut body)) {
        Ok(_) => {
            if kind == "text/html; charset=utf-8" {
                body = with_reload(&body);
            }
            respond(&mut stream, "200 OK", kind, &body, method)
        }
        Err(_) => respond(
            &mut stream,
            "404 Not Found",
            "text/plain",
            b"not found in the preview\n",
            method,
        ),
    }
}

/// The current version; with `since`, once it differs from it (or after a
/// while, or when the server stops).
fn wait_for_version(state: &State, since: Option<u64>) -> u64 {
    let deadline = Instant::now() + LONG_POLL;
    let mut current = state.current.lock().unwrap_or_else(|e| e.into_inner());
    while Some(current.version) == since && !state.stop.load(Ordering::SeqCst) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        current = state
            .changed
            .wait_timeout(current, left)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
    current.version
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    kind: &str,
    body: &[u8],
    method: &str,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// A request path as a relative path in the preview folder; `None` for one
/// that would leave it.
fn decode_path(path: &str) -> Option<PathBuf> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    let rel = PathBuf::from(decoded.trim_start_matches('/'));
    rel.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then_some(rel)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// An HTML page with the reload script before `</body>`.
fn with_reload(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    match text.rfind("</body>") {
        Some(i) => format!("{}{RELOAD_SCRIPT}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{RELOAD_SCRIPT}").into_bytes(),
    }
}

/// What the browser shows while the book cannot be rendered.
fn error_page(error: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>mdbook-cavra: preview failed</title></head>\
<body><h1>The preview could not be rendered</h1><pre class=\"cavra-render-error\">{}</pre>\
<p>Fix the file and save: this page reloads by itself.</p>{RELOAD_SCRIPT}</body></html>\n",
        crate::annotate::escape(error)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_in_the_folder() {
        assert_eq!(decode_path("/a/b.html"), Some(PathBuf::from("a/b.html")));
        assert_eq!(decode_path("/a%20b.css"), Some(PathBuf::from("a b.css")));
        assert_eq!(decode_path("/../etc/passwd"), None);
        assert_eq!(decode_path("/a/%2e%2e/%2e%2e/x"), None);
        assert_eq!(decode_path("/%zz"), None);
    }

    #[test]
    fn includes_are_found_without_anchors() {
        let text = "a {{#include ../x.rs:main}} b {{#rustdoc_include y.rs:1:3}} {{#title T}} {{#cavra-states decision}}";
        assert_eq!(
            includes(text),
            [PathBuf::from("../x.rs"), PathBuf::from("y.rs")]
        );
    }

    #[test]
    fn the_reload_script_goes_before_the_end_of_the_body() {
        let out = String::from_utf8(with_reload(b"<html><body>x</body></html>")).unwrap();
        assert!(out.starts_with("<html><body>x<script>"), "{out}");
        assert!(out.ends_with("</script></body></html>"));
    }
}

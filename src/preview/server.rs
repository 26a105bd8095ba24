//! `preview --serve`: the preview on `http://127.0.0.1:PORT`, re-rendered
//! when a watched file changes, with the browser reloading itself.
//!
//! - HTTP is hyper's (the stack under mdBook's own `serve`) on a small tokio
//!   runtime, listening on 127.0.0.1 only: a preview shows a book's
//!   unpublished findings and is nobody else's business. Every connection is
//!   its own task, so a client that stalls half-way through a request holds
//!   up nobody else, and hyper closes it when its head takes longer than
//!   [`HEAD_TIMEOUT`].
//! - A request is bounded before it is looked at: its line and headers
//!   together at most [`MAX_HEAD`] bytes and [`MAX_HEADERS`] headers (431 or
//!   414 past that, and the connection is closed), and its body is never
//!   read (413 when a `GET` or `HEAD` announces one).
//! - A request is answered only when its `Host` (and the authority of an
//!   absolute URI) names this server: `127.0.0.1`, `localhost` or `[::1]`
//!   with its port. Another name gets 421 and no page, so a web page that
//!   rebinds its own name to 127.0.0.1 cannot read the preview; a missing
//!   or doubled `Host` gets 400.
//! - `GET` and `HEAD` only (405 with `Allow`). A path is served only when,
//!   with every symbolic link resolved, it is a file inside the rendered
//!   folder; a folder serves its `index.html`, never a listing.
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
//! - [`Stopper::stop`] (Ctrl-C, SIGTERM) ends the accept loop, the waiting
//!   long polls and the watcher; `serve` then removes its render folders
//!   and returns.

use std::convert::Infallible;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use tokio::sync::{Semaphore, watch};

use super::html;
use super::target::Resolved;
use crate::error::Error;

/// The endpoint the reload script polls.
pub const VERSION_PATH: &str = "/__cavra/version";

/// How often the watched files are looked at.
const POLL: Duration = Duration::from_millis(50);

/// How long a `/__cavra/version?since=N` request waits for a change.
const LONG_POLL: Duration = Duration::from_secs(20);

/// The most bytes a request line and its headers may take together.
pub const MAX_HEAD: usize = 16 * 1024;

/// The most headers a request may have.
const MAX_HEADERS: usize = 64;

/// The most a connection buffers (hyper's minimum is 8 KiB).
const MAX_BUFFER: usize = 64 * 1024;

/// How long a client may take to send a request's line and headers.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// The most connections open at once; one more is closed at once. A browser
/// opens about six.
const MAX_CONNECTIONS: usize = 256;

/// What the server currently serves.
#[derive(Debug, Clone)]
struct Current {
    dir: PathBuf,
    error: Option<String>,
}

struct State {
    current: Mutex<Current>,
    /// Moves on with every render; the long polls wait on it.
    version: watch::Sender<u64>,
    stop: watch::Sender<bool>,
    url_path: String,
    port: u16,
}

impl State {
    fn stopped(&self) -> bool {
        *self.stop.borrow()
    }
}

/// A running preview server.
pub struct Server {
    listener: TcpListener,
    state: Arc<State>,
    root: PathBuf,
    target: Resolved,
    dest: PathBuf,
    /// The watched files and what they were before the first render.
    watching: (Vec<PathBuf>, Fingerprint),
}

/// Stops a [`Server`] from another thread (or a signal handler).
#[derive(Clone)]
pub struct Stopper {
    state: Arc<State>,
}

impl Stopper {
    pub fn stop(&self) {
        self.state.stop.send_replace(true);
    }
}

impl Server {
    /// Render once and bind 127.0.0.1:`port` (0: any free port).
    pub fn start(root: &Path, target: &Resolved, dest: &Path, port: u16) -> Result<Server, Error> {
        // What the files were before the first render: an edit made while
        // it runs, or before the watcher starts, is a change the watcher sees.
        let files = watched(root, target);
        let seen = fingerprint(&files);
        let first = render_generation(root, target, dest, 0);
        let (dir, error, url_path) = match first {
            Ok(r) => (r.dir, None, r.url_path),
            Err(e) => (
                dest.join("gen-0"),
                Some(e.to_string()),
                html::html_path(target.rel().unwrap_or_default()),
            ),
        };
        let cannot_listen = |e: std::io::Error| {
            Error::input_with_help(
                format!("cannot listen on 127.0.0.1:{port}: {e}"),
                "pick another port with --port N (0 takes any free one)",
            )
        };
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).map_err(cannot_listen)?;
        let port = listener.local_addr().map_err(cannot_listen)?.port();
        Ok(Server {
            listener,
            state: Arc::new(State {
                current: Mutex::new(Current { dir, error }),
                version: watch::Sender::new(1),
                stop: watch::Sender::new(false),
                url_path,
                port,
            }),
            root: root.to_path_buf(),
            target: target.clone(),
            dest: dest.to_path_buf(),
            watching: (files, seen),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.state.port))
    }

    /// The address of the previewed page.
    pub fn url(&self) -> String {
        format!("http://{}/{}", self.addr(), self.state.url_path)
    }

    pub fn stopper(&self) -> Stopper {
        Stopper {
            state: self.state.clone(),
        }
    }

    /// Serve until stopped; then remove the render folders.
    pub fn run(self) -> Result<(), Error> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .max_blocking_threads(8)
            .thread_name("cavra-preview")
            .enable_all()
            .build()
            .map_err(|e| Error::input(format!("cannot start the preview server: {e}")))?;
        let listener = {
            let _inside = runtime.enter();
            self.listener
                .set_nonblocking(true)
                .and_then(|()| tokio::net::TcpListener::from_std(self.listener))
                .map_err(|e| Error::input(format!("cannot start the preview server: {e}")))?
        };
        let watcher = {
            let state = self.state.clone();
            let (root, target, dest) = (self.root.clone(), self.target.clone(), self.dest.clone());
            let watching = self.watching;
            std::thread::spawn(move || watch(&state, &root, &target, &dest, watching))
        };
        runtime.block_on(accept(listener, self.state.clone()));
        // Open connections are dropped with the runtime.
        runtime.shutdown_timeout(Duration::from_secs(1));
        let _ = watcher.join();
        for g in 0..2 {
            let _ = crate::write::remove_written(&self.dest.join(format!("gen-{g}")));
        }
        Ok(())
    }
}

/// Accept connections until stopped, each served by its own task.
async fn accept(listener: tokio::net::TcpListener, state: Arc<State>) {
    let mut stop = state.stop.subscribe();
    let open = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let accepted = tokio::select! {
            _ = stop.wait_for(|stopped| *stopped) => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            // Out of file descriptors, say: let some close.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            continue;
        };
        let state = state.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let state = state.clone();
                async move { Ok::<_, Infallible>(answer(&state, request).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEAD_TIMEOUT)
                .max_buf_size(MAX_BUFFER)
                .max_header_size(MAX_HEAD)
                .max_headers(MAX_HEADERS)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
            drop(permit);
        });
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

/// Render into generation folder `generation % 2` of `dest` (the one that
/// is not being served).
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

/// Poll the watched files; re-render and move the version on after a change.
///
/// `last` is always what the files were before the latest render began, so
/// an edit made while a render runs is seen on the next poll.
fn watch(
    state: &State,
    root: &Path,
    target: &Resolved,
    dest: &Path,
    (mut files, mut last): (Vec<PathBuf>, Fingerprint),
) {
    // The folder not served: the first render went to gen-0, and a render
    // that failed leaves the served one as it was.
    let mut next = 1;
    while !state.stopped() {
        std::thread::sleep(POLL);
        let now = fingerprint(&files);
        if now == last {
            continue;
        }
        last = now;
        let result = render_generation(root, target, dest, next);
        {
            let mut current = state.current.lock().unwrap_or_else(|e| e.into_inner());
            match result {
                Ok(r) => {
                    current.dir = r.dir;
                    current.error = None;
                    next = 1 - next;
                }
                Err(e) => {
                    eprintln!("mdbook-cavra: {e}");
                    current.error = Some(e.to_string());
                }
            }
        }
        // After the new folder is in place, so a reload gets it.
        state.version.send_modify(|v| *v += 1);
        let now_watched = watched(root, target);
        if now_watched != files {
            // Files joined or left the set: what they were before this
            // render is unknown, so compare afresh (one more render at most).
            files = now_watched;
            last = Vec::new();
        }
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
    // A symbolic link is watched as the one file it is (its target's
    // time and size); only a link to a folder inside the book is walked
    // (once, not its own links): a link to `/` costs one `stat`.
    let inside = std::fs::canonicalize(root).ok();
    let mut walked = 0;
    while walked < dirs.len() {
        let dir = dirs[walked].clone();
        walked += 1;
        for e in walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
            .flatten()
        {
            let kind = e.file_type();
            if e.depth() > 0 && kind.is_symlink() && dirs.len() < 64 {
                let to = std::fs::canonicalize(e.path()).ok();
                if let (Some(to), Some(inside)) = (&to, &inside)
                    && to.is_dir()
                    && to.starts_with(inside)
                    && !dirs.contains(to)
                {
                    dirs.push(to.clone());
                }
            }
            if kind.is_file() || kind.is_symlink() {
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

/// What the pages served do to reload: wait for a new version, reload.
const RELOAD_JS: &str = "(function(){var v=null;function poll(){fetch('/__cavra/version'+(v===null?'':'?since='+v),{cache:'no-store'}).then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload();return}v=t;poll()}).catch(function(){setTimeout(poll,500)})}poll()})();";

const TEXT: &str = "text/plain; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";

/// The answer to one request.
async fn answer(state: &State, request: Request<Incoming>) -> Response<Full<Bytes>> {
    if let Some(refused) = refuse(&request, state.port) {
        return refused;
    }
    let (path, query) = (request.uri().path(), request.uri().query().unwrap_or(""));
    if path == VERSION_PATH {
        let since = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("since="))
            .and_then(|v| v.parse::<u64>().ok());
        let version = wait_for_version(state, since).await;
        return reply(StatusCode::OK, TEXT, version.to_string());
    }
    if path == "/" {
        let mut found = reply(StatusCode::FOUND, TEXT, "");
        if let Ok(location) = HeaderValue::try_from(format!("/{}", state.url_path)) {
            found.headers_mut().insert(header::LOCATION, location);
        }
        return found;
    }
    let current = state
        .current
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let path = path.to_string();
    tokio::task::spawn_blocking(move || from_folder(&current, &path))
        .await
        .unwrap_or_else(|_| reply(StatusCode::INTERNAL_SERVER_ERROR, TEXT, "failed\n"))
}

/// The refusal of a request this server does not answer: one for another
/// host, without a `Host`, with another method, or with a body.
fn refuse(request: &Request<Incoming>, port: u16) -> Option<Response<Full<Bytes>>> {
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(host), None) => host.to_str().unwrap_or(""),
        _ => {
            return Some(reply(
                StatusCode::BAD_REQUEST,
                TEXT,
                "a request needs one Host header\n",
            ));
        }
    };
    let uri = request.uri();
    let absolute_is_here = uri.authority().is_none_or(|authority| {
        uri.scheme_str() == Some("http") && is_this_server(authority.as_str(), port)
    });
    if !is_this_server(host, port) || !absolute_is_here {
        return Some(reply(
            StatusCode::MISDIRECTED_REQUEST,
            TEXT,
            format!("this preview answers to http://127.0.0.1:{port}/ only\n"),
        ));
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut refused = reply(StatusCode::METHOD_NOT_ALLOWED, TEXT, "GET and HEAD only\n");
        refused
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Some(refused);
    }
    if !hyper::body::Body::is_end_stream(request.body()) {
        return Some(reply(
            StatusCode::PAYLOAD_TOO_LARGE,
            TEXT,
            "a request to the preview has no body\n",
        ));
    }
    None
}

/// Whether `host` (a `Host` header or a URI's authority) names this server:
/// a loopback name with its port (which may go unsaid only when it is 80).
fn is_this_server(host: &str, port: u16) -> bool {
    let (name, after) = if host.starts_with('[') {
        match host.find(']') {
            Some(end) => host.split_at(end + 1),
            None => return false,
        }
    } else {
        host.split_at(host.find(':').unwrap_or(host.len()))
    };
    let port_named = match after.strip_prefix(':') {
        Some(digits) => {
            !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && digits.parse::<u16>() == Ok(port)
        }
        None => after.is_empty() && port == 80,
    };
    port_named && (name == "127.0.0.1" || name == "[::1]" || name.eq_ignore_ascii_case("localhost"))
}

/// The current version; with `since`, once it differs from it (or after a
/// while, or when the server stops).
async fn wait_for_version(state: &State, since: Option<u64>) -> u64 {
    let mut version = state.version.subscribe();
    let mut stop = state.stop.subscribe();
    if since.is_some() && Some(*version.borrow()) == since {
        let wait = async {
            tokio::select! {
                _ = version.wait_for(|v| Some(*v) != since) => {}
                _ = stop.wait_for(|stopped| *stopped) => {}
            }
        };
        let _ = tokio::time::timeout(LONG_POLL, wait).await;
    }
    *version.borrow()
}

/// A file of the rendered folder, the page with its reload script, the
/// error page while the book cannot be rendered, or 404.
fn from_folder(current: &Current, path: &str) -> Response<Full<Bytes>> {
    let not_found = || reply(StatusCode::NOT_FOUND, TEXT, "not found in the preview\n");
    let Some(rel) = decode_path(path) else {
        return not_found();
    };
    if let Some(error) = &current.error
        && (content_type(&rel) == HTML || current.dir.join(&rel).is_dir())
    {
        return reply(StatusCode::OK, HTML, error_page(error).into_string());
    }
    let Some(file) = inside(&current.dir, &rel) else {
        return not_found();
    };
    let read = std::fs::File::open(&file).and_then(|mut f| {
        if !f.metadata()?.is_file() {
            return Err(std::io::ErrorKind::InvalidInput.into());
        }
        let mut body = Vec::new();
        f.read_to_end(&mut body).map(|_| body)
    });
    let Ok(body) = read else {
        return not_found();
    };
    match content_type(&file) {
        HTML => reply(StatusCode::OK, HTML, with_reload(&body)),
        kind => reply(StatusCode::OK, kind, body),
    }
}

/// A request path as a relative path in the preview folder; `None` for one
/// that could name anything else: `..`, an absolute path, a backslash, a
/// NUL or bytes that are not UTF-8, however they are percent-encoded.
fn decode_path(path: &str) -> Option<PathBuf> {
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(path).collect();
    let text = String::from_utf8(bytes).ok()?;
    if text.contains(['\0', '\\']) {
        return None;
    }
    let rel = Path::new(text.strip_prefix('/')?);
    rel.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| rel.to_path_buf())
}

/// The file `rel` names in `dir` (a folder's `index.html`), once every
/// symbolic link is resolved, if that is a file inside `dir`.
fn inside(dir: &Path, rel: &Path) -> Option<PathBuf> {
    let root = dir.canonicalize().ok()?;
    let mut file = root.join(rel).canonicalize().ok()?;
    if file.is_dir() {
        file = file.join("index.html").canonicalize().ok()?;
    }
    (file.starts_with(&root) && file.is_file()).then_some(file)
}

/// A response that no cache keeps and no browser sniffs.
fn reply(status: StatusCode, kind: &'static str, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => HTML,
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
        "txt" | "md" => TEXT,
        _ => "application/octet-stream",
    }
}

/// The script element every served page gets.
fn reload_script() -> Markup {
    html! { script { (PreEscaped(RELOAD_JS)) } }
}

/// An HTML page with the reload script before its last `</body>` (at the
/// end when it has none); every other byte as it was.
fn with_reload(body: &[u8]) -> Vec<u8> {
    let script = reload_script().into_string();
    let at = memchr::memmem::rfind(body, b"</body>").unwrap_or(body.len());
    let mut out = Vec::with_capacity(body.len() + script.len());
    out.extend_from_slice(&body[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&body[at..]);
    out
}

/// What the browser shows while the book cannot be rendered.
fn error_page(error: &str) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { "mdbook-cavra: preview failed" }
            }
            body {
                h1 { "The preview could not be rendered" }
                pre class="cavra-render-error" { (error) }
                p { "Fix the file and save: this page reloads by itself." }
                (reload_script())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_in_the_folder() {
        assert_eq!(decode_path("/a/b.html"), Some(PathBuf::from("a/b.html")));
        assert_eq!(decode_path("/a%20b.css"), Some(PathBuf::from("a b.css")));
        assert_eq!(decode_path("/"), Some(PathBuf::new()));
        for path in [
            "/../etc/passwd",
            "/a/%2e%2e/%2e%2e/x",
            "/a/%2E%2E/%2E%2E/x",
            "/..%2f..%2fetc/passwd",
            "/..%5c..%5cetc/passwd",
            "/a\\..\\..\\x",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/a%00.html",
            "/./a.html",
            "/%ff.html",
            "a.html",
        ] {
            assert_eq!(decode_path(path), None, "{path}");
        }
    }

    #[test]
    fn only_loopback_names_with_the_port_are_this_server() {
        for host in [
            "127.0.0.1:4000",
            "localhost:4000",
            "LocalHost:4000",
            "[::1]:4000",
        ] {
            assert!(is_this_server(host, 4000), "{host}");
        }
        for host in [
            "127.0.0.1",
            "127.0.0.1:4001",
            "127.0.0.1:04000x",
            "127.0.0.1:+4000",
            "127.0.0.1:",
            "evil.example:4000",
            "localhost.evil.example:4000",
            "127.0.0.1.nip.io:4000",
            "user@127.0.0.1:4000",
            "[::1]",
            "[::1:4000",
            "[::2]:4000",
            "0.0.0.0:4000",
            "127.0.0.2:4000",
            "",
        ] {
            assert!(!is_this_server(host, 4000), "{host}");
        }
        assert!(is_this_server("localhost", 80));
    }

    #[test]
    fn links_are_watched_as_files_and_never_walked() {
        let book = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        for i in 0..20 {
            std::fs::write(outside.path().join(format!("{i}.md")), "x").unwrap();
        }
        let src = book.path().join("src");
        std::fs::create_dir(&src).unwrap();
        std::fs::write(book.path().join("book.toml"), "[book]\n").unwrap();
        std::fs::write(src.join("SUMMARY.md"), "- [A](a.md)\n").unwrap();
        std::fs::write(src.join("a.md"), "a").unwrap();
        std::os::unix::fs::symlink(outside.path(), src.join("away")).unwrap();
        std::os::unix::fs::symlink(src.join("a.md"), src.join("b.md")).unwrap();
        let target = Resolved::Page {
            root: book.path().to_path_buf(),
            rel: "a.md".into(),
            file: src.join("a.md"),
        };
        let files = watched(book.path(), &target);
        for name in ["a.md", "b.md", "away", "SUMMARY.md"] {
            assert!(files.contains(&src.join(name)), "{name}: {files:?}");
        }
        let away = src.join("away");
        assert!(
            !files
                .iter()
                .any(|f| f.starts_with(outside.path()) || (f.starts_with(&away) && f != &away)),
            "{files:?}"
        );
        // A link to a folder inside the book is walked.
        std::fs::create_dir(book.path().join("shared")).unwrap();
        std::fs::write(book.path().join("shared/s.md"), "s").unwrap();
        std::os::unix::fs::symlink(book.path().join("shared"), src.join("shared")).unwrap();
        let with_shared = watched(book.path(), &target);
        assert!(
            with_shared.iter().any(|f| f.ends_with("shared/s.md")),
            "{with_shared:?}"
        );
        // A change behind a link is seen.
        let before = fingerprint(&files);
        std::fs::write(src.join("a.md"), "a changed").unwrap();
        assert_ne!(fingerprint(&files), before);
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
        let out = with_reload(b"<html><body>x\xff</body></html>");
        assert!(out.starts_with(b"<html><body>x\xff<script>"), "{out:?}");
        assert!(out.ends_with(b"</script></body></html>"));
        let bare = String::from_utf8(with_reload(b"x")).unwrap();
        assert!(bare.starts_with("x<script>") && bare.ends_with("</script>"));
    }

    #[test]
    fn the_error_page_shows_the_error_as_text() {
        let page = error_page("book.toml: <script>alert(1)</script> & \"x\"").into_string();
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"),
            "{page}"
        );
        assert_eq!(page.matches("<script>").count(), 1, "{page}");
        assert!(page.contains(VERSION_PATH));
    }
}

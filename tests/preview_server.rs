//! `preview --serve`: the real binary on a free port of 127.0.0.1. It
//! answers on loopback only, serves the re-rendered page after a file
//! changes (a bounded loop of short waits, no long sleep), shows the error
//! while the book cannot be rendered, and stops cleanly on SIGINT and on
//! SIGTERM. And it is safe to leave running while browsing: a request for
//! another host (DNS rebinding) gets no page, only `GET` and `HEAD` are
//! answered, no file outside the rendered folder is served by any encoding
//! of its path or any symbolic link, an oversize request is cut off in
//! little memory, and a client that stalls holds up nobody else.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_mdbook-cavra")
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/preview")
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// A preview server of a copy of the fixture book, and its address.
struct Served {
    child: Child,
    url: String,
    port: u16,
    book: tempfile::TempDir,
    _out: tempfile::TempDir,
}

fn start(page: &str) -> Served {
    let book = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), book.path());
    let out = tempfile::tempdir().unwrap();
    let mut child = Command::new(bin())
        .args(["preview", "--serve", "--port", "0", page, "--book"])
        .arg(book.path())
        .arg("--dest-dir")
        .arg(out.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("the server says where it serves")
            .unwrap();
        if let Some(url) = line.strip_prefix("mdbook-cavra: serving ") {
            break url.to_string();
        }
    };
    let port = url
        .trim_start_matches("http://127.0.0.1:")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    Served {
        child,
        url,
        port,
        book,
        _out: out,
    }
}

/// A failed test leaves no server behind.
impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The site path of a style sheet of the rendered book (mdBook names them
/// by their hash).
fn style_sheet(served: &Served) -> String {
    let gen0 = served._out.path().join("gen-0");
    let css = walkdir::WalkDir::new(&gen0)
        .into_iter()
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "css"))
        .expect("the rendered book has a style sheet");
    format!("/{}", css.path().strip_prefix(&gen0).unwrap().display())
}

/// `(status line, head, body)` of one request sent as `raw` bytes on a
/// fresh connection, read to the end; empty when the server closed it
/// without an answer.
fn raw(port: u16, raw: &[u8]) -> (String, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(raw).unwrap();
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    let at = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(bytes.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&bytes[..at]).into_owned();
    (
        head.lines().next().unwrap_or("").to_string(),
        head,
        bytes[at..].to_vec(),
    )
}

/// `(status line, body)` of a GET of `path` with this server's own `Host`.
fn get(port: u16, path: &str) -> (String, String) {
    let (status, _, body) = raw(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    );
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// Send `signal` and wait (bounded) for a clean exit.
fn stop(mut served: Served, signal: &str) {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &served.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = served.child.try_wait().unwrap() {
            assert!(status.success(), "{signal}: exited with {status}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{signal}: the server did not stop"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The port is free again.
    assert!(TcpStream::connect(("127.0.0.1", served.port)).is_err());
}

#[test]
fn serves_the_rerendered_page_after_an_edit_and_stops_on_sigint() {
    let served = start("decisions.md");
    assert!(
        served.url.starts_with("http://127.0.0.1:"),
        "{}",
        served.url
    );
    assert!(served.url.ends_with("/decisions.html"), "{}", served.url);

    let (status, body) = get(served.port, "/decisions.html");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(
        body.contains("cavra-finding"),
        "the planted mistake is shown"
    );
    assert!(body.contains("/__cavra/version"), "the reload script is in");
    let (status, _) = get(served.port, "/");
    assert_eq!(status, "HTTP/1.1 302 Found");
    let (status, _) = get(served.port, "/../book.toml");
    assert_ne!(status, "HTTP/1.1 200 OK");
    let (_, version) = get(served.port, "/__cavra/version");

    // Fix the mistake; the next render has no finding.
    let page = served.book.path().join("src/decisions.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("`deny`", "`block`")).unwrap();
    let edited = Instant::now();
    let mut seen = false;
    while edited.elapsed() < Duration::from_secs(10) {
        let (_, body) = get(served.port, "/decisions.html");
        if !body.contains("cavra-finding") && body.contains("<code>block</code>") {
            seen = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let took = edited.elapsed();
    assert!(seen, "the fixed page was not served within 10 s");
    eprintln!(
        "re-rendered page served {} ms after the edit",
        took.as_millis()
    );
    // The version moved on, so a waiting browser reloads.
    let (_, now) = get(served.port, &format!("/__cavra/version?since={version}"));
    assert_ne!(now, version);

    stop(served, "INT");
}

#[test]
fn answers_on_loopback_only_and_stops_on_sigterm() {
    let served = start("intro.md");
    let (status, _) = get(served.port, "/intro.html");
    assert_eq!(status, "HTTP/1.1 200 OK");
    // Any other address of this machine is refused on that port.
    let others = Command::new("hostname")
        .arg("-I")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let mut tried = 0;
    for ip in others.split_whitespace() {
        let Ok(ip) = ip.parse::<std::net::IpAddr>() else {
            continue;
        };
        if ip.is_loopback() {
            continue;
        }
        tried += 1;
        let addr = std::net::SocketAddr::new(ip, served.port);
        assert!(
            TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err(),
            "the preview answered on {addr}"
        );
    }
    eprintln!("checked {tried} non-loopback addresses");
    stop(served, "TERM");
}

/// What every page of the fixture has and no refusal may show.
const PAGE_MARK: &str = "preview fixture";

#[test]
fn answers_only_reads_for_this_server() {
    let served = start("intro.md");
    let port = served.port;
    let request = |line: &str, headers: &str| {
        format!("{line}\r\n{headers}Connection: close\r\n\r\n").into_bytes()
    };
    let here = format!("Host: 127.0.0.1:{port}\r\n");
    // (what, request, expected status, whether the page comes with it)
    let cases: Vec<(&str, Vec<u8>, u16, bool)> = vec![
        // This server, by each of its names.
        (
            "127.0.0.1 with the port",
            request("GET /intro.html HTTP/1.1", &here),
            200,
            true,
        ),
        (
            "localhost with the port",
            request(
                "GET /intro.html HTTP/1.1",
                &format!("Host: localhost:{port}\r\n"),
            ),
            200,
            true,
        ),
        (
            "LOCALHOST with the port",
            request(
                "GET /intro.html HTTP/1.1",
                &format!("Host: LOCALHOST:{port}\r\n"),
            ),
            200,
            true,
        ),
        (
            "[::1] with the port",
            request(
                "GET /intro.html HTTP/1.1",
                &format!("Host: [::1]:{port}\r\n"),
            ),
            200,
            true,
        ),
        (
            "absolute URI of this server",
            request(
                &format!("GET http://127.0.0.1:{port}/intro.html HTTP/1.1"),
                &here,
            ),
            200,
            true,
        ),
        (
            "HTTP/1.0 with the Host",
            request("GET /intro.html HTTP/1.0", &here),
            200,
            true,
        ),
        (
            "HEAD",
            request("HEAD /intro.html HTTP/1.1", &here),
            200,
            false,
        ),
        // Another host, whatever the shape.
        (
            "another name",
            request("GET /intro.html HTTP/1.1", "Host: example.com\r\n"),
            421,
            false,
        ),
        (
            "another name with the port",
            request(
                "GET /intro.html HTTP/1.1",
                &format!("Host: example.com:{port}\r\n"),
            ),
            421,
            false,
        ),
        (
            "a rebinding name with the port",
            request(
                "GET /intro.html HTTP/1.1",
                &format!("Host: 127.0.0.1.rebind.example:{port}\r\n"),
            ),
            421,
            false,
        ),
        (
            "localhost as a subdomain",
            request(
                "GET /intro.html HTTP/1.1",
                &format!("Host: localhost.example:{port}\r\n"),
            ),
            421,
            false,
        ),
        (
            "the right name, another port",
            request(
                "GET /intro.html HTTP/1.1",
                &format!("Host: 127.0.0.1:{}\r\n", port.wrapping_add(1)),
            ),
            421,
            false,
        ),
        (
            "the right name, no port",
            request("GET /intro.html HTTP/1.1", "Host: 127.0.0.1\r\n"),
            421,
            false,
        ),
        (
            "localhost, no port",
            request("GET /intro.html HTTP/1.1", "Host: localhost\r\n"),
            421,
            false,
        ),
        (
            "another loopback address",
            request(
                "GET /intro.html HTTP/1.1",
                &format!("Host: 127.0.0.2:{port}\r\n"),
            ),
            421,
            false,
        ),
        (
            "all addresses",
            request(
                "GET /intro.html HTTP/1.1",
                &format!("Host: 0.0.0.0:{port}\r\n"),
            ),
            421,
            false,
        ),
        (
            "absolute URI of another host",
            request(
                &format!("GET http://example.com:{port}/intro.html HTTP/1.1"),
                &here,
            ),
            421,
            false,
        ),
        (
            "absolute URI, another port",
            request(
                &format!(
                    "GET http://127.0.0.1:{}/intro.html HTTP/1.1",
                    port.wrapping_add(1)
                ),
                &here,
            ),
            421,
            false,
        ),
        (
            "absolute URI with user info",
            request(
                &format!("GET http://x@127.0.0.1:{port}/intro.html HTTP/1.1"),
                &here,
            ),
            421,
            false,
        ),
        (
            "absolute URI of https",
            request(
                &format!("GET https://127.0.0.1:{port}/intro.html HTTP/1.1"),
                &here,
            ),
            421,
            false,
        ),
        // No Host, or two.
        (
            "no Host on HTTP/1.1",
            request("GET /intro.html HTTP/1.1", ""),
            400,
            false,
        ),
        (
            "no Host on HTTP/1.0",
            request("GET /intro.html HTTP/1.0", ""),
            400,
            false,
        ),
        (
            "two Hosts",
            request(
                "GET /intro.html HTTP/1.1",
                &format!("{here}Host: example.com\r\n"),
            ),
            400,
            false,
        ),
        // Anything but a read.
        (
            "POST",
            request(
                "POST /intro.html HTTP/1.1",
                &format!("{here}Content-Length: 0\r\n"),
            ),
            405,
            false,
        ),
        (
            "PUT",
            request(
                "PUT /intro.html HTTP/1.1",
                &format!("{here}Content-Length: 0\r\n"),
            ),
            405,
            false,
        ),
        (
            "DELETE",
            request("DELETE /intro.html HTTP/1.1", &here),
            405,
            false,
        ),
        (
            "PATCH",
            request("PATCH /intro.html HTTP/1.1", &here),
            405,
            false,
        ),
        (
            "OPTIONS",
            request("OPTIONS /intro.html HTTP/1.1", &here),
            405,
            false,
        ),
        (
            "TRACE",
            request("TRACE /intro.html HTTP/1.1", &here),
            405,
            false,
        ),
        (
            "PROPFIND",
            request("PROPFIND /intro.html HTTP/1.1", &here),
            405,
            false,
        ),
        (
            "GET with a body",
            request(
                "GET /intro.html HTTP/1.1",
                &format!("{here}Content-Length: 5\r\n"),
            )
            .into_iter()
            .chain(*b"hello")
            .collect(),
            413,
            false,
        ),
        (
            "GET with a chunked body",
            request(
                "GET /intro.html HTTP/1.1",
                &format!("{here}Transfer-Encoding: chunked\r\n"),
            )
            .into_iter()
            .chain(*b"5\r\nhello\r\n0\r\n\r\n")
            .collect(),
            413,
            false,
        ),
    ];
    let mut failed = Vec::new();
    for (what, bytes, expected, page) in &cases {
        let (status, head, body) = raw(port, bytes);
        let body = String::from_utf8_lossy(&body);
        let code: u16 = status
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let head_lower = head.to_ascii_lowercase();
        let ok = code == *expected
            && body.contains(PAGE_MARK) == *page
            && (*expected != 405 || head_lower.contains("\r\nallow: get, head\r\n"))
            && (!what.starts_with("HEAD")
                || (body.is_empty() && !head_lower.contains("content-length: 0\r\n")));
        if !ok {
            failed.push(format!("{what}: {status} {} bytes\n{head}", body.len()));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {}:\n{}",
        failed.len(),
        cases.len(),
        failed.join("\n")
    );
    eprintln!("{} requests answered as expected", cases.len());
    stop(served, "TERM");
}

#[test]
fn serves_no_file_outside_the_rendered_folder() {
    let served = start("intro.md");
    let port = served.port;
    let secret = "CAVRA-OUTSIDE-SECRET";
    let dest = served._out.path();
    let gen0 = dest.join("gen-0");
    assert!(gen0.join("intro.html").is_file());
    // Outside the rendered folder: next to it, in the book, and elsewhere.
    std::fs::write(dest.join("outside.txt"), secret).unwrap();
    std::fs::write(served.book.path().join("outside.html"), secret).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("secret.txt"), secret).unwrap();
    std::fs::write(elsewhere.path().join("index.html"), secret).unwrap();
    // Links planted in the served folder after the start; the last one
    // stays inside and is served.
    let link = |to: &Path, name: &str| std::os::unix::fs::symlink(to, gen0.join(name)).unwrap();
    link(&dest.join("outside.txt"), "leak.txt");
    link(&served.book.path().join("outside.html"), "leak.html");
    link(elsewhere.path(), "leakdir");
    link(Path::new("../outside.txt"), "relative-leak.txt");
    link(Path::new("/etc"), "etc");
    link(&gen0.join("intro.html"), "inside.html");
    let abs = dest.join("outside.txt");
    let abs = abs.to_str().unwrap();
    let paths = [
        "/../outside.txt".to_string(),
        "/%2e%2e/outside.txt".into(),
        "/%2E%2E/outside.txt".into(),
        "/.%2e/outside.txt".into(),
        "/..%2foutside.txt".into(),
        "/..%2Foutside.txt".into(),
        "/%2e%2e%2foutside.txt".into(),
        "/..%5coutside.txt".into(),
        "/..\\outside.txt".into(),
        "/css/..%2f..%2foutside.txt".into(),
        "/%252e%252e/outside.txt".into(),
        format!("/{abs}"),
        format!("/%2f{}", &abs[1..]),
        format!("/{}", abs.replace('/', "%2f")),
        "/%00/../outside.txt".into(),
        "/intro.html%00".into(),
        "/../../../../../../etc/passwd".into(),
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd".into(),
        "/leak.txt".into(),
        "/leak.html".into(),
        "/relative-leak.txt".into(),
        "/leakdir".into(),
        "/leakdir/".into(),
        "/leakdir/secret.txt".into(),
        "/leakdir/index.html".into(),
        "/etc/passwd".into(),
        "/etc/hostname".into(),
        format!("http://127.0.0.1:{port}/../outside.txt"),
        format!("http://127.0.0.1:{port}/leak.txt"),
    ];
    let mut leaked = Vec::new();
    for path in &paths {
        let (status, body) = get(port, path);
        if status.contains(" 200 ") || body.contains(secret) || body.contains("root:") {
            leaked.push(format!("{path}: {status}"));
        }
    }
    assert!(leaked.is_empty(), "{leaked:#?}");
    // Folders: their index.html or 404, never a listing.
    let (status, body) = get(port, "/css/");
    assert_eq!(status, "HTTP/1.1 404 Not Found", "{body}");
    assert!(!body.contains(".css"), "{body}");
    std::fs::write(gen0.join("css/index.html"), "<body>css index</body>").unwrap();
    let (status, body) = get(port, "/css/");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains("css index") && body.contains("/__cavra/version"));
    // A link that stays inside is served; so is the page itself.
    for path in ["/inside.html", "/intro.html"] {
        let (status, body) = get(port, path);
        assert_eq!(status, "HTTP/1.1 200 OK", "{path}");
        assert!(body.contains(PAGE_MARK), "{path}");
    }
    eprintln!("{} paths served nothing from outside", paths.len());
    stop(served, "TERM");
}

/// `(VmRSS, VmHWM)` of a process, in KiB.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[test]
fn oversize_requests_are_cut_off_in_little_memory() {
    const STREAMED: usize = 64 << 20;
    let served = start("intro.md");
    let port = served.port;
    let pid = served.child.id();
    let host = format!("Host: 127.0.0.1:{port}\r\n");
    // (what, the start of the request, the byte it goes on with); each is
    // streamed to 64 MiB unless the server stops reading first.
    let cases: Vec<(&str, String, &[u8])> = vec![
        ("a request line", "GET /".into(), b"a"),
        ("a request line of spaces", "GET / HTTP/1.1".into(), b" "),
        (
            "a header line",
            format!("GET / HTTP/1.1\r\n{host}X-Long: "),
            b"a",
        ),
        (
            "a Host line",
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:".into(),
            b"1",
        ),
        (
            "many headers",
            format!("GET / HTTP/1.1\r\n{host}"),
            b"X-Many: v\r\n",
        ),
        (
            "a body",
            format!("POST /intro.html HTTP/1.1\r\n{host}Content-Length: {STREAMED}\r\n\r\n"),
            b"b",
        ),
        (
            "a chunked body",
            format!("PUT /intro.html HTTP/1.1\r\n{host}Transfer-Encoding: chunked\r\n\r\n"),
            b"1\r\nx\r\n",
        ),
        (
            "a body on a GET",
            format!("GET /intro.html HTTP/1.1\r\n{host}Content-Length: {STREAMED}\r\n\r\n"),
            b"b",
        ),
    ];
    let (rss_before, peak_before) = memory_kib(pid);
    let mut report = Vec::new();
    let mut failed = Vec::new();
    for (what, start, filler) in &cases {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let chunk: Vec<u8> = filler.iter().copied().cycle().take(1 << 20).collect();
        let mut sent = 0;
        if s.write_all(start.as_bytes()).is_ok() {
            while sent < STREAMED && s.write_all(&chunk).is_ok() {
                sent += chunk.len();
            }
        }
        // Either an answer that refuses, or a closed connection.
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        let status = String::from_utf8_lossy(&answer)
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        let (rss, _) = memory_kib(pid);
        report.push(format!(
            "{what}: {} MiB taken, {status:?}, RSS {} MiB",
            sent >> 20,
            rss >> 10
        ));
        let refused = status.is_empty()
            || ["400", "405", "413", "414", "431"]
                .iter()
                .any(|c| status.starts_with(&format!("HTTP/1.1 {c} ")));
        // The server stopped reading long before the end (what it took
        // is what the kernel's buffers hold).
        if !refused || sent >= STREAMED || rss > rss_before + 16 * 1024 {
            failed.push(what.to_string());
        }
    }
    let (_, peak) = memory_kib(pid);
    eprintln!(
        "RSS {} MiB and peak {} MiB before; peak {} MiB after:\n{}",
        rss_before >> 10,
        peak_before >> 10,
        peak >> 10,
        report.join("\n")
    );
    assert!(failed.is_empty(), "{failed:?}\n{}", report.join("\n"));
    assert!(
        peak <= peak_before.max(rss_before + 16 * 1024),
        "peak memory went from {peak_before} KiB to {peak} KiB"
    );
    // Still serving.
    let (status, _) = get(port, "/intro.html");
    assert_eq!(status, "HTTP/1.1 200 OK");
    stop(served, "TERM");
}

#[test]
fn a_stalled_client_blocks_no_one() {
    let served = start("intro.md");
    let port = served.port;
    let (_, version) = get(port, "/__cavra/version");
    let started = Instant::now();
    // Clients that stop half-way through a request, at every point of it,
    // and long polls waiting for a change that does not come.
    let halves = [
        "G".to_string(),
        "GET /intro.html".into(),
        "GET /intro.html HTTP/1.1\r\n".into(),
        format!("GET /intro.html HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"),
        format!("GET /intro.html HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Half: ab"),
    ];
    let mut stalled = Vec::new();
    for _ in 0..8 {
        for half in &halves {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            s.write_all(half.as_bytes()).unwrap();
            stalled.push(s);
        }
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "GET /__cavra/version?since={version} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
        )
        .unwrap();
        stalled.push(s);
    }
    // Others are answered at once, several times over.
    for path in ["/intro.html", "/decisions.html", &style_sheet(&served), "/"] {
        let asked = Instant::now();
        let (status, _) = get(port, path);
        assert!(
            status == "HTTP/1.1 200 OK" || status == "HTTP/1.1 302 Found",
            "{path}: {status}"
        );
        assert!(
            asked.elapsed() < Duration::from_secs(2),
            "{path} took {:?} beside {} stalled clients",
            asked.elapsed(),
            stalled.len()
        );
    }
    // A client that never finishes its request is let go.
    let half = &mut stalled[3];
    half.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut rest = Vec::new();
    let _ = half.read_to_end(&mut rest);
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(20),
        "a half request was held for {took:?}"
    );
    eprintln!(
        "{} stalled clients; a half request was closed after {} ms",
        stalled.len(),
        took.as_millis()
    );
    stop(served, "TERM");
}

#[test]
fn a_book_that_cannot_be_rendered_shows_its_error_until_fixed() {
    let served = start("intro.md");
    let port = served.port;
    let (_, version) = get(port, "/__cavra/version");
    let toml = served.book.path().join("book.toml");
    let good = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{good}\n[output.html\nx = \"<b>&\"\n")).unwrap();
    // The waiting browser is told, and gets the error page.
    let (status, moved) = get(port, &format!("/__cavra/version?since={version}"));
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_ne!(moved, version);
    let (status, body) = get(port, "/intro.html");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains("The preview could not be rendered"), "{body}");
    assert!(body.contains("class=\"cavra-render-error\""), "{body}");
    assert!(body.contains("/__cavra/version"), "{body}");
    assert!(!body.contains("<b>"), "{body}");
    // Files that are not pages are still served from the last render.
    let (status, _) = get(port, &style_sheet(&served));
    assert_eq!(status, "HTTP/1.1 200 OK");
    // Fixed: the page is back, and the version moved on again.
    std::fs::write(&toml, &good).unwrap();
    let (_, fixed) = get(port, &format!("/__cavra/version?since={moved}"));
    assert_ne!(fixed, moved);
    let (status, body) = get(port, "/intro.html");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains(PAGE_MARK), "{body}");
    stop(served, "INT");
}

//! `preview --serve`: the real binary on a free port of 127.0.0.1. It
//! answers on loopback only, serves the re-rendered page after a file
//! changes (a bounded loop of short waits, no long sleep), and stops
//! cleanly on SIGINT and on SIGTERM.

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

/// `(status line, body)` of a GET on 127.0.0.1.
fn get(port: u16, path: &str) -> (String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (
        head.lines().next().unwrap_or("").to_string(),
        body.to_string(),
    )
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

//! Speed of `mdbook-cavra lsp` (issue 22): the release binary driven over
//! stdio as an editor drives it, on the generated 1,000- and 10,000-page
//! books.
//!
//! ```text
//! cargo bench --bench lsp                       # 1,000 and 10,000 pages
//! CAVRA_BENCH_QUICK=1 cargo bench --bench lsp   # 1,000 pages only
//! ```
//!
//! For each book it prints: the initial load (from opening one page to its
//! first diagnostics, the whole book checked) against a full check of the
//! same book in the same run (in process, best of several, as
//! `benches/check.rs` measures it, and the `check` command as a process);
//! p50 and p95 from `didChange` on one page to the `publishDiagnostics` of
//! that version; and the peak resident memory of the server and of
//! `check`. Nothing here asserts a time; it prints numbers and whether the
//! issue's targets are met.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/corpus.rs"]
#[allow(
    dead_code,
    reason = "the tests of the generator use parts the bench does not"
)]
mod corpus;
#[path = "../tests/support/memory.rs"]
mod memory;

use mdbook_cavra::session::{Session, Source};
use serde_json::{Value, json};

const SEED: u64 = 0x0CA7_2A00_5EED;
const MISTAKE_RATE: f64 = 0.05;

type AnyResult<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> AnyResult<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = std::env::var("CAVRA_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0")
        || args.iter().any(|a| a == "--quick");
    let base = bench_dir();
    std::fs::create_dir_all(&base)?;
    println!(
        "mdbook-cavra lsp benchmark: {} cores available, {} threads in the checker's pool",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        rayon::current_num_threads()
    );
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("  load average at the start: {}", load.trim());
    }
    let one = measure(&base, 1_000, 200)?;
    let ten = if quick {
        None
    } else {
        // A book may list at most `MAX_CHAPTERS` chapters; the generator
        // adds a page per boundary (and an introduction) to the pages asked
        // for, so the big book asks for fewer to stay within it.
        Some(measure(&base, 10_000 - extra_chapters(&base)?, 100)?)
    };
    println!();
    println!("## Targets");
    target(
        "1k: p95 change-to-diagnostics / full check",
        one.p95.as_secs_f64() / one.check.as_secs_f64(),
        "<= 0.33",
        1.0 / 3.0,
    );
    target(
        "1k: initial load / full check",
        one.load.as_secs_f64() / one.check.as_secs_f64(),
        "<= 1.5",
        1.5,
    );
    target(
        "1k: server peak RSS / check peak RSS",
        one.rss_ratio(),
        "<= 2",
        2.0,
    );
    if let Some(ten) = &ten {
        target(
            "10k: p95 change-to-diagnostics, ms",
            ten.p95.as_secs_f64() * 1e3,
            "<= 30",
            30.0,
        );
        target(
            "10k: initial load / full check",
            ten.load.as_secs_f64() / ten.check.as_secs_f64(),
            "<= 1.5",
            1.5,
        );
        target(
            "10k: server peak RSS / check peak RSS",
            ten.rss_ratio(),
            "<= 2",
            2.0,
        );
    }
    Ok(())
}

fn bench_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("cavra-bench")
}

/// How many chapters the generator writes besides the pages asked for.
fn extra_chapters(base: &Path) -> AnyResult<usize> {
    let root = base.join("lsp-count");
    if root.exists() {
        std::fs::remove_dir_all(&root)?;
    }
    corpus::write_book(&root, 10, SEED, MISTAKE_RATE)?;
    let book = mdbook_cavra::session::layout::Book::load(&root)?;
    let extra = book.chapters()?.len() - 10;
    std::fs::remove_dir_all(&root)?;
    Ok(extra)
}

struct Measured {
    check: Duration,
    load: Duration,
    p95: Duration,
    server_kib: Option<u64>,
    check_kib: u64,
}

impl Measured {
    fn rss_ratio(&self) -> f64 {
        self.server_kib
            .map_or(f64::NAN, |s| s as f64 / self.check_kib as f64)
    }
}

fn measure(base: &Path, pages: usize, changes: usize) -> AnyResult<Measured> {
    println!();
    println!("## {pages} pages, {changes} changes to one page");
    let root = base.join(format!("lsp-{pages}"));
    if root.exists() {
        std::fs::remove_dir_all(&root)?;
    }
    let stats = corpus::write_book(&root, pages, SEED, MISTAKE_RATE)?;
    println!(
        "  generated: {} files, {:.1} MB, {} mistakes",
        stats.files,
        stats.bytes as f64 / 1e6,
        stats.total_mistakes()
    );
    let root = std::fs::canonicalize(&root)?;
    let bin = Path::new(env!("CARGO_BIN_EXE_mdbook-cavra"));

    // The full check, in process (best of 5, page cache warm) and as the
    // command (best of 3, with its peak memory).
    let mut check = Duration::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let found = Session::load(&root)?.run(Source::Disk)?.findings.len();
        check = check.min(t.elapsed());
        std::hint::black_box(found);
    }
    let mut command = Duration::MAX;
    let mut check_kib = 0;
    for _ in 0..3 {
        let m = memory::measure(bin, &["check", "--format", "json", "."], &root, b"");
        command = command.min(m.elapsed);
        check_kib = check_kib.max(m.peak_kib);
    }
    println!(
        "  full check: {:.1} ms in process, {:.1} ms as `mdbook-cavra check --format json` (peak RSS {:.1} MiB)",
        ms(check),
        ms(command),
        check_kib as f64 / 1024.0
    );

    // The page edited: a generated chapter in the middle of the book.
    let file = root.join("src").join(corpus::page_path(pages / 2));
    let uri = format!("file://{}", file.display());
    let original = std::fs::read_to_string(&file)?;
    let mut server = Server::start(bin)?;
    let t = Instant::now();
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": original } }),
    )?;
    let first = server.wait_diagnostics(&uri, 1)?;
    let load = t.elapsed();
    println!(
        "  initial load (didOpen to its diagnostics, whole book checked): {:.1} ms ({} diagnostics on the page)",
        ms(load),
        first
    );

    // Changes alternate between a page with one more mistake and the page
    // as it was, so the diagnostics change every time.
    let mistake = "\n\nThe subscription state is `canceled`.\n";
    let mut times = Vec::with_capacity(changes);
    for i in 0..changes {
        let version = i as i64 + 2;
        let text = if i % 2 == 0 {
            format!("{original}{mistake}")
        } else {
            original.clone()
        };
        let t = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        )?;
        let n = server.wait_diagnostics(&uri, version)?;
        times.push(t.elapsed());
        if i < 2 {
            assert_eq!(n, first + (1 - i), "the mistake is found, then gone");
        }
    }
    times.sort();
    let pick = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    let (p50, p95) = (pick(0.50), pick(0.95));
    println!(
        "  change to diagnostics: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} changes)",
        ms(p50),
        ms(p95),
        ms(*times.last().expect("changes")),
        times.len()
    );
    let server_kib = server.peak_kib();
    server.stop()?;
    match server_kib {
        Some(kib) => println!(
            "  peak RSS: server {:.1} MiB, check {:.1} MiB",
            kib as f64 / 1024.0,
            check_kib as f64 / 1024.0
        ),
        None => println!("  (no /proc: the server's peak memory is not measured)"),
    }
    println!(
        "  p95 / full check in process: {:.3}; initial load / full check: {:.2}",
        p95.as_secs_f64() / check.as_secs_f64(),
        load.as_secs_f64() / check.as_secs_f64()
    );
    Ok(Measured {
        check,
        load,
        p95,
        server_kib,
        check_kib,
    })
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Server {
    fn start(bin: &Path) -> AnyResult<Server> {
        let mut child = Command::new(bin)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        let mut s = Server {
            child,
            stdin,
            stdout,
        };
        s.send(&json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {} } }))?;
        while s.read()?.get("id") != Some(&json!(1)) {}
        s.notify("initialized", json!({}))?;
        Ok(s)
    }

    fn send(&mut self, v: &Value) -> AnyResult<()> {
        let body = v.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len())?;
        self.stdin.flush()?;
        Ok(())
    }

    fn notify(&mut self, method: &str, params: Value) -> AnyResult<()> {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }))
    }

    fn read(&mut self) -> AnyResult<Value> {
        let mut length = None;
        loop {
            let mut line = String::new();
            if self.stdout.read_line(&mut line)? == 0 {
                return Err("the server closed its output".into());
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                length = Some(v.parse::<usize>()?);
            }
        }
        let mut body = vec![0; length.ok_or("no Content-Length")?];
        self.stdout.read_exact(&mut body)?;
        Ok(serde_json::from_slice(&body)?)
    }

    /// Wait for the diagnostics of `uri` at `version`; their number.
    fn wait_diagnostics(&mut self, uri: &str, version: i64) -> AnyResult<usize> {
        loop {
            let m = self.read()?;
            if m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
            {
                return Ok(m["params"]["diagnostics"].as_array().map_or(0, Vec::len));
            }
        }
    }

    /// The server's peak resident memory so far (Linux's `VmHWM`).
    fn peak_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status.lines().find_map(|l| {
            l.strip_prefix("VmHWM:")?
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .ok()
        })
    }

    fn stop(mut self) -> AnyResult<()> {
        self.send(&json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }))?;
        while self.read()?.get("id") != Some(&json!(2)) {}
        self.notify("exit", Value::Null)?;
        let status = self.child.wait()?;
        if !status.success() {
            return Err(format!("the server exited with {status}").into());
        }
        Ok(())
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn target(what: &str, value: f64, goal: &str, limit: f64) {
    let verdict = if value <= limit { "met" } else { "MISSED" };
    println!("  {what:<44} {value:>8.3}  target {goal:<10} {verdict}");
}

//! Peak memory of one run of `mdbook-cavra`, and the pathological pages it is
//! measured on: shared by `tests/safety.rs` (a bound that fails the tests)
//! and `benches/check.rs` (the figures, against the 64 MiB target).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Pages that once took far more time or memory than their size: one page
/// each, with what it is.
#[allow(dead_code)]
pub fn pathological_pages() -> Vec<(&'static str, String)> {
    vec![
        (
            "100,000 unclosed `{{#cavra-state `",
            "{{#cavra-state ".repeat(100_000),
        ),
        (
            "40,000 block directives on one line",
            "{{#cavra-states worker-mode}} ".repeat(40_000),
        ),
        (
            "100,000 suppression comments",
            "<!-- cavra-allow: undefined-state -->\n\ntext\n\n".repeat(100_000),
        ),
        (
            "200,000 suppression comments",
            "<!-- cavra-allow: undefined-state -->\n\ntext\n\n".repeat(200_000),
        ),
        (
            "a 4.4 MB directive argument",
            format!("{{{{#cavra-states {}}}}}\n", "x".repeat(4_400_000)),
        ),
        ("a 10 MB single line", "word ".repeat(2_000_000)),
    ]
}

/// Peak resident memory, in KiB, of `bin args…` run in `cwd` with `stdin`
/// as its input, measured by GNU time; otherwise why it could not be.
#[allow(dead_code)]
pub fn peak_rss_kib(
    bin: &Path,
    args: &[&str],
    cwd: &Path,
    stdin: &[u8],
) -> Result<u64, &'static str> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        return Err("no GNU time (`/usr/bin/time -v`) to measure peak memory");
    }
    let mut child = Command::new(time)
        .arg("-v")
        .arg(bin)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|_| "could not run /usr/bin/time")?;
    // A program that stops reading early closes the pipe; what it read is
    // what it used.
    let _ = child.stdin.take().map(|mut s| s.write_all(stdin));
    let out = child
        .wait_with_output()
        .map_err(|_| "could not run /usr/bin/time")?;
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes):")
                .and_then(|v| v.trim().parse().ok())
        })
        .ok_or("no peak memory in the output of /usr/bin/time")
}

/// One measured run of a program: how long it took, its peak resident
/// memory, its exit code and what it wrote on stderr.
#[allow(dead_code)] // each user of this file reads the fields it needs
pub struct Measured {
    pub elapsed: std::time::Duration,
    /// Peak resident memory in KiB; exact under GNU time. Without it, the
    /// figure the kernel gives the parent (`wait4`), which also counts the
    /// resident memory of the process that started the program, so it can
    /// only be too high (`exact` is false).
    pub peak_kib: u64,
    pub exact: bool,
    pub code: Option<i32>,
    pub stderr: String,
}

/// Run `bin args…` in `cwd` with `stdin` as its input (stdout discarded)
/// and measure its wall time and peak memory.
#[allow(dead_code)]
pub fn measure(bin: &Path, args: &[&str], cwd: &Path, stdin: &[u8]) -> Measured {
    use std::io::Read;
    let time = Path::new("/usr/bin/time");
    let exact = time.exists();
    let report = tempfile_path();
    let mut cmd = if exact {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M").arg("-o").arg(&report).arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let start = std::time::Instant::now();
    let mut child = cmd.spawn().expect("could not start the program");
    let input = stdin.to_vec();
    let mut pipe = child.stdin.take().expect("stdin is piped");
    // A program that stops reading early closes the pipe; what it read is
    // what it used.
    let writer = std::thread::spawn(move || drop(pipe.write_all(&input)));
    let mut err_pipe = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err_pipe.read_to_end(&mut s);
        s
    });
    let (code, rusage_kib) = wait_with_rusage(child.id() as libc::pid_t);
    let elapsed = start.elapsed();
    let _ = writer.join();
    let stderr = String::from_utf8_lossy(&reader.join().unwrap_or_default()).into_owned();
    std::mem::forget(child); // reaped by `wait_with_rusage`
    let peak_kib = if exact {
        let text = std::fs::read_to_string(&report).unwrap_or_default();
        let _ = std::fs::remove_file(&report);
        text.lines()
            .filter_map(|l| l.trim().parse::<u64>().ok())
            .next_back()
            .unwrap_or(rusage_kib)
    } else {
        rusage_kib
    };
    // GNU time exits with the program's status; a program killed by a
    // signal makes it exit with 128 + the signal.
    let code = code.filter(|c| !(exact && *c > 128));
    Measured {
        elapsed,
        peak_kib,
        exact,
        code,
        stderr,
    }
}

/// Wait for the child and take its exit code and peak memory in KiB from
/// the kernel.
fn wait_with_rusage(pid: libc::pid_t) -> (Option<i32>, u64) {
    let mut status = 0;
    // SAFETY: a zeroed `rusage` is a valid value for the kernel to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet reaped; both pointers are
        // to live locals.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        if r == -1 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        return (None, 0);
    }
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, usage.ru_maxrss as u64)
}

fn tempfile_path() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    std::env::temp_dir().join(format!(
        "mdbook-cavra-peak-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ))
}

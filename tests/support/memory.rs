//! Peak memory of one run of `mdbook-cavra`, and the pathological pages it is
//! measured on: shared by `tests/safety.rs` (a bound that fails the tests)
//! and `benches/check.rs` (the figures, against the 64 MiB target).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Pages that once took far more time or memory than their size: one page
/// each, with what it is.
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

//! A real browser: headless Chromium (Debian's `chromium`, which `.ci/run`
//! installs) loads rendered previews, runs mdBook's scripts, and dumps the
//! DOM it ends up with (`--dump-dom`). The test reads that DOM: the billing
//! boundary's page with its state table and boundary lists, and a page with
//! a planted mistake whose finding sits right after its paragraph.
//!
//! Without Chromium the test prints a SKIPPED line on the terminal (not
//! captured by the test harness); in CI (`CI` set) a missing Chromium is a
//! failure, since `.ci/run` installs it.

#[path = "support/outline.rs"]
mod outline;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mdbook_cavra::canon::canon;
use mdbook_cavra::model::SectionKind;
use mdbook_cavra::preview::{file_url, html, target};

fn chromium() -> Option<PathBuf> {
    let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
    if let Some(found) = candidates.iter().map(PathBuf::from).find(|p| p.is_file()) {
        return Some(found);
    }
    if std::env::var_os("CI").is_some() {
        panic!("Chromium is missing in CI, where .ci/run installs it (apt-get install chromium)");
    }
    // Straight to the terminal: the harness captures eprintln! of passing tests.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED browser test: no Chromium at {} (apt-get install chromium)",
        candidates.join(" or ")
    );
    None
}

/// The DOM Chromium builds for `page`, after mdBook's scripts ran.
fn dump_dom(chromium: &Path, page: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out_file = profile.path().join("dom.html");
    let out = std::fs::File::create(&out_file).unwrap();
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--dump-dom",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!(
            "--user-data-dir={}",
            profile.path().join("profile").display()
        ))
        .arg(file_url(page))
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium exited with {status}");
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::read_to_string(&out_file).unwrap()
}

#[test]
fn chromium_shows_the_billing_page_and_a_finding_in_place() {
    let Some(chromium) = chromium() else { return };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));

    // The billing boundary's own page of the guide.
    let dest = tempfile::tempdir().unwrap();
    let page = target::resolve("billing-subscription", Some(&root)).unwrap();
    let r = html::render(&root, &page, dest.path()).unwrap();
    let dom = dump_dom(&chromium, &r.page);
    assert!(dom.contains("<main>"), "not a rendered page: {dom:.300}");
    let main = outline::outline_of(&dom, "main");
    // The state table: one row per subscription state, each term as code.
    let cells = outline::texts_of(&dom, "td");
    for term in canon().vocabulary("subscription").unwrap().terms {
        assert!(
            cells.iter().any(|c| c == &outline::words(term.name)),
            "state `{}` is not a table cell:\n{main}",
            term.name
        );
    }
    // The boundary lists: every canonical item is a list item.
    let items = outline::texts_of(&dom, "li");
    let b = canon().boundary("billing-subscription").unwrap();
    for kind in [
        SectionKind::MayContain,
        SectionKind::MustNotContain,
        SectionKind::PrivateResponsibilities,
    ] {
        for item in b.items(kind) {
            assert!(
                items.iter().any(|li| li == &outline::words(item.text)),
                "boundary item {:?} is not a list item:\n{main}",
                item.text
            );
        }
    }
    // The book's own chrome came with it: mdBook's sidebar and its scripts ran.
    assert!(dom.contains("sidebar"), "no sidebar");
    assert!(!dom.contains("cavra-finding"), "the guide has no finding");

    // A page with a planted mistake: the finding right after its paragraph.
    let fixture = root.join("tests/fixtures/preview");
    let dest = tempfile::tempdir().unwrap();
    let page = target::resolve("decisions.md", Some(&fixture)).unwrap();
    let r = html::render(&fixture, &page, dest.path()).unwrap();
    let dom = dump_dom(&chromium, &r.page);
    let main = outline::outline_of(&dom, "main");
    let lines: Vec<&str> = main.lines().collect();
    let p = lines
        .iter()
        .position(|l| l.trim_start().starts_with("p \"When the decision is"))
        .unwrap_or_else(|| panic!("no paragraph with the mistake:\n{main}"));
    let depth = lines[p].len() - lines[p].trim_start().len();
    let next = lines[p + 1..]
        .iter()
        .find(|l| l.len() - l.trim_start().len() <= depth)
        .unwrap();
    assert!(
        next.trim_start().starts_with("div.cavra-preview.cavra-finding.cavra-error#cavra-finding-1 [data-rule=undefined-state] [data-line=7]"),
        "{main}"
    );
    assert!(
        lines[1]
            .trim_start()
            .starts_with("div.cavra-preview.cavra-summary [data-errors=1]"),
        "{main}"
    );
    // The finding's rule links to its explanation on the page.
    assert!(main.contains("a.cavra-rule [href=#cavra-explain-undefined-state]"));
    assert!(main.contains("section.cavra-explain#cavra-explain-undefined-state"));
}

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

/// `CAVRA_CHROMIUM`, else the first Chromium on `PATH` (as `which` finds
/// it), else Debian's usual places.
fn chromium() -> Option<PathBuf> {
    let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths).find_map(|dir| {
            ["chromium", "chromium-browser", "google-chrome"]
                .iter()
                .map(|name| dir.join(name))
                .find(|p| p.is_file())
        })
    });
    let found = std::env::var_os("CAVRA_CHROMIUM")
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .or(on_path)
        .or_else(|| candidates.iter().map(PathBuf::from).find(|p| p.is_file()));
    if found.is_some() {
        return found;
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

/// The part of `dom` from `start` to the first `end` after it.
fn block_of<'d>(dom: &'d str, start: &str, end: &str) -> &'d str {
    let at = dom
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in the page:\n{dom}"));
    let to = dom[at + 1..].find(end).map_or(dom.len(), |i| at + 1 + i);
    &dom[at..to]
}

#[test]
fn chromium_shows_markup_in_a_finding_as_text_and_runs_none_of_it() {
    let Some(chromium) = chromium() else { return };
    // The preview fixture, with a mistake on a line that also holds a
    // script and an image with an error handler (as code in the page, so
    // the page itself shows them as text; the finding quotes the line).
    let book = tempfile::tempdir().unwrap();
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/preview");
    for e in walkdir::WalkDir::new(&fixture) {
        let e = e.unwrap();
        let to = book.path().join(e.path().strip_prefix(&fixture).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    let page_file = book.path().join("src/decisions.md");
    let mut text = std::fs::read_to_string(&page_file).unwrap();
    let hostile = "`<script>document.title='PWNED'</script>` and \
`<img src=x onerror=\"document.title='PWNED'\">` and `</div><!-- cavra-allow -->`";
    text.push_str(&format!("\nWhen the decision is `deny`, see {hostile}.\n"));
    let line = text.lines().count();
    // A suppression with nothing to suppress: the explanation of
    // `unused-suppression` quotes a `<!-- cavra-allow: … -->` comment.
    text.push_str("\n<!-- cavra-allow: undefined-state -->\nNothing to suppress here.\n");
    std::fs::write(&page_file, &text).unwrap();

    let dest = tempfile::tempdir().unwrap();
    let page = target::resolve("decisions.md", Some(book.path())).unwrap();
    let r = html::render(book.path(), &page, dest.path()).unwrap();
    let dom = dump_dom(&chromium, &r.page);

    // Nothing ran: the title is the page's own.
    let title = block_of(&dom, "<title>", "</title>");
    assert!(!title.contains("PWNED"), "a script ran: {title}");
    // The finding quotes its line as text, every tag of it escaped, and
    // holds no element that came from the line.
    // From the finding to the end of its snippet (mdBook's script adds a
    // copy button of its own inside the snippet's `<pre>`).
    let finding = block_of(&dom, &format!("data-line=\"{line}\""), "</pre>");
    for shown in [
        "&lt;script&gt;document.title='PWNED'&lt;/script&gt;",
        "&lt;img src=x onerror=\"document.title='PWNED'\"&gt;",
        "&lt;/div&gt;&lt;!-- cavra-allow --&gt;",
    ] {
        assert!(finding.contains(shown), "{shown} not shown in:\n{finding}");
    }
    for tag in ["<script", "<img", "<!--"] {
        assert!(!finding.contains(tag), "{tag} in the finding:\n{finding}");
    }
    // No image element with a handler anywhere (the page's own code spans
    // are text too).
    assert!(!dom.contains("<img src=\"x\""), "an <img> from the page");
    // The rule's explanation shows `{{#cavra-state …}}` as written: mdBook's
    // links preprocessor did not read it, and the boxes did not nest (the
    // explanation is a sibling of the findings, not inside one).
    let explain = block_of(&dom, "id=\"cavra-explain-undefined-state\"", "</section>");
    assert!(explain.contains("{{#cavra-state VOCAB.TERM}}"), "{explain}");
    // The comment in an explanation is text, not a comment that vanishes.
    let explain = block_of(
        &dom,
        "id=\"cavra-explain-unused-suppression\"",
        "</section>",
    );
    assert!(
        explain.contains("&lt;!-- cavra-allow: undefined-state --&gt;"),
        "{explain}"
    );
    let main = outline::outline_of(&dom, "main");
    let depth = |prefix: &str| {
        main.lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .map(|l| l.len() - l.trim_start().len())
            .unwrap_or_else(|| panic!("no {prefix} in:\n{main}"))
    };
    assert_eq!(
        depth("div.cavra-preview.cavra-explanations"),
        depth("div.cavra-preview.cavra-summary"),
        "{main}"
    );
}

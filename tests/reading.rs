//! Reading like a CAVRA writer (issue 20): each behaviour as a class.

use mdbook_cavra::session::{Session, Source};

/// Findings on a one-page book: (rule, line, message with help and notes).
fn check(text: &str) -> Vec<(String, usize, String)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("book.toml"),
        "[book]\ntitle = \"t\"\n\n[preprocessor.cavra]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("src/SUMMARY.md"),
        "# Summary\n\n- [Page](page.md)\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("src/page.md"), text).unwrap();
    Session::load(dir.path())
        .unwrap()
        .run(Source::Disk)
        .unwrap()
        .findings
        .into_iter()
        .map(|f| {
            let mut m = f.message.clone();
            if let Some(h) = &f.help {
                m.push_str(" | help: ");
                m.push_str(h);
            }
            for n in &f.notes {
                m.push_str(" | note: ");
                m.push_str(n);
            }
            (f.rule.id.to_string(), f.at.line, m)
        })
        .collect()
}

#[test]
fn probe() {
    let Ok(dir) = std::env::var("PROBE") else {
        return;
    };
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let t = std::fs::read_to_string(&p).unwrap();
        println!("== {}", p.display());
        for f in check(&t) {
            println!("{f:?}");
        }
    }
}

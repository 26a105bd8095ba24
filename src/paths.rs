//! Paths inside a book: `/`-separated, relative to the book root, with
//! `.` and `..` resolved lexically.

use std::path::Path;

/// Resolve a link destination against the folder of the page it is on
/// (both relative to the book root);
/// external links and bare fragments give `None`.
pub fn resolve_link(base: &str, dest: &str) -> Option<String> {
    if dest.starts_with('#') || crate::text::contains(dest, "://") || dest.starts_with("mailto:") {
        return None;
    }
    let path = dest.split(['#', '?']).next().filter(|p| !p.is_empty())?;
    let (path, html) = match path.strip_suffix(".html") {
        Some(stem) => (stem, true),
        None => (path, false),
    };
    // The parts are joined as they come: `..` cuts the last one off.
    let mut out = String::with_capacity(base.len() + path.len() + 4);
    let push = |out: &mut String, part: &str| match part {
        "" | "." => {}
        ".." => out.truncate(out.rfind('/').unwrap_or(0)),
        p => {
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(p);
        }
    };
    // The base's own parts are taken as they are (a `..` in it stays).
    if !path.starts_with('/') {
        for part in base.split('/').filter(|p| !p.is_empty()) {
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(part);
        }
    }
    for part in path.split('/') {
        push(&mut out, part);
    }
    if html {
        out.push_str(".md");
    }
    Some(out)
}

/// `a/./b/../c` → `a/c`, with `/` separators; a path that climbs out of
/// where it starts keeps its leading `..` (`../x.md`).
pub fn normalize_path(p: &Path) -> String {
    // Components borrow the path (a copy only for a name that is not UTF-8).
    let mut parts: Vec<std::borrow::Cow<'_, str>> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                if parts.last().is_some_and(|p| p != "..") {
                    parts.pop();
                } else {
                    parts.push("..".into());
                }
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy()),
            _ => {}
        }
    }
    parts.join("/")
}

/// A relative link from one page to another, both relative to the source folder.
pub fn relative_link(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect::<Vec<_>>();
    let from_dir = &from_dir[..from_dir.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

/// `path` made absolute and free of `.`/`..` and symbolic links, as far as
/// it exists.
pub fn resolve(path: &Path) -> std::path::PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(&existing).unwrap_or(existing);
    for part in rest.into_iter().rev() {
        if part == ".." {
            out.pop();
        } else if part != "." {
            out.push(part);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Resolution as a list of parts joined at the end, the plain way.
    fn by_parts(base: &str, dest: &str) -> Option<String> {
        if dest.starts_with('#') || dest.contains("://") || dest.starts_with("mailto:") {
            return None;
        }
        let path = dest.split(['#', '?']).next().filter(|p| !p.is_empty())?;
        let (path, html) = match path.strip_suffix(".html") {
            Some(stem) => (stem, true),
            None => (path, false),
        };
        let mut parts: Vec<&str> = match path.strip_prefix('/') {
            Some(_) => Vec::new(),
            None => base.split('/').filter(|p| !p.is_empty()).collect(),
        };
        for part in path.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                p => parts.push(p),
            }
        }
        let mut out = parts.join("/");
        if html {
            out.push_str(".md");
        }
        Some(out)
    }

    #[test]
    fn links_resolve_as_joined_parts_do() {
        let pieces = ["", "a", "b.md", ".", "..", "c.html", "/", "#x", "?q"];
        let bases = ["", "a", "a/b", "a//b", "../a"];
        let mut dests = Vec::new();
        for x in pieces {
            for y in pieces {
                for z in pieces {
                    dests.push(format!("{x}/{y}/{z}"));
                    dests.push(format!("{x}{y}/{z}"));
                }
            }
        }
        for base in bases {
            for dest in &dests {
                assert_eq!(
                    resolve_link(base, dest),
                    by_parts(base, dest),
                    "{base} + {dest}"
                );
            }
        }
    }

    #[test]
    fn links_resolve_against_the_page_folder() {
        assert_eq!(
            resolve_link("editions", "billing.md#notice").as_deref(),
            Some("editions/billing.md")
        );
        assert_eq!(
            resolve_link("editions", "../cli.html").as_deref(),
            Some("cli.md")
        );
        assert_eq!(
            resolve_link("a/b", "./c/../d.md").as_deref(),
            Some("a/b/d.md")
        );
        assert_eq!(resolve_link("a", "/top.md").as_deref(), Some("top.md"));
        assert_eq!(resolve_link("a", "https://example.com/x.md"), None);
        assert_eq!(resolve_link("a", "#frag"), None);
        assert_eq!(relative_link("editions/a.md", "cli.md"), "../cli.md");
        assert_eq!(normalize_path(Path::new("a/../../x.md")), "../x.md");
        assert_eq!(normalize_path(Path::new("./a/./b/../c.md")), "a/c.md");
    }
}

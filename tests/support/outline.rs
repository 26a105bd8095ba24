//! The structure of an HTML page as text, for snapshots: one element a
//! line, indented by depth, with its id, classes and the attributes that
//! say where it leads or what it marks, and its own text (shortened). Enough
//! to see that a finding sits right after its block, and not so much that
//! a theme's markup churns the snapshot.

/// Elements with no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Attributes kept besides `id` and `class`.
const KEPT: &[&str] = &[
    "href",
    "data-rule",
    "data-line",
    "data-errors",
    "data-warnings",
];

#[derive(Debug, Default)]
struct Node {
    tag: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Node>,
}

/// The outline of the first `<tag>` element of `html` (e.g. `main`).
pub fn outline_of(html: &str, tag: &str) -> String {
    let root = parse(html);
    let Some(node) = find(&root, tag) else {
        return format!("no <{tag}> in the page");
    };
    let mut out = String::new();
    write(node, 0, &mut out);
    out
}

fn find<'n>(node: &'n Node, tag: &str) -> Option<&'n Node> {
    if node.tag == tag {
        return Some(node);
    }
    node.children.iter().find_map(|c| find(c, tag))
}

fn write(node: &Node, depth: usize, out: &mut String) {
    let mut line = "  ".repeat(depth);
    line.push_str(&node.tag);
    for (k, v) in &node.attrs {
        match k.as_str() {
            "id" => line.push_str(&format!("#{v}")),
            "class" => {
                for c in v.split_whitespace() {
                    line.push_str(&format!(".{c}"));
                }
            }
            _ => {}
        }
    }
    for (k, v) in &node.attrs {
        if KEPT.contains(&k.as_str()) {
            line.push_str(&format!(" [{k}={v}]"));
        }
    }
    let text: String = node.text.split_whitespace().collect::<Vec<_>>().join(" ");
    if !text.is_empty() {
        let short: String = text.chars().take(60).collect();
        let more = if short.len() < text.len() { "…" } else { "" };
        line.push_str(&format!(" {short:?}{more}"));
    }
    out.push_str(line.trim_end());
    out.push('\n');
    for c in &node.children {
        write(c, depth + 1, out);
    }
}

fn parse(html: &str) -> Node {
    let mut stack: Vec<Node> = vec![Node {
        tag: "#root".into(),
        ..Node::default()
    }];
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut stack, rest);
            break;
        };
        push_text(&mut stack, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |i| &rest[i + 1..]);
            continue;
        }
        let Some(gt) = rest.find('>') else { break };
        let tag_text = &rest[1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag_text.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            if let Some(pos) = stack.iter().rposition(|n| n.tag == name) {
                while stack.len() > pos {
                    close(&mut stack);
                }
            }
            continue;
        }
        let (name, attrs) = tag_and_attrs(tag_text);
        if name == "script" || name == "style" {
            let end = format!("</{name}>");
            rest = rest.find(&end).map_or("", |i| &rest[i + end.len()..]);
            continue;
        }
        let node = Node {
            tag: name.clone(),
            attrs,
            ..Node::default()
        };
        if VOID.contains(&name.as_str()) || tag_text.ends_with('/') {
            stack.last_mut().unwrap().children.push(node);
        } else {
            stack.push(node);
        }
    }
    while stack.len() > 1 {
        close(&mut stack);
    }
    stack.pop().unwrap()
}

fn close(stack: &mut Vec<Node>) {
    let node = stack.pop().unwrap();
    stack.last_mut().unwrap().children.push(node);
}

fn push_text(stack: &mut [Node], text: &str) {
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    stack.last_mut().unwrap().text.push_str(&text);
    stack.last_mut().unwrap().text.push(' ');
}

fn tag_and_attrs(text: &str) -> (String, Vec<(String, String)>) {
    let text = text.trim_end_matches('/');
    let name_end = text.find(|c: char| c.is_whitespace()).unwrap_or(text.len());
    let name = text[..name_end].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut rest = text[name_end..].trim_start();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = rest[..key_end].to_ascii_lowercase();
        rest = rest[key_end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, left) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_whitespace())
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            rest = left.trim_start();
            value.to_string()
        } else {
            String::new()
        };
        if !key.is_empty() {
            attrs.push((key, value));
        }
    }
    (name, attrs)
}

/// The text of every `<tag>` element (its own and its descendants'), as
/// the sorted words of [`words`]: the order of text around child elements
/// is not kept by this small parser, the words are.
pub fn texts_of(html: &str, tag: &str) -> Vec<Vec<String>> {
    fn all(node: &Node, out: &mut String) {
        out.push_str(&node.text);
        out.push(' ');
        for c in &node.children {
            all(c, out);
        }
    }
    fn walk(node: &Node, tag: &str, found: &mut Vec<Vec<String>>) {
        if node.tag == tag {
            let mut text = String::new();
            all(node, &mut text);
            found.push(words(&text));
        }
        for c in &node.children {
            walk(c, tag, found);
        }
    }
    let mut found = Vec::new();
    walk(&parse(html), tag, &mut found);
    found
}

/// The words of a text, lowercased and sorted (Markdown marks dropped).
pub fn words(text: &str) -> Vec<String> {
    let mut w: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase)
        .collect();
    w.sort();
    w
}

//! What the server answers about a page: quick fixes, hover, completion,
//! definitions and document links. Each reads the page's text as the
//! editor has it and the canon; nothing here changes the server's state.

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range as Span;
use std::path::{Path, PathBuf};

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Command, CompletionItem,
    CompletionItemKind, CompletionParams, CompletionResponse, Diagnostic, DocumentLink,
    DocumentLinkParams, GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents,
    HoverParams, Location, MarkupContent, MarkupKind, Position, Range, TextEdit, Url,
    WorkspaceEdit,
};

use super::{OPEN_PAGE, Server, diagnostic, file_path, offset, position};
use crate::canon::canon;
use crate::check::facts::PageFacts;
use crate::diagnostic::Finding;
use crate::directive::{self, Directive};
use crate::markdown::Page;
use crate::model::{Boundary, SectionKind};
use crate::session::layout::book_root_above;

impl<W: Write> Server<W> {
    /// For each finding in range: its own fix (what `mdbook-cavra fix`
    /// would apply), "suppress this finding", and for a finding about a
    /// boundary, "open the boundary's page".
    pub(super) fn code_actions(&self, p: CodeActionParams) -> Vec<CodeActionOrCommand> {
        let Some(file) = file_path(&p.text_document.uri) else {
            return Vec::new();
        };
        let text = self.text_of(&file);
        let uri = &p.text_document.uri;
        let mut actions = Vec::new();
        let mut boundaries: Vec<&'static str> = Vec::new();
        for f in self.findings_for(&file) {
            let d = diagnostic(f, &text);
            if d.range.end < p.range.start || p.range.end < d.range.start {
                continue;
            }
            if let Some(fix) = &f.fix {
                actions.push(CodeActionOrCommand::CodeAction(self.fix_action(
                    fix,
                    &file,
                    &text,
                    uri,
                    d.clone(),
                )));
            }
            actions.push(CodeActionOrCommand::CodeAction(suppress_action(
                f, &text, uri, d,
            )));
            if f.rule.id.starts_with("boundary") {
                boundaries.extend(named_boundaries(&f.message));
            }
        }
        // On a mention of a boundary, or a finding about one: its page.
        let at = offset(&text, p.range.start);
        boundaries.extend(boundary_at(&text, at));
        boundaries.sort_unstable();
        boundaries.dedup();
        for id in boundaries {
            for page in self.boundary_pages(&file, id) {
                let Ok(target) = Url::from_file_path(&page) else {
                    continue;
                };
                let title = canon().boundary(id).map_or(id, |b| b.title);
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Open the page of the {title}"),
                    kind: Some(CodeActionKind::EMPTY),
                    command: Some(Command {
                        title: format!("Open {}", page.display()),
                        command: OPEN_PAGE.to_string(),
                        arguments: Some(vec![serde_json::json!(target)]),
                    }),
                    ..Default::default()
                }));
            }
        }
        actions
    }

    /// The finding's own fix as a quick fix; an unsafe one says so and is
    /// never the preferred one.
    fn fix_action(
        &self,
        fix: &crate::diagnostic::Fix,
        file: &Path,
        text: &str,
        uri: &Url,
        d: Diagnostic,
    ) -> CodeAction {
        use crate::diagnostic::{Applicability, Target};
        let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
        let toml = book_root_above(file).map(|r| r.join("book.toml"));
        let toml_text = toml.as_deref().map(|t| self.text_of(t)).unwrap_or_default();
        for e in &fix.edits {
            let (target_uri, on) = match e.target {
                Target::Page => (Some(uri.clone()), text),
                Target::BookToml => (
                    toml.as_deref().and_then(|t| Url::from_file_path(t).ok()),
                    toml_text.as_str(),
                ),
            };
            let Some(target_uri) = target_uri else {
                continue;
            };
            changes.entry(target_uri).or_default().push(TextEdit {
                range: Range::new(position(on, e.range.start), position(on, e.range.end)),
                new_text: e.replacement.clone(),
            });
        }
        let safe = fix.applicability == Applicability::Safe;
        CodeAction {
            title: if safe {
                fix.title.clone()
            } else {
                format!("{} (unsafe: review it)", fix.title)
            },
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![d]),
            edit: Some(WorkspaceEdit {
                changes: Some(changes),
                ..Default::default()
            }),
            is_preferred: Some(safe),
            ..Default::default()
        }
    }

    /// The pages of the book holding `file` that are boundary `id`'s own.
    fn boundary_pages(&self, file: &Path, id: &str) -> Vec<PathBuf> {
        let Some(book) = self.book_of(file) else {
            return Vec::new();
        };
        book.cache
            .owners(id)
            .into_iter()
            .map(|rel| book.src.join(rel))
            .collect()
    }

    /// On a directive: what it expands to. On a boundary's title: the
    /// statements its page must make. On a vocabulary term (in inline code
    /// or a field value): its vocabularies and meanings.
    pub(super) fn hover(&self, p: HoverParams) -> Option<Hover> {
        let pos = p.text_document_position_params;
        let file = file_path(&pos.text_document.uri)?;
        let text = self.text_of(&file);
        let at = offset(&text, pos.position);
        let markdown = |value: String, span: Option<Span<usize>>| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: span.map(|s| Range::new(position(&text, s.start), position(&text, s.end))),
        };
        let page = Page::parse(&text);
        if let Some((c, explained)) = page
            .directives
            .iter()
            .find(|c| c.range.start <= at && at < c.range.end)
            .map(|c| (c, explain_directive(&text, c)))
        {
            return Some(markdown(explained, Some(c.range.clone())));
        }
        let facts = PageFacts::new("page.md", &page, canon());
        for t in &facts.titles {
            let block = &page.blocks[t.block];
            let start = page.source_offset(block, t.range.start);
            let end = page.source_offset(block, t.range.end);
            if start <= at && at <= end {
                let b = &canon().boundaries[t.boundary];
                return Some(markdown(required_statements(b), Some(start..end)));
            }
        }
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let (word, span) = word_at(&text[line_start..line_end], at - line_start)?;
        let mut parts = Vec::new();
        for v in canon().vocabularies {
            if let Some(term) = v.term(word) {
                parts.push(format!(
                    "`{}`: {} ({}): {}",
                    term.name,
                    v.label,
                    v.id,
                    term.meaning()
                ));
            }
        }
        (!parts.is_empty()).then(|| {
            markdown(
                parts.join("\n\n"),
                Some(line_start + span.start..line_start + span.end),
            )
        })
    }

    /// Inside `{{#`: directive names, then the ids each directive takes.
    /// In a known field's value: its vocabulary's terms. After `cavra ` in
    /// a shell block: commands, then the command's options.
    pub(super) fn completion(&self, p: CompletionParams) -> Option<CompletionResponse> {
        let pos = p.text_document_position;
        let file = file_path(&pos.text_document.uri)?;
        let text = self.text_of(&file);
        let at = offset(&text, pos.position);
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let before = &text[line_start..at];
        let items = directive_items(before)
            .or_else(|| field_items(&text, before))
            .or_else(|| command_items(&text, at, before))?;
        Some(CompletionResponse::Array(items))
    }

    /// From a boundary's mention (its title, a topic phrase, a
    /// `{{#cavra-boundary ID}}`) to the boundary's own page.
    pub(super) fn definition(&self, p: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        let pos = p.text_document_position_params;
        let file = file_path(&pos.text_document.uri)?;
        let text = self.text_of(&file);
        let at = offset(&text, pos.position);
        let locations: Vec<Location> = boundary_at(&text, at)
            .into_iter()
            .flat_map(|id| self.boundary_pages(&file, id))
            .filter_map(|page| {
                Some(Location::new(
                    Url::from_file_path(page).ok()?,
                    Range::default(),
                ))
            })
            .collect();
        (!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations))
    }

    /// Each `{{#cavra-boundary ID …}}` links to the boundary's page.
    pub(super) fn document_links(&self, p: DocumentLinkParams) -> Vec<DocumentLink> {
        let Some(file) = file_path(&p.text_document.uri) else {
            return Vec::new();
        };
        let text = self.text_of(&file);
        let page = Page::parse(&text);
        let mut links = Vec::new();
        for c in &page.directives {
            let Ok(Directive::Boundary { boundary, .. }) = directive::parse(&text, c, canon())
            else {
                continue;
            };
            let Some(target) = self
                .boundary_pages(&file, boundary)
                .into_iter()
                .next()
                .and_then(|p| Url::from_file_path(p).ok())
            else {
                continue;
            };
            let title = canon().boundary(boundary).map_or(boundary, |b| b.title);
            links.push(DocumentLink {
                range: Range::new(position(&text, c.range.start), position(&text, c.range.end)),
                target: Some(target),
                tooltip: Some(format!("The page of the {title}")),
                data: None,
            });
        }
        links
    }
}

/// "Suppress this finding": a `cavra-allow` comment on the line before the
/// finding's block.
fn suppress_action(f: &Finding, text: &str, uri: &Url, d: Diagnostic) -> CodeAction {
    let line = block_start_line(text, f.at.offset);
    let indent: String = text
        .lines()
        .nth(line)
        .unwrap_or("")
        .chars()
        .take_while(|c| *c == ' ')
        .collect();
    let at = Position::new(line as u32, 0);
    let edit = TextEdit {
        range: Range::new(at, at),
        new_text: format!("{indent}<!-- cavra-allow: {} -->\n", f.rule.id),
    };
    CodeAction {
        title: format!("Suppress `{}` for this block", f.rule.id),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![d]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The boundaries a message names by id or title.
fn named_boundaries(message: &str) -> Vec<&'static str> {
    canon()
        .boundaries
        .iter()
        .filter(|b| message.contains(b.id) || message.contains(b.title))
        .map(|b| b.id)
        .collect()
}

/// The boundaries the page mentions at byte `at`: a directive that embeds
/// one, its title, or a phrase of its topic.
fn boundary_at(text: &str, at: usize) -> Vec<&'static str> {
    let page = Page::parse(text);
    for c in &page.directives {
        if c.range.start <= at
            && at <= c.range.end
            && let Ok(Directive::Boundary { boundary, .. }) = directive::parse(text, c, canon())
        {
            return vec![boundary];
        }
    }
    let facts = PageFacts::new("page.md", &page, canon());
    let mut out = Vec::new();
    for t in &facts.titles {
        let block = &page.blocks[t.block];
        let start = page.source_offset(block, t.range.start);
        let end = page.source_offset(block, t.range.end);
        if start <= at && at <= end {
            out.push(canon().boundaries[t.boundary].id);
        }
    }
    for (id, range) in facts.topic_mentions() {
        if range.start <= at && at <= range.end {
            out.push(id);
        }
    }
    out
}

/// What a directive expands to, or why it cannot be expanded.
fn explain_directive(text: &str, c: &directive::Candidate) -> String {
    if c.escaped {
        return "An escaped directive: it is shown as written, without the backslash.".into();
    }
    match directive::parse(text, c, canon()) {
        Ok(d) => {
            let rendered = crate::render::directive(canon(), d);
            format!(
                "**`{}`** expands to:\n\n---\n\n{}",
                &text[c.name.clone()],
                rendered.trim_end()
            )
        }
        Err(e) => {
            let mut out = format!("This directive cannot be expanded: {}", e.message);
            if let Some(help) = e.help {
                out.push_str(&format!("\n\nhelp: {help}"));
            }
            out
        }
    }
}

/// The statements a boundary's own page must make, and the directives
/// that make them.
fn required_statements(b: &Boundary) -> String {
    let mut out = format!(
        "**{}** (`{}`)\n\nIts own page must make these statements:\n",
        b.title, b.id
    );
    for r in canon().required_language {
        let phrases: Vec<String> = r.phrases.iter().map(|p| format!("\"{p}\"")).collect();
        out.push_str(&format!("\n- {}", r.what));
        if r.only_with_examples {
            out.push_str(" (on a page with examples)");
        }
        out.push_str(&format!(": one of {}", phrases.join(", ")));
        if let Some(kind) = r.provided_by {
            out.push_str(&format!(
                "; `{{{{#cavra-boundary {} {}}}}}` makes it",
                b.id,
                kind.id()
            ));
        }
    }
    out.push_str(&format!(
        "\n\n`{{{{#cavra-boundary {}}}}}` makes them all.",
        b.id
    ));
    out
}

fn item(label: String, kind: CompletionItemKind, detail: &str) -> CompletionItem {
    CompletionItem {
        label,
        kind: Some(kind),
        detail: Some(detail.to_string()),
        ..Default::default()
    }
}

/// Completion inside an unclosed `{{#` on the line before the cursor.
fn directive_items(before: &str) -> Option<Vec<CompletionItem>> {
    let open = before.rfind("{{#")?;
    let inside = &before[open + 3..];
    if inside.contains("}}") {
        return None;
    }
    let c = canon();
    Some(match inside.split_once(' ') {
        None => directive::NAMES
            .iter()
            .map(|n| item(n.to_string(), CompletionItemKind::KEYWORD, "directive"))
            .collect(),
        Some(("cavra-states", _)) => c
            .vocabularies
            .iter()
            .map(|v| item(v.id.to_string(), CompletionItemKind::ENUM, v.label))
            .collect(),
        Some(("cavra-state", _)) => c
            .vocabularies
            .iter()
            .flat_map(|v| {
                v.terms.iter().map(move |t| {
                    item(
                        format!("{}.{}", v.id, t.name),
                        CompletionItemKind::ENUM_MEMBER,
                        t.meaning(),
                    )
                })
            })
            .collect(),
        Some(("cavra-boundary", rest)) => match rest.split_whitespace().count() {
            0 => c
                .boundaries
                .iter()
                .map(|b| item(b.id.to_string(), CompletionItemKind::MODULE, b.title))
                .collect(),
            _ => SectionKind::ALL
                .iter()
                .map(|s| item(s.id().to_string(), CompletionItemKind::FIELD, "section"))
                .collect(),
        },
        Some(("cavra-cli", _)) => c
            .cli
            .groups()
            .into_iter()
            .map(|g| item(g.to_string(), CompletionItemKind::MODULE, "command group"))
            .collect(),
        Some(("cavra-command", _)) => c
            .cli
            .commands
            .iter()
            .map(|cmd| {
                item(
                    format!("\"{}\"", cmd.name),
                    CompletionItemKind::FUNCTION,
                    cmd.description,
                )
            })
            .collect(),
        Some(("cavra-routes", _)) => c
            .surface
            .areas()
            .into_iter()
            .map(|a| item(a.to_string(), CompletionItemKind::MODULE, "API area"))
            .collect(),
        Some(("cavra-contract", _)) => c
            .surface
            .contracts
            .iter()
            .map(|k| item(k.id.to_string(), CompletionItemKind::STRUCT, "contract"))
            .collect(),
        _ => Vec::new(),
    })
}

/// The key of a field whose value starts right before the cursor: JSON
/// (`"key": "`), YAML (`key: `) or TOML (`key = "`), and what is typed of
/// the value.
fn field_at(before: &str) -> Option<&str> {
    let trimmed = before.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    let trimmed = trimmed.strip_suffix('"').unwrap_or(trimmed);
    let trimmed = trimmed.trim_end();
    let key_end = trimmed
        .strip_suffix(':')
        .or_else(|| trimmed.strip_suffix('='))?
        .trim_end();
    let key_end = key_end.strip_suffix('"').unwrap_or(key_end);
    let start = key_end
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
        .map_or(0, |i| i + 1);
    let key = &key_end[start..];
    (!key.is_empty()).then_some(key)
}

/// Completion in a known field's value: that vocabulary's terms.
fn field_items(text: &str, before: &str) -> Option<Vec<CompletionItem>> {
    let key = field_at(before)?;
    let items: Vec<CompletionItem> = canon()
        .vocabularies
        .iter()
        .filter(|v| {
            v.fields.iter().any(|f| {
                (f.key == key || f.key.rsplit('.').next() == Some(key))
                    && f.only_with.is_none_or(|w| text.contains(w))
            })
        })
        .flat_map(|v| {
            v.terms.iter().map(move |t| {
                item(
                    t.name.to_string(),
                    CompletionItemKind::ENUM_MEMBER,
                    t.meaning(),
                )
            })
        })
        .collect();
    (!items.is_empty()).then_some(items)
}

/// Completion after `cavra ` (or another program of the CLI canon) in a
/// shell code block: the next command word, or a command's options.
fn command_items(text: &str, at: usize, before: &str) -> Option<Vec<CompletionItem>> {
    let page = Page::parse(text);
    let block = page
        .code_blocks
        .iter()
        .find(|b| b.content.start <= at && at <= b.content.end)?;
    if !crate::check::rules::unknown_command::is_shell_language(&block.lang) {
        return None;
    }
    let cli = canon().cli;
    let words: Vec<&str> = before.split_whitespace().collect();
    let program_at = words
        .iter()
        .rposition(|w| cli.programs.iter().any(|p| p == w))?;
    let program = words[program_at];
    // The words typed after the program; the last one is being typed
    // unless the cursor follows a space.
    let mut typed: Vec<&str> = words[program_at + 1..].to_vec();
    if !before.ends_with(char::is_whitespace) {
        typed.pop();
    }
    if typed.iter().any(|w| w.starts_with('-')) {
        typed.retain(|w| !w.starts_with('-'));
    }
    let path: Vec<&str> = typed
        .iter()
        .copied()
        .take_while(|w| !w.starts_with('-'))
        .collect();
    let children = cli.children(program, &path);
    if !children.is_empty() {
        return Some(
            children
                .into_iter()
                .map(|w| {
                    let mut full = path.clone();
                    full.push(w);
                    let detail = cli
                        .exact(program, &full)
                        .map_or("command group", |c| c.description);
                    item(w.to_string(), CompletionItemKind::FUNCTION, detail)
                })
                .collect(),
        );
    }
    let command = cli.exact(program, &path)?;
    Some(
        command
            .options
            .iter()
            .flat_map(|o| {
                o.longs()
                    .map(move |l| item(l.to_string(), CompletionItemKind::PROPERTY, o.description))
            })
            .collect(),
    )
}

/// The term-shaped word around byte `at` of `line` (letters, digits, `_`,
/// `-`), and where it is in the line.
fn word_at(line: &str, at: usize) -> Option<(&str, Span<usize>)> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let start = line[..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(at, |(i, _)| i);
    let end = line[at..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(line.len(), |(i, _)| at + i);
    (start < end).then(|| (&line[start..end], start..end))
}

/// The 0-based line where the block holding byte `offset` starts: the
/// line after the nearest blank line above it.
fn block_start_line(text: &str, offset: usize) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let mut line = position(text, offset).line as usize;
    while line > 0 && !lines.get(line - 1).is_none_or(|l| l.trim().is_empty()) {
        line -= 1;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(items: Option<Vec<CompletionItem>>) -> Vec<String> {
        items
            .unwrap_or_default()
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    #[test]
    fn words_and_blocks() {
        assert_eq!(
            word_at("is `past_due` now", 6).map(|w| w.0),
            Some("past_due")
        );
        assert_eq!(word_at("is `past_due` now", 1).map(|w| w.0), Some("is"));
        assert_eq!(word_at("is `past_due` now", 3), None);
        let text = "# T\n\npara one\npara two `x`\n\nnext\n";
        assert_eq!(block_start_line(text, text.find("`x`").unwrap()), 2);
        assert_eq!(block_start_line(text, 0), 0);
    }

    #[test]
    fn field_keys_in_json_yaml_and_toml() {
        let table = [
            (r#"  "subscription_state": ""#, Some("subscription_state")),
            (r#"  "subscription_state": "pa"#, Some("subscription_state")),
            ("subscription_state: ", Some("subscription_state")),
            ("subscription_state = \"", Some("subscription_state")),
            ("just prose", None),
        ];
        for (before, key) in table {
            assert_eq!(field_at(before), key, "{before}");
        }
        let terms = labels(field_items("", r#"{ "subscription_state": ""#));
        let v = canon().vocabulary("subscription").unwrap();
        assert_eq!(terms, v.terms.iter().map(|t| t.name).collect::<Vec<_>>());
    }

    #[test]
    fn commands_and_options_in_shell_blocks() {
        let program = canon().cli.programs[0];
        let text = format!("# T\n\n```bash\n{program} \n```\n\n{program} \n");
        let at = text.find(&format!("{program} \n")).unwrap() + program.len() + 1;
        let words = labels(command_items(&text, at, &format!("{program} ")));
        let first = canon().cli.children(program, &[]);
        assert_eq!(
            words,
            first.iter().map(|w| w.to_string()).collect::<Vec<_>>()
        );
        // Outside a shell block: nothing.
        let prose = text.rfind(&format!("{program} ")).unwrap() + program.len() + 1;
        assert!(command_items(&text, prose, &format!("{program} ")).is_none());
        // A whole command: its options.
        let cmd = canon()
            .cli
            .commands
            .iter()
            .find(|c| c.program == program && !c.path.is_empty() && !c.options.is_empty())
            .unwrap();
        let before = format!("{} ", cmd.line);
        let text = format!("```sh\n{before}\n```\n");
        let at = 6 + before.len();
        let options = labels(command_items(&text, at, &before));
        let first = cmd.options[0].longs().next().unwrap();
        assert!(options.iter().any(|o| o == first), "{options:?}");
    }

    #[test]
    fn directives_explain_themselves() {
        let text = "{{#cavra-states subscription}}";
        let page = Page::parse(text);
        let out = explain_directive(text, &page.directives[0]);
        assert!(out.contains("past_due"), "{out}");
        let text = "{{#cavra-states nothing}}";
        let page = Page::parse(text);
        let out = explain_directive(text, &page.directives[0]);
        assert!(
            out.starts_with("This directive cannot be expanded"),
            "{out}"
        );
        let b = &canon().boundaries[0];
        let out = required_statements(b);
        assert!(out.contains(b.title), "{out}");
        for r in canon().required_language {
            assert!(out.contains(r.what), "{out}");
        }
    }
}

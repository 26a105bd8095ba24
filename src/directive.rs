//! Finding and parsing `{{#cavra-…}}` directives.
//!
//! [`scan`] finds every candidate in the raw text in one pass; the page
//! parser ([`crate::markdown::Page`]) then drops those inside inline code or
//! code blocks. [`parse`] turns a candidate into a [`Directive`] checked
//! against the canon, or an error that names the closest known name.

use std::ops::Range;

use crate::model::{Canon, SectionKind};
use crate::suggest;

/// The directive names, as written after `{{#`.
pub const NAMES: [&str; 9] = [
    "cavra-states",
    "cavra-state",
    "cavra-boundary",
    "cavra-cli",
    "cavra-command",
    "cavra-settings",
    "cavra-routes",
    "cavra-paths",
    "cavra-contract",
];

/// A `{{#cavra…}}` found in the text, not yet checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// From `{{` to `}}` inclusive (to the end of the name when unterminated).
    pub range: Range<usize>,
    /// Written as `\{{#cavra…}}`: render it literally, without the backslash.
    pub escaped: bool,
    /// The directive name (`cavra-states`).
    pub name: Range<usize>,
    /// Each whitespace-separated argument.
    pub args: Vec<Range<usize>>,
    /// False when no `}}` closes it.
    pub terminated: bool,
}

/// A directive checked against the canon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directive {
    States {
        vocabulary: &'static str,
    },
    State {
        vocabulary: &'static str,
        term: &'static str,
    },
    Boundary {
        boundary: &'static str,
        section: Option<SectionKind>,
    },
    /// `{{#cavra-cli GROUP}}`: the reference table of a command group.
    Cli {
        group: &'static str,
    },
    /// `{{#cavra-command "policy validate"}}`: one command in full.
    Command {
        /// The command's name (`policy validate`, or `cavra-mcp-server`).
        command: &'static str,
    },
    /// `{{#cavra-settings}}`: every `CAVRA_*` setting.
    Settings,
    /// `{{#cavra-routes [AREA]}}`: the API's routes, or one area's.
    Routes {
        area: Option<&'static str>,
    },
    /// `{{#cavra-paths}}`: what CAVRA writes under `.cavra/`.
    Paths,
    /// `{{#cavra-contract ID}}`: one public JSON contract's fields.
    Contract {
        contract: &'static str,
    },
}

/// Why a directive could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectiveError {
    /// The part of the directive at fault.
    pub range: Range<usize>,
    pub message: String,
    pub help: Option<String>,
    /// The vocabulary is known but the term is not: an `undefined-state`
    /// finding rather than an `unknown-directive` one.
    pub undefined_term: bool,
}

/// Find every directive candidate in `src`, in order.
///
/// A directive starts with `{{`, optional whitespace and `#cavra`; it ends at
/// the next `}}`. It may span lines, but not a blank line or another `{{`.
pub fn scan(src: &str) -> Vec<Candidate> {
    let bytes = src.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    let finder = memchr::memmem::Finder::new("{{");
    while let Some(pos) = finder.find(&bytes[from..]) {
        let open = from + pos;
        from = open + 2;
        let mut i = open + 2;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if !src[i..].starts_with("#cavra") {
            continue;
        }
        let name_start = i + 1;
        let mut name_end = name_start;
        while name_end < bytes.len()
            && (bytes[name_end].is_ascii_alphanumeric() || matches!(bytes[name_end], b'-' | b'_'))
        {
            name_end += 1;
        }
        let escaped = open > 0 && bytes[open - 1] == b'\\';
        let (end, terminated) = match find_close(src, name_end) {
            Some(close) => (close + 2, true),
            None => (name_end, false),
        };
        let body_end = if terminated { end - 2 } else { end };
        let args = split_args(src, name_end, body_end);
        found.push(Candidate {
            range: open..end,
            escaped,
            name: name_start..name_end,
            args,
            terminated,
        });
        from = end.max(open + 2);
    }
    found
}

/// The `}}` that closes a directive body starting at `from`. The body may
/// not hold `{{` or a blank line, so the search stops at the first of them:
/// every byte is looked at by one candidate at most, and a page of many
/// unclosed directives is scanned in linear time.
fn find_close(src: &str, from: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut i = from;
    // Whether only whitespace has followed the last line ending.
    let mut line_blank = false;
    while i < bytes.len() {
        match bytes[i] {
            b'}' if bytes.get(i + 1) == Some(&b'}') => return Some(i),
            b'{' if bytes.get(i + 1) == Some(&b'{') => return None,
            b'\n' | b'\r' => {
                // CRLF is one line ending.
                let crlf = bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n');
                if line_blank {
                    return None;
                }
                line_blank = true;
                if crlf {
                    i += 1;
                }
            }
            b' ' | b'\t' => {}
            _ => line_blank = false,
        }
        i += 1;
    }
    None
}

fn split_args(src: &str, start: usize, end: usize) -> Vec<Range<usize>> {
    let mut args = Vec::new();
    let mut arg_start = None;
    for (i, c) in src[start..end].char_indices() {
        let at = start + i;
        if c.is_whitespace() {
            if let Some(s) = arg_start.take() {
                args.push(s..at);
            }
        } else if arg_start.is_none() {
            arg_start = Some(at);
        }
    }
    if let Some(s) = arg_start {
        args.push(s..end);
    }
    args
}

/// Check a candidate against the canon.
pub fn parse(src: &str, c: &Candidate, canon: &Canon) -> Result<Directive, DirectiveError> {
    let name = &src[c.name.clone()];
    let err = |range: Range<usize>, message: String, help: Option<String>| DirectiveError {
        range,
        message,
        help,
        undefined_term: false,
    };
    if !c.terminated {
        return Err(err(
            c.range.clone(),
            format!("`{{{{#{name}` is never closed"),
            Some("end the directive with `}}` before the paragraph ends".to_string()),
        ));
    }
    let arg = |i: usize| c.args.get(i).map(|r| (&src[r.clone()], r.clone()));
    let expect_args = |n: std::ops::RangeInclusive<usize>, usage: &str| {
        if n.contains(&c.args.len()) {
            Ok(())
        } else {
            Err(err(
                c.range.clone(),
                format!(
                    "`{{{{#{name}}}}}` takes {} argument{}, found {}",
                    if n.start() == n.end() {
                        n.start().to_string()
                    } else {
                        format!("{} or {}", n.start(), n.end())
                    },
                    if *n.end() == 1 { "" } else { "s" },
                    c.args.len()
                ),
                Some(format!("write it as `{usage}`")),
            ))
        }
    };
    let vocabulary = |(id, range): (&str, Range<usize>)| {
        canon.vocabulary(id).ok_or_else(|| {
            err(
                range,
                format!("unknown vocabulary `{}`", suggest::shown(id)),
                Some(suggest::hint(id, canon.vocabularies.iter().map(|v| v.id))),
            )
        })
    };
    match name {
        "cavra-states" => {
            expect_args(1..=1, "{{#cavra-states VOCABULARY}}")?;
            let v = vocabulary(arg(0).unwrap_or_default())?;
            Ok(Directive::States { vocabulary: v.id })
        }
        "cavra-state" => {
            expect_args(1..=1, "{{#cavra-state VOCABULARY.TERM}}")?;
            let (text, range) = arg(0).unwrap_or_default();
            let Some((vid, term)) = text.split_once('.') else {
                return Err(err(
                    range,
                    format!("`{}` names no term", suggest::shown(text)),
                    Some("write `VOCABULARY.TERM`, as in `subscription.active`".to_string()),
                ));
            };
            let v = vocabulary((vid, range.start..range.start + vid.len()))?;
            let term_range = range.start + vid.len() + 1..range.end;
            match v.term(term) {
                Some(t) => Ok(Directive::State {
                    vocabulary: v.id,
                    term: t.name,
                }),
                None => Err(DirectiveError {
                    undefined_term: true,
                    ..err(
                        term_range,
                        format!("undefined {} `{}`", v.label, suggest::shown(term)),
                        Some(suggest::hint(term, v.terms.iter().map(|t| t.name))),
                    )
                }),
            }
        }
        "cavra-boundary" => {
            expect_args(1..=2, "{{#cavra-boundary BOUNDARY [SECTION]}}")?;
            let (id, range) = arg(0).unwrap_or_default();
            let b = canon.boundary(id).ok_or_else(|| {
                err(
                    range,
                    format!("unknown boundary `{}`", suggest::shown(id)),
                    Some(suggest::hint(id, canon.boundaries.iter().map(|b| b.id))),
                )
            })?;
            let section = match arg(1) {
                None => None,
                Some((sid, range)) => {
                    let Some(kind) = SectionKind::from_id(sid) else {
                        return Err(err(
                            range,
                            format!("unknown boundary section `{}`", suggest::shown(sid)),
                            Some(suggest::hint(sid, SectionKind::ALL.iter().map(|s| s.id()))),
                        ));
                    };
                    if !b.has(kind) {
                        return Err(err(
                            range,
                            format!(
                                "boundary `{}` has no `{}` section",
                                b.id,
                                suggest::shown(sid)
                            ),
                            Some(format!(
                                "its sections are {}",
                                suggest::list(b.sections().map(|s| s.id()))
                            )),
                        ));
                    }
                    Some(kind)
                }
            };
            Ok(Directive::Boundary {
                boundary: b.id,
                section,
            })
        }
        "cavra-cli" => {
            expect_args(1..=1, "{{#cavra-cli GROUP}}")?;
            let (group, range) = arg(0).unwrap_or_default();
            let groups = canon.cli.groups();
            match groups.iter().find(|g| **g == group) {
                Some(g) => Ok(Directive::Cli { group: g }),
                None => Err(err(
                    range,
                    format!("unknown command group `{}`", suggest::shown(group)),
                    Some(suggest::hint(group, groups.iter().copied())),
                )),
            }
        }
        "cavra-command" => {
            let usage = "{{#cavra-command \"GROUP COMMAND\"}}";
            let (Some(first), Some(last)) = (c.args.first(), c.args.last()) else {
                return Err(err(
                    c.range.clone(),
                    format!("`{{{{#{name}}}}}` names no command"),
                    Some(format!(
                        "write it as `{usage}`, as in `{{{{#cavra-command \"policy validate\"}}}}`"
                    )),
                ));
            };
            let range = first.start..last.end;
            let written = &src[range.clone()];
            let unquoted = written
                .strip_prefix('"')
                .and_then(|w| w.strip_suffix('"'))
                .unwrap_or(written);
            if unquoted.contains('"') {
                return Err(err(
                    range,
                    format!("`{}` is not one quoted command", suggest::shown(written)),
                    Some(format!("write it as `{usage}`")),
                ));
            }
            match canon.cli.command(unquoted) {
                Some(cmd) => Ok(Directive::Command { command: cmd.name }),
                None => Err(err(
                    range,
                    format!(
                        "unknown command `{}`",
                        unquoted.split_whitespace().collect::<Vec<_>>().join(" ")
                    ),
                    Some(command_hint(canon, unquoted)),
                )),
            }
        }
        "cavra-settings" => {
            expect_args(0..=0, "{{#cavra-settings}}")?;
            Ok(Directive::Settings)
        }
        "cavra-paths" => {
            expect_args(0..=0, "{{#cavra-paths}}")?;
            Ok(Directive::Paths)
        }
        "cavra-routes" => {
            expect_args(0..=1, "{{#cavra-routes [AREA]}}")?;
            let areas = canon.surface.areas();
            match arg(0) {
                None => Ok(Directive::Routes { area: None }),
                Some((area, range)) => match areas.iter().find(|a| **a == area) {
                    Some(a) => Ok(Directive::Routes { area: Some(a) }),
                    None => Err(err(
                        range,
                        format!("unknown route area `{}`", suggest::shown(area)),
                        Some(suggest::hint(area, areas.iter().copied())),
                    )),
                },
            }
        }
        "cavra-contract" => {
            expect_args(1..=1, "{{#cavra-contract ID}}")?;
            let (id, range) = arg(0).unwrap_or_default();
            match canon.surface.contract(id) {
                Some(ct) => Ok(Directive::Contract { contract: ct.id }),
                None => Err(err(
                    range,
                    format!("unknown contract `{}`", suggest::shown(id)),
                    Some(suggest::hint(
                        id,
                        canon.surface.contracts.iter().map(|c| c.id),
                    )),
                )),
            }
        }
        other => Err(err(
            c.name.clone(),
            format!("unknown directive `{{{{#{}}}}}`", suggest::shown(other)),
            Some(suggest::hint(other, NAMES)),
        )),
    }
}

/// The nearest real command to `written`, or what to write instead.
fn command_hint(canon: &Canon, written: &str) -> String {
    let words: Vec<&str> = written
        .split_whitespace()
        .skip_while(|w| *w == "cavra")
        .collect();
    let cli = canon.cli;
    if let Some(group) = words.first().filter(|g| cli.groups().contains(g)) {
        let names: Vec<&str> = cli.group(group).map(|c| c.name).collect();
        if let Some(near) = suggest::closest(&words.join(" "), names.iter().copied()) {
            return format!("did you mean `{near}`?");
        }
        return format!(
            "`{group}` has {} commands; `{{{{#cavra-cli {group}}}}}` lists them",
            names.len()
        );
    }
    match suggest::closest(&words.join(" "), cli.commands.iter().map(|c| c.name)) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!(
            "write a command as `GROUP COMMAND`; the groups are {}",
            suggest::list(cli.groups())
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::canon;
    use crate::markdown::Page;

    fn found(src: &str) -> Vec<&str> {
        Page::parse(src)
            .directives
            .iter()
            .filter(|c| !c.escaped)
            .map(|c| &src[c.range.clone()])
            .collect()
    }

    #[test]
    fn finds_directives_in_prose_headings_and_tables() {
        let src = "# {{#cavra-state decision.allow}}\n\nText {{#cavra-states decision}}.\n\n| a |\n|---|\n| {{#cavra-state decision.deny}} |\n";
        assert_eq!(
            found(src),
            [
                "{{#cavra-state decision.allow}}",
                "{{#cavra-states decision}}",
                "{{#cavra-state decision.deny}}"
            ]
        );
    }

    #[test]
    fn never_inside_code_spans_or_blocks() {
        let src = "`{{#cavra-states decision}}` and ``x {{#cavra-states a}} y``\n\n```md\n{{#cavra-states decision}}\n```\n\n    {{#cavra-states decision}}\n\n~~~\n{{#cavra-states x}}\n~~~\n";
        assert!(found(src).is_empty(), "{:?}", found(src));
    }

    #[test]
    fn escaped_directives_are_marked() {
        let src = "Write \\{{#cavra-states decision}} to embed it.";
        let page = Page::parse(src);
        assert_eq!(page.directives.len(), 1);
        assert!(page.directives[0].escaped);
        assert_eq!(page.directives[0].range.start, 7);
    }

    #[test]
    fn several_on_one_line() {
        let src = "{{#cavra-state decision.allow}} or {{#cavra-state decision.deny}}{{#cavra-state decision.shadow}}";
        assert_eq!(found(src).len(), 3);
    }

    #[test]
    fn a_directive_may_span_lines_but_not_paragraphs() {
        let src = "{{#cavra-boundary\n  billing-subscription\n  evidence}}\n";
        let page = Page::parse(src);
        let d = &page.directives[0];
        assert!(d.terminated);
        assert_eq!(d.args.len(), 2);
        assert!(parse(src, d, canon()).is_ok());

        let broken = "{{#cavra-states decision\n\nnext}}";
        let page = Page::parse(broken);
        assert!(!page.directives[0].terminated);
        let e = parse(broken, &page.directives[0], canon()).unwrap_err();
        assert!(e.message.contains("never closed"), "{}", e.message);
    }

    #[test]
    fn crlf_and_non_ascii_offsets() {
        let src = "Ünïcödé — text\r\n\r\nsee {{#cavra-state subscription.active}}\r\n";
        let page = Page::parse(src);
        let d = &page.directives[0];
        assert_eq!(
            &src[d.range.clone()],
            "{{#cavra-state subscription.active}}"
        );
        let (line, col) = page.index.locate(src, d.range.start);
        assert_eq!((line, col), (3, 5));
    }

    #[test]
    fn unknown_names_get_suggestions() {
        let cases = [
            (
                "{{#cavra-states subscripton}}",
                "did you mean `subscription`?",
            ),
            ("{{#cavra-stats decision}}", "did you mean `cavra-states`?"),
            (
                "{{#cavra-state subscription.canceled}}",
                "did you mean `cancelled`?",
            ),
            (
                "{{#cavra-boundary billing-subscriptions}}",
                "did you mean `billing-subscription`?",
            ),
            (
                "{{#cavra-boundary billing-subscription must-not-contains}}",
                "did you mean `must-not-contain`?",
            ),
        ];
        for (src, hint) in cases {
            let page = Page::parse(src);
            let e = parse(src, &page.directives[0], canon()).unwrap_err();
            assert_eq!(e.help.as_deref(), Some(hint), "{src}");
        }
    }

    #[test]
    fn missing_section_and_wrong_arity_are_errors() {
        let src = "{{#cavra-boundary tenant-onboarding evidence}} {{#cavra-states}} {{#cavra-state decision}}";
        let page = Page::parse(src);
        let msgs: Vec<_> = page
            .directives
            .iter()
            .map(|d| parse(src, d, canon()).unwrap_err().message)
            .collect();
        assert!(msgs[0].contains("has no `evidence` section"));
        assert!(msgs[1].contains("takes 1 argument, found 0"));
        assert!(msgs[2].contains("names no term"));
    }

    fn parse_one(src: &str) -> Result<Directive, DirectiveError> {
        let page = Page::parse(src);
        parse(src, &page.directives[0], canon())
    }

    #[test]
    fn cli_directives_parse() {
        assert_eq!(
            parse_one("{{#cavra-cli policy}}"),
            Ok(Directive::Cli { group: "policy" })
        );
        assert_eq!(
            parse_one("{{#cavra-cli cavra-mcp-server}}"),
            Ok(Directive::Cli {
                group: "cavra-mcp-server"
            })
        );
        for src in [
            "{{#cavra-command \"policy validate\"}}",
            "{{#cavra-command policy validate}}",
            "{{#cavra-command \"cavra policy validate\"}}",
            "{{#cavra-command\n  \"policy validate\"}}",
        ] {
            assert_eq!(
                parse_one(src),
                Ok(Directive::Command {
                    command: "policy validate"
                }),
                "{src}"
            );
        }
        assert_eq!(
            parse_one("{{#cavra-command cavra-mcp-server}}"),
            Ok(Directive::Command {
                command: "cavra-mcp-server"
            })
        );
    }

    #[test]
    fn unknown_groups_and_commands_are_errors_with_a_suggestion() {
        let src = "Intro.\n\n{{#cavra-cli polcy}}\n";
        let page = Page::parse(src);
        let e = parse(src, &page.directives[0], canon()).unwrap_err();
        assert_eq!(e.message, "unknown command group `polcy`");
        assert_eq!(e.help.as_deref(), Some("did you mean `policy`?"));
        assert_eq!(&src[e.range.clone()], "polcy");
        assert_eq!(page.index.locate(src, e.range.start), (3, 14));

        let e = parse_one("{{#cavra-command \"policy validat\"}}").unwrap_err();
        assert_eq!(e.message, "unknown command `policy validat`");
        assert_eq!(e.help.as_deref(), Some("did you mean `policy validate`?"));

        let e = parse_one("{{#cavra-command \"release zzzz\"}}").unwrap_err();
        assert_eq!(
            e.help.as_deref(),
            Some("`release` has 134 commands; `{{#cavra-cli release}}` lists them")
        );
        let e = parse_one("{{#cavra-command \"agent wrap\"}}").unwrap_err();
        assert!(e.message.contains("agent wrap"), "{}", e.message);
        let e = parse_one("{{#cavra-command}}").unwrap_err();
        assert!(e.message.contains("names no command"), "{}", e.message);
        let e = parse_one("{{#cavra-cli}}").unwrap_err();
        assert!(e.message.contains("takes 1 argument"), "{}", e.message);
        let e = parse_one("{{#cavra-clii policy}}").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `cavra-cli`?"));
    }

    #[test]
    fn cli_directives_keep_the_code_and_escape_contract() {
        let src = "`{{#cavra-cli policy}}`\n\n```md\n{{#cavra-command \"policy validate\"}}\n```\n\nWrite \\{{#cavra-cli policy}}.\n";
        assert!(found(src).is_empty(), "{:?}", found(src));
        let page = Page::parse(src);
        assert_eq!(page.directives.len(), 1);
        assert!(page.directives[0].escaped);
    }

    #[test]
    fn surface_directives_parse_and_name_the_nearest_id() {
        assert_eq!(parse_one("{{#cavra-settings}}"), Ok(Directive::Settings));
        assert_eq!(parse_one("{{#cavra-paths}}"), Ok(Directive::Paths));
        assert_eq!(
            parse_one("{{#cavra-routes}}"),
            Ok(Directive::Routes { area: None })
        );
        assert_eq!(
            parse_one("{{#cavra-routes approvals}}"),
            Ok(Directive::Routes {
                area: Some("approvals")
            })
        );
        assert_eq!(
            parse_one("{{#cavra-contract approval-record}}"),
            Ok(Directive::Contract {
                contract: "approval-record"
            })
        );
        let e = parse_one("{{#cavra-contract aproval-record}}").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `approval-record`?"));
        let e = parse_one("{{#cavra-routes aprovals}}").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `approvals`?"));
        let e = parse_one("{{#cavra-settings all}}").unwrap_err();
        assert!(e.message.contains("takes 0 arguments"), "{}", e.message);
        let e = parse_one("{{#cavra-setings}}").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `cavra-settings`?"));
    }
}

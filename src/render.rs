//! Canon → Markdown. Output is plain CommonMark plus GFM tables, which every
//! mdBook renderer understands.

use std::fmt::Write;

use crate::directive::Directive;
use crate::model::{
    Boundary, Canon, Cli, CliCommand, CliParam, Contract, ProductPath, SectionKind, Surface,
    Vocabulary,
};

/// The Markdown a directive expands to. Block output carries no leading or
/// trailing blank lines; [`crate::expand::expand`] fits it into its line.
pub fn directive(canon: &Canon, d: Directive) -> String {
    match d {
        Directive::States { vocabulary } => {
            states_table(canon.vocabulary(vocabulary).expect("checked by parse"))
        }
        Directive::State { term, .. } => format!("`{term}`"),
        Directive::Boundary { boundary, section } => {
            let b = canon.boundary(boundary).expect("checked by parse");
            match section {
                Some(kind) => boundary_section(canon, b, kind),
                None => whole_boundary(canon, b),
            }
        }
        Directive::Cli { group } => cli_group(canon.cli, group),
        Directive::Command { command } => {
            command_reference(canon.cli.command(command).expect("checked by parse"))
        }
        Directive::Settings => settings_table(canon),
        Directive::Routes { area } => routes_table(canon.surface, area),
        Directive::Paths => paths_table(crate::canon::surface::paths()),
        Directive::Contract { contract } => {
            contract_table(canon.surface.contract(contract).expect("checked by parse"))
        }
    }
}

/// Every `CAVRA_*` setting: its values (a vocabulary's terms where the
/// setting takes one), what it does and its source.
pub fn settings_table(canon: &Canon) -> String {
    let s = canon.surface;
    let mut out =
        String::from("| Setting | Values | What it does | Source |\n| --- | --- | --- | --- |\n");
    for x in s.settings {
        let values = match (x.values, x.vocabulary) {
            (v, _) if !v.is_empty() => v
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", "),
            (_, Some(voc)) => match canon.vocabulary(voc) {
                Some(v) => v
                    .terms
                    .iter()
                    .map(|t| format!("`{}`", t.name))
                    .collect::<Vec<_>>()
                    .join(", "),
                None => format!("a {voc} term"),
            },
            _ => String::from("any"),
        };
        let kind = if x.kind == "browser" {
            " (browser global)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "| `{}`{kind} | {values} | {} | `{}` |",
            x.name,
            escape_cell(x.description),
            x.source
        );
    }
    out.pop();
    out
}

/// The API's routes, or one area's.
pub fn routes_table(s: &Surface, area: Option<&str>) -> String {
    let mut out =
        String::from("| Method | Path | What it does | Source |\n| --- | --- | --- | --- |\n");
    for r in s.routes.iter().filter(|r| area.is_none_or(|a| r.area == a)) {
        let methods = if r.methods.is_empty() {
            String::from("(not documented)")
        } else {
            r.methods.join(", ")
        };
        let _ = writeln!(
            out,
            "| {methods} | `{}` | {} | `{}` |",
            r.path,
            escape_cell(r.description),
            r.source
        );
    }
    out.pop();
    out
}

/// What CAVRA writes under `.cavra/`.
pub fn paths_table(paths: &[ProductPath]) -> String {
    let mut out = String::from("| Path | Written by | Source |\n| --- | --- | --- |\n");
    for p in paths {
        let _ = writeln!(
            out,
            "| `{}` | {} | `{}` |",
            p.path,
            escape_cell(p.written_by),
            p.source
        );
    }
    out.pop();
    out
}

/// One contract: how it is identified, then every field.
pub fn contract_table(c: &Contract) -> String {
    let mut out = String::new();
    match c.schema_version {
        Some(v) => {
            let _ = writeln!(
                out,
                "{} (`schema_version`: `{v}`; source `{}`).\n",
                c.title, c.source
            );
        }
        None => {
            let _ = writeln!(out, "{} (source `{}`).\n", c.title, c.source);
        }
    }
    out.push_str("| Field | Only when | Source |\n| --- | --- | --- |\n");
    for f in c.fields {
        let when = match (c.discriminator, f.when) {
            (Some(d), Some(w)) => format!("`{d}` is `{w}`"),
            _ => String::from("always"),
        };
        let _ = writeln!(out, "| `{}` | {when} | `{}` |", f.path, f.source);
    }
    out.pop();
    out
}

/// Whether a directive renders as a block (table or list) rather than inline.
pub fn is_block(d: Directive) -> bool {
    !matches!(d, Directive::State { .. })
}

/// A table of every term of a vocabulary with its meaning.
pub fn states_table(v: &Vocabulary) -> String {
    let mut out = String::with_capacity(64 + v.terms.len() * 80);
    let _ = writeln!(out, "| {} | Meaning |", capitalize(v.label));
    out.push_str("| --- | --- |\n");
    for t in v.terms {
        let _ = writeln!(out, "| `{}` | {} |", t.name, escape_cell(t.meaning()));
    }
    out.pop();
    out
}

/// One section of a boundary: its lead-in sentence and list, or the notice.
pub fn boundary_section(canon: &Canon, b: &Boundary, kind: SectionKind) -> String {
    if kind == SectionKind::Notice {
        return format!("> {}", b.notice);
    }
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", canon.lead_in(kind));
    for item in b.items(kind) {
        let _ = writeln!(out, "- {}", item.text);
    }
    out.pop();
    out
}

/// The whole boundary: notice, every list it has, and the synthetic-examples rule.
pub fn whole_boundary(canon: &Canon, b: &Boundary) -> String {
    let parts: Vec<String> = b
        .sections()
        .map(|kind| boundary_section(canon, b, kind))
        .chain(std::iter::once(canon.lead_ins.synthetic.to_string()))
        .collect();
    parts.join("\n\n")
}

/// The reference table of a command group: each command, its usage line
/// and what it does.
pub fn cli_group(cli: &Cli, group: &str) -> String {
    let mut out = String::from("| Command | Usage | What it does |\n| --- | --- | --- |\n");
    for c in cli.group(group) {
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {} |",
            c.name,
            c.usage(),
            escape_cell(c.description)
        );
    }
    out.pop();
    out
}

/// One command in full: usage line, what it does, its arguments and its
/// options with their values, documented choices and defaults.
pub fn command_reference(c: &CliCommand) -> String {
    let mut out = format!("`{}`\n\n{}", c.usage(), c.description);
    if !c.args.is_empty() {
        out.push_str("\n\n| Argument | Value | What it is |\n| --- | --- | --- |");
        for a in c.args {
            let _ = write!(
                out,
                "\n| `{}` | {} | {} |",
                a.name,
                value(a),
                escape_cell(a.description)
            );
        }
    }
    if !c.options.is_empty() {
        out.push_str("\n\n| Option | Value | Default | What it does |\n| --- | --- | --- | --- |");
        for o in c.options {
            let names: Vec<String> = o.spellings.iter().map(|s| format!("`{s}`")).collect();
            let _ = write!(
                out,
                "\n| {} | {} | {} | {} |",
                names.join(", "),
                value(o),
                default(o),
                escape_cell(o.description)
            );
        }
    }
    out
}

/// "text", "path, required", "one of `a`, `b`", "switch", "text, repeatable".
fn value(p: &CliParam) -> String {
    let mut parts = Vec::new();
    match p.choices {
        Some(choices) => parts.push(format!(
            "one of {}",
            choices
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        None => parts.push(
            match p.value_type.split_whitespace().next().unwrap_or("") {
                "TEXT" => "text",
                "PATH" => "path",
                "INTEGER" => "whole number",
                "FLOAT" => "number",
                "FLAG" => "switch",
                other => other,
            }
            .to_string(),
        ),
    }
    if p.required {
        parts.push("required".to_string());
    }
    if p.multiple {
        parts.push("repeatable".to_string());
    }
    parts.join(", ")
}

fn default(p: &CliParam) -> String {
    match p.default_value() {
        None => String::new(),
        Some(_) if !p.takes_value => match p.default {
            Some("True") => "on".to_string(),
            Some("False") => "off".to_string(),
            _ => String::new(),
        },
        Some("") => "`\"\"`".to_string(),
        Some(d) => format!("`{}`", d.replace('|', "\\|")),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn escape_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::{SubscriptionState, canon};

    #[test]
    fn a_rendered_boundary_carries_all_required_language() {
        let c = canon();
        for b in c.boundaries {
            let text = whole_boundary(c, b).to_lowercase();
            for r in c.required_language {
                assert!(
                    r.phrases.iter().any(|p| text.contains(&p.to_lowercase())),
                    "the rendered {} lacks a {}",
                    b.id,
                    r.what
                );
            }
        }
    }

    #[test]
    fn states_table_lists_every_term_in_order() {
        let table = states_table(&SubscriptionState::VOCABULARY);
        let rows: Vec<&str> = table.lines().skip(2).collect();
        assert_eq!(rows.len(), SubscriptionState::ALL.len());
        for (row, term) in rows.iter().zip(SubscriptionState::ALL) {
            assert!(row.starts_with(&format!("| `{term}` | ")), "{row}");
            assert!(row.contains(term.meaning()));
        }
        assert!(table.starts_with("| Subscription state | Meaning |"));
    }

    #[test]
    fn whole_boundary_has_every_section_and_the_synthetic_rule() {
        let c = canon();
        let b = c.boundary("billing-subscription").unwrap();
        let out = whole_boundary(c, b);
        for kind in b.sections() {
            if kind != SectionKind::Notice {
                assert!(out.contains(c.lead_in(kind)));
                for item in b.items(kind) {
                    assert!(
                        out.contains(&format!("- {}\n", item.text)) || out.ends_with(item.text)
                    );
                }
            }
        }
        assert!(out.contains(c.lead_ins.synthetic));
        assert!(out.starts_with("> "));
    }

    #[test]
    fn a_cli_group_table_has_one_row_per_command() {
        let c = canon();
        let table = cli_group(c.cli, "policy");
        let rows: Vec<&str> = table.lines().skip(2).collect();
        assert_eq!(rows.len(), c.cli.group("policy").count());
        assert!(
            rows.contains(&"| `policy validate` | `cavra policy validate PATH` | Checks a policy file or pack folder against CAVRA's JSON Schema. |"),
            "{table}"
        );
        assert!(
            cli_group(c.cli, "evaluate").contains("`cavra evaluate [OPTIONS] ACTION_TYPE TARGET`")
        );
    }

    #[test]
    fn a_command_reference_lists_arguments_options_and_choices() {
        let c = canon();
        let out = command_reference(c.cli.command("evaluate").unwrap());
        assert!(out.starts_with("`cavra evaluate [OPTIONS] ACTION_TYPE TARGET`\n\n"));
        assert!(out.contains("| `ACTION_TYPE` | one of `read_file`, `write_file`, `execute_command`, `git_operation`, `mcp_tool_call`, required |"), "{out}");
        assert!(out.contains("| `--policy-mode` | one of `audit_only`, `enforce`, `strict`, `break_glass` | `enforce` |"), "{out}");
        assert!(out.contains("| `--json` | switch | off |"), "{out}");
        let mcp = command_reference(c.cli.command("cavra-mcp-server").unwrap());
        assert!(mcp.contains("| `--help`, `-h` | switch |"), "{mcp}");
        assert!(!mcp.contains("| Argument |"));
    }
}

//! The logic of the `unknown-command` rule: find `cavra …` and
//! `cavra-mcp-server …` invocations in a piece of code and check each
//! against the canon's CLI surface ([`crate::canon::cli`]).
//!
//! This module is pure: it reads a string and answers problems with byte
//! ranges into that string. It knows nothing of pages, suppressions or
//! levels; the checker turns a [`CliProblem`] into a finding.
//!
//! An invocation is a simple command whose program word is `cavra` or
//! `cavra-mcp-server` (or a path ending in one): at the start of a line or
//! of a shell prompt (`$ `), after `&&`, `||`, `|`, `;`, `(`, `$(` or a
//! backtick, and after leading `NAME=value` assignments and `sudo`, `env`,
//! `time`, `exec`, `command` or `nohup`. The words after it are split the
//! way a shell would (quotes, `\` escapes and line continuations, `#`
//! comments, redirections), then walked down the command tree:
//!
//! - a word where a subcommand belongs must be a subcommand;
//! - an option must belong to the command (`--name=value` is split);
//! - a value of an option or argument with documented values must be one of
//!   them.
//!
//! Placeholders are accepted wherever a word is: `<target>`, `ACTION_TYPE`,
//! `$VAR`, `"${PACK}"`, `...`, `[OPTIONS]`. A placeholder where a subcommand
//! belongs ends the check of that invocation. `--help` (and `-h`) is
//! accepted everywhere. Quoted arguments are taken as written.
//!
//! In a shell block that uses `$ ` prompts, only prompt lines (and their
//! `\` continuations) are commands: the other lines are output.

use std::borrow::Cow;
use std::ops::Range;

use super::Rule;
use crate::check::facts::PageFacts;
use crate::diagnostic::{Level, RuleDoc, RuleMeta, RuleOut};
use crate::model::{Cli, CliCommand, CliParam};
use crate::suggest;

pub static META: RuleMeta = RuleMeta {
    id: "unknown-command",
    default: Level::Deny,
    doc: RuleDoc {
        what: WHAT,
        why: WHY,
        example: EXAMPLE,
        fix: FIX,
    },
};

pub struct UnknownCommand;

impl Rule for UnknownCommand {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_page(&self, facts: &PageFacts<'_, '_>, out: &mut RuleOut<'_>) {
        let page = facts.page;
        for cb in &page.code_blocks {
            let code = &page.src[cb.content.clone()];
            let at = cb.content.start;
            if is_shell_language(&cb.lang) {
                for p in check_invocations(code, true) {
                    let r = out.report(at + p.range.start..at + p.range.end, p.message);
                    r.help = p.help;
                }
                continue;
            }
            // Any other block (text, none, a transcript): only the lines
            // that start a command.
            for line in command_lines(code) {
                for p in check_invocations(&code[line.clone()], true) {
                    let s = at + line.start;
                    let r = out.report(s + p.range.start..s + p.range.end, p.message);
                    r.help = p.help;
                }
            }
        }
        for code in &page.codes {
            if code.directive.is_some() {
                continue;
            }
            let at = code.content.start;
            for p in check_invocations(page.code_text(code), false) {
                let r = out.report(at + p.range.start..at + p.range.end, p.message);
                r.help = p.help;
            }
        }
    }
}

/// What the rule finds, for `mdbook-cavra explain unknown-command`.
pub const WHAT: &str = "A `cavra …` or `cavra-mcp-server …` invocation, in a shell code block, in \
a `$ cavra …` or `cavra …` line of any other fenced block (text, none, a transcript; the lines \
after a prompt line are its output and are not read), or in inline code, that CAVRA does not accept: a subcommand that does not exist (`cavra policy lint`, \
`cavra serve`), an option the command does not have (`cavra evaluate --request`, `cavra --config`), \
or a value outside an option's or argument's documented values (`--policy-mode shadow`). \
Placeholders (`<target>`, `ACTION_TYPE`, `$VAR`, `...`) and quoted arguments are accepted.";

/// Why it matters.
pub const WHY: &str = "Readers copy commands. An invented command or flag fails at the first \
try, and a wrong value (for example a policy mode CAVRA does not document) can look like it works. \
The canon holds every real command, argument and option of CAVRA's CLI with its documented values, \
so the guide can be checked against it instead of against memory.";

/// An example the rule flags.
pub const EXAMPLE: &str = "```console
$ cavra policy lint policies/
$ cavra evaluate --request request.json
$ cavra evaluate execute_command \"terraform apply\" --policy-mode shadow
```";

/// How to fix what it finds.
pub const FIX: &str = "Use the command, option or value the hint names, or look the command up \
with `{{#cavra-cli GROUP}}` / `{{#cavra-command \"GROUP COMMAND\"}}`. For a command CAVRA does not \
have, describe what the product really offers instead of inventing a flag. Write parts the reader \
fills in as placeholders (`<pack-dir>`, `TARGET`).";

/// In a code block of a language that is not a shell (```` ```text ````,
/// no language, a transcript), the lines that run a program of the CLI:
/// `$ cavra …` prompt lines, or, in a block without prompts, lines that
/// start with the program word followed by a word (`cavra policy list`,
/// not `cavra 1.0.0`, the output of `cavra version`). Each comes with its
/// `\` continuation lines. Every other line is output or prose.
pub fn command_lines(code: &str) -> Vec<Range<usize>> {
    let cli = crate::canon::cli();
    if !cli.programs.iter().any(|p| names_program(code, p)) {
        return Vec::new();
    }
    let mut lines = Vec::new();
    let mut at = 0;
    for line in code.split_inclusive('\n') {
        lines.push(at..at + line.len());
        at += line.len();
    }
    let prompted = |l: &str| l.trim_start().starts_with("$ ");
    let has_prompts = lines.iter().any(|r| prompted(&code[r.clone()]));
    let starts_command = |l: &str| {
        let t = l.trim_start();
        let t = if has_prompts {
            match t.strip_prefix("$ ") {
                Some(rest) => rest.trim_start(),
                None => return false,
            }
        } else {
            t
        };
        cli.programs.iter().any(|p| {
            t.strip_prefix(p).is_some_and(|rest| {
                let rest = rest.trim_end_matches(['\n', '\r']);
                rest.is_empty()
                    || rest.strip_prefix([' ', '\t']).is_some_and(|w| {
                        let w = w.trim_start();
                        w.is_empty()
                            || w.starts_with(|c: char| {
                                c.is_ascii_alphabetic() || c == '-' || c == '<' || c == '['
                            })
                    })
            })
        })
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if starts_command(&code[lines[i].clone()]) {
            let start = lines[i].start;
            let mut end = lines[i].end;
            while i + 1 < lines.len() && continues(&code[lines[i].clone()]) {
                i += 1;
                end = lines[i].end;
            }
            out.push(start..end);
        }
        i += 1;
    }
    out
}

/// Every command path of a CLI surface, for lookups by the words written:
/// `"cavra approval"` → `approval` (a prefix of some command) and
/// `"cavra approval list"` → the command.
#[derive(Clone)]
struct Index {
    prefixes: rustc_hash::FxHashMap<String, &'static str>,
    exact: rustc_hash::FxHashMap<String, &'static CliCommand>,
}

static CANON_INDEX: std::sync::LazyLock<Index> =
    std::sync::LazyLock::new(|| Index::build(crate::canon::cli()));

impl Index {
    fn build(cli: &Cli) -> Index {
        let mut prefixes = rustc_hash::FxHashMap::default();
        let mut exact = rustc_hash::FxHashMap::default();
        for c in cli.commands {
            for n in 1..=c.path.len() {
                prefixes
                    .entry(line_of(c.program, &c.path[..n]))
                    .or_insert(c.path[n - 1]);
            }
            exact.insert(line_of(c.program, c.path), c);
        }
        Index { prefixes, exact }
    }

    /// The canon's index, built once; another surface (tests) gets its own.
    fn of(cli: &Cli) -> std::borrow::Cow<'static, Index> {
        if std::ptr::eq(cli, crate::canon::cli()) {
            std::borrow::Cow::Borrowed(&*CANON_INDEX)
        } else {
            std::borrow::Cow::Owned(Index::build(cli))
        }
    }
}

/// `program path…` joined by spaces.
fn line_of(program: &str, path: &[&str]) -> String {
    let mut s = String::from(program);
    for p in path {
        s.push(' ');
        s.push_str(p);
    }
    s
}

/// One thing wrong with an invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliProblem {
    /// Byte offsets, in the checked code, of the word at fault.
    pub range: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

/// Whether a code block's info string names a shell language whose blocks
/// hold commands (`sh`, `bash`, `console`, …). Only the first word counts
/// (`bash title="x"` is `bash`).
pub fn is_shell_language(info: &str) -> bool {
    let lang = info
        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or("")
        .trim_start_matches('.')
        .to_ascii_lowercase();
    matches!(
        lang.as_str(),
        "sh" | "bash"
            | "zsh"
            | "shell"
            | "console"
            | "shell-session"
            | "shellsession"
            | "terminal"
            | "fish"
            | "ksh"
    )
}

/// Check every invocation in `code` against the canon's CLI.
///
/// `is_shell_block` is true for the text of a shell code block and false
/// for the text of an inline code span. In a span, `a|b` written without
/// spaces is a list of alternatives (`--policy-mode audit_only|enforce`),
/// not a pipe.
pub fn check_invocations(code: &str, is_shell_block: bool) -> Vec<CliProblem> {
    if is_shell_block || code.len() > 256 {
        return check_with(crate::canon::cli(), code, is_shell_block);
    }
    // A book writes the same short commands in inline code on page after
    // page, and the answer depends on the text alone: remembered per
    // thread, for a bounded number of texts.
    thread_local! {
        static SEEN: crate::memo::Table<Vec<CliProblem>> = Default::default();
    }
    crate::memo::remembered(&SEEN, code, || check_with(crate::canon::cli(), code, false))
}

/// [`check_invocations`] against a given CLI surface.
pub fn check_with(cli: &Cli, code: &str, is_shell_block: bool) -> Vec<CliProblem> {
    let mut problems = Vec::new();
    for cmd in commands(cli, code, is_shell_block) {
        walk(cli, &cmd, !is_shell_block, &mut problems);
    }
    problems
}

/// The byte range of the program word of every invocation in `code`, for
/// counting how many invocations a page holds.
pub fn invocations(code: &str, is_shell_block: bool) -> Vec<Range<usize>> {
    let cli = crate::canon::cli();
    commands(cli, code, is_shell_block)
        .into_iter()
        .map(|c| c.words[c.program].range.clone())
        .collect()
}

/// A word of a command line.
#[derive(Debug, Clone)]
struct Word<'c> {
    /// The text with quotes and escapes removed: the code itself while the
    /// word has neither (most words), a copy once it has.
    text: Cow<'c, str>,
    /// Where it is in the code, quotes included.
    range: Range<usize>,
    /// Any part of it was quoted.
    quoted: bool,
    /// It holds a `$` expansion outside single quotes.
    expands: bool,
    /// Follows a redirection operator: a file name, not an argument.
    redirect: bool,
}

/// One simple command that invokes a known program.
struct Invocation<'c> {
    words: Vec<Word<'c>>,
    /// Index of the program word.
    program: usize,
    /// The program's name (`cavra`).
    name: &'static str,
}

/// Split `code` into simple commands and keep those that run a program of
/// the CLI.
fn commands<'c>(cli: &Cli, code: &'c str, is_shell_block: bool) -> Vec<Invocation<'c>> {
    let mut out = Vec::new();
    // Most code never names a program of the CLI as a word of its own, and
    // need not be split like a shell line at all.
    if !cli.programs.iter().any(|p| names_program(code, p)) {
        return out;
    }
    for region in regions(code, is_shell_block) {
        for words in split(code, region, !is_shell_block) {
            if let Some(inv) = invocation(cli, words) {
                out.push(inv);
            }
        }
    }
    out
}

/// Whether `program` appears in `code` as a word that could be a program
/// word: not inside a longer name (`mdbook-cavra`, `cavra.example.com`,
/// `cavra_url`), though a path may lead to it (`./bin/cavra`). A program
/// word spelled with quotes or escapes inside it (`ca"vra"`) is not seen.
fn names_program(code: &str, program: &str) -> bool {
    let bytes = code.as_bytes();
    let joins = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
    // Most of this code is short (inline code), too short to pay for
    // setting up a substring searcher.
    let Some(&first) = program.as_bytes().first() else {
        return false;
    };
    memchr::memchr_iter(first, bytes).any(|at| {
        let end = at + program.len();
        bytes[at..].starts_with(program.as_bytes())
            && (at == 0 || !joins(bytes[at - 1]))
            && bytes.get(end).is_none_or(|&b| !joins(b))
    })
}

/// The parts of `code` that are command text.
fn regions(code: &str, is_shell_block: bool) -> Vec<Range<usize>> {
    if !is_shell_block {
        let start = code.len() - code.trim_start().len();
        let rest = &code[start..];
        let skip = if rest.starts_with("$ ") { 2 } else { 0 };
        return std::iter::once(start + skip..code.len()).collect();
    }
    let mut lines = Vec::new();
    let mut at = 0;
    for line in code.split_inclusive('\n') {
        lines.push(at..at + line.len());
        at += line.len();
    }
    let prompt = |r: &Range<usize>| {
        let l = &code[r.clone()];
        let t = l.trim_start();
        (t.starts_with("$ ") || t.trim_end() == "$").then(|| r.start + (l.len() - t.len()) + 1)
    };
    if !lines.iter().any(|l| prompt(l).is_some()) {
        return std::iter::once(0..code.len()).collect();
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if let Some(start) = prompt(&lines[i]) {
            let mut end = lines[i].end;
            while i + 1 < lines.len() && continues(&code[lines[i].clone()]) {
                i += 1;
                end = lines[i].end;
            }
            out.push(start..end);
        }
        i += 1;
    }
    out
}

/// A line that ends with a `\` continuation.
fn continues(line: &str) -> bool {
    line.trim_end_matches(['\n', '\r']).ends_with('\\')
}

/// Split a region into simple commands, each a list of words.
fn split<'c>(code: &'c str, region: Range<usize>, inline: bool) -> Vec<Vec<Word<'c>>> {
    let text = &code[region.clone()];
    let base = region.start;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut commands: Vec<Vec<Word<'c>>> = vec![Vec::new()];
    let mut word: Option<Word<'c>> = None;
    // A character as written, at `at` in the region: the word's text is
    // still a slice of the code if it was one, a copy grows otherwise.
    let push_raw = |w: &mut Word<'c>, c: char, at: usize| {
        w.range.end = base + at + c.len_utf8();
        match &mut w.text {
            Cow::Borrowed(t) => *t = &code[w.range.clone()],
            Cow::Owned(t) => t.push(c),
        }
    };
    let mut redirect_next = false;

    fn finish<'c>(
        word: &mut Option<Word<'c>>,
        commands: &mut [Vec<Word<'c>>],
        redirect_next: &mut bool,
    ) {
        if let Some(mut w) = word.take() {
            w.redirect = std::mem::take(redirect_next);
            commands.last_mut().unwrap().push(w);
        }
    }
    let start_word = |word: &mut Option<Word>, at: usize| {
        if word.is_none() {
            *word = Some(Word {
                text: Cow::Borrowed(""),
                range: base + at..base + at,
                quoted: false,
                expands: false,
                redirect: false,
            });
        }
    };

    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let next = chars.get(i + 1).map(|&(_, c)| c);
        let end_of = |j: usize| chars.get(j).map_or(text.len(), |&(a, _)| a);
        match c {
            '\\' if matches!(next, Some('\n'))
                || (next == Some('\r') && chars.get(i + 2).map(|p| p.1) == Some('\n')) =>
            {
                finish(&mut word, &mut commands, &mut redirect_next);
                i += if next == Some('\r') { 3 } else { 2 };
                continue;
            }
            '\\' => {
                start_word(&mut word, at);
                let w = word.as_mut().unwrap();
                w.quoted = true;
                if let Some(n) = next {
                    w.text.to_mut().push(n);
                    i += 1;
                }
                w.range.end = base + end_of(i + 1);
            }
            ' ' | '\t' | '\r' => finish(&mut word, &mut commands, &mut redirect_next),
            '\n' | ';' | '(' | ')' | '`' => {
                finish(&mut word, &mut commands, &mut redirect_next);
                commands.push(Vec::new());
            }
            '&' => {
                finish(&mut word, &mut commands, &mut redirect_next);
                commands.push(Vec::new());
            }
            '|' if inline
                && word.is_some()
                && next.is_some_and(|n| !n.is_whitespace() && n != '|') =>
            {
                push_raw(word.as_mut().unwrap(), '|', at);
            }
            '|' => {
                finish(&mut word, &mut commands, &mut redirect_next);
                commands.push(Vec::new());
            }
            '#' if word.is_none() => {
                // A comment runs to the end of the line.
                while i < chars.len() && chars[i].1 != '\n' {
                    i += 1;
                }
                continue;
            }
            '$' if next == Some('(') => {
                finish(&mut word, &mut commands, &mut redirect_next);
                commands.push(Vec::new());
                i += 2;
                continue;
            }
            '<' | '>' if !is_placeholder_bracket(&chars, i) => {
                // A redirection: a number right before it is a descriptor,
                // `>&1` names one, and the next word is a file.
                if let Some(w) = &word
                    && !w.quoted
                    && w.text.chars().all(|c| c.is_ascii_digit())
                {
                    word = None;
                }
                finish(&mut word, &mut commands, &mut redirect_next);
                let mut j = i + 1;
                while j < chars.len() && matches!(chars[j].1, '>' | '<' | '&' | '|') {
                    j += 1;
                }
                if chars.get(j - 1).map(|p| p.1) == Some('&') {
                    while j < chars.len() && (chars[j].1.is_ascii_digit() || chars[j].1 == '-') {
                        j += 1;
                    }
                } else {
                    redirect_next = true;
                }
                i = j;
                continue;
            }
            '\'' | '"' => {
                start_word(&mut word, at);
                let w = word.as_mut().unwrap();
                w.quoted = true;
                let mut j = i + 1;
                while j < chars.len() && chars[j].1 != c {
                    let ch = chars[j].1;
                    if c == '"' && ch == '\\' && j + 1 < chars.len() {
                        j += 1;
                        w.text.to_mut().push(chars[j].1);
                    } else {
                        if c == '"' && ch == '$' {
                            w.expands = true;
                        }
                        w.text.to_mut().push(ch);
                    }
                    j += 1;
                }
                i = j;
                w.range.end = base + end_of(i + 1);
            }
            _ => {
                start_word(&mut word, at);
                let w = word.as_mut().unwrap();
                if c == '$' {
                    w.expands = true;
                }
                push_raw(w, c, at);
            }
        }
        i += 1;
    }
    finish(&mut word, &mut commands, &mut redirect_next);
    commands.retain(|c| !c.is_empty());
    commands
}

/// `<` that opens a `<placeholder>` closed on the same word, or `>` that
/// closes one.
fn is_placeholder_bracket(chars: &[(usize, char)], i: usize) -> bool {
    let word_char = |c: char| !c.is_whitespace() && !matches!(c, ';' | '|' | '&' | '(' | ')');
    match chars[i].1 {
        '<' => {
            let mut j = i + 1;
            if !chars
                .get(j)
                .is_some_and(|p| p.1.is_alphanumeric() || matches!(p.1, '_' | '-' | '.'))
            {
                return false;
            }
            while j < chars.len() && word_char(chars[j].1) && chars[j].1 != '<' {
                if chars[j].1 == '>' {
                    return true;
                }
                j += 1;
            }
            false
        }
        _ => {
            let mut j = i;
            while j > 0 && word_char(chars[j - 1].1) {
                j -= 1;
                if chars[j].1 == '<' {
                    return is_placeholder_bracket(chars, j);
                }
                if chars[j].1 == '>' {
                    return false;
                }
            }
            false
        }
    }
}

/// Words that run another program given after them.
const WRAPPERS: [&str; 6] = ["sudo", "env", "time", "exec", "command", "nohup"];

/// The invocation a simple command makes, if its program is in the CLI.
fn invocation<'c>(cli: &Cli, words: Vec<Word<'c>>) -> Option<Invocation<'c>> {
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let assignment = !w.quoted
            && w.text.split_once('=').is_some_and(|(name, _)| {
                !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !name.starts_with(|c: char| c.is_ascii_digit())
            });
        if assignment || (!w.quoted && WRAPPERS.contains(&&*w.text)) {
            i += 1;
        } else {
            break;
        }
    }
    let w = words.get(i)?;
    if w.quoted || w.redirect {
        return None;
    }
    let base = w.text.rsplit('/').next().unwrap_or(&w.text);
    let name = cli.programs.iter().copied().find(|p| *p == base)?;
    Some(Invocation {
        words,
        program: i,
        name,
    })
}

/// A word the reader fills in.
fn is_placeholder(w: &Word) -> bool {
    let t = &*w.text;
    w.expands
        || (t.contains('<') && t.contains('>'))
        || crate::text::contains(t, "...")
        || t.contains('…')
        || t.starts_with('[')
        || t.starts_with('{')
        || is_upper_name(t.trim_start_matches('-'))
}

/// `ACTION_TYPE`, `PACK_ID`, `FILE`: an upper-case name (two letters at
/// least), as CLI usage lines write what the reader supplies.
fn is_upper_name(t: &str) -> bool {
    t.len() >= 2
        && t.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && t.chars().any(|c| c.is_ascii_uppercase())
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | '.'))
}

/// An option word, with `[`…`]` of an optional part stripped: its name,
/// the range of the name, and a `=value` part with its range.
struct OptionWord {
    name: String,
    range: Range<usize>,
    value: Option<(String, Range<usize>)>,
}

fn option_word(w: &Word) -> Option<OptionWord> {
    let stripped = w.text.trim_start_matches('[');
    let lead = w.text.len() - stripped.len();
    let stripped = stripped.trim_end_matches(']');
    if !stripped.starts_with('-') || stripped == "-" {
        return None;
    }
    // Ranges map onto the source only when the word has no quotes or escapes.
    let exact = !w.quoted;
    let at = |off: usize| {
        if exact {
            w.range.start + off
        } else {
            w.range.start
        }
    };
    let (name, value) = match stripped.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (stripped, None),
    };
    let name_range = if exact {
        at(lead)..at(lead + name.len())
    } else {
        w.range.clone()
    };
    let value = value.map(|v| {
        let start = lead + name.len() + 1;
        let range = if exact {
            at(start)..at(start + v.len())
        } else {
            w.range.clone()
        };
        (v.to_string(), range)
    });
    Some(OptionWord {
        name: name.to_string(),
        range: name_range,
        value,
    })
}

const HELP: [&str; 2] = ["--help", "-h"];

/// Walk one invocation down the command tree.
fn walk(cli: &Cli, inv: &Invocation, inline: bool, problems: &mut Vec<CliProblem>) {
    let program = inv.name;
    let words: Vec<&Word> = inv.words[inv.program + 1..]
        .iter()
        .filter(|w| !w.redirect)
        .collect();
    let mut path: Vec<&str> = Vec::new();
    let index = Index::of(cli);
    let mut command = index.exact.get(program).copied();
    let mut i = 0;
    // Find the command.
    while command.is_none() {
        let Some(w) = words.get(i) else { return };
        i += 1;
        if let Some(o) = option_word(w) {
            if HELP.contains(&o.name.as_str()) || is_placeholder(w) {
                return;
            }
            let prefix = std::iter::once(program)
                .chain(path.iter().copied())
                .collect::<Vec<_>>()
                .join(" ");
            let help = if o.name == "--version" && path.is_empty() {
                format!("did you mean `{program} version`?")
            } else {
                format!("options go after the command; `{prefix}` itself takes only `--help`")
            };
            problems.push(CliProblem {
                range: o.range,
                message: format!("`{prefix}` has no option `{}`", o.name),
                help: Some(help),
            });
            return;
        }
        if is_placeholder(w) || w.quoted {
            return;
        }
        // Is `w` a subcommand here? One lookup in the index of command
        // paths; the full list of subcommands is built only for the hint of
        // an unknown one.
        let mut key = line_of(program, &path);
        key.push(' ');
        key.push_str(&w.text);
        let Some(&child) = index.prefixes.get(key.as_str()) else {
            let children = cli.children(program, &path);
            problems.push(unknown_command(cli, program, &path, &children, w));
            return;
        };
        path.push(child);
        command = index.exact.get(key.as_str()).copied();
    }
    let Some(command) = command else { return };

    // Its arguments and options.
    let mut positional = 0;
    let mut check_positionals = true;
    let mut options_end = false;
    while let Some(w) = words.get(i) {
        i += 1;
        let option = if options_end { None } else { option_word(w) };
        let Some(o) = option else {
            if check_positionals && !is_placeholder(w) {
                let arg = command
                    .args
                    .get(positional)
                    .or_else(|| command.args.last().filter(|a| a.multiple));
                if let Some(arg) = arg {
                    check_value(
                        command,
                        arg,
                        arg.name,
                        &w.text,
                        w.range.clone(),
                        inline,
                        problems,
                    );
                }
            }
            positional += 1;
            continue;
        };
        if o.name == "--" && o.value.is_none() {
            options_end = true;
            continue;
        }
        if HELP.contains(&o.name.as_str()) || is_placeholder(w) {
            continue;
        }
        match command.option(&o.name) {
            Some(param) if param.takes_value => {
                let value = match o.value {
                    Some(v) => Some(v),
                    None => match words.get(i) {
                        Some(next) if option_word(next).is_none() => {
                            i += 1;
                            (!is_placeholder(next))
                                .then(|| (next.text.to_string(), next.range.clone()))
                        }
                        _ => None,
                    },
                };
                if let Some((text, range)) = value
                    && !text.contains('<')
                {
                    check_value(command, param, &o.name, &text, range, inline, problems);
                }
            }
            Some(_) => {
                if let Some((_, range)) = o.value {
                    problems.push(CliProblem {
                        range,
                        message: format!("`{}` takes no value", o.name),
                        help: Some(format!("write `{}` alone; it is a switch", o.name)),
                    });
                }
            }
            None => {
                problems.push(unknown_option(command, &o));
                // Whatever it was meant to take is not an argument.
                check_positionals = false;
                if o.value.is_none() && words.get(i).is_some_and(|next| option_word(next).is_none())
                {
                    i += 1;
                }
            }
        }
    }
}

fn unknown_command(
    cli: &Cli,
    program: &str,
    path: &[&str],
    children: &[&'static str],
    w: &Word,
) -> CliProblem {
    let prefix = std::iter::once(program)
        .chain(path.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    let help = if let Some(near) = suggest::closest(&w.text, children.iter().copied()) {
        format!("did you mean `{prefix} {near}`?")
    } else if w.text.contains("mcp") && cli.programs.contains(&"cavra-mcp-server") {
        "CAVRA's MCP server is a separate program: `cavra-mcp-server`".to_string()
    } else if children.len() <= 25 {
        format!(
            "`{prefix}` takes {}",
            suggest::list(children.iter().copied())
        )
    } else {
        format!(
            "`{prefix}` has {} commands; `{{{{#cavra-cli {}}}}}` lists them",
            children.len(),
            path.first().unwrap_or(&program)
        )
    };
    CliProblem {
        range: w.range.clone(),
        message: format!("unknown command `{prefix} {}`", w.text),
        help: Some(help),
    }
}

fn unknown_option(command: &CliCommand, o: &OptionWord) -> CliProblem {
    let spellings: Vec<&str> = command
        .options
        .iter()
        .flat_map(|p| p.spellings.iter().copied())
        .filter(|s| s.starts_with("--"))
        .collect();
    let help = match suggest::closest(&o.name, spellings.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None if spellings.is_empty() => format!("`{}` takes no options", command.line),
        None if spellings.len() <= 12 => {
            format!(
                "`{}` takes {}",
                command.line,
                suggest::list(spellings.iter().copied())
            )
        }
        None => format!(
            "`{{{{#cavra-command \"{}\"}}}}` lists its {} options",
            command.name,
            command.options.len()
        ),
    };
    CliProblem {
        range: o.range.clone(),
        message: format!("`{}` has no option `{}`", command.line, o.name),
        help: Some(help),
    }
}

/// A value given to `param` (named `label`) must be one of its documented
/// values. In inline code `a|b` lists alternatives; each is checked.
fn check_value(
    command: &CliCommand,
    param: &CliParam,
    label: &str,
    text: &str,
    range: Range<usize>,
    inline: bool,
    problems: &mut Vec<CliProblem>,
) {
    let Some(choices) = param.choices else { return };
    let parts: Vec<&str> = if inline {
        text.split('|').collect()
    } else {
        vec![text]
    };
    let one_part = parts.len() == 1;
    let mut at = 0;
    for part in parts {
        let start = at;
        at += part.len() + 1;
        if part.is_empty() || choices.contains(&part) || is_upper_name(part) || part.contains('<') {
            continue;
        }
        // A repeatable option such as `--provider` may list values.
        if param.multiple && part.split(',').all(|p| choices.contains(&p)) {
            continue;
        }
        let exact = range.len() == text.len();
        let part_range = if exact && !one_part {
            range.start + start..range.start + start + part.len()
        } else {
            range.clone()
        };
        let list = suggest::list(choices.iter().copied());
        let help = match suggest::closest(part, choices.iter().copied()) {
            Some(near) => format!("did you mean `{near}`? `{label}` takes {list}"),
            None => format!("`{label}` takes {list}"),
        };
        problems.push(CliProblem {
            range: part_range,
            message: format!(
                "`{part}` is not a documented value of `{label}` of `{}`",
                command.line
            ),
            help: Some(help),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(code: &str, shell: bool) -> Vec<(String, String, Option<String>)> {
        check_invocations(code, shell)
            .into_iter()
            .map(|p| (code[p.range].to_string(), p.message, p.help))
            .collect()
    }

    fn clean(code: &str, shell: bool) {
        let found = problems(code, shell);
        assert!(found.is_empty(), "{code:?}: {found:#?}");
    }

    #[test]
    fn an_invented_command_is_reported_with_the_nearest_real_one() {
        let p = problems("$ cavra policy lnit\n", true);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, "lnit");
        assert_eq!(p[0].1, "unknown command `cavra policy lnit`");
        assert_eq!(p[0].2.as_deref(), Some("did you mean `cavra policy init`?"));

        let p = problems("cavra agent wrap git --agent repo-helper", true);
        assert_eq!(p[0].0, "wrap");
        assert!(p[0].2.as_deref().unwrap().contains("`start`"), "{p:?}");

        let p = problems("cavra serve", false);
        assert_eq!(p[0].1, "unknown command `cavra serve`");
        let p = problems("cavra agent mcp-gateway --listen 127.0.0.1:9000", true);
        assert_eq!(
            p[0].2.as_deref(),
            Some("CAVRA's MCP server is a separate program: `cavra-mcp-server`")
        );
        let p = problems("cavra release publish", true);
        assert!(
            p[0].2
                .as_deref()
                .unwrap()
                .contains("{{#cavra-cli release}}"),
            "{p:?}"
        );
    }

    #[test]
    fn an_invented_option_is_reported_with_the_nearest_real_one() {
        let p = problems(
            "cavra evaluate --policy-pak baseline read_file README.md",
            true,
        );
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, "--policy-pak");
        assert_eq!(p[0].1, "`cavra evaluate` has no option `--policy-pak`");
        assert_eq!(p[0].2.as_deref(), Some("did you mean `--policy-pack`?"));

        // The value of an unknown option is not taken for an argument.
        let p = problems("cavra evaluate --request request.json", true);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].2.as_deref().unwrap().contains("`--policy-mode`"),
            "{p:?}"
        );

        let p = problems("cavra --config cavra.yaml policy list", true);
        assert_eq!(p[0].0, "--config");
        assert_eq!(p[0].1, "`cavra` has no option `--config`");
        let p = problems("cavra --version", false);
        assert_eq!(p[0].2.as_deref(), Some("did you mean `cavra version`?"));
        let p = problems("cavra evaluate read_file x --json=yes", true);
        assert_eq!(p[0].1, "`--json` takes no value");
    }

    #[test]
    fn a_value_outside_the_documented_choices_lists_them() {
        let p = problems(
            "cavra evaluate execute_command \"terraform apply\" --policy-mode shadow",
            true,
        );
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, "shadow");
        assert_eq!(
            p[0].1,
            "`shadow` is not a documented value of `--policy-mode` of `cavra evaluate`"
        );
        assert_eq!(
            p[0].2.as_deref(),
            Some("`--policy-mode` takes `audit_only`, `enforce`, `strict` or `break_glass`")
        );
        let p = problems("cavra evaluate read_file x --policy-mode=audit-only", true);
        assert_eq!(p[0].0, "audit-only");
        assert!(
            p[0].2
                .as_deref()
                .unwrap()
                .starts_with("did you mean `audit_only`?")
        );
        // Arguments have documented values too.
        let p = problems("cavra evaluate shell.exec 'rm -rf build'", true);
        assert_eq!(p[0].0, "shell.exec");
        // Alternatives in inline code are checked one by one.
        let p = problems(
            "cavra evaluate --policy-mode audit_only|enforce|shadow",
            false,
        );
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, "shadow");
    }

    #[test]
    fn real_commands_with_placeholders_are_clean() {
        for code in [
            "cavra evaluate ACTION_TYPE TARGET [--policy-pack] [--policy-mode] [--json]",
            "cavra evaluate <action-type> <target> --policy-pack <pack-id>",
            "cavra evaluate \"$ACTION\" \"$TARGET\" --policy-mode \"$MODE\"",
            "cavra policy validate <path>",
            "cavra policy describe PACK_ID",
            "cavra policy ...",
            "cavra <command> --help",
            "cavra evidence verify .cavra/evidence/latest --public-key keys/<name>.pem",
            "cavra evaluate read_file README.md --policy-mode audit_only|enforce|strict|break_glass",
            "cavra",
            "cavra policy",
            "cavra --help",
            "cavra -h",
            "cavra policy validate --help",
            "cavra version",
            "cavra-mcp-server --list-tools",
            "cavra-mcp-server -h",
            "cavra-mcp-server --check-command \"git push --force\"",
            "cavra demo before-the-agent-acts --output out/demo",
            "cavra init claude-code",
            "cavra evidence bundle --no-legal-hold --retention-days 30",
            "cavra approval export-notifications --provider slack",
        ] {
            clean(code, false);
            clean(code, true);
        }
    }

    #[test]
    fn quoted_arguments_are_taken_as_written() {
        clean(
            "$ cavra evaluate execute_command 'git push --force origin main' --json\n",
            true,
        );
        clean(
            "$ cavra agent exec --tool claude-code \"rm -rf / --no-preserve-root\"\n",
            true,
        );
        // A quoted option value is still a value.
        let p = problems("cavra evaluate read_file x --policy-mode \"shadow\"", true);
        assert_eq!(p[0].0, "\"shadow\"");
    }

    #[test]
    fn continuation_lines_comments_and_separators() {
        let code = "# check the pack first\ncavra policy validate policies/cavra-ai-agent-baseline \\\n  && cavra evaluate execute_command \"terraform apply\" \\\n     --policy-mode strcit \\\n     --json | jq .decision  # print the decision\n";
        let p = problems(code, true);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, "strcit");
        assert!(
            p[0].2
                .as_deref()
                .unwrap()
                .starts_with("did you mean `strict`?")
        );
        // Byte offsets point into the code, continuation included.
        let at = code.find("strcit").unwrap();
        assert_eq!(check_invocations(code, true)[0].range, at..at + 6);

        let p = problems("cd repo; cavra policy lst || cavra evidence shwo", true);
        assert_eq!(p.len(), 2, "{p:?}");
        let p = problems("VERSION=$(cavra versio)", true);
        assert_eq!(p[0].0, "versio");
        let p = problems(
            "CAVRA_POLICY_DIR=./policies sudo cavra policy lits 2>&1 > out.txt",
            true,
        );
        assert_eq!(p[0].0, "lits");
        let p = problems("echo cavra policy lint; pip install cavra", true);
        assert!(p.is_empty(), "not in command position: {p:?}");
        let p = problems(".venv/bin/cavra polcy list", true);
        assert_eq!(p[0].0, "polcy");
    }

    #[test]
    fn with_prompts_only_prompt_lines_are_commands() {
        let code = "$ cavra version\ncavra 1.0.0\n$ cavra policy list\ncavra-ai-agent-baseline  baseline pack\n$ cavra evaluate read_file \\\n    README.md --polcy-mode enforce\nblock\n";
        let p = problems(code, true);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, "--polcy-mode");
        assert_eq!(invocations(code, true).len(), 3);
    }

    #[test]
    fn shell_languages() {
        for info in [
            "sh",
            "bash",
            "console",
            "shell",
            "zsh",
            "bash title=\"x\"",
            "Console",
        ] {
            assert!(is_shell_language(info), "{info}");
        }
        for info in ["", "text", "json", "yaml", "toml", "python", "md"] {
            assert!(!is_shell_language(info), "{info}");
        }
    }

    #[test]
    fn odd_input_never_panics_and_ranges_slice() {
        for code in [
            "cavra \"unterminated",
            "cavra 'x",
            "cavra \\",
            "cavra evaluate --policy-mode",
            "cavra evaluate --policy-mode=",
            "$",
            "$ ",
            "cavra <",
            "cavra >",
            "cavra evaluate read_file Ü --policy-mode ünïcödé",
            "cavra évaluer",
            "cavra [--json",
            "cavra evaluate x y --policy-mode='a b'",
        ] {
            for shell in [true, false] {
                for p in check_invocations(code, shell) {
                    assert!(code.get(p.range.clone()).is_some(), "{code:?} {p:?}");
                }
            }
        }
    }
}

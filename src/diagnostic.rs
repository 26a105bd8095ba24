//! Findings and where they go: rule metadata, levels, located findings, and
//! the sinks rules write into.
//!
//! Rules never decide a severity: they write into a sink bound to their own
//! rule, and the configured [`Levels`] are applied here, once. Page rules
//! report byte ranges of the page; [`locate`] turns those into
//! `line:column` with a snippet. Book rules report at places located during
//! the page pass ([`Located`]).
//!
//! This module knows no rule and no canon: it sits below the checker.

use std::ops::Range;

use serde::Serialize;

use crate::markdown::LineIndex;

/// A rule's documentation, shown by `mdbook-cavra explain` and in SARIF.
#[derive(Debug, Clone, Copy)]
pub struct RuleDoc {
    pub what: &'static str,
    pub why: &'static str,
    pub example: &'static str,
    pub fix: &'static str,
}

/// What the engine knows about a rule: its stable id, default level and docs.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub default: Level,
    pub doc: RuleDoc,
}

impl PartialEq for RuleMeta {
    fn eq(&self, other: &RuleMeta) -> bool {
        self.id == other.id
    }
}

impl Eq for RuleMeta {}

impl RuleMeta {
    /// The documentation as `explain` prints it.
    pub fn explain(&self) -> String {
        let d = &self.doc;
        format!(
            "{id} (default: {level})\n\nWhat it finds\n  {what}\n\nWhy\n  {why}\n\nExample\n{example}\n\nFix\n  {fix}\n",
            id = self.id,
            level = self.default.as_str(),
            what = d.what,
            why = d.why,
            example = indent(d.example),
            fix = d.fix,
        )
    }
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a rule is set to in `book.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Deny,
    Warn,
    Allow,
}

impl Level {
    pub const NAMES: [&'static str; 3] = ["deny", "warn", "allow"];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Deny => "deny",
            Level::Warn => "warn",
            Level::Allow => "allow",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "deny" => Some(Level::Deny),
            "warn" => Some(Level::Warn),
            "allow" => Some(Level::Allow),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// The level of every rule of a registry, defaults overridden by `book.toml`.
#[derive(Debug, Clone)]
pub struct Levels {
    rules: &'static [&'static RuleMeta],
    levels: Vec<Level>,
}

impl Levels {
    /// Every rule at its default level.
    pub fn defaults(rules: &'static [&'static RuleMeta]) -> Levels {
        Levels {
            rules,
            levels: rules.iter().map(|r| r.default).collect(),
        }
    }

    /// The rules these levels are for, in registry order.
    pub fn rules(&self) -> &'static [&'static RuleMeta] {
        self.rules
    }

    fn index(&self, rule: &RuleMeta) -> usize {
        self.rules
            .iter()
            .position(|r| std::ptr::eq(*r, rule) || r.id == rule.id)
            .expect("a rule of this registry")
    }

    pub fn get(&self, rule: &RuleMeta) -> Level {
        self.levels[self.index(rule)]
    }

    pub fn set(&mut self, rule: &RuleMeta, level: Level) {
        let i = self.index(rule);
        self.levels[i] = level;
    }

    /// Whether findings of `rule` are kept at all.
    pub fn wants(&self, rule: &RuleMeta) -> bool {
        self.get(rule) != Level::Allow
    }

    pub fn severity(&self, rule: &RuleMeta) -> Severity {
        match self.get(rule) {
            Level::Deny => Severity::Error,
            _ => Severity::Warning,
        }
    }

    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&'static RuleMeta> {
        self.rules.iter().copied().find(|r| r.id == id)
    }
}

/// A place in a page, worked out from a byte offset.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Located {
    /// Relative to the book root, `/`-separated.
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// The source line (a window of it when very long).
    pub snippet: String,
    /// The span to underline, in bytes within `snippet`.
    pub span: Range<usize>,
    /// Byte offset in the page, for suppressions.
    pub offset: usize,
    /// Whether `snippet` is a window of a very long line (then its start is
    /// not the line's start, and `column` counts from the line's start).
    pub windowed: bool,
}

impl Located {
    /// The start of a page that was not read (or has nothing to show).
    pub fn page_start(path: &str, first_line: &str) -> Located {
        let snippet: String = first_line.chars().take(160).collect();
        Located {
            path: path.to_string(),
            line: 1,
            column: 1,
            span: 0..snippet.len(),
            snippet,
            offset: 0,
            windowed: false,
        }
    }
}

/// One problem at one place, ready for any report format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub at: Located,
    pub message: String,
    pub help: Option<String>,
    /// Related problems at the same place, shown as `= note:` lines.
    pub notes: Vec<String>,
    /// The edits that repair it, when the rule knows them (`fix`).
    pub fix: Option<Fix>,
}

/// Whether a fix may run without a person looking at it, as rustfix's
/// `Applicability` and ruff's fix safety say: a safe fix keeps the page's
/// meaning (a misspelling corrected, a stale comment removed); an unsafe
/// one may drop or change what the writer wrote (a hand-written list with
/// descriptions replaced by the directive's canonical table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Safe,
    Unsafe,
}

/// Which file an edit changes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// The page the finding is on.
    Page,
    /// The book's `book.toml`.
    BookToml,
}

/// One replacement: the bytes `range` of the target's text become
/// `replacement`. Every byte outside `range` stays as it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    #[serde(skip_serializing_if = "is_page")]
    pub target: Target,
    pub range: Range<usize>,
    pub replacement: String,
}

fn is_page(t: &Target) -> bool {
    *t == Target::Page
}

/// What repairs a finding: a one-line title, its applicability and its
/// edits (sorted, not overlapping).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix that replaces one range of the finding's page.
    pub fn replace(
        title: impl Into<String>,
        applicability: Applicability,
        range: Range<usize>,
        replacement: impl Into<String>,
    ) -> Fix {
        Fix {
            title: title.into(),
            applicability,
            edits: vec![Edit {
                target: Target::Page,
                range,
                replacement: replacement.into(),
            }],
        }
    }

    /// A fix that replaces a whole top-level block of `src` (a list or a
    /// table at `range`) with a block directive on a line of its own, blank
    /// lines around it as a block directive needs. `None` when the block
    /// does not start a line (it sits in a quote or a list item): the
    /// directive would have to carry the container's marks.
    pub fn block(
        title: impl Into<String>,
        applicability: Applicability,
        src: &str,
        range: Range<usize>,
        directive: &str,
    ) -> Option<Fix> {
        let body = src.get(range.clone())?;
        let before = &src[..range.start];
        let line_start = before.is_empty() || before == "\u{feff}" || before.ends_with('\n');
        if !line_start || body.trim().is_empty() {
            return None;
        }
        let eol = if body.contains("\r\n") || src.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        // The block's text, without the blank lines that follow it.
        let end = range.start + body.trim_end().len();
        let mut replacement = String::new();
        let previous = before
            .strip_suffix('\n')
            .map(|b| b.strip_suffix('\r').unwrap_or(b))
            .and_then(|b| b.rsplit('\n').next());
        if previous.is_some_and(|line| !line.trim().trim_start_matches('\u{feff}').is_empty()) {
            replacement.push_str(eol);
        }
        replacement.push_str(directive);
        let rest = &src[end..];
        let next_line = rest
            .strip_prefix("\r\n")
            .or_else(|| rest.strip_prefix('\n'))
            .map(|r| r.split('\n').next().unwrap_or(""));
        if next_line.is_some_and(|line| !line.trim().is_empty()) {
            replacement.push_str(eol);
        }
        Some(Fix::replace(
            title,
            applicability,
            range.start..end,
            replacement,
        ))
    }

    /// The smallest single edit that turns `old` into `new` (for a file
    /// rewritten by a format-preserving editor such as `toml_edit`).
    pub fn between(
        title: impl Into<String>,
        applicability: Applicability,
        target: Target,
        old: &str,
        new: &str,
    ) -> Fix {
        let mut start = old
            .bytes()
            .zip(new.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        while !old.is_char_boundary(start) || !new.is_char_boundary(start) {
            start -= 1;
        }
        let max_tail = old.len().min(new.len()) - start;
        let mut tail = old
            .bytes()
            .rev()
            .zip(new.bytes().rev())
            .take(max_tail)
            .take_while(|(a, b)| a == b)
            .count();
        while !old.is_char_boundary(old.len() - tail) || !new.is_char_boundary(new.len() - tail) {
            tail -= 1;
        }
        Fix {
            title: title.into(),
            applicability,
            edits: vec![Edit {
                target,
                range: start..old.len() - tail,
                replacement: new[start..new.len() - tail].to_string(),
            }],
        }
    }
}

impl Finding {
    pub fn path(&self) -> &str {
        &self.at.path
    }

    fn sort_key(&self) -> (&str, usize, usize, Severity, &str, &str) {
        (
            &self.at.path,
            self.at.line,
            self.at.column,
            self.severity,
            self.rule.id,
            &self.message,
        )
    }
}

/// A finding a page rule raised, before its place is worked out.
#[derive(Debug, Clone)]
pub struct Raw {
    pub rule: &'static RuleMeta,
    pub range: Range<usize>,
    pub message: String,
    pub help: Option<String>,
    pub notes: Vec<String>,
    pub fix: Option<Fix>,
}

impl Raw {
    /// Attach the edits that repair this finding.
    pub fn fix(&mut self, fix: Fix) -> &mut Raw {
        self.fix = Some(fix);
        self
    }

    pub fn help(&mut self, help: impl Into<String>) -> &mut Raw {
        self.help = Some(help.into());
        self
    }

    pub fn note(&mut self, note: impl Into<String>) -> &mut Raw {
        self.notes.push(note.into());
        self
    }
}

/// Where the rules of one page write; bound to one rule at a time.
#[derive(Debug)]
pub struct PageSink {
    raw: Vec<Raw>,
    /// Where findings past [`MAX_PER_RULE`] go: written, then dropped.
    scratch: Option<Raw>,
    /// What the page's suppression comments hide: a hidden finding is not
    /// kept and does not count towards [`MAX_PER_RULE`], so the findings
    /// kept are the first the suppressions leave.
    hidden: Hidden,
    /// Where the hidden findings were, and their rules (whether a comment
    /// hid anything is reported by `unused-suppression`).
    hidden_hits: Vec<(usize, &'static str)>,
}

/// The offsets a page's suppression comments cover, per rule they name, as
/// sorted and disjoint ranges.
#[derive(Debug, Clone, Default)]
pub struct Hidden(Vec<(String, Vec<Range<usize>>)>);

impl Hidden {
    /// From each rule's covered ranges, in any order and overlapping.
    pub fn new(mut by_rule: Vec<(String, Vec<Range<usize>>)>) -> Hidden {
        for (_, list) in &mut by_rule {
            list.sort_unstable_by_key(|r| r.start);
            // Merged in place: a page may hold 200,000 comments.
            let mut kept: usize = 0;
            for i in 0..list.len() {
                let r = list[i].clone();
                match kept.checked_sub(1).map(|k| &mut list[k]) {
                    Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                    _ => {
                        list[kept] = r;
                        kept += 1;
                    }
                }
            }
            list.truncate(kept);
            list.shrink_to_fit();
        }
        Hidden(by_rule)
    }

    /// Whether a finding of `rule` at `offset` is hidden.
    pub fn hides(&self, offset: usize, rule: &str) -> bool {
        self.0
            .iter()
            .find(|(n, _)| n == rule)
            .is_some_and(|(_, list)| {
                let i = list.partition_point(|r| r.end <= offset);
                list.get(i).is_some_and(|r| r.start <= offset)
            })
    }
}

impl PageSink {
    pub fn new() -> PageSink {
        PageSink::hiding(Hidden::default())
    }

    /// A sink that leaves out what the page's suppressions hide.
    pub fn hiding(hidden: Hidden) -> PageSink {
        forget_page_secrets();
        PageSink {
            raw: Vec::new(),
            scratch: None,
            hidden,
            hidden_hits: Vec::new(),
        }
    }

    /// A writer for one rule's findings.
    pub fn rule(&mut self, rule: &'static RuleMeta) -> RuleOut<'_> {
        RuleOut {
            rule,
            sink: self,
            count: 0,
        }
    }

    /// The findings in page order.
    pub fn into_raw(self) -> Vec<Raw> {
        self.into_parts().0
    }

    /// The findings kept, in page order, and where the hidden ones were
    /// (offset and rule), in page order.
    pub fn into_parts(mut self) -> (Vec<Raw>, Vec<(usize, &'static str)>) {
        self.raw.sort_by_key(|r| r.range.start);
        self.hidden_hits.sort_by_key(|h| h.0);
        (self.raw, self.hidden_hits)
    }
}

impl Default for PageSink {
    fn default() -> PageSink {
        PageSink::new()
    }
}

/// One rule's handle on a page sink. Past [`MAX_PER_RULE`] findings on a
/// page, more are counted, not kept (a page of 100,000 identical mistakes
/// costs no more memory than one of 200), and the last kept says how many.
pub struct RuleOut<'s> {
    rule: &'static RuleMeta,
    sink: &'s mut PageSink,
    count: usize,
}

impl Drop for RuleOut<'_> {
    fn drop(&mut self) {
        if self.count > MAX_PER_RULE
            && let Some(last) = self.sink.raw.iter_mut().rev().find(|r| r.rule == self.rule)
        {
            last.notes.push(format!(
                "and {} more `{}` findings on this page, not shown",
                self.count - MAX_PER_RULE,
                self.rule.id
            ));
        }
    }
}

impl RuleOut<'_> {
    /// Report a problem at a byte range of the page; add `help` and notes
    /// on the returned finding.
    pub fn report(&mut self, range: Range<usize>, message: impl Into<String>) -> &mut Raw {
        let hidden = self.sink.hidden.hides(range.start, self.rule.id);
        if hidden {
            self.sink.hidden_hits.push((range.start, self.rule.id));
        } else {
            self.count += 1;
        }
        let raw = Raw {
            rule: self.rule,
            range,
            message: message.into(),
            help: None,
            notes: Vec::new(),
            fix: None,
        };
        if hidden || self.count > MAX_PER_RULE {
            return self.sink.scratch.insert(raw);
        }
        self.sink.raw.push(raw);
        self.sink.raw.last_mut().expect("just pushed")
    }
}

/// Where book rules write: findings at places located in the page pass.
pub struct BookOut<'s> {
    rule: &'static RuleMeta,
    levels: &'s Levels,
    out: &'s mut Vec<Finding>,
}

impl<'s> BookOut<'s> {
    pub fn new(
        rule: &'static RuleMeta,
        levels: &'s Levels,
        out: &'s mut Vec<Finding>,
    ) -> BookOut<'s> {
        BookOut { rule, levels, out }
    }

    pub fn report(&mut self, at: Located, message: impl Into<String>) -> &mut Finding {
        self.out.push(Finding {
            rule: self.rule,
            severity: self.levels.severity(self.rule),
            at,
            message: message.into(),
            help: None,
            notes: Vec::new(),
            fix: None,
        });
        self.out.last_mut().expect("just pushed")
    }
}

impl Finding {
    pub fn help(&mut self, help: impl Into<String>) -> &mut Finding {
        self.help = Some(help.into());
        self
    }

    /// Attach the edits that repair this finding.
    pub fn fix(&mut self, fix: Fix) -> &mut Finding {
        self.fix = Some(fix);
        self
    }
}

/// Turn a raw finding into a located one, with the severity its level gives.
pub fn locate(path: &str, src: &str, index: &LineIndex, r: Raw, levels: &Levels) -> Finding {
    Finding {
        severity: levels.severity(r.rule),
        rule: r.rule,
        at: locate_range(path, src, index, r.range),
        message: r.message,
        help: r.help,
        notes: r.notes,
        fix: r.fix,
    }
}

/// The place of a byte range: line, column, snippet and underline.
pub fn locate_range(path: &str, src: &str, index: &LineIndex, range: Range<usize>) -> Located {
    let (line, column) = index.locate(src, range.start);
    let (snippet, span, windowed) = snippet(src, index, line, range.clone());
    Located {
        path: path.to_string(),
        line,
        column,
        snippet,
        span,
        offset: range.start,
        windowed,
    }
}

/// The line holding `range.start`, with the part of `range` on that line as
/// the span. Every secret of the page is masked in the line first (so a
/// secret is never cut in two, and a line of a private key block is masked
/// even though the block starts lines above); then lines up to 64 KiB are
/// kept whole (the human report trims them for the terminal itself, keeping
/// the column right) and longer ones are cut to a window around the span,
/// so a huge single-line page is never copied into every finding. A byte
/// order mark at the start of the page is not part of line 1, as it is not
/// counted in its columns.
fn snippet(
    src: &str,
    index: &LineIndex,
    line: usize,
    range: Range<usize>,
) -> (String, Range<usize>, bool) {
    const WHOLE: usize = 64 * 1024;
    const WINDOW: usize = 160;
    let mut line_start = index.line_start(line);
    let mut text = index.line_text(src, line);
    if line == 1
        && let Some(rest) = text.strip_prefix('\u{feff}')
    {
        line_start += '\u{feff}'.len_utf8();
        text = rest;
    }
    let start = range.start.saturating_sub(line_start).min(text.len());
    let end = range
        .end
        .saturating_sub(line_start)
        .clamp(start, text.len());
    let mut end = if end == start {
        (start + 1).min(text.len())
    } else {
        end
    };
    // An underline covers whole characters.
    let mut start = start;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let secrets = page_secrets(src);
    // The page's secrets that touch a part of the line, masked in it.
    let masked = |part: Range<usize>, span: Range<usize>| {
        let window = line_start + part.start..line_start + part.end;
        let first = secrets.partition_point(|s| s.range.end <= window.start);
        if secrets
            .get(first)
            .is_some_and(|s| s.range.start < window.end)
        {
            let (text, moved) = crate::secrets::mask_window(src, &secrets, window);
            let span = moved_span(&moved, span);
            (text, span)
        } else {
            (text[part].to_string(), span)
        }
    };
    if text.len() <= WHOLE {
        let (text, span) = masked(0..text.len(), start..end);
        return (text, span, false);
    }
    let mut from = start.saturating_sub(WINDOW / 2);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (end.max(start) + WINDOW / 2).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let end = end.min(to);
    let (text, span) = masked(from..to, start - from..end - from);
    (text, span, true)
}

/// The secrets of a page, found once per page: the page pass locates all
/// of a page's findings on one thread before it starts another page's sink
/// (which forgets them, see [`PageSink::hiding`]), and a page that is still
/// being checked keeps its text, so its address and length name it.
/// `forbidden-material` asks here too, so a page is scanned once.
pub(crate) fn page_secrets(src: &str) -> std::rc::Rc<Vec<crate::secrets::Secret>> {
    PAGE_SECRETS.with_borrow_mut(|memo| {
        let key = (src.as_ptr() as usize, src.len());
        match memo {
            Some((k, found)) if *k == key => found.clone(),
            _ => {
                let found = std::rc::Rc::new(crate::secrets::find(src));
                *memo = Some((key, found.clone()));
                found
            }
        }
    })
}

type SecretsMemo = Option<((usize, usize), std::rc::Rc<Vec<crate::secrets::Secret>>)>;

thread_local! {
    static PAGE_SECRETS: std::cell::RefCell<SecretsMemo> = const { std::cell::RefCell::new(None) };
}

/// Forget the secrets found on the last page: a new page may come to live
/// where it was.
fn forget_page_secrets() {
    PAGE_SECRETS.with_borrow_mut(|memo| *memo = None);
}

/// Where an underline goes once the ranges in `moved` are masked: a place
/// inside a masked range goes to its mask's start (or end, for an end).
fn moved_span(moved: &[crate::secrets::Moved], span: Range<usize>) -> Range<usize> {
    let map = |p: usize, end: bool| {
        let mut shift: isize = 0;
        for (old, new) in moved {
            if p < old.start || (end && p == old.start) {
                break;
            }
            if p < old.end || (!end && p == old.start) {
                return if end { new.end } else { new.start };
            }
            shift = new.end as isize - old.end as isize;
        }
        (p as isize + shift) as usize
    };
    let start = map(span.start, false);
    start..map(span.end, true).max(start)
}

/// Mask every secret-looking value in what a finding shows: its path,
/// message, help, notes and snippet (moving the underline with the text).
/// The snippet was cut from a masked line already ([`snippet`]); this second
/// look covers findings placed by other means.
fn redact(f: &mut Finding) {
    use crate::secrets;
    let owned = |c: std::borrow::Cow<'_, str>| c.into_owned();
    if let std::borrow::Cow::Owned(p) = secrets::redact(&f.at.path) {
        f.at.path = p;
    }
    f.message = owned(secrets::redact(&f.message));
    f.help = f.help.as_deref().map(|h| owned(secrets::redact(h)));
    for n in &mut f.notes {
        *n = owned(secrets::redact(n));
    }
    if let Some(fix) = &mut f.fix {
        fix.title = owned(secrets::redact(&fix.title));
    }
    let (text, moved) = secrets::redact_mapped(&f.at.snippet);
    if moved.is_empty() {
        return;
    }
    let span = moved_span(&moved, f.at.span.clone());
    f.at.snippet = text.into_owned();
    f.at.span = span.start.min(f.at.snippet.len())..span.end.min(f.at.snippet.len());
}

/// Sort findings the way every report shows them (file, line, column), and
/// make one diagnostic of the findings that share a place: the most severe
/// stays, the others become its notes, as rustc groups related problems.
/// Every secret-looking value is masked on the way: no output shows one.
pub fn finish(findings: Vec<Finding>) -> Vec<Finding> {
    finish_counted(findings, &[])
}

/// [`finish`], when some findings were counted instead of kept: `unlisted`
/// gives, by page path and rule id, how many more there are. They come
/// after the kept ones of their page and rule, past the number shown, so
/// they only add to the count the last one shown gives.
pub fn finish_counted(
    mut findings: Vec<Finding>,
    unlisted: &[(String, &'static str, usize)],
) -> Vec<Finding> {
    findings.iter_mut().for_each(redact);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    // The cap first, then the merge: a finding merged into one the cap then
    // dropped would vanish with it.
    let findings = cap(findings, unlisted);
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        if let Some(last) = out.last_mut()
            && last.at.path == f.at.path
            && last.at.line == f.at.line
            && last.at.column == f.at.column
            && last.at.span == f.at.span
            && last.rule != f.rule
        {
            let mut note = format!("{}: {}", f.rule.id, f.message);
            if let Some(help) = &f.help {
                note.push_str(&format!(" ({help})"));
            }
            last.notes.push(note);
            last.notes.extend(f.notes);
            // The place's one diagnostic carries a fix either had.
            if last.fix.is_none() {
                last.fix = f.fix;
            }
            continue;
        }
        out.push(f);
    }
    out
}

/// The most findings of one rule shown for one page; past it, more of the
/// same help nobody and only cost memory and log space.
pub const MAX_PER_RULE: usize = 200;

/// Keep at most [`MAX_PER_RULE`] findings per page and rule; the last one
/// kept says how many more there are, `unlisted` ones included.
fn cap(findings: Vec<Finding>, unlisted: &[(String, &'static str, usize)]) -> Vec<Finding> {
    let mut count: std::collections::HashMap<(String, &'static str), usize> =
        std::collections::HashMap::new();
    for f in &findings {
        *count.entry((f.at.path.clone(), f.rule.id)).or_insert(0) += 1;
    }
    for (path, rule, n) in unlisted {
        *count.entry((path.clone(), *rule)).or_insert(0) += n;
    }
    if count.values().all(|&n| n <= MAX_PER_RULE) {
        return findings;
    }
    let mut seen: std::collections::HashMap<(String, &'static str), usize> =
        std::collections::HashMap::new();
    let mut out = Vec::with_capacity(findings.len());
    for mut f in findings {
        let key = (f.at.path.clone(), f.rule.id);
        let n = seen.entry(key.clone()).or_insert(0);
        *n += 1;
        if *n > MAX_PER_RULE {
            continue;
        }
        if *n == MAX_PER_RULE && count[&key] > MAX_PER_RULE {
            f.notes.push(format!(
                "and {} more `{}` findings on this page, not shown",
                count[&key] - MAX_PER_RULE,
                f.rule.id
            ));
        }
        out.push(f);
    }
    out
}

/// Counts for the summary line and the JSON summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub files: usize,
}

impl Summary {
    pub fn of(findings: &[Finding], files: usize) -> Summary {
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        Summary {
            errors,
            warnings: findings.len() - errors,
            files,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static A: RuleMeta = RuleMeta {
        id: "a",
        default: Level::Deny,
        doc: RuleDoc {
            what: "",
            why: "",
            example: "",
            fix: "",
        },
    };
    static B: RuleMeta = RuleMeta {
        id: "b",
        default: Level::Warn,
        doc: RuleDoc {
            what: "",
            why: "",
            example: "",
            fix: "",
        },
    };
    static RULES: [&RuleMeta; 2] = [&A, &B];

    fn finding(rule: &'static RuleMeta, severity: Severity, column: usize) -> Finding {
        Finding {
            rule,
            severity,
            at: Located {
                path: "src/p.md".into(),
                line: 1,
                column,
                snippet: "x".into(),
                span: 0..1,
                offset: 0,
                windowed: false,
            },
            message: format!("{} says", rule.id),
            help: Some("fix it".into()),
            notes: Vec::new(),
            fix: None,
        }
    }

    #[test]
    fn levels_apply_once() {
        let mut l = Levels::defaults(&RULES);
        assert_eq!(l.severity(&A), Severity::Error);
        assert_eq!(l.severity(&B), Severity::Warning);
        l.set(&B, Level::Allow);
        assert!(!l.wants(&B));
        assert_eq!(l.rule("a").map(|r| r.id), Some("a"));
    }

    #[test]
    fn findings_at_one_place_become_one_with_notes() {
        let out = finish(vec![
            finding(&B, Severity::Warning, 1),
            finding(&A, Severity::Error, 1),
            finding(&A, Severity::Error, 4),
        ]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].rule.id, "a");
        assert_eq!(out[0].notes, ["b: b says (fix it)"]);
        assert!(out[1].notes.is_empty());
    }

    #[test]
    fn hidden_ranges_merge_and_answer_per_rule() {
        let h = Hidden::new(vec![
            ("a".into(), vec![10..20, 0..5, 15..30, 40..41]),
            ("b".into(), vec![100..150, 150..200]),
        ]);
        for (offset, rule, hidden) in [
            (0, "a", true),
            (4, "a", true),
            (5, "a", false),
            (10, "a", true),
            (29, "a", true),
            (30, "a", false),
            (40, "a", true),
            (41, "a", false),
            (150, "a", false),
            (150, "b", true),
            (15, "b", false),
            (15, "c", false),
        ] {
            assert_eq!(h.hides(offset, rule), hidden, "{offset} {rule}");
        }
    }

    /// A finding at the place of one the cap drops is shown on its own, not
    /// merged into the dropped one; the last one shown says how many more.
    #[test]
    fn the_cap_comes_before_findings_merge() {
        let mut all: Vec<Finding> = (1..=250)
            .map(|line| finding(&A, Severity::Error, line))
            .collect();
        all.push(finding(&B, Severity::Warning, 240));
        let out = finish(all);
        assert_eq!(
            out.iter().filter(|f| f.rule.id == "a").count(),
            MAX_PER_RULE
        );
        let b: Vec<&Finding> = out.iter().filter(|f| f.rule.id == "b").collect();
        assert_eq!(b.len(), 1, "{out:?}");
        assert_eq!(b[0].at.column, 240);
        assert!(
            out.iter()
                .any(|f| f.notes.iter().any(|n| n.contains("and 50 more `a`")))
        );
    }

    #[test]
    fn long_lines_are_whole_and_huge_ones_get_a_window() {
        let src = format!("{}needle{}\n", "a".repeat(500), "b".repeat(500));
        let index = LineIndex::new(&src);
        let at = locate_range("p.md", &src, &index, 500..506);
        assert_eq!(at.column, 501);
        assert_eq!(&at.snippet[at.span.clone()], "needle");
        assert!(!at.windowed);
        let src = format!("{}needle{}\n", "a".repeat(70_000), "b".repeat(500));
        let index = LineIndex::new(&src);
        let at = locate_range("p.md", &src, &index, 70_000..70_006);
        assert_eq!(at.column, 70_001);
        assert_eq!(&at.snippet[at.span.clone()], "needle");
        assert!(at.windowed && at.snippet.len() < 200);
    }

    #[test]
    fn secrets_are_masked_and_the_underline_follows() {
        let mut f = finding(&A, Severity::Error, 1);
        f.message = "undefined decision `sk_live_51Hq8c2eZvKYlo2C0aXb9Qm3T`".into();
        f.at.snippet = "When the decision is `sk_live_51Hq8c2eZvKYlo2C0aXb9Qm3T`, stop".into();
        f.at.span = 21..56;
        let out = finish(vec![f]);
        let f = &out[0];
        assert!(!f.message.contains("51Hq8c2e"), "{}", f.message);
        assert!(!f.at.snippet.contains("51Hq8c2e"), "{}", f.at.snippet);
        assert_eq!(
            &f.at.snippet[f.at.span.clone()],
            "`[redacted live secret API key …Qm3T]`"
        );
    }
}

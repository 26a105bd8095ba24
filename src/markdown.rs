//! One parse of a page, shared by the preprocessor and every rule.
//!
//! [`Page::parse`] walks pulldown-cmark's offset iterator once and keeps what
//! the rest of the crate needs: prose blocks with their inline code, code
//! blocks, lists, tables, links, HTML comments and the directives found in the
//! text. Nothing downstream parses the page again or re-scans the raw text,
//! and every position is a byte offset into the original source, so edits can
//! be spliced back without touching any other byte.

use std::cell::Cell;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::directive::{self, Candidate};

/// The parser options mdBook 0.5 uses, so that we see the page as it does.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_GFM
}

/// Maps byte offsets to 1-based line and character columns. A line ends
/// at LF, CRLF or a lone CR (as CommonMark has it), so a page gives the same
/// `line:column` whichever it uses; a byte-order mark takes no column.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Bytes of a byte-order mark at the start of the text (0 or 3).
    bom: usize,
    /// The last (offset, column) located, so that many findings on one very
    /// long line cost one pass over it instead of one pass each.
    memo: Cell<(usize, usize, usize)>,
}

impl LineIndex {
    pub fn new(src: &str) -> LineIndex {
        let bytes = src.as_bytes();
        let mut starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // CRLF is one line ending: its line starts after the LF.
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            starts.push(i + 1);
        }
        LineIndex {
            starts,
            bom: if src.starts_with('\u{feff}') { 3 } else { 0 },
            memo: Cell::new((usize::MAX, 0, 0)),
        }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.saturating_sub(1).min(self.starts.len() - 1)]
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text<'s>(&self, src: &'s str, line: usize) -> &'s str {
        let start = self.line_start(line);
        let end = self.starts.get(line).copied().unwrap_or(src.len());
        src[start..end].trim_end_matches(['\n', '\r'])
    }

    /// 1-based (line, column) of a byte offset; the column counts characters.
    pub fn locate(&self, src: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(src, offset.min(src.len()));
        let line = self.line(offset);
        let start = self.starts[line - 1];
        let (memo_line, memo_off, memo_col) = self.memo.get();
        let start = if line == 1 {
            start.max(self.bom.min(offset))
        } else {
            start
        };
        let col = if memo_line == line && memo_off <= offset {
            memo_col + src[memo_off..offset].chars().count()
        } else {
            src[start..offset].chars().count() + 1
        };
        self.memo.set((line, offset, col));
        (line, col)
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether the text had no line at all (never true: an empty text has one).
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// What kind of prose block a [`Block`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading(u8),
    /// A cell; `header` is true for the table's head row.
    TableCell {
        table: usize,
        row: usize,
        col: usize,
        header: bool,
    },
}

/// A leaf block of prose: its plain text with every inline code span or
/// directive replaced by [`CODE_MARK`], in order, so the k-th mark is
/// `Page::codes[codes.start + k]` (a block's codes are contiguous, since
/// only one block is open at a time).
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    pub range: Range<usize>,
    /// This block's text: a range of `Page::prose` (see [`Page::text`]).
    pub text: Range<usize>,
    pub codes: Range<usize>,
    /// The nearest heading above, as an index into `Page::blocks`.
    pub section: Option<usize>,
    /// The list and item this block sits in (innermost), if any.
    pub item: Option<(usize, usize)>,
    /// True when this is the first block of its list item.
    pub item_first: bool,
    /// Inside a block quote.
    pub quoted: bool,
    /// This block's entries in `Page::spans`.
    pub spans: Range<usize>,
}

/// Stands for one inline code span or directive inside [`Block::text`].
pub const CODE_MARK: char = '\u{1A}';

/// An inline code span, or an inline directive, inside prose.
#[derive(Debug, Clone)]
pub struct InlineCode {
    /// The whole span, backticks included.
    pub range: Range<usize>,
    /// The code's text, as the reader sees it.
    pub content: Range<usize>,
    pub block: usize,
    /// Set when this is a directive, as an index into `Page::directives`.
    pub directive: Option<usize>,
}

/// A fenced or indented code block.
#[derive(Debug, Clone)]
pub struct CodeBlock {
    pub range: Range<usize>,
    /// The code itself (empty range for an empty block).
    pub content: Range<usize>,
    /// The info string's first word, lowercased (`json`, `yaml`, …).
    pub lang: String,
}

/// A list; `items` are the byte offsets where each item starts.
#[derive(Debug, Clone)]
pub struct List {
    pub range: Range<usize>,
    pub items: Vec<Range<usize>>,
    /// The prose block right before the list (its lead-in), if any.
    pub intro: Option<usize>,
    /// Nesting depth, 0 for a top-level list.
    pub depth: usize,
}

/// A table; the cells are blocks of kind [`BlockKind::TableCell`].
#[derive(Debug, Clone)]
pub struct Table {
    pub range: Range<usize>,
    pub intro: Option<usize>,
}

/// A link's destination and where it is written.
#[derive(Debug, Clone)]
pub struct Link {
    pub dest: String,
    pub range: Range<usize>,
}

/// A parsed page. Borrowing the source keeps a page cheap to build and drop.
#[derive(Debug)]
pub struct Page<'a> {
    pub src: &'a str,
    pub index: LineIndex,
    pub blocks: Vec<Block>,
    pub codes: Vec<InlineCode>,
    pub code_blocks: Vec<CodeBlock>,
    pub lists: Vec<List>,
    pub tables: Vec<Table>,
    pub links: Vec<Link>,
    /// HTML comments, whole (`<!-- … -->`).
    pub comments: Vec<Range<usize>>,
    /// Ranges of the top-level blocks, in order.
    pub top_blocks: Vec<Range<usize>>,
    /// Directives outside code, in order of appearance (escaped ones included).
    pub directives: Vec<Candidate>,
    /// `(offset in a block's text, offset in the page)` where each piece of
    /// block text starts; each block owns a contiguous run (`Block::spans`).
    pub spans: Vec<(usize, usize)>,
    /// The text of every prose block, one after another, separated by a
    /// newline so no phrase runs from one block into the next.
    pub prose: String,
}

impl<'a> Page<'a> {
    /// Parse a page once.
    pub fn parse(src: &'a str) -> Page<'a> {
        Builder::new(src).run()
    }

    /// The text of an inline code span.
    pub fn code_text(&self, code: &InlineCode) -> &'a str {
        &self.src[code.content.clone()]
    }

    /// A block's text.
    pub fn text(&self, block: &Block) -> &str {
        &self.prose[block.text.clone()]
    }

    /// The page offset of a byte offset in a block's text.
    pub fn source_offset(&self, block: &Block, text_offset: usize) -> usize {
        let spans = &self.spans[block.spans.clone()];
        let i = spans.partition_point(|&(t, _)| t <= text_offset);
        match i {
            0 => block.range.start,
            _ => {
                let (t, s) = spans[i - 1];
                s + (text_offset - t)
            }
        }
    }

    /// The first heading's text, if the page has one.
    pub fn title(&self) -> Option<&Block> {
        self.blocks
            .iter()
            .find(|b| matches!(b.kind, BlockKind::Heading(_)))
    }

    /// Index of the top-level block containing `offset`.
    pub fn top_block_at(&self, offset: usize) -> Option<usize> {
        let i = self.top_blocks.partition_point(|r| r.start <= offset);
        (i > 0
            && offset
                < self.top_blocks[i - 1]
                    .end
                    .max(self.top_blocks[i - 1].start + 1))
        .then(|| i - 1)
    }
}

struct OpenItem {
    list: usize,
    item: usize,
    had_block: bool,
}

struct Builder<'a> {
    src: &'a str,
    page: Page<'a>,
    depth: usize,
    current: Option<usize>,
    section: Option<usize>,
    lists: Vec<usize>,
    items: Vec<OpenItem>,
    table: Option<usize>,
    row: usize,
    col: usize,
    in_head: bool,
    quote: usize,
    code_block: Option<usize>,
    /// Directive candidates from the raw scan, not yet confirmed outside code.
    candidates: Vec<Candidate>,
    next_candidate: usize,
    last_closed: Option<usize>,
    image: usize,
    /// End of the last directive seen in text: text before it belongs to it.
    skip_until: usize,
}

impl<'a> Builder<'a> {
    fn new(src: &'a str) -> Builder<'a> {
        Builder {
            src,
            page: Page {
                src,
                index: LineIndex::new(src),
                blocks: Vec::new(),
                codes: Vec::new(),
                code_blocks: Vec::new(),
                lists: Vec::new(),
                tables: Vec::new(),
                links: Vec::new(),
                comments: Vec::new(),
                top_blocks: Vec::new(),
                directives: Vec::new(),
                spans: Vec::new(),
                prose: String::with_capacity(src.len()),
            },
            depth: 0,
            current: None,
            section: None,
            lists: Vec::new(),
            items: Vec::new(),
            table: None,
            row: 0,
            col: 0,
            in_head: false,
            quote: 0,
            code_block: None,
            candidates: directive::scan(src),
            next_candidate: 0,
            last_closed: None,
            image: 0,
            skip_until: 0,
        }
    }

    fn run(mut self) -> Page<'a> {
        let parser = Parser::new_ext(self.src, options()).into_offset_iter();
        for (event, range) in parser {
            self.event(event, range);
        }
        // Candidates never reached by a text event (inside raw HTML, say) are
        // still directives: only code hides them.
        self.confirm_until(usize::MAX);
        self.page
    }

    /// Confirm every candidate that starts before `offset` and is not inside
    /// a code range already seen.
    fn confirm_until(&mut self, offset: usize) {
        while let Some(c) = self.candidates.get(self.next_candidate) {
            if c.range.start >= offset {
                break;
            }
            self.page.directives.push(c.clone());
            self.next_candidate += 1;
        }
    }

    /// Drop the candidates inside a code range.
    fn hide_in_code(&mut self, range: &Range<usize>) {
        self.confirm_until(range.start);
        while let Some(c) = self.candidates.get(self.next_candidate) {
            if c.range.start >= range.end {
                break;
            }
            self.next_candidate += 1;
        }
    }

    fn open_block(&mut self, kind: BlockKind, start: usize) -> usize {
        if !self.page.prose.is_empty() {
            self.page.prose.push('\n');
        }
        let item = self.items.last().map(|i| (i.list, i.item));
        let item_first = match self.items.last_mut() {
            Some(open) if !open.had_block => {
                open.had_block = true;
                true
            }
            _ => false,
        };
        self.page.blocks.push(Block {
            kind,
            range: start..start,
            text: self.page.prose.len()..self.page.prose.len(),
            codes: self.page.codes.len()..self.page.codes.len(),
            section: self.section,
            item,
            item_first,
            quoted: self.quote > 0,
            spans: self.page.spans.len()..self.page.spans.len(),
        });
        let id = self.page.blocks.len() - 1;
        self.current = Some(id);
        id
    }

    fn close_block(&mut self, end: usize) {
        if let Some(id) = self.current.take() {
            let block = &mut self.page.blocks[id];
            block.range.end = end.max(block.range.start);
            if matches!(block.kind, BlockKind::Heading(_)) {
                self.section = Some(id);
            }
            self.last_closed = Some(id);
        }
    }

    /// The block prose goes into; a tight list item's text has no paragraph,
    /// so one is opened for it.
    fn block_for_text(&mut self, start: usize) -> Option<usize> {
        if self.current.is_none() && !self.items.is_empty() && self.code_block.is_none() {
            self.open_block(BlockKind::Paragraph, start);
        }
        self.current
    }

    fn push_text(&mut self, text: &str, range: Range<usize>) {
        if self.image > 0 {
            return;
        }
        let Some(id) = self.block_for_text(range.start) else {
            return;
        };
        // A directive inside this text becomes one mark, like inline code.
        let same = &self.src[range.clone()] == text;
        let mut rest_start = if same && self.skip_until > range.start {
            (self.skip_until.min(range.end)) - range.start
        } else {
            0
        };
        while let Some(c) = self.candidates.get(self.next_candidate) {
            if c.range.start >= range.end {
                break;
            }
            let cand = c.clone();
            self.next_candidate += 1;
            let index = self.page.directives.len();
            self.page.directives.push(cand.clone());
            if cand.escaped || cand.range.start < range.start {
                continue;
            }
            // The text event is usually the source slice itself; when it is
            // not (entities, escapes), keep the text whole.
            self.skip_until = cand.range.end;
            if same {
                let cut = cand.range.start - range.start;
                if cut > rest_start {
                    self.span(id, range.start + rest_start);
                    push_prose(&mut self.page.prose, &text[rest_start..cut]);
                    self.page.blocks[id].text.end = self.page.prose.len();
                }
                rest_start = (cand.range.end.min(range.end)) - range.start;
            }
            self.push_mark(id, cand.range.clone(), cand.range.clone(), Some(index));
        }
        if rest_start < text.len() {
            self.span(id, range.start + rest_start);
            push_prose(&mut self.page.prose, &text[rest_start..]);
            self.page.blocks[id].text.end = self.page.prose.len();
        }
    }

    fn push_mark(
        &mut self,
        block: usize,
        range: Range<usize>,
        content: Range<usize>,
        directive: Option<usize>,
    ) {
        let range_start = range.start;
        self.page.codes.push(InlineCode {
            range,
            content,
            block,
            directive,
        });
        let code = self.page.codes.len() - 1;
        self.span(block, range_start);
        self.page.prose.push(CODE_MARK);
        let b = &mut self.page.blocks[block];
        b.text.end = self.page.prose.len();
        b.codes.end = code + 1;
    }

    /// Record that the block's next text starts at `source` in the page.
    fn span(&mut self, block: usize, source: usize) {
        let b = &mut self.page.blocks[block];
        self.page
            .spans
            .push((self.page.prose.len() - b.text.start, source));
        b.spans.end = self.page.spans.len();
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(tag) => {
                if self.depth == 0 {
                    self.page.top_blocks.push(range.clone());
                }
                self.depth += 1;
                self.start(tag, range);
            }
            Event::End(tag) => {
                self.depth = self.depth.saturating_sub(1);
                self.end(tag, range);
            }
            Event::Text(text) => {
                if let Some(cb) = self.code_block {
                    let block = &mut self.page.code_blocks[cb];
                    if block.content.is_empty() {
                        block.content = range.clone();
                    } else {
                        block.content.end = range.end;
                    }
                } else {
                    self.push_text(&text, range);
                }
            }
            Event::Code(_) => {
                self.hide_in_code(&range);
                if self.image > 0 {
                    return;
                }
                if let Some(id) = self.block_for_text(range.start) {
                    let content = code_content(self.src, range.clone());
                    self.push_mark(id, range, content, None);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(id) = self.current {
                    self.span(id, range.start);
                    self.page.prose.push(' ');
                    self.page.blocks[id].text.end = self.page.prose.len();
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if self.depth == 0 {
                    self.page.top_blocks.push(range.clone());
                }
                if html.trim_start().starts_with("<!--") {
                    self.page.comments.push(range);
                }
            }
            Event::Rule | Event::DisplayMath(_) => {
                if self.depth == 0 {
                    self.page.top_blocks.push(range);
                }
            }
            Event::InlineMath(_) | Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        match tag {
            Tag::Paragraph => {
                if self.table.is_none() {
                    self.close_block(range.start);
                    self.open_block(BlockKind::Paragraph, range.start);
                }
            }
            Tag::Heading { level, .. } => {
                self.close_block(range.start);
                self.open_block(BlockKind::Heading(level as u8), range.start);
            }
            Tag::CodeBlock(kind) => {
                self.close_block(range.start);
                self.hide_in_code(&range);
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.page.code_blocks.push(CodeBlock {
                    range: range.clone(),
                    content: range.end..range.end,
                    lang,
                });
                self.code_block = Some(self.page.code_blocks.len() - 1);
                if let Some(open) = self.items.last_mut() {
                    open.had_block = true;
                }
            }
            Tag::List(_) => {
                self.close_block(range.start);
                let intro = self.last_closed.filter(|&b| {
                    // Only the block that ends right before the list is its lead-in.
                    let between =
                        &self.src[self.page.blocks[b].range.end.min(range.start)..range.start];
                    between.trim().is_empty()
                        && !matches!(self.page.blocks[b].kind, BlockKind::TableCell { .. })
                });
                self.page.lists.push(List {
                    range: range.clone(),
                    items: Vec::new(),
                    intro,
                    depth: self.lists.len(),
                });
                self.lists.push(self.page.lists.len() - 1);
            }
            Tag::Item => {
                self.close_block(range.start);
                if let Some(&list) = self.lists.last() {
                    self.page.lists[list].items.push(range.clone());
                    let item = self.page.lists[list].items.len() - 1;
                    self.items.push(OpenItem {
                        list,
                        item,
                        had_block: false,
                    });
                }
            }
            Tag::Table(_) => {
                self.close_block(range.start);
                let intro = self.last_closed.filter(|&b| {
                    let between =
                        &self.src[self.page.blocks[b].range.end.min(range.start)..range.start];
                    between.trim().is_empty()
                });
                self.page.tables.push(Table {
                    range: range.clone(),
                    intro,
                });
                self.table = Some(self.page.tables.len() - 1);
                self.row = 0;
            }
            Tag::TableHead => {
                self.in_head = true;
                self.col = 0;
            }
            Tag::TableRow => {
                self.row += 1;
                self.col = 0;
            }
            Tag::TableCell => {
                if let Some(table) = self.table {
                    self.open_block(
                        BlockKind::TableCell {
                            table,
                            row: self.row,
                            col: self.col,
                            header: self.in_head,
                        },
                        range.start,
                    );
                }
            }
            Tag::BlockQuote(_) => {
                self.close_block(range.start);
                self.quote += 1;
            }
            Tag::Link { dest_url, .. } => {
                self.page.links.push(Link {
                    dest: dest_url.to_string(),
                    range,
                });
            }
            Tag::Image { .. } => self.image += 1,
            Tag::HtmlBlock
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => self.close_block(range.start),
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        match tag {
            TagEnd::Paragraph if self.table.is_none() => {
                self.close_block(range.end);
            }
            TagEnd::Heading(_) | TagEnd::TableCell => {
                self.close_block(range.end);
                if matches!(tag, TagEnd::TableCell) {
                    self.col += 1;
                }
            }
            TagEnd::CodeBlock => self.code_block = None,
            TagEnd::Item => {
                self.close_block(range.end);
                self.items.pop();
            }
            TagEnd::List(_) => {
                self.close_block(range.end);
                self.lists.pop();
            }
            TagEnd::TableHead => self.in_head = false,
            TagEnd::Table => {
                self.table = None;
                self.last_closed = None;
            }
            TagEnd::BlockQuote(_) => {
                self.close_block(range.end);
                self.quote = self.quote.saturating_sub(1);
            }
            TagEnd::Image => self.image = self.image.saturating_sub(1),
            TagEnd::HtmlBlock
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => self.close_block(range.end),
            _ => {}
        }
    }
}

/// Append prose, turning any literal [`CODE_MARK`] in the page into a
/// space (same length), so marks always stand for inline code.
fn push_prose(out: &mut String, text: &str) {
    if memchr::memchr(CODE_MARK as u8, text.as_bytes()).is_some() {
        out.extend(text.chars().map(|c| if c == CODE_MARK { ' ' } else { c }));
    } else {
        out.push_str(text);
    }
}

/// The text between an inline code span's backtick fences, with the one
/// space CommonMark strips on each side.
fn code_content(src: &str, range: Range<usize>) -> Range<usize> {
    let s = &src[range.clone()];
    let ticks = s.bytes().take_while(|&b| b == b'`').count();
    if ticks == 0 || s.len() < 2 * ticks {
        return range;
    }
    let mut start = range.start + ticks;
    let mut end = range.end - ticks;
    let inner = &src[start..end];
    if inner.len() >= 2
        && inner.starts_with([' ', '\n'])
        && inner.ends_with([' ', '\n'])
        && !inner.trim().is_empty()
    {
        start += 1;
        end -= 1;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let src = "é `x`\nzz";
        let idx = LineIndex::new(src);
        assert_eq!(idx.locate(src, 3), (1, 3));
        assert_eq!(idx.locate(src, src.len() - 1), (2, 2));
        assert_eq!(idx.line_text(src, 1), "é `x`");
    }

    #[test]
    fn crlf_lines_do_not_keep_the_carriage_return() {
        let src = "a\r\nbc\r\n";
        let idx = LineIndex::new(src);
        assert_eq!(idx.line_text(src, 2), "bc");
        assert_eq!(idx.locate(src, 4), (2, 2));
    }

    #[test]
    fn blocks_know_their_section_list_and_codes() {
        let src = "# States\n\nIntro:\n\n- `trial` first\n- `active`\n\n| A | B |\n|---|---|\n| `x` | y |\n";
        let page = Page::parse(src);
        let heading = page.title().unwrap();
        assert_eq!(page.text(heading), "States");
        assert_eq!(page.lists.len(), 1);
        assert_eq!(page.lists[0].items.len(), 2);
        let intro = page.lists[0].intro.unwrap();
        assert_eq!(page.text(&page.blocks[intro]), "Intro:");
        let first = page.blocks.iter().find(|b| b.item == Some((0, 0))).unwrap();
        assert!(first.item_first);
        assert_eq!(page.code_text(&page.codes[first.codes.start]), "trial");
        assert_eq!(first.section, Some(0));
        let cell = page
            .blocks
            .iter()
            .find(|b| matches!(b.kind, BlockKind::TableCell { row: 1, col: 0, .. }))
            .unwrap();
        assert_eq!(page.code_text(&page.codes[cell.codes.start]), "x");
    }

    #[test]
    fn a_literal_code_mark_in_the_page_is_not_a_code() {
        for src in ["\u{1A}decision", "&#x1A;decision `a`, `b`"] {
            let page = Page::parse(src);
            for b in &page.blocks {
                assert_eq!(
                    page.text(b).matches(CODE_MARK).count(),
                    b.codes.len(),
                    "{src:?}"
                );
            }
        }
    }

    #[test]
    fn code_content_strips_one_space() {
        let src = "`` `a` `` and ` b `";
        let page = Page::parse(src);
        let texts: Vec<_> = page.codes.iter().map(|c| page.code_text(c)).collect();
        assert_eq!(texts, ["`a`", "b"]);
    }
}

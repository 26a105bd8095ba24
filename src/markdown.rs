//! One parse of a page, shared by the preprocessor and every rule.
//!
//! [`Page::parse`] walks pulldown-cmark's offset iterator (once; a long page
//! is parsed whole and then in pieces, see there) and keeps what the rest of
//! the crate needs: prose blocks with their inline code, code
//! blocks, lists, tables, links, HTML comments and the directives found in the
//! text. Nothing downstream parses the page again or re-scans the raw text,
//! and every position is a byte offset into the original source, so edits can
//! be spliced back without touching any other byte.

use std::cell::Cell;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::ops::Range;

use pulldown_cmark::{
    BrokenLink, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd,
};

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
    /// Where each line starts (`u32`: a page is under 4 GiB, see
    /// [`Page::parse`]; a page of short lines has millions of them).
    starts: Vec<u32>,
    /// Bytes of a byte-order mark at the start of the text (0 or 3).
    bom: usize,
    /// The last (offset, column) located, so that many findings on one very
    /// long line cost one pass over it instead of one pass each.
    memo: Cell<(usize, usize, usize)>,
}

impl LineIndex {
    pub fn new(src: &str) -> LineIndex {
        let bytes = src.as_bytes();
        assert_page_size(src);
        let mut starts = Vec::with_capacity((src.len() / 40).clamp(1, 16 * 1024));
        starts.push(0);
        if memchr::memchr(b'\r', bytes).is_none() {
            // Line feeds only (most pages): one byte to look for is quicker.
            starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| offset32(i + 1)));
        } else {
            for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
                // CRLF is one line ending: its line starts after the LF.
                if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    continue;
                }
                starts.push(offset32(i + 1));
            }
        }
        LineIndex {
            starts,
            bom: if src.starts_with('\u{feff}') { 3 } else { 0 },
            memo: Cell::new((usize::MAX, 0, 0)),
        }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s as usize <= offset)
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.saturating_sub(1).min(self.starts.len() - 1)] as usize
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text<'s>(&self, src: &'s str, line: usize) -> &'s str {
        let start = self.line_start(line);
        let end = self.starts.get(line).map_or(src.len(), |&s| s as usize);
        src[start..end].trim_end_matches(['\n', '\r'])
    }

    /// 1-based (line, column) of a byte offset; the column counts characters.
    pub fn locate(&self, src: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(src, offset.min(src.len()));
        let line = self.line(offset);
        let start = self.starts[line - 1] as usize;
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

/// The largest page [`Page::parse`] takes: every offset of a page fits in a
/// `u32`. The session never reads a page this large (`max-page-size` is at
/// most this).
pub const MAX_PAGE: usize = u32::MAX as usize;

fn assert_page_size(src: &str) {
    assert!(
        src.len() <= MAX_PAGE,
        "a page is at most 4 GiB ({} bytes given)",
        src.len()
    );
}

/// A page offset as stored; pages are at most [`MAX_PAGE`] bytes.
fn offset32(offset: usize) -> u32 {
    u32::try_from(offset).expect("a page is at most 4 GiB")
}

/// A byte range of a page, in 8 bytes instead of a `Range<usize>`'s 16: a
/// page of 200,000 one-line blocks holds hundreds of thousands of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    pub fn new(range: Range<usize>) -> Span {
        Span {
            start: offset32(range.start),
            end: offset32(range.end),
        }
    }

    pub fn start(self) -> usize {
        self.start as usize
    }

    pub fn end(self) -> usize {
        self.end as usize
    }

    pub fn range(self) -> Range<usize> {
        self.start()..self.end()
    }

    pub fn is_empty(self) -> bool {
        self.start >= self.end
    }
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
    pub comments: Vec<Span>,
    /// Ranges of the top-level blocks, in order.
    pub top_blocks: Vec<Span>,
    /// Directives outside code, in order of appearance (escaped ones included).
    pub directives: Vec<Candidate>,
    /// Where each piece of block text starts, in order, as (offset in
    /// `prose`, offset in the page): a block's pieces are the entries whose
    /// first offset lies in its `text` (see [`Page::source_offset`]).
    spans: Vec<(u32, u32)>,
    /// The text of every prose block, one after another, separated by a
    /// newline so no phrase runs from one block into the next.
    pub prose: String,
}

impl<'a> Page<'a> {
    /// Parse a page.
    ///
    /// pulldown-cmark builds the tree of a whole page before it yields the
    /// first event: about 48 bytes per block and inline item, four times
    /// the size of a page of one-line paragraphs. Kept alive while the
    /// model is built from its events, that tree and the model together
    /// were most of the memory such a page took. So a page over 256 KiB
    /// is read in two parses (see `in_pieces`): one of the whole
    /// page that keeps only where its top-level blocks start, its link
    /// reference definitions and a fingerprint of its events; then one
    /// piece at a time, cut between top-level blocks, building the model
    /// while only that piece's tree is alive. The model is always the one
    /// a parse of the whole page gives.
    ///
    /// A page is at most [`MAX_PAGE`] bytes (4 GiB): offsets are kept as
    /// `u32` where a page has very many of them.
    pub fn parse(src: &'a str) -> Page<'a> {
        assert_page_size(src);
        if src.len() > PIECE
            && let Some(page) = in_pieces(src)
        {
            return page;
        }
        Builder::new(src).whole()
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
        let at = block.text.start + text_offset;
        // Every piece has text, so the block's pieces are the entries that
        // start inside its text; take the last one starting at or before `at`.
        let i = self
            .spans
            .partition_point(|&(t, _)| (t as usize) < block.text.end && t as usize <= at);
        match i.checked_sub(1).map(|i| self.spans[i]) {
            Some((t, s)) if t as usize >= block.text.start => s as usize + (at - t as usize),
            _ => block.range.start,
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
        let i = self.top_blocks.partition_point(|r| r.start() <= offset);
        (i > 0
            && offset
                < self.top_blocks[i - 1]
                    .end()
                    .max(self.top_blocks[i - 1].start() + 1))
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
    /// Whether the page has the byte of [`CODE_MARK`] anywhere; almost no
    /// page has, so text cut from the page needs no look for it.
    src_has_mark: bool,
}

impl<'a> Builder<'a> {
    fn new(src: &'a str) -> Builder<'a> {
        // Room for what a page of this size holds (measured on the guide and
        // the benchmark book: a block per 75-110 bytes, a text piece per 40,
        // an inline code per 180-320), rounded up, so the lists are not
        // regrown as the page is read: room never used is never touched.
        // Capped, so that a huge page of one line does not reserve what it
        // will never use.
        let about = |bytes_each: usize, cap: usize| (src.len() / bytes_each).min(cap);
        Builder {
            src,
            page: Page {
                src,
                index: LineIndex::new(src),
                blocks: Vec::with_capacity(about(64, 4096)),
                codes: Vec::with_capacity(about(128, 2048)),
                code_blocks: Vec::with_capacity(about(1024, 256)),
                lists: Vec::with_capacity(about(1024, 256)),
                tables: Vec::new(),
                links: Vec::with_capacity(about(512, 512)),
                comments: Vec::new(),
                top_blocks: Vec::with_capacity(about(128, 4096)),
                directives: Vec::new(),
                spans: Vec::with_capacity(about(24, 16 * 1024)),
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
            src_has_mark: memchr::memchr(CODE_MARK as u8, src.as_bytes()).is_some(),
        }
    }

    /// The model from one parse of the whole page.
    fn whole(mut self) -> Page<'a> {
        let parser = Parser::new_ext(self.src, options()).into_offset_iter();
        for (event, range) in parser {
            self.event(event, range);
        }
        self.finish()
    }

    fn finish(mut self) -> Page<'a> {
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
        // Most text events borrow the page itself: same place, same length.
        let raw = &self.src[range.clone()];
        let same =
            (std::ptr::eq(raw.as_ptr(), text.as_ptr()) && raw.len() == text.len()) || raw == text;
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
                    self.span(range.start + rest_start);
                    push_prose(
                        &mut self.page.prose,
                        &text[rest_start..cut],
                        self.src_has_mark,
                    );
                    self.page.blocks[id].text.end = self.page.prose.len();
                }
                rest_start = (cand.range.end.min(range.end)) - range.start;
            }
            self.push_mark(id, cand.range.clone(), cand.range.clone(), Some(index));
        }
        if rest_start < text.len() {
            self.span(range.start + rest_start);
            let marks = !same || self.src_has_mark;
            push_prose(&mut self.page.prose, &text[rest_start..], marks);
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
        self.span(range_start);
        self.page.prose.push(CODE_MARK);
        let b = &mut self.page.blocks[block];
        b.text.end = self.page.prose.len();
        b.codes.end = code + 1;
    }

    /// Record that the open block's next text starts at `source` in the page.
    fn span(&mut self, source: usize) {
        let prose = offset32(self.page.prose.len());
        self.page.spans.push((prose, offset32(source)));
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(tag) => {
                if self.depth == 0 {
                    self.page.top_blocks.push(Span::new(range.clone()));
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
                    self.span(range.start);
                    self.page.prose.push(' ');
                    self.page.blocks[id].text.end = self.page.prose.len();
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if self.depth == 0 {
                    self.page.top_blocks.push(Span::new(range.clone()));
                }
                if html.trim_start().starts_with("<!--") {
                    self.page.comments.push(Span::new(range));
                }
            }
            Event::Rule | Event::DisplayMath(_) => {
                if self.depth == 0 {
                    self.page.top_blocks.push(Span::new(range));
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

/// Pages over this many bytes are parsed in pieces of about this size (see
/// [`Page::parse`]).
const PIECE: usize = 256 * 1024;

/// What the first parse of a long page keeps.
struct Plan {
    /// Where each piece after the first starts: the start of the line of a
    /// top-level block, at least [`PIECE`] bytes after the previous cut.
    cuts: Vec<usize>,
    /// The page's link reference definitions, by lowercased label:
    /// (destination, title). A piece needs the ones other pieces hold.
    refs: HashMap<String, (String, String)>,
    /// [`fingerprint`] of every event of the page.
    fingerprint: u64,
}

impl Plan {
    /// Parse the whole page, keeping only the plan; `None` when the page
    /// cannot be cut (one huge block).
    fn of(src: &str, mut hasher: impl Hasher) -> Option<Plan> {
        let bytes = src.as_bytes();
        let mut parser = Parser::new_ext(src, options()).into_offset_iter();
        let mut cuts = Vec::new();
        let (mut depth, mut piece, mut last_end) = (0usize, 0usize, 0usize);
        for (event, range) in parser.by_ref() {
            fingerprint(&mut hasher, &event, &range);
            let starts_top_block = depth == 0 && !matches!(event, Event::End(_));
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            if starts_top_block && range.start >= last_end && range.start - piece >= PIECE {
                // Cut at the start of the block's line, if the previous
                // block ended before it.
                let gap = &bytes[last_end..range.start];
                if let Some(i) = memchr::memrchr2(b'\n', b'\r', gap) {
                    let line = last_end + i + 1;
                    if line - piece >= PIECE {
                        cuts.push(line);
                        piece = line;
                    }
                }
            }
            if depth == 0 {
                last_end = last_end.max(range.end);
            }
        }
        if cuts.is_empty() {
            return None;
        }
        let refs = parser
            .reference_definitions()
            .iter()
            .map(|(label, def)| {
                let title = def.title.as_deref().unwrap_or("");
                (
                    label.to_lowercase(),
                    (def.dest.to_string(), title.to_string()),
                )
            })
            .collect();
        Some(Plan {
            cuts,
            refs,
            fingerprint: hasher.finish(),
        })
    }
}

/// Build the model of a long page one piece at a time (see
/// [`Page::parse`]), or `None` when that would not give the model of the
/// whole page.
///
/// Each piece is parsed on its own, with the reference definitions of the
/// whole page (pulldown-cmark asks for the ones it does not find in the
/// piece), and its events, moved to page offsets, go to the one builder.
/// Cut between top-level blocks, the pieces give the events of the whole
/// page; where they might not (a reference defined twice, labels that only
/// Unicode case folding matches, pulldown-cmark's limit on reference
/// expansion, which counts per parse), the fingerprints tell, and the
/// caller parses the page whole.
fn in_pieces(src: &str) -> Option<Page<'_>> {
    // Fresh keys for each page: a page cannot be written to make its
    // pieces' events collide with the whole page's.
    let keys = std::hash::RandomState::new();
    let plan = Plan::of(src, keys.build_hasher())?;
    let mut builder = Builder::new(src);
    let mut hasher = keys.build_hasher();
    let starts = std::iter::once(0).chain(plan.cuts.iter().copied());
    let ends = plan.cuts.iter().copied().chain(std::iter::once(src.len()));
    for (start, end) in starts.zip(ends) {
        let refs = &plan.refs;
        let lookup = |link: BrokenLink<'_>| {
            let (dest, title) = refs.get(&link.reference.to_lowercase())?;
            Some((CowStr::from(dest.clone()), CowStr::from(title.clone())))
        };
        let parser =
            Parser::new_with_broken_link_callback(&src[start..end], options(), Some(lookup))
                .into_offset_iter();
        for (event, range) in parser {
            let range = start + range.start..start + range.end;
            fingerprint(&mut hasher, &event, &range);
            builder.event(event, range);
        }
    }
    (hasher.finish() == plan.fingerprint).then(|| builder.finish())
}

/// Feed an event and its range into `hasher`: all of it, except whether a
/// reference link's definition was in the parsed text (a link a piece
/// resolves through [`Plan::refs`] is `…Unknown`), which the model does
/// not read.
fn fingerprint(hasher: &mut impl Hasher, event: &Event<'_>, range: &Range<usize>) {
    use std::fmt::Write;
    use std::hash::Hash;
    hasher.write_usize(range.start);
    hasher.write_usize(range.end);
    std::mem::discriminant(event).hash(hasher);
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        })
        | Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            hasher.write_u8(matches!(event, Event::Start(Tag::Image { .. })) as u8);
            let _ = write!(HashWriter(hasher), "{:?}", known_link_type(*link_type));
            dest_url.hash(hasher);
            title.hash(hasher);
            id.hash(hasher);
        }
        Event::Start(tag) => {
            // Tags are not `Hash`; their `Debug` form is all of them.
            let _ = write!(HashWriter(hasher), "{tag:?}");
        }
        Event::End(end) => end.hash(hasher),
        Event::Text(s)
        | Event::Code(s)
        | Event::InlineMath(s)
        | Event::DisplayMath(s)
        | Event::Html(s)
        | Event::InlineHtml(s)
        | Event::FootnoteReference(s) => s.hash(hasher),
        Event::TaskListMarker(checked) => checked.hash(hasher),
        Event::SoftBreak | Event::HardBreak | Event::Rule => {}
    }
}

/// The link type a reference has when its definition is in the parsed text.
fn known_link_type(t: LinkType) -> LinkType {
    match t {
        LinkType::ReferenceUnknown => LinkType::Reference,
        LinkType::CollapsedUnknown => LinkType::Collapsed,
        LinkType::ShortcutUnknown => LinkType::Shortcut,
        other => other,
    }
}

/// Formatted text written into a hasher.
struct HashWriter<'h, H>(&'h mut H);

impl<H: Hasher> std::fmt::Write for HashWriter<'_, H> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

/// Append prose, turning any literal [`CODE_MARK`] in the page into a
/// space (same length), so marks always stand for inline code.
/// Append prose text, with any [`CODE_MARK`] in it made a space; `marks`
/// says whether the text can hold one at all.
fn push_prose(out: &mut String, text: &str, marks: bool) {
    if marks && memchr::memchr(CODE_MARK as u8, text.as_bytes()).is_some() {
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

    /// Markdown that pieces of a page must not change: references defined
    /// in other pieces, footnotes, comments and code that span blank lines,
    /// loose lists, tables, block quotes, headings, directives, line endings.
    const FRAGMENTS: &[&str] = &[
        "A paragraph with a [reference][far] and a [shortcut] link.",
        "[far]: https://example.com/far \"Far\"",
        "[shortcut]: ./shortcut.md",
        "[Case Folded]: ./folded.md\n\nSee [case folded].",
        "A footnote[^n] reference.",
        "[^n]: The note,\n    continued.",
        "<!-- a comment\n\nover a blank line -->",
        "<!-- cavra-allow: undefined-state -->",
        "```json\n{\"state\": \"trial\"}\n\n```",
        "    indented code\n\n    after a blank line",
        "- item one\n\n- item two, loose\n\n  continued",
        "1. first\n2. second\n   - nested `code`",
        "| A | B |\n|---|---|\n| `x` | y |",
        "> quoted\nlazy line\n\n> another quote",
        "# Heading {#id .class}\n\nSetext heading\n---",
        "Term\n: definition",
        "- [ ] task\n- [x] done",
        "{{#cavra-states decision}}",
        "Inline {{#cavra-state decision.allow}} and \\{{#cavra-state x}}.",
        "<div>\nraw html\n</div>",
        "CRLF line\r\nand another\r\n",
        "***",
        "Text with &amp; entities, *emphasis* and **strong**, ~~struck~~.",
        "```\nan unclosed fence at the end of a fragment",
        "```\n",
        "[undefined] reference and [another][missing].",
    ];

    /// A long page of fragments picked by a small xorshift generator.
    fn long_page(mut seed: u64) -> String {
        let mut page = String::new();
        while page.len() < 3 * PIECE + PIECE / 2 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            page.push_str(FRAGMENTS[(seed % FRAGMENTS.len() as u64) as usize]);
            page.push_str(["\n\n", "\n", "\n\n\n"][(seed >> 8) as usize % 3]);
        }
        page
    }

    #[test]
    fn a_long_page_read_in_pieces_is_the_page_read_whole() {
        let mut in_pieces_count = 0;
        for seed in 1..=12u64 {
            let src = long_page(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let whole = format!("{:?}", Builder::new(&src).whole());
            if let Some(page) = in_pieces(&src) {
                in_pieces_count += 1;
                assert!(format!("{page:?}") == whole, "seed {seed}: pieces differ");
            }
            assert!(format!("{:?}", Page::parse(&src)) == whole, "seed {seed}");
        }
        // Most pages are read in pieces (an unclosed fence, or a reference
        // defined twice, makes a page fall back to one parse).
        assert!(in_pieces_count >= 6, "{in_pieces_count} of 12 in pieces");
    }

    #[test]
    fn the_guide_read_in_pieces_is_the_guide_read_whole() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
        let mut files: Vec<_> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| e.into_path())
            .collect();
        files.sort();
        let mut src = String::new();
        while src.len() < 2 * PIECE {
            for f in &files {
                src.push_str(&std::fs::read_to_string(f).unwrap());
                src.push_str("\n\n");
            }
        }
        let page = in_pieces(&src).expect("read in pieces");
        assert!(format!("{page:?}") == format!("{:?}", Builder::new(&src).whole()));
    }

    #[test]
    fn pieces_that_would_differ_from_the_whole_page_are_not_used() {
        // The first definition of a label counts; a piece that holds only
        // the second would resolve the reference to it.
        let filler = "Filler paragraph.\n\n".repeat(3 * PIECE / 2 / 19);
        let src = format!("[a]: /first\n\n{filler}[a]: /second\n\nSee [a].\n\n{filler}");
        assert!(in_pieces(&src).is_none());
        let page = Page::parse(&src);
        assert_eq!(page.links.len(), 1);
        assert_eq!(page.links[0].dest, "/first");
        // Defined once, in another piece, it resolves alike.
        let src = format!("[a]: /only\n\n{filler}See [a].\n\n{filler}");
        let page = in_pieces(&src).expect("read in pieces");
        assert_eq!(page.links[0].dest, "/only");
    }

    #[test]
    fn a_page_with_one_huge_block_is_read_whole() {
        let src = "word ".repeat(PIECE);
        assert!(in_pieces(&src).is_none());
        assert_eq!(Page::parse(&src).blocks.len(), 1);
    }
}

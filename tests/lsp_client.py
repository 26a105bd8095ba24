"""Drive `mdbook-cavra lsp` with a real LSP client library (pygls and
lsprotocol), as an editor would.

    python3 tests/lsp_client.py MDBOOK_CAVRA BOOK_ROOT

BOOK_ROOT is a book whose `src/bad.md` holds an `undefined-state` mistake
(tests/lsp.rs writes it). The script checks, in order: diagnostics on open
equal `mdbook-cavra check --format json` (rule, line, UTF-16 column,
message); the safe quick fix of the `undefined-state` finding, applied
with didChange, makes it go; hover on a directive explains its expansion;
completion inside `{{#cavra-states ` offers vocabulary ids; the server
survives a malformed message and an unknown method; shutdown and exit
give status 0. It prints one line per step and exits non-zero on the first
failure.
"""

import asyncio
import json
import pathlib
import shutil
import subprocess
import sys

from lsprotocol import types
from pygls.exceptions import JsonRpcMethodNotFound
from pygls.lsp.client import LanguageClient

TIMEOUT = 30


class Client(LanguageClient):
    def __init__(self):
        super().__init__("mdbook-cavra-test", "1")
        self.diagnostics = {}
        self.published = asyncio.Condition()
        self.exit_code = None

    async def server_exit(self, server):
        self.exit_code = server.returncode


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)
    print(f"ok: {message}")


def utf16_column(line_text, chars):
    return sum(2 if ord(c) > 0xFFFF else 1 for c in line_text[:chars])


def check_findings(binary, root, rel):
    out = subprocess.run(
        [binary, "check", ".", "--format", "json"],
        cwd=root,
        capture_output=True,
        check=False,
    )
    text = (root / rel).read_text(encoding="utf-8").split("\n")
    found = []
    for f in json.loads(out.stdout)["findings"]:
        if f["path"] != rel:
            continue
        line = f["line"]
        column = utf16_column(text[line - 1], f["column"] - 1)
        found.append((f["rule"], line - 1, column, f["message"]))
    return found


def as_tuples(diagnostics):
    return [
        (
            d.code,
            d.range.start.line,
            d.range.start.character,
            d.message.split("\nnote: ")[0].split("\nhelp: ")[0],
        )
        for d in diagnostics
    ]


def offset(text, position):
    """The index in `text` of an LSP position (UTF-16 columns)."""
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    units = 0
    for i, c in enumerate(line):
        if units >= position.character:
            return start + i
        units += 2 if ord(c) > 0xFFFF else 1
    return start + len(line)


def apply_edits(text, edits):
    spans = sorted(
        ((offset(text, e.range.start), offset(text, e.range.end), e.new_text) for e in edits),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def position_of(text, needle, plus=0):
    i = text.index(needle) + plus
    line = text.count("\n", 0, i)
    start = text.rfind("\n", 0, i) + 1
    return types.Position(line=line, character=utf16_column(text[start:], i - start))


async def main(binary, root):
    binary = str(pathlib.Path(shutil.which(binary) or binary).resolve())
    root = pathlib.Path(root).resolve()
    bad_path = root / "src" / "bad.md"
    uri = bad_path.as_uri()
    client = Client()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    async def on_diagnostics(params):
        async with client.published:
            client.diagnostics[params.uri] = (params.version, params.diagnostics)
            client.published.notify_all()

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def on_log(params):
        pass

    async def diagnostics_at(version):
        async with client.published:
            await asyncio.wait_for(
                client.published.wait_for(lambda: client.diagnostics.get(uri, (None,))[0] == version),
                TIMEOUT,
            )
            return client.diagnostics[uri][1]

    await client.start_io(binary, "lsp")
    result = await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            process_id=None,
            root_uri=root.as_uri(),
        )
    )
    expect(result.capabilities.hover_provider is not None, "initialize: the server says what it does")
    client.initialized(types.InitializedParams())

    text = bad_path.read_text(encoding="utf-8")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
        )
    )
    diagnostics = await diagnostics_at(1)
    expected = check_findings(binary, root, "src/bad.md")
    expect(
        as_tuples(diagnostics) == expected,
        f"didOpen: diagnostics equal `check --format json` ({len(expected)} findings)",
    )
    undefined = [d for d in diagnostics if d.code == "undefined-state"]
    expect(len(undefined) > 0, "didOpen: an undefined-state diagnostic")

    # The quick fix, applied as an editor applies a workspace edit.
    target = undefined[0]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=target.range,
            context=types.CodeActionContext(diagnostics=[target]),
        )
    )
    fixes = [a for a in actions or [] if isinstance(a, types.CodeAction) and a.is_preferred]
    expect(len(fixes) > 0, "codeAction: the finding's fix is offered, preferred")
    fixed = apply_edits(text, fixes[0].edit.changes[uri])
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    after = await diagnostics_at(2)
    expect(
        not any(d.range == target.range and d.code == target.code for d in after)
        and len(after) == len(diagnostics) - 1,
        "didChange with the fix applied: that diagnostic is gone",
    )

    # Hover on a directive, completion inside one: an incremental change
    # appends two lines.
    end = types.Position(line=len(fixed.split("\n")) - 1, character=0)
    added = "\n{{#cavra-states subscription}}\n\n{{#cavra-states \n"
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
            content_changes=[
                types.TextDocumentContentChangePartial(range=types.Range(start=end, end=end), text=added)
            ],
        )
    )
    now = fixed + added
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position_of(now, "{{#cavra-states subscription}}", 4),
        )
    )
    expect(
        hover is not None and "expands to" in hover.contents.value and "past_due" in hover.contents.value,
        "hover on a directive: what it expands to",
    )
    completion = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position_of(now, "{{#cavra-states \n", len("{{#cavra-states ")),
        )
    )
    items = completion if isinstance(completion, list) else completion.items
    expect(
        "subscription" in [i.label for i in items],
        "completion inside `{{#cavra-states `: vocabulary ids",
    )

    # Back to the mistake, then fixed by hand: diagnostics follow.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=4),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="# Bad\n\nIt is `canceled`.\n")],
        )
    )
    expect(
        [d.code for d in await diagnostics_at(4)] == ["undefined-state"],
        "didChange: a new mistake is reported",
    )
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=5),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="# Bad\n\nIt is `cancelled`.\n")],
        )
    )
    cleared = await diagnostics_at(5)
    expect(len(cleared) == 0, f"didChange: the fixed text clears the diagnostic {as_tuples(cleared)}")

    # A malformed message (written on the server's input directly, as no
    # client library sends one) and an unknown method.
    client._server.stdin.write(b"Content-Length: 9\r\n\r\n{not json")
    try:
        await client.protocol.send_request_async("cavra/unknownMethod", None)
        fail("an unknown method is answered with an error")
    except JsonRpcMethodNotFound:
        print("ok: an unknown method is answered with MethodNotFound")
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position_of("# Bad\n\nIt is `cancelled`.\n", "cancelled", 2),
        )
    )
    expect(hover is not None, "after a malformed message the server still answers")

    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    expect(client.exit_code == 0, f"shutdown and exit: status {client.exit_code}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: lsp_client.py MDBOOK_CAVRA BOOK_ROOT")
    asyncio.run(main(sys.argv[1], sys.argv[2]))

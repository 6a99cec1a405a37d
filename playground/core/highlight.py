"""Python source as HTML with its syntax coloured and numbered lines, one of them marked: the glass box's code view.

Python's own tokenizer splits the text (no highlighting library to download); each token kind gets a class that the
view's stylesheet colours. Text that does not tokenize (a student's unfinished code) is shown plain.
"""

from __future__ import annotations

import builtins
import io
import keyword
import token
import tokenize
from html import escape

BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
STYLES = """
.pg-code { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #fbfcfd;
  border: 1px solid #dde3ea; border-radius: 6px; padding: 6px 0; margin: 0; overflow-x: auto; color: #1f2328; }
.pg-code .ln { display: block; padding: 0 12px 0 0; white-space: pre; }
.pg-code .ln::before { content: attr(data-n); display: inline-block; width: 3.2em; padding-right: 1em;
  text-align: right; color: #6e7781; user-select: none; }
.pg-code .ln.here { background: #fff3c4; box-shadow: inset 3px 0 0 #bf8700; }
.pg-code .kw { color: #8250df; font-weight: 600; } .pg-code .str { color: #0a3069; } .pg-code .num { color: #0550ae; }
.pg-code .com { color: #57606a; font-style: italic; } .pg-code .bi { color: #953800; } .pg-code .def { color: #6639ba; }
"""


def highlight(text: str, marked: int | None = None, first_number: int = 1) -> str:
    """`text` as a <pre class="pg-code"> of numbered lines (from `first_number`), coloured, line `marked` (from 1,
    of `text`) highlighted and announced to screen readers; the block takes the keyboard's focus, to scroll its long
    lines."""
    lines = _coloured_lines(text)
    parts = []
    for number, line in enumerate(lines, start=1):
        mark = ' here" aria-current="step' if number == marked else ""
        parts.append(f'<span class="ln{mark}" data-n="{number + first_number - 1}">{line or " "}</span>')
    return f'<pre class="pg-code" tabindex="0">{"".join(parts)}</pre>'


def _coloured_lines(text: str) -> list[str]:
    """The HTML of each line of `text`, its tokens wrapped in their class's span."""
    source_lines = text.splitlines()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return [escape(line) for line in source_lines]
    lines = [[] for _ in source_lines]
    cursor = [(row, 0) for row in range(len(source_lines))]  # where each line's HTML has got to
    previous = None
    for tok in tokens:
        kind = _kind(tok, previous)
        if tok.type not in (token.NL, token.NEWLINE, token.INDENT, token.DEDENT, token.ENDMARKER):
            previous = tok
        (start_row, start_col), (end_row, end_col) = tok.start, tok.end
        if start_row > len(source_lines) or not tok.string or tok.type in (token.INDENT, token.DEDENT):
            continue
        for row in range(start_row, end_row + 1):  # a token may span lines (a triple-quoted string)
            line = source_lines[row - 1]
            begin = start_col if row == start_row else 0
            end = end_col if row == end_row else len(line)
            _, done = cursor[row - 1]
            lines[row - 1].append(escape(line[done:begin]))  # the spaces before the token
            piece = escape(line[begin:end])
            lines[row - 1].append(f'<span class="{kind}">{piece}</span>' if kind and piece else piece)
            cursor[row - 1] = (row - 1, end)
    for row, line in enumerate(source_lines):
        lines[row].append(escape(line[cursor[row][1] :]))
    return ["".join(parts) for parts in lines]


def _kind(tok: tokenize.TokenInfo, previous: tokenize.TokenInfo | None) -> str:
    if tok.type == token.NAME:
        if keyword.iskeyword(tok.string) or keyword.issoftkeyword(tok.string) and tok.string != "_":
            return "kw"
        if previous is not None and previous.string in ("def", "class"):
            return "def"
        return "bi" if tok.string in BUILTINS else ""
    return {token.STRING: "str", token.NUMBER: "num", token.COMMENT: "com"}.get(tok.type, "")

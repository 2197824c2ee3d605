"""Per-line highlighted HTML of a Python file.

Pygments' HTML formatter wraps a whole block; the guide needs each line on its own (to give
every line an anchor and to cut a function into pieces beside its notes), so tokens are
turned into spans here, with Pygments' own class names so Material's colours apply.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from html import escape

from pygments.lexers.python import PythonLexer
from pygments.token import STANDARD_TYPES, _TokenType


def _css_class(token: _TokenType) -> str:
    while token not in STANDARD_TYPES:
        token = token.parent
    return STANDARD_TYPES[token]


Wrap = Callable[[int, int, str], tuple[str, str] | None]
"""Given a token's line (1-based), column (0-based) and text, the HTML to put around it, or `None`."""


@cache
def line_tokens(source: str) -> tuple[tuple[tuple[int, str, str], ...], ...]:
    """Each line of `source` as `(column, css class, text)` tokens."""
    lines: list[list[tuple[int, str, str]]] = [[]]
    col = 0
    lexer = PythonLexer(stripnl=False, ensurenl=False)
    for token, value in lexer.get_tokens(source):
        css = _css_class(token)
        for i, piece in enumerate(value.split("\n")):
            if i:
                lines.append([])
                col = 0
            if piece:
                lines[-1].append((col, css, piece))
                col += len(piece)
    return tuple(tuple(line) for line in lines)


def line_html(
    tokens: tuple[tuple[int, str, str], ...], /, *, line: int = 0, wrap: Wrap | None = None
) -> str:
    """HTML of one line of tokens, each in a classed span; `wrap` may put a link around any."""
    parts = []
    for col, css, piece in tokens:
        text = escape(piece, quote=False)
        html = f'<span class="{css}">{text}</span>' if css else text
        around = wrap(line, col, piece) if wrap is not None else None
        parts.append(f"{around[0]}{html}{around[1]}" if around else html)
    return "".join(parts)


@cache
def highlight_lines(source: str) -> tuple[str, ...]:
    """HTML for each line of `source` (no line ends), every token in a classed span."""
    return tuple(line_html(tokens) for tokens in line_tokens(source))

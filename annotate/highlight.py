"""Per-line highlighted HTML of a Python file.

Pygments' HTML formatter wraps a whole block; the guide needs each line on its own (to give
every line an anchor and to cut a function into pieces beside its notes), so tokens are
turned into spans here, with Pygments' own class names so Material's colours apply.
"""

from __future__ import annotations

from functools import cache
from html import escape

from pygments.lexers.python import PythonLexer
from pygments.token import STANDARD_TYPES, _TokenType


def _css_class(token: _TokenType) -> str:
    while token not in STANDARD_TYPES:
        token = token.parent
    return STANDARD_TYPES[token]


@cache
def highlight_lines(source: str) -> tuple[str, ...]:
    """HTML for each line of `source` (no line ends), every token in a classed span."""
    lines: list[list[str]] = [[]]
    lexer = PythonLexer(stripnl=False, ensurenl=False)
    for token, value in lexer.get_tokens(source):
        css = _css_class(token)
        for i, piece in enumerate(value.split("\n")):
            if i:
                lines.append([])
            if piece:
                text = escape(piece, quote=False)
                lines[-1].append(f'<span class="{css}">{text}</span>' if css else text)
    return tuple("".join(parts) for parts in lines)

"""Per-line highlighted HTML of a Python file.

Pygments' HTML formatter wraps a whole block; the guide needs each line on its own (to give
every line an anchor, to cut a function into pieces beside its notes, and to link names to
their definitions), so tokens are turned into spans here, with Pygments' own class names so
Material's colours apply. Tokens Material draws in its punctuation colour (punctuation,
operators) and whitespace get no span: a listing's own text colour is that one (annotate.css),
and they are about two in five of a file's tokens, each an element the browser styles; for the
same reason neighbours of one class share a span, and a folded docstring's lines are bare text
in the docstring colour its listing takes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import cache
from html import escape
from pathlib import Path

import pygments
from pygments.lexers.python import PythonLexer
from pygments.token import STANDARD_TYPES, _TokenType

Token = tuple[int, str, str]
"""`(column, css class, text)` of one token on one line."""

# Pygments classes drawn in the listing's own colour: `o` and `ow` share `p`'s colour in both of
# Material's schemes (tests/browser/test_layout.py compares them with Material's own).
PLAIN = frozenset({"p", "o", "ow", "w"})
DOC_PLAIN = PLAIN | {"sd"}
"""What is bare text in a folded docstring's listing, drawn in the docstring colour (`an-doc`)."""

Wrap = Callable[[int, int, str], tuple[str, str] | None]
"""Given a token's line (1-based), column (0-based) and text, the HTML to put around it, or `None`."""

# Content-addressed, so it can never serve stale tokens: the key is the hash of the source.
_TOKENS: dict[str, tuple[tuple[Token, ...], ...]] = {}


def _key(source: str) -> str:
    return hashlib.sha256(f"{pygments.__version__}\n{source}".encode()).hexdigest()


def _css_class(token: _TokenType) -> str:
    found: _TokenType | None = token
    while found is not None and found not in STANDARD_TYPES:
        found = found.parent
    return STANDARD_TYPES[found] if found is not None else ""


def line_tokens(source: str) -> tuple[tuple[Token, ...], ...]:
    """Each line of `source` as `(column, css class, text)` tokens."""
    key = _key(source)
    if key not in _TOKENS:
        _TOKENS[key] = _lex(source)
    return _TOKENS[key]


def preload(sources: list[str], cache_dir: Path) -> None:
    """Lex `sources` once per content: from `cache_dir` if there, else now and saved there.

    Lexing module.py takes Pygments most of a second; a rebuild should not pay it again.
    """
    for source in sources:
        key = _key(source)
        if key in _TOKENS:
            continue
        path = cache_dir / f"{key[:32]}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            _TOKENS[key] = tuple(tuple((c, css, t) for c, css, t in line) for line in data)
            continue
        except (OSError, ValueError, TypeError):
            pass
        _TOKENS[key] = _lex(source)
        cache_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(_TOKENS[key]), encoding="utf-8")


def _lex(source: str) -> tuple[tuple[Token, ...], ...]:
    lines: list[list[Token]] = [[]]
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
    tokens: tuple[Token, ...],
    /,
    *,
    line: int = 0,
    wrap: Wrap | None = None,
    plain: frozenset[str] = PLAIN,
) -> str:
    """HTML of one line of tokens, each in a classed span; `wrap` may put a link around any.

    Tokens of a class in `plain` are bare text; neighbours of one class share a span (a string's
    quotes and its text are three tokens), unless a link goes around either.
    """
    parts: list[str] = []
    open_css = ""  # the class of the span `parts[-1]` ends with, if it may take more text
    for col, css, piece in tokens:
        text = escape(piece, quote=False)
        around = wrap(line, col, piece) if wrap is not None else None
        spanned = bool(css) and css not in plain
        if spanned and not around and css == open_css:
            parts[-1] = parts[-1].removesuffix("</span>") + text + "</span>"
            continue
        html = f'<span class="{css}">{text}</span>' if spanned else text
        parts.append(f"{around[0]}{html}{around[1]}" if around else html)
        open_css = css if spanned and not around else ""
    return "".join(parts)


@cache
def highlight_lines(source: str) -> tuple[str, ...]:
    """HTML for each line of `source` (no line ends), every token in a classed span."""
    return tuple(line_html(tokens) for tokens in line_tokens(source))

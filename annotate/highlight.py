"""Per-line highlighted HTML of a Python file.

Pygments' HTML formatter wraps a whole block; the guide needs each line on its own (to give
every line an anchor and to cut a function into pieces beside its notes), so tokens are
turned into spans here, with Pygments' own class names so Material's colours apply.
"""

from __future__ import annotations

import hashlib
import json
from html import escape
from pathlib import Path

import pygments
from pygments.lexers.python import PythonLexer
from pygments.token import STANDARD_TYPES, _TokenType

# Content-addressed, so it can never serve stale lines: the key is the hash of the source.
_MEMO: dict[str, tuple[str, ...]] = {}


def _key(source: str) -> str:
    return hashlib.sha256(f"{pygments.__version__}\n{source}".encode()).hexdigest()


def _css_class(token: _TokenType) -> str:
    while token not in STANDARD_TYPES:
        token = token.parent
    return STANDARD_TYPES[token]


def highlight_lines(source: str) -> tuple[str, ...]:
    """HTML for each line of `source` (no line ends), every token in a classed span."""
    key = _key(source)
    if key not in _MEMO:
        _MEMO[key] = _highlight(source)
    return _MEMO[key]


def preload(sources: list[str], cache_dir: Path) -> None:
    """Highlight `sources` once per content: from `cache_dir` if there, else now and saved there.

    Lexing module.py takes Pygments most of a second; a rebuild should not pay it again.
    """
    for source in sources:
        key = _key(source)
        if key in _MEMO:
            continue
        path = cache_dir / f"{key[:32]}.json"
        try:
            _MEMO[key] = tuple(json.loads(path.read_text(encoding="utf-8")))
            continue
        except (OSError, ValueError):
            pass
        _MEMO[key] = _highlight(source)
        cache_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(_MEMO[key]), encoding="utf-8")


def _highlight(source: str) -> tuple[str, ...]:
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

"""Text put into generated Markdown that must be shown as it is, never read as Markdown or HTML.

Note file names, fields of the lock file and quoted anchors reach generated pages (the
maintenance page): inside a code span a backtick ends the span, in a table a `|` ends the cell,
and anything else Markdown reads as syntax or raw HTML. Every character that could be read so
is written as a numeric character reference, which Markdown passes through and a browser shows
as the character.
"""

from __future__ import annotations

import re

_SYNTAX = re.compile(r"[^\w \u0080-\U0010ffff]|_")
_SPACE = re.compile(r"\s+")
_CODE_SPAN = re.compile(r"`([^`]+)`")


def literal(text: str, /) -> str:
    """`text` for Markdown or HTML, to be shown exactly as it is, on one line."""
    flat = _SPACE.sub(" ", text)
    return _SYNTAX.sub(lambda match: f"&#{ord(match[0])};", flat)


def code(text: str, /) -> str:
    """`text` as inline code, shown as it is (a code span would end at its first backtick)."""
    return f"<code>{literal(text)}</code>"


def with_code(text: str, /) -> str:
    """`text` (a message in which `` `x` `` quotes code) shown as it is, its quotes as code.

    A quote holding a backtick of its own is cut short there; what shows is still the text.
    """
    parts = _CODE_SPAN.split(text)
    return "".join(code(part) if i % 2 else literal(part) for i, part in enumerate(parts) if part)

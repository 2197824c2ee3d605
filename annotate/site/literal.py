"""Text put into generated Markdown that must be shown as it is, never read as Markdown or HTML.

Note file names, fields of the lock file and quoted anchors reach generated pages (the
maintenance page): inside a code span a backtick ends the span, in a table a `|` ends the cell,
and anything else Markdown reads as syntax or raw HTML. Every character that could be read so
is escaped: `<`, `>`, `&`, quotes and `|` as character references, Markdown's own marks with a
backslash, so that the page's HTML still reads `module/Module.to.md` where nothing needed it.
"""

from __future__ import annotations

import html
import re

_MARKS = re.compile(r"([\\`*_{}\[\]])")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CODE_SPAN = re.compile(r"`([^`]+)`")
_BLOCK_START = re.compile(r"^(\s*\d*)([.)#+-])")
"""What would start a list or a heading if the text began a line (`1. x`, `- x`, `# x`)."""


def literal(text: str, /) -> str:
    """`text` for Markdown or HTML, to be shown exactly as it is, on one line."""
    flat = _CONTROL.sub("\ufffd", _SPACE.sub(" ", text))
    escaped = _MARKS.sub(r"\\\1", html.escape(flat)).replace("|", "&#124;")
    return _BLOCK_START.sub(r"\1\\\2", escaped, count=1)


def code(text: str, /) -> str:
    """`text` as inline code, shown as it is (a code span would end at its first backtick)."""
    return f"<code>{literal(text)}</code>"


def with_code(text: str, /) -> str:
    """`text` (a message in which `` `x` `` quotes code) shown as it is, its quotes as code.

    A quote holding a backtick of its own is cut short there; what shows is still the text.
    """
    parts = _CODE_SPAN.split(text)
    return "".join(code(part) if i % 2 else literal(part) for i, part in enumerate(parts) if part)

"""A page as search reads it: the parts search leaves out set aside before it parses the page.

Material's search parses all of a page's HTML, then drops what is marked `data-search-exclude`:
the highlighted source and the margin notes, most of every chapter and file page. Handing it the
page with those parts set aside (each replaced by a placeholder, put back when the page is
written) gives the same index in a fraction of the time, and leaves the page's bytes as they were.
The placeholders carry a digest of the page they were cut from: no text of the page can be taken
for one, and the same page cut again reads the same, so that search can take back its entries.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field

_EXCLUDED_START = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?\sdata-search-exclude(?=[\s>/=])[^<>]*>"
)
_HEADING = re.compile(r"<h[1-6]\b", re.IGNORECASE)
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


@dataclass
class SetAside:
    """The parts of pages set aside, until each page is written."""

    parts: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    """By page, the token of its placeholders and what they stand for, in order."""

    def cut(self, page: str, html: str, /) -> str:
        """`html` with each element search excludes replaced by a placeholder.

        Left in place: a heading, an element holding one (search still starts a section at it) or
        another element of its own name (search stops excluding at the inner one's end).
        """
        token = hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        kept: list[str] = []
        out: list[str] = []
        position = 0
        for start in _EXCLUDED_START.finditer(html):
            if start.start() < position:
                continue  # inside an element already set aside
            tag = start.group(1).lower()
            if tag in _VOID or _HEADING.match(start.group(0)):
                continue
            end = _end_of(html, tag, start.end())
            if end is None:
                continue
            inner = html[start.end() : end]
            if _HEADING.search(inner) or re.search(rf"<{tag}\b", inner, re.IGNORECASE):
                continue
            close = html.index(">", end) + 1
            out.append(html[position : start.start()])
            out.append(f"<!--an-aside-{token}-{len(kept)}-->")
            kept.append(html[start.start() : close])
            position = close
        if not kept:
            return html
        out.append(html[position:])
        self.parts[page] = (token, kept)
        return "".join(out)

    def put_back(self, page: str, html: str, /) -> str:
        """`html`, a page written from what `cut` returned, with its parts back in place."""
        token, kept = self.parts.pop(page, ("", []))
        if not kept:
            return html
        placeholder = re.compile(rf"<!--an-aside-{token}-(\d+)-->")
        return placeholder.sub(lambda found: kept[int(found.group(1))], html)


@functools.cache
def _end_tag(tag: str) -> re.Pattern[str]:
    return re.compile(rf"</{tag}\s*>", re.IGNORECASE)


def _end_of(html: str, tag: str, start: int) -> int | None:
    """Where the end tag of the `tag` element whose content starts at `start` begins."""
    found = _end_tag(tag).search(html, start)
    return found.start() if found else None

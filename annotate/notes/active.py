"""Refuse notes that carry active content: a note is text, never script.

Notes come from pull requests and are shown to every reader, so anything that could run in a
reader's browser (or at build time) is rejected with the reason, not silently cleaned. The
check looks at the HTML the note turns into, as a browser would see it (tags and attribute
names case-folded, entities decoded), so spellings that dodge a text search are caught too.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

from markdown import Markdown

BANNED_TAGS = frozenset(
    {
        "script",
        "iframe",
        "object",
        "embed",
        "style",
        "form",
        "frame",
        "frameset",
        "applet",
        "base",
        "meta",
        "link",
        "noscript",
        "template",
        "portal",
    }
)
"""Elements a note may not contain."""

URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "data",
        "poster",
        "background",
        "srcset",
        "lowsrc",
        "dynsrc",
        "ping",
        "cite",
        "longdesc",
        "usemap",
        "codebase",
    }
)
"""Attributes whose value is loaded or followed as a URL."""

BANNED_SCHEMES = ("javascript:", "data:", "vbscript:")

# The extensions notes are rendered with on the site that can produce HTML attributes.
_EXTENSIONS = ["attr_list", "md_in_html", "admonition", "pymdownx.superfences", "pymdownx.details"]
_EXEC_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\bexec\s*=", re.I | re.M)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One piece of active content."""

    line: int
    """1-based line in the checked text."""
    reason: str
    """What was found, e.g. "`<script>` element"."""


def scheme_of(value: str) -> str:
    """The URL scheme a browser would see in an attribute value (entities and spaces removed)."""
    decoded = _CONTROL.sub("", html.unescape(html.unescape(value))).lower()
    return decoded.split(":", 1)[0] + ":" if ":" in decoded else ""


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []  # (reason, needle to find the source line)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BANNED_TAGS:
            self.found.append((f"`<{tag}>` element", tag))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((f"inline event handler `{name}=`", name))
            elif name == "style" and value and re.search(r"expression|url\s*\(", value, re.I):
                self.found.append(("`style` attribute loading content", "style"))
            elif name in URL_ATTRIBUTES and value is not None:
                scheme = scheme_of(value)
                if scheme in BANNED_SCHEMES:
                    self.found.append((f"`{scheme}` URL in `{name}=`", scheme))

    handle_startendtag = handle_starttag


@cache
def _markdown() -> Markdown:
    # One converter for every note: building one costs more than converting a note.
    return Markdown(extensions=_EXTENSIONS)


def find_active_content(text: str) -> list[Finding]:
    """Every piece of active content in the Markdown `text`, each with its line."""
    findings = [
        Finding(line=text.count("\n", 0, match.start()) + 1, reason="executed code fence (`exec=`)")
        for match in _EXEC_FENCE.finditer(text)
    ]
    collector = _Collector()
    rendered = _markdown().reset().convert(text)
    # Raw text too: Markdown drops some malformed tags from its output that a browser would
    # still have been handed on another renderer.
    for source in (rendered, _without_code(text)):
        collector.feed(source)
        collector.close()
        collector.reset()
    seen: set[tuple[int, str]] = set()
    for reason, needle in collector.found:
        line = _line_of(text, needle)
        if (line, reason) not in seen:
            seen.add((line, reason))
            findings.append(Finding(line=line, reason=reason))
    return sorted(findings, key=lambda f: f.line)


_FENCED = re.compile(r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.S)


def _without_code(text: str) -> str:
    """`text` with code blanked out (newlines kept): code is shown as text, never run."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match[0])

    return _CODE_SPAN.sub(blank, _FENCED.sub(blank, text))


def _line_of(text: str, needle: str) -> int:
    """The first line whose browser-visible text contains `needle` (1 when none does)."""
    lines = text.split("\n")
    wanted = needle.lower()
    for number, line in enumerate(lines, start=1):
        if wanted in _CONTROL.sub("", html.unescape(html.unescape(line))).lower():
            return number
    # An attribute split over lines: look at each line joined with the next.
    for number in range(1, len(lines)):
        joined = lines[number - 1] + lines[number]
        if wanted in _CONTROL.sub("", html.unescape(joined)).lower():
            return number
    return 1

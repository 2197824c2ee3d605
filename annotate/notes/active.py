"""Refuse notes that carry active content: a note is text, never script.

Notes come from pull requests and are shown to every reader, so anything that could run in a
reader's browser (or at build time) is rejected with the reason, not silently cleaned. The HTML
a note turns into is parsed as a browser parses it (html5lib implements the HTML5 parsing
algorithm: `<!-->`, raw-text elements, CDATA and foreign content end where a browser says) and
judged against an allowlist of elements, attributes and URL schemes; ammonia (through `nh3`),
given the same allowlist, must leave the note as it is, so a spelling that one parser misreads
is still caught by the other.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urlsplit

import html5lib
import markdown_exec
import nh3
from markdown import Markdown

ALLOWED_TAGS = frozenset(
    {
        *("a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup"),
        *("dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark"),
        *("ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary"),
        *("sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var", "wbr"),
    }
)
"""Elements a note may contain: text structure, nothing that loads, runs or submits."""

ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"class", "id", "title", "lang", "dir"}),
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start", "type"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "col": frozenset({"span"}),
    "details": frozenset({"open"}),
    "abbr": frozenset(),
}
"""Attributes each element may carry (`*`: any allowed element)."""

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
"""Schemes a link may use; relative links and `#anchors` are always fine."""
EXAMPLE_LANGUAGES = frozenset({"python", "py"})
"""Fences a page (not a note) may execute: the examples, run by `annotate.examples`."""
MAX_DEPTH = 100
"""Deeper nesting of elements is refused: no text needs it, and it slows every reader."""

# The extensions notes are rendered with on the site that can produce HTML attributes.
# The site's block extensions (mkdocs.yml): a note is judged as the site renders it, so that
# Markdown inside a construct the judge did not know (a tab) is not left unread as raw HTML.
_EXTENSIONS = [
    "attr_list",
    "md_in_html",
    "admonition",
    "pymdownx.superfences",
    "pymdownx.details",
    "pymdownx.tabbed",
]
_EXEC_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\bexec\s*=", re.I | re.M)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_NS = re.compile(r"^\{[^}]*\}")
_ELEMENT_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_END_ID = "annotate-end-of-text"
_END = f'<wbr id="{_END_ID}">'
"""Put after a text's HTML: an element when the text ends with nothing left open."""


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
    return decoded.split(":", 1)[0] + ":" if ":" in decoded.split("/", 1)[0] else ""


def _judge_attribute(tag: str, name: str, value: str) -> tuple[str, str] | None:
    """(reason, needle) when attribute `name=value` of `tag` is not allowed."""
    if name.startswith("on"):
        return f"inline event handler `{name}=`", name
    allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, frozenset())
    if name not in allowed:
        return f"`{name}=` attribute on `<{tag}>`", name
    if name in ("href", "src"):
        scheme = scheme_of(value)
        if scheme and scheme[:-1] not in LINK_SCHEMES:
            return f"`{scheme}` URL in `{name}=`", scheme
        if name == "src" and (scheme or urlsplit(value.strip()).netloc):
            return "an image from another host (`src=` must be a path in the site)", "src"
    return None


def _walk(fragment: Any) -> list[tuple[str, str]]:
    """(reason, needle) for every element, attribute or comment outside the allowlist."""
    found: list[tuple[str, str]] = []
    stack = [(child, 1) for child in reversed(list(fragment))]
    while stack:
        element, depth = stack.pop()
        tag = element.tag
        if not isinstance(tag, str):  # a comment: inert, and dropped by nothing
            pass
        else:
            name = _NS.sub("", tag).lower()
            if name not in ALLOWED_TAGS:
                found.append((f"`<{name}>` element", name))
            if depth > MAX_DEPTH:
                found.append((f"elements nested more than {MAX_DEPTH} deep", "<"))
                continue
            for attribute, value in element.attrib.items():
                attribute_name = _NS.sub("", attribute).lower()
                if isinstance(attribute, tuple):  # html5lib's namespaced attribute form
                    attribute_name = str(attribute[1]).lower()
                judged = _judge_attribute(name, attribute_name, value or "")
                if judged:
                    found.append(judged)
        stack.extend((child, depth + 1) for child in reversed(list(element)))
    return found


def _shape(fragment: Any) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Elements and their attributes in document order: what two parses must agree on."""
    shape = []
    for element in fragment.iter():
        if isinstance(element.tag, str):
            attributes = tuple(sorted((str(k), str(v)) for k, v in element.attrib.items()))
            shape.append((_NS.sub("", element.tag).lower(), attributes))
    return shape


def _parse(markup: str) -> Any:
    return html5lib.parseFragment(markup, container="div", namespaceHTMLElements=False)


def _left_open(markup: str) -> bool:
    """Whether `markup` ends inside a tag, an attribute or a comment: the page's own markup
    after it would close it, as a browser reads it, with unchecked attributes."""
    return not any(element.get("id") == _END_ID for element in _parse(markup + _END).iter("wbr"))


def _ammonia_changes(markup: str, parsed: Any) -> bool:
    attributes = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
    attributes["*"] = set(ALLOWED_ATTRIBUTES["*"])
    cleaned = nh3.clean(
        markup,
        tags=set(ALLOWED_TAGS),
        attributes=attributes,
        url_schemes=set(LINK_SCHEMES),
        link_rel=None,
        strip_comments=False,
        generic_attribute_prefixes=set(),
    )
    return _shape(_parse(cleaned))[1:] != _shape(parsed)[1:]


def _runs(language: str, inputs: dict, options: dict, attrs: dict, md: Markdown) -> bool:
    try:
        return bool(markdown_exec.validator(language, inputs, options, attrs, md))
    except ValueError:  # a malformed option: still the build's fence, shown here as code
        return True


def _as_code(source: str, *args: Any, **kwargs: Any) -> str:
    return f"<pre><code>{html.escape(source)}</code></pre>"


@cache
def _markdown() -> Markdown:
    # One converter for every note: building one costs more than converting a note. The
    # examples' fences are fences, with markdown-exec's options, as in the build; their output
    # is not known here, and what matters is that their code is shown as code.
    fences = [
        {"name": name, "class": "", "validator": _runs, "format": _as_code}
        for name in sorted(EXAMPLE_LANGUAGES)
    ]
    return Markdown(
        extensions=_EXTENSIONS,
        extension_configs={
            "pymdownx.superfences": {"custom_fences": fences},
            "pymdownx.tabbed": {"alternate_style": True},
        },
    )


class _FenceWatch:
    """Every fence markdown-exec would run (or render live: `pyodide`, `tree`), by its code.

    The note is parsed by superfences, as in the build, with one catch-all fence that asks
    markdown-exec's own validator; so a fence in a quote, a list, an admonition or raw HTML,
    or spelled with braces, is seen exactly when the build would run it.
    """

    def __init__(self) -> None:
        self.pending: dict[str, Any] | None = None
        self.found: list[tuple[str, str, dict[str, Any]]] = []
        fence = {"name": "*", "class": "", "validator": self.validate, "format": self.format}
        self.markdown = Markdown(
            extensions=_EXTENSIONS,
            extension_configs={"pymdownx.superfences": {"custom_fences": [fence]}},
        )

    def validate(
        self, language: str, inputs: dict, options: dict, attrs: dict, md: Markdown
    ) -> bool:
        seen: dict[str, Any] = {}
        try:
            runs = markdown_exec.validator(language, dict(inputs), seen, {}, md)
        except ValueError:  # a malformed option (`returncode=x`): refused all the same
            runs, seen = True, {"html": True}
        self.pending = seen if runs else None
        return True

    def format(self, source: str, language: str, *args: Any, **kwargs: Any) -> str:
        if self.pending is not None:
            self.found.append((language, source, self.pending))
        self.pending = None
        return "<pre><code></code></pre>"

    def __call__(self, text: str) -> list[tuple[str, str, dict[str, Any]]]:
        self.found = []
        self.markdown.reset().convert(text)
        return self.found


@cache
def _fence_watch() -> _FenceWatch:
    return _FenceWatch()


_FENCE_OPENER = re.compile(r"`{3,}|~{3,}")


def _fence_lines(text: str, sources: list[str]) -> list[int]:
    """The line of each fence's opener, found by the fence's whole code (`sources` are codes)."""
    lines = text.split("\n")
    taken: set[int] = set()
    found = []
    for source in sources:
        want = [line.strip() for line in source.strip("\n").split("\n")]
        line = next(
            (
                number  # 1-based, the opener; the code starts on the line after it
                for number in range(1, len(lines) - len(want) + 1)
                if number not in taken
                and _FENCE_OPENER.search(lines[number - 1])
                and all(
                    lines[number + k].rstrip().endswith(wanted) for k, wanted in enumerate(want)
                )
            ),
            None,
        )
        if line is None:  # the opener is wherever a fence marker is left
            line = next(
                (n for n, t in enumerate(lines, 1) if n not in taken and _FENCE_OPENER.search(t)),
                1,
            )
        taken.add(line)
        found.append(line)
    return found


def _example_problem(language: str, options: dict[str, Any]) -> str:
    """Why a page may not execute this fence (`""` when it may): its output must show as text."""
    if language not in EXAMPLE_LANGUAGES:
        return f"executed code fence (`{language}`): a page runs Python examples only"
    if options.get("html"):
        return "an example whose output is put in the page as HTML (`html=`)"
    if not options.get("result"):
        return 'an example whose output is rendered as Markdown (no `result="text"`)'
    return ""


def find_active_content(text: str, /, *, examples: bool = False) -> list[Finding]:
    """Every piece of active content in the Markdown `text`, each with its line.

    With `examples` (a chapter, not a note), Python fences that run and show their output as
    text are fine; every other executed fence is still refused.
    """
    # Under `mkdocs serve`, every rebuild judges the same chapters again.
    return list(_judged(text, examples=examples))


@lru_cache(maxsize=256)
def _judged(text: str, /, *, examples: bool) -> tuple[Finding, ...]:
    try:
        rendered = _markdown().reset().convert(text)
        executed = _fence_watch()(text)
    except RecursionError:
        return (Finding(line=1, reason="Markdown nested too deeply to render"),)
    fences = [
        (line, _example_problem(language, options) if examples else "")
        for line, (language, _, options) in zip(
            _fence_lines(text, [source for _, source, _ in executed]), executed, strict=True
        )
    ]
    allowed = {line for line, problem in fences if examples and not problem}
    findings = [
        Finding(line=line, reason="executed code fence (`exec=`)")
        for match in _EXEC_FENCE.finditer(text)
        if (line := text.count("\n", 0, match.start()) + 1) not in allowed
    ]
    for (language, _source, _options), (line, problem) in zip(executed, fences, strict=True):
        if line not in allowed and not any(f.line == line for f in findings):
            findings.append(
                Finding(line=line, reason=problem or f"executed code fence (`{language}`)")
            )
        elif problem and examples:
            findings = [f for f in findings if f.line != line]
            findings.append(Finding(line=line, reason=problem))
    # Raw text too: Markdown drops some malformed tags from its output that a browser would
    # still have been handed on another renderer.
    parsed = _parse(rendered)
    found = _walk(parsed)
    if not found and _ammonia_changes(rendered, parsed):
        found.append(("markup the HTML allowlist would change", "<"))
    findings += _open_at_end(text, rendered)
    # Markdown's own syntax (`<https://...>` autolinks) reads as odd tags in the raw text:
    # there, only real element names count.
    found += [
        (reason, needle)
        for reason, needle in _walk(_parse(_without_code(text)))
        if not reason.startswith("`<") or _ELEMENT_NAME.match(needle)
    ]
    seen: set[tuple[int, str]] = set()
    for reason, needle in found:
        line = _line_of(text, needle)
        if (line, reason) not in seen:
            seen.add((line, reason))
            findings.append(Finding(line=line, reason=reason))
    return tuple(sorted(findings, key=lambda f: f.line))


_INERT_IN_EXAMPLES = frozenset(
    {
        "`name=` attribute on `<a>`",  # each highlighted line's anchor
        # The tabs of `source="tabbed-left"`: radio buttons and their labels.
        "`<input>` element",
        "`<label>` element",
        "`checked=` attribute on `<input>`",
        "`name=` attribute on `<input>`",
        "`type=` attribute on `<input>`",
        "`for=` attribute on `<label>`",
        "`data-tabs=` attribute on `<div>`",
    }
)
"""What the site's own rendering of an example carries beyond the notes' allowlist: inert."""


def find_active_html(markup: str, /) -> list[str]:
    """Why the HTML `markup` a page was handed is not inert: each element, attribute or URL
    outside the allowlist, but for what the site's rendering of an example has (line anchors,
    tabs).

    For what no Markdown of the repository says directly: an example's output, shown as
    text in a fence that output with a long enough run of backticks would close.
    """
    parsed = _parse(markup)
    reasons = [reason for reason, _ in _walk(parsed) if reason not in _INERT_IN_EXAMPLES]
    if _left_open(markup):
        reasons.append("markup left open at its end")
    return reasons


def find_unclosed_markup(text: str, /) -> list[Finding]:
    """A finding when the HTML the Markdown `text` turns into ends inside a tag, an attribute
    or a comment, which the page's own markup after it would close.

    `find_active_content` judges a whole text so; a piece of it the site renders apart (the
    body of a note, each line note), between markup of its own, is judged with this alone.
    """
    if "<" not in _without_code(text):
        return []  # HTML written by Markdown itself is whole: only raw HTML can be left open
    try:
        rendered = _markdown().reset().convert(text)
    except RecursionError:
        return [Finding(line=1, reason="Markdown nested too deeply to render")]
    return _open_at_end(text, rendered)


def _open_at_end(text: str, rendered: str) -> list[Finding]:
    if not _left_open(rendered):
        return []
    line = text.count("\n", 0, max(text.rfind("<"), 0)) + 1
    return [Finding(line=line, reason="a tag, attribute or comment left open at the end")]


_FENCED = re.compile(r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.S)


def _without_code(text: str) -> str:
    """`text` with code blanked out (newlines kept): code is shown as text, never run."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match[0])

    return _CODE_SPAN.sub(blank, _FENCED.sub(blank, text))


def _line_of(text: str, needle: str) -> int:
    """The first line whose browser-visible text contains `needle` (1 when none does).

    Outside code first, where a word begins (a long page says `AssertionError` long before
    an `onerror=`); then anywhere, spaces and entities taken out as a browser takes them.
    """
    word = re.compile(rf"(?<![\w-]){re.escape(needle.lower())}")
    for number, line in enumerate(_without_code(text).split("\n"), start=1):
        if word.search(html.unescape(html.unescape(line)).lower()):
            return number
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

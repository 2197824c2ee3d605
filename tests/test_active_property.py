"""Whatever the note check accepts is inert once rendered as the built site renders it, and
parsed as a browser parses it.

The site's own converter renders each accepted note: the Markdown extensions and options of
mkdocs.yml, as every plugin configured them (the Python example fences included), in process.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import html5lib
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs_autorefs import fix_refs

from annotate.errors import NoteError
from annotate.notes.active import ALLOWED_TAGS, LINK_SCHEMES, scheme_of
from annotate.notes.read import read_note
from tests.conftest import ENGLISH_ONLY, ROOT

TAGS = [
    "a",
    "img",
    "p",
    "script",
    "svg",
    "math",
    "noembed",
    "style",
    "iframe",
    "details",
    "div",
    "textarea",
    "title",
    "xmp",
    "noscript",
    "template",
    "span",
    "animate",
    "set",
    "use",
    "object",
]
ATTRIBUTES = [
    "href",
    "src",
    "onerror",
    "onload",
    "style",
    "class",
    "title",
    "xlink:href",
    "values",
    "attributeName",
    "formaction",
    "srcdoc",
    "open",
    "ontoggle",
]
VALUES = [
    "x",
    "javascript:alert(1)",
    "JaVa&#x09;ScRiPt:alert(1)",
    "data:text/html,x",
    "https://pytorch.org",
    "#top",
    "../a.md",
    "'",
    '"',
    ">",
    "</noembed>",
    "-->",
    "<img src=x onerror=alert(1)>",
]
PIECES = [
    "<!--",
    "-->",
    "<!-->",
    "<![CDATA[",
    "]]>",
    "`",
    "```",
    "\n\n",
    "[x](",
    ")",
    "{ ",
    " }",
    "&lt;",
    "text",
    # Markdown the site's extensions read and the check's renderer may not.
    '=== "Tab"\n    ',
    "!!! note\n    ",
    "??? note\n    ",
    "\n    ",
    "`#!python ",
    "{: onclick=x }",
    "{ #x .y }",
    "[^1]",
    "\n| a | b |\n|---|---|\n| ",
    "<",
    ">",
    "/",
]


@st.composite
def fragments(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            tag = draw(st.sampled_from(TAGS))
            attrs = " ".join(
                f"{draw(st.sampled_from(ATTRIBUTES))}={draw(st.sampled_from(['', chr(39), chr(34)]))}{draw(st.sampled_from(VALUES))}"
                for _ in range(draw(st.integers(0, 2)))
            )
            parts.append(f"<{tag} {attrs}>")
        elif kind == 1:
            parts.append(f"</{draw(st.sampled_from(TAGS))}>")
        elif kind == 2:
            parts.append(draw(st.sampled_from(PIECES)))
        else:
            parts.append(f"[l]({draw(st.sampled_from(VALUES))})")
    return "".join(parts)


SITE_WIDGETS = frozenset({"input", "label"})
"""Elements the site's own extensions write around a note's text (pymdownx.tabbed's tabs)."""
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "data", "poster"})


@pytest.fixture(scope="module")
def site_render(tmp_path_factory):
    """The site's converter of notes, from mkdocs.yml once every plugin has configured it."""
    saved = {key: os.environ.get(key) for key in ENGLISH_ONLY}
    os.environ.update(ENGLISH_ONLY)
    try:
        config = load_config(
            str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path_factory.mktemp("site"))
        )
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    config.plugins.on_startup(command="build", dirty=False)
    try:
        config = config.plugins.on_config(config)
        yield config.plugins["annotate"].build.convert
    finally:
        config.plugins.on_shutdown()


def _unmapped(identifier: str) -> tuple[str, str | None]:
    raise KeyError(identifier)  # every cross-reference unresolved: shown as text


def inert_problems(html: str) -> list[str]:
    """What in `html`, parsed as a browser parses it, could run or load."""
    tree = html5lib.parseFragment(
        f"<article>{html}</article>", container="div", namespaceHTMLElements=False
    )
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag not in ALLOWED_TAGS | SITE_WIDGETS | {"article", "DOCUMENT_FRAGMENT"}:
            found.append(f"<{element.tag}>")
        for name, value in element.attrib.items():
            name = str(name[1] if isinstance(name, tuple) else name).lower()
            if name.startswith("on"):
                found.append(f"{name}= on <{element.tag}>")
            if name in URL_ATTRIBUTES or name.endswith("href"):
                scheme = scheme_of(value)
                if scheme and scheme[:-1] not in LINK_SCHEMES:
                    found.append(f"{scheme} in {name}= on <{element.tag}>")
    return found


def test_the_site_render_is_what_the_property_judges(site_render):
    """The converter is the site's (tabs, permalinks) and the judge sees what could run."""
    html = site_render('=== "Tab"\n\n    ## Heading\n')
    assert "tabbed-set" in html and "headerlink" in html
    assert inert_problems('<p><a href="JaVa&#x09;ScRiPt:x">a</a><img src=x onerror=y></p>') == [
        "javascript: in href= on <a>",
        "onerror= on <img>",
    ]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragments())
def test_an_accepted_note_renders_to_inert_html_in_the_site(site_render, fragment):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Module.to.md"
        path.write_text(f"---\ntarget: torch.nn.Module.to\n---\n{fragment}\n", encoding="utf-8")
        try:
            note = read_note(path)
        except NoteError:
            event("refused")
            return
    event("accepted")
    for body in (note.body, *(line_note.body for line_note in note.line_notes)):
        rendered, _ = fix_refs(site_render(body), _unmapped)
        assert not inert_problems(rendered), (fragment, rendered)

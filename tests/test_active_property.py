"""Whatever the active-content check accepts is inert once rendered, as a browser parses it."""

from __future__ import annotations

import html5lib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown import Markdown

from annotate.notes.active import ALLOWED_TAGS, LINK_SCHEMES, find_active_content, scheme_of

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


RENDER = Markdown(
    extensions=[
        "attr_list",
        "md_in_html",
        "admonition",
        "pymdownx.superfences",
        "pymdownx.details",
        "toc",
    ]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragments())
def test_an_accepted_fragment_renders_to_inert_html(fragment):
    if find_active_content(fragment):
        return
    rendered = RENDER.reset().convert(fragment)
    tree = html5lib.parseFragment(
        f"<article>{rendered}</article>", container="div", namespaceHTMLElements=False
    )
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag in ALLOWED_TAGS | {"article", "DOCUMENT_FRAGMENT"}, (fragment, rendered)
        for name, value in element.attrib.items():
            assert not str(name).lower().startswith("on"), (fragment, rendered)
            if name in ("href", "src"):
                scheme = scheme_of(value)
                assert not scheme or scheme[:-1] in LINK_SCHEMES, (fragment, rendered)

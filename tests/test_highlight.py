"""Highlighted lines: every token's text kept, a span only where the colour differs from the listing's."""

from __future__ import annotations

import html
import itertools
import re

from annotate.site.highlight import DOC_PLAIN, PLAIN, line_html, line_tokens

SOURCE = 'def f(a, b=1):\n    return a in b or not {"k": a + -b}  # done\n    """Doc."""\n'


def _text(out: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", out))


def test_tokens_in_the_listings_own_colour_get_no_span_and_neighbours_of_a_class_share_one():
    tokens = line_tokens(SOURCE)
    seen = {css for line in tokens for _, css, _ in line}
    assert {"p", "o", "ow"} <= seen and {"k", "n", "nf", "mi", "s2", "c1", "sd"} <= seen
    for line in tokens:
        out = line_html(line)
        spans = re.findall(r'<span class="([a-z0-9]+)">', out)
        # A bare token between two of a class keeps them apart.
        classes = [css if css not in PLAIN else "" for _, css, _ in line]
        assert spans == [css for css, _ in itertools.groupby(classes) if css]
        assert _text(out) == "".join(t for _, _, t in line)
    # `"k"` is three tokens (two quotes and the text) in one span.
    assert '<span class="s2">"k"</span>' in line_html(tokens[1])


def test_a_link_around_a_token_keeps_the_token_its_own_span():
    line = line_tokens(SOURCE)[1]
    column = next(col for col, css, text in line if css == "s2" and text == "k")
    out = line_html(
        line, line=2, wrap=lambda n, col, text: ("<a>", "</a>") if col == column else None
    )
    assert out.count('<span class="s2">') == 3
    assert '<a><span class="s2">k</span></a>' in out
    assert _text(out) == "".join(t for _, _, t in line)


def test_a_folded_docstrings_lines_are_bare_text():
    line = line_tokens(SOURCE)[2]
    out = line_html(line, plain=DOC_PLAIN)
    assert "<span" not in out and _text(out) == '    """Doc."""'

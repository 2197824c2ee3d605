"""Highlighted lines: every token's text kept, a span only where the colour differs from the listing's."""

from __future__ import annotations

import html
import re

from annotate.site.highlight import PLAIN, line_html, line_tokens

SOURCE = 'def f(a, b=1):\n    return a in b or not {"k": a + -b}  # done\n'


def test_tokens_in_the_listings_own_colour_get_no_span_and_the_others_keep_theirs():
    tokens = line_tokens(SOURCE)
    seen = {css for line in tokens for _, css, _ in line}
    assert {"p", "o", "ow"} <= seen and {"k", "n", "nf", "mi", "s2", "c1"} <= seen
    for line in tokens:
        out = line_html(line)
        spans = re.findall(r'<span class="([a-z0-9]+)">', out)
        assert spans == [css for _, css, _ in line if css and css not in PLAIN]
        assert html.unescape(re.sub(r"<[^>]+>", "", out)) == "".join(t for _, _, t in line)

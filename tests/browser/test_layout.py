"""The reading layout: notes beside their lines on a wide screen, stacked on a phone, readable in both schemes."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import DESKTOP, PHONE

# Pages with line notes beside code: a chapter and the whole-file page.
ANNOTATED = ["chapters/state-dict/", "files/module/"]

_BOXES = """
els => els.map(row => {
  const box = e => { const r = e.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const lines = [...row.querySelectorAll('.an-code .an-line')];
  return {
    note: box(row.querySelector(':scope > aside, :scope > .an-margin')),
    code: box(row.querySelector(':scope > .an-code')),
    first: box(lines[0]),
    last: box(lines[lines.length - 1]),
    lines: lines.length,
  };
})
"""


def _rows(page):
    rows = page.locator(".an-source .an-row.an-annotated")
    assert rows.count() > 0
    return rows.evaluate_all(_BOXES)


@pytest.mark.parametrize("path", ANNOTATED)
def test_on_a_wide_screen_each_note_stands_beside_its_lines(pages, path):
    page = pages.open(path, viewport=DESKTOP)
    for row in _rows(page):
        note = row["note"]
        # Side by side: the note is right of the code, level with its lines or stacked
        # below the notes before it (test_sidenotes.py checks the stacking).
        assert note["left"] >= row["code"]["right"] - 1, row
        assert note["right"] > note["left"], row


@pytest.mark.parametrize("path", ANNOTATED)
def test_on_a_phone_notes_stack_with_their_lines_and_nothing_overflows(pages, path):
    page = pages.open(path, viewport=PHONE)
    width = page.evaluate("innerWidth")
    # The notes are placed again once late fonts are in: the page settles then, or fails.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            "document.documentElement.scrollWidth <= innerWidth", timeout=5000, polling=100
        )
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for row in _rows(page):
        note, first, last = row["note"], row["first"], row["last"]
        assert note["bottom"] <= first["top"] + 1 or note["top"] >= last["bottom"] - 1, row
        assert note["left"] >= 0 and note["right"] <= width, row


_CONTRAST = """
el => {
  const parse = c => { const m = c.match(/[\\d.]+/g).map(Number); return m.length === 3 ? [...m, 1] : m; };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3]));
  let layers = [];
  for (let e = el; e; e = e.parentElement) {
    const bg = parse(getComputedStyle(e).backgroundColor);
    if (bg[3] > 0) layers.push(bg);
    if (bg[3] >= 1) break;
  }
  let back = [255, 255, 255];
  for (const layer of layers.reverse()) back = over(layer, [...back, 1]);
  const fore = over(parse(getComputedStyle(el).color), [...back, 1]);
  const lum = rgb => { const [r, g, b] = rgb.map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [a, b] = [lum(fore), lum(back)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""

# Text a reader must read, by selector: note prose, line notes, code, the build banner.
READABLE = {
    "note": ".an-note-body p",
    "line note": ".an-line-note p",
    "code": ".an-code .an-line",
    "code name": ".an-code .an-line .n",
    "banner": ".md-banner .an-version",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_notes_code_and_banner_are_readable_in_both_colour_schemes(pages, scheme):
    page = pages.open("chapters/state-dict/", scheme=scheme)
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    for what, selector in READABLE.items():
        element = page.locator(selector).first
        ratio = element.evaluate(_CONTRAST)
        # WCAG AA for body text.
        assert ratio >= 4.5, f"{what} ({selector}) has contrast {ratio:.2f} in {expected}"


# Each token class in the page's listings, in the listing and as Material colours it in a code
# block of its own (one is put in the page for the comparison); the listing's bare text against
# Material's punctuation, and a folded docstring's against Material's docstrings.
_TOKEN_COLOURS = """
() => {
  const probe = document.createElement('div');
  probe.className = 'highlight';
  probe.innerHTML = '<pre><code></code></pre>';
  document.querySelector('.md-content .md-typeset').append(probe);
  const material = css => { const span = document.createElement('span'); span.className = css;
    span.textContent = 'x'; probe.querySelector('code').append(span); return getComputedStyle(span).color; };
  const colour = e => e && getComputedStyle(e).color;
  const classes = new Set([...document.querySelectorAll('.an-listing .an-line span[class]')].map(s => s.className));
  const tokens = {};
  for (const css of classes) tokens[css] = [colour(document.querySelector(`.an-listing .an-line span.${css}`)), material(css)];
  return {tokens, bare: [colour(document.querySelector('.an-listing:not(.an-doc)')), material('p'), material('o')],
          doc: [colour(document.querySelector('.an-listing.an-doc .an-line')), material('sd')]};
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["chapters/state-dict/", "files/module/"])
def test_a_listing_draws_every_token_in_materials_colours(pages, path, scheme):
    # highlight.py leaves punctuation, operators and a folded docstring's text bare: the
    # listing's own colours must be Material's for them, and every span's its class's.
    page = pages.open(path, scheme=scheme)
    colours = page.evaluate(_TOKEN_COLOURS)
    assert len(colours["tokens"]) >= 8, colours["tokens"]
    wrong = {css: pair for css, pair in colours["tokens"].items() if pair[0] != pair[1]}
    assert wrong == {}, f"token colours (listing, Material) that differ: {wrong}"
    assert colours["bare"][0] == colours["bare"][1] == colours["bare"][2], colours["bare"]
    if path.startswith("files/"):
        assert colours["doc"][0] == colours["doc"][1], colours["doc"]


def test_on_a_wide_screen_typical_source_lines_are_not_cut_off(pages):
    page = pages.open("chapters/state-dict/", viewport=DESKTOP)
    # Lines up to 88 characters (black's width, most of torch) show without scrolling.
    clipped = page.locator(".an-code .an-listing").evaluate_all(
        """els => els.filter(code => {
          const longest = Math.max(...[...code.querySelectorAll('.an-line')]
            .map(l => l.textContent.replace(/^\\s*\\d+/, '').replace(/\\n$/, '').length));
          return longest <= 88 && code.scrollWidth > code.clientWidth + 1;
        }).map(code => code.textContent.slice(0, 80))"""
    )
    assert clipped == []


# Per listing: how wide it scrolls, and which of its elements scroll sideways on their own.
_SCROLLERS = """
source => ({
  scroll: source.scrollWidth - source.clientWidth,
  own: [...source.querySelectorAll('*')].filter(e => {
    const x = getComputedStyle(e).overflowX;
    return (x === 'auto' || x === 'scroll') && e.scrollWidth > e.clientWidth + 1;
  }).map(e => e.tagName + '.' + e.className).slice(0, 3),
})
"""


@pytest.mark.parametrize("path", ["chapters/state-dict/", "files/module/", "files/container/"])
def test_on_a_phone_a_listing_scrolls_sideways_as_one_keeping_line_numbers_and_notes(pages, path):
    page = pages.open(path, viewport=PHONE)
    sources = page.locator(".an-source")
    wide = None
    for source in sources.all():
        found = source.evaluate(_SCROLLERS)
        assert found["own"] == [], f"{path}: rows scroll on their own: {found['own']}"
        if wide is None and found["scroll"] > 40:
            wide = source
    assert wide is not None, f"{path}: no listing is wider than a phone"
    wide.scroll_into_view_if_needed()
    left = wide.evaluate("s => s.getBoundingClientRect().left")
    wide.evaluate("s => { s.scrollLeft = s.scrollWidth; }")
    assert wide.evaluate("s => s.scrollLeft") > 40
    # Scrolled to its end, the listing still shows every line number at its left: each number
    # (drawn before its line by CSS) sticks to the left edge of the listing, the one box between
    # it and the listing that scrolls.
    held = wide.evaluate(
        """s => [...s.querySelectorAll('.an-line')].filter(l => l.offsetHeight).map(l => {
          const number = getComputedStyle(l, '::before');
          let box = l.parentElement;
          while (box !== s && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
          return number.position === 'sticky' && number.left === '0px' && box === s;
        })"""
    )
    assert held and all(held), f"{held.count(False)} of {len(held)} line numbers scroll away"
    notes = wide.locator(":scope > .an-row > aside, :scope > .an-row > .an-margin")
    for x in notes.evaluate_all("els => els.map(e => e.getBoundingClientRect().left)"):
        assert abs(x - left) < 2, (left, x)

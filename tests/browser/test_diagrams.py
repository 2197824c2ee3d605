"""Call diagrams on a phone: labels stay readable (the diagram scrolls sideways instead of
shrinking), and a legend says what each kind of line means."""

from __future__ import annotations

from tests.browser.conftest import PHONE

SMALLEST = 11
"""px: the smallest label a reader should have to read."""

_LABELS = """
svg => [...svg.querySelectorAll('text')].map(t =>
  parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a)
"""


def test_on_a_phone_diagram_labels_stay_readable_and_the_diagram_scrolls_sideways(pages):
    page = pages.open("chapters/calling/", viewport=PHONE)
    figure = page.locator("figure.an-callgraph").first
    svg = figure.locator("svg")
    sizes = svg.evaluate(_LABELS)
    assert sizes and min(sizes) >= SMALLEST, sizes
    scroller = figure.locator(".an-cg-scroll")
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth"), "the diagram fits a phone?"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    legend = figure.locator("figcaption.an-cg-legend")
    assert legend.locator(".an-cg-key-edge").count() == 1
    assert "caller" in legend.inner_text()

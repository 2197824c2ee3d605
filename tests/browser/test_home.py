"""The home page's first screen says what the guide is and lists the chapters; where it comes from
folds away."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.chapters import CHAPTERS


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["laptop", "phone"])
@pytest.mark.parametrize("path", ["", "zh/"], ids=["en", "zh"])
def test_the_first_screen_says_what_the_guide_is_and_starts_the_chapter_list(pages, path, viewport):
    page = pages.open(path, viewport=viewport)
    content = page.locator(".md-content__inner")
    lede = content.locator("h1 + p")
    assert "module.py" in lede.inner_text()
    chapters = content.locator("ol").first.locator(":scope > li")
    assert chapters.count() == len(CHAPTERS)
    for item, chapter in zip(chapters.all(), CHAPTERS, strict=True):
        link = item.locator(":scope > a").first
        assert (link.get_attribute("href") or "").rstrip("/").endswith(chapter.rsplit("/")[-1])
        # A one-line summary beside each title.
        assert len(item.inner_text()) > len(link.inner_text()) + 10, item.inner_text()
    top = chapters.first.evaluate("e => e.getBoundingClientRect().top")
    assert top + 40 < viewport["height"], f"the chapter list starts at {top}px"
    # Where the guide comes from is one click away, not in the way.
    folded = content.locator("details")
    assert folded.count() >= 3
    assert folded.evaluate_all("els => els.filter(e => e.open).length") == 0
    assert folded.locator(".highlight .filename").count() >= 1  # the torch it was built from

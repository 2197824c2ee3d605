"""The Chinese edition in a browser: the switch keeps the page and the place, search finds Chinese
words, and Chinese text renders (screenshots at desktop and phone width)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_screenshots import _png_size
from tests.browser.test_search import search


def switch_to(page, lang: str) -> None:
    page.locator(".md-header__option .md-select").hover()
    link = page.locator(f"a.md-select__link[hreflang='{lang}']")
    with page.expect_navigation(wait_until="networkidle"):
        link.click()


@pytest.mark.parametrize(
    ("start", "anchor", "lang", "lands"),
    [
        ("zh/chapters/state-dict/", "torch.nn.Module.state_dict", "en", "chapters/state-dict/"),
        ("chapters/calling/", "6-calling-a-module", "zh", "zh/chapters/calling/"),
        ("files/module/", "L1200", "zh", "zh/files/module/"),
        ("zh/coverage/", "", "en", "coverage/"),
    ],
)
def test_the_language_switch_lands_on_the_same_page_and_place(pages, start, anchor, lang, lands):
    page = pages.open(start + (f"#{anchor}" if anchor else ""))
    switch_to(page, lang)
    assert page.url == pages.site.url(lands) + (f"#{anchor}" if anchor else "")
    assert page.locator("html").get_attribute("lang") == lang
    if anchor:
        # Waited for, not read once: the new document may still be taking its first layout.
        expect(page.locator(f"[id='{anchor}']")).to_have_count(1)


def test_the_switch_follows_instant_navigation(pages):
    # Material's instant navigation keeps the header of the first page: the switch must still
    # land on the page read now, not on the first one.
    page = pages.open("zh/")
    page.evaluate("window.anMarker = 1")
    page.locator("a[href$='chapters/state-dict/']").first.click()
    page.wait_for_url("**/zh/chapters/state-dict/")
    # Loaded in place (the Chinese pages have a sitemap of their own), not as a new document.
    assert page.evaluate("window.anMarker") == 1
    switch_to(page, "en")
    assert page.url == pages.site.url("chapters/state-dict/")


@pytest.mark.parametrize(
    ("query", "chapter"),
    [("状态字典", "state-dict"), ("参数", None), ("钩子", "calling")],
)
def test_chinese_search_finds_chinese_chapters_and_notes(pages, query, chapter):
    page = pages.open("zh/")
    found = search(page, query)
    chinese = {path.split("#")[0] for path in found if path.startswith("zh/")}
    assert chinese, found
    if chapter:
        assert f"zh/chapters/{chapter}/" in chinese, found


@pytest.mark.parametrize("start", ["", "zh/"])
def test_english_identifiers_are_found_from_both_languages(pages, start):
    page = pages.open(start)
    found = {path.split("#")[0] for path in search(page, "_apply")}
    assert "chapters/to-and-apply/" in found and "zh/chapters/to-and-apply/" in found, found


@pytest.mark.parametrize(("width", "viewport"), [("1440", DESKTOP), ("390", PHONE)])
def test_screenshots_of_a_chinese_chapter(pages, screenshots, width, viewport):
    page = pages.open("zh/chapters/state-dict/", viewport=viewport)
    expect(page.locator("h1").first).to_contain_text("加载")
    # The CJK font is there: Chinese characters are drawn wider than a missing-glyph box would
    # let a narrow Latin letter be, and as wide as each other.
    widths = page.evaluate(
        """() => {
          const c = document.createElement('canvas').getContext('2d');
          c.font = getComputedStyle(document.querySelector('h1')).font;
          return ['状', '态', '字', '典', 'i'].map(ch => c.measureText(ch).width);
        }"""
    )
    assert len(set(widths[:4])) == 1 and widths[0] > 2 * widths[4], widths
    target = screenshots / f"chapter-state-dict-zh-{width}.png"
    page.screenshot(path=target, full_page=True, animations="disabled")
    shot_width, _ = _png_size(target.read_bytes())
    assert shot_width == viewport["width"]

"""Every function and every line note of a chapter links to its lines twice: on the guide's own
file page (which works offline) and upstream, at the commit torch was built from."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from tests.browser.conftest import DESKTOP, PHONE, assert_target_in_view

UPSTREAM = re.compile(
    r"^https://github\.com/pytorch/pytorch/blob/[^/]+/torch/nn/modules/(\w+)\.py#L(\d+)-L(\d+)$"
)

_LINKS = """els => els.map(e => ({
  lines: e.dataset.anLines || null,
  local: e.querySelector('a.an-local')?.getAttribute('href') ?? null,
  upstream: e.querySelector('a.an-upstream')?.getAttribute('href') ?? null,
}))"""


def test_every_function_and_line_note_links_here_and_upstream(pages):
    page = pages.open("chapters/state-dict/")
    notes = page.locator(".an-source aside.an-line-note").evaluate_all(_LINKS)
    # A function's lines are named in its note, or (without one) in its links.
    wheres = page.locator(
        ".an-note-body > .an-where, .an-links > .an-where:has(> code)"
    ).evaluate_all(_LINKS)
    assert len(notes) > 10 and len(wheres) >= 10
    for entry in notes + wheres:
        assert entry["local"] and entry["upstream"], entry
        url = urlsplit(urljoin(page.url, entry["local"]))
        assert url.hostname == urlsplit(page.url).hostname, entry
        local = re.fullmatch(r"/files/(\w+)/", url.path) and re.fullmatch(r"L(\d+)", url.fragment)
        local = local and (url.path.split("/")[2], url.fragment[1:])
        upstream = UPSTREAM.match(entry["upstream"])
        assert local and upstream, entry
        # The same file and the same first line, here and upstream.
        assert local == upstream.groups()[:2], entry
        if entry["lines"]:
            assert entry["lines"].split("-")[0] == local[1], entry


def test_a_page_opened_at_a_line_far_down_keeps_that_line_in_view(pages):
    # The line is reached long before the page above it is laid out (notes moved into the
    # margin, fonts): it has to be put back where the reader asked for it.
    line = max(
        int(n)
        for n in re.findall(
            r'id="L(\d+)"', (pages.site.root / "files/module/index.html").read_text()
        )
    )
    target = f"L{line * 3 // 4}"
    page = pages.open(f"files/module/#{target}")
    assert_target_in_view(page, ids={target})
    page.wait_for_timeout(1500)  # and it stays there once the page has settled
    assert_target_in_view(page, ids={target})


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["laptop", "phone"])
def test_landing_on_a_line_of_a_file_page_shows_that_line(pages, viewport):
    # Laying the notes out must not move the line the browser has scrolled to.
    page = pages.open("files/module/#L1000", viewport=viewport)
    page.wait_for_timeout(500)
    assert_target_in_view(page, ids={"L1000"})


def test_a_click_on_a_line_number_links_to_that_line(pages):
    page = pages.open("files/container/", viewport=DESKTOP)
    line = page.locator("#L40")
    line.scroll_into_view_if_needed()
    box = line.bounding_box()
    assert box is not None
    # On the code, not the number: no link.
    page.mouse.click(box["x"] + box["width"] - 4, box["y"] + box["height"] / 2)
    assert urlsplit(page.url).fragment == ""
    page.mouse.click(box["x"] + 6, box["y"] + box["height"] / 2)
    page.wait_for_function("location.hash === '#L40'")
    assert_target_in_view(page, ids={"L40"})

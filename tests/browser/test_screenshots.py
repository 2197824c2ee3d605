"""Screenshots a person can look at, kept in test-artifacts/screenshots/ after the run."""

from __future__ import annotations

import struct

import pytest

from tests.browser.conftest import DESKTOP, PHONE

SHOTS = {
    "home": "",
    "chapter-state-dict": "chapters/state-dict/",
    "file-module": "files/module/",
    "coverage": "coverage/",
}
VIEWPORTS = {"1440": DESKTOP, "390": PHONE}


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_home_chapter_file_and_coverage_pages(pages, screenshots, width, scheme):
    viewport = VIEWPORTS[width]
    written = []
    for name, path in SHOTS.items():
        page = pages.open(path, viewport=viewport, scheme=scheme)
        # The whole-file page is thousands of lines long: its top, then its first note.
        full = name != "file-module"
        target = screenshots / f"{name}-{width}-{scheme}.png"
        page.screenshot(path=target, full_page=full, animations="disabled")
        written.append(target)
        if name == "file-module":
            # Scrolling down only: scrolling up would call up Material's back-to-top button.
            page.locator(".an-row.an-annotated").first.evaluate(
                "row => window.scrollTo(0, row.getBoundingClientRect().top + scrollY - 200)"
            )
            target = screenshots / f"{name}-note-{width}-{scheme}.png"
            page.screenshot(path=target, animations="disabled")
            written.append(target)
    for target in written:
        shot_width, shot_height = _png_size(target.read_bytes())
        assert shot_width == viewport["width"], target
        assert shot_height >= viewport["height"], target

"""Code stays whole: notes in the margin open no gap in the code, stack when they collide, stay
tied to their lines, and fold when long; on a phone each note is one line until tapped."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE

CHAPTERS = [
    "chapters/saving-and-loading/",
    "chapters/attributes/",
    "chapters/named-members/",
    "chapters/state-dict/",
    "chapters/to-and-apply/",
    "chapters/calling/",
    "chapters/module-life/",
    "chapters/containers/",
]
FILES = ["files/module/", "files/container/"]
_LAID = "() => 'anNotesPlaced' in document.documentElement.dataset"


def laid_out(page):
    """`page` once sidenotes.js has placed the notes in the page's own fonts (it marks the page)."""
    page.wait_for_function(_LAID, timeout=120000)
    return page


MOST_BLANK = 0.05
"""The share of a listing's height with no line of code in it."""
EDGE = 14
"""px of padding a listing may keep above its first line and below its last."""

# Per listing: its height, and the height inside it with no code line beside (between two
# lines, or above the first and below the last beyond the padding). Folded docstrings count
# as the line that opens them; lines inside them are not drawn.
_BLANK = """
([edge]) => [...document.querySelectorAll('.an-source')].map(source => {
  const s = source.getBoundingClientRect();
  const lines = [...source.querySelectorAll(
      '.an-code .an-line, .an-code details.an-fold:not([open]) > summary')]
    .map(e => e.getBoundingClientRect()).filter(r => r.height > 0)
    .sort((a, b) => a.top - b.top);
  let blank = Math.max(0, lines[0].top - s.top - edge), bottom = lines[0].bottom, widest = 0;
  for (const r of lines.slice(1)) {
    const gap = r.top - bottom;
    if (gap > 0.5) { blank += gap; widest = Math.max(widest, gap); }
    bottom = Math.max(bottom, r.bottom);
  }
  blank += Math.max(0, s.bottom - bottom - edge);
  return {first: lines[0].top - s.top, height: s.height, blank, widest,
          start: source.querySelector('.an-line').id};
})
"""


@pytest.mark.parametrize("path", CHAPTERS + FILES)
def test_on_a_wide_screen_notes_open_no_gap_in_the_code(pages, path):
    page = laid_out(pages.open(path, viewport=DESKTOP))
    listings = page.evaluate(_BLANK, [EDGE])
    assert listings, f"{path} shows no source"
    assert page.locator(".an-source aside.an-line-note").count() > 0, f"{path} has no notes"
    for listing in listings:
        share = listing["blank"] / listing["height"]
        assert share <= MOST_BLANK, f"{path}: {share:.1%} of the listing from {listing} is blank"


# Each margin unit (a chapter's line note, a file page's column of entries) beside its row.
_UNITS = """
source => [...source.querySelectorAll(':scope > .an-row')].flatMap(row => {
  const unit = row.querySelector(':scope > aside, :scope > .an-margin');
  if (!unit) return [];
  const box = e => { const r = e.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const lines = [...row.querySelectorAll('.an-code .an-line')].filter(l => l.offsetHeight);
  return [{unit: box(unit), code: box(row.querySelector(':scope > .an-code')),
           first: lines.length ? box(lines[0]) : box(row), source: box(source),
           lines: unit.closest('[data-an-lines]')?.dataset.anLines ?? '',
           header: unit.querySelector('.an-line-ref')?.textContent ?? ''}];
})
"""
GAP = 6
"""px sidenotes.js keeps between two stacked notes."""


@pytest.mark.parametrize("path", ["chapters/state-dict/", "chapters/containers/", *FILES])
def test_colliding_notes_stack_in_order_beside_the_code_and_name_their_lines(pages, path):
    page = laid_out(pages.open(path, viewport=DESKTOP))
    level = 0
    for source in page.locator(".an-source").all():
        units = source.evaluate(_UNITS)
        for j, unit in enumerate(units):
            box = unit["unit"]
            assert box["left"] >= unit["code"]["right"] - 1, unit
            assert box["top"] >= unit["source"]["top"] - 1, unit
            before = units[j - 1]["unit"] if j else None
            after = units[j + 1]["unit"] if j + 1 < len(units) else None
            if before is not None:
                # Never over the note before: below it, in the order of the lines.
                assert box["top"] >= before["bottom"] + GAP - 1, (before, unit)
            if abs(box["top"] - unit["first"]["top"]) < 2:
                level += 1
            else:
                # Away from its line only as one of a stack (the note before or after leaves
                # it no room), or held in by the listing's start or end.
                touches = (before is not None and box["top"] - before["bottom"] < GAP + 1) or (
                    after is not None and after["top"] - box["bottom"] < GAP + 1
                )
                held = (
                    abs(box["top"] - unit["source"]["top"]) < 1
                    or abs(box["bottom"] - unit["source"]["bottom"]) < 1
                )
                assert touches or held, unit
            if unit["lines"]:
                # Its header names the lines it explains.
                start = unit["lines"].split("-")[0]
                assert unit["header"].startswith(f"L{start}"), unit
    assert level > 0, f"{path}: no note is level with its lines"


_FRAME = "code => getComputedStyle(code).boxShadow"


def test_pointing_at_a_note_frames_its_lines_and_a_long_note_opens_on_its_button(pages):
    page = laid_out(pages.open("chapters/state-dict/", viewport=DESKTOP))
    notes = page.locator(".an-source aside.an-line-note")
    folded = page.locator(".an-source aside.an-line-note.an-foldable")
    assert folded.count() > 0, "no note is long enough to fold"
    note = folded.first
    code = note.locator("xpath=..").locator(":scope > .an-code .an-listing > code")
    before = code.evaluate(_FRAME)
    note.scroll_into_view_if_needed()
    note.hover()
    assert code.evaluate(_FRAME) != before, "pointing at the note left its lines as they were"
    page.mouse.move(0, 0)
    assert code.evaluate(_FRAME) == before

    text = note.locator(".an-note-text")
    shown = text.evaluate("e => e.clientHeight")
    assert text.evaluate("e => e.scrollHeight") > shown + 10, "a folded note hides nothing"
    button = note.locator(".an-note-toggle")
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert text.evaluate("e => e.clientHeight") == text.evaluate("e => e.scrollHeight")
    # Opened, it pushes the notes after it down rather than over them.
    boxes = notes.evaluate_all("els => els.map(e => e.getBoundingClientRect().toJSON())")
    index = notes.evaluate_all("(els, n) => els.indexOf(n)", note.element_handle())
    if index + 1 < len(boxes) and boxes[index + 1]["top"] > boxes[index]["top"]:
        assert boxes[index + 1]["top"] >= boxes[index]["bottom"] + GAP - 1
    button.click()
    assert text.evaluate("e => e.clientHeight") == shown


def test_on_a_phone_each_note_is_one_line_between_the_code_until_tapped(pages):
    page = laid_out(pages.open("chapters/state-dict/", viewport=PHONE))
    notes = page.locator(".an-source aside.an-line-note")
    assert notes.count() > 5
    heights = notes.evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
    line = notes.first.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert max(heights) < 2.5 * line, f"a folded note is taller than one line: {heights}"
    note = notes.nth(2)
    note.scroll_into_view_if_needed()
    note.locator(".an-note-text").click()
    assert note.evaluate("e => e.getBoundingClientRect().height") > 2.5 * line
    assert note.locator(".an-note-toggle").get_attribute("aria-expanded") == "true"
    note.locator(".an-note-toggle").click()
    assert note.evaluate("e => e.getBoundingClientRect().height") < 2.5 * line

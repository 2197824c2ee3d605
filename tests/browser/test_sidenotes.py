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
      '.an-code .an-line, details.an-fold:not([open]) > summary')]
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


# Each piece of a whole file: the height the page keeps for it while it is not drawn, then the
# height it has drawn.
_KEPT = """
() => {
  const codes = [...document.querySelectorAll('.an-whole .an-code')];
  const kept = codes.map(c => getComputedStyle(c).containIntrinsicBlockSize);
  for (const c of codes) c.style.contentVisibility = 'visible';
  return codes.map((c, i) => ({kept: kept[i], drawn: c.getBoundingClientRect().height,
                              at: c.querySelector('.an-line')?.id ?? c.textContent.slice(0, 40)}));
}
"""
WIDEST = {"width": 2600, "height": 1200}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE, WIDEST], ids=["desktop", "phone", "widest"])
@pytest.mark.parametrize("path", FILES)
def test_a_whole_files_piece_keeps_the_height_it_draws_until_it_is_drawn(pages, path, viewport):
    # The page draws only the pieces near the screen; the others hold their place by their line
    # count (annotate.css). Held wrong, the notes and a jump to a line would land off their lines.
    page = laid_out(pages.open(path, viewport=viewport))
    pieces = page.evaluate(_KEPT)
    assert len(pieces) > 20, f"{path} has {len(pieces)} pieces"
    assert all(p["kept"].startswith("auto ") for p in pieces), pieces[0]["kept"]
    off = [
        p
        for p in pieces
        if abs(float(p["kept"].removeprefix("auto ").removesuffix("px")) - p["drawn"]) > 0.5
    ]
    assert off == [], (
        f"{path}: {len(off)} pieces held at another height than they draw, first {off[0]}"
    )


# Every piece of code on the page: whether it takes the keyboard's focus, and whether it scrolls.
_FOCUSABLE = """
() => [...document.querySelectorAll('.an-source .an-listing')].map(code => {
  code.closest('.an-code').style.contentVisibility = 'visible';
  return {focusable: code.getAttribute('tabindex') === '0',
          scrolls: code.scrollWidth > code.clientWidth + 1,
          at: code.querySelector('.an-line')?.id};
})
"""


@pytest.mark.parametrize("width", [1440, 1000])
@pytest.mark.parametrize("path", ["chapters/state-dict/", *FILES])
def test_a_piece_takes_the_keyboards_focus_exactly_when_it_scrolls_sideways(pages, path, width):
    # sidenotes.js tells from a piece's longest line whether it scrolls, without laying it out.
    page = laid_out(pages.open(path, viewport={"width": width, "height": 900}))
    pieces = page.evaluate(_FOCUSABLE)
    wrong = [p for p in pieces if p["focusable"] != p["scrolls"]]
    assert wrong == [], (
        f"{path} at {width} px: {len(wrong)} of {len(pieces)} pieces, first {wrong[0]}"
    )
    if path == "files/module/":
        assert sum(p["scrolls"] for p in pieces) > 10, (
            "no piece of module.py scrolls: nothing was tested"
        )


# Every listing on the page, all its pieces drawn: whether it takes the keyboard's focus, and
# whether it scrolls sideways as one.
_LISTINGS = """
() => {
  for (const c of document.querySelectorAll('.an-code')) c.style.contentVisibility = 'visible';
  return [...document.querySelectorAll('.an-source')].map(source => ({
    focusable: source.getAttribute('tabindex') === '0',
    scrolls: source.scrollWidth > source.clientWidth + 1,
    at: source.querySelector('.an-line')?.id}));
}
"""


@pytest.mark.parametrize("width", [955, 800, 390])
@pytest.mark.parametrize("path", ["chapters/state-dict/", *FILES])
def test_a_listing_that_scrolls_as_one_takes_the_keyboards_focus_though_not_all_drawn(
    pages, path, width
):
    # Narrower than the margin needs, a listing scrolls sideways as one; its pieces far from the
    # screen are not drawn at first and add no width, yet its widest line decides.
    page = laid_out(pages.open(path, viewport={"width": width, "height": 900}))
    listings = page.evaluate(_LISTINGS)
    wrong = [s for s in listings if s["focusable"] != s["scrolls"]]
    assert wrong == [], f"{path} at {width} px: {len(wrong)} of {len(listings)}, first {wrong[0]}"
    assert any(s["scrolls"] for s in listings) or width > 900, f"{path}: nothing scrolls at {width}"


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
    code = note.locator("xpath=..").locator(":scope > pre.an-listing")
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

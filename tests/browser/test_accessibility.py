"""axe-core (installed from npm by `scripts/setup --test`, injected from disk) on every kind of
page in both colour schemes; line numbers out of the Tab order; a heading per object."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_layout import _CONTRAST
from tests.conftest import ROOT

AXE = ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["", "chapters/state-dict/", "files/module/", "files/container/", "coverage/"]

# What Material itself causes, by rule: the elements it belongs to and why it is left.
MATERIAL = {
    "aria-dialog-name": (
        ".md-search",
        "Material's search overlay is role=dialog without a name (partials/search.html)",
    ),
    "landmark-unique": (
        ".md-code__nav",
        "Material gives every highlighted block's button bar an unnamed <nav>",
    ),
}


@pytest.fixture(scope="session")
def axe_source() -> str:
    assert AXE.is_file(), f"{AXE} is missing: run ./scripts/setup --test, which installs axe-core"
    return AXE.read_text(encoding="utf-8")


_PLACED = "() => 'anNotesPlaced' in document.documentElement.dataset"

_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, help: v.help, targets: v.nodes.map(n => n.target.join(" ")),
  }));
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_nothing_but_what_material_itself_causes(pages, axe_source, path, scheme):
    page = pages.open(path, scheme=scheme)
    # Until sidenotes.js has placed them, the margin's notes stand on one another: text on text.
    if page.locator(".an-source").count():
        page.wait_for_function(_PLACED)
    page.evaluate(axe_source)
    ours = []
    for violation in page.evaluate(_RUN):
        owner = MATERIAL.get(violation["id"], ("", ""))[0]
        rest = [t for t in violation["targets"] if not owner or owner not in t]
        if rest:
            ours.append((violation["id"], violation["help"], len(rest), rest[:5]))
    assert ours == [], f"{path or 'home'} ({scheme}): {ours}"


_LINE_STOP = """() => {
  const e = document.activeElement;
  return !!e && !!e.closest('.an-code') && /#([\\w.]+--)?L\\d+$/.test(e.getAttribute('href') || '');
}"""


def test_line_numbers_are_out_of_the_tab_order(pages):
    page = pages.open("chapters/state-dict/")
    # Every line is an anchor a URL names; its number is drawn by CSS, no element to tab to.
    assert page.locator(".an-code .an-line[id]").count() > 100
    stops = []
    for _ in range(120):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(_LINE_STOP))
    assert not any(stops), f"{stops.count(True)} of 120 Tab presses landed on a line link"


@pytest.mark.parametrize("path", ["files/module/", "files/container/"])
def test_the_file_pages_have_a_heading_per_class_and_function(pages, guide, path):
    page = pages.open(path)
    relpath = f"torch/nn/modules/{path.split('/')[1]}.py"
    expected = [
        o.short
        for o in sorted(guide.index.objects.values(), key=lambda o: o.lineno)
        if o.file == relpath and o.kind in ("class", "function")
    ]
    headings = page.locator("h2, h3, h4").evaluate_all(
        "hs => hs.filter(h => h.classList.contains('an-obj-h')).map(h => h.textContent)"
    )
    assert headings == expected


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_jumped_to_line_is_marked_and_its_code_stays_readable(pages, guide, scheme, viewport):
    obj = guide.index.objects["torch.nn.modules.module.Module.state_dict"]
    line = next(
        n
        for n in range(obj.lineno, obj.endlineno + 1)
        if guide.index.lines[obj.file][n - 1].lstrip().startswith("def state_dict")
    )
    target = f"{obj.path}--L{line}"
    page = pages.open(f"chapters/state-dict/#{target}", scheme=scheme, viewport=viewport)
    marked = page.locator(f'[id="{target}"]')
    plain = page.locator(f'[id="{obj.path}--L{line + 1}"]')
    style = "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.boxShadow]; }"
    assert marked.evaluate(style) != plain.evaluate(style)
    for token in marked.locator("span[class]").all():
        ratio = token.evaluate(_CONTRAST)
        assert ratio >= 4.5, f"{token.inner_text()!r}: {ratio:.2f} in {scheme}"

"""The coverage map in a browser: one cell per class and function, each a working link."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import assert_target_in_view, click_like_a_reader


def _cell_paths(page) -> list[str]:
    return page.locator(".an-coverage .an-cov-cell[data-an-path]").evaluate_all(
        "cells => cells.map(c => c.dataset.anPath)"
    )


def test_one_cell_per_class_and_function_in_file_order(pages, guide):
    page = pages.open("coverage/")
    expected = [
        obj.path
        for rel in ("torch/nn/modules/module.py", "torch/nn/modules/container.py")
        for obj in guide.index.objects.values()
        if obj.file == rel and obj.kind in ("class", "function")
    ]
    assert _cell_paths(page) == expected
    noted = {n.obj.path for n in guide.notes}
    states = page.locator(".an-coverage .an-cov-cell[data-an-path]").evaluate_all(
        "cells => Object.fromEntries(cells.map(c => [c.dataset.anPath, c.dataset.anState]))"
    )
    assert {path for path, state in states.items() if state != "none"} == noted
    figure = page.locator(".an-coverage > .an-cov-figure strong").inner_text()
    assert figure == f"{len(noted)} / {len(expected)}"
    # Every cell is a link, and each cell is big enough to tap.
    links = page.locator(".an-coverage a:has(.an-cov-cell[data-an-path])")
    assert links.count() == len(expected)
    box = page.locator(".an-cov-cell[data-an-path]").first.bounding_box()
    assert box and box["width"] >= 18 and box["height"] >= 18


def test_a_cell_leads_to_the_chapter_that_embeds_it(pages):
    page = pages.open("coverage/")
    # A function with a note: its chapter.
    click_like_a_reader(
        page, page.locator('[data-an-path="torch.nn.modules.module.Module._save_to_state_dict"]')
    )
    page.wait_for_url("**/chapters/state-dict/#*")
    # Instant navigation changes the address first, then fetches and swaps in the page (a long
    # chapter takes seconds on a busy machine).
    expect(page.locator("h1")).to_contain_text("state_dict", timeout=30_000)
    assert_target_in_view(page, ids={"torch.nn.Module._save_to_state_dict"})

    page.go_back()
    page.wait_for_url("**/coverage/")
    # A method of container.py: its chapter too, since every object is embedded in one.
    click_like_a_reader(
        page, page.locator('[data-an-path="torch.nn.modules.container.Sequential.__init__"]')
    )
    page.wait_for_url("**/chapters/containers/#*")
    expect(page.locator("h1")).to_contain_text("container.py", timeout=30_000)
    assert_target_in_view(page, ids={"torch.nn.Sequential.__init__"})

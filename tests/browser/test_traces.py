"""An example's trace folds open, and its links land on the function and on the line of the call."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import assert_target_in_view, click_like_a_reader


def test_the_trace_fold_opens_and_its_links_land(pages):
    page = pages.open("chapters/state-dict/")
    fold = page.locator("details.an-trace").first
    tree = fold.locator(".an-trace-tree")
    expect(tree).to_be_hidden()
    click_like_a_reader(page, fold.locator("summary"))
    expect(tree).to_be_visible()
    # A call's line: the whole-file page, scrolled to that line.
    line = tree.locator(".an-trace-from a").first
    expected = line.get_attribute("href").rsplit("#", 1)[1]
    click_like_a_reader(page, line)
    page.wait_for_url("**/files/**#L*")
    assert_target_in_view(page, ids={expected})
    page.go_back()
    page.wait_for_url("**/chapters/state-dict/**")
    # A function: its place in a chapter.
    fold = page.locator("details.an-trace").first
    if fold.get_attribute("open") is None:
        click_like_a_reader(page, fold.locator("summary"))
    function = fold.locator(".an-trace-tree > li > a").first
    target = function.get_attribute("href").rsplit("#", 1)[1]
    click_like_a_reader(page, function)
    page.wait_for_url(f"**#{target}")
    assert_target_in_view(page, ids={target})

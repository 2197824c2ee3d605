"""Names in the rendered source are links: following one lands on the function it names."""

from __future__ import annotations

import re

from tests.browser.conftest import assert_target_in_view, click_like_a_reader

STATE_DICT = "torch.nn.Module.state_dict"
NAME = re.compile(r"^\s*_save_to_state_dict\s*$")
"""The link's whole text: the name as the source spells it."""
TARGET_IDS = {
    "torch.nn.Module._save_to_state_dict",
    "torch.nn.modules.module.Module._save_to_state_dict",
}


def test_save_to_state_dict_in_the_source_of_state_dict_leads_to_that_function(pages, served_site):
    # The chapter that renders `state_dict` with its source.
    marker = f'data-an-object="{STATE_DICT}"'
    shown_on = [
        path
        for path in served_site.pages()
        if path.endswith("/")
        and marker in (served_site.root / path / "index.html").read_text(encoding="utf-8")
    ]
    assert shown_on, f"no page renders the source of {STATE_DICT}"
    page = pages.open(shown_on[0])
    source = page.locator(f'.an-source[data-an-object="{STATE_DICT}"]')
    link = source.locator("a", has_text=NAME)
    assert link.count() >= 1, "`_save_to_state_dict` is not a link in the source of state_dict"
    click_like_a_reader(page, link.first)
    page.wait_for_url("**#*")
    assert_target_in_view(page, ids=TARGET_IDS)


def test_save_to_state_dict_in_state_dict_on_the_whole_file_page_leads_to_that_function(
    pages, index
):
    state_dict = index.get("Module.state_dict")
    page = pages.open("files/module/")
    lines = ", ".join(f'[id="L{n}"]' for n in range(state_dict.lineno, state_dict.endlineno + 1))
    link = page.locator(lines).locator("a", has_text=NAME)
    assert link.count() >= 1, "`_save_to_state_dict` is not a link in the lines of state_dict"
    click_like_a_reader(page, link.first)
    page.wait_for_url("**#*")
    assert_target_in_view(page, ids=TARGET_IDS)

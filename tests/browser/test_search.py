"""Material's offline search (lunr in a web worker over search/search_index.json) finds objects and prose."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import LOCAL_HOST


def search(page, query: str) -> list[str]:
    """Type `query` into the search box; the result links, as site paths with their fragment."""
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.fill("")
    # Key by key, as a reader types: Material searches on key events.
    box.press_sequentially(query)
    # What no key types (Chinese, through an input method) arrives without key events; the key
    # that ends the input sends the one Material searches on.
    box.press("End")
    expect(page.locator(".md-search-result__item").first).to_be_attached()
    hrefs = page.locator("a.md-search-result__link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    base = urlsplit(page.url)
    paths = []
    for href in hrefs:
        url = urlsplit(urljoin(page.url, href))
        assert url.hostname == base.hostname == LOCAL_HOST
        paths.append(url.path.lstrip("/") + (f"#{url.fragment}" if url.fragment else ""))
    return paths


def test_state_dict_finds_its_chapter_and_the_function(pages):
    page = pages.open()
    found = search(page, "state_dict")
    pages_found = {path.split("#")[0] for path in found}
    assert "chapters/state-dict/" in pages_found, found
    # The coverage map names every object, but stays out of search.
    assert "coverage/" not in pages_found, found
    anchors = {path.split("#", 1)[1] for path in found if "#" in path}
    assert anchors & {"torch.nn.Module.state_dict", "torch.nn.modules.module.Module.state_dict"}, (
        found
    )


def test_a_phrase_from_a_note_finds_the_page_that_shows_it(pages, served_site, guide):
    attached = next(n for n in guide.notes if n.obj.short == "Module._save_to_state_dict")
    page = pages.open()
    # The note's page other than the whole-file ones: the chapter that embeds the function.
    shown_on = [
        path
        for path in served_site.pages()
        if not path.startswith("files/")
        and path.endswith("/")
        and f'data-an-note="{attached.note.name}"'
        in (served_site.root / path / "index.html").read_text(encoding="utf-8")
    ]
    assert len(shown_on) == 1, shown_on
    prose = page.context.new_page()
    prose.goto(served_site.url(shown_on[0]))
    text = prose.locator(
        f'[data-an-note="{attached.note.name}"] p:not(.an-where)'
    ).first.inner_text()
    prose.close()
    words = re.findall(r"[A-Za-z']+", text)
    phrase = " ".join(words[-8:-2])
    assert len(phrase.split()) == 6
    found = search(page, phrase)
    assert shown_on[0] in {path.split("#")[0] for path in found}, (phrase, found)


def test_private_names_find_their_function_and_every_object_has_an_entry(pages, served_site, guide):
    page = pages.open()
    found = search(page, "_call_impl")
    assert "chapters/calling/#torch.nn.Module._call_impl" in found, found
    index = json.loads((served_site.root / "search/search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    public_of: dict[str, list[str]] = {}
    for public, target in guide.index.public.items():
        public_of.setdefault(target, []).append(public)
    for obj in guide.index.objects.values():
        if obj.kind not in ("class", "function"):
            continue
        ids = {obj.path} | {
            public + obj.path[len(cls) :]
            for cls, publics in public_of.items()
            if obj.path == cls or obj.path.startswith(cls + ".")
            for public in publics
        }
        # On its chapter, or (for one no chapter shows) at its line on the file page.
        assert any(loc.split("#", 1)[-1] in ids for loc in locations if "#" in loc), obj.path
    # The listings stay out: no source line of either file is in the index.
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "def _call_impl(self, *args, **kwargs)" not in text
    assert "_global_forward_pre_hooks.values()" not in text

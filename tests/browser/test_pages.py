"""Every page in a real browser: loads cleanly, from this host only, with the book's navigation."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import LOCAL_HOST


def test_every_page_loads_with_no_error_and_nothing_from_another_host(pages, served_site):
    paths = served_site.pages()
    assert {"", "coverage/", "files/module/", "files/container/"} <= set(paths)
    page = pages.open()
    for path in paths:
        page.goto(served_site.url(path), wait_until="networkidle")
        assert page.locator("h1").first.is_visible(), path
    traffic = pages.traffic
    assert traffic.errors == []
    assert traffic.failed == []
    # Leaving a page can cancel a request still under way; what was cancelled loaded elsewhere.
    assert set(traffic.aborted) <= traffic.loaded
    assert traffic.foreign == []
    hosts = {urlsplit(url).hostname for url in traffic.requests if url.startswith("http")}
    assert hosts == {LOCAL_HOST}
    # Styles, scripts and the search index (fetched by the search worker) all came from here.
    assert any(url.endswith(".css") for url in traffic.requests)
    assert any(url.endswith(".js") for url in traffic.requests)
    assert any(url.endswith("search/search_index.json") for url in traffic.requests)


def test_every_page_names_the_torch_version_and_commit_it_was_built_from(
    pages, served_site, snapshot
):
    page = pages.open()
    for path in served_site.pages():
        page.goto(served_site.url(path), wait_until="networkidle")
        banner = page.locator(".md-banner .an-version")
        assert banner.is_visible(), path
        text = " ".join(banner.inner_text().split())
        assert f"torch {snapshot.version}" in text, path
        assert snapshot.commit[:12] in text, path
        link = banner.locator("a.an-version__commit")
        assert link.get_attribute("href") == (
            f"https://github.com/pytorch/pytorch/commit/{snapshot.commit}"
        )


def test_navigation_is_instant_with_sections_footer_and_table_of_contents(pages, served_site):
    page = pages.open()
    sections = page.locator(
        ".md-sidebar--primary .md-nav__item--section > label, "
        ".md-sidebar--primary .md-nav__item--section > .md-nav__link"
    )
    assert {"Chapters", "Source files"} <= {" ".join(t.split()) for t in sections.all_inner_texts()}
    # A marker on the window survives only if the next page is swapped in without a reload.
    page.evaluate("window.annotateMarker = 'kept'")
    next_link = page.locator("a.md-footer__link--next")
    target = next_link.get_attribute("href")
    assert target
    next_link.click()
    # Material's navigation.tracking may still write the old page's last heading into the hash.
    expected = urljoin(page.url, target)
    page.wait_for_url(lambda url: url.split("#", 1)[0] == expected)
    expect(page.locator("a.md-footer__link--prev")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.annotateMarker") == "kept"
    heading_ids = page.locator(".md-content h2[id]").evaluate_all("els => els.map(e => e.id)")
    toc_links = page.locator(
        ".md-sidebar--secondary .md-nav__link, .md-sidebar--primary .md-nav--secondary .md-nav__link"
    ).evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert heading_ids
    assert any(href and href.endswith("#" + heading_ids[0]) for href in toc_links), toc_links


def test_code_examples_have_a_copy_button_that_copies_and_source_pieces_have_none(pages):
    page = pages.open("chapters/to-and-apply/", permissions=["clipboard-read", "clipboard-write"])
    examples = page.locator(".md-content pre:not(.an-listing)")
    assert examples.count() > 0
    for i in range(examples.count()):
        assert examples.nth(i).locator("[data-md-type=copy], .md-clipboard").count() == 1
    pieces = page.locator("pre.an-listing")
    assert pieces.count() > 1
    for i in range(pieces.count()):
        buttons = pieces.nth(i).locator("[data-md-type=copy], .md-clipboard")
        assert all(not buttons.nth(j).is_visible() for j in range(buttons.count()))
    example = examples.first
    example.hover()
    example.locator("[data-md-type=copy], .md-clipboard").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert " ".join(copied.split()) == " ".join(example.locator("code").inner_text().split())

"""The published site's version selector in Chromium: a guide per release, the same page kept."""

from __future__ import annotations

import json

from tests.browser.conftest import DESKTOP, Traffic, _context


def _choose(page, title):
    # The list opens while the button has the focus, as it does under the pointer.
    page.locator(".md-version__current").focus()
    page.locator(".md-version__link", has_text=title).click()


def test_the_selector_lists_every_guide_and_switching_keeps_the_page_and_language(
    browser, published_site
):
    versions = json.loads((published_site.root / "versions.json").read_text())
    newest = versions[0]
    older = next(v for v in versions if v["title"] == published_site.older)
    traffic = Traffic()
    context = _context(browser, traffic, viewport=DESKTOP)
    try:
        page = context.new_page()
        # The site's root leads to `latest`, and that to the newest guide.
        page.goto(published_site.base, wait_until="networkidle")
        page.wait_for_url(f"{published_site.base}{newest['version']}/")
        chapter = "chapters/named-members/"
        page.goto(f"{published_site.base}{newest['version']}/{chapter}", wait_until="networkidle")
        current = page.locator(".md-version__current")
        assert current.inner_text().startswith(newest["title"])
        assert current.locator(".md-version__alias").inner_text() == "latest"
        links = page.locator(".md-version__link")
        titles = [links.nth(i).inner_text().removesuffix("latest") for i in range(links.count())]
        assert titles == [v["title"] for v in versions]
        assert not page.locator(".an-orphans").count()

        _choose(page, older["title"])
        page.wait_for_url(f"{published_site.base}{older['version']}/{chapter}")
        page.wait_for_load_state("networkidle")
        assert page.locator(".md-version__current").inner_text().startswith(older["title"])
        assert page.locator(".an-orphans").count() == 1
        assert f"torch {published_site.older}" in page.locator(".an-version").inner_text()

        # From a Chinese page, to the same Chinese page of the other guide.
        page.goto(f"{published_site.base}{older['version']}/zh/{chapter}", wait_until="networkidle")
        _choose(page, newest["title"])
        page.wait_for_url(f"{published_site.base}{newest['version']}/zh/{chapter}")
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == "zh"
    finally:
        context.close()
    assert not traffic.foreign, traffic.foreign
    assert not traffic.errors, traffic.errors
    assert not traffic.failed, traffic.failed

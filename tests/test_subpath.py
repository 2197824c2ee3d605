"""The guide hosted under a project path, as GitHub Pages serves it: every link of every page holds.

The session's site is built for `SITE_URL`, whose path is not `/`; here it is served under that path
by a server that answers unknown addresses with `404.html`, as the pages host does, and every `href`
and `src` of every page (the 404 page reached from deep, unknown addresses included) is fetched.
"""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.conftest import SITE_URL
from tests.linkcheck import links_of

PREFIX = urlsplit(SITE_URL).path
SITE_HOST = urlsplit(SITE_URL).netloc


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Static files under `PREFIX`; anything else answers 404 with the site's own 404 page."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / PREFIX.strip("/") / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def hosted(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The session's site served under `PREFIX` on a free port; its base address."""
    root = tmp_path_factory.mktemp("pages-host")
    (root / PREFIX.strip("/")).symlink_to(site, target_is_directory=True)
    handler = functools.partial(_PagesHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def fetch(url: str) -> tuple[int, str]:
    """The status and the body (as text, for HTML) of one address on the test server."""
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            body = answer.read()
            status = answer.status
            kind = answer.headers.get_content_type()
    except urllib.error.HTTPError as error:
        body, status, kind = error.read(), error.code, error.headers.get_content_type()
        error.close()
    return status, body.decode("utf-8") if kind == "text/html" else ""


def broken_links(hosted: str, pages: dict[str, str]) -> tuple[list[str], int]:
    """Every link of `pages` (address → HTML) that does not reach a file, or an anchor, under `PREFIX`."""
    local = urlsplit(hosted).netloc
    cache: dict[str, tuple[int, set[str]]] = {}

    def target(url: str) -> tuple[int, set[str]]:
        if url not in cache:
            status, html = fetch(url)
            cache[url] = (status, links_of(html)[0] if html else set())
        return cache[url]

    broken, checked = [], 0
    for address, html in pages.items():
        for line, link in links_of(html)[1]:
            parts = urlsplit(urljoin(address, link))
            if parts.scheme not in ("http", "https") or parts.netloc not in (local, SITE_HOST):
                continue  # another host, mailto:, data:
            checked += 1
            where = f"{address} line {line}: {link}"
            if not parts.path.startswith(PREFIX):
                broken.append(f"{where} (leaves {PREFIX})")
                continue
            status, ids = target(f"http://{local}{parts.path}")
            if status != 200:
                broken.append(f"{where} (answers {status})")
            elif parts.fragment and unquote(parts.fragment) not in ids:
                broken.append(f"{where} (no #{unquote(parts.fragment)})")
    return broken, checked


def test_every_link_of_every_page_holds_under_the_project_path(site: Path, hosted: str):
    pages = {}
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix().removesuffix("index.html")
        status, text = fetch(hosted + rel)
        assert status == 200, rel
        pages[hosted + rel] = text
    broken, checked = broken_links(hosted, pages)
    assert checked > 1000
    assert broken == [], "\n".join(broken[:20])


@pytest.mark.parametrize("missing", ["no-such-page/", "chapters/no/such/page/", "files/x.html"])
def test_the_404_page_works_from_any_unknown_address(hosted: str, missing: str):
    status, html = fetch(hosted + missing)
    assert status == 404 and "404" in html
    # One page for a reader of either language, leading home in each.
    assert f'href="{PREFIX}"' in html or f'href="{PREFIX}./"' in html
    assert f'href="{PREFIX}zh/"' in html and "找不到该页面" in html
    broken, checked = broken_links(hosted, {hosted + missing: html})
    # Stylesheets, scripts, the home link and the navigation, from wherever the reader landed.
    assert checked > 10
    assert broken == [], "\n".join(broken)


def test_pages_name_their_hosted_address_not_localhost_root(site: Path):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITE_URL}</loc>" in sitemap and "127.0.0.1:8000/<" not in sitemap
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{SITE_URL}">' in home

"""The built guide served on 127.0.0.1 and opened in Debian's Chromium through Playwright."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Request,
    Response,
    Route,
    sync_playwright,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.conftest import ROOT, run_mkdocs

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
LOCAL_HOST = "127.0.0.1"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass(frozen=True, kw_only=True)
class ServedSite:
    """A strict build of the guide and the address it is served on."""

    root: Path
    """The built site folder."""
    base: str
    """`http://127.0.0.1:<port>/`."""

    def url(self, path: str = "") -> str:
        """The address of `path` (relative to the site root)."""
        return self.base + path.lstrip("/")

    def pages(self) -> list[str]:
        """Every HTML page of the site, as paths relative to the root (`chapters/x/`)."""
        paths = []
        for html in sorted(self.root.rglob("*.html")):
            rel = html.relative_to(self.root).as_posix()
            paths.append(rel.removesuffix("index.html"))
        return paths


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The guide, built for and served on a free port of 127.0.0.1 for the whole session.

    The server starts first so that the site is built with its real address: Material's
    instant navigation only follows links to the host and port in `site_url`.
    """
    root = tmp_path_factory.mktemp("served-site")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    server.daemon_threads = True
    base = f"http://{LOCAL_HOST}:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        result = run_mkdocs(root, env={"ANNOTATE_SITE_URL": base, "ANNOTATE_CHINESE": "true"})
        assert result.returncode == 0, result.stderr[-4000:]
        yield ServedSite(root=root, base=base)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, with a fresh profile."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass(kw_only=True)
class Traffic:
    """What pages of one browser context asked for and said."""

    requests: list[str] = field(default_factory=list)
    """Every URL requested, in order."""
    foreign: list[str] = field(default_factory=list)
    """Requests to any host but 127.0.0.1 (each was blocked)."""
    failed: list[str] = field(default_factory=list)
    """Requests that failed or answered 400 or more, with the reason."""
    aborted: list[str] = field(default_factory=list)
    """Requests the browser itself cancelled, as when leaving a page before its favicon came."""
    loaded: set[str] = field(default_factory=set)
    """URLs that answered below 400."""
    errors: list[str] = field(default_factory=list)
    """Console errors and uncaught page errors."""

    def watch(self, page: Page) -> Page:
        """Record `page`'s console errors, failed requests and bad answers."""

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                self.errors.append(f"{page.url}: console: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

        def on_failed(request: Request) -> None:
            if request.failure == "net::ERR_ABORTED" and request.url not in self.foreign:
                self.aborted.append(request.url)
            else:
                self.failed.append(f"{request.url}: {request.failure}")

        def on_response(response: Response) -> None:
            if response.status >= 400:
                self.failed.append(f"{response.url}: HTTP {response.status}")
            else:
                self.loaded.add(response.url)

        page.on("requestfailed", on_failed)
        page.on("response", on_response)
        return page


def _context(browser: Browser, traffic: Traffic, **options: object) -> BrowserContext:
    context = browser.new_context(**options)  # type: ignore[arg-type]

    def route(route: Route, request: Request) -> None:
        traffic.requests.append(request.url)
        if urlsplit(request.url).hostname == LOCAL_HOST or request.url.startswith(
            ("data:", "blob:")
        ):
            route.continue_()
        else:
            # Never let a page reach another host: record it, and the test fails on it.
            traffic.foreign.append(request.url)
            route.abort("blockedbyclient")

    context.route("**/*", route)
    context.on("page", traffic.watch)
    return context


@dataclass(kw_only=True)
class Pages:
    """Opens pages of the served site in fresh browser contexts; closes them all at the end."""

    browser: Browser
    site: ServedSite
    traffic: Traffic = field(default_factory=Traffic)
    contexts: list[BrowserContext] = field(default_factory=list)

    def open(
        self,
        path: str = "",
        *,
        viewport: dict[str, int] = DESKTOP,
        scheme: str = "light",
        **options: object,
    ) -> Page:
        """`path` loaded, scripts run and network idle, in a new context (fresh storage)."""
        context = _context(
            self.browser, self.traffic, viewport=viewport, color_scheme=scheme, **options
        )
        self.contexts.append(context)
        page = context.new_page()
        page.goto(self.site.url(path), wait_until="networkidle")
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def pages(browser: Browser, served_site: ServedSite) -> Iterator[Pages]:
    """Open pages with `pages.open(path, viewport=..., scheme=...)`; `pages.traffic` has what they did.

    Every test fails if any of its pages asked another host for anything.
    """
    opened = Pages(browser=browser, site=served_site)
    try:
        yield opened
    finally:
        opened.close()
    assert not opened.traffic.foreign, f"requests to other hosts: {opened.traffic.foreign}"


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The folder screenshots go to; kept after the run (and ignored by git)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


_TARGET = """
() => {
  const id = decodeURIComponent(location.hash.slice(1));
  const el = document.getElementById(id);
  if (!el) return {id, found: false};
  let box = el.getBoundingClientRect();
  // An empty anchor before a line stands for that line.
  if (box.height === 0 && el.nextElementSibling) box = el.nextElementSibling.getBoundingClientRect();
  const header = document.querySelector(".md-header").getBoundingClientRect().bottom;
  return {id, found: true, top: box.top, bottom: box.bottom, header, height: innerHeight};
}
"""


def assert_target_in_view(page: Page, *, ids: set[str]) -> None:
    """The URL's fragment names one of `ids`, and that element is on screen below the header."""
    # Instant navigation changes the address first, then swaps the page in and scrolls.
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            "() => { const t = (" + _TARGET + ")(); "
            "return t.found && t.top >= t.header - 1 && t.top < t.height; }",
            timeout=5000,
        )
    target = page.evaluate(_TARGET)
    assert target["id"] in ids, target
    assert target["found"], target
    assert target["top"] >= target["header"] - 1, f"hidden under the header: {target}"
    assert target["top"] < target["height"], f"below the screen: {target}"


def click_like_a_reader(page: Page, locator: Locator) -> None:
    """Scroll `locator` into view, pause, then click it.

    Material records the scroll offset in the history entry 100 ms after a scroll; a click
    within that time (as Playwright's own scroll-then-click) can have the offset recorded
    on the new entry, and Material then restores that offset instead of going to the anchor.
    """
    locator.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    locator.click()

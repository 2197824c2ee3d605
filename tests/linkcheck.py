"""A link checker for a built site: every internal `href` must reach a file and, if it names one, an anchor."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

_EXTERNAL = ("http:", "https:", "mailto:", "data:", "javascript:", "//")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[tuple[int, str]] = []
        self.sources: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in ("href", "xlink:href"):
                self.hrefs.append((self.getpos()[0], value))
            elif name == "src":
                self.sources.append((self.getpos()[0], value))


@dataclass(frozen=True)
class Broken:
    page: str
    line: int
    href: str
    why: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.href} ({self.why})"


def _collect(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def check_site(site: Path, prefix: str = "/") -> tuple[list[Broken], int]:
    """Broken internal links of every HTML page of `site`, and how many links were checked.

    `prefix` is the path the site is served under (that of its `site_url`): an absolute link
    must start with it.
    """
    pages = {p.relative_to(site).as_posix(): _collect(p) for p in sorted(site.rglob("*.html"))}
    broken: list[Broken] = []
    checked = 0
    for rel, page in pages.items():
        base = prefix + rel
        for line, href in page.hrefs:
            if not href or href.startswith(_EXTERNAL):
                continue
            checked += 1
            parts = urlsplit(urljoin(base, href))
            if not parts.path.startswith(prefix):
                broken.append(Broken(rel, line, href, f"outside {prefix}"))
                continue
            target = parts.path.removeprefix(prefix)
            if target == "" or target.endswith("/"):
                target += "index.html"
            if (site / target).is_dir():
                target += "/index.html"
            if not (site / target).is_file():
                broken.append(Broken(rel, line, href, f"no file {target}"))
                continue
            if parts.fragment and target.endswith(".html"):
                fragment = unquote(parts.fragment)
                if fragment not in pages[target].ids:
                    broken.append(Broken(rel, line, href, f"no #{fragment} in {target}"))
    return broken, checked


def page_ids(path: Path) -> set[str]:
    """Every `id` (and `<a name>`) of one HTML page."""
    return _collect(path).ids


def links_of(html: str) -> tuple[set[str], list[tuple[int, str]]]:
    """The ids of one HTML page, and every `href` and `src` on it with its line."""
    collector = _Collector()
    collector.feed(html)
    return collector.ids, [*collector.hrefs, *collector.sources]

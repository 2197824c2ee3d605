"""Where a page is in each language: the same path, under the language's folder but English."""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape

from annotate.site import labels


def counterpart(url: str, language: str, /, *, default: str, languages: Iterable[str]) -> str:
    """The address of the page at `url` (from the site's root, `zh/files/module/`) in
    `language`; the `default` language's pages are at the root."""
    for lang in languages:
        if lang != default and (url == lang or url.startswith(f"{lang}/")):
            url = url[len(lang) + 1 :]
            break
    return url if language == default else f"{language}/{url}"


def sitemap(urls: Iterable[str], /) -> str:
    """A sitemap of `urls` (absolute addresses).

    Material's instant navigation reads the sitemap beside a language's home (`zh/sitemap.xml`)
    to know which links it may load in place; mkdocs-static-i18n writes only the site's own.
    """
    locs = "".join(f"  <url><loc>{escape(url)}</loc></url>\n" for url in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{locs}</urlset>\n"
    )


def permalink_title(language: str, /) -> str:
    """The title of a heading's permalink (the `¶` beside it) in `language`."""
    _ = labels.gettext(language)
    return _("Permanent link")

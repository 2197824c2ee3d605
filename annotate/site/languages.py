"""Where a page is in each language: the same path, under the language's folder but English."""

from __future__ import annotations

from collections.abc import Iterable


def counterpart(url: str, language: str, /, *, default: str, languages: Iterable[str]) -> str:
    """The address of the page at `url` (from the site's root, `zh/files/module/`) in
    `language`; the `default` language's pages are at the root."""
    for lang in languages:
        if lang != default and (url == lang or url.startswith(f"{lang}/")):
            url = url[len(lang) + 1 :]
            break
    return url if language == default else f"{language}/{url}"

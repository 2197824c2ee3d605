"""The language of a build, as mkdocs-static-i18n (the `i18n` plugin) tells it by its attributes.

mkdocs-static-i18n builds the site once per language, with the same configuration; it has no
API for the language under way, only attributes on the plugin. Without it, the site is English.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from annotate.site.languages import permalink_title, sitemap

if TYPE_CHECKING:
    from collections.abc import Iterable

    from mkdocs.config.defaults import MkDocsConfig

ENGLISH = "en"


def current(config: MkDocsConfig, /) -> str:
    """The language being built: mkdocs-static-i18n's current one, else its default, else English."""
    i18n = config.plugins.get("i18n")
    language = getattr(i18n, "current_language", None) or getattr(i18n, "default_language", None)
    return str(language or ENGLISH)


def default(config: MkDocsConfig, /) -> str:
    """The language at the site's root: mkdocs-static-i18n's default one, else English."""
    return str(getattr(config.plugins.get("i18n"), "default_language", None) or ENGLISH)


def built(config: MkDocsConfig, /) -> list[str]:
    """Every language mkdocs-static-i18n builds (none without it)."""
    return [str(lang) for lang in getattr(config.plugins.get("i18n"), "build_languages", [])]


def known(config: MkDocsConfig, /) -> list[str]:
    """Every language mkdocs-static-i18n knows, built or not (none without it)."""
    return [str(lang) for lang in getattr(config.plugins.get("i18n"), "all_languages", [])]


def translate_permalinks(config: MkDocsConfig, /) -> None:
    """Give the headings' permalinks (Python-Markdown's `toc`) their title in the language being
    built, unless the configuration names another: Markdown's options are one per site, not per
    language, and mkdocs-static-i18n translates only the theme's."""
    toc = config.mdx_configs.get("toc")
    if not isinstance(toc, dict) or not toc.get("permalink"):
        return
    ours = {"Permanent link", *(permalink_title(lang) for lang in known(config))}
    if toc.get("permalink_title", "Permanent link") in ours:  # Markdown's own, or one of ours
        toc["permalink_title"] = permalink_title(current(config))


def point_switch_at_homes(config: MkDocsConfig, /) -> None:
    """Point each entry of the language switch at its language's home.

    mkdocs-static-i18n points the switch at this page in each language (and leaves a generated
    page the switch of the page before it). Material's instant navigation takes each link for a
    language's home, beside its sitemap, and finds the same page there itself;
    `assets/language.js` keeps the place on the page.
    """
    languages, root = built(config), default(config)
    # mkdocs-static-i18n sets it as an attribute, which templates read before the item.
    for alternate in getattr(config.extra, "alternate", None) or []:
        if alternate.get("lang") in languages:
            lang = alternate["lang"]
            alternate["link"] = "./" if lang == root else f"{lang}/"


def write_sitemap(config: MkDocsConfig, urls: Iterable[str], /) -> Path | None:
    """Write the sitemap of the language being built beside its home, if it is not the root's
    (mkdocs-static-i18n writes only the site's own); where it went."""
    language = current(config)
    if language == default(config):
        return None
    folder = Path(config.site_dir) / language
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sitemap.xml"
    path.write_text(sitemap(urls), encoding="utf-8")
    return path

"""What the plugin keeps from one build to the next: in memory under `mkdocs serve`, and on disk.

Each language's builds keep their own `Kept`, valid for one configuration: a change to the
configuration file, to the Markdown or search options it sets, or to this package, drops
everything kept.

mkdocstrings renders every object of every chapter anew on every build; `reuse_object_html` has
it take back an object's HTML while the views its templates read are as they were. Material's
search indexes every page by parsing its HTML anew on every build;
`reuse_search_entries` has it take back a page's entries when what it reads of the page (its
HTML with the parts set aside for search, title, contents and front matter) is as it was.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown_exec import MarkdownConverter

from annotate.mkdocs_adapter import languages
from annotate.notes.verdicts import key_file, signing_key
from annotate.reuse import Reuse, digest
from annotate.site.kept import Kept, environment, load, made_by, save

if TYPE_CHECKING:
    from collections.abc import Hashable

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

    from annotate.site.build import SiteBuild


class KeptBuilds:
    """Each language's `Kept`, for the configuration last built, and where it is left on disk."""

    def __init__(self) -> None:
        self._made_for = ""
        self._languages: dict[str, tuple[Kept, Path]] = {}
        self._project = Path()

    def for_build(self, config: MkDocsConfig, /, *, cache_dir: Path) -> Kept:
        """What earlier builds of `config`'s language left under the same configuration: in this
        process, else on disk in `cache_dir`."""
        made_for = _configuration(config)
        if made_for != self._made_for:
            self._made_for, self._languages = made_for, {}
        path = config.config_file_path
        self._project = Path(path).parent if path else Path(config.docs_dir).parent
        language = languages.current(config)
        if language not in self._languages:
            name = hashlib.sha256(language.encode()).hexdigest()[:16]
            file = cache_dir / "reuse" / f"{name}.kept"
            kept = load(file, key=_key(), made_for=f"{made_for}/{language}")
            self._languages[language] = (kept, file)
        return self._languages[language][0]

    def finish(self, config: MkDocsConfig, kept: Kept, /) -> None:
        """End the build of `config`'s language, leaving on disk what it keeps where that changed."""
        kept.end_build()
        language = languages.current(config)
        held, file = self._languages.get(language, (None, None))
        if held is kept and file is not None and kept.changed:
            save(
                file,
                kept,
                key=_key(),
                made_for=f"{self._made_for}/{language}",
                below=self._project,
            )

    def failed(self) -> None:
        """End every language's build after a failure, keeping what each had (a language's
        build that already ended stays as it ended)."""
        for kept, _ in self._languages.values():
            kept.end_build(failed=True)


def _configuration(config: MkDocsConfig) -> str:
    """A digest of what the kept values were computed under: the configuration file, the
    Markdown and search options as loaded (an `INHERIT`ed file or a variable may set them),
    the code that computed them and the variables this guide reads."""
    path = config.config_file_path
    text = Path(path).read_bytes() if path and Path(path).is_file() else b""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    return digest(
        str(path),
        text.decode("utf-8", "surrogateescape"),
        _plain([config.markdown_extensions, config.mdx_configs]),
        _plain(getattr(search, "config", None)),
        made_by(),
        environment(),
    ).hex()


def _plain(value: Any) -> str:
    """`value` as text that is the same in every process: an object other than plain data (an
    extension's instance, the fences' formatter, new each build) by its type's name."""
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda item: repr(item[0]))
        return "{" + ", ".join(f"{k!r}: {_plain(v)}" for k, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    if value is None or isinstance(value, str | int | float | bool):
        return repr(value)
    if hasattr(value, "items") and callable(value.items):  # a configuration object
        return _plain(dict(value.items()))
    kind = value if isinstance(value, type) else type(value)
    name = getattr(value, "__qualname__", None) if callable(value) else None
    return f"<{kind.__module__}.{name or kind.__qualname__}>"


def _key() -> bytes | None:
    return signing_key(key_file())


def reuse_search_entries(config: MkDocsConfig, entries: Reuse[list[dict[str, Any]]], /) -> None:
    """Have Material's search index of this build take each page's entries from `entries` when
    the page is as it was; nothing without Material's search plugin."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    index: Any = getattr(search, "search_index", None)
    original = getattr(type(index), "add_entry_from_context", None)
    if index is None or original is None or not isinstance(getattr(index, "entries", None), list):
        return
    add = functools.partial(original, index)

    def add_entry_from_context(page: Page) -> None:
        before = len(index.entries)

        def indexed() -> list[dict[str, Any]]:
            add(page)
            return [dict(entry) for entry in index.entries[before:]]

        made = entries.get(_page_key(page), indexed)
        if len(index.entries) == before:
            index.entries.extend(dict(entry) for entry in made)

    index.add_entry_from_context = add_entry_from_context


def _page_key(page: Page) -> bytes:
    """What Material's search reads of `page`."""
    return digest(
        page.url,
        str(page.title),
        repr(page.meta),
        repr(_toc(page.toc)),
        page.content or "",
    )


def _toc(items: Any) -> list[Any]:
    return [(i.id, i.title, i.url, i.level, _toc(i.children)) for i in items]


def reuse_object_html(config: MkDocsConfig, build: SiteBuild, /) -> None:
    """Have mkdocstrings-python take each object's HTML back from earlier builds while nothing
    it read changed (`ObjectRenders`), its headings for the page's contents handed back where
    its own `do_heading` leaves them; nothing where the handler is not as this expects."""
    handler: Any = config.plugins["mkdocstrings"].handlers.get_handler("python")  # type: ignore[attr-defined]
    headings = getattr(handler, "_headings", None)
    if not isinstance(headings, list):
        return
    autorefs = config.plugins.get("autorefs")

    def state() -> Hashable:
        # A render that numbered an id by the build's count, or registered an anchor for the
        # page, did more than make its HTML.
        maps = (getattr(autorefs, name, None) for name in _AUTOREFS_MAPS)
        return (MarkdownConverter.counter, *(len(m) if isinstance(m, dict) else -1 for m in maps))

    renders = build.object_renders(state)
    # Once per build, over mkdocstrings' own method (a handler kept from an earlier build
    # would otherwise render through that build's views).
    original = getattr(handler.render, "_annotate_original", handler.render)

    def render(data: Any, options: Any, locale: str | None = None) -> str:
        def rendered() -> str:
            return original(data, options, locale=locale)

        spelled = repr(options)
        if _ADDRESS.search(spelled):  # an option that is not plain data: no stable identity
            return rendered()
        return renders.render(
            rendered, identity=f"{data.path}\n{spelled}\n{locale}", headings=headings
        )

    render._annotate_original = original  # type: ignore[attr-defined]
    handler.render = render


_AUTOREFS_MAPS = ("_primary_url_map", "_secondary_url_map", "_abs_url_map", "_title_map")
_ADDRESS = re.compile(r" at 0x[0-9a-f]+")

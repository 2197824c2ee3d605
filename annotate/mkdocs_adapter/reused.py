"""What the plugin keeps from one build to the next in one process (`mkdocs serve`).

Each language's builds keep their own `Reused`, valid for one configuration file: an edit to
it drops everything kept. What a build keeps is also left on disk for the next process. Material's search indexes every page by parsing its HTML anew on every
build; `reuse_search_entries` has it take back a page's entries when the page's content, title,
contents and front matter are those it indexed last time.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotate.mkdocs_adapter import languages
from annotate.notes.verdicts import key_file, signing_key
from annotate.reuse import Reuse, digest
from annotate.site.reused import Reused, environment, load, made_by, save

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page


class KeptBuilds:
    """Each language's `Reused`, for the configuration last built, and where it is left on disk."""

    def __init__(self) -> None:
        self._made_for = ""
        self._languages: dict[str, tuple[Reused, Path]] = {}

    def for_build(self, config: MkDocsConfig, /, *, cache_dir: Path) -> Reused:
        """What earlier builds of `config`'s language left under the same configuration: in this
        process, else on disk in `cache_dir`."""
        path = config.config_file_path
        text = Path(path).read_bytes() if path and Path(path).is_file() else b""
        made_for = digest(
            str(path), text.decode("utf-8", "surrogateescape"), made_by(), environment()
        ).hex()
        if made_for != self._made_for:
            self._made_for, self._languages = made_for, {}
        language = languages.current(config)
        if language not in self._languages:
            name = hashlib.sha256(language.encode()).hexdigest()[:16]
            file = cache_dir / "reuse" / f"{name}.kept"
            kept = load(file, key=_key(), made_for=f"{made_for}/{language}")
            self._languages[language] = (kept, file)
        return self._languages[language][0]

    def finish(self, config: MkDocsConfig, reused: Reused, /) -> None:
        """End the build of `config`'s language, leaving on disk what it keeps where that changed."""
        reused.end_build()
        language = languages.current(config)
        kept = self._languages.get(language)
        if kept is not None and kept[0] is reused and reused.changed:
            save(kept[1], reused, key=_key(), made_for=f"{self._made_for}/{language}")


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

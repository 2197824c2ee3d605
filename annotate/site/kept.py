"""What one language's builds leave for the next build, in the same process and on disk.

Under `mkdocs serve` a rebuild takes back, from the build before it, each example's HTML, each
page's examples and each page's search entries whose inputs are unchanged (`Reuse`). A build in a
new process takes them from the project's cache folder, where the last build left them signed
(`annotate.signed`): the folder may come with a pull request, and what is read back goes into
the pages. The file stands for one configuration and one version of the code that made it
(`made_by`); any other is ignored, as a missing one is.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate.examples.runner import Example
from annotate.reuse import Reuse
from annotate.signed import code_fingerprint, read_signed, write_signed
from annotate.site.object_html import RenderedObject, is_heading

Collected = tuple[Example, tuple[Example, ...]]
"""An example found on a page, and the earlier ones of its session."""

_MADE_WITH = (
    "mkdocs",
    "mkdocs-material",
    "markdown",
    "pymdown-extensions",
    "markdown-exec",
    "pygments",
    "jieba",
    "mkdocs-autorefs",
    "mkdocstrings",
    "mkdocstrings-python",
)
"""The libraries that turn what is kept into what is shown: Markdown, highlighting, search."""


@dataclass
class Kept:
    """What one language's builds keep for the next build, each by a digest of its inputs."""

    example_html: Reuse[tuple[str, str, int]] = field(default_factory=Reuse)
    """Each example's HTML and trace, and how many conversions markdown-exec counted making
    them, by the example's source, options and result."""
    examples_found: Reuse[list[Collected]] = field(default_factory=Reuse)
    """Each page's examples, by its text."""
    search_entries: Reuse[list[dict[str, Any]]] = field(default_factory=Reuse)
    """Each page's search entries, by what search reads of the page."""
    object_html: Reuse[RenderedObject] = field(default_factory=Reuse)
    """Each object's HTML as mkdocstrings rendered it, by its identity (`ObjectRenders`)."""

    def end_build(self, *, failed: bool = False) -> None:
        """Keep what this build used, for the next one (`Reuse.end_build`)."""
        for reuse in self._all():
            reuse.end_build(failed=failed)

    @property
    def changed(self) -> bool:
        """The last build left something else to keep than it found."""
        return any(reuse.changed for reuse in self._all())

    def _all(self) -> tuple[Reuse[Any], ...]:
        return (self.example_html, self.examples_found, self.search_entries, self.object_html)


def made_by() -> str:
    """A fingerprint of the code that makes what is kept: this package's files (templates and
    translations too, read again each build: `mkdocs serve` picks up an edited template) and
    the libraries it renders with."""
    return code_fingerprint(_MADE_WITH, pattern="*")


def load(path: Path, /, *, key: bytes | None, made_for: str) -> Kept:
    """What the last build in another process left at `path` for the configuration `made_for`;
    empty where there is nothing trustworthy."""
    kept = Kept()
    if key is None:
        return kept
    body = read_signed(path, key=key, context=made_for.encode())
    if body is None:
        return kept
    try:
        data = json.loads(body)
        html = {
            bytes.fromhex(k): (str(v[0]), str(v[1]), int(v[2]))
            for k, v in data["example_html"].items()
        }
        found = {
            bytes.fromhex(k): [(_example(e), tuple(_example(h) for h in past)) for e, past in v]
            for k, v in data["examples_found"].items()
        }
        entries = {
            bytes.fromhex(k): [dict(entry) for entry in v]
            for k, v in data["search_entries"].items()
        }
        objects = {bytes.fromhex(k): _rendered(v) for k, v in data["object_html"].items()}
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return kept
    kept.example_html.seed(html)
    kept.examples_found.seed(found)
    kept.search_entries.seed(entries)
    kept.object_html.seed(objects)
    return kept


def save(
    path: Path, kept: Kept, /, *, key: bytes | None, made_for: str, below: Path | None = None
) -> None:
    """Leave at `path` what `kept` keeps, for a build in another process; nothing where a
    folder on the way from `below` is a link (`write_signed`)."""
    if key is None:
        return
    data = {
        "example_html": {k.hex(): list(v) for k, v in kept.example_html.kept().items()},
        "examples_found": {
            k.hex(): [
                [dataclasses.asdict(e), [dataclasses.asdict(h) for h in past]] for e, past in v
            ]
            for k, v in kept.examples_found.kept().items()
        },
        "search_entries": {k.hex(): v for k, v in kept.search_entries.kept().items()},
        "object_html": {
            k.hex(): [v.html, [list(read) for read in v.reads], list(v.headings)]
            for k, v in kept.object_html.kept().items()
        },
    }
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    write_signed(path, body, key=key, context=made_for.encode(), below=below)


def _example(data: dict[str, Any]) -> Example:
    fields = {f.name for f in dataclasses.fields(Example)}
    if not isinstance(data, dict) or set(data) != fields:
        raise ValueError("not an example")
    return Example(**data)


def _rendered(data: Any) -> RenderedObject:
    html, reads, headings = data
    if not isinstance(html, str) or not all(isinstance(h, str) and is_heading(h) for h in headings):
        raise ValueError("not an object's HTML")
    return RenderedObject(
        html=html,
        reads=tuple((str(path), str(known)) for path, known in reads),
        headings=tuple(headings),
    )


def environment() -> str:
    """The variables a configuration file reads (`!ENV`) that this guide's builds know of."""
    return repr(sorted((k, v) for k, v in os.environ.items() if k.startswith("ANNOTATE_")))

"""Check the cross-references inside notes (`[text][torch.nn.Module.to]`) before any build.

The note is read with autorefs' own Markdown extension, so every spelling autorefs would try to
resolve in the build (`[text][id]`, `[id][]`, a title over two lines) is checked here, at its
line, by the note it is in, not later by the page it lands on.
"""

from __future__ import annotations

import html
import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from markdown import Markdown
from mkdocs_autorefs import AutorefsExtension

from annotate.errors import Problem, did_you_mean

if TYPE_CHECKING:
    from annotate.notes.read import Note
    from annotate.source.index import ObjectIndex

_AUTOREF = re.compile(r"<autoref\b([^>]*)>")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


@cache
def _markdown() -> Markdown:
    return Markdown(extensions=[AutorefsExtension(), "attr_list", "pymdownx.superfences"])


def references(text: str) -> list[tuple[str, bool]]:
    """Each identifier autorefs would look up in `text`, and whether it may be a heading's slug."""
    return list(_references(text))


# Bounded: `mkdocs serve` asks again for every note's text after each edit.
@lru_cache(maxsize=4096)
def _references(text: str) -> tuple[tuple[str, bool], ...]:
    found = []
    for match in _AUTOREF.finditer(_markdown().reset().convert(text)):
        attributes = dict(_ATTRIBUTE.findall(match[1]))
        found.append((html.unescape(attributes.get("identifier", "")), "slug" in attributes))
    return tuple(found)


def broken_references(note: Note, index: ObjectIndex) -> list[Problem]:
    """A problem for each reference to an object that is not in `index`, at its line."""
    problems = []
    for first, text in note.texts():
        lines = text.split("\n")
        for identifier, maybe_heading in references(text):
            if index.canonical(identifier) is not None:
                continue
            if maybe_heading and "." not in identifier:
                continue  # `[Intro][]` names a heading of the page, which autorefs checks itself
            offset = next((i for i, line in enumerate(lines) if identifier in line), 0)
            problems.append(
                Problem(
                    file=note.file,
                    line=first + offset,
                    message=f"reference to `{identifier}`, which is not an object of these files",
                    fix=did_you_mean(
                        index.candidates(identifier),
                        otherwise="refer to an object by its path, e.g. `torch.nn.Module.to`",
                    ),
                )
            )
    return problems

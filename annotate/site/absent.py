"""A chapter read against a torch that lacks objects it embeds: each shown as absent.

Chapters are written for the torch in the lock file. A guide of another torch (an older
release, or an upgrade previewed with `orphans: list`) may lack some of the functions they embed
(`::: torch.nn.Module.set_submodule`, new in 2.2) or draw (`<!-- annotate:callgraph ... -->`).
There each embedded object that is missing is replaced by a heading with the object's own
identifier, which links to it still reach, saying that it does not exist in that torch; a
diagram draws the functions that exist. Nothing is searched for under another name.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from annotate.site.diagrams import DIRECTIVE

if TYPE_CHECKING:
    from annotate.source.index import ObjectIndex

_EMBED = re.compile(r"^:::[ \t]+(?P<path>\S+)[ \t]*\n(?P<options>(?:[ \t]+\S.*\n|[ \t]*\n)*)", re.M)
"""An mkdocstrings block: `::: path`, and its indented options."""
_DOTTED = re.compile(r"[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*")


def absent_objects(markdown: str, index: ObjectIndex, /) -> list[str]:
    """The paths of the objects `markdown` embeds or draws that `index` does not have."""
    embedded = [m["path"] for m in _EMBED.finditer(_ended(markdown))]
    drawn = [name for m in DIRECTIVE.finditer(markdown) for name in m["names"].split()]
    return [path for path in dict.fromkeys([*embedded, *drawn]) if index.canonical(path) is None]


def mark_absent(markdown: str, /, *, index: ObjectIndex, version: str) -> str:
    """`markdown` with each embedded object `index` lacks shown as absent from torch `version`,
    and each diagram cut to the functions it has (left out when none is)."""

    def embed(match: re.Match[str]) -> str:
        path = match["path"]
        # Only a dotted name is an object; anything else is left to mkdocstrings to refuse.
        if index.canonical(path) is not None or not _DOTTED.fullmatch(path):
            return match[0]
        name = path.rsplit(".", 1)[-1]
        # Escaped: Markdown reads `__x__` in the attribute list as bold before the list.
        identifier = path.replace("_", "\\_")
        return (
            f"## `{name}` {{ #{identifier} .an-absent }}\n\n"
            f'!!! note "Not in torch {version}"\n\n'
            f"    `{path}` does not exist in the `module.py` and `container.py` of torch "
            f"{version}: this chapter was written for a torch that has it.\n\n"
        )

    def draw(match: re.Match[str]) -> str:
        names = match["names"].split()
        kept = [name for name in names if index.canonical(name) is not None]
        if kept == names:
            return match[0]
        return f"<!-- annotate:callgraph {' '.join(kept)} -->" if kept else ""

    marked = DIRECTIVE.sub(draw, _EMBED.sub(embed, _ended(markdown)))
    return marked if markdown.endswith("\n") else marked.removesuffix("\n")


def _ended(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"

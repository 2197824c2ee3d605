"""Check the cross-references inside notes (`[text][torch.nn.Module.to]`) before any build."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from annotate.errors import Problem, did_you_mean

if TYPE_CHECKING:
    from annotate.notes.read import Note
    from annotate.source.index import ObjectIndex

# autorefs' reference-style link: [title][identifier], with the identifier a dotted path.
_REFERENCE = re.compile(r"\]\[`?(torch(?:\.[A-Za-z_][A-Za-z0-9_]*)+)`?\]")


def broken_references(note: Note, index: ObjectIndex) -> list[Problem]:
    """A problem for each reference to an object that is not in `index`, at its line."""
    lines = [
        (first + offset, line)
        for first, text in note.texts()
        for offset, line in enumerate(text.split("\n"))
    ]
    problems = []
    for number, line in lines:
        for match in _REFERENCE.finditer(line):
            identifier = match[1]
            if index.canonical(identifier) is not None:
                continue
            close = index.candidates(identifier)
            problems.append(
                Problem(
                    file=note.file,
                    line=number,
                    message=f"reference to `{identifier}`, which is not an object of these files",
                    fix=did_you_mean(
                        close, otherwise="refer to an object by its path, e.g. `torch.nn.Module.to`"
                    ),
                )
            )
    return problems

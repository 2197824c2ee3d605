"""Attach located notes to their objects: the notes a page shows, and why any cannot be shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotate.errors import Problem, did_you_mean
from annotate.notes.references import broken_references

if TYPE_CHECKING:
    from collections.abc import Iterable

    from annotate.notes.locate import LocatedNote
    from annotate.notes.read import LineNote, Note
    from annotate.source.index import ObjectIndex, ObjectInfo


@dataclass(frozen=True, kw_only=True)
class AttachedLineNote:
    """A line note placed on lines `start`..`end` (1-based, inclusive) of its target's file."""

    note: LineNote
    start: int
    end: int


@dataclass(frozen=True, kw_only=True)
class AttachedNote:
    """A note with its target found and its line notes placed."""

    note: Note
    obj: ObjectInfo
    line_notes: tuple[AttachedLineNote, ...]
    located: LocatedNote
    """The note as located, with its state and what it was written for."""


def attach_notes(
    located: Iterable[LocatedNote], index: ObjectIndex
) -> tuple[list[AttachedNote], list[Problem]]:
    """The followed notes of `located` attached, and a problem for each that cannot be.

    Orphaned notes and line notes are left out (they are problems of their own, reported with
    the states); a note is attached from where it was located, never searched for again.
    """
    attached: list[AttachedNote] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], Note] = {}
    for item in located:
        if not item.target_state.followed:
            continue
        note, obj = item.note, item.obj
        if obj is None:
            fix = did_you_mean(
                index.candidates(note.target), otherwise="write a path such as `torch.nn.Module.to`"
            )
            problems.append(
                Problem(
                    file=note.file,
                    line=note.target_line,
                    message=f"target `{note.target}` is not an object of module.py or container.py",
                    fix=fix,
                )
            )
            continue
        if obj.kind == "module":
            problems.append(
                Problem(
                    file=note.file,
                    line=note.target_line,
                    message=f"target `{note.target}` is a whole module; notes explain a class, function or attribute",
                    fix="name one object of it, e.g. `torch.nn.Module.to`",
                )
            )
            continue
        problems.extend(broken_references(note, index))
        key = (obj.path, note.lang)
        if key in seen:
            problems.append(
                Problem(
                    file=note.file,
                    line=note.target_line,
                    message=f"`{obj.short}` already has a note in {seen[key].file}",
                    fix="merge the two notes into one file",
                )
            )
            continue
        seen[key] = note
        placed: list[AttachedLineNote] = []
        for line in item.line_notes:
            if not line.state.followed:
                continue
            if line.problem is not None or line.start is None or line.end is None:
                problems.extend([line.problem] if line.problem else [])
                continue
            placed.append(AttachedLineNote(note=line.line_note, start=line.start, end=line.end))
        taken: dict[int, LineNote] = {}
        for piece in placed:
            if piece.start in taken:
                problems.append(
                    Problem(
                        file=note.file,
                        line=piece.note.line,
                        message=f"line {piece.start} already has the line note on `{taken[piece.start].anchor}`",
                        fix="merge the two line notes",
                    )
                )
            taken[piece.start] = piece.note
        attached.append(
            AttachedNote(
                note=note,
                obj=obj,
                line_notes=tuple(sorted(placed, key=lambda p: p.start)),
                located=item,
            )
        )
    return attached, problems

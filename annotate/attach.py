"""Attach notes to indexed objects: resolve each target, and each line anchor inside it."""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from annotate.errors import NoteError, Problem, did_you_mean
from annotate.references import broken_references

if TYPE_CHECKING:
    from pathlib import Path

    from annotate.index import ObjectIndex, ObjectInfo
    from annotate.notes import LineNote, Note


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


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def attach_notes(notes: list[Note], index: ObjectIndex) -> list[AttachedNote]:
    """Attach every note, or raise one `NoteError` naming every note that cannot be attached."""
    attached: list[AttachedNote] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], Note] = {}
    for note in notes:
        obj = index.get(note.target)
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
        for line_note in note.line_notes:
            try:
                placed.append(place_line_note(line_note, obj, index, file=note.file))
            except NoteError as error:
                problems.extend(error.problems)
        taken: dict[int, LineNote] = {}
        for item in placed:
            if item.start in taken:
                problems.append(
                    Problem(
                        file=note.file,
                        line=item.note.line,
                        message=f"line {item.start} already has the line note on `{taken[item.start].anchor}`",
                        fix="merge the two line notes",
                    )
                )
            taken[item.start] = item.note
        attached.append(
            AttachedNote(
                note=note, obj=obj, line_notes=tuple(sorted(placed, key=lambda p: p.start))
            )
        )
    if problems:
        raise NoteError(problems)
    return attached


def place_line_note(
    line_note: LineNote, obj: ObjectInfo, index: ObjectIndex, *, file: Path
) -> AttachedLineNote:
    """Find the one line of `obj` holding the anchor; a note is never searched for elsewhere."""
    lines = index.lines[obj.file]
    wanted = _squash(line_note.anchor)
    span = range(obj.lineno, obj.endlineno + 1)
    hits = anchor_lines(line_note.anchor, obj, index)

    def problem(message: str, fix: str) -> NoteError:
        return NoteError([Problem(file=file, line=line_note.line, message=message, fix=fix)])

    if not hits:
        stripped = {_squash(lines[n - 1]): n for n in span if lines[n - 1].strip()}
        close = difflib.get_close_matches(wanted, list(stripped), n=2, cutoff=0.5)
        fix = (
            "did you mean " + " or ".join(f"`{c}` (line {stripped[c]})" for c in close) + "?"
            if close
            else "quote a piece of one line of the code exactly"
        )
        raise problem(f"line anchor `{line_note.anchor}` matches no line of `{obj.short}`", fix)
    if len(hits) > 1:
        raise problem(
            f"line anchor `{line_note.anchor}` matches {len(hits)} lines of `{obj.short}` "
            f"(lines {', '.join(map(str, hits))})",
            "quote more of the line so that it matches only one",
        )
    start = hits[0]
    return AttachedLineNote(note=line_note, start=start, end=statement_end(index, obj.file, start))


def anchor_lines(anchor: str, obj: ObjectInfo, index: ObjectIndex) -> list[int]:
    """Every line of `obj` (and only of `obj`) that holds `anchor`, whitespace squashed."""
    lines = index.lines[obj.file]
    wanted = _squash(anchor)
    return [n for n in range(obj.lineno, obj.endlineno + 1) if wanted in _squash(lines[n - 1])]


def statement_end(index: ObjectIndex, file: str, line: int) -> int:
    """Last line of the simple statement starting at `line` (the header of a compound one)."""
    return _statement_ends(index, file).get(line, line)


def _statement_ends(index: ObjectIndex, file: str) -> dict[int, int]:
    return _ends_for("\n".join(index.lines[file]))


@cache
def _ends_for(source: str) -> dict[int, int]:
    ends: dict[int, int] = {}
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.stmt) or node.lineno in ends:
            continue
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            end = max(node.lineno, body[0].lineno - 1)
        else:
            end = node.end_lineno or node.lineno
        ends[node.lineno] = end
    return ends

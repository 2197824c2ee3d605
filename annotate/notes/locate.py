"""Locate every note once: its target, each line note's statement, and how it stands to its lock.

This is the one place a note's target is resolved and its line anchors searched; attaching,
the views, `annotate check`, the coverage map and the maintenance page all read the result.

Each note and line note gets one `NoteState` (`annotate.drift.states` says what each implies).
The target is found by its path only, and a line note only inside its own target's span:
nothing is ever re-attached by similarity, so a note is never shown beside the wrong code.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotate.drift.compare import compare_line, compare_target
from annotate.drift.fingerprint import statement_syntax_of
from annotate.drift.states import NoteState, worst
from annotate.errors import Problem, did_you_mean
from annotate.notes.references import broken_references
from annotate.source.geometry import statement_end, statement_syntaxes

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from annotate.drift.lock import Lock, LockedSpan, LockEntry
    from annotate.notes.read import LineNote, Note
    from annotate.source.index import ObjectIndex, ObjectInfo

CHECK_HINT = "`annotate check` lists every note's state"


@dataclass(frozen=True, kw_only=True)
class LocatedLineNote:
    """One line note: where its anchor is now, and its state."""

    line_note: LineNote
    state: NoteState
    reason: str
    """Why, in a few words (empty when fresh)."""
    fix: str = ""
    """What a person should do, when anything."""
    start: int | None = None
    """The line holding the anchor now; `None` when it cannot be told."""
    end: int | None = None
    """The last line of its statement now."""
    locked: LockedSpan | None = None
    """The lines as they were written for."""
    problem: Problem | None = None
    """Why the anchor cannot be placed as written (no line of the target, or several)."""


@dataclass(frozen=True, kw_only=True)
class LocatedNote:
    """One note: its target found now (if any), its state, and each of its line notes'."""

    note: Note
    target_state: NoteState
    """The state of the target itself."""
    reason: str
    fix: str = ""
    obj: ObjectInfo | None = None
    """The target found now, if any."""
    locked: LockEntry | None = None
    """What the note was written for, if it was ever locked."""
    line_notes: tuple[LocatedLineNote, ...] = ()
    line: int | None = None
    """The line of the note file its state is about, when not its `target:` (a link)."""

    @property
    def state(self) -> NoteState:
        """The note's overall state: the worst of its target's and its line notes'."""
        return worst([self.target_state, *(ln.state for ln in self.line_notes)])

    def problems(self) -> list[Problem]:
        """One problem for the note or each line note that is orphaned."""
        where = f"`{self.obj.short}`" if self.obj else f"`{self.note.target}`"
        problems = []
        if self.target_state == NoteState.ORPHANED:
            problems.append(
                Problem(
                    file=self.note.file,
                    line=self.line or self.note.target_line,
                    message=f"the note is orphaned: {self.reason}",
                    fix=f"{self.fix}; {CHECK_HINT}",
                )
            )
            return problems
        problems.extend(
            Problem(
                file=self.note.file,
                line=ln.line_note.line,
                message=f"the line note on `{ln.line_note.anchor}` of {where} is orphaned: {ln.reason}",
                fix=f"{ln.fix}; {CHECK_HINT}",
            )
            for ln in self.line_notes
            if ln.state == NoteState.ORPHANED
        )
        return problems


@dataclass(frozen=True, kw_only=True)
class LocatedNotes:
    """Every note located, and lock entries left without a note."""

    notes: tuple[LocatedNote, ...]
    stale: tuple[str, ...] = ()
    """Names in the lock file with no note file any more."""

    def of(self, name: str) -> LocatedNote | None:
        """The note called `name`."""
        return next((d for d in self.notes if d.note.name == name), None)

    def states(self) -> dict[str, NoteState]:
        """Overall state of each note, by name."""
        return {d.note.name: d.state for d in self.notes}

    def orphaned(self) -> list[Problem]:
        """Every orphaned note and line note, located in its note file."""
        return [problem for d in self.notes for problem in d.problems()]


def locate_notes(notes: Sequence[Note], index: ObjectIndex, lock: Lock) -> LocatedNotes:
    """Every note of `notes` located in `index`, with its state given what `lock` recorded."""
    names = {note.name for note in notes}
    earlier = _LAST_LOCATED.get(id(index), (None, {}))[1]
    located: dict[tuple[Note, str], LocatedNote] = {}
    for note in notes:
        locked = lock.get(note.name)
        key = (note, repr(locked))
        located[key] = earlier.get(key) or _locate(note, index, locked)
    _LAST_LOCATED.clear()
    _LAST_LOCATED[id(index)] = (index, located)
    return LocatedNotes(
        notes=tuple(located[note, repr(lock.get(note.name))] for note in notes),
        stale=tuple(sorted(name for name in lock.entries if name not in names)),
    )


_LAST_LOCATED: dict[int, tuple[ObjectIndex, dict[tuple[Note, str], LocatedNote]]] = {}
"""The notes the last `locate_notes` located, by note and lock entry, with the index they were
located in (kept alive, so that its id stands for it): under `mkdocs serve` every rebuild
locates the same notes in the same index again."""


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_BRACKET_SPACE = re.compile(r"(?<=[(\[{]) | (?=[)\]}])")
_TRAILING_COMMA = re.compile(r",(?=[)\]}])|,$")


def _normal(text: str) -> str:
    """`text` as a line anchor is compared: whitespace squashed, none just inside brackets, no
    trailing comma, and one quote character, so re-quoting (`'x'` to `"x"`) or reflowing a
    call keeps it found."""
    return _TRAILING_COMMA.sub("", _BRACKET_SPACE.sub("", _squash(text)).replace("'", '"'))


def anchor_lines(anchor: str, obj: ObjectInfo, index: ObjectIndex) -> list[int]:
    """Every line of `obj` (and only of `obj`) that holds `anchor`, compared as `_normal` says,
    and the first line of every other statement of `obj` that is `anchor` in another spelling.

    An anchor that is a whole statement (or a compound statement's header) is also compared by
    its syntax, so it is found where torch split it over lines, re-quoted it or added brackets
    (`elif (x <= 0):`); a statement matched either way counts once, and two still orphan it.
    """
    lines = index.lines[obj.file]
    wanted = _normal(anchor)
    span = range(obj.lineno, obj.endlineno + 1)
    hits = [n for n in span if wanted in _normal(lines[n - 1])]
    syntax = statement_syntax_of([anchor])
    if syntax is None:
        return hits
    starts = statement_syntaxes(index, obj.file)
    for n in span:
        if starts.get(n) == syntax and not any(
            n <= hit <= statement_end(index, obj.file, n) for hit in hits
        ):
            hits.append(n)
    return sorted(hits)


def _anchor_problem(
    line_note: LineNote, obj: ObjectInfo, index: ObjectIndex, hits: list[int], *, file: Path
) -> Problem | None:
    """Why `line_note` cannot be placed in `obj` given the lines `hits` holding its anchor."""
    if len(hits) == 1:
        return None
    if hits:
        message = (
            f"line anchor `{line_note.anchor}` matches {len(hits)} lines of `{obj.short}` "
            f"(lines {', '.join(map(str, hits))})"
        )
        fix = "quote more of the line so that it matches only one"
    else:
        lines = index.lines[obj.file]
        span = range(obj.lineno, obj.endlineno + 1)
        stripped = {_squash(lines[n - 1]): n for n in span if lines[n - 1].strip()}
        close = difflib.get_close_matches(
            _squash(line_note.anchor), list(stripped), n=2, cutoff=0.5
        )
        fix = (
            "did you mean " + " or ".join(f"`{c}` (line {stripped[c]})" for c in close) + "?"
            if close
            else "quote a piece of one line of the code exactly"
        )
        message = f"line anchor `{line_note.anchor}` matches no line of `{obj.short}`"
    return Problem(file=file, line=line_note.line, message=message, fix=fix)


def _locate(note: Note, index: ObjectIndex, locked: LockEntry | None) -> LocatedNote:
    refresh = f"re-read the note, then run `annotate refresh {note.name}`"
    obj = index.get(note.target)
    if locked is None:
        return LocatedNote(
            note=note,
            target_state=NoteState.UNLOCKED,
            reason="not in the lock file yet",
            fix=f"run `annotate refresh {note.name}`",
            obj=obj,
            line_notes=tuple(_unlocked_line(ln, obj, index, note) for ln in note.line_notes),
        )
    if obj is None:
        close = index.candidates(note.target)
        hint = f" ({did_you_mean(close)})" if close else ""
        return LocatedNote(
            note=note,
            target_state=NoteState.ORPHANED,
            reason=f"its target `{note.target}` is not in the {locked.file.rsplit('/', 1)[-1]} "
            f"of this torch (the note was written for torch {locked.torch})",
            fix=f"if it was renamed, point `target:` at the new name{hint} and {refresh}; "
            "if it was removed, remove or retarget the note",
            locked=locked,
            line_notes=tuple(
                LocatedLineNote(
                    line_note=ln,
                    state=NoteState.ORPHANED,
                    reason="its target is gone",
                    fix="see the note's target",
                    locked=locked.line_notes.get(ln.anchor),
                )
                for ln in note.line_notes
            ),
        )
    line_notes = tuple(_locked_line(ln, obj, index, locked, note) for ln in note.line_notes)
    gone = broken_references(note, index)
    if gone:
        # Its links named objects of the torch it was recorded for (`refresh` refuses a broken
        # one): one of them is gone, so the note cannot be shown as written.
        return LocatedNote(
            note=note,
            target_state=NoteState.ORPHANED,
            reason=f"its {gone[0].message} any more (the note was written for torch "
            f"{locked.torch})",
            fix=f"{gone[0].fix}; point the link at an object of this torch or remove it; {refresh}",
            obj=obj,
            locked=locked,
            line_notes=line_notes,
            line=gone[0].line,
        )
    state, reason = compare_target(locked, obj, index)
    if obj.path != locked.target:
        reason = (
            f"the target is now `{obj.path}`, locked as `{locked.target}`; {reason or 'same code'}"
        )
    return LocatedNote(
        note=note,
        target_state=state,
        reason=reason,
        fix=refresh if state.marked else "",
        obj=obj,
        locked=locked,
        line_notes=line_notes,
    )


def _unlocked_line(
    line_note: LineNote, obj: ObjectInfo | None, index: ObjectIndex, note: Note
) -> LocatedLineNote:
    hits = anchor_lines(line_note.anchor, obj, index) if obj else []
    start = hits[0] if len(hits) == 1 else None
    return LocatedLineNote(
        line_note=line_note,
        state=NoteState.UNLOCKED,
        reason="not in the lock file yet",
        fix=f"run `annotate refresh {note.name}`",
        start=start,
        end=statement_end(index, obj.file, start) if obj and start else None,
        problem=_anchor_problem(line_note, obj, index, hits, file=note.file) if obj else None,
    )


def _locked_line(
    line_note: LineNote, obj: ObjectInfo, index: ObjectIndex, locked: LockEntry, note: Note
) -> LocatedLineNote:
    span = locked.line_notes.get(line_note.anchor)
    if span is None:
        return _unlocked_line(line_note, obj, index, note)
    hits = anchor_lines(line_note.anchor, obj, index)
    why = _anchor_problem(line_note, obj, index, hits, file=note.file)
    if why is not None:
        unique = ": no longer unique" if hits else ""
        return LocatedLineNote(
            line_note=line_note,
            state=NoteState.ORPHANED,
            reason=f"{why.message}{unique} (written for line {span.start}, torch {locked.torch})",
            fix=f"{why.fix}; then re-read the note and run `annotate refresh {note.name}`",
            locked=span,
            problem=why,
        )
    start = hits[0]
    end = statement_end(index, obj.file, start)
    state, reason = compare_line(
        span,
        index.lines[obj.file][start - 1 : end],
        start,
        end,
        same_file=obj.file == locked.file,
        torch=locked.torch,
        whole=start in statement_syntaxes(index, obj.file),
    )
    return LocatedLineNote(
        line_note=line_note, state=state, reason=reason, start=start, end=end, locked=span
    )

"""The pipeline in one place: snapshot, then index, then notes attached; and what rendering needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from annotate.attach import AttachedNote, attach_notes
from annotate.calls import CallGraph, build_call_graph
from annotate.drift import DriftReport, decide_drift
from annotate.errors import NoteError, Problem
from annotate.index import ObjectIndex, build_index
from annotate.lock import LOCK_NAME, Lock, read_lock
from annotate.notes import Note, read_notes
from annotate.snapshot import Snapshot, take_snapshot

if TYPE_CHECKING:
    from collections.abc import Mapping

    from annotate.states import NoteState


@dataclass(frozen=True, kw_only=True)
class Guide:
    """Everything known about the sources and their notes, ready to render."""

    snapshot: Snapshot
    index: ObjectIndex
    notes: tuple[AttachedNote, ...]
    states: Mapping[str, NoteState] = field(default_factory=dict)
    """The state of each note against this torch, by note name; a note missing here is fresh."""
    drift: DriftReport = field(default_factory=lambda: DriftReport(notes=()))
    """The state of every note and line note, with what it was written for."""
    calls: CallGraph = field(default_factory=CallGraph)
    """Names resolved in the source, and who calls whom."""

    def note_for(self, path: str, lang: str = "en") -> AttachedNote | None:
        """The note on the object at canonical `path`, if any."""
        return next((n for n in self.notes if n.obj.path == path and n.note.lang == lang), None)


def load_guide(
    notes_dir: Path | str,
    /,
    *,
    snapshot_dir: Path | str,
    torch_root: Path | str | None = None,
    lock_file: Path | str | None = None,
    allow_orphaned: bool = False,
) -> Guide:
    """Snapshot the torch sources, index them and attach every note; raise on any bad note.

    `lock_file` (default: `notes.lock.json` in `notes_dir`) says what each note was written
    for; an orphaned note raises too, unless `allow_orphaned`, which leaves it out.
    """
    snapshot = take_snapshot(snapshot_dir, torch_root=torch_root)
    index = build_index(snapshot)
    notes = read_notes(notes_dir) if Path(notes_dir).is_dir() else []
    check = check_notes(notes, index, read_lock(lock_file or Path(notes_dir) / LOCK_NAME))
    problems = [*(() if allow_orphaned else check.orphaned), *check.invalid]
    if problems:
        raise NoteError(problems)
    return Guide(
        snapshot=snapshot,
        index=index,
        notes=check.attached,
        states=dict(check.drift.states()),
        drift=check.drift,
        calls=build_call_graph(index),
    )


@dataclass(frozen=True, kw_only=True)
class NoteCheck:
    """Every note judged against the torch read now: what attaches, and what does not."""

    drift: DriftReport
    """The state of every note and line note."""
    attached: tuple[AttachedNote, ...]
    """The notes shown (all of them, or none when any is invalid)."""
    orphaned: tuple[Problem, ...]
    """Notes (or line notes) whose code is gone."""
    invalid: tuple[Problem, ...]
    """Notes that cannot attach as written (new notes are checked as the build checks them)."""


def check_notes(notes: list[Note], index: ObjectIndex, lock: Lock) -> NoteCheck:
    """Decide each note's state against `index` and attach the ones that follow their code."""
    drift = decide_drift(notes, index, lock)
    invalid: tuple[Problem, ...]
    try:
        attached, invalid = tuple(attach_notes(drift.followed(), index)), ()
    except NoteError as error:
        attached, invalid = (), tuple(error.problems)
    return NoteCheck(
        drift=drift, attached=attached, orphaned=tuple(drift.orphaned()), invalid=invalid
    )

"""The pipeline in one place: snapshot, index, notes located and attached; and what rendering needs."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from annotate.drift.lock import LOCK_NAME, Lock, read_lock
from annotate.errors import NoteError, Problem
from annotate.notes.attach import AttachedNote, attach_notes
from annotate.notes.locate import LocatedNotes, locate_notes
from annotate.notes.read import Note, collect_notes
from annotate.notes.translations import Translation, pair_translations
from annotate.notes.verdicts import Verdicts
from annotate.source.index import ObjectIndex, build_index
from annotate.source.resolve import CallGraph, build_call_graph
from annotate.source.snapshot import Snapshot, take_snapshot

if TYPE_CHECKING:
    from collections.abc import Mapping

    from annotate.drift.states import NoteState


@dataclass(frozen=True, kw_only=True)
class Guide:
    """Everything known about the sources and their notes, ready to render."""

    snapshot: Snapshot
    index: ObjectIndex
    notes: tuple[AttachedNote, ...]
    """The notes shown in `language`, each with where it was located."""
    all_notes: tuple[AttachedNote, ...] = ()
    """The notes in every language."""
    located: LocatedNotes = field(default_factory=lambda: LocatedNotes(notes=()))
    """Every note and line note located, with its state and what it was written for."""
    states: Mapping[str, NoteState] = field(default_factory=dict)
    """The state of each note against this torch, by note name; a note missing here is fresh."""
    calls: CallGraph = field(default_factory=CallGraph)
    """Names resolved in the source, and who calls whom."""
    translations: Mapping[str, Translation] = field(default_factory=dict)
    """Each translated note with its English note and how it keeps up, by the translation's name."""

    language: str = "en"
    """The language pages are built in: `notes` holds its notes, English where there is none."""

    def note_for(self, path: str) -> AttachedNote | None:
        """The note shown on the object at canonical `path`, if any."""
        return next((n for n in self.notes if n.obj.path == path), None)

    def in_language(self, language: str, /) -> Guide:
        """This guide as built in `language`: each object's note in it, else the English one."""
        by_path = {n.obj.path: n for n in self.all_notes if n.note.lang == "en"}
        by_path.update({n.obj.path: n for n in self.all_notes if n.note.lang == language})
        shown = tuple(n for n in self.all_notes if by_path.get(n.obj.path) is n)
        return dataclasses.replace(self, language=language, notes=shown)


def read_guide(
    notes_dir: Path | str,
    /,
    *,
    snapshot_dir: Path | str,
    torch_root: Path | str | None = None,
    lock_file: Path | str | None = None,
    allow_orphaned: bool = False,
) -> tuple[Guide, list[Problem]]:
    """Snapshot the torch sources, index them and attach every note; and every note problem.

    `lock_file` (default: `notes.lock.json` in `notes_dir`) says what each note was written
    for; an orphaned note is a problem too, unless `allow_orphaned`, which leaves it out.
    """
    snapshot = take_snapshot(snapshot_dir, torch_root=torch_root)
    index, calls = _sources(snapshot)
    verdicts = Verdicts(Path(snapshot_dir).parent / "verdicts")
    notes, unread = (
        collect_notes(notes_dir, verdicts=verdicts) if Path(notes_dir).is_dir() else ([], [])
    )
    check = check_notes(notes, index, read_lock(lock_file or Path(notes_dir) / LOCK_NAME))
    problems = [*unread, *(() if allow_orphaned else check.orphaned), *check.invalid]
    guide = Guide(
        snapshot=snapshot,
        index=index,
        notes=tuple(n for n in check.attached if n.note.lang == "en"),
        all_notes=check.attached,
        located=check.located,
        states=check.located.states(),
        calls=calls,
        translations={t.note.name: t for t in check.translations},
    )
    return guide, problems


_LAST_SOURCES: dict[tuple[str, str], tuple[ObjectIndex, CallGraph]] = {}
"""The index and call graph of the last snapshot read, by its folder and content: under
`mkdocs serve` every rebuild reads the same two files again."""


def _sources(snapshot: Snapshot, /) -> tuple[ObjectIndex, CallGraph]:
    key = (str(snapshot.root), snapshot.fingerprint)
    if key not in _LAST_SOURCES:
        index = build_index(snapshot)
        _LAST_SOURCES.clear()
        _LAST_SOURCES[key] = (index, build_call_graph(index))
    return _LAST_SOURCES[key]


def load_guide(
    notes_dir: Path | str,
    /,
    *,
    snapshot_dir: Path | str,
    torch_root: Path | str | None = None,
    lock_file: Path | str | None = None,
    allow_orphaned: bool = False,
) -> Guide:
    """`read_guide`, raising one `NoteError` with every problem instead of returning them."""
    guide, problems = read_guide(
        notes_dir,
        snapshot_dir=snapshot_dir,
        torch_root=torch_root,
        lock_file=lock_file,
        allow_orphaned=allow_orphaned,
    )
    if problems:
        raise NoteError(problems)
    return guide


@dataclass(frozen=True, kw_only=True)
class NoteCheck:
    """Every note judged against the torch read now: what attaches, and what does not."""

    located: LocatedNotes
    """Every note and line note located, with its state."""
    attached: tuple[AttachedNote, ...]
    """The notes shown (all of them, or none when any is invalid)."""
    orphaned: tuple[Problem, ...]
    """Notes (or line notes) whose code is gone."""
    invalid: tuple[Problem, ...]
    """Notes that cannot attach as written (new notes are checked as the build checks them)."""
    translations: tuple[Translation, ...] = ()
    """Each translation paired with its English note."""


def check_notes(notes: list[Note], index: ObjectIndex, lock: Lock) -> NoteCheck:
    """Locate each note in `index`, decide its state, and attach the ones that follow their code."""
    located = locate_notes(notes, index, lock)
    attached, invalid = attach_notes(located.notes, index)
    translations, unpaired = pair_translations(notes, recorded=lock.originals())
    invalid += unpaired
    return NoteCheck(
        located=located,
        attached=() if invalid else tuple(attached),
        orphaned=tuple(located.orphaned()),
        invalid=tuple(invalid),
        translations=tuple(translations),
    )

"""The pipeline in one place: snapshot, then index, then notes attached; and what rendering needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate.attach import AttachedNote, attach_notes
from annotate.calls import CallGraph, build_call_graph
from annotate.drift import DriftReport, decide_drift
from annotate.drift_view import line_drift_view, object_drift_view
from annotate.errors import NoteError, Problem
from annotate.highlight import preload
from annotate.index import ObjectIndex, build_index
from annotate.links import autoref_wrap, object_links
from annotate.lock import LOCK_NAME, Lock, read_lock
from annotate.notes import Note, read_notes
from annotate.render import object_segments, upstream_url
from annotate.snapshot import Snapshot, take_snapshot


@dataclass(frozen=True, kw_only=True)
class Guide:
    """Everything known about the sources and their notes, ready to render."""

    snapshot: Snapshot
    index: ObjectIndex
    notes: tuple[AttachedNote, ...]
    states: dict[str, str] = field(default_factory=dict)
    """Freshness of each note against this torch, by note name: `fresh`, `moved`, `cosmetic`,
    `changed` or `orphaned`, or `unlocked` when it is not in the lock file yet. A note missing
    here is fresh."""
    drift: DriftReport | None = None
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
    preload(
        ["\n".join(lines) for lines in index.lines.values()],
        Path(snapshot_dir).parent / "highlight",
    )
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
    try:
        attached, invalid = tuple(attach_notes(drift.followed(), index)), ()
    except NoteError as error:
        attached, invalid = (), tuple(error.problems)
    return NoteCheck(
        drift=drift, attached=attached, orphaned=tuple(drift.orphaned()), invalid=invalid
    )


def render_payload(guide: Guide) -> dict[str, dict[str, Any]]:
    """JSON-ready data per canonical path: the note and the annotated source pieces."""
    payload: dict[str, dict[str, Any]] = {}
    snapshot = guide.snapshot
    for obj in guide.index.objects.values():
        if obj.kind not in ("function", "class"):
            continue
        attached = guide.note_for(obj.path)
        entry: dict[str, Any] = {
            "file": obj.file,
            "start": obj.lineno,
            "end": obj.endlineno,
            "release": snapshot.release,
            "upstream": upstream_url(snapshot, obj.file, obj.lineno, obj.endlineno),
            "note": None,
            "segments": [],
            **object_links(guide, obj),
        }
        if attached is not None:
            entry["note"] = {
                "name": attached.note.name,
                "title": attached.note.title,
                "body": attached.note.body,
            }
            entry["drift"] = object_drift_view(guide, attached.note.name)
        if obj.kind == "function":
            line_notes = attached.line_notes if attached else ()
            entry["segments"] = [
                {
                    "start": seg.start,
                    "end": seg.end,
                    "code_html": seg.code_html,
                    "note": "\n\n".join(n.note.body for n in seg.items) if seg.items else None,  # type: ignore[attr-defined]
                    "upstream": upstream_url(snapshot, obj.file, seg.start, seg.end),
                    "drift": line_drift_view(guide, attached, seg.items),
                }
                for seg in object_segments(
                    obj,
                    line_notes,
                    guide.index,
                    id_prefix=f"{obj.path}--",
                    wrap=autoref_wrap(guide.calls, obj.file),
                )
            ]
        payload[obj.path] = entry
    return payload

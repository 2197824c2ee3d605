"""Annotated nn.Module: notes attached to torch's own `module.py` and `container.py`.

The pipeline runs one way: `take_snapshot` copies the files out of a torch tree,
`build_index` maps every object to its lines, `read_notes` reads the notes, `locate_notes`
finds each one's target and line anchors once and compares them with what the lock file
says they were written for (a `NoteState`), and `attach_notes` keeps those a page shows.
`read_guide` runs all of it; `annotate.site` turns the result into pages.
`ExampleRunner` runs the guide's executed examples in a worker process, with a time limit and
a disk cache.
"""

from __future__ import annotations

from annotate.drift.lock import Lock, read_lock, write_lock
from annotate.drift.states import NoteState
from annotate.errors import (
    AnnotateError,
    ExampleError,
    NoteError,
    Problem,
    ScaffoldError,
    SnapshotError,
)
from annotate.examples.runner import Example, ExampleResult, ExampleRunner
from annotate.guide import Guide, load_guide, read_guide
from annotate.notes.attach import AttachedLineNote, AttachedNote, attach_notes
from annotate.notes.locate import LocatedLineNote, LocatedNote, LocatedNotes, locate_notes
from annotate.notes.read import LineNote, Note, read_note, read_notes
from annotate.site.coverage import CoverageMap, coverage_map
from annotate.source.index import ObjectIndex, ObjectInfo, build_index
from annotate.source.snapshot import Snapshot, find_torch, take_snapshot

__all__ = [
    "AnnotateError",
    "AttachedLineNote",
    "AttachedNote",
    "CoverageMap",
    "Example",
    "ExampleError",
    "ExampleResult",
    "ExampleRunner",
    "Guide",
    "LineNote",
    "LocatedLineNote",
    "LocatedNote",
    "LocatedNotes",
    "Lock",
    "Note",
    "NoteError",
    "NoteState",
    "ObjectIndex",
    "ObjectInfo",
    "Problem",
    "ScaffoldError",
    "Snapshot",
    "SnapshotError",
    "attach_notes",
    "build_index",
    "coverage_map",
    "find_torch",
    "load_guide",
    "locate_notes",
    "read_guide",
    "read_lock",
    "read_note",
    "read_notes",
    "take_snapshot",
    "write_lock",
]

"""Annotated nn.Module: notes attached to torch's own `module.py` and `container.py`.

The pipeline runs one way: `take_snapshot` copies the files out of a torch tree,
`build_index` maps every object to its lines, `read_notes` reads the notes, `locate_notes`
finds each one's target and lines once (and compares them with what `notes.lock.json` says
it was written for), `attach_notes` keeps those a page shows,
and the renderers (`object_segments`, `render_file`) turn the result into HTML.
`ExampleRunner` runs the guide's executed examples in a worker process, with a time limit and
a disk cache.
"""

from __future__ import annotations

from annotate.attach import AttachedLineNote, AttachedNote, attach_notes
from annotate.callgraph import Diagram, read_directives, render_svg
from annotate.calls import CallGraph, Reference, build_call_graph
from annotate.coverage import CoverageCell, CoverageMap, FileCoverage, coverage_map, render_coverage
from annotate.errors import (
    AnnotateError,
    ExampleError,
    NoteError,
    Problem,
    ScaffoldError,
    SnapshotError,
)
from annotate.examples import Example, ExampleResult, ExampleRunner, ExampleStats
from annotate.filepage import render_file
from annotate.guide import Guide, load_guide
from annotate.index import ObjectIndex, ObjectInfo, build_index
from annotate.links import docs_url
from annotate.locate import LocatedLineNote, LocatedNote, LocatedNotes, locate_notes
from annotate.lock import Lock, LockedSpan, LockEntry, lock_entry, read_lock, write_lock
from annotate.maintenance import maintenance_page
from annotate.notes import LineNote, Note, read_note, read_notes
from annotate.payload import render_payload
from annotate.render import Segment, cut, object_segments, upstream_url
from annotate.snapshot import Snapshot, find_torch, load_snapshot, take_snapshot

__all__ = [
    "AnnotateError",
    "AttachedLineNote",
    "AttachedNote",
    "CallGraph",
    "CoverageCell",
    "CoverageMap",
    "Diagram",
    "Example",
    "ExampleError",
    "ExampleResult",
    "ExampleRunner",
    "ExampleStats",
    "FileCoverage",
    "Guide",
    "LineNote",
    "LocatedLineNote",
    "LocatedNote",
    "LocatedNotes",
    "Lock",
    "LockEntry",
    "LockedSpan",
    "Note",
    "NoteError",
    "ObjectIndex",
    "ObjectInfo",
    "Problem",
    "Reference",
    "ScaffoldError",
    "Segment",
    "Snapshot",
    "SnapshotError",
    "attach_notes",
    "build_call_graph",
    "build_index",
    "coverage_map",
    "cut",
    "docs_url",
    "find_torch",
    "load_guide",
    "load_snapshot",
    "locate_notes",
    "lock_entry",
    "maintenance_page",
    "object_segments",
    "read_directives",
    "read_lock",
    "read_note",
    "read_notes",
    "render_coverage",
    "render_file",
    "render_payload",
    "render_svg",
    "take_snapshot",
    "upstream_url",
    "write_lock",
]

"""Annotated nn.Module: notes attached to torch's own `module.py` and `container.py`.

The pipeline runs one way: `take_snapshot` copies the files out of a torch tree,
`build_index` maps every object to its lines, `read_notes` and `attach_notes` place the notes,
and the renderers (`object_segments`, `render_file`) turn the result into HTML.
"""

from __future__ import annotations

from annotate.attach import AttachedLineNote, AttachedNote, attach_notes
from annotate.coverage import CoverageCell, CoverageMap, FileCoverage, coverage_map, render_coverage
from annotate.errors import AnnotateError, NoteError, Problem, SnapshotError
from annotate.filepage import render_file
from annotate.guide import Guide, load_guide, render_payload
from annotate.index import ObjectIndex, ObjectInfo, build_index
from annotate.notes import LineNote, Note, read_note, read_notes
from annotate.render import Segment, cut, object_segments, upstream_url
from annotate.snapshot import Snapshot, find_torch, load_snapshot, take_snapshot

__all__ = [
    "AnnotateError",
    "AttachedLineNote",
    "AttachedNote",
    "CoverageCell",
    "CoverageMap",
    "FileCoverage",
    "Guide",
    "LineNote",
    "Note",
    "NoteError",
    "ObjectIndex",
    "ObjectInfo",
    "Problem",
    "Segment",
    "Snapshot",
    "SnapshotError",
    "attach_notes",
    "build_index",
    "coverage_map",
    "cut",
    "find_torch",
    "load_guide",
    "load_snapshot",
    "object_segments",
    "read_note",
    "read_notes",
    "render_coverage",
    "render_file",
    "render_payload",
    "take_snapshot",
    "upstream_url",
]

"""What changed in a note's code since it was written: unified diffs numbered as in the files.

The pages show them under a note's banner or label; `annotate check --diff` prints them.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from annotate.drift.compare import target_overloads
from annotate.source.geometry import target_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from annotate.drift.lock import LockedSpan, LockEntry
    from annotate.source.index import ObjectIndex, ObjectInfo

_HUNK = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")


def _unified(
    before: Sequence[str],
    after: Sequence[str],
    *,
    what: str,
    written_for: str,
    now: str,
    starts: tuple[int, int] | None,
) -> str:
    """The diff of `before` (torch `written_for`) to `after` (torch `now`); with `starts`, the
    first lines of each in the file, its hunks are numbered as the file is."""
    lines = []
    for line in difflib.unified_diff(
        list(before),
        list(after),
        fromfile=f"{what} (torch {written_for}, the note was written for this)",
        tofile=f"{what} (torch {now}, now)",
        lineterm="",
    ):
        hunk = _HUNK.match(line)
        if hunk and starts:
            old = int(hunk[1]) + starts[0] - 1
            new = int(hunk[3]) + starts[1] - 1
            line = f"@@ -{old}{hunk[2] or ''} +{new}{hunk[4] or ''} @@{line[hunk.end() :]}"
        lines.append(line)
    return "\n".join(lines)


def target_diff(
    entry: LockEntry, obj: ObjectInfo | None, index: ObjectIndex, /, *, now: str
) -> str:
    """A unified diff from the code the note of `entry` was written for to `obj` in torch `now`.

    A function's `@overload` stubs, then and now, are shown above it. `obj` `None` (the target
    is gone) shows everything as taken away.
    """
    before = [*entry.overloads, *entry.span.text]
    if obj is None:
        return _unified(
            before,
            [],
            what=f"{entry.file}, {entry.target.rsplit('.', 1)[-1]} (gone)",
            written_for=entry.torch,
            now=now,
            starts=None,
        )
    stubs = target_overloads(obj, index)
    # A class is compared without its methods, a function after its stubs: their lines are not
    # consecutive, so not numbered.
    numbered = obj.kind != "class" and not (stubs or entry.overloads)
    what = obj.file
    if obj.kind == "class":
        what = f"{obj.file}, class {obj.short} without its methods"
    elif not numbered:
        what = f"{obj.file}, {obj.short} after its @overload stubs"
    return _unified(
        before,
        [*stubs, *target_text(obj, index)],
        what=what,
        written_for=entry.torch,
        now=now,
        starts=(entry.span.start, obj.lineno) if numbered else None,
    )


def line_diff(
    span: LockedSpan,
    file: str,
    index: ObjectIndex,
    /,
    *,
    start: int | None,
    end: int | None,
    written_for: str,
    now: str,
) -> str:
    """A unified diff from the lines a line note was written for to its lines `start`..`end`
    now (everything taken away when it has none: it is orphaned)."""
    after = index.lines[file][start - 1 : end] if start is not None and end is not None else []
    return _unified(
        span.text,
        after,
        what=file,
        written_for=written_for,
        now=now,
        starts=(span.start, start) if start is not None else None,
    )

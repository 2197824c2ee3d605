"""Cut source lines into pieces, each beside the commentary (if any) that explains it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotate.highlight import highlight_lines, line_html, line_tokens

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from annotate.attach import AttachedLineNote
    from annotate.highlight import Wrap
    from annotate.index import ObjectIndex, ObjectInfo
    from annotate.snapshot import Snapshot

UPSTREAM = "https://github.com/pytorch/pytorch/blob/{commit}/{file}#L{start}-L{end}"
COMMIT_URL = "https://github.com/pytorch/pytorch/commit/{commit}"


@dataclass(frozen=True, kw_only=True)
class Mark:
    """Commentary on lines `start`..`end`, as opaque items the renderer shows side by side."""

    start: int
    end: int
    items: tuple[object, ...]


@dataclass(frozen=True, kw_only=True)
class Segment:
    """Lines `start`..`end` of a file, with what is said about them (empty for plain code)."""

    start: int
    end: int
    code_html: str
    items: tuple[object, ...] = field(default=())


def upstream_url(snapshot: Snapshot, file: str, start: int, end: int) -> str:
    """The same lines on the upstream repository, pinned to the commit torch was built from."""
    commit = snapshot.commit or f"v{snapshot.release}"
    return UPSTREAM.format(commit=commit, file=file, start=start, end=end)


def cut(
    lines: list[str],
    start: int,
    end: int,
    marks: list[Mark],
    *,
    id_prefix: str,
    anchors: Mapping[int, list[str]] | None = None,
    wrap: Wrap | None = None,
) -> list[Segment]:
    """Lines `start`..`end` cut at `marks`; overlapping marks share one segment.

    Each line is anchored as `{id_prefix}L{n}`; `anchors` adds more ids before given lines;
    `wrap` may put a link around any token.
    """
    source = "\n".join(lines)
    if wrap is None:
        whole = highlight_lines(source)

        def html(n: int) -> str:
            return whole[n - 1]
    else:
        tokens = line_tokens(source)

        def html(n: int) -> str:
            return line_html(tokens[n - 1], line=n, wrap=wrap)

    merged: list[Mark] = []
    for mark in sorted(marks, key=lambda m: (m.start, m.end)):
        if merged and mark.start <= merged[-1].end:
            last = merged.pop()
            mark = Mark(
                start=last.start, end=max(last.end, mark.end), items=last.items + mark.items
            )
        merged.append(mark)
    pieces: list[tuple[int, int, tuple[object, ...]]] = []
    cursor = start
    for mark in merged:
        if mark.start > cursor:
            pieces.append((cursor, mark.start - 1, ()))
        pieces.append((mark.start, mark.end, mark.items))
        cursor = mark.end + 1
    if cursor <= end:
        pieces.append((cursor, end, ()))
    return [
        Segment(start=a, end=b, items=items, code_html=_code(html, a, b, id_prefix, anchors or {}))
        for a, b, items in pieces
    ]


def object_segments(
    obj: ObjectInfo,
    line_notes: tuple[AttachedLineNote, ...],
    index: ObjectIndex,
    *,
    id_prefix: str,
    wrap: Wrap | None = None,
) -> list[Segment]:
    """The source of `obj`, cut at its line notes (each segment's items are `AttachedLineNote`s)."""
    marks = [Mark(start=n.start, end=n.end, items=(n,)) for n in line_notes]
    return cut(
        index.lines[obj.file], obj.lineno, obj.endlineno, marks, id_prefix=id_prefix, wrap=wrap
    )


def _code(
    html: Callable[[int], str],
    start: int,
    end: int,
    id_prefix: str,
    anchors: Mapping[int, list[str]],
) -> str:
    rows = "".join(
        "".join(f'<a class="an-anchor" id="{a}"></a>' for a in anchors.get(n, ()))
        + f'<span class="an-line" id="{id_prefix}L{n}"><a class="an-ln" href="#{id_prefix}L{n}" '
        f'aria-hidden="true">{n}</a>{html(n)}\n</span>'
        for n in range(start, end + 1)
    )
    return f'<div class="highlight"><pre><code>{rows}</code></pre></div>'

"""Cut source lines into pieces, each beside the commentary (if any) that explains it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from annotate.site import labels
from annotate.site.highlight import DOC_PLAIN, highlight_lines, line_html, line_tokens
from annotate.source.geometry import docstring_spans

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from annotate.notes.attach import AttachedLineNote
    from annotate.site.highlight import Wrap
    from annotate.source.index import ObjectIndex, ObjectInfo
    from annotate.source.snapshot import Snapshot

UPSTREAM = "https://github.com/pytorch/pytorch/blob/{commit}/{file}#L{start}-L{end}"
COMMIT_URL = "https://github.com/pytorch/pytorch/commit/{commit}"
T = TypeVar("T")
"""What a page says beside some lines: a line note on chapters, any margin entry on file pages."""


@dataclass(frozen=True, kw_only=True)
class Mark(Generic[T]):
    """Commentary on lines `start`..`end`, as items the renderer shows side by side."""

    start: int
    end: int
    items: tuple[T, ...]


@dataclass(frozen=True, kw_only=True)
class Segment(Generic[T]):
    """Lines `start`..`end` of a file, with what is said about them (empty for plain code)."""

    start: int
    end: int
    code_html: str
    items: tuple[T, ...] = field(default=())
    folded: bool = False
    """A docstring shown folded: the reader opens it, or reads it in the docstring box."""


def upstream_url(snapshot: Snapshot, file: str, start: int, end: int) -> str:
    """The same lines on the upstream repository, pinned to the commit torch was built from."""
    commit = snapshot.commit or f"v{snapshot.release}"
    return UPSTREAM.format(commit=commit, file=file, start=start, end=end)


def cut(
    lines: list[str],
    start: int,
    end: int,
    marks: list[Mark[T]],
    *,
    id_prefix: str,
    anchors: Mapping[int, list[str]] | None = None,
    wrap: Wrap | None = None,
    folds: Sequence[tuple[int, int]] = (),
    language: str = "en",
    sized: bool = False,
) -> list[Segment[T]]:
    """Lines `start`..`end` cut at `marks`; overlapping marks share one segment.

    Plain code inside a span of `folds` (docstrings) becomes a folded segment of its own.

    Each line is anchored as `{id_prefix}L{n}`; `anchors` adds more ids before given lines;
    `wrap` may put a link around any token; folds are labelled in `language`. `sized` pieces
    tell the page how tall they are before they are drawn (a whole file's, annotate.css).
    """
    _ = labels.gettext(language)
    source = "\n".join(lines)
    tokens = line_tokens(source)
    if wrap is None:
        whole = highlight_lines(source)

        def html(n: int) -> str:
            return whole[n - 1]
    else:

        def html(n: int) -> str:
            return line_html(tokens[n - 1], line=n, wrap=wrap)

    def doc_html(n: int) -> str:
        return line_html(tokens[n - 1], line=n, wrap=wrap, plain=DOC_PLAIN)

    merged: list[Mark[T]] = []
    for mark in sorted(marks, key=lambda m: (m.start, m.end)):
        if merged and mark.start <= merged[-1].end:
            last = merged.pop()
            mark = Mark[T](
                start=last.start, end=max(last.end, mark.end), items=last.items + mark.items
            )
        merged.append(mark)
    pieces: list[tuple[int, int, tuple[T, ...]]] = []
    cursor = start
    for mark in merged:
        if mark.start > cursor:
            pieces.append((cursor, mark.start - 1, ()))
        pieces.append((mark.start, mark.end, mark.items))
        cursor = mark.end + 1
    if cursor <= end:
        pieces.append((cursor, end, ()))
    segments: list[Segment[T]] = []
    for a, b, items in pieces:
        for x, y, folded in _split(a, b, () if items else folds):
            width = max(len(lines[n - 1].expandtabs()) for n in range(x, y + 1))
            # The piece is the row's code box itself, a `pre` or a folded docstring's `details`:
            # a wrapper around each would add one element per piece (582 on module.py's page).
            size = ("--an-folds:1" if folded else f"--an-lines:{y - x + 1}") if sized else ""
            code = _code(
                doc_html if folded else html,
                x,
                y,
                id_prefix,
                anchors or {},
                width,
                doc=folded,
                style="" if folded else size,
            )
            if folded:
                label = _("docstring, lines %(start)s–%(end)s", start=x, end=y)
                style = f' style="{size}"' if size else ""
                code = (
                    f'<details class="an-code highlight an-fold"{style} data-search-exclude>'
                    f'<summary><span class="an-fold-label">{label}</span></summary>{code}</details>'
                )
            segments.append(Segment(start=x, end=y, items=items, code_html=code, folded=folded))
    return segments


def _split(start: int, end: int, folds: Sequence[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """`start`..`end` cut into plain and folded runs by the fold spans wholly inside it."""
    runs: list[tuple[int, int, bool]] = []
    cursor = start
    for a, b in sorted(folds):
        if a < cursor or b > end:
            continue
        if a > cursor:
            runs.append((cursor, a - 1, False))
        runs.append((a, b, True))
        cursor = b + 1
    if cursor <= end:
        runs.append((cursor, end, False))
    return runs


def object_segments(
    obj: ObjectInfo,
    line_notes: tuple[AttachedLineNote, ...],
    index: ObjectIndex,
    *,
    id_prefix: str,
    wrap: Wrap | None = None,
    language: str = "en",
) -> list[Segment[AttachedLineNote]]:
    """The source of `obj`, cut at its line notes (each segment's items are `AttachedLineNote`s)."""
    marks = [Mark(start=n.start, end=n.end, items=(n,)) for n in line_notes]
    return cut(
        index.lines[obj.file],
        obj.lineno,
        obj.endlineno,
        marks,
        id_prefix=id_prefix,
        wrap=wrap,
        folds=docstring_spans(index, obj.file),
        language=language,
    )


def _code(
    html: Callable[[int], str],
    start: int,
    end: int,
    id_prefix: str,
    anchors: Mapping[int, list[str]],
    width: int,
    *,
    doc: bool = False,
    style: str = "",
) -> str:
    # Each line's id is the anchor a URL names; its number is drawn by CSS (a counter, out of
    # what screen readers say and of what is copied), so that a line costs one element, not two,
    # and no Tab stop; target.js turns a click on the number into a link to the line.
    rows = "".join(
        "".join(f'<a class="an-anchor" id="{a}"></a>' for a in anchors.get(n, ()))
        + f'<span class="an-line" id="{id_prefix}L{n}">{html(n)}\n</span>'
        for n in range(start, end + 1)
    )
    # Source stays out of search, which finds objects by their headings and notes by their prose.
    # A piece is a bare `pre`, out of Material's code blocks (`pre > code`): they would give each
    # of a file's hundreds of pieces a copy button and a size watcher, one forced layout apiece,
    # for features a piece of a listing has no use for (annotate.css draws it as one); it is
    # its own `highlight`, which Material's token colours ask for (a folded docstring's
    # `details` is, around it). `data-an-cols` (its longest line) tells sidenotes.js whether
    # the piece scrolls sideways without laying it out.
    kind = "an-listing an-doc" if doc else "an-code highlight an-listing"
    return (
        f'<pre class="{kind}" data-search-exclude style="counter-reset: an-ln {start - 1}'
        f'{";" + style if style else ""}" data-an-cols="{width}">{rows}</pre>'
    )

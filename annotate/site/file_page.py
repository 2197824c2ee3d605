"""A whole snapshotted file as one annotated listing: every line anchored, every note in the margin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotate.site.drift_views import line_drift_view, object_drift_view, translation_mark
from annotate.site.history_views import history_view
from annotate.site.links import anchor_wrap, file_href, object_links, release_tag
from annotate.site.partials import render
from annotate.site.segments import Mark, cut, upstream_url
from annotate.source.geometry import docstring_spans, header_end

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Mapping

    from annotate.guide import Guide
    from annotate.notes.attach import AttachedLineNote, AttachedNote
    from annotate.site.drift_views import DriftView, LineDriftView
    from annotate.site.history_views import HistoryView
    from annotate.site.links import LinksView
    from annotate.site.segments import Segment
    from annotate.source.index import ObjectInfo


@dataclass(frozen=True, kw_only=True)
class ObjectNoteEntry:
    """A note on the object whose header these lines are (`annotate_note.html.jinja`)."""

    name: str
    obj: ObjectInfo
    drift: DriftView | None
    body_html: str
    translation: str = ""
    """`translation_mark` of the note."""


@dataclass(frozen=True, kw_only=True)
class LineNoteEntry:
    """One line note (`annotate_line_note.html.jinja`)."""

    name: str
    start: int
    end: int
    upstream: str
    tag: str
    drift: LineDriftView | None
    body_html: str


@dataclass(frozen=True, kw_only=True)
class LinksEntry:
    """Upstream lines, docs, calls and called-by of a class or function (`annotate_links`)."""

    obj: ObjectInfo
    upstream: str
    links: LinksView
    history: HistoryView | None = None
    """When torch added it and changed it (`annotate_history_body.html.jinja`)."""
    diffs: bool = True
    """Whether the history shows its diffs: not where a chapter shows the object and them."""


Entry = ObjectNoteEntry | LineNoteEntry | LinksEntry
"""What the margin of a whole-file page shows beside some lines."""


@dataclass(frozen=True, kw_only=True)
class Heading:
    """The heading of a class or function, before its first line (`annotate_file.html.jinja`).

    Screen readers jump by them; search finds the object by it unless a chapter shows it.
    """

    obj: ObjectInfo
    level: int
    """2 for a class or function of the module, 3 and more inside a class."""
    searched: bool
    """Whether search lists it: only where no chapter shows the object."""


@dataclass(frozen=True, kw_only=True)
class Row:
    """A piece of the listing and its margin."""

    code_html: str
    entries: tuple[Entry, ...]
    headings: tuple[Heading, ...] = ()

    @property
    def kind(self) -> str:
        """`annotated` beside a note, `linked` beside links only, else `""`."""
        if any(not isinstance(e, LinksEntry) for e in self.entries):
            return "annotated"
        return "linked" if self.entries else ""


@dataclass(frozen=True, kw_only=True)
class IndexEntry:
    """A class or function in the file's index."""

    obj: ObjectInfo
    noted: bool


def file_anchor_ids(guide: Guide, relpath: str) -> dict[str, str]:
    """Every identifier (canonical and public paths) of the file's objects, to its line anchor."""
    ids: dict[str, str] = {}
    public_of: dict[str, list[str]] = {}
    for public, target in guide.index.public.items():
        public_of.setdefault(target, []).append(public)
    for obj in guide.index.objects.values():
        if obj.file != relpath or obj.kind == "module":
            continue
        anchor = obj.path
        ids[obj.path] = anchor
        for cls_path, publics in public_of.items():
            if obj.path == cls_path or obj.path.startswith(cls_path + "."):
                for public in publics:
                    ids[public + obj.path[len(cls_path) :]] = anchor
    return ids


def render_file(
    guide: Guide,
    relpath: str,
    /,
    *,
    markdown: Callable[[str], str],
    page_urls: Mapping[str, str] | None = None,
    shown: set[str] | None = None,
    in_chapters: Collection[str] = (),
) -> str:
    """HTML of the whole file `relpath` with its notes; `markdown` turns note text into HTML.

    `page_urls` gives the whole-file page of each other file, relative to this one, so that
    names defined there link to it. The names of the notes shown are added to `shown`.
    Objects in `in_chapters` (canonical paths) are found by search on their chapter; the
    others by their heading here.
    """
    index, snapshot = guide.index, guide.snapshot
    lines = index.lines[relpath]
    href = file_href(guide, relpath, page_urls or {})
    tag = release_tag(snapshot)
    marks: list[Mark[Entry]] = []
    for attached in guide.notes:
        obj = attached.obj
        if obj.file != relpath:
            continue
        note = ObjectNoteEntry(
            name=attached.note.name,
            obj=obj,
            drift=object_drift_view(guide, attached.note.name),
            body_html=markdown(attached.note.body) if attached.note.body.strip() else "",
            translation=translation_mark(guide, attached),
        )
        marks.append(Mark[Entry](start=obj.lineno, end=header_end(index, obj), items=(note,)))
        marks.extend(
            Mark[Entry](
                start=ln.start, end=ln.end, items=(_line_entry(guide, attached, ln, tag, markdown),)
            )
            for ln in attached.line_notes
        )
    marks.extend(
        Mark[Entry](
            start=obj.lineno,
            end=header_end(index, obj),
            items=(
                LinksEntry(
                    obj=obj,
                    upstream=upstream_url(snapshot, obj.file, obj.lineno, obj.endlineno),
                    links=object_links(guide, obj),
                    history=history_view(obj.path, snapshot.release, language=guide.language),
                    diffs=obj.path not in in_chapters,
                ),
            ),
        )
        for obj in index.objects.values()
        if obj.file == relpath and obj.kind in ("class", "function")
    )
    # A class or function starts a piece of its own (its links entry marks its header), so
    # its heading carries its id; an attribute keeps an empty anchor before its line.
    headed = {
        obj.lineno: obj
        for obj in index.objects.values()
        if obj.file == relpath and obj.kind in ("class", "function")
    }
    anchors: dict[int, list[str]] = {}
    for obj in index.objects.values():
        if obj.file == relpath and obj.kind != "module" and obj.kind not in ("class", "function"):
            anchors.setdefault(obj.lineno, []).append(obj.path)

    def listing() -> list[Segment[Entry]]:
        return cut(
            lines,
            1,
            len(lines),
            marks,
            id_prefix="",
            anchors=anchors,
            wrap=anchor_wrap(guide.calls, relpath, href),
            folds=docstring_spans(index, relpath),
            language=guide.language,
            sized=True,
        )

    segments = listing()
    starts = {seg.start for seg in segments}
    for lineno, obj in headed.items():
        if lineno not in starts:  # inside another mark's piece: an anchor there instead
            anchors.setdefault(lineno, []).append(obj.path)
    if any(lineno not in starts for lineno in headed):
        # Cut again with those anchors, in the page's language as the first time.
        segments = listing()
    rows = [
        Row(
            code_html=seg.code_html,
            entries=seg.items,
            headings=tuple(
                Heading(
                    obj=obj,
                    level=min(6, 2 + obj.short.count(".")),
                    searched=obj.path not in in_chapters,
                )
                for obj in filter(None, [headed.get(seg.start)])
            ),
        )
        for seg in segments
    ]
    if shown is not None:
        shown.update(e.name for row in rows for e in row.entries if isinstance(e, ObjectNoteEntry))
    noted = {n.obj.path for n in guide.notes}
    return render(
        "annotate_file.html.jinja",
        language=guide.language,
        relpath=relpath,
        line_count=len(lines),
        version=snapshot.version,
        upstream=upstream_url(snapshot, relpath, 1, len(lines)),
        upstream_label=snapshot.commit[:12] or snapshot.release,
        index=[
            IndexEntry(obj=obj, noted=obj.path in noted)
            for obj in index.objects.values()
            if obj.file == relpath and obj.kind in ("class", "function")
        ],
        rows=rows,
        href=href,
    )


def _line_entry(
    guide: Guide,
    attached: AttachedNote,
    line_note: AttachedLineNote,
    tag: str,
    markdown: Callable[[str], str],
) -> LineNoteEntry:
    return LineNoteEntry(
        name=attached.note.name,
        start=line_note.start,
        end=line_note.end,
        upstream=upstream_url(guide.snapshot, attached.obj.file, line_note.start, line_note.end),
        tag=tag,
        drift=line_drift_view(guide, attached, [line_note]),
        body_html=markdown(line_note.note.body),
    )

"""A whole snapshotted file as one annotated listing: every line anchored, every note in the margin."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from annotate.site.drift_views import (
    drift_html,
    line_drift_html,
    line_drift_view,
    object_drift_view,
)
from annotate.site.links import anchor_wrap, file_href, file_page_links, release_tag
from annotate.site.segments import Mark, cut, upstream_url
from annotate.source.geometry import docstring_spans, header_end

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from annotate.guide import Guide
    from annotate.notes.attach import AttachedLineNote, AttachedNote
    from annotate.source.index import ObjectInfo


@dataclass(frozen=True, kw_only=True)
class _ObjectEntry:
    """A note on the object whose header these lines are."""

    attached: AttachedNote


@dataclass(frozen=True, kw_only=True)
class _LineEntry:
    """One line note of `attached`."""

    attached: AttachedNote
    line_note: AttachedLineNote


@dataclass(frozen=True, kw_only=True)
class _LinksEntry:
    """Upstream lines, docs, calls and called-by of a class or function."""

    obj: ObjectInfo


_Entry = _ObjectEntry | _LineEntry | _LinksEntry


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
) -> str:
    """HTML of the whole file `relpath` with its notes; `markdown` turns note text into HTML.

    `page_urls` gives the whole-file page of each other file, relative to this one, so that
    names defined there link to it. The names of the notes shown are added to `shown`.
    """
    index = guide.index
    lines = index.lines[relpath]
    href = file_href(guide, relpath, page_urls or {})
    marks: list[Mark[_Entry]] = []
    for attached in guide.notes:
        obj = attached.obj
        if obj.file != relpath or attached.note.lang != "en":  # as chapters show them
            continue
        marks.append(
            Mark(start=obj.lineno, end=header_end(index, obj), items=(_ObjectEntry(attached=attached),))
        )
        marks.extend(
            Mark[_Entry](
                start=ln.start, end=ln.end, items=(_LineEntry(attached=attached, line_note=ln),)
            )
            for ln in attached.line_notes
        )
    marks.extend(
        Mark[_Entry](start=obj.lineno, end=header_end(guide.index, obj), items=(_LinksEntry(obj=obj),))
        for obj in index.objects.values()
        if obj.file == relpath and obj.kind in ("class", "function")
    )
    anchors: dict[int, list[str]] = {}
    for obj in index.objects.values():
        if obj.file == relpath and obj.kind != "module":
            anchors.setdefault(obj.lineno, []).append(obj.path)
    rows = []
    wrap = anchor_wrap(guide.calls, relpath, href)
    folds = docstring_spans(guide.index, relpath)
    for seg in cut(
        lines, 1, len(lines), marks, id_prefix="", anchors=anchors, wrap=wrap, folds=folds
    ):
        asides = "".join(
            file_page_links(guide, item.obj, href)
            if isinstance(item, _LinksEntry)
            else _aside(guide, item, markdown)
            for item in seg.items
        )
        if shown is not None:
            shown.update(i.attached.note.name for i in seg.items if isinstance(i, _ObjectEntry))
        noted = any(not isinstance(item, _LinksEntry) for item in seg.items)
        kind = " an-annotated" if noted else " an-linked" if seg.items else ""
        margin = f'<div class="an-margin">{asides}</div>' if asides else ""
        rows.append(
            f'<div class="an-row{kind}"><div class="an-code">{seg.code_html}</div>{margin}</div>'
        )
    snapshot = guide.snapshot
    head = (
        f'<p class="an-where"><code>{relpath}</code> · {len(lines)} lines · torch '
        f"{escape(snapshot.version)} · "
        f'<a class="an-upstream" href="{upstream_url(snapshot, relpath, 1, len(lines))}">upstream at '
        f"{escape(snapshot.commit[:12] or snapshot.release)}</a></p>"
    )
    return (
        f'<div class="an-file" data-an-file="{relpath}">{head}{_object_index(guide, relpath)}'
        f'<div class="an-source an-whole">{"".join(rows)}</div></div>'
    )


def _aside(guide: Guide, item: _ObjectEntry | _LineEntry, markdown: Callable[[str], str]) -> str:
    attached = item.attached
    obj = attached.obj
    if isinstance(item, _ObjectEntry):
        label = f'<a class="an-line-ref" href="#{obj.path}"><code>{escape(obj.short)}</code></a>'
        return (
            f'<aside class="an-line-note an-object-note" data-an-note="{escape(attached.note.name)}">'
            f"{label}{drift_html(object_drift_view(guide, attached.note.name))}"
            f"{markdown(attached.note.body) if attached.note.body.strip() else ''}</aside>"
        )
    line_note = item.line_note
    url = upstream_url(guide.snapshot, obj.file, line_note.start, line_note.end)
    label = (
        f'<a class="an-line-ref" href="#L{line_note.start}">L{line_note.start}</a> '
        f'<a class="an-upstream" href="{url}">upstream</a> <span class="an-tag">{release_tag(guide.snapshot)}</span>'
    )
    return (
        f'<aside class="an-line-note" data-an-note-of="{escape(attached.note.name)}" '
        f'data-an-lines="{line_note.start}-{line_note.end}">{label}'
        f"{line_drift_html(line_drift_view(guide, attached, [line_note]))}"
        f"{markdown(line_note.note.body)}</aside>"
    )


def _object_index(guide: Guide, relpath: str) -> str:
    noted = {n.obj.path for n in guide.notes}
    items = []
    for obj in guide.index.objects.values():
        if obj.file != relpath or obj.kind not in ("class", "function"):
            continue
        depth = obj.short.count(".")
        mark = ' class="an-has-note"' if obj.path in noted else ""
        items.append(
            f'<li{mark} style="--depth:{depth}"><a href="#{obj.path}"><code>{escape(obj.short)}</code></a> '
            f'<span class="an-lines">L{obj.lineno}</span></li>'
        )
    return (
        '<details class="an-file-index"><summary>Classes and functions in this file</summary>'
        f"<ul>{''.join(items)}</ul></details>"
    )

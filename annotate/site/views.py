"""What the mkdocstrings templates show for each object: its note and its annotated source."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotate.site.drift_views import line_drift_view, object_drift_view, translation_mark
from annotate.site.history_views import HistoryView, history_view
from annotate.site.links import autoref_wrap, object_links
from annotate.site.segments import object_segments, upstream_url
from annotate.site.trace_views import line_identifier

if TYPE_CHECKING:
    from collections.abc import Iterator

    from annotate.guide import Guide
    from annotate.site.drift_views import DriftView, LineDriftView
    from annotate.site.links import CallLink
    from annotate.source.index import ObjectInfo


class ObjectViews:
    """The view of each class and function, by canonical path, made when a template asks for it.

    The templates call it (as `annotate_view`) for every object they render, so `shown` ends
    up naming every note a chapter showed.
    """

    def __init__(self, guide: Guide, /) -> None:
        self.guide = guide
        self.seen: set[tuple[str, str]] = set()
        """(caller, callee) calls the guide's examples made, set before any page renders."""
        self.shown: set[str] = set()
        """Names of the notes shown so far."""
        self.rendered: set[str] = set()
        """Canonical paths of the objects shown so far (by chapters, which render before the
        whole-file pages)."""
        self._views: dict[str, ObjectView | None] = {}
        self._digests: dict[str, str] = {}
        self._reads: list[dict[str, str]] = []

    def learn(self, seen: set[tuple[str, str]], /) -> None:
        """Show the calls the examples made, `seen`; views made before are made again."""
        self.seen = seen
        self._views.clear()
        self._digests.clear()

    def _view(self, path: str, /) -> ObjectView | None:
        if path not in self._views:
            obj = self.guide.index.objects.get(path)
            self._views[path] = object_view(self.guide, obj, self.seen) if obj else None
        return self._views[path]

    def digest(self, path: str, /) -> str:
        """A digest of everything the view of `path` shows (views are frozen data, whose repr
        spells out their whole content), without counting it as shown."""
        if path not in self._digests:
            text = repr(self._view(path)).encode("utf-8", "surrogatepass")
            self._digests[path] = hashlib.sha256(text).hexdigest()
        return self._digests[path]

    @contextlib.contextmanager
    def recording(self) -> Iterator[dict[str, str]]:
        """The views asked for inside the block, each with its `digest`."""
        reads: dict[str, str] = {}
        self._reads.append(reads)
        try:
            yield reads
        finally:
            self._reads.pop()

    def __call__(self, path: str, /) -> ObjectView | None:
        """The view of the object at canonical `path`, or `None` for one without."""
        view = self._view(path)
        for reads in self._reads:
            reads.setdefault(path, self.digest(path))
        if view is not None:
            self.rendered.add(path)
        if view is not None and view.note is not None:
            self.shown.add(view.note.name)
        return view


@dataclass(frozen=True, kw_only=True)
class NoteView:
    """A note as the templates show it (`annotate_note.html.jinja`)."""

    name: str
    title: str
    body: str
    """Markdown, which mkdocstrings' `convert_markdown` renders."""


@dataclass(frozen=True, kw_only=True)
class SegmentView:
    """A piece of a function's source and the line notes beside it (`annotate_source`)."""

    start: int
    end: int
    code_html: str
    note: str | None
    """The Markdown of the line notes on these lines, or `None` for plain code."""
    upstream: str
    local: str
    """The autorefs identifier of its first line on the file page."""
    drift: LineDriftView | None


@dataclass(frozen=True, kw_only=True)
class ObjectView:
    """What the chapters show of one class or function."""

    file: str
    start: int
    end: int
    release: str
    upstream: str
    """Its lines upstream, at the commit torch was built from."""
    local: str
    """The autorefs identifier of its first line on the file page."""
    tag: str
    docs: str | None
    calls: tuple[CallLink, ...] | None
    called_by: tuple[CallLink, ...] | None
    seen_calls: tuple[CallLink, ...]
    """Calls only the examples showed (see `LinksView`)."""
    seen_called_by: tuple[CallLink, ...]
    history: HistoryView | None
    """The releases that added and changed it, up to this torch."""
    note: NoteView | None
    drift: DriftView | None
    translation: str
    """`translation_mark` of its note."""
    segments: tuple[SegmentView, ...]
    """For a function, its source cut at its line notes."""


def object_view(
    guide: Guide, obj: ObjectInfo, seen: Collection[tuple[str, str]] = (), /
) -> ObjectView | None:
    """What the templates show for `obj`: the note and the annotated source pieces."""
    if obj.kind not in ("function", "class"):
        return None
    snapshot = guide.snapshot
    attached = guide.note_for(obj.path)
    links = object_links(guide, obj, seen)
    segments: tuple[SegmentView, ...] = ()
    if obj.kind == "function":
        segments = tuple(
            SegmentView(
                start=seg.start,
                end=seg.end,
                code_html=seg.code_html,
                note="\n\n".join(n.note.body for n in seg.items) if seg.items else None,
                upstream=upstream_url(snapshot, obj.file, seg.start, seg.end),
                local=line_identifier(obj.file, seg.start),
                drift=line_drift_view(guide, attached, seg.items),
            )
            for seg in object_segments(
                obj,
                attached.line_notes if attached else (),
                guide.index,
                id_prefix=f"{obj.path}--",
                wrap=autoref_wrap(guide.calls, obj.file),
                language=guide.language,
            )
        )
    return ObjectView(
        file=obj.file,
        start=obj.lineno,
        end=obj.endlineno,
        release=snapshot.release,
        upstream=upstream_url(snapshot, obj.file, obj.lineno, obj.endlineno),
        local=line_identifier(obj.file, obj.lineno),
        tag=links.tag,
        docs=links.docs,
        calls=links.calls,
        called_by=links.called_by,
        seen_calls=links.seen_calls,
        seen_called_by=links.seen_called_by,
        history=history_view(obj.path, snapshot.release, language=guide.language),
        note=NoteView(name=attached.note.name, title=attached.note.title, body=attached.note.body)
        if attached
        else None,
        drift=object_drift_view(guide, attached.note.name) if attached else None,
        translation=translation_mark(guide, attached) if attached else "",
        segments=segments,
    )

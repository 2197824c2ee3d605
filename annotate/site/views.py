"""What the mkdocstrings templates show for each object: its note and its annotated source."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotate.site.drift_views import line_drift_view, object_drift_view
from annotate.site.links import autoref_wrap, object_links
from annotate.site.segments import object_segments, upstream_url

if TYPE_CHECKING:
    from annotate.guide import Guide
    from annotate.source.index import ObjectInfo


class ObjectViews:
    """The view of each class and function, by canonical path, made when a template asks for it.

    The templates call it (as `annotate_view`) for every object they render, so `shown` ends
    up naming every note a chapter showed.
    """

    def __init__(self, guide: Guide, /) -> None:
        self.guide = guide
        self.shown: set[str] = set()
        """Names of the notes shown so far."""
        self._views: dict[str, dict[str, Any] | None] = {}

    def __call__(self, path: str, /) -> dict[str, Any] | None:
        """The view of the object at canonical `path`, or `None` for one without."""
        if path not in self._views:
            obj = self.guide.index.objects.get(path)
            self._views[path] = object_view(self.guide, obj) if obj else None
        view = self._views[path]
        if view is not None and view["note"] is not None:
            self.shown.add(view["note"]["name"])
        return view


def object_view(guide: Guide, obj: ObjectInfo, /) -> dict[str, Any] | None:
    """What the templates show for `obj`: the note and the annotated source pieces."""
    snapshot = guide.snapshot
    if obj.kind not in ("function", "class"):
        return None
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
                "note": "\n\n".join(n.note.body for n in seg.items) if seg.items else None,
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
    return entry

"""What the mkdocstrings templates show for each object: its note and its annotated source."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotate.site.drift_views import line_drift_view, object_drift_view
from annotate.site.links import autoref_wrap, object_links
from annotate.site.segments import object_segments, upstream_url

if TYPE_CHECKING:
    from annotate.guide import Guide


def render_payload(guide: Guide) -> dict[str, dict[str, Any]]:
    """JSON-ready data per canonical path: the note and the annotated source pieces."""
    payload: dict[str, dict[str, Any]] = {}
    snapshot = guide.snapshot
    for obj in guide.index.objects.values():
        if obj.kind not in ("function", "class"):
            continue
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
        payload[obj.path] = entry
    return payload

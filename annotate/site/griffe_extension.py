"""Griffe extension: hands each loaded object the note and source pieces computed for it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import griffe


class NotesExtension(griffe.Extension):
    """Put `render_payload` data on `obj.extra["annotate"]` for the templates to show."""

    def __init__(self, payload: str) -> None:
        """`payload` is the JSON file the MkDocs plugin wrote for this build."""
        super().__init__()
        self.payload: dict[str, dict[str, Any]] = json.loads(Path(payload).read_text("utf-8"))

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Attach the data of `obj`, if it has any."""
        data = self.payload.get(obj.path)
        if data is not None:
            obj.extra["annotate"] = data

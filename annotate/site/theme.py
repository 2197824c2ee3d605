"""What the site adds to the theme: its folders of templates and assets, and the build's torch."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotate.site.segments import COMMIT_URL
from annotate.source.snapshot import SOURCE_FILES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from annotate.source.snapshot import Snapshot

_HERE = Path(__file__).parent
THEME_DIR = _HERE / "theme"
"""Overrides of Material's templates (the version banner)."""
TEMPLATES_DIR = _HERE / "templates"
"""mkdocstrings templates: chapters and whole-file pages render notes through them."""
ASSETS_DIR = _HERE / "assets"
"""Style sheets and scripts every page loads."""


def assets() -> list[Path]:
    """Every asset file, in name order."""
    return sorted(ASSETS_DIR.iterdir())


def build_info(
    snapshot: Snapshot,
    language: str = "en",
    /,
    *,
    orphans: Sequence[str] = (),
    maintenance: str = "",
) -> dict[str, Any]:
    """What the version banner (`partials/annotate-version.html`) says about the torch read.

    `orphans` are the places of the notes a preview build left out (`orphans: list`), which the
    banner lists;
    `maintenance` is the maintenance page's URL from the site's root, for the banner to link.
    """
    return {
        "language": language,
        "version": snapshot.version,
        "commit": snapshot.commit,
        "commit_url": COMMIT_URL.format(commit=snapshot.commit) if snapshot.commit else "",
        "files": [Path(rel).name for rel in SOURCE_FILES],
        "orphans": list(orphans),
        "maintenance": maintenance,
    }

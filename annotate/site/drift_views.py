"""What a page shows of a note's drift: the state, the torch it was written for, the diff."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers.diff import DiffLexer

from annotate.drift.diff import target_diff
from annotate.drift.states import NoteState, worst

if TYPE_CHECKING:
    from collections.abc import Iterable

    from annotate.guide import Guide
    from annotate.notes.attach import AttachedLineNote, AttachedNote

_TEMPLATES = Path(__file__).parent / "templates" / "python" / "material"


@dataclass(frozen=True, kw_only=True)
class DriftView:
    """The mark on a note whose code changed since it was written (`annotate_drift.html.jinja`)."""

    state: NoteState
    """A state a page marks (`NoteState.marked`)."""
    reason: str
    """Why, in a few words."""
    written_for: str
    """The torch version the note was written for."""
    commit: str
    """Its commit, shortened, or `""`."""
    now: str
    """The torch version read now."""
    diff: str = ""
    """For a state that shows it (`NoteState.shows_diff`), a unified diff from then to now."""
    diff_code: str = ""
    """`diff` as highlighted spans (`annotate_diff.html.jinja` puts them in a code block)."""


@dataclass(frozen=True, kw_only=True)
class LineDriftView:
    """The mark on a line note whose lines changed (`annotate_drift_line.html.jinja`)."""

    state: NoteState
    written_for: str


def object_drift_view(guide: Guide, name: str, /) -> DriftView | None:
    """What the templates need to mark the note `name`, or `None` when there is nothing to mark."""
    drift = guide.located.of(name)
    if drift is None or not drift.target_state.marked or not drift.locked or not drift.obj:
        return None
    diff = ""
    if drift.target_state.shows_diff:
        diff = target_diff(drift.locked, drift.obj, guide.index, now=guide.snapshot.version)
    return DriftView(
        state=drift.target_state,
        reason=drift.reason,
        written_for=drift.locked.torch,
        commit=drift.locked.commit[:12],
        now=guide.snapshot.version,
        diff=diff,
        diff_code=diff_code(diff) if diff else "",
    )


def line_drift_view(
    guide: Guide, attached: AttachedNote | None, line_notes: Iterable[AttachedLineNote], /
) -> LineDriftView | None:
    """The mark for a piece of code carrying `line_notes` of `attached`, or `None`."""
    drift = attached.located if attached else None
    if drift is None or drift.locked is None:
        return None
    anchors = {placed.note.anchor for placed in line_notes}
    states = [ln.state for ln in drift.line_notes if ln.line_note.anchor in anchors]
    state = worst(s for s in states if s.marked)
    if state == NoteState.FRESH:
        return None
    return LineDriftView(state=state, written_for=drift.locked.torch)


@lru_cache(maxsize=4096)
def diff_code(diff: str) -> str:
    """`diff` highlighted with Pygments' classes, which Material colours."""
    return str(highlight(diff, DiffLexer(), HtmlFormatter(nowrap=True)))

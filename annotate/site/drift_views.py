"""What a page shows of a note's drift: the state, the torch it was written for, the diff."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers.diff import DiffLexer

from annotate.drift.states import NoteState, worst
from annotate.notes.translations import TranslationState
from annotate.site import labels
from annotate.source.geometry import target_text

if TYPE_CHECKING:
    from collections.abc import Iterable

    from annotate.drift.lock import LockedSpan
    from annotate.guide import Guide
    from annotate.notes.attach import AttachedLineNote, AttachedNote
    from annotate.source.index import ObjectInfo

_TEMPLATES = Path(__file__).parent / "templates" / "python" / "material"
_HUNK = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")
REASON_FORMS = (
    "now at %(now)s, written for %(then)s",
    "line %(line)d",
    "lines %(start)d–%(end)d",
    "only comments, docstrings or formatting changed since torch %(torch)s",
    "the code changed since torch %(torch)s",
    "not in the lock file yet",
    "its target %(target)s is no longer in %(file)s (the note was written for torch %(torch)s)",
    "its target is gone",
    "the target is now %(now)s, locked as %(locked)s; %(reason)s",
    "same code",
    "%(problem)s: no longer unique (written for line %(line)d, torch %(torch)s)",
    "%(problem)s (written for line %(line)d, torch %(torch)s)",
    "line anchor %(anchor)s matches no line of %(object)s",
    "line anchor %(anchor)s matches %(count)d lines of %(object)s (lines %(lines)s)",
)
"""How `notes.locate` words the reason of a state (the same as `annotate check`), as pages
translate it; a reason worded otherwise is shown as it is."""


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
    """For changed code, a unified diff from then to now."""
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
    if drift.target_state == NoteState.CHANGED:
        diff = diff_text(drift.locked.span, drift.obj, guide, written_for=drift.locked.torch)
    return DriftView(
        state=drift.target_state,
        reason=reason_text(drift.reason, guide.language),
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


def diff_text(locked: LockedSpan, obj: ObjectInfo, guide: Guide, *, written_for: str) -> str:
    """A unified diff from the code the note was written for to the code now, numbered as in the files."""
    now = target_text(obj, guide.index)
    # A class is compared without its methods: its lines are not consecutive, so not numbered.
    numbered = obj.kind != "class"
    _ = labels.gettext(guide.language)
    what = (
        obj.file
        if numbered
        else _("%(file)s, class %(name)s without its methods", file=obj.file, name=obj.short)
    )
    lines = []
    for line in difflib.unified_diff(
        list(locked.text),
        now,
        fromfile=_(
            "%(what)s (torch %(torch)s, the note was written for this)",
            what=what,
            torch=written_for,
        ),
        tofile=_("%(what)s (torch %(torch)s, now)", what=what, torch=guide.snapshot.version),
        lineterm="",
    ):
        hunk = _HUNK.match(line)
        if hunk and numbered:
            old = int(hunk[1]) + locked.start - 1
            new = int(hunk[3]) + obj.lineno - 1
            line = f"@@ -{old}{hunk[2] or ''} +{new}{hunk[4] or ''} @@{line[hunk.end() :]}"
        lines.append(line)
    return "\n".join(lines)


def reason_text(reason: str, language: str, /) -> str:
    """The reason of a state (`LocatedNote.reason`) as pages in `language` show it."""
    return labels.translate_form(reason, REASON_FORMS, labels.gettext(language))


def diff_code(diff: str) -> str:
    """`diff` highlighted with Pygments' classes, which Material colours."""
    return str(highlight(diff, DiffLexer(), HtmlFormatter(nowrap=True)))


def translation_mark(guide: Guide, attached: AttachedNote, /) -> str:
    """How a page in `guide.language` marks the note `attached`: `"untranslated"` (shown in
    English), `"behind"` (its English note changed since), or `""`."""
    if guide.language == "en":
        return ""
    if attached.note.lang == "en":
        return "untranslated"
    translation = guide.translations.get(attached.note.name)
    return "behind" if translation and translation.state is TranslationState.BEHIND else ""

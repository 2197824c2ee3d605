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
from annotate.notes.translations import TranslationState
from annotate.site import labels

if TYPE_CHECKING:
    from collections.abc import Iterable

    from annotate.guide import Guide
    from annotate.notes.attach import AttachedLineNote, AttachedNote

_TEMPLATES = Path(__file__).parent / "templates" / "python" / "material"
REASON_FORMS = (
    "now at %(now)s, written for %(then)s",
    "line %(line)d",
    "lines %(start)d–%(end)d",
    "%(reason)s; its code changed too",
    "the signature changed since torch %(torch)s: %(what)s",
    "its arguments, return annotation or decorators changed",
    "%(count)d `@overload` stub added",
    "%(count)d `@overload` stubs added",
    "%(count)d `@overload` stub removed",
    "%(count)d `@overload` stubs removed",
    "an `@overload` stub changed",
    "only comments or formatting changed since torch %(torch)s",
    "the docstring changed since torch %(torch)s; the code is the same",
    "the code changed since torch %(torch)s",
    "not in the lock file yet",
    "its target %(target)s is not in the %(file)s of this torch (the note was written for torch %(torch)s)",
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
DIFF_FORMS = (
    "%(what)s (torch %(torch)s, the note was written for this)",
    "%(what)s (torch %(torch)s, now)",
    "%(file)s, class %(name)s without its methods",
    "%(file)s, %(name)s after its @overload stubs",
    "%(file)s, %(name)s (gone)",
)
"""How `annotate.drift.diff` words the two header lines of a diff, as pages translate them."""


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
        diff = diff_in(
            target_diff(drift.locked, drift.obj, guide.index, now=guide.snapshot.version),
            guide.language,
        )
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


def diff_in(diff: str, language: str, /) -> str:
    """`diff` (`annotate.drift.diff`) with its header lines in `language`."""
    _ = labels.gettext(language)
    lines = diff.split("\n")
    for i, line in enumerate(lines[:2]):
        if line[:4] in ("--- ", "+++ "):
            lines[i] = line[:4] + labels.translate_form(line[4:], DIFF_FORMS, _)
    return "\n".join(lines)


def reason_text(reason: str, language: str, /) -> str:
    """The reason of a state (`LocatedNote.reason`) as pages in `language` show it."""
    return labels.translate_form(reason, REASON_FORMS, labels.gettext(language))


@lru_cache(maxsize=4096)
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

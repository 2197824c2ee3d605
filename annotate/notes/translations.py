"""Pair each translated note with the English note it translates, and say whether it keeps up.

A translation records, in the lock file, a fingerprint of the English text it was last brought
up to date with; when the English note changes, the translation is behind until a person
updates it and runs `annotate refresh`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from annotate.errors import Problem

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from annotate.notes.read import Note


STARTED_MARK = "<!-- Translate the English text below into"
"""How `annotate new --lang` opens the copy of the English note a translation starts from; it
stays until the text is translated."""


def _untranslated(note: Note, original: Note) -> int | None:
    """The line of `note` that shows it is still the English text it was started from, if any."""
    for start, text in note.texts():
        if STARTED_MARK in text:
            before = text[: text.index(STARTED_MARK)]
            return start + before.count("\n")
    same = [(n.anchor, n.body.strip()) for n in note.line_notes] == [
        (n.anchor, n.body.strip()) for n in original.line_notes
    ]
    if same and note.body.strip() == original.body.strip() and (note.body or note.line_notes):
        return note.body_line or 1
    return None


class TranslationState(StrEnum):
    """How a translation stands against the English note it translates."""

    CURRENT = "current"
    """Brought up to date with the English text as it is now."""
    BEHIND = "behind"
    """The English note changed since the translation was last brought up to date."""
    UNRECORDED = "unrecorded"
    """Not in the lock file yet: a new translation, waiting for `annotate refresh`."""


@dataclass(frozen=True, kw_only=True)
class Translation:
    """A translated note and the English note it translates."""

    note: Note
    original: Note
    state: TranslationState


def original_fingerprint(note: Note, /) -> str:
    """What a translation of `note` records of it: a digest of everything it says."""
    parts = [note.target, note.title, note.body]
    for line in note.line_notes:
        parts += [line.anchor, line.body]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def pair_translations(
    notes: Iterable[Note], /, *, recorded: Mapping[str, str]
) -> tuple[list[Translation], list[Problem]]:
    """Each translation in `notes` with its English note and its state; and the ones that
    cannot be paired.

    `recorded` gives, by a translation's name, the fingerprint of the English text it was last
    brought up to date with.
    """
    notes = list(notes)
    english = {note.name: note for note in notes if note.lang == "en"}
    paired: list[Translation] = []
    problems: list[Problem] = []
    for note in notes:
        if note.lang == "en":
            continue
        original = english.get(note.translates)
        if original is None:
            problems.append(
                Problem(
                    file=note.file,
                    line=note.translates_line,
                    message=f"the English note `{note.translates}` it translates does not exist",
                    fix="write the English note first (a translation follows one), "
                    "or remove the translation",
                )
            )
            continue
        if original.target != note.target:
            problems.append(
                Problem(
                    file=note.file,
                    line=note.target_line,
                    message=f"the target `{note.target}` is not the English note's "
                    f"`{original.target}`",
                    fix=f"write `target: {original.target}`",
                )
            )
            continue
        anchors = {line.anchor for line in original.line_notes}
        extra = [line for line in note.line_notes if line.anchor not in anchors]
        for line in extra:
            problems.append(
                Problem(
                    file=note.file,
                    line=line.line,
                    message=f"the line note on `{line.anchor}` is not in the English note "
                    f"{original.file.name}",
                    fix="quote the code exactly as the English note's line-note heading does, "
                    "or add the line note to the English note first",
                )
            )
        if extra:
            continue
        untranslated = _untranslated(note, original)
        if untranslated is not None:
            # Published as it is, the English text would pass for its translation.
            problems.append(
                Problem(
                    file=note.file,
                    line=untranslated,
                    message=f"not translated yet: it still holds the English text of "
                    f"{original.file.name} it was started from",
                    fix=f"translate the text into `{note.lang}` (keep each line-note heading "
                    "as it is) and delete the comment that asks for it",
                )
            )
            continue
        fingerprint = recorded.get(note.name)
        state = (
            TranslationState.UNRECORDED
            if fingerprint is None
            else TranslationState.CURRENT
            if fingerprint == original_fingerprint(original)
            else TranslationState.BEHIND
        )
        paired.append(Translation(note=note, original=original, state=state))
    return paired, problems

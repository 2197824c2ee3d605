"""The states a note can be in against the torch being read, and what each one implies."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


class NoteState(StrEnum):
    """How a note (or a line note) stands against the code it was written for.

    Members are in order, from the least to the most in need of a person.
    """

    FRESH = "fresh"
    """The same code at the same lines."""
    MOVED = "moved"
    """The same code at other lines."""
    COSMETIC = "cosmetic"
    """Only comments or formatting changed."""
    DOCSTRING = "docstring"
    """The docstring changed, and nothing else but comments and formatting: what the code
    promises may have."""
    UNLOCKED = "unlocked"
    """Not in the lock file yet: a new note or line note."""
    CHANGED = "changed"
    """The code changed."""
    SIGNATURE = "signature"
    """The signature changed: arguments, return annotation, decorators, or `@overload` stubs."""
    ORPHANED = "orphaned"
    """The target, or the quoted line, is gone or no longer unique."""

    @classmethod
    def parse(cls, value: str, /) -> NoteState:
        """The state spelled `value`; `ValueError` naming the states when there is none."""
        try:
            return cls(value)
        except ValueError:
            raise ValueError(
                f"unknown note state {value!r}; expected one of {', '.join(cls)}"
            ) from None

    @property
    def rank(self) -> int:
        """Position from fresh (0) to orphaned."""
        return list(NoteState).index(self)

    @property
    def followed(self) -> bool:
        """Whether a note in this state is still shown beside its code."""
        return _POLICY[self].followed

    @property
    def marked(self) -> bool:
        """Whether a page marks the note (a banner, or a label), and it wants re-reading."""
        return _POLICY[self].marked

    @property
    def banner(self) -> bool:
        """Whether a page shows the note under a banner with the diff of what changed."""
        return bool(_POLICY[self].headline)

    @property
    def shows_diff(self) -> bool:
        """Whether a page shows the diff of what changed (under a banner, or folded by a label)."""
        return _POLICY[self].shows_diff or self.banner

    @property
    def headline(self) -> str:
        """What changed, in the banner's words (`code changed`); empty for a state without one."""
        return _POLICY[self].headline

    @property
    def needs_person(self) -> bool:
        """Whether `annotate check --strict` fails until a person re-reads the note."""
        return _POLICY[self].needs_person

    @property
    def quiet_on_lines(self) -> bool:
        """Whether a line note sharing its note's state needs no report of its own."""
        return _POLICY[self].quiet_on_lines

    @property
    def meaning(self) -> str:
        """What the state means for a reader and a contributor."""
        return _POLICY[self].meaning

    @property
    def legend(self) -> str:
        """The state in a few words, as the coverage map's legend gives it."""
        return _POLICY[self].legend


@dataclass(frozen=True, kw_only=True)
class _Policy:
    meaning: str
    legend: str
    followed: bool = True
    marked: bool = False
    needs_person: bool = False
    quiet_on_lines: bool = False
    headline: str = ""
    shows_diff: bool = False


_POLICY = {
    NoteState.FRESH: _Policy(meaning="the same code at the same lines", legend="note up to date"),
    NoteState.MOVED: _Policy(
        meaning="the same code at other lines; followed",
        legend="note fine, its lines moved",
        quiet_on_lines=True,
    ),
    NoteState.COSMETIC: _Policy(
        meaning="only comments or formatting changed; followed, and marked on the note",
        legend="code reformatted since the note",
        marked=True,
    ),
    NoteState.DOCSTRING: _Policy(
        meaning="only the docstring changed (with comments or formatting); followed, marked on "
        "the note with the diff folded, and re-read by a person: a docstring states what the "
        "code promises",
        legend="docstring changed since the note: re-read it",
        marked=True,
        needs_person=True,
        shows_diff=True,
    ),
    NoteState.UNLOCKED: _Policy(
        meaning="not in the lock file yet; `annotate refresh NOTE` records what it was written for",
        legend="new note, not recorded in the lock file yet",
        needs_person=True,
        quiet_on_lines=True,
    ),
    NoteState.CHANGED: _Policy(
        meaning="the code changed; the note is shown with a banner and the diff",
        legend="code changed since the note: review it",
        marked=True,
        needs_person=True,
        headline="code changed",
    ),
    NoteState.SIGNATURE: _Policy(
        meaning="the signature changed (arguments, return annotation, decorators or `@overload` "
        "stubs); the note is shown with a banner and the diff",
        legend="signature changed since the note: review it",
        marked=True,
        needs_person=True,
        headline="signature changed",
    ),
    NoteState.ORPHANED: _Policy(
        meaning="the target or the quoted line is gone; the note is not shown",
        legend="note's code is gone",
        followed=False,
    ),
}


def worst(states: Iterable[NoteState], /) -> NoteState:
    """The state furthest from fresh among `states` (`fresh` when there are none)."""
    return max(states, key=lambda state: state.rank, default=NoteState.FRESH)

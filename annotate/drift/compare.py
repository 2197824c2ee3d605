"""How the code a note was written for compares with the code now: the state that puts it in.

A target is compared as the release history compares two releases (`annotate.history.classify`):
its signature (arguments, return annotation, decorators, bases, and its `@overload` stubs), its
code, its docstring, or only comments and formatting. Both sides are read from their text, the
lock's and the file's, so the comparison never depends on how an older version hashed them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotate.drift.fingerprint import exact_fingerprint, line_fingerprint, statement_syntax_of
from annotate.drift.states import NoteState
from annotate.history.changes import ChangeKind, classify
from annotate.history.record import Entry
from annotate.source.geometry import target_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from annotate.drift.lock import LockedSpan, LockEntry
    from annotate.source.index import ObjectIndex, ObjectInfo


def target_overloads(obj: ObjectInfo, index: ObjectIndex, /) -> list[str]:
    """The lines of the `@overload` stubs of `obj`, in file order (none for a class)."""
    lines = index.lines[obj.file]
    return [line for start, end in sorted(obj.overloads) for line in lines[start - 1 : end]]


def lines_phrase(start: int, end: int) -> str:
    """`line 3`, or `lines 3-5` with an en dash."""
    return f"line {start}" if start == end else f"lines {start}–{end}"


def _moved(locked: LockedSpan, start: int, end: int, *, same_file: bool) -> tuple[NoteState, str]:
    # The same text starting at the same line: for a class, methods below may have grown.
    if same_file and start == locked.start:
        return NoteState.FRESH, ""
    return (
        NoteState.MOVED,
        f"now at {lines_phrase(start, end)}, written for {lines_phrase(locked.start, locked.end)}",
    )


def _stub_count(lines: Sequence[str]) -> int:
    return sum(1 for line in lines if line.lstrip().startswith(("def ", "async def ")))


def _signature_reason(locked: LockEntry, stubs: Sequence[str], torch: str) -> str:
    before, after = _stub_count(locked.overloads), _stub_count(stubs)
    if tuple(stubs) == locked.overloads:
        what = "its arguments, return annotation or decorators changed"
    elif after > before:
        what = f"{after - before} `@overload` stub{'s' * (after - before > 1)} added"
    elif after < before:
        what = f"{before - after} `@overload` stub{'s' * (before - after > 1)} removed"
    else:
        what = "an `@overload` stub changed"
    return f"the signature changed since torch {torch}: {what}"


def compare_target(
    locked: LockEntry, obj: ObjectInfo, index: ObjectIndex, /
) -> tuple[NoteState, str]:
    """The state of a note on `obj` written for `locked`, and why in a few words."""
    text = target_text(obj, index)
    stubs = target_overloads(obj, index)
    same_file = obj.file == locked.file
    if exact_fingerprint(text) == locked.span.exact and tuple(stubs) == locked.overloads:
        return _moved(locked.span, obj.lineno, obj.endlineno, same_file=same_file)
    kinds = classify(
        Entry(
            kind=obj.kind,
            file=locked.file,
            lineno=locked.span.start,
            text="\n".join(locked.span.text),
            overloads="\n".join(locked.overloads),
        ),
        Entry(
            kind=obj.kind,
            file=obj.file,
            lineno=obj.lineno,
            text="\n".join(text),
            overloads="\n".join(stubs),
        ),
    )
    torch = locked.torch
    if ChangeKind.SIGNATURE in kinds:
        reason = _signature_reason(locked, stubs, torch)
        if ChangeKind.CODE in kinds:
            reason += "; its code changed too"
        return NoteState.SIGNATURE, reason
    if ChangeKind.CODE in kinds:
        return NoteState.CHANGED, f"the code changed since torch {torch}"
    if ChangeKind.DOCSTRING in kinds:
        return (
            NoteState.DOCSTRING,
            f"the docstring changed since torch {torch}; the code is the same",
        )
    return NoteState.COSMETIC, f"only comments or formatting changed since torch {torch}"


def compare_line(
    locked: LockedSpan,
    text: Sequence[str],
    start: int,
    end: int,
    /,
    *,
    same_file: bool,
    torch: str,
    whole: bool = False,
) -> tuple[NoteState, str]:
    """The state of a line note written for `locked`, whose statement is `text` at `start`..`end` now.

    With `whole` (`start` begins a statement), a statement, or a compound one's header, is
    compared by its syntax, both then and now: reflowing it, a trailing comma, brackets or
    quotes are formatting. Any other lines are compared by their tokens.
    """
    if exact_fingerprint(text) == locked.exact:
        return _moved(locked, start, end, same_file=same_file)
    then = statement_syntax_of(locked.text) if whole else None
    now = statement_syntax_of(text) if then is not None else None
    if now is not None:
        same = then == now
    else:
        same = line_fingerprint(text) == line_fingerprint(locked.text)
    if same:
        return (
            NoteState.COSMETIC,
            f"only comments or formatting changed since torch {torch}",
        )
    return NoteState.CHANGED, f"the code changed since torch {torch}"

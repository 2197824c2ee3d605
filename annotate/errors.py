"""The project's exceptions: one root, each carrying the data a message needs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class AnnotateError(Exception):
    """Root of every error this library raises on purpose."""


class SnapshotError(AnnotateError):
    """The torch sources could not be found or copied."""


class ScaffoldError(AnnotateError):
    """A note cannot be started (unknown object, or it already has a note)."""


def did_you_mean(candidates: list[str], /, *, otherwise: str = "", joiner: str = ", ") -> str:
    """The fix that names close candidates (`did you mean `a`, `b`?`), or `otherwise`."""
    if not candidates:
        return otherwise
    return f"did you mean {joiner.join(f'`{c}`' for c in candidates)}?"


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One thing wrong with a note, located in its file."""

    file: Path
    """The note file (or any input file) at fault."""
    line: int
    """1-based line in `file`."""
    message: str
    """What is wrong."""
    fix: str = ""
    """How to mend it, e.g. "did you mean ..."."""

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: {self.message}"
        return f"{text}; {self.fix}" if self.fix else text


class NoteError(AnnotateError):
    """One or more notes are invalid; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class ExampleError(AnnotateError):
    """An executed example failed: `where` it stands, `reason` in a few words, then `details`."""

    def __init__(self, where: str, reason: str, details: str = "") -> None:
        self.where = where
        self.reason = reason
        self.details = details
        text = f"{where}: the example {reason}"
        if details.strip():
            text += "\n" + "\n".join(f"    {line}" for line in details.rstrip().splitlines())
        super().__init__(text)

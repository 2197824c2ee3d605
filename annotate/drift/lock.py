"""The lock file beside the notes: what each note was written against.

For every note it records the torch version and commit, the target, its lines, two
fingerprints (code only, and exact text) and the text itself, its `@overload` stubs, and the
same for each line note. It is JSON with sorted keys and one source line per JSON line, so a refresh of one
note changes only that note's lines in a diff. Only `annotate refresh` writes it (and
`annotate new`, which adds the entry of the note it starts).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotate.drift.compare import target_overloads
from annotate.drift.fingerprint import code_fingerprint, exact_fingerprint, line_fingerprint
from annotate.errors import NoteError, Problem
from annotate.source.geometry import target_text
from annotate.source.snapshot import SOURCE_FILES

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from annotate.notes.attach import AttachedLineNote, AttachedNote
    from annotate.source.index import ObjectIndex, ObjectInfo
    from annotate.source.snapshot import Snapshot

LOCK_NAME = "notes.lock.json"
"""The lock file's name, in the notes folder."""
_FORMAT = 1


@dataclass(frozen=True, kw_only=True)
class LockedSpan:
    """Some lines of a source file as they were when a note was written."""

    start: int
    """First line (1-based)."""
    end: int
    """Last line (inclusive)."""
    code: str
    """Fingerprint of the code alone (`code_fingerprint` or `line_fingerprint`)."""
    exact: str
    """Fingerprint of the exact text."""
    text: tuple[str, ...]
    """The lines themselves, to show what changed."""


@dataclass(frozen=True, kw_only=True)
class LockEntry:
    """What one note (and each of its line notes) was written against."""

    torch: str
    """`torch.__version__` the note was last confirmed against."""
    commit: str
    """The commit that torch was built from, or `""`."""
    target: str
    """Canonical path of the target."""
    file: str
    """The source file of the target, e.g. `torch/nn/modules/module.py`."""
    span: LockedSpan
    """The target's lines (`target_text`: for a class, without its methods)."""
    line_notes: Mapping[str, LockedSpan] = field(default_factory=dict)
    """Each line note's lines, by its quoted anchor. Line notes share the note's torch version:
    a note is confirmed whole."""
    original: str = ""
    """In a translation's entry, the fingerprint of the English note it was last brought up to
    date with (`original_fingerprint`)."""
    overloads: tuple[str, ...] = ()
    """The lines of the target's `@overload` stubs, in file order: part of its signature."""


@dataclass(frozen=True, kw_only=True)
class Lock:
    """Every lock entry, by note name (`module/Module.to.md`)."""

    entries: Mapping[str, LockEntry] = field(default_factory=dict)

    def get(self, name: str) -> LockEntry | None:
        """The entry of the note `name`, if it was ever locked."""
        return self.entries.get(name)

    def originals(self) -> dict[str, str]:
        """By translation name, the fingerprint of the English text it follows."""
        return {name: entry.original for name, entry in self.entries.items() if entry.original}

    def replaced(self, entries: Mapping[str, LockEntry], /, *, drop: Iterable[str] = ()) -> Lock:
        """A lock with `entries` put in (replacing the same names) and the names in `drop` taken out."""
        dropped = set(drop)
        merged = {name: entry for name, entry in self.entries.items() if name not in dropped}
        merged.update(entries)
        return Lock(entries=merged)


def lock_entry(attached: AttachedNote, /, *, snapshot: Snapshot, index: ObjectIndex) -> LockEntry:
    """The entry recording `attached` as it reads against `snapshot` now."""
    return object_entry(attached.obj, snapshot=snapshot, index=index, placed=attached.line_notes)


def object_entry(
    obj: ObjectInfo,
    /,
    *,
    snapshot: Snapshot,
    index: ObjectIndex,
    placed: Iterable[AttachedLineNote] = (),
) -> LockEntry:
    """The entry recording `obj` (and the line notes `placed` on it) as it reads now."""
    lines = index.lines[obj.file]
    target = target_text(obj, index)
    return LockEntry(
        torch=snapshot.version,
        commit=snapshot.commit,
        target=obj.path,
        file=obj.file,
        span=LockedSpan(
            start=obj.lineno,
            end=obj.endlineno,
            code=code_fingerprint(target),
            exact=exact_fingerprint(target),
            text=tuple(target),
        ),
        line_notes={item.note.anchor: _line_span(lines, item.start, item.end) for item in placed},
        overloads=tuple(target_overloads(obj, index)),
    )


def _line_span(lines: list[str], start: int, end: int) -> LockedSpan:
    text = lines[start - 1 : end]
    return LockedSpan(
        start=start,
        end=end,
        code=line_fingerprint(text),
        exact=exact_fingerprint(text),
        text=tuple(text),
    )


def read_lock(path: Path | str, /) -> Lock:
    """The lock in `path`; an empty one when the file does not exist yet."""
    path = Path(path)
    if not path.is_file():
        return Lock()

    def fail(line: int, message: str) -> NoteError:
        return NoteError(
            [
                Problem(
                    file=path,
                    line=line,
                    message=message,
                    fix="restore it from git (resolve a merge conflict by keeping both sides' "
                    "entries), or re-read every note and run `annotate refresh --all`",
                )
            ]
        )

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:  # UnicodeDecodeError is one too
        raise fail(
            getattr(error, "lineno", 1), f"the lock file is not valid JSON: {error}"
        ) from None
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        raise fail(1, f"the lock file is not in format {_FORMAT}")
    try:
        entries = {name: _entry(raw) for name, raw in data.get("notes", {}).items()}
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise fail(1, f"the lock file has a malformed entry ({error!r})") from None
    return Lock(entries=entries)


def _span(raw: dict[str, Any]) -> LockedSpan:
    return LockedSpan(
        start=int(raw["start"]),
        end=int(raw["end"]),
        code=str(raw["code"]),
        exact=str(raw["exact"]),
        text=tuple(str(line) for line in raw["text"]),
    )


def _entry(raw: dict[str, Any]) -> LockEntry:
    if raw["file"] not in SOURCE_FILES:
        # It names a file the guide reads, nothing else (`../../etc/passwd` included).
        raise ValueError(f"`file` is {raw['file']!r}, not one of {', '.join(SOURCE_FILES)}")
    return LockEntry(
        torch=str(raw["torch"]),
        commit=str(raw["commit"]),
        target=str(raw["target"]),
        file=str(raw["file"]),
        span=_span(raw),
        line_notes={str(k): _span(v) for k, v in raw.get("line_notes", {}).items()},
        original=_digest(raw.get("original", "")),
        overloads=tuple(str(line) for line in raw.get("overloads", [])),
    )


def _digest(value: object) -> str:
    if not isinstance(value, str) or (value and not re.fullmatch(r"[0-9a-f]{16}", value)):
        raise ValueError(f"`original` is {value!r}, not 16 hexadecimal digits")
    return value


def _span_data(span: LockedSpan) -> dict[str, Any]:
    return {
        "start": span.start,
        "end": span.end,
        "code": span.code,
        "exact": span.exact,
        "text": list(span.text),
    }


def dump_lock(lock: Lock, /) -> str:
    """The text of the lock file: the same lock always gives the same text."""
    notes = {
        name: {
            "torch": entry.torch,
            "commit": entry.commit,
            "target": entry.target,
            "file": entry.file,
            **_span_data(entry.span),
            "line_notes": {anchor: _span_data(s) for anchor, s in entry.line_notes.items()},
            **({"original": entry.original} if entry.original else {}),
            # Only where there are stubs: an entry without them reads the same in every version.
            **({"overloads": list(entry.overloads)} if entry.overloads else {}),
        }
        for name, entry in lock.entries.items()
    }
    data = {"format": _FORMAT, "notes": notes}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_lock(path: Path | str, lock: Lock, /) -> None:
    """Write `lock` to `path`, replacing the file whole."""
    path = Path(path)
    staging = path.with_name(path.name + ".new")
    staging.write_text(dump_lock(lock), encoding="utf-8")
    staging.replace(path)

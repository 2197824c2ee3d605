"""How an object changed from one release to the next, and what changed between two releases.

A change is classified by what it touches, each from its own reading of the code: the
signature (arguments, return annotation, decorators, bases, and the `@overload` stubs), the
code (the syntax tree without docstrings), the docstring, or only comments and formatting.
Renames are not guessed: a renamed object is one removed and one added.
"""

from __future__ import annotations

import ast
import difflib
import functools
import itertools
from dataclasses import dataclass
from enum import StrEnum

from annotate.history.record import Entry, Record, Release


class ChangeKind(StrEnum):
    """What a change touched; a change may touch several."""

    SIGNATURE = "signature"
    CODE = "code"
    DOCSTRING = "docstring"
    FORMAT = "format"
    """Comments or formatting only: nothing else changed."""


ORDER = tuple(ChangeKind)


@dataclass(frozen=True, kw_only=True)
class Change:
    """One release in which an object differs from the release before that has it."""

    release: str
    previous: str
    kinds: frozenset[ChangeKind]
    diff: str
    """Unified diff of the stubs and text, from `previous` to `release`."""

    @property
    def label(self) -> str:
        """`signature, code` in a fixed order."""
        return ", ".join(kind.value for kind in ORDER if kind in self.kinds)


@dataclass(frozen=True, kw_only=True)
class ObjectHistory:
    """An object across the recorded releases."""

    path: str
    added: str
    """The first recorded release that has it (the oldest recorded one, if it was always there)."""
    removed: str | None
    """The first release after `added` without it, if it is gone from the newest."""
    changes: tuple[Change, ...]
    first_recorded: str
    """The oldest release in the record: `added` equal to it means "there since then or before"."""

    @property
    def real_changes(self) -> tuple[Change, ...]:
        """Changes beyond comments and formatting."""
        return tuple(c for c in self.changes if c.kinds != {ChangeKind.FORMAT})


_WRAPPER = "if True:\n"
"""Put before an indented method so it parses as written (a docstring may be less indented)."""


def _parse(entry: Entry) -> ast.AST | None:
    text = entry.text
    if entry.kind == "class":
        # Without its methods a class may have no body left; the same filler on both sides.
        indent = text[: len(text) - len(text.lstrip())]
        text += f"\n{indent}    ..."
    indented = text[:1] in (" ", "\t")
    try:
        tree = ast.parse(_WRAPPER + text if indented else text)
    except SyntaxError:
        return None
    body = tree.body[0].body if indented and isinstance(tree.body[0], ast.If) else tree.body
    return body[0] if len(body) == 1 else None


def _docstring(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
        return ast.get_docstring(node, clean=True)
    return None


def _signature(node: ast.AST | None, entry: Entry) -> str:
    parts = [_stubs(entry)]
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        parts += [ast.dump(node.args), ast.dump(node.returns) if node.returns else ""]
        parts += [ast.dump(d) for d in node.decorator_list]
    elif isinstance(node, ast.ClassDef):
        parts += [ast.dump(b) for b in (*node.bases, *node.keywords, *node.decorator_list)]
    return "\n".join(parts)


def _stubs(entry: Entry) -> str:
    if not entry.overloads:
        return ""
    text = entry.overloads
    try:
        tree = ast.parse(_WRAPPER + text if text[:1] in (" ", "\t") else text)
    except SyntaxError:
        return entry.overloads
    return ast.dump(tree, include_attributes=False)


def _body(node: ast.AST | None, entry: Entry) -> str:
    if not isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
        return entry.text  # unparsable: compare it as written
    body = node.body[1:] if _docstring(node) is not None else node.body
    return "\n".join(ast.dump(stmt, include_attributes=False) for stmt in body)


@functools.lru_cache(maxsize=8192)
def _reading(kind: str, text: str, overloads: str) -> tuple[str, str, str | None]:
    """The signature, code and docstring of one text of an object: read once, however many
    release pairs (and notes) compare it."""
    entry = Entry(kind=kind, file="", lineno=1, text=text, overloads=overloads)
    node = _parse(entry)
    return _signature(node, entry), _body(node, entry), _docstring(node)


def classify(before: Entry, after: Entry) -> frozenset[ChangeKind]:
    """What changed from `before` to `after`; empty when nothing did."""
    if (before.text, before.overloads) == (after.text, after.overloads):
        return frozenset()
    old = _reading(before.kind, before.text, before.overloads)
    new = _reading(after.kind, after.text, after.overloads)
    read = (ChangeKind.SIGNATURE, ChangeKind.CODE, ChangeKind.DOCSTRING)
    kinds = {kind for kind, then, now in zip(read, old, new, strict=True) if then != now}
    return frozenset(kinds or {ChangeKind.FORMAT})


def _shown(entry: Entry) -> list[str]:
    return [*entry.overloads.splitlines(), *entry.text.splitlines()]


def diff(before: Entry, after: Entry, old: str, new: str) -> str:
    """Unified diff of an object between two releases."""
    lines = difflib.unified_diff(_shown(before), _shown(after), old, new, lineterm="", n=2)
    return "\n".join(lines)


def history(record: Record, path: str) -> ObjectHistory | None:
    """The history of canonical `path` across `record`, or `None` if no release has it."""
    held = [(r, r.objects[path]) for r in record.releases if path in r.objects]
    if not held:
        return None
    changes = []
    for (old_release, old), (release, new) in itertools.pairwise(held):
        kinds = classify(old, new)
        if kinds:
            changes.append(
                Change(
                    release=release.version,
                    previous=old_release.version,
                    kinds=kinds,
                    diff=diff(old, new, old_release.version, release.version),
                )
            )
    newest = record.releases[-1]
    removed = None
    if path not in newest.objects:
        after = record.releases.index(held[-1][0]) + 1
        removed = record.releases[after].version
    return ObjectHistory(
        path=path,
        added=held[0][0].version,
        removed=removed,
        changes=tuple(changes),
        first_recorded=record.releases[0].version,
    )


@dataclass(frozen=True, kw_only=True)
class ReleaseChange:
    """One object that differs between two releases."""

    path: str
    file: str
    lineno: int
    """Its line in the newer release (in the older one, if it was removed)."""
    status: str
    """`added`, `removed` or `changed`."""
    kinds: frozenset[ChangeKind]
    diff: str


def release_diff(old: Release, new: Release, *, everything: bool = False) -> list[ReleaseChange]:
    """Objects added, removed, or changed in code or signature from `old` to `new`, in file order.

    With `everything`, docstring and formatting changes are listed too.
    """
    out = []
    for path in {**old.objects, **new.objects}:
        before, after = old.objects.get(path), new.objects.get(path)
        if before is None or after is None:
            entry = after or before
            assert entry is not None
            empty = Entry(kind=entry.kind, file=entry.file, lineno=entry.lineno, text="")
            out.append(
                ReleaseChange(
                    path=path,
                    file=entry.file,
                    lineno=entry.lineno,
                    status="added" if before is None else "removed",
                    kinds=frozenset(),
                    diff=diff(before or empty, after or empty, old.version, new.version),
                )
            )
            continue
        kinds = classify(before, after)
        if kinds and (everything or kinds & {ChangeKind.CODE, ChangeKind.SIGNATURE}):
            out.append(
                ReleaseChange(
                    path=path,
                    file=after.file,
                    lineno=after.lineno,
                    status="changed",
                    kinds=kinds,
                    diff=diff(before, after, old.version, new.version),
                )
            )
    return sorted(out, key=lambda c: (c.file, c.lineno, c.path))

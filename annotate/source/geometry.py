"""Facts about the shape of the source: where a statement ends, its syntax, a header, a class's own
lines, docstrings.

Each is computed from the file's text once (`functools.cache` on the source) and asked for by
every stage that needs it.
"""

from __future__ import annotations

import ast
import copy
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotate.source.index import ObjectIndex, ObjectInfo


def statement_end(index: ObjectIndex, file: str, line: int) -> int:
    """Last line of the simple statement starting at `line` (the header of a compound one)."""
    return _ends_for("\n".join(index.lines[file])).get(line, line)


@cache
def _ends_for(source: str) -> dict[int, int]:
    ends: dict[int, int] = {}
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.stmt) or node.lineno in ends:
            continue
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            end = max(node.lineno, body[0].lineno - 1)
        else:
            end = node.end_lineno or node.lineno
        ends[node.lineno] = end
    return ends


_BODIES = ("body", "orelse", "handlers", "finalbody")


def statement_syntax(node: ast.stmt, /) -> str:
    """`node` as `ast.dump` without positions; a compound statement by its header alone.

    So two spellings of one statement (quotes, brackets, line breaks, trailing commas,
    comments) give the same text, and a header (`for k, v in items:`) leaves its body out.
    """
    header = copy.copy(node)
    for name in _BODIES:
        if isinstance(getattr(header, name, None), list):
            setattr(header, name, [])
    return ast.dump(header, include_attributes=False)


def statement_syntaxes(index: ObjectIndex, file: str) -> dict[int, str]:
    """The `statement_syntax` of every statement of `file`, by its first line."""
    return _syntaxes("\n".join(index.lines[file]))


@cache
def _syntaxes(source: str) -> dict[int, str]:
    found: dict[int, str] = {}
    # Breadth first: of two statements on one line (`if x: return y`), the outer one.
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.stmt) and node.lineno not in found:
            found[node.lineno] = statement_syntax(node)
    return found


def docstring_spans(index: ObjectIndex, file: str, *, min_lines: int = 4) -> list[tuple[int, int]]:
    """The lines of every docstring of `file` at least `min_lines` long (shorter ones stay open)."""
    return [
        span
        for span in _docstrings("\n".join(index.lines[file]))
        if span[1] - span[0] + 1 >= min_lines
    ]


@cache
def _docstrings(source: str) -> tuple[tuple[int, int], ...]:
    spans = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
                and first.end_lineno is not None
            ):
                spans.append((first.lineno, first.end_lineno))
    return tuple(sorted(spans))


def target_text(obj: ObjectInfo, index: ObjectIndex) -> list[str]:
    """The lines a note on `obj` is about: its whole span, or for a class, its own statements.

    A class leaves out its methods, their `@overload` stubs and nested classes (notes of their
    own explain them) and its blank lines, so a method added to a class, or a stub added to a
    method, leaves a note on the class itself fresh.
    """
    lines = index.lines[obj.file][obj.lineno - 1 : obj.endlineno]
    if obj.kind != "class":
        return lines
    inner = {
        n
        for member in index.objects.values()
        if member.kind in ("function", "class")
        and member.file == obj.file
        and member.path.startswith(obj.path + ".")
        for start, end in ((member.lineno, member.endlineno), *member.overloads)
        for n in range(start, end + 1)
    }
    return [
        line for n, line in enumerate(lines, start=obj.lineno) if n not in inner and line.strip()
    ]


def header_end(index: ObjectIndex, obj: ObjectInfo) -> int:
    """Last line of the `def` or `class` header of `obj` (its decorators before it)."""
    lines = index.lines[obj.file]
    for n in range(obj.lineno, obj.endlineno + 1):
        text = lines[n - 1].lstrip()
        if text.startswith(("def ", "async def ", "class ")) or (
            obj.kind == "attribute" and text.startswith(obj.name)
        ):
            return statement_end(index, obj.file, n)
    return obj.lineno

"""Fingerprints of a piece of source: one of its exact text, one of its code alone.

The code fingerprint of an object (a function, a class, an attribute) hashes its `ast` with
docstrings dropped and positions left out, so comments, docstrings and formatting do not
change it while any change to what the code does does. A line note's lines are often not a
whole statement (the header of an `if`, one line of a call), so their code fingerprint hashes
the tokens instead, with comments, line breaks and indentation dropped; a line note on a whole
statement is compared by its syntax (`statement_syntax_of`), so reflowing it changes nothing.
"""

from __future__ import annotations

import ast
import hashlib
import io
import tokenize
from typing import TYPE_CHECKING

from annotate.source.geometry import statement_syntax

if TYPE_CHECKING:
    from collections.abc import Sequence

_WRAPPER = "if True:\n"
"""Put before an indented span (a method) so it parses without dedenting it."""
_DOCSTRING_OWNERS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
_LAYOUT_TOKENS = frozenset(
    {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
    }
)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def exact_fingerprint(lines: Sequence[str], /) -> str:
    """Hash of the lines exactly as written."""
    return _digest("\n".join(lines))


def normalised_code(lines: Sequence[str], /) -> str:
    """The code of a whole object, docstrings, comments and formatting removed.

    Falls back to `normalised_tokens` when the lines are not whole statements.
    """
    text = "\n".join(lines)
    indented = bool(text) and text[0] in " \t"
    try:
        tree = ast.parse(_WRAPPER + text if indented else text)
    except SyntaxError:
        return normalised_tokens(lines)
    for node in ast.walk(tree):
        if isinstance(node, _DOCSTRING_OWNERS) and _has_docstring(node):
            node.body = node.body[1:]
    body = tree.body[0].body if indented else tree.body  # type: ignore[attr-defined]
    return "\n".join(ast.dump(stmt, include_attributes=False) for stmt in body)


def statement_syntax_of(lines: Sequence[str], /) -> str | None:
    """The `statement_syntax` of `lines` read as one statement, or as the header of a compound
    one (`for k, v in items:`, `elif x:`); `None` when they are neither (a piece of a statement).
    """
    text = "\n".join(lines).strip("\n")
    stripped = text.lstrip()
    indent = text[: len(text) - len(stripped)]
    if stripped.startswith("elif "):
        text = f"{indent}if {stripped[5:]}"
    for candidate in (text, f"{text}\n{indent}    pass"):
        try:
            tree = ast.parse(_WRAPPER + candidate if indent else candidate)
        except SyntaxError:
            continue
        body = tree.body[0].body if indent else tree.body  # type: ignore[attr-defined]
        if len(body) == 1:
            return statement_syntax(body[0])
        return None
    return None


def _has_docstring(
    node: ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef,
) -> bool:
    first = node.body[0] if node.body else None
    return (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )


def normalised_tokens(lines: Sequence[str], /) -> str:
    """The tokens of some lines of code, without comments, line breaks or indentation.

    String literals are compared by value, so `'a'` and `"a"` are the same.
    """
    text = "\n".join(line.strip() for line in lines) + "\n"
    tokens: list[str] = []
    reader = io.StringIO(text).readline
    try:
        for token in tokenize.generate_tokens(reader):
            if token.type in _LAYOUT_TOKENS:
                continue
            tokens.append(
                _string_value(token.string) if token.type == tokenize.STRING else token.string
            )
    except (tokenize.TokenError, SyntaxError):
        pass  # a fragment such as `call(` ends inside brackets: the tokens read so far are its code
    return " ".join(tokens)


def _string_value(literal: str) -> str:
    try:
        return repr(ast.literal_eval(literal))
    except (ValueError, SyntaxError):
        return literal  # an f-string has no literal value; keep its text


def code_fingerprint(lines: Sequence[str], /) -> str:
    """Hash of `normalised_code`: the same for two spans that differ only in comments, docstrings or layout."""
    return _digest(normalised_code(lines))


def line_fingerprint(lines: Sequence[str], /) -> str:
    """Hash of `normalised_tokens`: the same for two line spans that differ only in comments or layout."""
    return _digest(normalised_tokens(lines))

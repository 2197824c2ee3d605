"""Only what is checked is published: every file under `docs/` is a note, a page the navigation
names, or a problem; and a page the navigation names is judged as a note is.

MkDocs publishes every file it finds under `docs_dir`: a Markdown file in a mistyped folder
(`docs/note/`) would become a page nobody checked, an `.html` or `.svg` file would reach readers
as it is, and a link out of the repository would publish a file nobody reviewed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotate.errors import Problem
from annotate.notes.active import find_active_content
from annotate.notes.verdicts import Verdicts

ACTIVE_SUFFIXES = frozenset(
    {".html", ".htm", ".xhtml", ".shtml", ".svg", ".js", ".mjs", ".css", ".xml", ".php"}
)
"""Files a browser would run or render as they are: never taken from `docs/`."""


def unchecked_files(
    docs_dir: Path,
    *,
    pages: Iterable[str],
    notes_dir: Path,
    generated: Iterable[str] = (),
    languages: Iterable[str] = (),
    verdicts: Verdicts | None = None,
) -> list[Problem]:
    """A problem for each file under `docs_dir` that would be published without being checked,
    and for each piece of active content in the pages the navigation names.

    `pages` are the Markdown files the navigation names and `generated` the pages the guide
    writes itself, both relative to `docs_dir`; notes live under `notes_dir`. A page may have
    a translation beside it in each of `languages` (`index.zh.md`). `verdicts` keeps what each
    page's text was judged to hold, so that an unchanged page is not judged again.
    """
    generated = set(generated)
    named = set(pages) | generated
    named |= {f"{page.removesuffix('.md')}.{lang}.md" for page in set(named) for lang in languages}
    inside = docs_dir.resolve()
    notes = notes_dir.resolve()
    problems = []
    for path in sorted(docs_dir.rglob("*")):
        if not (path.is_file() or path.is_symlink()):
            continue
        rel = path.relative_to(docs_dir).as_posix()
        resolved = path.resolve()
        if not resolved.is_relative_to(inside):
            problems.append(
                Problem(
                    file=path,
                    line=1,
                    message=f"a link to {resolved}, outside {docs_dir}",
                    fix="put the file itself in the repository",
                )
            )
            continue
        if resolved.is_relative_to(notes):
            continue  # notes are read, and refused, by the notes reader
        if path.suffix.lower() in ACTIVE_SUFFIXES:
            problems.append(
                Problem(
                    file=path,
                    line=1,
                    message=f"a `{path.suffix}` file would be published as it is, unchecked",
                    fix="write the page in Markdown, or remove the file",
                )
            )
        elif path.suffix.lower() in (".md", ".markdown") and rel not in named:
            problems.append(
                Problem(
                    file=path,
                    line=1,
                    message="a page the navigation does not name",
                    fix=_fix(rel, notes_dir, docs_dir),
                )
            )
        elif rel in named and rel not in generated:
            problems += active_page_content(path, verdicts=verdicts)
    return problems


_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n.*?\n(?:\.{3}|-{3})[ \t]*\n", re.S)


def active_page_content(path: Path, /, *, verdicts: Verdicts | None = None) -> list[Problem]:
    """A problem for each piece of active content in the page `path` (a chapter, the home page).

    A page is judged as a note is, by the browser's reading of the HTML it turns into; it may
    run Python examples, which show their output as text.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return [Problem(file=path, line=1, message=f"cannot read the page: {error}")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Front matter is not Markdown: MkDocs reads it apart (its lines are kept, for the numbers).
    text = _FRONT_MATTER.sub(lambda match: "\n" * match[0].count("\n"), text, count=1)
    return [
        Problem(
            file=path,
            line=line,
            message=f"active content is not allowed in a page: {reason}",
            fix="remove it; plain Markdown, http(s) links, code blocks and Python examples "
            'with `result="text"` are fine',
        )
        for line, reason in _page_findings(text, verdicts)
    ]


def _page_findings(text: str, verdicts: Verdicts | None) -> list[tuple[int, str]]:
    """Where `text`, a page's Markdown, holds active content and what: as judged before, when
    `verdicts` kept a signed verdict for it, else judged now (and kept)."""

    def judge(text: str) -> list[list[int | str]]:
        return [[f.line, f.reason] for f in find_active_content(text, examples=True)]

    def valid(kept: Any) -> bool:
        return isinstance(kept, list) and all(
            isinstance(f, list) and len(f) == 2 and type(f[0]) is int and isinstance(f[1], str)
            for f in kept
        )

    found = judge(text) if verdicts is None else verdicts.judged("page", text, judge, valid=valid)
    return [(int(line), str(reason)) for line, reason in found]


def _fix(rel: str, notes_dir: Path, docs_dir: Path) -> str:
    folder = rel.split("/", 1)[0]
    notes = notes_dir.relative_to(docs_dir).as_posix() if notes_dir.is_relative_to(docs_dir) else ""
    if "/" in rel and notes and difflib.get_close_matches(folder, [notes], n=1, cutoff=0.6):
        return f"a note belongs in `{notes}/`: move it to `{notes}/{rel.split('/', 1)[1]}`"
    return "add it to `nav:` in mkdocs.yml, or remove it"

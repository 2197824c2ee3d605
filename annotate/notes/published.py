"""Only what is checked is published: every file under `docs/` is a note, a page the navigation
names, or a problem.

MkDocs publishes every file it finds under `docs_dir`: a Markdown file in a mistyped folder
(`docs/note/`) would become a page nobody checked, an `.html` or `.svg` file would reach readers
as it is, and a link out of the repository would publish a file nobody reviewed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from annotate.errors import Problem

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
) -> list[Problem]:
    """A problem for each file under `docs_dir` that would be published without being checked.

    `pages` are the Markdown files the navigation names and `generated` the pages the guide
    writes itself, both relative to `docs_dir`; notes live under `notes_dir`. A page may have
    a translation beside it in each of `languages` (`index.zh.md`).
    """
    named = set(pages) | set(generated)
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
    return problems


def _fix(rel: str, notes_dir: Path, docs_dir: Path) -> str:
    folder = rel.split("/", 1)[0]
    notes = notes_dir.relative_to(docs_dir).as_posix() if notes_dir.is_relative_to(docs_dir) else ""
    if "/" in rel and notes and difflib.get_close_matches(folder, [notes], n=1, cutoff=0.6):
        return f"a note belongs in `{notes}/`: move it to `{notes}/{rel.split('/', 1)[1]}`"
    return "add it to `nav:` in mkdocs.yml, or remove it"

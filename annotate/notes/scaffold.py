"""Start a note for an object, and list which objects have one."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from annotate.drift.lock import LOCK_NAME, object_entry, read_lock, write_lock
from annotate.errors import NoteError, ScaffoldError, did_you_mean
from annotate.notes.read import LANGUAGES, read_note
from annotate.notes.translations import STARTED_MARK
from annotate.source.geometry import statement_end

if TYPE_CHECKING:
    from annotate.source.index import ObjectIndex, ObjectInfo
    from annotate.source.snapshot import Snapshot


def note_path(obj: ObjectInfo, notes_dir: Path) -> Path:
    """Where the note on `obj` belongs: `<notes>/<file stem>/<short path>.md`."""
    return notes_dir / Path(obj.file).stem / f"{obj.short}.md"


def signature(obj: ObjectInfo, index: ObjectIndex) -> str:
    """The `def`/`class` header of `obj` as written, on one line."""
    lines = index.lines[obj.file]
    for number in range(obj.lineno, obj.endlineno + 1):
        if lines[number - 1].lstrip().startswith(("def ", "async def ", "class ")):
            end = statement_end(index, obj.file, number)
            header = " ".join(line.strip() for line in lines[number - 1 : end])
            return re.sub(r",?\s+\)", ")", re.sub(r"\(\s+", "(", header)).rstrip(":")
    return lines[obj.lineno - 1].strip()


def new_note(
    path: str,
    /,
    *,
    snapshot: Snapshot,
    index: ObjectIndex,
    notes_dir: Path,
    lock_file: Path | None = None,
    lang: str = "en",
) -> Path:
    """Write a note file for the object at `path` (short, public or canonical) and return it.

    Its lock entry records the object as it reads now (`lock_file`, default beside the notes),
    so that a change of torch between writing and merging is seen. In another language than
    English, the note starts as a copy of the English note to translate; it is recorded as
    following the English text once `annotate refresh` is run on it.
    """
    obj = index.get(path)
    if obj is None:
        close = index.candidates(path)
        hint = f"; {did_you_mean(close)}" if close else ""
        raise ScaffoldError(f"`{path}` is not an object of module.py or container.py{hint}")
    if obj.kind == "module":
        raise ScaffoldError(
            f"`{path}` is a whole module; notes explain a class, function or attribute of it"
        )
    if lang not in LANGUAGES:
        raise ScaffoldError(f"`{lang}` is not a language code; use one of {', '.join(LANGUAGES)}")
    existing = _note_on(obj, index, notes_dir, lang)
    if existing is not None:
        raise ScaffoldError(f"`{obj.short}` already has a note: {existing}; edit that one")
    english = _note_on(obj, index, notes_dir, "en") if lang != "en" else None
    if lang != "en" and english is None:
        raise ScaffoldError(
            f"`{obj.short}` has no English note to translate; start it with "
            f"`annotate new {obj.short}`"
        )
    target = note_path(obj, notes_dir)
    if english is not None:
        target = english.with_name(f"{english.name.removesuffix('.md')}.{lang}.md")
    if target.exists():
        raise ScaffoldError(f"{target} exists already; edit it instead")
    public = index.public_path(obj.path) or obj.path
    if english is not None:
        text = _translation_start(english, lang)
    else:
        text = (
            f"---\ntarget: {public}\n---\n"
            f"<!-- {signature(obj, index)}\n"
            f"     {obj.file}, lines {obj.lineno}-{obj.endlineno}, torch {snapshot.version}\n\n"
            "Write below, in your own words, what this does and why. To comment on one line, add\n"
            "a level-2 heading made of a piece of that line of code in backticks, then your text:\n\n"
            "    ## `a piece of the line, quoted exactly`\n\n"
            "Then run `annotate check` and preview with `mkdocs serve`. -->\n\n"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # never overwrite, even in a race
        handle.write(text)
    lock_path = lock_file or notes_dir / LOCK_NAME
    entry = object_entry(obj, snapshot=snapshot, index=index)
    name = target.relative_to(notes_dir).as_posix()
    write_lock(lock_path, read_lock(lock_path).replaced({name: entry}))
    return target


def _note_on(obj: ObjectInfo, index: ObjectIndex, notes_dir: Path, lang: str) -> Path | None:
    """A note file in `lang` already aimed at `obj`, read leniently: another note's mistakes are
    its own."""
    for file in sorted(notes_dir.rglob("*.md")) if notes_dir.is_dir() else ():
        try:
            note = read_note(file, notes_dir=notes_dir)
        except NoteError:
            continue
        if note.lang == lang and index.canonical(note.target) == obj.path:
            return file
    return None


def _translation_start(english: Path, lang: str) -> str:
    """The English note with the front matter of its translation, ready to translate in place."""
    lines = english.read_text(encoding="utf-8").split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    front = [line for line in lines[1:end] if not line.startswith(("lang:", "translates:"))]
    return "\n".join(
        [
            "---",
            *front,
            f"lang: {lang}",
            f"translates: {english.name}",
            "---",
            f"{STARTED_MARK} `{lang}`. Keep each line-note heading "
            "(## `code`) as it is; then run `annotate check` and `annotate refresh` on this file. -->",
            *lines[end + 1 :],
        ]
    )

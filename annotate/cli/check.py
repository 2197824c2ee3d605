"""`annotate check` and `annotate refresh`: how the notes stand against a torch, and re-locking them."""

from __future__ import annotations

import dataclasses
import difflib
from pathlib import Path
from typing import TYPE_CHECKING

from annotate.drift.diff import line_diff, target_diff
from annotate.drift.lock import LOCK_NAME, Lock, lock_entry, read_lock, write_lock
from annotate.drift.states import NoteState
from annotate.errors import AnnotateError, NoteError, Problem, did_you_mean
from annotate.guide import check_notes
from annotate.notes.attach import attach_notes
from annotate.notes.locate import LocatedNotes, locate_notes
from annotate.notes.read import read_note, read_notes
from annotate.notes.translations import (
    TranslationState,
    original_fingerprint,
    pair_translations,
)
from annotate.source.index import build_index
from annotate.source.snapshot import take_snapshot

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from annotate.notes.read import Note
    from annotate.source.index import ObjectIndex

_ANCHOR_WIDTH = 48
_SAME_TEXT = frozenset({NoteState.FRESH, NoteState.MOVED, NoteState.UNLOCKED})
"""States whose code reads as it was written for (or was never recorded): no diff to show."""


def _lock_path(args: argparse.Namespace) -> Path:
    return Path(args.lock) if args.lock else Path(args.notes) / LOCK_NAME


def _lock_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lock",
        metavar="FILE",
        help=f"the lock file (default: {LOCK_NAME} in the notes folder)",
    )


def add_check(
    sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Add `annotate check` to the subcommands `sub`."""
    parser = sub.add_parser("check", help=(cmd_check.__doc__ or "").splitlines()[0])
    common(parser)
    _lock_option(parser)
    parser.add_argument(
        "--strict",
        action="store_true",
        help="also fail when a note's code changed, or a note is not in the lock file yet",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="list every note and line note (by default only those that need a person)",
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="also print, for every note that is not fresh, the diff from the code it was "
        "written for to the code now",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="the site's configuration, whose pages (chapters, the home page, their "
        "translations) and other files under its docs folder are judged as the build judges "
        "them (default: mkdocs.yml, when the notes folder is in its project)",
    )
    parser.set_defaults(func=cmd_check)


def add_refresh(
    sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Add `annotate refresh` to the subcommands `sub`."""
    parser = sub.add_parser("refresh", help=(cmd_refresh.__doc__ or "").splitlines()[0])
    common(parser)
    _lock_option(parser)
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NOTE",
        help="notes you re-read, by name (`module/Module.to.md`) or path; a note whose file is "
        "gone has its entry dropped",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--all", action="store_true", help="every note (and drop entries of deleted notes)"
    )
    which.add_argument(
        "--new",
        action="store_true",
        help="only notes not in the lock file yet (new notes, new line notes); leaves the others alone",
    )
    which.add_argument(
        "--moved",
        action="store_true",
        help="only notes whose code moved, unchanged: nothing in them needs re-reading",
    )
    which.add_argument(
        "--cosmetic",
        action="store_true",
        help="only notes whose code changed in comments or formatting alone",
    )
    parser.set_defaults(func=cmd_refresh)


def _needs_action(state: NoteState) -> bool:
    return state.needs_person or state is NoteState.ORPHANED


def _table(report: LocatedNotes, *, everything: bool = True) -> list[str]:
    rows: list[tuple[str, str, str, str]] = []
    for drift in report.notes:
        if not everything and not (
            _needs_action(drift.target_state)
            or any(_needs_action(ln.state) for ln in drift.line_notes)
        ):
            continue
        obj = drift.obj
        where = f"{obj.short} L{obj.lineno}-{obj.endlineno}" if obj else "-"
        rows.append((drift.target_state, drift.note.name, where, drift.reason))
        for ln in drift.line_notes:
            anchor = ln.line_note.anchor
            if len(anchor) > _ANCHOR_WIDTH:
                anchor = anchor[: _ANCHOR_WIDTH - 3] + "..."
            lines = (
                "-"
                if ln.start is None
                else f"L{ln.start}" + (f"-{ln.end}" if ln.end != ln.start else "")
            )
            rows.append((ln.state, f"  `{anchor}`", lines, ln.reason))
    header = ("STATE", "NOTE / LINE NOTE", "WHERE NOW", "WHY")
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(3)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  "
        + row[3]
        for row in (header, *rows)
    ]


def _diffs(report: LocatedNotes, index: ObjectIndex, *, now: str) -> list[str]:
    """The diff of every note and line note whose code reads differently now, note by note."""
    out: list[str] = []
    for drift in report.notes:
        entry = drift.locked
        if entry is None:
            continue  # never locked: nothing to compare with
        parts = []
        if drift.target_state not in _SAME_TEXT:
            title = f"{drift.note.name} ({drift.target_state}: {drift.reason})"
            parts.append((title, target_diff(entry, drift.obj, index, now=now)))
        if drift.obj is not None:
            for ln in drift.line_notes:
                if ln.state in _SAME_TEXT or ln.locked is None:
                    continue
                diff = line_diff(
                    ln.locked,
                    drift.obj.file,
                    index,
                    start=ln.start,
                    end=ln.end,
                    written_for=entry.torch,
                    now=now,
                )
                title = f"{drift.note.name}, line note `{ln.line_note.anchor}` ({ln.state}: {ln.reason})"
                parts.append((title, diff))
        for title, diff in parts:
            out += ["", f"=== {title}", diff or "(no difference in the text)"]
    return out


def cmd_check(args: argparse.Namespace) -> int:
    """Print the state of every note and line note against torch; fail when anything is orphaned."""
    snapshot = take_snapshot(Path(args.cache) / "snapshot", torch_root=args.torch_root)
    index = build_index(snapshot)
    notes = read_notes(args.notes) if Path(args.notes).is_dir() else []
    check = check_notes(notes, index, read_lock(_lock_path(args)))
    report = check.located
    print(
        f"{len(notes)} notes in {args.notes} against torch {snapshot.version} "
        f"({snapshot.commit[:12] or 'commit unknown'}) from {snapshot.source}"
    )
    table = _table(report, everything=args.all)
    waiting = [t for t in check.translations if t.state is not TranslationState.CURRENT]
    if len(table) > 1:
        print("\n".join(line.rstrip() for line in table))
    elif not args.all and not waiting:
        print("nothing needs a person (`annotate check --all` lists every note)")
    if args.diff:
        print("\n".join(_diffs(report, index, now=snapshot.version)))
        print()
    problems = [*check.orphaned, *check.invalid, *_page_problems(args)]
    for name in report.stale:
        print(
            f"note: the lock file records `{name}`, which no longer exists; drop it with `annotate refresh {name}`"
        )
    for problem in problems:
        print(f"error: {problem}")
    for t in waiting:
        why = (
            "the English note changed since it was translated"
            if t.state is TranslationState.BEHIND
            else "not in the lock file yet"
        )
        print(f"translation {t.state}: {t.note.name} ({why}; English: {t.original.name})")
    counts = dict.fromkeys(NoteState, 0)
    for drift in report.notes:
        counts[drift.state] += 1
    print(", ".join(f"{n} {state}" for state, n in counts.items() if n) or "no notes")
    if check.translations:
        print(f"{len(check.translations)} translations, {len(waiting)} not current")
    needs_person = (
        sum(n for state, n in counts.items() if state.needs_person)
        + len(report.stale)
        + len(waiting)
    )
    if problems or (args.strict and needs_person):
        if needs_person:
            listed = " or ".join(state for state in NoteState if state.needs_person)
            print(
                f"re-read each note marked {listed}, then record it with `annotate refresh NOTE` "
                "(`annotate refresh --new` records every new note); bring each translation "
                "that is behind up to date with its English note, then `annotate refresh` it"
            )
        return 1
    return 0


def _page_problems(args: argparse.Namespace) -> list[Problem]:
    """The problems a build would find in the site's pages and files, named from here."""
    config = Path(args.config or "mkdocs.yml")
    if not args.config and not (
        config.is_file() and Path(args.notes).resolve().is_relative_to(config.resolve().parent)
    ):
        return []
    if not config.is_file():
        raise AnnotateError(f"there is no {config}; name the site's mkdocs.yml with --config")
    # Imported here: reading the configuration loads MkDocs and every plugin it names.
    from annotate.mkdocs_adapter.site_files import project_problems

    here = Path.cwd()
    return [
        dataclasses.replace(p, file=p.file.relative_to(here))
        if p.file.is_absolute() and p.file.is_relative_to(here)
        else p
        for p in project_problems(config)
    ]


def _note_name(arg: str, notes_dir: Path) -> str:
    path = Path(arg)
    if path.suffix == ".md" and path.exists():
        try:
            return path.resolve().relative_to(notes_dir.resolve()).as_posix()
        except ValueError:
            raise AnnotateError(f"{arg} is not in the notes folder {notes_dir}") from None
    if arg.startswith(notes_dir.as_posix() + "/"):
        return arg[len(notes_dir.as_posix()) + 1 :]
    return arg


def cmd_refresh(args: argparse.Namespace) -> int:
    """Record notes a person has re-read as written for the torch read now, and nothing else."""
    by_state = {
        NoteState.UNLOCKED: args.new,
        NoteState.MOVED: args.moved,
        NoteState.COSMETIC: args.cosmetic,
    }
    chosen_state = next((state for state, on in by_state.items() if on), None)
    if not (args.names or args.all or chosen_state):
        raise AnnotateError(
            "name the notes you re-read (`annotate refresh module/Module.to.md`), "
            "or pass --new, --moved, --cosmetic or --all"
        )
    if args.names and (args.all or chosen_state):
        raise AnnotateError("name notes, or pass --new, --moved, --cosmetic or --all, not both")
    notes_dir = Path(args.notes)
    lock_path = _lock_path(args)
    lock = Lock() if args.all else read_lock(lock_path)
    snapshot = take_snapshot(Path(args.cache) / "snapshot", torch_root=args.torch_root)
    index = build_index(snapshot)
    dropped: list[str] = []
    chosen: list[Note]
    if args.all or chosen_state:
        everything = read_notes(notes_dir) if notes_dir.is_dir() else []
        chosen = everything
        if chosen_state:
            states = locate_notes(everything, index, lock).states()
            chosen = [note for note in everything if states[note.name] == chosen_state]
    else:
        chosen = []
        known = sorted(p.relative_to(notes_dir).as_posix() for p in notes_dir.rglob("*.md"))
        for name in dict.fromkeys(_note_name(arg, notes_dir) for arg in args.names):
            file = notes_dir / name
            if file.is_file():
                chosen.append(read_note(file, notes_dir=notes_dir))
            elif name in lock.entries:
                dropped.append(name)
            else:
                close = difflib.get_close_matches(name, known, n=2, cutoff=0.5)
                fix = did_you_mean(
                    close, otherwise="name it as `annotate check` lists it", joiner=" or "
                )
                raise AnnotateError(f"there is no note `{name}` in {notes_dir}; {fix}")
    # Only notes that attach as they read now can be recorded: located as if never locked.
    attached, problems = attach_notes(locate_notes(chosen, index, Lock()).notes, index)
    if problems:
        raise NoteError(problems)
    originals = _originals([a.note for a in attached], notes_dir)
    entries = {
        a.note.name: dataclasses.replace(
            lock_entry(a, snapshot=snapshot, index=index), original=originals.get(a.note.name, "")
        )
        for a in attached
    }
    write_lock(lock_path, lock.replaced(entries, drop=dropped))
    for a in attached:
        count = len(a.line_notes)
        print(
            f"locked {a.note.name}: {a.obj.short} L{a.obj.lineno}-{a.obj.endlineno}, "
            f"{count} line note{'s' * (count != 1)}, torch {snapshot.version}"
            + (f", translating {a.note.translates} as it reads now" if a.note.translates else "")
        )
    for name in dropped:
        print(f"dropped {name}: its note file is gone")
    if not attached and not dropped:
        print("nothing to record: every note is already in the lock file")
    print(f"wrote {lock_path}")
    return 0


def _originals(chosen: list[Note], notes_dir: Path) -> dict[str, str]:
    """By translation in `chosen`, the fingerprint of its English note as it reads now."""
    translations = [note for note in chosen if note.lang != "en"]
    if not translations:
        return {}
    english = {note.name: note for note in chosen if note.lang == "en"}
    for note in translations:
        if note.translates not in english and (notes_dir / note.translates).is_file():
            english[note.translates] = read_note(notes_dir / note.translates, notes_dir=notes_dir)
    paired, problems = pair_translations([*english.values(), *translations], recorded={})
    if problems:
        raise NoteError(problems)
    return {t.note.name: original_fingerprint(t.original) for t in paired}

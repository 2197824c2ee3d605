"""The maintenance page: every note that is not fresh against the torch being read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotate.drift.states import NoteState

if TYPE_CHECKING:
    from collections.abc import Iterator

    from annotate.guide import Guide
    from annotate.notes.locate import LocatedNote
    from annotate.source.index import ObjectIndex


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _state(state: NoteState) -> str:
    return f'<span class="an-state" data-an-state="{state}">{state}</span>'


def _link(drift: LocatedNote, index: ObjectIndex) -> str:
    if drift.obj is None:
        return f"`{drift.note.target}`"
    # The shortest public spelling is the one chapters use, which autorefs makes primary.
    identifier = index.public_path(drift.obj.path) or drift.obj.path
    return f"[`{drift.obj.short}`][{identifier}]"


def _needs_work(state: NoteState) -> bool:
    return state.needs_person or not state.followed


def _rows(guide: Guide) -> Iterator[tuple[LocatedNote, str, NoteState, str]]:
    """(note, what it is about, state, why) for every note and line note that is not fresh."""
    for drift in guide.located.notes:
        link = _link(drift, guide.index)
        if drift.target_state != NoteState.FRESH:
            yield drift, link, drift.target_state, drift.reason
        for ln in drift.line_notes:
            if ln.state == NoteState.FRESH or (
                ln.state == drift.target_state and ln.state.quiet_on_lines
            ):
                continue
            yield drift, f"{link}, line note `{_cell(ln.line_note.anchor)}`", ln.state, ln.reason


def orphan_places(guide: Guide, /) -> list[str]:
    """Where each orphaned note or line note stands: `module/Module.mtia.md:2`."""
    return [
        f"{drift.note.name}:{problem.line}"
        for drift in guide.located.notes
        for problem in drift.problems()
    ]


def _orphans(guide: Guide) -> list[str]:
    """Every orphaned note and line note, by its note file and line, with why and the fix."""
    return [
        f"`{drift.note.name}:{problem.line}`: {problem.message}; {problem.fix}"
        for drift in guide.located.notes
        for problem in drift.problems()
    ]


def maintenance_page(guide: Guide, /, *, title: str = "Maintenance") -> str:
    """Markdown listing every note and line note that is not fresh, with its state and a link."""
    snapshot = guide.snapshot
    commit = f", commit `{snapshot.commit[:12]}`" if snapshot.commit else ""
    lines = [
        f"# {title}",
        "",
        f"Every note is checked against the torch this site was built from (torch "
        f"{snapshot.version}{commit}): its target and each quoted line are compared with the "
        "code the note was written for, recorded in `notes.lock.json` beside the notes. "
        "`annotate check` prints the same table.",
        "",
    ]
    drifts = guide.located.notes
    work: list[str] = []
    followed: list[str] = []
    for drift, where, state, reason in _rows(guide):
        row = f"| {where} | `{drift.note.name}` | {_state(state)} | {_cell(reason)} |"
        (work if _needs_work(state) else followed).append(row)
    orphans = _orphans(guide)
    if orphans:
        lines += [
            f'!!! danger "{len(orphans)} orphaned note(s) and line note(s) left out of this build"',
            "",
            f"    They were written for code that is not in torch {snapshot.version}, so this "
            "build (with the `annotate` option `orphans: list`) leaves them out; a build "
            "without it fails on them.",
            "",
            *(f"    - {item}" for item in orphans),
            "",
        ]
    if not work and not followed:
        lines += [
            '!!! success "Every note is fresh"',
            "",
            f"    All {len(drifts)} notes read the code they were written for.",
            "",
        ]
    header = ["| Note | File | State | Why |", "| --- | --- | --- | --- |"]
    fresh = sum(1 for d in drifts if d.state == NoteState.FRESH)
    if work:
        lines += [
            f"{fresh} of {len(drifts)} notes are fresh. These need a person:",
            "",
            *header,
            *work,
            "",
        ]
    elif followed:
        lines += [f"{fresh} of {len(drifts)} notes are fresh, and none needs a person.", ""]
    if followed:
        lines += [
            "## Followed without anyone's help {#followed}",
            "",
            "The code of these only moved, or changed in comments or formatting: each note is "
            "shown beside its code as before (`annotate refresh --moved` and `--cosmetic` "
            "record them against this torch).",
            "",
            *header,
            *followed,
            "",
        ]
    if work or followed:
        seen = {d.target_state for d in drifts} | {ln.state for d in drifts for ln in d.line_notes}
        lines += [f"- {_state(s)}: {s.meaning}" for s in NoteState if s in seen - {NoteState.FRESH}]
        lines.append("")
    stale = guide.located.stale
    if stale:
        lines += [
            "The lock file also records notes that no longer exist: "
            + ", ".join(f"`{name}`" for name in stale)
            + " (`annotate refresh NAME` drops an entry).",
            "",
        ]
    return "\n".join(lines)

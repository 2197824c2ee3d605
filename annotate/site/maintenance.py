"""The maintenance page: every note that is not fresh against the torch being read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotate.drift.states import NoteState
from annotate.notes.translations import TranslationState

if TYPE_CHECKING:
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
    rows = []
    for drift in drifts:
        if drift.target_state != NoteState.FRESH:
            rows.append(
                f"| {_link(drift, guide.index)} | `{drift.note.name}` | {_state(drift.target_state)} "
                f"| {_cell(drift.reason)} |"
            )
        rows.extend(
            f"| {_link(drift, guide.index)}, line note `{_cell(ln.line_note.anchor)}` | `{drift.note.name}` "
            f"| {_state(ln.state)} | {_cell(ln.reason)} |"
            for ln in drift.line_notes
            if ln.state != NoteState.FRESH
            and not (ln.state == drift.target_state and ln.state.quiet_on_lines)
        )
    if not rows:
        lines += [
            '!!! success "Every note is fresh"',
            "",
            f"    All {len(drifts)} notes read the code they were written for.",
            "",
        ]
    else:
        fresh = sum(1 for d in drifts if d.state == NoteState.FRESH)
        lines += [
            f"{fresh} of {len(drifts)} notes are fresh. These are not:",
            "",
            "| Note | File | State | Why |",
            "| --- | --- | --- | --- |",
            *rows,
            "",
        ]
        seen = {d.target_state for d in drifts} | {ln.state for d in drifts for ln in d.line_notes}
        lines += [f"- {_state(s)}: {s.meaning}" for s in NoteState if s in seen - {NoteState.FRESH}]
        lines.append("")
    lines += _translations(guide)
    stale = guide.located.stale
    if stale:
        lines += [
            "The lock file also records notes that no longer exist: "
            + ", ".join(f"`{name}`" for name in stale)
            + " (`annotate refresh NAME` drops an entry).",
            "",
        ]
    return "\n".join(lines)


def _translations(guide: Guide, /) -> list[str]:
    """The translations that are not current, and the notes that have none, per language."""
    waiting = [t for t in guide.translations.values() if t.state is not TranslationState.CURRENT]
    languages = sorted({t.note.lang for t in guide.translations.values()})
    lines = ["## Translations", ""]
    if not languages:
        return [*lines, "No note is translated yet.", ""]
    lines.append(
        f"{len(guide.translations)} translated notes in {', '.join(f'`{lang}`' for lang in languages)}."
    )
    lines.append("")
    if waiting:
        lines += [
            "| Translation | English note | State |",
            "| --- | --- | --- |",
            *(
                f"| `{t.note.name}` | `{t.original.name}` | "
                f'<span class="an-state" data-an-translation="{t.state}">{t.state}</span> |'
                for t in sorted(waiting, key=lambda t: t.note.name)
            ),
            "",
            "- behind: the English note changed since the translation was last brought up to "
            "date; update it, then `annotate refresh` it.",
            "- unrecorded: a new translation, not in the lock file yet (`annotate refresh --new`).",
            "",
        ]
    english = [n for n in guide.all_notes if n.note.lang == "en"]
    for lang in languages:
        done = {t.original.name for t in guide.translations.values() if t.note.lang == lang}
        missing = [n.note.name for n in english if n.note.name not in done]
        if missing:
            lines += [
                f"Not yet translated into `{lang}`, shown in English there: "
                + ", ".join(f"`{name}`" for name in missing),
                "",
            ]
    return lines

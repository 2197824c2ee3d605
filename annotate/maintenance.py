"""The maintenance page: every note that is not fresh against the torch being read."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotate.drift import NoteDrift
    from annotate.guide import Guide
    from annotate.index import ObjectIndex

MEANING = {
    "moved": "the same code at other lines; followed",
    "cosmetic": "only comments, docstrings or formatting changed; followed, and marked on the note",
    "unlocked": "not in the lock file yet; `annotate refresh NOTE` records what it was written for",
    "changed": "the code changed; the note is shown with a banner and the diff",
    "orphaned": "the target or the quoted line is gone; the note is not shown",
}
"""What each state that is not `fresh` means for a reader and a contributor."""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _state(state: str) -> str:
    return f'<span class="an-state" data-an-state="{state}">{state}</span>'


def _link(drift: NoteDrift, index: ObjectIndex) -> str:
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
    drifts = guide.drift.notes if guide.drift else ()
    rows = []
    for drift in drifts:
        if drift.target_state != "fresh":
            rows.append(
                f"| {_link(drift, guide.index)} | `{drift.note.name}` | {_state(drift.target_state)} "
                f"| {_cell(drift.reason)} |"
            )
        rows.extend(
            f"| {_link(drift, guide.index)}, line note `{_cell(ln.line_note.anchor)}` | `{drift.note.name}` "
            f"| {_state(ln.state)} | {_cell(ln.reason)} |"
            for ln in drift.line_notes
            if ln.state != "fresh"
            and not (ln.state == drift.target_state and ln.state in ("moved", "unlocked"))
        )
    if not rows:
        lines += [
            '!!! success "Every note is fresh"',
            "",
            f"    All {len(drifts)} notes read the code they were written for.",
            "",
        ]
    else:
        fresh = sum(1 for d in drifts if d.state == "fresh")
        lines += [
            f"{fresh} of {len(drifts)} notes are fresh. These are not:",
            "",
            "| Note | File | State | Why |",
            "| --- | --- | --- | --- |",
            *rows,
            "",
        ]
        seen = {d.target_state for d in drifts} | {ln.state for d in drifts for ln in d.line_notes}
        lines += [f"- {_state(s)}: {MEANING[s]}" for s in MEANING if s in seen]
        lines.append("")
    stale = guide.drift.stale if guide.drift else ()
    if stale:
        lines += [
            "The lock file also records notes that no longer exist: "
            + ", ".join(f"`{name}`" for name in stale)
            + " (`annotate refresh NAME` drops an entry).",
            "",
        ]
    return "\n".join(lines)

"""The maintenance page: every note that is not fresh against the torch being read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotate.drift.states import NoteState
from annotate.notes.translations import TranslationState
from annotate.site import labels
from annotate.site.drift_views import reason_text
from annotate.site.literal import code, with_code

if TYPE_CHECKING:
    from collections.abc import Iterator

    from annotate.guide import Guide
    from annotate.notes.locate import LocatedNote
    from annotate.source.index import ObjectIndex


def _state(state: NoteState, _: labels.Gettext) -> str:
    return f'<span class="an-state" data-an-state="{state}">{_(state)}</span>'


def _link(drift: LocatedNote, index: ObjectIndex) -> str:
    if drift.obj is None:
        return code(drift.note.target)
    # The shortest public spelling is the one chapters use, which autorefs makes primary.
    identifier = index.public_path(drift.obj.path) or drift.obj.path
    return f"[`{drift.obj.short}`][{identifier}]"


def _needs_work(state: NoteState) -> bool:
    return state.needs_person or not state.followed


def _rows(guide: Guide) -> Iterator[tuple[LocatedNote, str, NoteState, str]]:
    """(note, what it is about, state, why) for every note and line note that is not fresh."""
    _ = labels.gettext(guide.language)
    for drift in guide.located.notes:
        link = _link(drift, guide.index)
        if drift.target_state != NoteState.FRESH:
            yield drift, link, drift.target_state, drift.reason
        for ln in drift.line_notes:
            if ln.state == NoteState.FRESH or (
                ln.state == drift.target_state and ln.state.quiet_on_lines
            ):
                continue
            where = link + _(", line note %(anchor)s", anchor=code(ln.line_note.anchor))
            yield drift, where, ln.state, ln.reason


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
        f"{code(f'{drift.note.name}:{problem.line}')}: "
        f"{with_code(problem.message)}; {with_code(problem.fix)}"
        for drift in guide.located.notes
        for problem in drift.problems()
    ]


def maintenance_page(guide: Guide, /, *, title: str = "") -> str:
    """Markdown listing every note and line note that is not fresh, with its state and a link,
    in `guide.language`; `title` defaults to "Maintenance"."""
    _ = labels.gettext(guide.language)
    snapshot = guide.snapshot
    commit = _(", commit `%(commit)s`", commit=snapshot.commit[:12]) if snapshot.commit else ""
    lines = [
        f"# {title or _('Maintenance')}",
        "",
        _(
            "Every note is checked against the torch this site was built from (torch "
            "%(version)s%(commit)s): its target and each quoted line are compared with the "
            "code the note was written for, recorded in `notes.lock.json` beside the notes. "
            "`annotate check` prints the same table.",
            version=snapshot.version,
            commit=commit,
        ),
        "",
    ]
    drifts = guide.located.notes
    work: list[str] = []
    followed: list[str] = []
    for drift, where, state, reason in _rows(guide):
        why = with_code(reason_text(reason, guide.language))
        row = f"| {where} | {code(drift.note.name)} | {_state(state, _)} | {why} |"
        (work if _needs_work(state) else followed).append(row)
    orphans = _orphans(guide)
    if orphans:
        title_left_out = _(
            "%(count)s orphaned note(s) and line note(s) left out of this build", count=len(orphans)
        )
        lines += [
            f'!!! danger "{title_left_out}"',
            "",
            "    "
            + _(
                "They were written for code that is not in torch %(version)s, so this build (with "
                "the `annotate` option `orphans: list`) leaves them out; a build without it fails "
                "on them.",
                version=snapshot.version,
            ),
            "",
            *(f"    - {item}" for item in orphans),
            "",
        ]
    if not work and not followed:
        lines += [
            f'!!! success "{_("Every note is fresh")}"',
            "",
            "    "
            + _("All %(count)s notes read the code they were written for.", count=len(drifts)),
            "",
        ]
    header = [_("| Note | File | State | Why |"), "| --- | --- | --- | --- |"]
    fresh = sum(1 for d in drifts if d.state == NoteState.FRESH)
    if work:
        lines += [
            _(
                "%(fresh)s of %(count)s notes are fresh. These need a person:",
                fresh=fresh,
                count=len(drifts),
            ),
            "",
            *header,
            *work,
            "",
        ]
    elif followed:
        lines += [
            _(
                "%(fresh)s of %(count)s notes are fresh, and none needs a person.",
                fresh=fresh,
                count=len(drifts),
            ),
            "",
        ]
    if followed:
        lines += [
            "## " + _("Followed without anyone's help") + " {#followed}",
            "",
            _(
                "The code of these only moved, or changed in comments or formatting: each note is "
                "shown beside its code as before (`annotate refresh --moved` and `--cosmetic` "
                "record them against this torch)."
            ),
            "",
            *header,
            *followed,
            "",
        ]
    if work or followed:
        seen = {d.target_state for d in drifts} | {ln.state for d in drifts for ln in d.line_notes}
        lines += [
            f"- {_state(s, _)}: {_(s.meaning)}" for s in NoteState if s in seen - {NoteState.FRESH}
        ]
        lines.append("")
    lines += _translations(guide)
    stale = guide.located.stale
    if stale:
        lines += [
            _(
                "The lock file also records notes that no longer exist: %(names)s "
                "(`annotate refresh NAME` drops an entry).",
                names=", ".join(code(name) for name in stale),
            ),
            "",
        ]
    return "\n".join(lines)


def _translations(guide: Guide, /) -> list[str]:
    """The translations that are not current, and the notes that have none, per language."""
    _ = labels.gettext(guide.language)
    waiting = [t for t in guide.translations.values() if t.state is not TranslationState.CURRENT]
    languages = sorted({t.note.lang for t in guide.translations.values()})
    lines = [f"## {_('Translations')}", ""]
    if not languages:
        return [*lines, _("No note is translated yet."), ""]
    lines += [
        _("%(count)s translated notes in %(languages)s.")
        % {"count": len(guide.translations), "languages": ", ".join(f"`{x}`" for x in languages)},
        "",
    ]
    if waiting:
        lines += [
            _("| Translation | English note | State |"),
            "| --- | --- | --- |",
            *(
                f"| {code(t.note.name)} | {code(t.original.name)} | "
                f'<span class="an-state" data-an-translation="{t.state}">{_(t.state.value)}</span> |'
                for t in sorted(waiting, key=lambda t: t.note.name)
            ),
            "",
            "- "
            + _(
                "behind: the English note changed since the translation was last brought up to "
                "date; update it, then `annotate refresh` it."
            ),
            "- "
            + _(
                "unrecorded: a new translation, not in the lock file yet (`annotate refresh --new`)."
            ),
            "",
        ]
    english = [n for n in guide.all_notes if n.note.lang == "en"]
    for lang in languages:
        done = {t.original.name for t in guide.translations.values() if t.note.lang == lang}
        missing = [n.note.name for n in english if n.note.name not in done]
        if missing:
            lines += [
                _("Not yet translated into `%(language)s`, shown in English there:")
                % {"language": lang}
                + " "
                + ", ".join(code(name) for name in missing),
                "",
            ]
    return lines

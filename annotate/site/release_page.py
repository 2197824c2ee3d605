"""The page of what changed in the guide's torch against the release before it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from annotate.history.changes import release_diff
from annotate.history.record import version_key
from annotate.site import labels
from annotate.site.history_views import UPSTREAM, releases_up_to

if TYPE_CHECKING:
    from annotate.guide import Guide

RELEASES_PAGE = "releases.md"


def release_page(guide: Guide) -> str:
    """Markdown: every class and function whose code or signature changed, in file order, with
    its diff and a link to the guide's note on it; in `guide.language`."""
    _ = labels.gettext(guide.language)
    release = guide.snapshot.release
    record = releases_up_to(release)
    current = record.get(release)
    older = [r for r in record.releases if version_key(r.version) < version_key(release)]
    lines = [f"# {_('What changed in torch %(release)s', release=release)}\n"]
    if current is None or not older:
        lines.append(
            _(
                "The release record holds no release before torch %(release)s to compare with.",
                release=release,
            )
            + "\n"
        )
        return "\n".join(lines)
    previous = older[-1]
    changes = release_diff(previous, current)
    lines.append(
        _(
            "Against torch %(previous)s: every class and function of `module.py` and "
            "`container.py` whose code or signature changed, was added or removed, in file order "
            "(%(count)s in all). Docstring and formatting changes are left out; "
            "`annotate diff %(previous)s %(release)s --all` lists them too.",
            previous=previous.version,
            count=len(changes),
            release=release,
        )
        + "\n"
    )
    file = ""
    for change in changes:
        if change.file != file:
            file = change.file
            lines.append(f"## `{file}`\n")
        short = change.path.split(".", 4)[-1]
        statuses = {"added": _("added"), "removed": _("removed")}
        what = statuses.get(change.status) or _(", ").join(_(k) for k in sorted(change.kinds))
        lines.append(f"### `{short}` · {what}\n")
        links = [
            f"[{_('upstream at %(release)s', release=release)}]"
            f"({UPSTREAM.format(release=release, file=file, line=change.lineno)})"
        ]
        if guide.note_for(change.path) is not None:
            links.insert(0, f"[{_('its note in the guide')}][{change.path}]")
        lines.append(" · ".join(links) + "\n")
        # A fence longer than any run of backticks in the code, so the diff cannot close it.
        ticks = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", change.diff)), default=0))
        lines.append(f"{ticks}diff\n{change.diff}\n{ticks}\n")
    if not changes:
        lines.append(_("Nothing changed in code or signature.") + "\n")
    return "\n".join(lines)

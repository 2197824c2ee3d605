"""What a reader sees of an object's past: the release that added it and those that changed it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from annotate.history.changes import ORDER, ChangeKind, ObjectHistory, history
from annotate.history.record import RECORD, Record, read_record, version_key
from annotate.site import labels
from annotate.site.drift_views import diff_code

UPSTREAM = "https://github.com/pytorch/pytorch/blob/v{release}/{file}#L{line}"


@dataclass(frozen=True, kw_only=True)
class ChangeView:
    """One release that changed the object."""

    release: str
    label: str
    """What changed: `signature, code`, `docstring`."""
    upstream: str
    """The object upstream, at that release."""
    diff_code: str
    """The diff from the release before, highlighted."""


@dataclass(frozen=True, kw_only=True)
class HistoryView:
    """An object across the recorded releases up to the one the guide reads."""

    added: str
    since_first: bool
    """`added` is the oldest recorded release: it may be older still."""
    changes: tuple[ChangeView, ...]
    """Releases that changed more than comments and formatting, oldest first."""
    format_only: tuple[str, ...]
    """Releases that changed only comments or formatting."""


@cache
def releases_up_to(release: str) -> Record:
    """The record cut at `release`: a guide never shows changes from after its own torch."""
    record = read_record(RECORD)
    wanted = version_key(release)
    return Record(releases=[r for r in record.releases if version_key(r.version) <= wanted])


@lru_cache(maxsize=4096)
def history_view(path: str, release: str, /, *, language: str = "en") -> HistoryView | None:
    """The history of canonical `path` up to `release`, or `None` if no recorded release has it;
    what changed is said in `language`."""
    _ = labels.gettext(language)
    record = releases_up_to(release)
    found: ObjectHistory | None = history(record, path) if record.releases else None
    if found is None:
        return None
    changes = []
    for change in found.real_changes:
        entry = record.get(change.release)
        obj = entry.objects[path] if entry else None
        changes.append(
            ChangeView(
                release=change.release,
                label=_(", ").join(_(kind) for kind in ORDER if kind in change.kinds),
                upstream=UPSTREAM.format(
                    release=change.release,
                    file=obj.file if obj else "",
                    line=obj.lineno if obj else 1,
                ),
                diff_code=diff_code(change.diff),
            )
        )
    return HistoryView(
        added=found.added,
        since_first=found.added == found.first_recorded,
        changes=tuple(changes),
        format_only=tuple(c.release for c in found.changes if c.kinds == {ChangeKind.FORMAT}),
    )

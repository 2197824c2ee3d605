"""What the build tells: its log, and the library's problems turned into build failures."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from annotate.drift.states import NoteState
from annotate.errors import AnnotateError

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from annotate.errors import Problem
    from annotate.guide import Guide

log = logging.getLogger("mkdocs.plugins.annotate")


def _not_instant_warning(record: logging.LogRecord) -> bool:
    # mkdocs-static-i18n warns that instant navigation keeps a stale language switch;
    # `assets/language.js` finds the other language's page from the address instead.
    return "not compatible with theme.features = navigation.instant" not in record.getMessage()


def quiet_other_plugins() -> None:
    """Keep out of the log what other libraries say that this guide has answered."""
    # jieba, which Material's search uses to cut Chinese into words, reports its start-up at INFO.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    i18n = logging.getLogger("mkdocs.plugins.mkdocs_static_i18n.reconfigure")
    if _not_instant_warning not in i18n.filters:
        i18n.addFilter(_not_instant_warning)


def fail(what: str, problems: Sequence[Problem], /) -> None:
    """Fail the build with every problem, one a line, if there are any."""
    if problems:
        lines = "\n".join(f"  {problem}" for problem in problems)
        raise PluginError(f"annotate: {len(problems)} {what}:\n{lines}")


@contextlib.contextmanager
def library_errors() -> Iterator[None]:
    """Turn an error of the library into a build failure with its message, no traceback."""
    try:
        yield
    except AnnotateError as error:
        raise PluginError(f"annotate: {error}") from None


def guide_read(guide: Guide, /, *, orphans: Sequence[str] = ()) -> None:
    """Log what was read: which torch, how many notes, those not fresh, the orphans left out."""
    version, commit = guide.snapshot.version, guide.snapshot.commit[:12] or "commit unknown"
    log.info(
        "annotate: torch %s (%s), %d notes, %d translations",
        version,
        commit,
        len(guide.notes),
        len(guide.translations),
    )
    drifted = [f"{n}: {s}" for n, s in sorted(guide.states.items()) if s != NoteState.FRESH]
    if drifted:
        log.info(
            "annotate: %d note(s) not fresh (%s); `annotate check` tells why",
            len(drifted),
            ", ".join(drifted),
        )
    if orphans:
        log.info(
            "annotate: orphans: list, %d orphaned note(s) and line note(s) left out: %s",
            len(orphans),
            ", ".join(orphans),
        )


def build_done(summary: str, /) -> None:
    """Log how the examples were served, if there were any."""
    if summary:
        log.info("annotate: %s", summary)

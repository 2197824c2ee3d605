"""Under `mkdocs serve`, a rebuild that fails shows why on every page, instead of hanging them.

MkDocs' server holds every page request until a rebuild has passed: while a note is invalid,
the reader's browser waits with nothing to read, and the terminal shows a traceback. Here a
failed rebuild writes an error page, with what the build said (the file, the line and the fix),
over every page of the served site and counts as a rebuild, so the browser reloads to it; the
rebuild that passes again replaces it, and the browser reloads to the page.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import MkDocsException

from annotate.site.partials import render

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.annotate")


class _Collected(logging.Handler):
    """Every warning and error logged under `mkdocs` while it is attached."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def show_failed_rebuilds(
    server: LiveReloadServer, /, *, site_dir: Path | str, language: str = "en"
) -> LiveReloadServer:
    """`server`, whose failed rebuilds put an error page in `language` over `site_dir`."""
    builder = server.builder

    def build() -> None:
        collected = _Collected()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(collected)
        try:
            builder()
        except MkDocsException as error:  # a build error, told; anything else is a bug
            # MkDocs logs a build error's message, then raises `Abort`, which says only that.
            messages = collected.messages or [str(error)]
            write_error_pages(Path(site_dir), messages, language=language)
            log.error("annotate: the rebuild failed; every page shows why until a rebuild passes")
        finally:
            logger.removeHandler(collected)

    server.builder = build
    return server


def write_error_pages(site_dir: Path, messages: list[str], /, *, language: str = "en") -> None:
    """The error page, saying `messages`, in place of every page under `site_dir`."""
    page = render(
        "annotate_serve_error.html.jinja", language=language, lang=language, messages=messages
    )
    # The pages of the last build, and the ones a request for a missing page is answered with.
    paths = {*site_dir.rglob("*.html"), site_dir / "index.html", site_dir / "404.html"}
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")

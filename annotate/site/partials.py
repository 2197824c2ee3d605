"""The template tree outside mkdocstrings: whole-file pages render the same partials as chapters.

mkdocstrings renders chapters with its own Jinja environment over `templates/`; this one loads
the same folder, so a note's drift banner, its diff and its links come from one set of partials.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from annotate.drift.states import NoteState
from annotate.site import labels

TEMPLATES = Path(__file__).parent / "templates" / "python" / "material"
"""The partials, where mkdocstrings-python looks for its `material` templates."""


ENGLISH_PAGE = "annotate:english-page"
"""Where a template links to the English version of its page; the page's build fills it in."""


@cache
def environment(language: str = "en", /) -> jinja2.Environment:
    """The environment over `TEMPLATES` in `language`, with what the partials use."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    env.globals.update(NoteState=NoteState, annotate_english_page=ENGLISH_PAGE)
    labels.install(env, language)
    return env


def render(name: str, /, *, language: str = "en", **context: Any) -> str:
    """The template `name` rendered in `language` with `context`."""
    return environment(language).get_template(name).render(**context)

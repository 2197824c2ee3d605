"""The pages the guide generates: a whole-file page per source file, the coverage map, maintenance.

Each is data (`GeneratedPage`): its place in the site and its Markdown, which MkDocs renders
like any page. The large HTML of a whole-file page or of the map is not Markdown: the page
holds `CONTENT`, which `page_content` fills once the page is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from annotate.errors import Problem
from annotate.site import labels
from annotate.site.coverage import coverage_map, render_coverage
from annotate.site.file_page import render_file
from annotate.site.maintenance import maintenance_page
from annotate.site.release_page import RELEASES_PAGE, release_page
from annotate.source.snapshot import SOURCE_FILES

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Mapping

    from annotate.guide import Guide

CONTENT = "<!-- annotate:content -->"
"""Where a generated page's HTML goes, in its Markdown."""
COVERAGE_PAGE = "coverage.md"
"""The coverage map, by its place in the site."""
FILE_PAGES = {f"files/{Path(rel).stem}.md": rel for rel in SOURCE_FILES}
"""Whole-file pages, by their place in the site, to the source file each shows."""


@dataclass(frozen=True, kw_only=True)
class GeneratedPage:
    """One page the guide adds to the site."""

    uri: str
    """Its place in the site, e.g. `files/module.md`."""
    markdown: str
    """Its text, front matter included."""
    source_file: str = ""
    """For a whole-file page, the source file it shows (`torch/nn/modules/module.py`)."""


def generated_pages(
    guide: Guide,
    /,
    *,
    file_pages: bool = True,
    coverage: bool = True,
    maintenance: str = "",
    releases: bool = True,
) -> list[GeneratedPage]:
    """The pages to add: whole-file pages, the coverage map, and the maintenance page at
    `maintenance`, in `guide.language`."""
    _ = labels.gettext(guide.language)
    pages = [
        GeneratedPage(
            uri=uri,
            # In search by the headings of objects no chapter shows; its code and margin are not.
            markdown=f"# `{Path(relpath).name}`\n\n{CONTENT}\n",
            source_file=relpath,
        )
        for uri, relpath in (FILE_PAGES.items() if file_pages else ())
    ]
    if maintenance:
        pages.append(GeneratedPage(uri=maintenance, markdown=maintenance_page(guide)))
    if releases:
        pages.append(GeneratedPage(uri=RELEASES_PAGE, markdown=release_page(guide)))
    if coverage:
        title = _("Coverage map")
        intro = _(
            "Every class and function of the source files in file order, coloured by whether it "
            "has a note and whether that note still matches the code. An empty cell has no note "
            "yet: follow it to the code, then `annotate new` starts one (see CONTRIBUTING.md)."
        )
        pages.append(
            GeneratedPage(uri=COVERAGE_PAGE, markdown=f"# {title}\n\n{intro}\n\n{CONTENT}\n")
        )
    return pages


def page_content(
    page: GeneratedPage,
    guide: Guide,
    /,
    *,
    markdown: Callable[[str], str],
    page_urls: Mapping[str, str],
    shown: set[str],
    in_chapters: Collection[str] = (),
) -> str:
    """The HTML that replaces `CONTENT` on `page` (the empty string for a page without it).

    `markdown` turns note text into HTML; `page_urls` gives the other whole-file pages relative
    to this one; the names of the notes the page shows are added to `shown`; `in_chapters`
    names the objects chapters show (canonical paths), which search finds there.
    """
    if page.source_file:
        return render_file(
            guide,
            page.source_file,
            markdown=markdown,
            page_urls=page_urls,
            shown=shown,
            in_chapters=in_chapters,
        )
    if page.uri == COVERAGE_PAGE:
        # Autorefs resolves each cell to the chapter showing the object, else its whole-file line.
        return render_coverage(
            coverage_map(guide),
            link=lambda cell, inner: (
                f'<autoref identifier="{cell.identifier}" optional class="an-cov-link">'
                f"{inner}</autoref>"
            ),
            language=guide.language,
        )
    return ""


def unshown_notes(guide: Guide, shown: set[str], /) -> list[Problem]:
    """A problem for every note of `guide` that no page showed (its name is not in `shown`)."""
    return [
        Problem(
            file=n.note.file,
            line=n.note.target_line,
            message=f"the note on `{n.obj.short}` is on no page",
            fix=f"add `::: {n.obj.path}` to a chapter",
        )
        for n in guide.notes
        if n.note.name not in shown
    ]

"""Search over the whole-file pages, read with Material's own indexing parser: one entry per
class or function no chapter shows, by its name, at its line; no code and no margin."""

from __future__ import annotations

import pytest
from material.plugins.search.plugin import Parser

from annotate.site.file_page import render_file
from annotate.source.snapshot import SOURCE_FILES


def _sections(html: str) -> list[tuple[str | None, str, str]]:
    parser = Parser()
    parser.feed(html)
    parser.close()
    return [
        (s.id, "".join(s.title).strip(), "".join(s.text).strip())
        for s in parser.data
        if not s.is_excluded()
    ]


@pytest.mark.parametrize("relpath", SOURCE_FILES)
def test_every_object_no_chapter_shows_is_a_search_entry_of_its_own(guide, relpath):
    objects = [
        o
        for o in guide.index.objects.values()
        if o.file == relpath and o.kind in ("class", "function")
    ]
    in_chapters = {o.path for o in objects[::2]}
    html = render_file(guide, relpath, markdown=lambda text: text, in_chapters=in_chapters)
    sections = _sections(f'<h1 id="file">file</h1>{html}')
    # The page's own entry, with nothing of the listing in it.
    assert sections[0][1:] == ("file", "")
    entries = {id_: (title, text) for id_, title, text in sections[1:]}
    expected = {o.path: (f"<code>{o.short}</code>", "") for o in objects[1::2]}
    assert entries == expected


def test_a_heading_stands_before_the_first_line_of_its_object(guide):
    relpath = SOURCE_FILES[0]
    html = render_file(guide, relpath, markdown=lambda text: text)
    for obj in (guide.index.objects[p] for p in ("torch.nn.modules.module.Module.state_dict",)):
        head = html.index(f'id="{obj.path}"')
        assert html[:head].rsplit("<", 1)[1].startswith("h3 "), html[head - 40 : head]
        assert html.index(f'id="L{obj.lineno}"') > head
        assert html.index(f'id="L{obj.lineno - 1}"') < head

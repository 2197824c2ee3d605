"""Chapters and whole-file pages show notes, line notes, links and drift through the same partials."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from annotate.site.links import CallLink, LinksView
from annotate.site.partials import TEMPLATES, render
from tests.htmltree import parse

# The mark of each concept in the HTML, and the one partial allowed to write it.
_ONE_PARTIAL = {
    'class="an-line-note"': "annotate_line_note.html.jinja",
    "data-an-note=": "annotate_note.html.jinja",
    'class="an-calls"': "annotate_calls.html.jinja",
    'class="admonition warning an-drift"': "annotate_drift.html.jinja",
    'optional class="an-local"': "annotate_where.html.jinja",
    "an-drift-diff": "annotate_diff.html.jinja",
    'class="an-ran-legend"': "annotate_ran_legend.html.jinja",
}


def test_each_concept_is_written_by_one_partial():
    sources = {p.name: p.read_text(encoding="utf-8") for p in TEMPLATES.glob("*.jinja")}
    for mark, home in _ONE_PARTIAL.items():
        writers = sorted(name for name, text in sources.items() if mark in text)
        assert writers == [home], mark
    # The whole-file page has no partials of its own: it includes the chapters' ones.
    included = re.findall(r'include "([^"]+)"', sources["annotate_file.html.jinja"])
    assert included == [
        "annotate_ran_legend.html.jinja",
        "annotate_links.html.jinja",
        "annotate_note.html.jinja",
        "annotate_line_note.html.jinja",
    ]
    assert not [name for name in sources if name.startswith("annotate_file_")]


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    upstream: str
    local: str = "torch/nn/modules/module.py:L10"
    drift: None = None


def _line_note(**context):
    html = render(
        "annotate_line_note.html.jinja",
        seg=_Piece(start=10, end=12, upstream="https://up/L10-L12"),
        note_name="module/Module.to.md",
        tag="v2.13.0",
        body=Markup("<p>why</p>"),  # the note as HTML, as each page converts it
        **context,
    )
    (aside,) = parse(html).find_all("aside", cls="an-line-note")
    return aside


def test_a_line_note_links_its_lines_on_the_file_page_from_either_page():
    chapter = _line_note(release="2.13.0")
    margin = _line_note(whole_file=True, release=None)
    for aside in (chapter, margin):
        assert aside.attrs["data-an-lines"] == "10-12"
        assert aside.attrs["data-an-note-of"] == "module/Module.to.md"
        assert [t.all_text() for t in aside.find_all("span", cls="an-tag")] == ["v2.13.0"]
        (upstream,) = aside.find_all("a", cls="an-upstream")
        assert upstream.attrs["href"] == "https://up/L10-L12"
        assert [p.all_text() for p in aside.find_all("p")] == ["why"]
    # In a chapter, autorefs finds the lines on the file page; on it, the link stays there.
    (ref,) = chapter.find_all("autoref", cls="an-line-ref")
    assert ref.attrs["identifier"] == "torch/nn/modules/module.py:L10"
    assert ref.all_text() == "L10–12"
    (local,) = margin.find_all("a", cls="an-line-ref")
    assert (local.attrs["href"], local.all_text()) == ("#L10", "L10–12")
    # Search finds a line note in its chapter, not again in the file's margin.
    assert "data-search-exclude" in margin.attrs and "data-search-exclude" not in chapter.attrs
    assert "title" in chapter.find_all("a", cls="an-upstream")[0].attrs


def test_calls_link_through_autorefs_in_chapters_and_within_the_file_pages_on_them():
    links = LinksView(
        tag="v2.13.0",
        docs=None,
        calls=(CallLink(path="m.Module._apply", short="Module._apply"),),
        called_by=(),
        seen_calls=(CallLink(path="m.Module.cuda", short="Module.cuda"),),
    )
    chapter = parse(render("annotate_calls.html.jinja", links=links))
    margin = parse(
        render(
            "annotate_calls.html.jinja",
            links=links,
            whole_file=True,
            href=lambda path: f"#{path}" if path.endswith("_apply") else None,
        )
    )
    for tree in (chapter, margin):
        assert [dt.all_text() for dt in tree.find_all("dt")] == [
            "Calls",
            "Called by",
            "Calls, seen at run time",
        ]
        assert [s.all_text() for s in tree.find_all("span", cls="an-none")] == [
            "none found by reading the code"
        ]
    assert [a.attrs["identifier"] for a in chapter.find_all("autoref")] == [
        "m.Module._apply",
        "m.Module.cuda",
    ]
    assert not margin.find_all("autoref")
    assert [a.attrs["href"] for a in margin.find_all("a")] == ["#m.Module._apply"]
    # A name with no page to go to is shown unlinked.
    assert [c.all_text() for c in margin.find_all("code")] == ["Module._apply", "Module.cuda"]

"""The coverage map's data and HTML, from the repository's notes on the installed torch."""

from __future__ import annotations

import dataclasses
import re
from html import escape

import pytest

from annotate.site.coverage import LEGEND, coverage_map, render_coverage


def test_every_class_and_function_is_a_cell_in_file_order(guide):
    cmap = coverage_map(guide)
    for file in cmap.files:
        expected = [
            obj.path
            for obj in guide.index.objects.values()
            if obj.file == file.file and obj.kind in ("class", "function")
        ]
        assert [cell.path for cell in file.cells] == expected
        assert [cell.lineno for cell in file.cells] == sorted(cell.lineno for cell in file.cells)
    assert [f.file for f in cmap.files] == [
        "torch/nn/modules/module.py",
        "torch/nn/modules/container.py",
    ]
    assert cmap.total == sum(f.total for f in cmap.files) > 150


def test_noted_objects_are_fresh_unless_their_state_says_otherwise(guide):
    noted = {n.obj.path: n.note.name for n in guide.notes}
    cmap = coverage_map(guide)
    cells = {cell.path: cell for f in cmap.files for cell in f.cells}
    assert cmap.annotated == len(noted)
    for path, cell in cells.items():
        assert cell.note == noted.get(path)
        assert cell.state == ("fresh" if path in noted else "none")
    to = cells["torch.nn.modules.module.Module.to"]
    assert to.identifier == "torch.nn.Module.to"
    assert to.line_notes == len(
        next(n for n in guide.notes if n.obj.short == "Module.to").line_notes
    )

    name = noted["torch.nn.modules.module.Module.to"]
    stale = dataclasses.replace(
        guide, states={name: "changed", "module/Gone.md": "orphaned", "other.md": "fresh"}
    )
    cmap = coverage_map(stale)
    cells = {cell.path: cell for f in cmap.files for cell in f.cells}
    assert cells["torch.nn.modules.module.Module.to"].state == "changed"
    assert cmap.orphans == ("module/Gone.md",)
    counts = cmap.counts()
    assert counts["changed"] == 1
    assert counts["orphaned"] == 1
    assert counts["fresh"] == len(noted) - 1
    assert sum(counts.values()) == cmap.total + 1


def test_an_unknown_state_is_refused(guide):
    name = guide.notes[0].note.name
    with pytest.raises(ValueError, match="unknown note state 'stale'"):
        coverage_map(dataclasses.replace(guide, states={name: "stale"}))


def test_html_has_one_linked_cell_per_object_a_legend_and_the_figure(guide):
    cmap = coverage_map(guide)
    html = render_coverage(cmap, link=lambda cell, inner: f'<a href="#{cell.path}">{inner}</a>')
    paths = re.findall(r'<a href="#([^"]+)"><span class="an-cov-cell[^"]*" data-an-path="\1"', html)
    assert paths == [cell.path for f in cmap.files for cell in f.cells]
    assert f"<strong>{cmap.annotated} / {cmap.total}</strong>" in html
    for label in LEGEND.values():
        assert escape(label) in html
    assert html.count('class="an-cov-group"') >= 10

"""Each line anchor is searched once, when the notes are located; pages reuse where it was found."""

from __future__ import annotations

from collections import Counter

from annotate.guide import load_guide
from annotate.notes import locate
from annotate.site.file_page import render_file
from annotate.site.views import ObjectViews
from annotate.source.snapshot import SOURCE_FILES
from tests.conftest import NOTES


def test_each_line_anchor_is_searched_once_from_the_notes_to_every_page(tmp_path, monkeypatch):
    searched: Counter[tuple[str, str]] = Counter()
    search = locate.anchor_lines

    def counted(anchor, obj, index):
        searched[anchor, obj.path] += 1
        return search(anchor, obj, index)

    monkeypatch.setattr(locate, "anchor_lines", counted)
    guide = load_guide(NOTES, snapshot_dir=tmp_path / "snapshot")
    # Every line note of a note whose target was found, once (a translation has its own).
    expected = Counter(
        (ln.line_note.anchor, n.obj.path)
        for n in guide.located.notes
        if n.obj is not None
        for ln in n.line_notes
    )
    assert sum(expected.values()) >= 40  # the guide's line notes, in both languages
    assert searched == expected
    # What the pages show, in each language: chapters' views and the whole-file pages.
    for language in ("en", "zh"):
        shown = guide.in_language(language)
        views = ObjectViews(shown)
        assert sum(1 for path in shown.index.objects if views(path) is not None) > 100
        for relpath in SOURCE_FILES:
            assert 'class="an-line-note"' in render_file(shown, relpath, markdown=str)
    assert searched == expected, "a page searched for a line anchor again"

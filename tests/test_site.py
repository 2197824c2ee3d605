"""Full strict builds: what only a build shows."""

from __future__ import annotations

import re

from tests.chapters import page_of
from tests.conftest import copy_project, failed_build, write_note
from tests.htmltree import parse


def page(site, path):
    return parse((site / path / "index.html").read_text(encoding="utf-8"))


def object_block(tree, path):
    """The mkdocstrings block rendered for the object whose heading id is `path`."""
    for doc in tree.find_all("div", cls="doc-object"):
        if any(h.attrs.get("id") == path for h in doc.find_all() if h.tag.startswith("h")):
            return doc
    raise AssertionError(f"{path} is not rendered")


def test_every_note_stands_at_its_function_with_line_notes_beside_their_lines(site, guide):
    for attached in guide.notes:
        where = page_of(attached.obj.path, canonical=guide.index.canonical)
        assert where is not None, f"{attached.obj.short} is embedded on no chapter"
        chapter, identifier = where
        block = object_block(page(site, chapter), identifier)
        (body,) = block.find_all(data_an_note=attached.note.name)
        first_words = " ".join(attached.note.body.split()[:4]).replace("`", "")
        assert first_words in " ".join(body.all_text().split())
        rows = block.find_all("div", cls="an-annotated")
        assert len(rows) == len(attached.line_notes)
        for row, line_note in zip(rows, attached.line_notes, strict=True):
            (aside,) = row.find_all("aside")
            assert aside.attrs["data-an-lines"] == f"{line_note.start}-{line_note.end}"
            ids = [n.attrs["id"] for n in row.find_all("span", cls="an-line")]
            assert ids[0] == f"{attached.obj.path}--L{line_note.start}"
            assert ids[-1] == f"{attached.obj.path}--L{line_note.end}"
            code = " ".join(
                "".join(n.all_text() for n in row.find_all("pre", cls="an-listing")).split()
            )
            assert " ".join(line_note.note.anchor.split()) in code
            words = " ".join(line_note.note.body.split()[:3]).replace("`", "")
            assert words in " ".join(aside.all_text().split())


def test_whole_file_pages_show_every_note_and_anchor_every_line(site, guide, index):
    for rel, slug in (
        ("torch/nn/modules/module.py", "module"),
        ("torch/nn/modules/container.py", "container"),
    ):
        tree = page(site, f"files/{slug}")
        lines = tree.find_all("span", cls="an-line")
        assert [n.attrs["id"] for n in lines] == [
            f"L{i}" for i in range(1, len(index.lines[rel]) + 1)
        ]
        shown = {
            n.attrs["data-an-note"] for n in tree.find_all("aside") if "data-an-note" in n.attrs
        }
        assert shown == {n.note.name for n in guide.notes if n.obj.file == rel}


def test_upstream_links_pin_the_commit_and_the_span(site, snapshot, index):
    html = (site / "chapters/to-and-apply/index.html").read_text()
    to = index.get("Module.to")
    url = (
        f"https://github.com/pytorch/pytorch/blob/{snapshot.commit}/torch/nn/modules/module.py"
        f"#L{to.lineno}-L{to.endlineno}"
    )
    assert f'href="{url}"' in html


def test_a_bad_note_fails_the_build_with_the_file_line_and_candidates(tmp_path):
    config = copy_project(tmp_path / "project")
    bad = write_note(
        tmp_path / "project/docs/notes", "bad.md", "---\ntarget: Module.statedict\n---\nx\n"
    )
    err = failed_build(config, tmp_path / "site")
    assert f"{bad}:2: target `Module.statedict` is not an object" in err
    assert "did you mean `Module.state_dict`" in err
    assert "Traceback" not in err


def test_a_note_on_no_page_fails_the_build(tmp_path):
    config = copy_project(tmp_path / "project")
    # Drop the whole-file pages and the chapter that shows `to`: its note would be lost.
    text = config.read_text()
    text = re.sub(r"  - Source files:\n(      - .*\n)+", "", text)
    text = text.replace("      - chapters/to-and-apply.md\n", "")
    config.write_text(text.replace("  - annotate:\n", "  - annotate:\n      file_pages: false\n"))
    (tmp_path / "project/docs/chapters/to-and-apply.md").unlink()
    err = failed_build(config, tmp_path / "site", full=True)
    assert "the note on `Module.to` is on no page" in err


def test_docstrings_fold_in_the_source_and_keep_their_line_anchors(site, index):
    import ast

    to = index.get("Module.to")
    tree = ast.parse("\n".join(index.lines[to.file]))
    (func,) = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef) and n.name == "to" and n.lineno == to.lineno
    ]
    first, last = func.body[0].lineno, func.body[0].end_lineno
    block = object_block(page(site, "chapters/to-and-apply"), "torch.nn.Module.to")
    (fold,) = block.find_all("details", cls="an-fold")
    ids = [n.attrs["id"] for n in fold.find_all("span", cls="an-line")]
    assert ids == [f"{to.path}--L{n}" for n in range(first, last + 1)]
    assert f"lines {first}–{last}" in fold.find_all("summary")[0].all_text()
    # Code and notes stay open: no line note sits inside a fold.
    assert not fold.find_all("aside")

"""Bounded input: notes that are huge, nested, aliased, duplicated, misnamed or linked out are refused cleanly."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from annotate.errors import NoteError
from annotate.notes.read import MAX_NESTING, MAX_NOTE_BYTES, collect_notes, read_note
from tests.conftest import write_note

HEAD = "---\ntarget: torch.nn.Module.to\n---\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (HEAD + "x" * (MAX_NOTE_BYTES + 1), 1, "more than 100 kB"),
        (HEAD + "Some\x00text.\n", 4, "control character U+0000"),
        (HEAD + "Bell\x07.\n", 4, "control character U+0007"),
        (HEAD + "Text.\n\n" + "- " * (MAX_NESTING + 1) + "deep\n", 6, "nested more than"),
        (HEAD + "Text.\n\n" + ">" * 5000 + " deep\n", 6, "nested more than"),
        ("---\ntarget: &t torch.nn.Module.to\ntitle: *t\n---\nText.\n", 2, "anchors and aliases"),
        (
            "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\ntarget: torch.nn.Module.to\n---\nText.\n",
            2,
            "anchors and aliases",
        ),
        (
            "---\ntarget: torch.nn.Module.to\ntarget: torch.nn.Module.cuda\n---\nText.\n",
            3,
            "given twice",
        ),
    ],
)
def test_bad_input_is_refused_at_its_line(tmp_path, text, line, message):
    path = write_note(tmp_path, "note.md", text)
    with pytest.raises(NoteError) as caught:
        read_note(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.file) == (line, path) and message in problem.message, problem


@pytest.mark.parametrize(
    "name", ["Module.to.markdown", "Module.to.MD", "Module.to.md.txt", "Module.to"]
)
def test_a_note_under_another_name_is_an_error_naming_the_right_one(tmp_path, name):
    write_note(tmp_path, f"module/{name}", HEAD + "Text.\n")
    write_note(tmp_path, "notes.lock.json", "{}")
    notes, problems = collect_notes(tmp_path)
    assert notes == []
    (problem,) = problems
    assert (
        problem.file.name == name and problem.fix == "rename it `Module.md`"
    ) or "Module" in problem.fix


def test_a_link_to_a_file_outside_the_notes_is_refused(tmp_path):
    secret = write_note(tmp_path, "outside/secret.md", HEAD + "Not reviewed.\n")
    (tmp_path / "notes").mkdir()
    os.symlink(secret, tmp_path / "notes/Module.to.md")
    inside = write_note(
        tmp_path, "notes/real/Module.cuda.md", HEAD.replace(".to", ".cuda") + "Text.\n"
    )
    os.symlink(inside, tmp_path / "notes/Module.cuda.md")
    notes, problems = collect_notes(tmp_path / "notes")
    (problem,) = problems
    assert problem.file.name == "Module.to.md" and "outside" in problem.message
    assert sorted(n.name for n in notes) == ["Module.cuda.md", "real/Module.cuda.md"]


def test_the_command_line_reports_a_deep_note_without_a_traceback(tmp_path):
    write_note(tmp_path, "docs/notes/module/Module.to.md", HEAD + "Text.\n\n" + "> " * 3000 + "x\n")
    run = subprocess.run(
        [sys.executable, "-m", "annotate", "check", "--notes", "docs/notes"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (
        run.returncode == 1 and "Traceback" not in run.stderr and "nested more than" in run.stderr
    )


def test_a_lock_entry_naming_another_file_is_a_damaged_lock(tmp_path):
    import json

    from annotate.drift.lock import read_lock
    from tests.conftest import NOTES

    data = json.loads((NOTES / "notes.lock.json").read_text(encoding="utf-8"))
    name = next(iter(data["notes"]))
    data["notes"][name]["file"] = "../../../../etc/passwd"
    (tmp_path / "notes.lock.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(NoteError) as caught:
        read_lock(tmp_path / "notes.lock.json")
    assert "etc/passwd" in caught.value.problems[0].message


@pytest.mark.parametrize(
    ("body", "line", "identifier"),
    [
        ("Text.\n\nSee [to][torch.nn.Module.too].\n", 6, "torch.nn.Module.too"),
        ("Text.\n\nSee [Module.nope][].\n", 6, "Module.nope"),
        (
            "Text.\n\nSee [a title\nover two lines][torch.nn.Module.gone].\n",
            7,
            "torch.nn.Module.gone",
        ),
        ("Text.\n\n## `return self._apply(convert)`\n\nSee [x][Module.cpuu].\n", 8, "Module.cpuu"),
    ],
)
def test_check_finds_every_broken_reference_of_a_note_at_its_line(
    tmp_path, index, body, line, identifier
):
    from annotate.notes.references import broken_references

    note = read_note(write_note(tmp_path, "note.md", HEAD + body))
    (problem,) = broken_references(note, index)
    assert problem.line == line and f"`{identifier}`" in problem.message
    assert "did you mean" in problem.fix


def test_references_that_resolve_or_sit_in_code_are_fine(tmp_path, index):
    from annotate.notes.references import broken_references

    body = "See [to][torch.nn.Module.to], [Module.cuda][], `[x][torch.nn.Module.nope]`.\n"
    assert broken_references(read_note(write_note(tmp_path, "note.md", HEAD + body)), index) == []


def test_reading_the_notes_again_gives_what_reading_them_anew_gives(tmp_path):
    """`mkdocs serve` reads the folder after every edit: unchanged files are not judged again,
    and a changed one is, whatever it became."""
    import annotate.notes.read as read

    good = "---\ntarget: torch.nn.Module.to\n---\nMoves it.\n"
    write_note(tmp_path, "module/Module.to.md", good)
    write_note(tmp_path, "module/Module.cuda.md", good.replace(".to", ".cuda"))
    first, problems = collect_notes(tmp_path)
    assert problems == []
    judged = []
    original = read.read_note
    try:
        read.read_note = lambda *a, **k: judged.append(a[0].name) or original(*a, **k)
        again, problems = collect_notes(tmp_path)
        assert (again, problems, judged) == (first, [], [])
        write_note(tmp_path, "module/Module.to.md", good.replace("Moves it.", "<b onclick=x>y</b>"))
        edited, problems = collect_notes(tmp_path)
    finally:
        read.read_note = original
    assert judged == ["Module.to.md"]
    assert [p.file.name for p in problems] == ["Module.to.md"]
    assert [n.name for n in edited] == ["module/Module.cuda.md"]
    assert collect_notes(tmp_path)[1] == problems  # the refusal is remembered, not forgotten

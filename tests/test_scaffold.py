"""`annotate new` and `annotate list`."""

from __future__ import annotations

import subprocess
import sys

import pytest

from annotate.cli import main
from annotate.drift.lock import LOCK_NAME, read_lock
from annotate.errors import ScaffoldError
from annotate.guide import load_guide
from annotate.notes.read import read_note
from annotate.notes.scaffold import new_note, signature
from tests.conftest import ROOT, write_note


@pytest.fixture
def notes(tmp_path):
    folder = tmp_path / "notes"
    write_note(folder, "module/Module.to.md", "---\ntarget: Module.to\n---\nText.\n")
    return folder


def test_new_writes_a_note_for_a_short_path_that_must_then_be_written(tmp_path, notes):
    guide = load_guide(notes, snapshot_dir=tmp_path / "snap")
    path = new_note(
        "Sequential.forward", snapshot=guide.snapshot, index=guide.index, notes_dir=notes
    )
    assert path == notes / "container" / "Sequential.forward.md"
    text = path.read_text()
    assert text.startswith("---\ntarget: torch.nn.Sequential.forward\n---\n")
    obj = guide.index.get("Sequential.forward")
    assert signature(obj, guide.index) in text and f"lines {obj.lineno}-{obj.endlineno}" in text
    with pytest.raises(Exception, match="the note is empty"):
        read_note(path)  # the scaffold alone is not a note yet
    entry = read_lock(notes / LOCK_NAME).get("container/Sequential.forward.md")
    assert entry is not None and entry.target == obj.path and entry.torch == guide.snapshot.version
    assert (entry.span.start, entry.span.end) == (obj.lineno, obj.endlineno)
    path.write_text(text + "Runs each child in turn.\n\n## `input = module(input)`\n\nThe chain.\n")
    written = load_guide(notes, snapshot_dir=tmp_path / "snap")
    (attached,) = [n for n in written.notes if n.obj == obj]
    assert attached.line_notes[0].start > obj.lineno
    assert written.states["container/Sequential.forward.md"] == "unlocked"  # the new line note


def test_new_refuses_to_overwrite_or_to_guess(tmp_path, notes):
    guide = load_guide(notes, snapshot_dir=tmp_path / "snap")
    with pytest.raises(ScaffoldError, match=r"`Module.to` already has a note: .*Module\.to\.md"):
        new_note("torch.nn.Module.to", snapshot=guide.snapshot, index=guide.index, notes_dir=notes)
    with pytest.raises(ScaffoldError, match=r"did you mean `Module\.state_dict`"):
        new_note("Module.stat_dict", snapshot=guide.snapshot, index=guide.index, notes_dir=notes)
    with pytest.raises(ScaffoldError, match="is a whole module"):
        new_note(
            "torch.nn.modules.module", snapshot=guide.snapshot, index=guide.index, notes_dir=notes
        )
    (notes / "module" / "Module.cpu.md").write_text("mine")
    with pytest.raises(ScaffoldError, match="exists already"):
        new_note("Module.cpu", snapshot=guide.snapshot, index=guide.index, notes_dir=notes)
    assert (notes / "module" / "Module.cpu.md").read_text() == "mine"


def test_list_counts_every_class_and_function(tmp_path, notes, index, capsys):
    expected = [o.path for o in index.objects.values() if o.kind in ("class", "function")]
    code = main(["list", "--notes", str(notes), "--cache", str(tmp_path / "cache")])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[-1].startswith(f"1 of {len(expected)} classes and functions have a note")
    assert any(line.startswith("[x] function module.py:") and " Module.to " in line for line in out)


def test_the_command_line_reports_errors_without_a_traceback(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "annotate.cli",
            "new",
            "Module.frobnicate",
            "--cache",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: `Module.frobnicate` is not an object")
    assert "Traceback" not in result.stderr

"""The repository's notes against real torch releases, read from their unpacked trees.

Each test derives what it expects from the release files themselves where it can (which stubs a
target gained, which lines differ), and names the few facts of issue 13 it guards.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.drift.compare import target_overloads
from annotate.drift.lock import LOCK_NAME, read_lock
from annotate.guide import check_notes
from annotate.notes.read import read_notes
from annotate.source.index import ObjectIndex, build_index
from annotate.source.snapshot import take_snapshot
from tests import drift_cases as cases
from tests.conftest import NOTES
from tests.test_history import RELEASES

needs_releases = pytest.mark.skipif(
    not RELEASES.is_dir(), reason=f"the release trees are not at {RELEASES}"
)


def release_index(tmp_path: Path, version: str) -> ObjectIndex:
    snapshot = take_snapshot(tmp_path / version / "snapshot", torch_root=RELEASES / version)
    return build_index(snapshot)


@pytest.fixture(scope="module")
def notes():
    return read_notes(NOTES)


@needs_releases
def test_against_2_14_1_only_the_targets_that_gained_stubs_change_signature(tmp_path, notes, index):
    newer = release_index(tmp_path, "2.14.1")
    check = check_notes(notes, newer, read_lock(NOTES / LOCK_NAME))
    states = check.located.states()
    gained = set()
    for note in notes:
        then, now = index.get(note.target), newer.get(note.target)
        if then and now and target_overloads(then, index) != target_overloads(now, newer):
            gained.add(note.name)
    assert gained == {"module/Module.to.md", "container/Sequential.__getitem__.md"}
    assert {name for name, state in states.items() if state == "signature"} == gained
    # The class note leaves its methods' stubs out: six stub lines added to it change nothing.
    assert states["container/Sequential.md"] in ("fresh", "moved")
    assert check.orphaned == () and check.invalid == ()


@needs_releases
def test_check_strict_against_2_14_1_fails_for_the_signature_changes(tmp_path):
    code, out = cases.run_cli(
        "check",
        "--strict",
        "--notes",
        str(NOTES),
        "--cache",
        str(tmp_path / "cache"),
        "--torch-root",
        str(RELEASES / "2.14.1"),
    )
    assert code == 1
    listed = [line.split()[:2] for line in out.splitlines() if line.startswith("signature ")]
    assert ["signature", "module/Module.to.md"] in listed
    assert ["signature", "container/Sequential.__getitem__.md"] in listed
    assert "container/Sequential.md " not in out


@needs_releases
def test_against_2_14_1_a_docstring_sentence_is_docstring_and_comments_cosmetic(tmp_path, notes):
    newer = release_index(tmp_path, "2.14.1")
    located = check_notes(notes, newer, read_lock(NOTES / LOCK_NAME)).located
    parameters = located.of("module/Module.parameters.md")
    # The sentence 2.14.1 adds contradicts the note ("in a fixed order"): a person must read it.
    assert parameters.target_state == "docstring" and parameters.state.needs_person
    added = [line for line in newer.lines[parameters.obj.file] if "order of the returned" in line]
    assert len(added) == 1
    # `_apply` gains only comments (two lines of its own, two lint markers at line ends).
    assert located.of("module/Module._apply.md").target_state == "cosmetic"

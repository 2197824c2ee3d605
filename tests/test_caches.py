"""Caches on disk are verified: an edited, forged or truncated entry is recomputed, never served."""

from __future__ import annotations

import json
import shutil

import pytest

from annotate.examples.runner import Example, ExampleRunner
from annotate.source.snapshot import SOURCE_FILES, take_snapshot
from tests.conftest import make_torch_tree


def _entries(folder):
    return sorted(folder.glob("*.json"))


@pytest.mark.parametrize(
    "damage",
    [
        "forged output",
        "truncated",
        "moved to another key",
        "not json",
    ],
)
def test_a_damaged_example_cache_entry_is_run_again(tmp_path, damage):
    cache = tmp_path / "cache"
    first = Example(page="p.md", code="print(6 * 7)", line=1)
    other = Example(page="p.md", code="print(1)", line=5)
    runner = ExampleRunner(timeout=60, cache_dir=cache)
    try:
        runner.run(first)
        runner.run(other)
    finally:
        runner.close()
    by_output = {}
    for entry in _entries(cache):
        by_output[json.loads(entry.read_text())["body"]["output"]] = entry
    target = by_output["42\n"]
    text = target.read_text()
    if damage == "forged output":
        target.write_text(text.replace('"42\\n"', '"41\\n"'))
    elif damage == "truncated":
        target.write_text(text[: len(text) // 2])
    elif damage == "moved to another key":
        shutil.copy(by_output["1\n"], target)
    else:
        target.write_bytes(b"\xff\x00")
    again = ExampleRunner(timeout=60, cache_dir=cache)
    try:
        result = again.run(first)
    finally:
        again.close()
    assert result.output == "42\n" and not result.cached
    assert again.stats.run == 1
    # Recomputed and written again whole: the next build is served from it.
    third = ExampleRunner(timeout=60, cache_dir=cache)
    try:
        assert third.run(first).cached
    finally:
        third.close()


def test_an_edited_snapshot_copy_is_taken_again(tmp_path, installed_torch):
    tree = make_torch_tree(tmp_path / "torch-tree", installed_torch)
    snapshot = take_snapshot(tmp_path / "snap", torch_root=tree)
    copy = snapshot.path_of(SOURCE_FILES[0])
    original = copy.read_text(encoding="utf-8")
    copy.write_text("# inserted\n" + original, encoding="utf-8")
    again = take_snapshot(tmp_path / "snap", torch_root=tree)
    assert again.path_of(SOURCE_FILES[0]).read_text(encoding="utf-8") == original
    copy.write_text(original[:100], encoding="utf-8")
    assert (
        take_snapshot(tmp_path / "snap", torch_root=tree)
        .path_of(SOURCE_FILES[0])
        .read_text(encoding="utf-8")
        == original
    )

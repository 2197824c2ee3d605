from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotate.errors import SnapshotError
from annotate.source.snapshot import (
    MANIFEST,
    SOURCE_FILES,
    find_torch,
    load_snapshot,
    take_snapshot,
)
from tests.conftest import make_torch_tree


def test_manifest_records_version_commit_and_hashes(snapshot, installed_torch):
    version_py = (installed_torch / "version.py").read_text()
    assert f"__version__ = '{snapshot.version}'" in version_py
    assert snapshot.commit and f"git_version = '{snapshot.commit}'" in version_py
    manifest = json.loads((snapshot.root / MANIFEST).read_text())
    for rel in SOURCE_FILES:
        digest = hashlib.sha256((installed_torch.parent / rel).read_bytes()).hexdigest()
        assert manifest["sha256"][rel] == digest == snapshot.sha256[rel]
        assert (snapshot.root / rel).read_bytes() == (installed_torch.parent / rel).read_bytes()


def test_snapshot_is_a_minimal_package_with_public_reexports(snapshot):
    files = sorted(p.relative_to(snapshot.root).as_posix() for p in snapshot.root.rglob("*.py"))
    assert files == sorted(
        [*SOURCE_FILES, "torch/__init__.py", "torch/nn/__init__.py", "torch/nn/modules/__init__.py"]
    )
    assert snapshot.public["torch.nn.Module"] == "torch.nn.modules.module.Module"
    assert snapshot.public["torch.nn.Sequential"] == "torch.nn.modules.container.Sequential"
    assert (
        "from .modules.module import Module" in (snapshot.root / "torch/nn/__init__.py").read_text()
    )


def test_finding_torch_does_not_import_it():
    code = (
        "import sys; from annotate.source.snapshot import find_torch; find_torch(); "
        "print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_snapshot_refreshes_when_the_tree_changes(tmp_path, installed_torch):
    tree = make_torch_tree(tmp_path / "tree", installed_torch)
    first = take_snapshot(tmp_path / "snap", torch_root=tree)
    copy = first.path_of(SOURCE_FILES[0])
    stamp = copy.stat().st_mtime_ns
    again = take_snapshot(tmp_path / "snap", torch_root=tree)
    assert again.sha256 == first.sha256 and copy.stat().st_mtime_ns == stamp  # nothing copied

    module = tree / SOURCE_FILES[0]
    module.write_text("# a new first line\n" + module.read_text())
    changed = take_snapshot(tmp_path / "snap", torch_root=tree)
    assert changed.sha256[SOURCE_FILES[0]] != first.sha256[SOURCE_FILES[0]]
    assert changed.path_of(SOURCE_FILES[0]).read_text().startswith("# a new first line\n")
    assert load_snapshot(tmp_path / "snap") == changed


def test_torch_root_accepts_the_package_or_its_parent(tmp_path, installed_torch):
    tree = make_torch_tree(tmp_path / "tree", installed_torch)
    assert find_torch(tree) == find_torch(tree / "torch") == (tree / "torch").resolve()


def test_source_checkout_without_version_py(tmp_path, installed_torch):
    tree = make_torch_tree(tmp_path / "checkout", installed_torch)
    (tree / "torch/version.py").unlink()
    (tree / "version.txt").write_text("2.99.0a0\n")
    (tree / ".git/refs/heads").mkdir(parents=True)
    (tree / ".git/HEAD").write_text("ref: refs/heads/main\n")
    (tree / ".git/refs/heads/main").write_text("0123456789abcdef0123456789abcdef01234567\n")
    snap = take_snapshot(tmp_path / "snap", torch_root=tree)
    assert (snap.version, snap.commit) == ("2.99.0a0", "0123456789abcdef0123456789abcdef01234567")


def test_a_folder_that_is_not_torch_is_refused_with_the_fix(tmp_path):
    with pytest.raises(
        SnapshotError, match=r"is not a torch tree: .*container\.py not found; pass the folder"
    ):
        take_snapshot(tmp_path / "snap", torch_root=tmp_path)
    assert not Path(tmp_path / "snap").exists()


def test_a_manifest_from_another_version_is_replaced_not_fatal(tmp_path, installed_torch):
    tree = make_torch_tree(tmp_path / "tree", installed_torch)
    first = take_snapshot(tmp_path / "snap", torch_root=tree)
    manifest = first.root / MANIFEST
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "a_field_from_elsewhere": 1}))
    assert load_snapshot(tmp_path / "snap") is None
    again = take_snapshot(tmp_path / "snap", torch_root=tree)
    assert again.sha256 == first.sha256 and load_snapshot(tmp_path / "snap") == again
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap", "tree"]  # no leftovers

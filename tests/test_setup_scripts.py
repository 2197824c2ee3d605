"""scripts/env.sh, which every set-up command sources: which Python the guide runs in, and
when `.venv/` is made, kept or made again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BASE = Path(getattr(sys, "_base_executable", sys.executable))
"""A real Python 3.11+ that is not a virtual environment's."""

DRIVER = 'set -euo pipefail; source "$1/scripts/env.sh"; annotate_python; echo "PY=$PY"'


def run(repo: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHON")}
    return subprocess.run(
        ["bash", "-c", DRIVER, "driver", str(repo)],
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "env.sh", tmp_path / "scripts" / "env.sh")
    return tmp_path


def test_the_venv_is_made_once_then_reused_and_made_again_for_another_python(repo, tmp_path):
    first = run(repo, PYTHON=str(BASE))
    assert first.returncode == 0, first.stderr
    assert f"PY={repo}/.venv/bin/python" in first.stdout
    assert f"making {repo}/.venv with {BASE}" in first.stderr
    assert (repo / ".venv" / ".annotate-base").read_text().strip() == str(BASE)

    again = run(repo, PYTHON=str(BASE))
    assert again.returncode == 0 and "making" not in again.stderr, again.stderr
    assert f"PY={repo}/.venv/bin/python" in again.stdout

    # Another Python asked for (here the same one through a link): the venv is made again.
    other = tmp_path / "bin" / "python3.11"
    other.parent.mkdir()
    other.symlink_to(BASE)
    remade = run(repo, PYTHON=str(other))
    assert remade.returncode == 0 and f"making {repo}/.venv with {other}" in remade.stderr


def test_an_active_virtual_environment_is_used_as_it_is(repo):
    active = Path(sys.prefix)
    assert active != Path(sys.base_prefix), "the suite runs in a virtual environment"
    used = run(repo, VIRTUAL_ENV=str(active))
    assert used.returncode == 0 and f"PY={active}/bin/python" in used.stdout
    assert not (repo / ".venv").exists()


def test_a_python_that_is_not_3_11_or_newer_is_refused_by_name(repo, tmp_path):
    old = tmp_path / "python3.9"
    old.write_text("#!/bin/sh\nexit 1\n")
    old.chmod(0o755)
    refused = run(repo, PYTHON=str(old))
    assert refused.returncode == 1
    assert f"PYTHON={old} is not a Python 3.11 or newer" in refused.stderr
    assert not (repo / ".venv").exists()


def test_a_python_without_venv_names_the_package_to_install(repo, tmp_path):
    # A Python 3.11 whose venv module cannot load, on a PATH where apt-get cannot be found.
    fake = tmp_path / "bin" / "python3.11"
    fake.parent.mkdir()
    fake.write_text(
        f'#!/bin/sh\ncase "$*" in *\'import venv\'*) exit 1 ;; esac\nexec {BASE} "$@"\n'
    )
    fake.chmod(0o755)
    tools = tmp_path / "tools"
    tools.mkdir()
    for tool in ("bash", "cat", "dirname", "id", "rm", "sh"):
        found = shutil.which(tool)
        assert found, tool
        (tools / tool).symlink_to(found)
    refused = run(repo, PYTHON=str(fake), PATH=str(tools))
    assert refused.returncode == 1, refused.stderr
    version = "{}.{}".format(*sys.version_info[:2])
    assert f"run: sudo apt-get install python{version}-venv" in refused.stderr

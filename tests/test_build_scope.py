"""The build reads torch's two files from the snapshot, and never imports or walks all of torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ENGLISH_ONLY, ROOT

_PROBE = """
import json, logging, sys
from griffe._internal.loader import GriffeLoader
from mkdocs.commands.build import build
from mkdocs.config import load_config

loaded = []
_load = GriffeLoader._load_module_path


def record(self, module_name, module_path, **kwargs):
    loaded.append(str(module_path))
    return _load(self, module_name, module_path, **kwargs)


GriffeLoader._load_module_path = record
logging.disable(logging.WARNING)
config = load_config(sys.argv[1], site_dir=sys.argv[2])
config.plugins.on_startup(command="build", dirty=False)
build(config)
config.plugins.on_shutdown()
print(json.dumps({"torch_imported": "torch" in sys.modules, "files": sorted(set(loaded))}))
"""


def test_the_build_loads_only_the_snapshot_and_never_imports_torch(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, str(ROOT / "mkdocs.yml"), str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **ENGLISH_ONLY},
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["torch_imported"] is False
    snapshot = str(ROOT / ".cache" / "annotate" / "snapshot")
    assert report["files"], "griffe loaded nothing"
    assert all(f.startswith(snapshot) for f in report["files"]), report["files"]
    loaded = {os.path.relpath(f, snapshot) for f in report["files"]}
    assert {"torch/nn/modules/module.py", "torch/nn/modules/container.py"} <= loaded
    assert len(loaded) <= 5  # the two files and the package's three __init__.py

"""The peer the benchmarks measure the guide against: Sphinx's `viewcode` over the same two files.

A minimal Sphinx project with `sphinx.ext.autodoc` and `sphinx.ext.viewcode` (the way pytorch.org
shows its source) documents `torch.nn.modules.module` and `torch.nn.modules.container` of the
installed torch. Sphinx is pip-installed into a folder of the benchmark's own for that run only,
never into the guide's environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CONF = """\
project = "viewcode floor"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.viewcode"]
html_theme = "alabaster"
"""
INDEX = """\
Floor
=====

.. automodule:: torch.nn.modules.module
   :members:

.. automodule:: torch.nn.modules.container
   :members:
"""


class SphinxPeer:
    """Sphinx installed under `work` (or taken from `packages`, a folder an earlier
    `pip install --target` filled), with its project; `build` builds it afresh."""

    def __init__(self, work: Path, packages: Path | None = None) -> None:
        self.packages = packages or work / "sphinx-packages"
        if packages is not None:
            self._project(work)
            return
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "--target",
                str(self.packages),
                "sphinx",
            ],
            check=True,
        )
        self._project(work)

    def _project(self, work: Path) -> None:
        self.source = work / "sphinx-src"
        self.source.mkdir()
        (self.source / "conf.py").write_text(CONF, encoding="utf-8")
        (self.source / "index.rst").write_text(INDEX, encoding="utf-8")

    def command(self, out: Path) -> tuple[list[str], dict[str, str]]:
        """The command and environment of a full build into `out` (no saved environment)."""
        return (
            [
                sys.executable,
                "-m",
                "sphinx",
                "-E",
                "-q",
                "-Q",
                "-b",
                "html",
                str(self.source),
                str(out),
            ],
            dict(os.environ, PYTHONPATH=str(self.packages)),
        )

    def build(self, out: Path) -> Path:
        """Build into `out`; the viewcode page of module.py."""
        command, env = self.command(out)
        subprocess.run(command, env=env, check=True)
        return out / "_modules" / "torch" / "nn" / "modules" / "module.html"

"""A rebuild under `mkdocs serve`, which keeps what did not change, makes the site a clean build
of the same files makes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from tests.conftest import ENGLISH_ONLY, copy_project, run_mkdocs

# As `mkdocs serve` does: the plugins started once, the configuration read anew for each build.
_SERVE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config_file, site, note = sys.argv[1:]
    config = load_config(config_file, site_dir=site)
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    path = Path(note)
    path.write_text(path.read_text(encoding="utf-8") + "\\nOne more sentence.\\n", encoding="utf-8")
    config = load_config(config_file, site_dir=site)
    build(config)
    config.plugins.on_shutdown()
    """
)


def _files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_rebuild_after_a_note_edit_is_the_clean_build_of_the_edited_files(tmp_path):
    config = copy_project(tmp_path / "project")
    note = config.parent / "docs" / "notes" / "module" / "Module.cuda.md"
    served = tmp_path / "served"
    result = subprocess.run(
        [sys.executable, "-c", _SERVE, str(config), str(served), str(note)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **ENGLISH_ONLY},
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert "One more sentence." in (served / "chapters" / "to-and-apply" / "index.html").read_text(
        encoding="utf-8"
    )
    clean = tmp_path / "clean"
    assert run_mkdocs(clean, config=config).returncode == 0
    rebuilt, fresh = _files(served), _files(clean)
    assert sorted(rebuilt) == sorted(fresh)
    differ = [name for name in fresh if rebuilt[name] != fresh[name]]
    assert differ == []

"""A rebuild under `mkdocs serve`, which keeps what did not change, and a build in a new process,
which takes it from disk, make the site a clean build of the same files makes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

from tests.conftest import ENGLISH_ONLY, copy_project, run_mkdocs

# As `mkdocs serve` does: the plugins started once, the configuration read anew for each build.
_SERVE = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config_file, site, *edits = sys.argv[1:]
    config = load_config(config_file, site_dir=site)
    config.plugins.on_startup(command="serve", dirty=False)
    builds = []

    def once():
        build(config)
        kept = config.plugins["annotate"].build.kept
        builds.append({
            name: [getattr(reuse.last, "reused"), getattr(reuse.last, "computed")]
            for name, reuse in vars(kept).items()
        })

    once()
    for edit in edits:
        path = Path(edit)
        text = path.read_text(encoding="utf-8") + "\\nOne more sentence.\\n"
        path.write_text(text, encoding="utf-8")
        config = load_config(config_file, site_dir=site)
        once()
    print(json.dumps(builds))
    config.plugins.on_shutdown()
    """
)


def _serve(config, site, *edits):
    """What each of `_SERVE`'s builds reused and computed: the first, then one after editing
    each of `edits` in turn."""
    result = subprocess.run(
        [sys.executable, "-c", _SERVE, str(config), str(site), *map(str, edits)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **ENGLISH_ONLY},
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_rebuilds_after_a_note_and_a_chapter_edit_make_the_clean_build_of_the_edited_files(
    tmp_path,
):
    config = copy_project(tmp_path / "project")
    note = config.parent / "docs" / "notes" / "module" / "Module.cuda.md"
    chapter = config.parent / "docs" / "chapters" / "saving-and-loading.md"
    served = tmp_path / "served"
    builds = _serve(config, served, note, chapter)
    for page in ("to-and-apply", "saving-and-loading"):
        html = (served / "chapters" / page / "index.html").read_text(encoding="utf-8")
        assert "One more sentence." in html
    # After the note's edit, only the objects whose views hold the note were rendered again.
    taken, computed = builds[1]["object_html"]
    assert 1 <= computed < taken, builds[1]
    # The last rebuild took back what the edited chapter left as it was: every example's HTML
    # and object's HTML, every other page's examples and search entries; it found the edited
    # page's anew.
    reused = builds[-1]
    assert reused["object_html"][0] > 0 and reused["object_html"][1] == 0
    assert reused["example_html"][0] > 0 and reused["example_html"][1] == 0
    assert reused["examples_found"][1] == 1 and reused["examples_found"][0] > 0
    assert reused["search_entries"][1] >= 1 and reused["search_entries"][0] > 0
    # A build in a new process takes the same back from what the last one left on disk.
    again = tmp_path / "again"
    (reused,) = _serve(config, again)
    assert all(computed == 0 and taken > 0 for taken, computed in reused.values()), reused
    # The clean build computes everything.
    shutil.rmtree(config.parent / ".cache" / "annotate" / "reuse")
    clean = tmp_path / "clean"
    assert run_mkdocs(clean, config=config).returncode == 0
    fresh = _files(clean)
    for site in (served, again):
        rebuilt = _files(site)
        assert sorted(rebuilt) == sorted(fresh)
        differ = [name for name in fresh if rebuilt[name] != fresh[name]]
        assert differ == []

"""CONTRIBUTING.md followed step by step, as a newcomer would: scaffold, edit, check, build."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess

from annotate.cli import main
from tests.conftest import ROOT, copy_project, run_mkdocs
from tests.htmltree import parse

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def sh(command: str, cwd) -> subprocess.CompletedProcess[str]:
    """Run one command line of the guide (its `# comment` dropped) in the project copy.

    The command runs in this process, as the `annotate` script would run `main`.
    """
    argv = command.split("#", 1)[0].split()
    assert argv[0] == "annotate", command
    out, err, here = io.StringIO(), io.StringIO(), os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv[1:])
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def step(pattern: str) -> str:
    match = re.search(pattern, GUIDE, re.M)
    assert match, pattern
    return match[0]


def newcomer_copy(tmp_path):
    """A project copy where the object the guide scaffolds has no note yet, as for a newcomer.

    The guide notes every object, so the copy drops the note (its translation, and their lock
    entries) that `annotate new` in CONTRIBUTING.md would otherwise refuse to overwrite.
    """
    project = copy_project(tmp_path / "project").parent
    (written,) = re.findall(r"`annotate new` writes `docs/notes/(\S+?\.md)`", GUIDE)
    translation = written.removesuffix(".md") + ".zh.md"
    lock = project / "docs" / "notes" / "notes.lock.json"
    data = json.loads(lock.read_text())
    for name in (written, translation):
        (project / "docs" / "notes" / name).unlink(missing_ok=True)
        data["notes"].pop(name, None)
    lock.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    return project


def test_a_note_added_by_following_contributing_appears_on_the_site(tmp_path):
    project = newcomer_copy(tmp_path)
    new = step(r"^annotate new \S+.*$")
    example = step(r"(?s)(?<=```markdown\n).*?(?=```\n)")
    refresh = step(r"^annotate refresh \S+\.md.*$")
    check = step(r"^annotate check --strict.*$")

    created = sh(new, project)
    assert created.returncode == 0, created.stderr
    path = project / created.stdout.split()[1]
    assert path.is_file() and "target:" in path.read_text()
    scaffold = path.read_text()
    again = sh(new, project)
    assert again.returncode == 1 and "exists already" in again.stderr
    assert path.read_text() == scaffold  # never overwrites

    path.write_text(example, encoding="utf-8")  # the guide's example note, as it stands
    unchecked = sh(check, project)
    assert unchecked.returncode == 1 and "unlocked" in unchecked.stdout
    recorded = sh(refresh, project)
    assert recorded.returncode == 0, recorded.stderr
    checked = sh(check, project)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    result = run_mkdocs(tmp_path / "site", config=project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr[-3000:]
    name = path.relative_to(project / "docs" / "notes").as_posix()
    tree = parse((tmp_path / "site/files/module/index.html").read_text(encoding="utf-8"))
    (shown,) = tree.find_all("aside", data_an_note=name)
    assert "Why printing a model shows its whole tree" in " ".join(shown.all_text().split())
    anchor = re.search(r"^## `(.+)`$", example, re.M)[1]
    (line_note,) = tree.find_all("aside", data_an_note_of=name)
    start = int(line_note.attrs["data-an-lines"].split("-")[0])
    (line,) = tree.find_all("span", id=f"L{start}")
    assert anchor in line.all_text()


def test_the_error_shown_in_contributing_is_the_real_one(tmp_path):
    project = newcomer_copy(tmp_path)
    sh(step(r"^annotate new \S+.*$"), project)
    shown = step(r"(?s)(?<=```text\n)error: .*?(?=\n```)")
    path, line, anchor = re.match(r"error: (\S+?):(\d+): line anchor `([^`]+)`", shown).groups()
    note = project / path
    lines = note.read_text().splitlines()
    lines += [""] * (int(line) - 1 - len(lines)) + [f"## `{anchor}`", "", "Text."]
    note.write_text("\n".join(lines) + "\n")
    result = sh("annotate check", project)
    assert result.returncode == 1
    assert " ".join(shown.split()) in " ".join((result.stdout + result.stderr).split())

"""The repository's notes against real torch releases, read from their unpacked trees.

Each test derives what it expects from the release files themselves where it can (which stubs a
target gained, which lines differ), and names the few facts of issue 13 it guards.
"""

from __future__ import annotations

import ast
import copy
import functools
from pathlib import Path

import pytest

from annotate.drift.compare import target_overloads
from annotate.drift.lock import LOCK_NAME, read_lock
from annotate.guide import check_notes
from annotate.notes.read import read_notes
from annotate.source.index import ObjectIndex, build_index
from annotate.source.snapshot import take_snapshot
from tests import drift_cases as cases
from tests.conftest import NOTES, ROOT, failed_build, run_mkdocs
from tests.htmltree import parse
from tests.linkcheck import check_site
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
    # A translation stands on its English note's target, and reads as it does.
    assert gained == {
        f"{stem}{suffix}"
        for stem in ("module/Module.to", "container/Sequential.__getitem__")
        for suffix in (".md", ".zh.md")
    }
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


@functools.cache
def _statements(source: str) -> tuple[ast.stmt, ...]:
    return tuple(node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.stmt))


def _headers(source: str, start: int, end: int) -> dict[int, str]:
    """Each statement of `source` between lines `start` and `end`, by its first line, as its
    syntax tree without positions, a compound statement without its body."""
    found: dict[int, str] = {}
    for node in _statements(source):
        if start <= node.lineno <= end:
            bare = copy.copy(node)
            for name in ("body", "orelse", "handlers", "finalbody"):
                if isinstance(getattr(bare, name, None), list):
                    setattr(bare, name, [])
            found.setdefault(node.lineno, ast.dump(bare, include_attributes=False))
    return found


def _anchor_tree(anchor: str) -> str | None:
    text = "if " + anchor[5:] if anchor.startswith("elif ") else anchor
    for candidate in (text, text + "\n    pass"):
        try:
            (node,) = ast.parse(candidate).body
        except (SyntaxError, ValueError):
            continue
        return _headers(candidate, 1, 1)[1] if node.lineno == 1 else None
    return None


@needs_releases
def test_against_2_1_2_a_quoted_statement_spelled_another_way_is_found(tmp_path, notes):
    older = release_index(tmp_path, "2.1.2")
    located = check_notes(notes, older, read_lock(NOTES / LOCK_NAME)).located
    expected = {}
    for drift in located.notes:
        if drift.obj is None:
            continue
        source = "\n".join(older.lines[drift.obj.file])
        headers = _headers(source, drift.obj.lineno, drift.obj.endlineno)
        for ln in drift.line_notes:
            tree = _anchor_tree(ln.line_note.anchor)
            same = [line for line, dump in headers.items() if tree is not None and dump == tree]
            if len(same) == 1:
                expected[(drift.note.name, ln.line_note.anchor)] = (same[0], ln)
    # Found where the test's own reading of the release file finds the same statement.
    assert {key: ln.start for key, (_, ln) in expected.items()} == {
        key: line for key, (line, _) in expected.items()
    }
    assert all(ln.state != "orphaned" for _, ln in expected.values())
    spelled_otherwise = {
        (
            "container/Sequential.insert.md",
            'raise AssertionError(f"module should be of type: {Module}")',
        ),
        ("container/Sequential.__mul__.md", "elif other <= 0:"),
        ("module/Module._get_backward_hooks.md", "if _global_is_full_backward_hook is True:"),
        (
            "container/ParameterDict.get.md",
            "return self[key] if key in self else default  # noqa: SIM401",
        ),
    }
    assert spelled_otherwise <= set(expected)
    assert {expected[key][1].state for key in spelled_otherwise} == {"cosmetic"}


@needs_releases
def test_the_guide_of_an_older_torch_builds_with_its_orphans_listed(tmp_path, notes):
    version = "2.1.2"
    env = {"ANNOTATE_TORCH_ROOT": str(RELEASES / version), "ANNOTATE_ORPHANS": "list"}
    err = failed_build(
        ROOT / "mkdocs.yml", tmp_path / "failed", env={**env, "ANNOTATE_ORPHANS": "fail"}
    )
    assert "note problem(s)" in err and "is orphaned" in err
    result = run_mkdocs(tmp_path / "site", env=env)
    assert result.returncode == 0, result.stderr[-4000:]
    site = tmp_path / "site"
    older = release_index(tmp_path, version)
    located = check_notes(notes, older, read_lock(NOTES / LOCK_NAME)).located
    places = sorted(
        f"{d.note.name}:{problem.line}" for d in located.notes for problem in d.problems()
    )
    assert "module/Module.set_submodule.md:2" in places  # set_submodule is new in 2.2
    home = parse((site / "index.html").read_text(encoding="utf-8"))
    (banner,) = home.find_all("p", cls="an-orphans")
    assert sorted(" ".join(c.all_text().split()) for c in banner.find_all("code")) == places
    maintenance = parse((site / "maintenance" / "index.html").read_text(encoding="utf-8"))
    (danger,) = maintenance.find_all("div", cls="danger")
    assert f"not in torch {older_version(site)}" in " ".join(danger.all_text().split())
    # The chapter that embeds `set_submodule` says it is absent, where links to it land.
    chapter = parse((site / "chapters" / "module-life" / "index.html").read_text(encoding="utf-8"))
    (heading,) = chapter.find_all(id="torch.nn.Module.set_submodule")
    assert "an-absent" in heading.classes
    links = [a for a in chapter.find_all("a") if a.attrs.get("href", "").endswith("set_submodule")]
    assert links and all(a.attrs["href"] == "#torch.nn.Module.set_submodule" for a in links)
    broken, checked = check_site(site)
    assert checked > 1000 and broken == []


def older_version(site: Path) -> str:
    """The torch version the built site says it was built from."""
    home = parse((site / "index.html").read_text(encoding="utf-8"))
    (banner,) = home.find_all("p", cls="an-version")
    return banner.attrs["data-an-version"]

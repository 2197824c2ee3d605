"""The release record: each object's history and the diff between two releases.

Edited copies of the installed torch's files give one release pair per kind of change; the
committed record is checked against the release trees it was collected from, and facts of its
history against the code of those releases, read by the test itself.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from annotate.history import (
    ChangeKind,
    Record,
    RecordError,
    history,
    read_record,
    read_release,
    release_diff,
    write_record,
)
from annotate.history.record import RECORD, version_key
from tests.conftest import ROOT, make_torch_tree

# Unpacked release trees (only the files the guide reads); beside the repository by default.
RELEASES = Path(
    os.environ.get("ANNOTATE_TORCH_RELEASES", ROOT.parent / "shared" / "torch-releases")
)
MODULE = "torch.nn.modules.module.Module"
CONTAINER = "torch.nn.modules.container"


def _release(tmp: Path, installed: Path, version: str, edit=None):
    def change(rel: str, text: str) -> str:
        if rel == "torch/version.py":
            return "".join(
                f"__version__ = '{version}'\n" if line.startswith("__version__") else line
                for line in text.splitlines(keepends=True)
            )
        return edit(rel, text) if edit and rel.endswith(("module.py", "container.py")) else text

    return read_release(make_torch_tree(tmp / version, installed, edit=change) / "torch")


def _replace(old: str, new: str, file: str = "module.py"):
    def edit(rel: str, text: str) -> str:
        if not rel.endswith(file):
            return text
        assert text.count(old) == 1, old
        return text.replace(old, new)

    return edit


EDITS = {
    "code": (
        _replace("        self.training = mode\n", "        self.training = bool(mode)\n"),
        f"{MODULE}.train",
        {ChangeKind.CODE},
    ),
    "signature": (
        _replace(
            "    def zero_grad(self, set_to_none: bool = True)",
            "    def zero_grad(self, set_to_none: bool = False)",
        ),
        f"{MODULE}.zero_grad",
        {ChangeKind.SIGNATURE},
    ),
    "overload": (
        _replace(
            "    def to(self, *args, **kwargs):",
            "    @overload\n    def to(self, memory_format: torch.memory_format) -> Self: ...\n\n    def to(self, *args, **kwargs):",
        ),
        f"{MODULE}.to",
        {ChangeKind.SIGNATURE},
    ),
    "docstring": (
        _replace(
            '        r"""Set the module in training mode.',
            '        r"""Set the module in training mode, or not.',
        ),
        f"{MODULE}.train",
        {ChangeKind.DOCSTRING},
    ),
    "comment": (
        _replace("        self.training = mode\n", "        self.training = mode  # the flag\n"),
        f"{MODULE}.train",
        {ChangeKind.FORMAT},
    ),
    "stub in a class": (
        _replace(
            "    def __len__(self) -> int:\n        return len(self._modules)\n\n    def __add__(self, other) -> Sequential:",
            "    @overload\n    def __len__(self, x: int) -> int: ...\n\n    @_copy_to_script_wrapper\n    def __len__(self) -> int:\n        return len(self._modules)\n\n    def __add__(self, other) -> Sequential:",
            "container.py",
        ),
        f"{CONTAINER}.Sequential.__len__",
        {ChangeKind.SIGNATURE},
    ),
}


@pytest.fixture(scope="module")
def base(installed_torch, tmp_path_factory):
    return _release(tmp_path_factory.mktemp("base"), installed_torch, "2.98.0")


@pytest.mark.parametrize("case", list(EDITS))
def test_each_kind_of_change_is_classified_and_dated(case, base, installed_torch, tmp_path):
    edit, path, kinds = EDITS[case]
    changed = _release(tmp_path, installed_torch, "2.99.0", edit)
    record = Record()
    record.add(changed)
    record.add(base)
    found = history(record, path)
    assert found is not None and found.added == "2.98.0" and found.removed is None
    (change,) = found.changes
    assert (change.release, change.previous, set(change.kinds)) == ("2.99.0", "2.98.0", kinds)
    assert change.diff.startswith("--- 2.98.0\n+++ 2.99.0")
    # Nothing else changed, and the class a stub was added to did not change either.
    others = [c.path for c in release_diff(base, changed, everything=True)]
    assert others == [path]


def test_added_and_removed_objects(base, installed_torch, tmp_path):
    added = _release(
        tmp_path,
        installed_torch,
        "2.99.0",
        _replace(
            "    def share_memory(self) -> Self:",
            "    def fresh(self):\n        return self\n\n    def share_memory(self) -> Self:",
        ),
    )
    removed = _release(
        tmp_path,
        installed_torch,
        "2.100.0",
        _replace(
            "    @_copy_to_script_wrapper\n    def __len__(self) -> int:\n        return len(self._modules)\n\n    def __add__(self, other) -> Sequential:",
            "    def __add__(self, other) -> Sequential:",
            "container.py",
        ),
    )
    record = Record()
    for release in (removed, base, added):
        record.add(release)
    assert record.versions == ["2.98.0", "2.99.0", "2.100.0"]
    fresh = history(record, f"{MODULE}.fresh")
    assert fresh is not None and (fresh.added, fresh.removed) == ("2.99.0", "2.100.0")
    gone = history(record, f"{CONTAINER}.Sequential.__len__")
    assert gone is not None and (gone.added, gone.removed) == ("2.98.0", "2.100.0")
    statuses = {c.path: c.status for c in release_diff(base, removed)}
    assert statuses == {f"{CONTAINER}.Sequential.__len__": "removed"}
    assert history(record, f"{MODULE}.no_such") is None


def test_a_written_record_reads_back_the_same(base, tmp_path):
    record = Record()
    record.add(base)
    write_record(record, tmp_path / "r.json")
    again = read_record(tmp_path / "r.json")
    assert again.releases == record.releases


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: text.replace('"format":1', '"format":7'),
        lambda text: json.dumps({**json.loads(text), "texts": [1, 2]}),
        lambda text: re.sub(r'(\["function","[^"]+",\d+,)\d+', r"\g<1>99999999", text, count=1),
        lambda text: text.replace('"function"', '"<script>"', 1),
        lambda text: text.replace(
            '"torch.nn.modules.module.Module.to"', '"Module.to`<img src=x onerror=alert(1)>`"', 1
        ),
        lambda text: text.replace('"version":"2.0.0"', '"version":"2.0.0<b>"', 1),
        lambda text: text.replace('"torch/nn/modules/module.py"', '"../../etc/passwd"', 1),
    ],
)
def test_a_damaged_record_is_an_error_naming_the_file_and_the_fix(damage, tmp_path):
    path = tmp_path / "releases.json"
    path.write_text(damage(RECORD.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(RecordError) as error:
        read_record(path)
    assert str(path) in str(error.value) and "collect_history.py" in str(error.value)
    run = subprocess.run(
        [sys.executable, "-m", "annotate", "history", "Module.to", "--record", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr and str(path) in run.stderr


def test_the_command_line_names_close_objects_and_recorded_releases():
    run = subprocess.run(
        [sys.executable, "-m", "annotate", "history", "Module.lod_state_dict"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1 and "`Module.load_state_dict`" in run.stderr
    run = subprocess.run(
        [sys.executable, "-m", "annotate", "diff", "2.13", "9.9"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1 and "9.9 is not recorded" in run.stderr and "2.13.0" in run.stderr


# The record against the releases it was collected from.

needs_releases = pytest.mark.skipif(
    not RELEASES.is_dir(), reason=f"the release trees are not at {RELEASES}"
)


def _trees() -> dict[str, Path]:
    return {
        p.name: p / "torch"
        for p in sorted(RELEASES.iterdir(), key=lambda p: version_key(p.name))
        if (p / "torch").is_dir()
    }


def _def(version: str, name: str) -> ast.FunctionDef:
    tree = ast.parse((_trees()[version] / "nn/modules/module.py").read_text(encoding="utf-8"))
    (module,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Module"]
    defs = [n for n in module.body if isinstance(n, ast.FunctionDef) and n.name == name]
    return defs[-1]  # the implementation comes after its @overload stubs


@needs_releases
def test_the_committed_record_holds_every_release_as_collected():
    record = read_record()
    trees = _trees()
    assert record.versions == list(trees)
    for version in ("2.0.0", "2.9.1", record.versions[-1]):
        assert record.get(version) == read_release(trees[version])


@needs_releases
def test_load_state_dict_history_dates_the_assign_argument():
    first = next(
        v for v in _trees() if "assign" in {a.arg for a in _def(v, "load_state_dict").args.args}
    )
    found = history(read_record(), f"{MODULE}.load_state_dict")
    assert found is not None
    dated = [c for c in found.changes if c.release == first]
    assert dated and ChangeKind.SIGNATURE in dated[0].kinds and "+" in dated[0].diff
    assert "assign" in "".join(line for line in dated[0].diff.splitlines() if line.startswith("+"))


@needs_releases
def test_to_history_dates_its_memory_format_overload():
    def has_overload(version: str) -> bool:
        text = (_trees()[version] / "nn/modules/module.py").read_text(encoding="utf-8")
        return "def to(self, memory_format" in text

    first = next(v for v in _trees() if has_overload(v))
    found = history(read_record(), f"{MODULE}.to")
    assert found is not None
    (dated,) = [c for c in found.changes if c.release == first]
    assert ChangeKind.SIGNATURE in dated.kinds and "+    def to(self, memory_format" in dated.diff


def test_the_guide_shows_load_state_dict_history_with_the_assign_release(site):
    import textwrap

    from tests.htmltree import parse

    def arguments(text: str) -> set[str]:
        (function,) = ast.parse(textwrap.dedent(text)).body
        return {a.arg for a in function.args.args}

    record = read_record()
    first = next(
        release.version
        for release in record.releases
        if "assign" in arguments(release.objects[f"{MODULE}.load_state_dict"].text)
    )
    tree = parse((site / "chapters/state-dict/index.html").read_text(encoding="utf-8"))
    (links,) = [
        d
        for d in tree.find_all("div", cls="an-links")
        if d.attrs.get("data-an-links") == "torch.nn.Module.load_state_dict"
    ]
    # The history fold follows the links of the same object.
    siblings = [n for n in _parent_of(tree, links).children if n.tag != "#text"]
    fold = siblings[siblings.index(links) + 1]
    assert fold.tag == "details" and "an-history" in fold.classes
    summary = fold.find_all("summary")[0].all_text()
    assert "changed in" in summary and first in summary
    assert any(
        a.attrs.get("href", "").startswith(f"https://github.com/pytorch/pytorch/blob/v{first}/")
        for a in fold.find_all("a")
    )


def test_the_file_page_shows_every_class_and_function_history(site, guide):
    """Beside every class and function of the whole-file page: the release that added it and
    those that changed it; the diffs only of what no chapter shows with them."""
    from tests.htmltree import parse

    record = read_record()
    tree = parse((site / "files/module/index.html").read_text(encoding="utf-8"))
    entries = {a.attrs["data-an-links"]: a for a in tree.find_all("aside", cls="an-links")}
    objects = [
        o
        for o in guide.index.objects.values()
        if o.file.endswith("/module.py") and o.kind in ("class", "function")
    ]
    assert len(entries) == len(objects) > 50
    shown = {
        d.attrs.get("data-an-links")
        for html in (site / "chapters").rglob("index.html")
        for d in parse(html.read_text(encoding="utf-8")).find_all("div", cls="an-links")
    }
    changed_objects = 0
    for obj in objects:
        entry = entries[obj.path]
        summary = entry.find_all("summary")[0].all_text()
        added = next(r.version for r in record.releases if obj.path in r.objects)
        assert f"Added in torch {added}" in summary, (obj.path, summary)
        changed = bool(entry.find_all("p", cls="an-history-change"))
        assert changed == ("changed in" in summary), (obj.path, summary)
        changed_objects += changed
        in_chapter = (guide.index.public_path(obj.path) or obj.path) in shown
        diffs = bool(entry.find_all("div", cls="an-history-diff"))
        assert diffs == (changed and not in_chapter), (obj.path, in_chapter)
    assert changed_objects > 10


def _parent_of(tree, node):
    return next(n for n in tree.iter() if node in n.children)


def test_the_release_page_lists_the_code_changes_against_the_release_before(site, guide):
    import textwrap

    from tests.htmltree import parse

    record = read_record()
    versions = [r.version for r in record.releases]
    current = record.get(guide.snapshot.release)
    previous = record.releases[versions.index(current.version) - 1]

    def code(text: str) -> str:
        tree = ast.parse(
            textwrap.dedent(text) if not text.startswith("class") else text + "\n    ..."
        )
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if (
                isinstance(body, list)
                and body
                and isinstance(body[0], ast.Expr)
                and isinstance(getattr(body[0], "value", None), ast.Constant)
            ):
                node.body = body[1:] or [ast.Pass()]
        return ast.dump(tree)

    tree = parse((site / "releases/index.html").read_text(encoding="utf-8"))
    listed = {h.all_text().split(" · ")[0].strip("`¶ ") for h in tree.find_all("h3")}
    assert f"against torch {previous.version}".lower() in tree.all_text().lower()
    for path, entry in current.objects.items():
        before = previous.objects.get(path)
        short = path.split(".", 4)[-1]
        if before is not None and before.text == entry.text and before.overloads == entry.overloads:
            assert short not in listed, short  # untouched: not listed
    changed = [
        p
        for p, e in current.objects.items()
        if p in previous.objects
        and e.kind == "function"
        and code(e.text) != code(previous.objects[p].text)
    ]
    assert changed and {p.split(".", 4)[-1] for p in changed} <= listed

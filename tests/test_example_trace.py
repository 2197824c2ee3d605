"""The tracer the example worker runs: calls among the traced files, hooks, counts, executed lines."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from annotate.examples import tracer as example_trace
from annotate.examples.runner import Example, ExampleRunner, trace_json
from annotate.examples.traces import executed_lines, observed_calls, read_trace
from annotate.source.snapshot import SOURCE_FILES

MODULE = "torch.nn.modules.module.Module"
LIBRARY = """\
def leaf(x):
    return x + 1


def tree(n):
    if n == 0:
        return leaf(0)
    return tree(n - 1) + leaf(n)


def gen(k):
    for i in range(k):
        yield leaf(i)


def call_hook(hook):
    return hook(1)


def boom():
    raise ValueError("x")
"""
# Lines Python reports again within one statement: a `with` as its block exits, a call whose
# arguments span lines as it makes the call; and a loop's header, which does run again.
BLOCK = """\


class Ctx:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def block(n):
    total = 0
    for i in range(n):
        with Ctx():
            total += leaf(
                i,
            )
    return total
"""
EXAMPLE = """\
tree(2)
list(gen(3))
call_hook(lambda v: v)
try:
    boom()
except ValueError:
    pass
leaf(5)
"""
DRIVER = """\
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("trace", sys.argv[1])
trace = importlib.util.module_from_spec(spec)
spec.loader.exec_module(trace)
sys.path.insert(0, sys.argv[2])
import lib
names = dict(vars(lib))
with trace.Tracer({lib.__file__: "lib.py"}, "<example>") as tracer:
    exec(compile(sys.argv[3], "<example>", "exec"), names)
print(json.dumps(tracer.result()))
"""


def run_traced(
    tmp_path: Path, python: str = sys.executable, *, library: str = LIBRARY, example: str = EXAMPLE
) -> dict:
    (tmp_path / "lib.py").write_text(library)
    (tmp_path / "drive.py").write_text(DRIVER)
    out = subprocess.run(
        [python, str(tmp_path / "drive.py"), example_trace.__file__, str(tmp_path), example],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def shape(node: dict) -> tuple:
    return (
        node["function"],
        node["line"],
        node["count"],
        tuple(shape(c) for c in node["children"]),
    )


def test_calls_nest_by_path_count_repeats_and_keep_hooks_as_leaves(tmp_path):
    result = run_traced(tmp_path)
    calls = [shape(node) for node in result["calls"]]
    assert calls == [
        # tree(2) recursing: each level a node under the one that called it, at the calling line.
        (
            "tree",
            1,
            1,
            (
                ("tree", 8, 1, (("tree", 8, 1, (("leaf", 7, 1, ()),)), ("leaf", 8, 1, ()))),
                ("leaf", 8, 1, ()),
            ),
        ),
        # A generator is one call however often it yields; leaf is called three times from line 13.
        ("gen", 2, 1, (("leaf", 13, 3, ()),)),
        # The example's own lambda, called by a traced function: a leaf (a hook, in torch's terms).
        ("call_hook", 3, 1, (("<lambda>", 17, 1, ()),)),
        ("boom", 5, 1, ()),
        ("leaf", 8, 1, ()),
    ]
    hook = result["calls"][2]["children"][0]
    assert hook["file"] == "" and result["calls"][2]["file"] == "lib.py"
    # Lines of lib.py that ran, with counts; line 6 (`if n == 0`) three times, 7 once.
    lines = {int(k): v for k, v in result["lines"]["lib.py"].items()}
    assert lines[6] == 3 and lines[7] == 1 and lines[21] == 1
    assert 2 in lines and 17 in lines and 1 not in lines  # bodies run; `def` lines do not
    assert result["cut"] is False


def _interpreter(version: str) -> str | None:
    """A working Python `version` on this machine (PATH, then pyenv's folder), or `None`."""
    found = [shutil.which(f"python{version}")]
    found += sorted(
        str(p) for p in Path.home().glob(f".pyenv/versions/{version}*/bin/python{version}")
    )
    for candidate in filter(None, found):
        ok = subprocess.run([candidate, "-c", ""], capture_output=True, check=False)
        if ok.returncode == 0:
            return candidate
    return None


def test_a_line_counts_once_each_time_its_statement_runs(tmp_path):
    lines = run_traced(tmp_path, library=LIBRARY + BLOCK, example="block(3)")["lines"]["lib.py"]
    source = (LIBRARY + BLOCK).splitlines()

    def count(text: str) -> int:
        return lines.get(str(source.index(text) + 1), 0)

    assert count("    total = 0") == 1 and count("    return total") == 1
    # Three times each, not six: neither the block's exit nor the call made after its
    # arguments is a second run.
    assert count("        with Ctx():") == 3
    assert count("            total += leaf(") == 3
    # The header runs before each of the three passes and once more to find the loop done.
    assert count("    for i in range(n):") == 4


@pytest.mark.parametrize("version", ["3.12", "3.13"])
def test_sys_monitoring_records_the_same_as_settrace(tmp_path, version):
    other = _interpreter(version)
    if other is None:
        pytest.skip(f"no working python{version} here to compare sys.monitoring with")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    library, example = LIBRARY + BLOCK, EXAMPLE + "block(3)\n"
    assert run_traced(tmp_path / "b", other, library=library, example=example) == run_traced(
        tmp_path / "a", library=library, example=example
    )


def test_a_trace_round_trips_and_a_damaged_one_is_refused(tmp_path):
    data = run_traced(tmp_path)
    trace = read_trace(data)
    assert trace_json(trace) == data
    edges = trace.edges()
    assert edges[("lib.py", "tree", "leaf", 8)] == 2 and edges[("lib.py", "gen", "leaf", 13)] == 3
    for damage in ({"calls": "x"}, {**data, "cut": "no"}, {**data, "lines": {"lib.py": {"2": -1}}}):
        with pytest.raises(ValueError):
            read_trace(damage)


def installed_sha256(installed: Path) -> dict[str, str]:
    return {
        rel: hashlib.sha256((installed.parent / rel).read_bytes()).hexdigest()
        for rel in SOURCE_FILES
    }


def test_real_examples_trace_state_dict_and_load_state_dict(installed_torch):
    runner = ExampleRunner(timeout=120, sources=installed_sha256(installed_torch))
    try:
        model = "import torch\nfrom torch import nn\nm = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU(), nn.Linear(2, 1)))\n"
        saved = runner.run(Example(page="p.md", code=model + "sd = m.state_dict()\n", line=1))
        loaded = runner.run(
            Example(page="p.md", code=model + "m.load_state_dict(m.state_dict())\n", line=1)
        )
        untraced = ExampleRunner(timeout=120, sources={"torch/nn/modules/module.py": "0" * 64})
        try:
            plain = untraced.run(Example(page="p.md", code="import torch\n", line=1))
        finally:
            untraced.close()
    finally:
        runner.close()
    assert plain.trace is None  # another torch than the one the guide reads: no trace
    assert saved.trace is not None and loaded.trace is not None
    save_calls = saved.trace.edges()
    modules = 5  # the outer Sequential, Linear, the inner Sequential, ReLU, Linear
    mod = "torch/nn/modules/module.py"
    assert (
        sum(
            n
            for (f, _, callee, _), n in save_calls.items()
            if callee == "Module._save_to_state_dict"
        )
        == modules
    )
    # Recursion into children: state_dict calls state_dict (once per child of each container).
    assert (
        sum(
            n
            for (f, caller, callee, _), n in save_calls.items()
            if (caller, callee) == ("Module.state_dict", "Module.state_dict")
        )
        == modules - 1
    )
    # The nested `load` reaches _load_from_state_dict on every module: what static reading misses.
    load_calls = loaded.trace.edges()
    assert (
        load_calls[
            (
                mod,
                "Module.load_state_dict",
                "Module.load_state_dict.<locals>.load",
                _line_of(installed_torch, "        load(self, state_dict)"),
            )
        ]
        == 1
    )
    reached = sum(
        n
        for (f, caller, callee, _), n in load_calls.items()
        if callee == "Module._load_from_state_dict"
    )
    assert reached == modules
    # As griffe paths: the nested `load` counts as load_state_dict, which reaches the loader.
    observed = observed_calls([loaded.trace])
    assert observed[(f"{MODULE}.load_state_dict", f"{MODULE}._load_from_state_dict")] == modules
    assert (f"{MODULE}.load_state_dict", f"{MODULE}.load_state_dict") not in observed
    # Lines: the strict load ran the missing/unexpected check branch (`if strict:`) of load_state_dict.
    ran = executed_lines([loaded.trace, saved.trace])[mod]
    assert ran == Counter(loaded.trace.lines[mod]) + Counter(saved.trace.lines[mod])
    strict_line = _line_of(installed_torch, "        if strict:", after="    def load_state_dict(")
    assert ran.get(strict_line, 0) >= 1


def _line_of(installed: Path, text: str, *, after: str = "") -> int:
    lines = (installed / "nn/modules/module.py").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(after)) if after else 0
    return next(i for i in range(start, len(lines)) if lines[i] == text) + 1


def test_a_runaway_recursion_is_cut_not_fatal(tmp_path):
    (tmp_path / "deep.py").write_text("def down(n):\n    return down(n + 1)\n")
    sys.path.insert(0, str(tmp_path))
    try:
        import deep
    finally:
        sys.path.remove(str(tmp_path))
    code = compile("try:\n    down(0)\nexcept RecursionError:\n    pass\n", "<example>", "exec")
    with example_trace.Tracer({deep.__file__: "deep.py"}, "<example>") as tracer:
        exec(code, {"down": deep.down})
    result = tracer.result()
    depth, node = 0, result["calls"][0]
    while node["children"]:
        depth, node = depth + 1, node["children"][0]
    assert result["cut"] is True and depth == example_trace.MAX_DEPTH - 1
    assert read_trace(result).cut

"""Executed examples in real strict builds of a small project: output, cache, failures."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import torch

from tests.conftest import ROOT, copy_project, run_mkdocs
from tests.htmltree import parse

GOOD = """\
# Examples

```python exec="on" source="above" result="text" session="demo"
import os, torch
weights = torch.arange(6.0).reshape(2, 3)
open("weights.txt", "w").write(str(weights.tolist()))
print("worker", os.getpid())
print("cwd", os.getcwd())
```

```python exec="on" source="above" result="text" session="demo"
print("sum", weights.sum().item())
assert weights.shape == (2, 3)
```

```python exec="on" source="above" result="text" session="demo"
print("file", open("weights.txt").read())
```

```python exec="on" source="tabbed-left" result="text" title="alone"
print("alone", "weights" in globals())
```
"""

BAD = """\
# Failing examples

```python exec="on" source="above" result="text"
def check():
    raise ValueError("the prose said otherwise")
check()
```

```python exec="on" source="above" result="text"
shape = (2, 3)
assert shape == (3, 2), "shape is not transposed"
```

```python exec="on" source="above" result="text"
import sys
sys.exit(3)
```

```python exec="on" source="above" result="text"
import os
os._exit(1)
```

```python exec="on" source="above" result="text"
while True: pass
```

```python exec="on" source="above" result="text"
print("fine")
```
"""


def example_project(root: Path, page: str, *, timeout: float | None = None) -> Path:
    """A copy of the project whose only page besides the generated ones is `page`."""
    config = copy_project(root)
    docs = config.parent / "docs"
    shutil.rmtree(docs / "chapters")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "examples.md").write_text(page, encoding="utf-8")
    text = re.sub(r"^nav:\n(?:[ \t]+.*\n|\n)*", "", config.read_text(), flags=re.M)
    if timeout is not None:
        text = text.replace("  - annotate:\n", f"  - annotate:\n      example_timeout: {timeout}\n")
    config.write_text(text, encoding="utf-8")
    return config


def fence_lines(page: str) -> list[int]:
    return [n for n, line in enumerate(page.splitlines(), 1) if line.startswith("```python")]


def summary(stderr: str) -> str:
    (line,) = re.findall(r"annotate: \d+ examples: .*", stderr)
    return line


def working_in(folder: Path) -> list[str]:
    """Processes whose working folder is `folder` or inside it (a pid inside the examples'
    sandbox is not the host's, so they are found by where they work)."""
    found = []
    for cwd in Path("/proc").glob("[0-9]*/cwd"):
        try:
            where = Path(os.readlink(cwd))
        except OSError:
            continue
        if where == folder or where.is_relative_to(folder):
            found.append(cwd.parent.name)
    return found


def outputs(site: Path) -> list[str]:
    tree = parse((site / "examples/index.html").read_text(encoding="utf-8"))
    return [
        "".join(block.all_text() for block in example.find_all("code"))
        for example in tree.find_all("div", cls="an-example")
    ]


def test_examples_show_their_output_stamped_and_a_rebuild_comes_from_the_cache(tmp_path):
    config = example_project(tmp_path / "project", GOOD)
    first = run_mkdocs(tmp_path / "site1", config=config)
    assert first.returncode == 0, first.stderr[-4000:]
    assert summary(first.stderr) == "annotate: 4 examples: 4 run, 0 from cache"

    html = (tmp_path / "site1/examples/index.html").read_text(encoding="utf-8")
    assert html.count(f"ran on torch <code>{torch.__version__}</code>") == 4
    shown = outputs(tmp_path / "site1")
    assert "sum 15.0" in shown[1]
    assert "file [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]" in shown[2]
    assert "alone False" in shown[3]
    tree = parse(html)
    (tabs,) = tree.find_all("div", cls="tabbed-set")
    assert [label.all_text() for label in tabs.find_all("label")] == ["Source", "Result"]

    # The example ran in a temporary folder that is gone, in a worker that has ended.
    cwd = Path(re.search(r"cwd (\S+)", shown[0])[1])
    assert cwd.is_relative_to(Path(tempfile.gettempdir()).resolve())
    assert not cwd.exists()
    assert not list((tmp_path / "project").rglob("weights.txt"))
    assert not list(ROOT.rglob("weights.txt"))
    assert re.search(r"worker (\d+)", shown[0])
    deadline = time.monotonic() + 10
    while working_in(cwd.parent) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert working_in(cwd.parent) == []

    second = run_mkdocs(tmp_path / "site2", config=config)
    assert second.returncode == 0, second.stderr[-4000:]
    assert summary(second.stderr) == "annotate: 4 examples: 0 run, 4 from cache"
    assert outputs(tmp_path / "site2") == shown

    page = config.parent / "docs/examples.md"
    page.write_text(GOOD.replace('print("sum", weights.sum()', 'print("max", weights.max()'))
    third = run_mkdocs(tmp_path / "site3", config=config)
    assert third.returncode == 0, third.stderr[-4000:]
    assert summary(third.stderr) == (
        "annotate: 4 examples: 2 run, 2 from cache, 1 replayed to rebuild a session"
    )
    changed = outputs(tmp_path / "site3")
    assert "max 5.0" in changed[1]
    assert changed[0] == shown[0] and changed[3] == shown[3]


def test_failing_examples_fail_the_build_with_page_line_and_reason(tmp_path):
    config = example_project(tmp_path / "project", BAD, timeout=2)
    result = run_mkdocs(tmp_path / "site", config=config)
    log = result.stdout + result.stderr
    assert result.returncode == 1, log[-4000:]
    assert "Aborted with a BuildError!" in log
    raising, asserting, exiting, dying, looping, _ = fence_lines(BAD)
    page = "docs/examples.md"
    for line, reason in [
        (raising, "raised ValueError: the prose said otherwise"),
        (asserting, "raised AssertionError: shape is not transposed"),
        (exiting, "called sys.exit(3)"),
        (dying, "ended its interpreter with exit code 1"),
        (looping, "timed out after 2 s"),
    ]:
        assert f"ERROR   -  annotate: {page}:{line}: the example {reason}" in log
        assert f"  {page}:{line}: the example {reason}" in log.split("example(s) failed:")[1]
    assert "annotate: 5 example(s) failed:" in log
    assert f'File "{page}", line {raising + 3}, in <module>' in log
    assert 'raise ValueError("the prose said otherwise")' in log
    # The examples' own frames, never the generator's.
    assert "Traceback" not in log
    assert not re.search(r'File "[^"]*(annotate|mkdocs|markdown)[^"]*\.py"', log)
    html = (tmp_path / "site/examples/index.html").read_text(encoding="utf-8")
    assert "Traceback" not in html
    assert html.count("an-example-failed") == 5

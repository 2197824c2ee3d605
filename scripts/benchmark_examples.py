#!/usr/bin/env python3
"""Time executed examples: a cold build and a cached rebuild of a page of ten, the worker's cost, and tracing.

Builds run in a fresh copy of the project in a temporary folder (chapters replaced by one page
of examples), so the repository and its cache are never touched. The floor is the same project
with the examples shown as plain code, which tells what running them adds. Tracing is timed on
every example of the guide, run once traced and once not, alternating, with no cache; then on
cold and cached builds of the whole guide (a fresh copy of it each time), traced as the site is
built and untraced (the same build with the example runner told not to trace), alternating.

    python scripts/benchmark_examples.py [--runs 3] [--calls 50]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotate.examples.fences import collect_examples  # noqa: E402
from annotate.examples.runner import Example, ExampleRunner  # noqa: E402
from annotate.source.snapshot import SOURCE_FILES, find_torch  # noqa: E402

FENCE = '```python exec="on" source="above" result="text" session="{session}"'
BODIES = [
    "import torch\nfrom torch import nn\nmodel = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))\nprint(model)",
    "print(list(model.state_dict()))",
    "print({k: tuple(v.shape) for k, v in model.state_dict().items()})",
    "model.to(torch.float64)\nprint(model[0].weight.dtype)",
    "print(sum(p.numel() for p in model.parameters()))",
    "import torch\nfrom torch import nn\nbn = nn.BatchNorm1d(3)\nprint(list(bn.named_buffers()))",
    "print(bn.running_mean)",
    "bn(torch.randn(5, 3))\nprint(bn.num_batches_tracked)",
    "print([name for name, _ in bn.named_parameters()])",
    "print(bn.state_dict().keys())",
]


def page(*, executed: bool) -> str:
    parts = ["# Ten examples\n"]
    for number, body in enumerate(BODIES):
        opening = FENCE.format(session="a" if number < 5 else "b") if executed else "```python"
        parts.append(f"Example {number + 1}.\n\n{opening}\n{body}\n```\n")
    return "\n".join(parts)


def project(root: Path, *, executed: bool) -> Path:
    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.rmtree(root / "docs/chapters")
    (root / "docs/index.md").write_text("# Home\n")
    (root / "docs/examples.md").write_text(page(executed=executed))
    text = (ROOT / "mkdocs.yml").read_text()
    # The navigation names the two pages: a page it leaves out is refused as unchecked.
    nav = "nav:\n  - index.md\n  - examples.md\n"
    (root / "mkdocs.yml").write_text(re.sub(r"^nav:\n(?:[ \t]+.*\n|\n)*", nav, text, flags=re.M))
    return root / "mkdocs.yml"


# A build of the guide whose example runner does not trace: the peer tracing is measured against.
_BUILD = """
import sys
from annotate.examples import runner

if sys.argv[1] == "untraced":
    traced_init = runner.ExampleRunner.__init__

    def untraced_init(self, *args, **kwargs):
        traced_init(self, *args, **{**kwargs, "sources": None})

    runner.ExampleRunner.__init__ = untraced_init
from mkdocs.__main__ import cli

cli(["build", "--strict", "-q", "-f", sys.argv[2]])
"""


def whole_guide(root: Path) -> Path:
    """A copy of the guide with no cache: its first build runs every example."""
    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root / "mkdocs.yml"


def build_guide(config: Path, *, traced: bool) -> float:
    driver = [sys.executable, "-c", _BUILD, "traced" if traced else "untraced", str(config)]
    return _timed(driver, config)[0]


def build(config: Path) -> tuple[float, str]:
    return _timed(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config)], config
    )


def _timed(command: list[str], config: Path) -> tuple[float, str]:
    """Seconds `command` took to build the project of `config`, and what it printed."""
    start = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=config.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)},
        check=False,
    )
    seconds = time.perf_counter() - start
    if result.returncode:
        sys.exit(f"build failed:\n{result.stderr[-3000:]}")
    return seconds, result.stderr


def worker_overhead(calls: int) -> tuple[float, list[float]]:
    """Seconds to start a worker (python + torch), then seconds per trivial example."""
    runner = ExampleRunner(timeout=60)
    try:
        start = time.perf_counter()
        runner.run(Example(page="bench.md", code="pass", line=1))
        startup = time.perf_counter() - start
        each = []
        for number in range(calls):
            start = time.perf_counter()
            runner.run(Example(page="bench.md", code=f"x = {number}", line=1, session="s"))
            each.append(time.perf_counter() - start)
    finally:
        runner.close()
    return startup, each


def guide_examples() -> list[tuple[Example, tuple[Example, ...]]]:
    """Every executed example of the guide, with the session history a build gives it."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    found = []
    for path in sorted(Path(config.docs_dir).rglob("*.md")):
        found += collect_examples(
            path.read_text(encoding="utf-8"),
            page=path.relative_to(ROOT).as_posix(),
            extensions=config.markdown_extensions,
            extension_configs=config.mdx_configs,
        )
    return found


def run_all(examples: list[tuple[Example, tuple[Example, ...]]], *, traced: bool) -> float:
    """Seconds to run every example (worker start included), traced or not."""
    import hashlib

    torch = find_torch()
    sources = {
        rel: hashlib.sha256((torch.parent / rel).read_bytes()).hexdigest() for rel in SOURCE_FILES
    }
    runner = ExampleRunner(timeout=120, sources=sources if traced else None)
    try:
        start = time.perf_counter()
        for example, history in examples:
            result = runner.run(example, history=history)
            assert (result.trace is not None) == traced
        return time.perf_counter() - start
    finally:
        runner.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="builds of each kind (median shown)")
    parser.add_argument("--calls", type=int, default=50, help="trivial examples for the overhead")
    args = parser.parse_args()

    floor, cold, cached = [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="bench-examples-") as tmp:
            plain = project(Path(tmp, "plain"), executed=False)
            floor.append(build(plain)[0])
            config = project(Path(tmp, "executed"), executed=True)
            seconds, _ = build(config)
            cold.append(seconds)
            seconds, _ = build(config)
            cached.append(seconds)
    guide_cold: dict[bool, list[float]] = {False: [], True: []}
    guide_cached: dict[bool, list[float]] = {False: [], True: []}
    for run in range(args.runs):
        # Alternating which goes first, so that neither always meets a warmer machine.
        for traced in (run % 2 == 0, run % 2 != 0):
            with tempfile.TemporaryDirectory(prefix="bench-traced-") as tmp:
                config = whole_guide(Path(tmp))
                guide_cold[traced].append(build_guide(config, traced=traced))
                guide_cached[traced].append(build_guide(config, traced=traced))
    startup, each = worker_overhead(args.calls)
    examples = guide_examples()
    plain_runs, traced_runs = [], []
    for _ in range(args.runs):
        plain_runs.append(run_all(examples, traced=False))
        traced_runs.append(run_all(examples, traced=True))

    def median(values: list[float]) -> str:
        return f"{statistics.median(values):6.2f} s"

    print(f"page of {len(BODIES)} examples, median of {args.runs} build(s):")
    print(f"  floor (same page, examples not executed) {median(floor)}")
    print(f"  cold build (empty cache, all run)        {median(cold)}")
    print(f"  cached rebuild (nothing changed)         {median(cached)}")
    print("worker:")
    print(f"  start (python + import torch) and first example {startup:6.2f} s")
    print(
        f"  per trivial example over {args.calls}: median {statistics.median(each) * 1000:.1f} ms, "
        f"max {max(each) * 1000:.1f} ms"
    )
    ratio = statistics.median(traced_runs) / statistics.median(plain_runs)
    print(f"every example of the guide ({len(examples)}), run without cache:")
    print(f"  untraced {median(plain_runs)}")
    print(f"  traced   {median(traced_runs)}   ({ratio:.2f}x)")
    print(f"the whole guide, median of {args.runs} build(s) of each (target: traced at most 1.5x):")
    for label, runs in (("cold build", guide_cold), ("cached rebuild", guide_cached)):
        untraced, traced = (statistics.median(runs[kind]) for kind in (False, True))
        print(
            f"  {label:15} untraced {untraced:6.2f} s, traced {traced:6.2f} s ({traced / untraced:.2f}x)"
        )


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Time executed examples: a cold build and a cached rebuild of a page of ten, and the worker's cost.

Builds run in a fresh copy of the project in a temporary folder (chapters replaced by one page
of examples), so the repository and its cache are never touched. The floor is the same project
with the examples shown as plain code, which tells what running them adds.

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

from annotate.examples.runner import Example, ExampleRunner  # noqa: E402

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
    (root / "mkdocs.yml").write_text(re.sub(r"^nav:\n(?:[ \t]+.*\n|\n)*", "", text, flags=re.M))
    return root / "mkdocs.yml"


def build(config: Path) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config)],
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
    startup, each = worker_overhead(args.calls)

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


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Time the guide's build against a floor site and print figures and ratios.

The floor is the least a site of these two files can be: the same `module.py` and
`container.py` as plain highlighted code blocks in Material, nothing else. Every build runs in
a fresh copy of the project in a temporary folder, so the repository is never touched. The
last line is what the release history (each object's, and the page of what changed) adds to a
warm build of the guide, paired against the same build without it.

    python scripts/benchmark.py [--runs 3] [--history-only]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs inside a fresh interpreter: build once (or twice, editing a note in between, as
# `mkdocs serve` does after a save) and print the seconds of the timed build as JSON.
_BUILD = textwrap.dedent(
    """
    import json, logging, sys, time
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    logging.disable(logging.WARNING)
    config_file, edit, history = sys.argv[1], sys.argv[2], sys.argv[3]
    if history == "off":
        # The same build without the release history: no object shows one, and the page of
        # what changed in this torch is empty (it stays, as the navigation names it).
        import annotate.site.pages, annotate.site.views
        annotate.site.views.history_view = lambda path, release: None
        annotate.site.pages.release_page = lambda guide: "# What changed in this torch\\n"

    def once():
        config = load_config(config_file, site_dir=str(Path(config_file).parent / "site"))
        config.plugins.on_startup(command="build", dirty=False)
        start, cpu = time.perf_counter(), time.process_time()
        build(config)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        config.plugins.on_shutdown()
        return seconds, cpu

    seconds, cpu = once()
    if edit:
        note = Path(edit)
        note.write_text(note.read_text() + "\\nOne more sentence.\\n")
        seconds, cpu = once()
    print(json.dumps({"seconds": seconds, "cpu": cpu}))
    """
)


def _time_build(config: Path, *, edit: Path | None = None, history: bool = True) -> float:
    return _measure_build(config, edit=edit, history=history)[0]


def _measure_build(
    config: Path, *, edit: Path | None = None, history: bool = True
) -> tuple[float, float]:
    """Seconds of the timed build, and the CPU seconds its process spent in it."""
    out = subprocess.run(
        [sys.executable, "-c", _BUILD, str(config), str(edit or ""), "on" if history else "off"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if out.returncode != 0:
        sys.exit(f"build of {config} failed:\n{out.stderr[-3000:]}")
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return figures["seconds"], figures["cpu"]


def _guide_project(tmp: Path) -> Path:
    project = tmp / "guide"
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project / "mkdocs.yml"


def _floor_project(tmp: Path) -> Path:
    from annotate.source.snapshot import SOURCE_FILES, find_torch

    package = find_torch(os.environ.get("ANNOTATE_TORCH_ROOT"))
    project = tmp / "floor"
    (project / "docs").mkdir(parents=True)
    nav = []
    for rel in SOURCE_FILES:
        name = Path(rel).stem
        code = (package.parent / rel).read_text(encoding="utf-8")
        fence = "`" * 4
        (project / "docs" / f"{name}.md").write_text(
            f'# {name}.py\n\n{fence}python linenums="1"\n{code}\n{fence}\n', encoding="utf-8"
        )
        nav.append(f"  - {name}.md")
    (project / "docs" / "index.md").write_text("# Floor\n")
    (project / "mkdocs.yml").write_text(
        "site_name: Floor\ntheme:\n  name: material\n  font: false\n"
        "markdown_extensions:\n  - pymdownx.highlight\n  - pymdownx.superfences\n"
        "nav:\n  - index.md\n" + "\n".join(nav) + "\n"
    )
    return project / "mkdocs.yml"


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _snapshot_and_index(tmp: Path, runs: int) -> tuple[float, float]:
    from annotate.source.index import build_index
    from annotate.source.snapshot import take_snapshot

    root = os.environ.get("ANNOTATE_TORCH_ROOT")
    cold, index = [], []
    for i in range(runs):
        start = time.perf_counter()
        snap = take_snapshot(tmp / f"snap{i}", torch_root=root)
        cold.append(time.perf_counter() - start)
        start = time.perf_counter()
        build_index(snap)
        index.append(time.perf_counter() - start)
    return _median(cold), _median(index)


def _history_cost(guide: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Median seconds (wall and CPU) of a warm build of the guide with its release history,
    and without it.

    The two are paired: each run builds with and without, in alternating order, after a build
    that fills the caches, so both read the same warm caches and about the same machine load.
    """
    _time_build(guide)
    runs_of: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for run in range(runs):
        for history in (True, False) if run % 2 == 0 else (False, True):
            runs_of[history].append(_measure_build(guide, history=history))
    return {
        figure: (
            _median([r[i] for r in runs_of[True]]),
            _median([r[i] for r in runs_of[False]]),
        )
        for i, figure in enumerate(("wall", "CPU"))
    }


def _print_history_cost(figures: dict[str, tuple[float, float]]) -> None:
    for figure, (with_history, without) in figures.items():
        added = with_history - without
        print(
            f"release history, warm build ({figure}): {with_history:6.2f}s with, "
            f"{without:6.2f}s without, {added:+5.2f}s ({added / without:+.1%}; target <= +10%)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="builds per figure (median is shown)")
    parser.add_argument(
        "--history-only",
        action="store_true",
        help="only the cost of the release history in a warm build of the guide",
    )
    args = parser.parse_args()
    if args.history_only:
        with tempfile.TemporaryDirectory(prefix="annotate-bench-") as name:
            _print_history_cost(_history_cost(_guide_project(Path(name)), args.runs))
        return
    with tempfile.TemporaryDirectory(prefix="annotate-bench-") as name:
        tmp = Path(name)
        snap, index = _snapshot_and_index(tmp, args.runs)
        guide = _guide_project(tmp)
        floor = _floor_project(tmp)
        cache = guide.parent / ".cache"
        rows: dict[str, dict[str, float]] = {"cold": {}, "second build": {}, "serve rebuild": {}}
        for label, config in (("guide", guide), ("floor", floor)):
            cold, warm, serve = [], [], []
            for _ in range(args.runs):
                shutil.rmtree(cache, ignore_errors=True)
                cold.append(_time_build(config))
                warm.append(_time_build(config))
            note = next(iter(sorted((guide.parent / "docs" / "notes").rglob("*.md"))), None)
            floor_page = floor.parent / "docs" / "index.md"
            for _ in range(args.runs):
                serve.append(_time_build(config, edit=note if label == "guide" else floor_page))
            rows["cold"][label] = _median(cold)
            rows["second build"][label] = _median(warm)
            rows["serve rebuild"][label] = _median(serve)
        history = _history_cost(guide, args.runs)

    print(f"snapshot (cold, fresh folder): {snap * 1000:7.1f} ms")
    print(f"index (griffe, both files):    {index * 1000:7.1f} ms")
    print(f"snapshot + index:              {(snap + index) * 1000:7.1f} ms   (target < 300 ms)")
    print()
    print(f"{'build (median of ' + str(args.runs) + ')':<28}{'guide':>9}{'floor':>9}{'ratio':>8}")
    for label, row in rows.items():
        ratio = row["guide"] / row["floor"]
        print(f"{label:<28}{row['guide']:>8.2f}s{row['floor']:>8.2f}s{ratio:>7.2f}x")
    print(
        "targets: second build <= 1.5x floor; serve rebuild after a note edit <= 1.5x floor build"
    )
    print()
    _print_history_cost(history)


if __name__ == "__main__":
    main()

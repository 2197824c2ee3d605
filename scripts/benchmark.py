#!/usr/bin/env python3
"""Time the guide's builds against a floor site and a Sphinx build; print figures, ratios, targets.

The floor is the least a site of these two files can be: the same `module.py` and `container.py`
as plain highlighted code blocks in Material, nothing else. The peer is Sphinx's `viewcode` over
the same two files (`sphinx_peer.py`). Every build runs in a fresh copy of the project in a
temporary folder, so the repository is never touched; builds are whole processes, timed from
start to end, in pairs that alternate their order (guide, floor, Sphinx; then the reverse), and
each figure is the median of `--runs`.

Printed: snapshot and index; the cold build (no cache), the warm build (caches of an earlier
build) and peak memory; `mkdocs serve` rebuilds in one process after editing a note, a chapter
and a Chinese note, and with nothing changed; where the time of a warm build goes, phase by
phase; and what the release history adds to a warm build.

    python scripts/benchmark.py [--runs 3] [--history-only]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))

from sphinx_peer import SphinxPeer  # noqa: E402

EDITS = {
    "note": "docs/notes/module/Module.cuda.md",
    "chapter": "docs/chapters/state-dict.md",
    "Chinese note": "docs/notes/module/Module.cuda.zh.md",
}
"""What a `mkdocs serve` rebuild is measured after editing, in this order."""

# Runs inside a fresh interpreter, as `mkdocs serve` does: start the plugins, build, then, for
# each file to edit, edit it and build again with a configuration read anew (plugins that keep
# state between builds are kept, as under serve). Prints each timed build's figures as JSON.
_SERVE = textwrap.dedent(
    """
    import json, logging, resource, sys, time
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    import build_phases
    if sys.argv[3] == "phases":
        build_phases.install()
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    logging.disable(logging.WARNING)
    config_file, edits = sys.argv[2], sys.argv[4:]
    site = str(Path(config_file).parent / "site")

    def once(first=False):
        start, cpu = time.perf_counter(), time.process_time()
        config = load_config(config_file, site_dir=site)
        if first:
            config.plugins.on_startup(command="serve", dirty=False)
        build(config)
        figures = {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu}
        annotate = config.plugins.get("annotate")
        if annotate is not None and annotate.build is not None:
            figures["examples run"] = annotate.build.runner.stats.run
            figures["kept"] = {
                name: [kept.last.reused, kept.last.computed]
                for name, kept in vars(annotate.build.kept).items()
            }
        return config, figures

    config, first = once(first=True)
    results = {"first": first, "phases": build_phases.reset()}
    for edit in edits:
        if edit == "nothing":
            _, results[edit] = once()
            continue
        note = Path(edit)
        note.write_text(note.read_text() + "\\nOne more sentence.\\n")
        _, results[edit] = once()
    config.plugins.on_shutdown()
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    results["peak MB"] = usage / 1024
    results["peak MB, example worker"] = children / 1024
    print(json.dumps(results))
    """
)


def _serve(config: Path, edits: list[str], *, phases: bool = False, history: bool = True) -> dict:
    """The figures of `_SERVE` run on `config`."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    code = _SERVE
    if not history:
        code = _WITHOUT_HISTORY + code
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            str(SCRIPTS),
            str(config),
            "phases" if phases else "-",
            *edits,
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=config.parent,
    )
    if out.returncode != 0:
        sys.exit(f"build of {config} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# The same build without the release history: no object shows one, and the page of what changed
# in this torch is empty (it stays, as the navigation names it).
_WITHOUT_HISTORY = textwrap.dedent(
    """
    import annotate.site.pages, annotate.site.views
    annotate.site.views.history_view = lambda *args, **kwargs: None
    annotate.site.pages.release_page = lambda guide: "# What changed in this torch\\n"
    """
)


def _process_seconds(
    command: list[str], *, cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Wall seconds of `command` as a whole process, and the CPU seconds it and its children
    spent (which load on the machine from elsewhere does not inflate)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{out.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def _mkdocs_build(config: Path) -> tuple[float, float]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)]
    return _process_seconds(command, cwd=config.parent, env=env)


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


def _import_torch_seconds(runs: int) -> tuple[float, float]:
    """What one `import torch` costs a fresh interpreter (wall, CPU), less the interpreter's start."""
    bare = [_process_seconds([sys.executable, "-c", "pass"], cwd=ROOT) for _ in range(runs)]
    torch = [
        _process_seconds([sys.executable, "-c", "import torch"], cwd=ROOT) for _ in range(runs)
    ]
    return tuple(  # type: ignore[return-value]
        _median([t[i] for t in torch]) - _median([b[i] for b in bare]) for i in (0, 1)
    )


def _history_cost(guide: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Median seconds (wall and CPU) of a warm build of the guide with its release history,
    and without it, paired: each run builds with and without, in alternating order, after a
    build that fills the caches."""
    _mkdocs_build(guide)
    runs_of: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for run in range(runs):
        for history in (True, False) if run % 2 == 0 else (False, True):
            first = _serve(guide, [], history=history)["first"]
            runs_of[history].append((first["seconds"], first["cpu"]))
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


def _row(label: str, guide: float, floor: float, sphinx: float | None, target: str) -> None:
    vs_sphinx = f"{guide / sphinx:>7.2f}x" if sphinx else f"{'':>8}"
    print(f"{label:<34}{guide:>8.2f}s{floor:>8.2f}s{guide / floor:>7.2f}x{vs_sphinx}   {target}")


def _table(
    m: dict[str, tuple[float, float]], which: int, *, budget: str, examples_run: int
) -> None:
    """The builds' figures, wall (`which` 0) or CPU (1), with their ratios and targets."""
    f = {label: pair[which] for label, pair in m.items()}
    print(f"{'':<34}{'guide':>9}{'floor':>9}{'/floor':>8}{'/Sphinx':>8}   target")
    _row("Sphinx viewcode build (-E)", f["sphinx"], f["floor warm"], None, "")
    _row("cold build (no cache)", f["guide cold"], f["floor cold"], f["sphinx"], budget)
    _row(
        "warm build", f["guide warm"], f["floor warm"], f["sphinx"], "<= 1.3x floor, <= 0.5x Sphinx"
    )
    for label in EDITS:
        target = "<= 1.0x floor's build" if label == "note" else ""
        _row(
            f"serve rebuild, {label} edited",
            f[f"serve {label}"],
            f["floor warm"],
            f["sphinx"],
            target,
        )
    _row(
        "serve rebuild, nothing changed",
        f["serve nothing"],
        f["floor warm"],
        f["sphinx"],
        f"examples run: {examples_run} (target 0)",
    )
    print(f"(the floor's own serve rebuild after an edit: {f['floor serve']:.2f}s)")


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
        torch_import = _import_torch_seconds(args.runs)
        sphinx = SphinxPeer(tmp)
        guide, floor = _guide_project(tmp), _floor_project(tmp)
        cache = guide.parent / ".cache"
        figures: dict[str, list[tuple[float, float]]] = {}

        def add(label: str, pair: tuple[float, float]) -> None:
            figures.setdefault(label, []).append(pair)

        sphinx_command, sphinx_env = sphinx.command(tmp / "sphinx-html")
        for run in range(args.runs):
            order = ["guide", "floor", "sphinx"]
            for who in order if run % 2 == 0 else order[::-1]:
                if who == "sphinx":
                    shutil.rmtree(tmp / "sphinx-html", ignore_errors=True)
                    add("sphinx", _process_seconds(sphinx_command, cwd=tmp, env=sphinx_env))
                    continue
                config = guide if who == "guide" else floor
                shutil.rmtree(cache, ignore_errors=True)
                add(f"{who} cold", _mkdocs_build(config))
                add(f"{who} warm", _mkdocs_build(config))
        # Serve: each run a fresh copy of the docs, so that every edit is the first of its kind.
        edits = [*EDITS.values(), "nothing"]
        peak: list[float] = []
        examples_run: list[int] = []
        for run in range(args.runs):
            for who in ("guide", "floor") if run % 2 == 0 else ("floor", "guide"):
                if who == "floor":
                    edited = _serve(floor, ["docs/index.md"])["docs/index.md"]
                    add("floor serve", (edited["seconds"], edited["cpu"]))
                    continue
                shutil.rmtree(guide.parent / "docs")
                shutil.copytree(ROOT / "docs", guide.parent / "docs")
                served = _serve(guide, edits)
                for label, path in EDITS.items():
                    add(f"serve {label}", (served[path]["seconds"], served[path]["cpu"]))
                add("serve nothing", (served["nothing"]["seconds"], served["nothing"]["cpu"]))
                examples_run.append(int(served["nothing"].get("examples run", 0)))
                kept_note = served[EDITS["note"]].get("kept", {})
                peak.append(served["peak MB"])
        shutil.rmtree(guide.parent / "docs")
        shutil.copytree(ROOT / "docs", guide.parent / "docs")
        shutil.rmtree(cache, ignore_errors=True)
        cold = _serve(guide, [], phases=True)["phases"]
        warm = _serve(guide, [], phases=True)["phases"]
        history = _history_cost(guide, args.runs)
    examples_own = cold.get("examples: run in the worker", 0.0)

    m = {
        label: (_median([p[0] for p in pairs]), _median([p[1] for p in pairs]))
        for label, pairs in figures.items()
    }
    print(f"snapshot (cold, fresh folder): {snap * 1000:7.1f} ms")
    print(f"index (griffe, both files):    {index * 1000:7.1f} ms")
    print(f"snapshot + index:              {(snap + index) * 1000:7.1f} ms   (target < 300 ms)")
    print()
    for which, name in ((0, "wall"), (1, "CPU")):
        budget = m["floor cold"][which] + torch_import[which] + examples_own + 0.5
        print(
            f"{name} seconds, median of {args.runs}, whole processes; ratios to the floor and Sphinx"
        )
        _table(
            m,
            which,
            budget=f"<= {budget:.2f}s: floor + import torch ({torch_import[which]:.2f}s)"
            f" + examples ({examples_own:.2f}s) + 0.5s",
            examples_run=max(examples_run),
        )
        print()
    print(f"peak memory of a serve process over those rebuilds: {_median(peak):.0f} MB")
    if kept_note:
        taken = ", ".join(
            f"{name} {t} taken back, {c} computed" for name, (t, c) in kept_note.items()
        )
        print(f"a serve rebuild after a note edit (the last language built): {taken}")
    print()
    total = sum(warm.values())
    print(f"where a warm build's {total:.2f}s go (in-process, exclusive of nested phases):")
    for label, seconds in sorted(warm.items(), key=lambda item: -item[1]):
        print(f"  {label:<40}{seconds:>7.2f}s {seconds / total:>6.1%}")
    print()
    _print_history_cost(history)


if __name__ == "__main__":
    main()

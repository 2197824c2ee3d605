"""Size and build time of the whole-file page of module.py against a floor page.

The floor is the same file as one plain highlighted code block in Material (line numbers with
anchors, as the guide's page has them), in a minimal MkDocs project. Each build runs in a
fresh Python process, as `mkdocs build` does, so no cache carries over (a warm-up build
first takes the snapshot; then the median of several); a hook times each page from its
Markdown to its finished HTML. Prints bytes, times and the ratios; the goal is at most 1.5
times the floor. The page in a browser, against Sphinx's viewcode page of the same file (DOM
elements, style and script time, time to DOMContentLoaded), is `bench_reader.py`'s.

    PYTHONPATH=$PWD python scripts/bench_file_pages.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import logging
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
GOAL = 1.5

_HOOKS = """
import time
from mkdocs.plugins import event_priority

TIMES = {}
_START = {}


@event_priority(100)
def on_page_markdown(markdown, page, **kwargs):
    _START[page.file.src_uri] = time.perf_counter()
    return markdown


@event_priority(-100)
def on_post_page(output, page, **kwargs):
    TIMES[page.file.src_uri] = time.perf_counter() - _START[page.file.src_uri]
    return output
"""

_FLOOR_CONFIG = """\
site_name: Floor
theme:
  name: material
  font: false
hooks:
  - hooks.py
markdown_extensions:
  - pymdownx.highlight:
      anchor_linenums: true
  - pymdownx.superfences
"""


def guide_project(dest: Path) -> Path:
    """The guide with a bare home page and its whole-file pages (every note shows on them)."""
    (dest / "docs").mkdir(parents=True)
    # The real home page links to the chapters, which this project leaves out.
    (dest / "docs" / "index.md").write_text("# Whole-file pages\n", encoding="utf-8")
    shutil.copytree(ROOT / "docs" / "notes", dest / "docs" / "notes")
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = "nav:\n  - Home: index.md\n  - files/module.md\n  - files/container.md\n\n"
    text = re.sub(r"^nav:\n(?:[ ].*\n|\n)*", nav, text, count=1, flags=re.MULTILINE)
    text = text.replace(
        "  - annotate:\n",
        "  - annotate:\n      coverage_page: false\n      maintenance_page: ''\n",
        1,
    )
    text += "\nhooks:\n  - hooks.py\n"
    (dest / "mkdocs.yml").write_text(text, encoding="utf-8")
    (dest / "hooks.py").write_text(_HOOKS, encoding="utf-8")
    return dest / "mkdocs.yml"


def floor_project(dest: Path, source: Path) -> Path:
    """A minimal Material project whose one page is `source` as a highlighted code block."""
    (dest / "docs").mkdir(parents=True)
    code = source.read_text(encoding="utf-8")
    page = f'# `{source.name}`\n\n```python linenums="1"\n{code}\n```\n'
    (dest / "docs" / "index.md").write_text(page, encoding="utf-8")
    (dest / "mkdocs.yml").write_text(_FLOOR_CONFIG, encoding="utf-8")
    (dest / "hooks.py").write_text(_HOOKS, encoding="utf-8")
    return dest / "mkdocs.yml"


def build(config_file: Path, site: Path, page: str) -> tuple[float, float]:
    """Build once; the whole build's time and the page's own time, in seconds."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(site), strict=True)
    (hooks,) = [plugin for name, plugin in config.plugins.items() if name.endswith("hooks.py")]
    start = time.perf_counter()
    mkdocs_build(config)
    total = time.perf_counter() - start
    return total, hooks.TIMES[page]  # type: ignore[attr-defined]


def build_in_fresh_process(config_file: Path, site: Path, page: str) -> tuple[float, float]:
    args = [sys.executable, __file__, "--one", str(config_file), str(site), page]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(args, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise SystemExit(f"build of {config_file} failed:\n{done.stderr[-3000:]}")
    total, page_time = json.loads(done.stdout.strip().splitlines()[-1])
    return total, page_time


def measure(projects: list[tuple[Path, Path, str]], runs: int) -> list[tuple[float, float]]:
    """Median whole-build and page times of each project; runs interleave, to share the load."""
    for project in projects:
        build_in_fresh_process(*project)  # warm-up: the snapshot, the disk cache
    results: list[list[tuple[float, float]]] = [[] for _ in projects]
    for _ in range(runs):
        for i, project in enumerate(projects):
            results[i].append(build_in_fresh_process(*project))
    return [
        (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs)) for rs in results
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed builds of each project")
    parser.add_argument(
        "--one", nargs=3, metavar=("CONFIG", "SITE", "PAGE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    if args.one:
        config_file, site, page = args.one
        print(json.dumps(build(Path(config_file), Path(site), page)))
        return 0
    sys.path.insert(0, str(ROOT))
    from annotate.source.snapshot import find_torch

    module_py = find_torch().parent / "torch/nn/modules/module.py"
    with tempfile.TemporaryDirectory(prefix="bench-file-pages-") as tmp:
        tmp_path = Path(tmp)
        guide_cfg = guide_project(tmp_path / "guide")
        floor_cfg = floor_project(tmp_path / "floor", module_py)
        (guide_total, guide_page), (floor_total, floor_page) = measure(
            [
                (guide_cfg, tmp_path / "guide-site", "files/module.md"),
                (floor_cfg, tmp_path / "floor-site", "index.md"),
            ],
            args.runs,
        )
        guide_bytes = (tmp_path / "guide-site/files/module/index.html").stat().st_size
        floor_bytes = (tmp_path / "floor-site/index.html").stat().st_size

    rows = [
        ("HTML bytes", guide_bytes, floor_bytes, "{:,.0f}"),
        ("page build (s)", guide_page, floor_page, "{:.3f}"),
        ("whole build (s)", guide_total, floor_total, "{:.3f}"),
    ]
    print(f"module.py, {args.runs} timed builds each (median), goal <= {GOAL}x the floor")
    print(f"{'':18}{'guide page':>14}{'floor page':>14}{'ratio':>8}")
    for label, guide, floor, fmt in rows:
        ratio = guide / floor
        flag = "" if ratio <= GOAL or label.startswith("whole") else "  over the goal"
        print(f"{label:18}{fmt.format(guide):>14}{fmt.format(floor):>14}{ratio:>7.2f}x{flag}")
    print(
        "whole build: the guide also loads the snapshot, resolves names and builds the "
        "container.py page; the floor builds one page."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
